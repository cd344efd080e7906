import LMDB

/// Where a projection's key layout writes its bytes: a byte array, for keys a reader keeps and
/// changes, or a ``KeyBytes`` on the stack, for the several keys each event writes.
protocol KeySink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer)
}

extension Array: KeySink where Element == UInt8 {}

/// A key built in place, without a heap allocation: up to 511 bytes, the longest key LMDB
/// holds (ingest refuses ids that would make a longer one before anything is written). Short
/// values of the same make — a bucket summary, a position and an actor id — are built in one too.
struct KeyBytes: RawBytes, KeySink {
    static let capacity = 511
    private var storage = InlineArray<512, UInt8>(repeating: 0)
    private(set) var count = 0

    init() {}

    mutating func append(_ byte: UInt8) {
        precondition(count < Self.capacity, "a key longer than LMDB holds")
        storage[count] = byte
        count += 1
    }

    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= Self.capacity, "a key longer than LMDB holds")
        guard let source = bytes.baseAddress else { return }
        let offset = count
        withUnsafeMutableBytes(of: &storage) { $0.baseAddress!.advanced(by: offset).copyMemory(from: source, byteCount: bytes.count) }
        count += bytes.count
    }

    func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // Lent in place: a copy of the storage would move 512 bytes for every key.
        try storage.span.withUnsafeBytes { (bytes) throws(E) -> R in
            try body(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        }
    }
}
