import AnnalsPlatform
import Synchronization

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
        let output = StandardOutput()
        let console = Console(
            output: { output.write($0) },
            error: { writeToStream(StandardStream.error, $0) },
            errorIsTerminal: System.isTerminal(StandardStream.error))
        console.flushOutput = { output.flush() }
        console.writeOutputBytes = { output.write($0) }
        return console
    }()

    private var flushOutput: () -> Void = {}
    private var writeOutputBytes: ((UnsafeRawBufferPointer) -> Void)?

    /// Writes UTF-8 `bytes` as they are to standard output, without making a String of them
    /// when the output is the real one (a long export).
    public func write(bytes: UnsafeRawBufferPointer) {
        if let writeOutputBytes { writeOutputBytes(bytes) } else { writeOutput(String(decoding: bytes, as: UTF8.self)) }
    }

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

/// Standard output, collected into 64 KiB writes, so printing a long log costs few system calls.
private final class StandardOutput: Sendable {
    private let output = Mutex(BufferedOutput(standardStream: StandardStream.output, capacity: 1 << 16))

    func write(_ text: String) { output.withLock { $0.write(text) } }

    func write(_ bytes: UnsafeRawBufferPointer) {
        // One copy (the lock's closure must not capture a pointer), made a chunk at a time.
        let piece = Array(bytes)
        output.withLock { output in piece.withUnsafeBytes { output.write($0) } }
    }

    /// Writes out what is buffered; a reader that has gone (a closed pipe) is no error worth a message.
    func flush() { output.withLock { try? $0.flush() } }
}
