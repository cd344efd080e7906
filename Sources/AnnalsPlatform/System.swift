// The C library is imported in this module only: every system call Annals makes goes through
// its functions, which retry on EINTR and report failures as ``Errno`` values.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The C function by another name, for the method that shares it.
private func systemExit(_ status: Int32) -> Never { exit(status) }

/// A failed system call: the `errno` it left and what was being done.
public struct Errno: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `errno` value.
    public let code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The calling thread's current `errno`.
    public static var current: Errno { Errno(errno) }

    /// The system's message for the code: "No such file or directory".
    public var description: String { String(cString: strerror(code)) }

    public static let noSuchFile = Errno(ENOENT)
    public static let accessDenied = Errno(EACCES)
    public static let exists = Errno(EEXIST)
    public static let notDirectory = Errno(ENOTDIR)
    public static let isDirectory = Errno(EISDIR)
    public static let interrupted = Errno(EINTR)
    public static let noSpace = Errno(ENOSPC)
    public static let brokenPipe = Errno(EPIPE)
    public static let fileTooLarge = Errno(EFBIG)
    public static let quotaExceeded = Errno(EDQUOT)
    public static let inputOutput = Errno(EIO)
    public static let busy = Errno(EBUSY)
    public static let invalidArgument = Errno(EINVAL)
    public static let wouldBlock = Errno(EAGAIN)
    public static let tooManyLinks = Errno(ELOOP)
    public static let noSuchDeviceOrAddress = Errno(ENXIO)
    public static let notPermitted = Errno(EPERM)
    public static let addressInUse = Errno(EADDRINUSE)
    public static let addressNotAvailable = Errno(EADDRNOTAVAIL)

    /// Lets `catch Errno.noSuchFile` match.
    public static func ~= (errno: Errno, error: any Error) -> Bool { (error as? Errno) == errno }
}

/// Facts about the process and the machine.
public enum System {
    /// The size of a memory page in bytes.
    public static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The value of environment variable `name`, or `nil` when it is unset.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// `$TMPDIR` when set and not empty, else `/tmp`.
    public static var temporaryDirectory: String {
        environment("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    public static var processID: Int32 { getpid() }

    /// Ends the process with `status`, flushing the C library's streams and running its
    /// `atexit` handlers.
    public static func exit(_ status: Int32) -> Never {
        systemExit(status)
    }

    /// Lets SIGINT, SIGTERM, SIGHUP and SIGPIPE end the process as they normally do, even when
    /// the process that started this one left them blocked (its children inherit the mask):
    /// for commands that run until stopped.
    public static func allowTerminationSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Whether `descriptor` is a terminal.
    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// An identifier of the calling thread, comparable across calls.
    public static var currentThread: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }

    /// Seconds on a clock that never goes back, for measuring intervals.
    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Microseconds since 1970-01-01T00:00:00Z on the wall clock.
    public static func wallClockMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000
    }

    /// Sleeps for `duration`, resuming after signals.
    public static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
