import AnnalsDomain
import AnnalsPlatform
import AnnalsTimeline
import Synchronization

/// A one-line progress display on standard error, redrawn at most ten times a second, with a
/// rate and an estimate of the time left. It shows only when standard error is a terminal and
/// the work is large enough to wait for; otherwise it stays silent.
final class ProgressDisplay: Sendable {
    private struct State {
        var started: Double?
        var lastDraw = 0.0
        var drew = false
    }

    private let label: String
    private let unit: String
    private let minimumTotal: Int
    private let console = Console.current
    private let state = Mutex(State())

    init(label: String, unit: String = "events", minimumTotal: Int = 5_000) {
        self.label = TerminalText.visible(label)
        self.unit = unit
        self.minimumTotal = minimumTotal
    }

    func update(done: Int, total: Int) {
        guard console.errorIsTerminal, total >= minimumTotal else { return }
        let now = System.monotonicSeconds()
        let line: String? = state.withLock { state in
            let started = state.started ?? now
            state.started = started
            guard now - state.lastDraw >= 0.1 || done >= total else { return nil }
            state.lastDraw = now
            state.drew = true
            let elapsed = max(now - started, 1e-6)
            let rate = Double(done) / elapsed
            let percent = total > 0 ? Double(done) * 100 / Double(total) : 100
            let remaining = rate > 0 ? Double(max(total - done, 0)) / rate : 0
            return "\r\(label): \(Int(percent))% (\(grouped(done))/\(grouped(total)) \(unit), \(grouped(Int(rate)))/s, ETA \(Self.duration(remaining)))\u{1B}[K"
        }
        if let line { console.writeError(line) }
    }

    /// Ends the display's line, if it drew one; a second call does nothing.
    func finish() {
        let ended = state.withLock { state in
            defer { state.drew = false }
            return state.drew
        }
        if ended { console.writeError("\n") }
    }

    private static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(pad(total / 60 % 60))m" : "\(total / 60):\(pad(total % 60))"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// `1234567` → `1,234,567`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return (value < 0 ? "-" : "") + result
}

/// The three progress lines of an ingest — validating, appending, projecting — each finished
/// when the next phase begins.
struct IngestProgress {
    private let validating = ProgressDisplay(label: "validating", unit: "bytes", minimumTotal: 4 << 20)
    private let appending = ProgressDisplay(label: "appending")
    private let projecting = ProgressDisplay(label: "projecting")

    func update(_ phase: IngestPhase) {
        switch phase {
        case let .validating(done, total): validating.update(done: done, total: total)
        case let .appending(done, total):
            validating.finish()
            appending.update(done: done, total: total)
        case let .projecting(done, total):
            appending.finish()
            projecting.update(done: Int(done), total: Int(total))
        case .committing, .committed:
            break
        }
    }

    func finish() {
        validating.finish()
        appending.finish()
        projecting.finish()
    }
}
