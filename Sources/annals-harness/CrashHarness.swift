import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser
import Foundation

/// The child of a crash trial: ingests a corpus in durable batches, then rebuilds every
/// projection, announcing each step on standard output so the parent can kill it at a chosen
/// moment and later check what it had acknowledged.
///
/// Lines: `phase ingest`, `begin <events>` (a batch is about to commit), `ack <first> <last>`
/// (it did, and is on disk), `phase catch-up`, `phase rebuild`, `done`.
struct CrashChild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crash-child", abstract: "Ingest and rebuild, announcing every commit (for the crash harness).")

    @Option var store: String
    @Option var corpus: String
    @Option var batch: Int = 40

    func run() throws {
        let store = try TimelineStore(path: self.store)
        announce("phase ingest")
        var catchingUp = false
        try store.ingest(paths: [corpus], options: IngestOptions(eventsPerBatch: batch, projectionEventsPerTransaction: 25)) { phase in
            switch phase {
            case .committing(let events): announce("begin \(events)")
            case let .committed(positions, _): announce("ack \(positions?.lowerBound ?? 0) \(positions?.upperBound ?? 0)")
            case .projecting where !catchingUp:
                catchingUp = true
                announce("phase catch-up")
            default: break
            }
        }
        announce("phase rebuild")
        try store.projections.rebuild(eventsPerTransaction: 200)
        announce("done")
    }
}

/// Writes a line and flushes it before going on: the parent relies on seeing every line that
/// was written before a kill.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The parent of the crash trials.
struct CrashHarness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "Kill ingesting, catching-up and rebuilding child processes with SIGKILL and check what survives.",
        discussion: """
            Each trial runs `annals-harness crash-child` on a fresh store, kills it with SIGKILL at a \
            random moment during appends, projection catch-up or a rebuild, reopens the store and \
            checks: every acknowledged event present, the batch in flight all there or not at all, \
            positions gapless and the hash chain valid, every projection equal to a fresh rebuild; \
            then resumes the ingest and checks the store is complete.
            """)

    @Option(help: "Trials to run.") var trials: Int = 25
    @Option(help: "Facts in the generated corpus.") var facts: Int = 300
    @Option(help: "Events per batch.") var batch: Int = 40
    @Option(help: "Seed of the corpus and of the kill times.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Scratch directory (default: a new one under $TMPDIR).", valueName: "dir")) var scratch: String?

    func run() throws {
        let directory = try scratch ?? makeScratchDirectory("annals-crash")
        let corpus = directory + "/corpus.jsonl"
        var generator = CorpusGenerator(.init(facts: facts, seed: seed))
        var lines: [String] = []
        _ = generator.generate { lines.append($0) }
        try lines.joined().write(toFile: corpus, atomically: true, encoding: .utf8)
        let expectedEvents = try referenceEventCount(corpus: corpus, directory: directory)

        var random = SplitMix(seed: seed)
        var report = CrashReport()
        for trial in 0..<trials {
            let phase = ["ingest", "catch-up", "rebuild"][trial % 3]
            let storePath = directory + "/trial-\(trial)"
            let outcome = try runTrial(store: storePath, corpus: corpus, killDuring: phase, random: &random)
            try check(outcome, store: storePath, corpus: corpus, expectedEvents: expectedEvents, report: &report, trial: trial)
            try? FileManager.default.removeItem(atPath: storePath)
        }
        try? FileManager.default.removeItem(atPath: directory)
        print(report.summary(trials: trials))
        if !report.failures.isEmpty { throw ExitCode(1) }
    }

    /// The events a complete ingest of `corpus` appends, from an uninterrupted run.
    private func referenceEventCount(corpus: String, directory: String) throws -> UInt64 {
        let path = directory + "/reference"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try TimelineStore(path: path)
        try store.ingest(paths: [corpus], options: IngestOptions(eventsPerBatch: batch))
        return try store.log.head()
    }

    struct TrialOutcome {
        var lines: [String]
        var killed: Bool
        var killedDuring: String
    }

    private func runTrial(store: String, corpus: String, killDuring phase: String, random: inout SplitMix) throws -> TrialOutcome {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        child.arguments = ["crash-child", "--store", store, "--corpus", corpus, "--batch", String(batch)]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        let lines = LineCollector(output.fileHandleForReading)
        try child.run()
        // Wait for the phase, then a random moment within it.
        let marker = "phase \(phase)"
        let deadline = Date().addingTimeInterval(60)
        while !lines.contains(marker) && child.isRunning && Date() < deadline { usleep(200) }
        let delay: UInt64 = switch phase {
        case "ingest": random.next() % 150_000
        case "catch-up": random.next() % 20_000
        default: random.next() % 60_000
        }
        usleep(UInt32(delay))
        var killed = false
        if child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            killed = true
        }
        child.waitUntilExit()
        lines.wait()
        return TrialOutcome(lines: lines.all, killed: killed && child.terminationReason == .uncaughtSignal, killedDuring: lines.lastPhase ?? phase)
    }

    private func check(_ outcome: TrialOutcome, store: String, corpus: String, expectedEvents: UInt64, report: inout CrashReport, trial: Int) throws {
        var acknowledged: UInt64 = 0
        var inFlight = 0
        for line in outcome.lines {
            let parts = line.split(separator: " ")
            if parts.first == "begin", parts.count == 2 { inFlight = Int(parts[1]) ?? 0 }
            if parts.first == "ack", parts.count == 3 {
                acknowledged = max(acknowledged, UInt64(parts[2]) ?? 0)
                inFlight = 0
            }
        }
        report.trials(outcome.killed ? outcome.killedDuring : "finished first")
        report.acknowledged += acknowledged
        func fail(_ message: String) { report.failures.append("trial \(trial) (killed during \(outcome.killedDuring)): \(message)") }

        let reopened = try TimelineStore(path: store)
        let head = try reopened.log.head()
        if head < acknowledged {
            fail("\(acknowledged - head) acknowledged events are missing (head \(head), acknowledged \(acknowledged))")
            report.lost += acknowledged - head
        }
        if head != acknowledged && head != acknowledged + UInt64(inFlight) {
            fail("head \(head) is neither the acknowledged \(acknowledged) nor that plus the whole batch in flight (\(inFlight)): a partial batch")
            report.partial += 1
        }
        let verification = try reopened.log.verify()
        if let problem = verification.problem { fail("verify: \(problem)") }
        try reopened.catchUp()
        for comparison in try reopened.projections.compareWithRebuild() where !comparison.isIdentical {
            fail("projection \(comparison.name) differs from a rebuild: \(comparison.difference ?? "")")
        }
        // The next run resumes: ingesting again completes the store without duplicates.
        try reopened.ingest(paths: [corpus], options: IngestOptions(eventsPerBatch: batch))
        let finalHead = try reopened.log.head()
        if finalHead != expectedEvents { fail("after resuming, the log holds \(finalHead) events instead of \(expectedEvents)") }
        if let problem = try reopened.log.verify().problem { fail("verify after resuming: \(problem)") }
        for comparison in try reopened.projections.compareWithRebuild() where !comparison.isIdentical {
            fail("after resuming, projection \(comparison.name) differs from a rebuild")
        }
    }
}

struct CrashReport {
    var byPhase: [String: Int] = [:]
    var acknowledged: UInt64 = 0
    var lost: UInt64 = 0
    var partial = 0
    var failures: [String] = []

    mutating func trials(_ phase: String) { byPhase[phase, default: 0] += 1 }

    func summary(trials: Int) -> String {
        var text = "crash trials: \(trials) (" + byPhase.sorted { $0.key < $1.key }.map { "killed during \($0.key): \($0.value)" }.joined(separator: ", ") + ")\n"
        text = text.replacingOccurrences(of: "killed during finished first", with: "finished before the kill")
        text += "acknowledged events: \(acknowledged), lost: \(lost), partial batches visible: \(partial)\n"
        text += failures.isEmpty ? "all checks passed" : "FAILURES:\n" + failures.joined(separator: "\n")
        return text
    }
}

/// Reads a child's standard output line by line on a background thread.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private let finished = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    lock.withLock { lines.append(line) }
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            finished.signal()
        }
    }

    func contains(_ line: String) -> Bool { lock.withLock { lines.contains(line) } }
    var all: [String] { lock.withLock { lines } }
    var lastPhase: String? { lock.withLock { lines.last { $0.hasPrefix("phase ") }.map { String($0.dropFirst(6)) } } }

    /// Waits until the child closed its output.
    func wait() { finished.wait() }
}

func makeScratchDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "/\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
