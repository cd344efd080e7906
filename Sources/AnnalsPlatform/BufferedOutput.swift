/// Output gathered into large writes, so that writing many small pieces costs few system calls.
///
/// Nothing is written when the value goes away: ``flush()`` writes out what is still buffered
/// and says whether every write succeeded. A write that fails is remembered, not thrown, so that
/// a caller producing output in a loop learns of it once, at the end; later writes are still
/// tried (a stream may recover, a closed pipe does not).
///
/// ```swift
/// var output = BufferedOutput(try FileDescriptor.create("corpus.jsonl"))
/// for line in lines { output.write(line) }
/// try output.flush()
/// ```
public struct BufferedOutput: ~Copyable {
    private let descriptor: Int32
    /// Keeps an opened file open for as long as the output writes to it.
    private let file: FileDescriptor?
    private let capacity: Int
    private var buffer: [UInt8] = []
    private var failure: Errno?
    /// The bytes given so far, written out or still buffered.
    public private(set) var count = 0

    /// Output to `file`, written out whenever `capacity` bytes are buffered.
    public init(_ file: FileDescriptor, capacity: Int = 1 << 20) {
        self.init(descriptor: file.rawValue, file: file, capacity: capacity)
    }

    /// Output to a standard stream (see ``StandardStream``), which stays open afterwards.
    public init(standardStream descriptor: Int32, capacity: Int = 1 << 20) {
        self.init(descriptor: descriptor, file: nil, capacity: capacity)
    }

    /// Output to a descriptor the caller keeps open for as long as the output writes to it.
    public init(openDescriptor descriptor: Int32, capacity: Int = 1 << 20) {
        self.init(descriptor: descriptor, file: nil, capacity: capacity)
    }

    private init(descriptor: Int32, file: FileDescriptor?, capacity: Int) {
        self.descriptor = descriptor
        self.file = file
        self.capacity = max(capacity, 1)
        buffer.reserveCapacity(self.capacity)
    }

    /// Adds `text`, as UTF-8.
    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Adds `bytes` as they are.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        count += bytes.count
        // A piece as large as the buffer goes out as it is, without a copy.
        if buffer.isEmpty && bytes.count >= capacity {
            let descriptor = self.descriptor
            if case .failure(let error) = Result(catching: { () throws(Errno) in try writeAll(descriptor, bytes) }), failure == nil { failure = error }
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { drain() }
    }

    /// Whether a write has failed (a closed pipe, a full disk): a long writer stops early.
    public var hasFailed: Bool { failure != nil }

    /// Writes out whatever is buffered, then throws the first write that failed since the output
    /// was made, if one did.
    public mutating func flush() throws(Errno) {
        drain()
        if let failure { throw failure }
    }

    private mutating func drain() {
        guard !buffer.isEmpty else { return }
        let descriptor = self.descriptor
        let result = buffer.withUnsafeBytes { bytes in Result { () throws(Errno) in try writeAll(descriptor, bytes) } }
        if case .failure(let error) = result, failure == nil { failure = error }
        buffer.removeAll(keepingCapacity: true)
    }
}
