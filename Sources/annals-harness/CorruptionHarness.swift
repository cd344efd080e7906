import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser
import Foundation
import LMDB

/// Flips single bits in copies of a real store's data file and runs `annals verify
/// --projections` on each: the store must either report a clear error, or — when verify passes
/// — hold exactly what it held before. Never a crash, a hang or a silently wrong answer.
/// `annals timeline` and `annals replay`, which trust the file, then run on the same copy: they
/// may answer, refuse or stop at a fault, but always end with one clear line.
struct CorruptionHarness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corruption",
        abstract: "Flip bytes in a store's data file and check that every flip is reported or harmless.")

    @Option(help: "Flips to try.") var flips: Int = 200
    @Option(help: "Facts in the generated corpus the store holds (beside the seeds).") var facts: Int = 400
    @Option var seed: UInt64 = 3
    @Option(help: ArgumentHelp("The annals binary (default: beside this one).", valueName: "path")) var annals: String?
    @Option(help: ArgumentHelp("Keep the damaged store of every failing flip here, as DIR/flip-N.", valueName: "dir"))
    var keepFailures: String?

    func run() throws {
        let directory = try makeScratchDirectory("annals-corruption")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        let annals = self.annals ?? here.deletingLastPathComponent().appendingPathComponent("annals").path

        // A pristine store: generated facts, projections caught up.
        let pristine = directory + "/pristine"
        var generator = CorpusGenerator(.init(facts: facts, seed: seed))
        var lines: [String] = []
        _ = generator.generate { lines.append($0) }
        try lines.joined().write(toFile: directory + "/corpus.jsonl", atomically: true, encoding: .utf8)
        do {
            // A fixed recorded-at time keeps the store's bytes, and so what a seed's flips hit,
            // nearly the same in every run (where pages land still varies a little with timing).
            var options = TimelineStore.Options()
            options.clock = { Timestamp(microsecondsSinceEpoch: 1_637_452_800_000_000) }
            let store = try TimelineStore(path: pristine, options: options)
            try store.ingest(paths: [directory + "/corpus.jsonl"], options: IngestOptions(eventsPerBatch: 50))
        }
        let layout = StructureCheck.check(pristine)
        if let problem = layout.problem { throw ValidationError("the pristine store is damaged: \(problem)") }
        let original = try Data(contentsOf: URL(fileURLWithPath: pristine + "/data.mdb"))
        let originalContents = try logicalDigest(pristine)

        // Bias the flips towards what matters most: log records, the id index, the meta pages.
        let byDatabase = Dictionary(grouping: layout.pages.keys.sorted()) { layout.pages[$0]?.database ?? "" }
        let logPages = byDatabase[EventLog.DatabaseName.records] ?? []
        let idPages = byDatabase[EventLog.DatabaseName.ids] ?? []
        let otherPages = layout.pages.keys.sorted().filter { ![EventLog.DatabaseName.records, EventLog.DatabaseName.ids].contains(layout.pages[$0]?.database ?? "") }
        let allPages = original.count / layout.pageSize

        var random = SplitMix(seed: seed)
        var tally = CorruptionTally()
        for trial in 0..<flips {
            let roll = random.next() % 100
            let page: Int = switch roll {
            case ..<40: logPages[Int(random.next() % UInt64(logPages.count))]
            case ..<60: idPages[Int(random.next() % UInt64(idPages.count))]
            case ..<70: Int(random.next() % 2)  // a meta page
            case ..<85: otherPages[Int(random.next() % UInt64(otherPages.count))]
            default: Int(random.next() % UInt64(allPages))  // anywhere, free pages included
            }
            let offset = page * layout.pageSize + Int(random.next() % UInt64(layout.pageSize))
            let bit = UInt8(1) << UInt8(random.next() % 8)
            let info = layout.pages[page]
            let isLogRecord = info.map { info in
                info.database == EventLog.DatabaseName.records && (info.isOverflow || (info.isLeaf && offset % layout.pageSize >= info.upper))
            } ?? false

            let store = directory + "/trial"
            try? FileManager.default.removeItem(atPath: store)
            try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
            var damaged = original
            damaged[offset] ^= bit
            try damaged.write(to: URL(fileURLWithPath: store + "/data.mdb"))

            let result = try run(annals, ["--store", store, "verify", "--projections"], timeout: 120)
            let what = "flip \(trial): byte \(offset) (page \(page), \(info?.database ?? "unused"))"
            let failuresBefore = tally.failures.count
            defer {
                // The file as damaged, before any command wrote to it.
                if let keep = keepFailures, tally.failures.count > failuresBefore {
                    let kept = keep + "/flip-\(trial)"
                    try? FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
                    try? damaged.write(to: URL(fileURLWithPath: kept + "/data.mdb"))
                }
            }
            switch result {
            case .hung: tally.failures.append("\(what): verify did not finish in 120 s")
            case .signalled(let signal): tally.failures.append("\(what): verify was killed by signal \(signal)")
            case let .exited(status, message):
                if message.hasPrefix("annals: stopped by SIG") {
                    tally.failures.append("\(what): verify faulted, so its structure check let damage through: \(message)")
                } else if status != 0 {
                    tally.reported += 1
                    if isLogRecord { tally.logRecordsReported += 1 }
                    if message.split(separator: "\n").count != 1 || !message.hasPrefix("annals: ") {
                        tally.failures.append("\(what): the report is not one line: \(message)")
                    }
                    tally.messages[Self.kind(of: message), default: 0] += 1
                } else if try logicalDigest(store) == originalContents {
                    tally.harmless += 1
                } else {
                    tally.undetected += 1
                    if isLogRecord { tally.logRecordsUndetected += 1 }
                    tally.failures.append("\(what): verify passed but the store's contents changed")
                }
            }
            if isLogRecord { tally.logRecords += 1 }

            // Commands that trust the file without checking it first may refuse it, or stop at
            // a fault with the one-line report, but never crash or hang.
            for command in [["timeline", "--format", "json"], ["replay"]] {
                let commandLine = "annals " + command.joined(separator: " ")
                switch try run(annals, ["--store", store] + command, timeout: 120) {
                case .hung: tally.failures.append("\(what): \(commandLine) did not finish in 120 s")
                case .signalled(let signal): tally.failures.append("\(what): \(commandLine) was killed by signal \(signal)")
                case .exited(0, _): tally.commandsAnswered += 1
                case let .exited(_, message):
                    if message.split(separator: "\n").count != 1 || !message.hasPrefix("annals: ") {
                        tally.failures.append("\(what): \(commandLine) failed without one clear line: \(message)")
                    } else if message.hasPrefix("annals: stopped by SIG") {
                        tally.commandsStoppedAtAFault += 1
                    } else {
                        tally.commandsRefused += 1
                    }
                }
            }
        }
        print(tally.summary(flips: flips))
        if !tally.failures.isEmpty { throw ExitCode(1) }
    }

    /// What a report says, without its particulars.
    static func kind(of message: String) -> String {
        if message.contains("the store's file is damaged") { return "the file's B-tree structure is damaged (page named)" }
        if message.contains("the log is damaged at position") { return "the log is damaged at a named position" }
        if message.contains("differs from a rebuild") { return "a projection differs from its rebuild" }
        if message.contains("projection's state") || message.contains("state for") { return "a projection's state is unreadable" }
        if message.contains("not an LMDB data file") || message.contains("MDB_") { return "LMDB refused the file" }
        return "other: " + String(message.prefix(80))
    }

    enum Outcome {
        case exited(Int32, String)
        case signalled(Int32)
        case hung
    }

    private func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return .hung
        }
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationReason == .uncaughtSignal { return .signalled(process.terminationStatus) }
        return .exited(process.terminationStatus, message)
    }

    /// A digest of everything the store holds, database by database, read through LMDB (safe:
    /// only called once the structure check inside verify has passed).
    private func logicalDigest(_ path: String) throws -> [String: UInt64] {
        let env = try Environment(path: path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        let names = try env.databaseNames()
        var digests: [String: UInt64] = [:]
        for name in names where name != ProjectionEngine.catalogDatabaseName && ProjectionEngine.projection(owningDatabase: name) == nil {
            // Projections are checked by verify --projections itself, against a rebuild.
            let database = try env.openDatabase(name, create: false)
            digests[name] = try env.read { txn in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                try txn.forEach(in: database) { entry in
                    for byte in entry.key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                    hash = (hash ^ 0xFF) &* 0x100_0000_01b3
                    for byte in entry.value { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                    return true
                }
                return hash
            }
        }
        return digests
    }
}

struct CorruptionTally {
    var reported = 0
    var harmless = 0
    var undetected = 0
    var logRecords = 0
    var logRecordsReported = 0
    var logRecordsUndetected = 0
    var messages: [String: Int] = [:]
    var commandsAnswered = 0
    var commandsRefused = 0
    var commandsStoppedAtAFault = 0
    var failures: [String] = []

    func summary(flips: Int) -> String {
        var text = "corruption: \(flips) single-bit flips; \(reported) reported, \(harmless) harmless (contents unchanged), \(undetected) undetected\n"
        text += "log-record flips: \(logRecords), reported \(logRecordsReported), undetected \(logRecordsUndetected)\n"
        text += "timeline and replay on each damaged file: \(commandsAnswered) answered, \(commandsRefused) refused with an error, "
        text += "\(commandsStoppedAtAFault) stopped at a memory fault with its one-line report\n"
        text += "reports by kind:\n" + messages.sorted { $0.value > $1.value }.map { "  \($0.value) × \($0.key)" }.joined(separator: "\n") + "\n"
        text += failures.isEmpty ? "all checks passed" : "FAILURES:\n" + failures.joined(separator: "\n")
        return text
    }
}
