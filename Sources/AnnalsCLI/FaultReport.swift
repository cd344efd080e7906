#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a memory fault into the one-line report every other failure gets.
///
/// LMDB reads the store through a memory map and trusts the pages it finds there, so a damaged
/// page can send it through a wild pointer. `annals verify` checks the file without LMDB first
/// and names the damaged page; every other command relies on this last line of defence: a short
/// message and exit status 3 (the store is damaged) instead of a crash report.
///
/// Not installed when `SWIFT_BACKTRACE` is set, for whoever wants the runtime's backtrace.
public enum FaultReport {
    /// Installs the handler for SIGSEGV and SIGBUS, on a stack of its own so that it runs even
    /// when the fault is a stack overflow.
    public static func install() {
        guard getenv("SWIFT_BACKTRACE") == nil else { return }
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

    /// Only async-signal-safe calls: the text is a literal in read-only memory, written with
    /// `write(2)`, and the process ends with `_exit(2)` (nothing half-written gets flushed).
    private static let report: @convention(c) (Int32) -> Void = { signal in
        let text: StaticString = signal == SIGBUS
            ? "annals: stopped by SIGBUS (a bus error) while using the store; its file is probably damaged or truncated: `annals verify` names where\n"
            : "annals: stopped by SIGSEGV (a memory fault) while using the store; its file is probably damaged: `annals verify` names where\n"
        _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
        _exit(3)
    }
}
