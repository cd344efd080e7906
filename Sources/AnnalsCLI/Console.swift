#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where commands write: standard output for data, standard error for progress and messages.
///
/// Commands never call `print` directly, so tests can run them in-process and read exactly what
/// a user would see (``Console/capturing()``).
public final class Console: @unchecked Sendable {
    private let writeOutput: (String) -> Void
    private let writeError: (String) -> Void
    /// Whether standard error is a terminal, which decides if progress is shown.
    public let errorIsTerminal: Bool

    public init(output: @escaping (String) -> Void, error: @escaping (String) -> Void, errorIsTerminal: Bool) {
        writeOutput = output
        writeError = error
        self.errorIsTerminal = errorIsTerminal
    }

    /// Standard output (buffered; flushed by ``flush()``) and standard error (unbuffered).
    public static let standard: Console = {
        let output = BufferedFileWriter(fileDescriptor: STDOUT_FILENO)
        let console = Console(
            output: { output.write($0) },
            error: { writeAll(STDERR_FILENO, $0) },
            errorIsTerminal: isatty(STDERR_FILENO) == 1)
        console.flushOutput = { output.flush() }
        return console
    }()

    private var flushOutput: () -> Void = {}

    /// Writes out whatever standard output still buffers.
    public func flush() { flushOutput() }

    /// The console commands write to; tests bind their own with `Console.$current.withValue`.
    @TaskLocal public static var current: Console = .standard

    /// Writes `text` and a newline to standard output.
    public func line(_ text: String = "") { writeOutput(text + "\n") }
    /// Writes `text` as is to standard output.
    public func write(_ text: String) { writeOutput(text) }
    /// Writes `text` and a newline to standard error, as one line a terminal cannot be driven
    /// by: line breaks, escape sequences, bidi overrides and other hidden characters in it (a
    /// file name, a value from the command line or the store) appear as `<U+XXXX>`.
    public func message(_ text: String) { writeError(TerminalText.visible(text) + "\n") }
    /// Writes `text` as is to standard error (progress lines that redraw with `\r`).
    public func writeError(_ text: String) { writeError(text) }
}

/// Collects output into 64 KiB writes, so printing a long log costs few system calls.
private final class BufferedFileWriter: @unchecked Sendable {
    private let fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private let lock = NSLockLike()

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        lock.withLock {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 { drain() }
        }
    }

    func flush() { lock.withLock { drain() } }

    private func drain() {
        buffer.withUnsafeBytes { writeAll(fileDescriptor, $0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A pthread mutex, for the few places that need one without Foundation.
private final class NSLockLike: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
}

private func writeAll(_ fileDescriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { writeAll(fileDescriptor, UnsafeRawBufferPointer($0)) }
}

/// Writes every byte, retrying short writes; gives up quietly when the reader has gone (a closed pipe).
private func writeAll(_ fileDescriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        guard let base = bytes.baseAddress else { return }
        let written = Glibc.write(fileDescriptor, base + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}
