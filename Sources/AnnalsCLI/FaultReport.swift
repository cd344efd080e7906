import AnnalsPlatform

/// Turns a memory fault into the one-line report every other failure gets.
///
/// LMDB reads the store through a memory map and trusts the pages it finds there, so a damaged
/// page can send it through a wild pointer. `annals verify` checks the file without LMDB first
/// and names the damaged page; every other command relies on this last line of defence: a short
/// message and exit status 3 (the store is damaged) instead of a crash report.
///
/// Not installed when `SWIFT_BACKTRACE` is set, for whoever wants the runtime's backtrace.
public enum FaultReport {
    /// Installs the handler for SIGSEGV and SIGBUS (see ``FaultSignals``): the process ends
    /// with status 3 and the line below, nothing half-written flushed.
    public static func install() {
        guard System.environment("SWIFT_BACKTRACE") == nil else { return }
        FaultSignals.install(
            segmentationMessage: "annals: stopped by SIGSEGV (a memory fault) while using the store; its file is probably damaged: `annals verify` names where\n",
            busMessage: "annals: stopped by SIGBUS (a bus error) while using the store; its file is probably damaged or truncated: `annals verify` names where\n",
            status: StoreAccess.damagedStatus)
    }
}
