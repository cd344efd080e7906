#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turning a memory fault (SIGSEGV, SIGBUS) into a last message and an exit status.
public enum FaultSignals {
    /// Installs a handler for SIGSEGV and SIGBUS, on a stack of its own so that it runs even when
    /// the fault is a stack overflow, that writes `segmentationMessage` or `busMessage` to
    /// standard error and ends the process with `status`, flushing nothing.
    ///
    /// The messages are static strings in read-only memory, so the handler makes only
    /// async-signal-safe calls.
    public static func install(segmentationMessage: StaticString, busMessage: StaticString, status: Int32) {
        Self.messages = (segmentationMessage, busMessage, status)
        let size = 64 << 10
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)  // lives as long as the process
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = report
        #else
        action.__sigaction_u.__sa_handler = report
        #endif
        action.sa_flags = SA_ONSTACK
        sigemptyset(&action.sa_mask)
        sigaction(SIGSEGV, &action, nil)
        sigaction(SIGBUS, &action, nil)
    }

    /// Set once, before the handler is installed, and only read by it.
    nonisolated(unsafe) private static var messages: (StaticString, StaticString, Int32) = ("", "", 1)

    private static let report: @convention(c) (Int32) -> Void = { signal in
        let text = signal == SIGBUS ? messages.1 : messages.0
        _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
        _exit(messages.2)
    }
}
