import AnnalsCLI
import AnnalsLog
import AnnalsTestSupport
import Foundation
import Synchronization
import Testing

/// `--as-of TIME`: a time given to a precision stands for the end of that precision, and every
/// time a command prints, given back, selects the position it was printed for.
@Suite struct AsOfTimeTests {
    let directory = TemporaryDirectory()

    /// A clock that reads `times` in turn, then stays at the last.
    final class ScriptedClock: Sendable {
        let stamps: [Timestamp]
        let next = Atomic(0)

        init(_ times: [String]) { stamps = times.compactMap { Timestamp(iso8601: $0) } }

        func now() -> Timestamp { stamps[min(next.add(1, ordering: .relaxed).oldValue, stamps.count - 1)] }
    }

    /// Runs `annals` with recorded-at times from `clock`.
    private func run(_ arguments: [String], clock: ScriptedClock) -> CLIResult {
        let output = Mutex("")
        let error = Mutex("")
        let console = Console(output: { text in output.withLock { $0 += text } }, error: { text in error.withLock { $0 += text } }, errorIsTerminal: false)
        let status = Console.$current.withValue(console) {
            AnnalsCommand.execute(["--store", directory.appending("store")] + arguments) { clock.now() }
        }
        return CLIResult(status: status, output: output.withLock { $0 }, error: error.withLock { $0 })
    }

    @Test func aTimeMeansTheWholeOfItsPrecision() {
        // The two seed articles commit 5 ms apart, within one second.
        let clock = ScriptedClock(["2026-12-03T07:04:02.180000Z", "2026-12-03T07:04:02.185000Z", "2026-12-03T07:04:02.190000Z"])
        #expect(run(["ingest", seedsDirectory], clock: clock).status == 0)
        func position(_ asOf: String) -> String {
            let result = run(["timeline", "--as-of", asOf, "--limit", "1"], clock: clock)
            return String(result.output.split(separator: "\n").first ?? "") + result.error
        }
        #expect(position("2026-12-03T07:04:02Z").hasPrefix("as of position 83 "))
        #expect(position("2026-12-03T07:04Z").hasPrefix("as of position 83 "))
        #expect(position("2026-12-03").hasPrefix("as of position 83 "))
        #expect(position("2026-12").hasPrefix("as of position 83 "))
        #expect(position("2026-12-03T07:04:02.185Z").hasPrefix("as of position 37 "))
        #expect(position("2026-12-03T07:04:02.18Z").hasPrefix("as of position 37 "))
        #expect(position("2026-12-03T07:04:02.1Z").hasPrefix("as of position 83 "))
        #expect(position("2026-12-03T07:04:02.184999Z").hasPrefix("as of position 0 "))
        #expect(position("2026-12-03T07:04:01Z").hasPrefix("as of position 0 "))
        #expect(position("2026-12-03T09:04:02.185+02:00").hasPrefix("as of position 37 "))
    }

    @Test func everyPrintedTimeSelectsThePositionItWasPrintedFor() throws {
        let clock = ScriptedClock(["2026-12-03T07:04:02.180000Z", "2026-12-03T07:04:02.185000Z", "2026-12-03T07:04:02.190000Z"])
        #expect(run(["ingest", seedsDirectory], clock: clock).status == 0)
        for asOf in ["37", "83"] {
            let header = String(run(["timeline", "--as-of", asOf, "--limit", "1"], clock: clock).output.split(separator: "\n").first ?? "")
            let recorded = try #require(header.firstMatch(of: /recorded ([0-9T:.Z-]+)/)).1
            let again = String(run(["timeline", "--as-of", String(recorded), "--limit", "1"], clock: clock).output.split(separator: "\n").first ?? "")
            #expect(again == header, "as of \(asOf): \(header) / \(again)")
        }
        // The log prints each event's recorded-at: given back, it selects the end of that event's batch.
        let log = run(["log", "--format", "jsonl", "--limit", "200"], clock: clock).output.split(separator: "\n")
        for line in log {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let recorded = try #require(event["recorded_at"] as? String)
            let position = try #require(event["position"] as? Int)
            let header = String(run(["timeline", "--as-of", recorded, "--limit", "1"], clock: clock).output.split(separator: "\n").first ?? "")
            #expect(header.hasPrefix("as of position \(position <= 37 ? 37 : 83) "), "\(recorded): \(header)")
        }
    }

    @Test func batchesCommittedInTheSameMicrosecondGetDistinctTimes() throws {
        // A clock that stands still (or goes back) still gives each batch a later time than the last.
        let clock = ScriptedClock(["2026-12-03T07:04:02.185000Z"])
        #expect(run(["ingest", seedsDirectory], clock: clock).status == 0)
        let log = run(["log", "--format", "jsonl", "--limit", "200"], clock: clock).output.split(separator: "\n")
        let stamps = try log.map { line -> String in
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(event["recorded_at"] as? String)
        }
        #expect(Set(stamps) == ["2026-12-03T07:04:02.185000Z", "2026-12-03T07:04:02.185001Z"])
        #expect(run(["timeline", "--as-of", "2026-12-03T07:04:02.185000Z", "--limit", "1"], clock: clock).output.hasPrefix("as of position 37 "))
    }

    @Test func aPositionInsideABatchSaysSoRatherThanPrintAnotherPositionsTime() {
        let clock = ScriptedClock(["2026-12-03T07:04:02.180000Z", "2026-12-03T07:04:02.185000Z", "2026-12-03T07:04:02.190000Z"])
        #expect(run(["ingest", seedsDirectory], clock: clock).status == 0)
        let header = String(run(["timeline", "--as-of", "30", "--limit", "1"], clock: clock).output.split(separator: "\n").first ?? "")
        #expect(header == "as of position 30 (inside the batch of positions 1–37, recorded 2026-12-03T07:04:02.185000Z) · 1 fact, more follow (--offset 1)")
    }
}
