import AnnalsDomain
import LMDB

/// Where a projection's key layout writes its bytes: a byte array, for keys a reader keeps and
/// changes, or a ``KeyBytes`` on the stack, for the several keys each event writes.
protocol KeySink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer)
}

extension Array: KeySink where Element == UInt8 {}

extension KeySink {
    /// `value` as an unsigned varint, as a payload stores it (``PayloadWriter/varintBytes(_:_:)``).
    mutating func appendVarint(_ value: UInt64) { PayloadWriter.varintBytes(value) { append($0) } }

    /// `value` as a zig-zag varint, as a payload stores it (``PayloadWriter/signed(_:)``).
    mutating func appendSigned(_ value: Int64) { appendVarint(PayloadWriter.zigZag(value)) }

    /// Text as a payload stores it (``PayloadWriter/string(utf8:)``): its length, then its UTF-8.
    mutating func appendText(_ utf8: UnsafeRawBufferPointer) {
        appendVarint(UInt64(utf8.count))
        append(contentsOf: utf8)
    }
}

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

/// A value laid out by appending its pieces to a ``KeySink``: so that it can be counted, then
/// written in a buffer of exactly its size (``withLaidOut(_:_:)``).
protocol ByteLayout {
    func append(to bytes: inout some KeySink)
}

/// Calls `body` with the bytes of `layout`, written in a temporary buffer of their exact size
/// (on the stack unless large): a value made for one write, without an array of its own.
func withLaidOut<Result>(_ layout: some ByteLayout, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    var counter = ByteCounter()
    layout.append(to: &counter)
    return try withUnsafeTemporaryAllocation(byteCount: counter.count, alignment: 1) { buffer in
        var sink = BufferSink(buffer)
        layout.append(to: &sink)
        return try body(UnsafeRawBufferPointer(buffer))
    }
}

/// Counts the bytes appended to it, keeping none.
private struct ByteCounter: KeySink {
    private(set) var count = 0

    mutating func append(_ byte: UInt8) { count += 1 }
    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) { count += bytes.count }
}

/// Appends into a buffer of a size counted beforehand.
private struct BufferSink: KeySink {
    private let buffer: UnsafeMutableRawBufferPointer
    private var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= buffer.count, "more bytes than were counted")
        guard let source = bytes.baseAddress else { return }
        (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }
}
