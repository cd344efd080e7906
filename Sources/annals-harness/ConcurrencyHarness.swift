import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser
import Foundation
import LMDB

/// A writer process: ingests small generated corpora, under its own id prefix, until the
/// deadline; prints `wrote <events>` at the end.
struct WriterRole: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "writer", abstract: "Ingest until a deadline (for the concurrency harness).")

    @Option var store: String
    @Option var name: String
    @Option var seconds: Double = 3

    func run() throws {
        let store = try TimelineStore(path: self.store)
        let deadline = Date().addingTimeInterval(seconds)
        let directory = try makeScratchDirectory("annals-writer-\(name)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var written = 0
        var chunk = 0
        while Date() < deadline {
            var options = CorpusGenerator.Options(facts: 60, seed: UInt64(chunk) &* 7919 &+ UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
            options.idPrefix = "\(name)-c\(chunk)-"
            options.actors = 50
            var generator = CorpusGenerator(options)
            var lines: [String] = []
            _ = generator.generate { lines.append($0) }
            let path = directory + "/chunk-\(chunk).jsonl"
            try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
            let report = try store.ingest(paths: [path], options: IngestOptions(eventsPerBatch: 25))
            written += report.eventsAppended
            chunk += 1
        }
        announce("wrote \(written)")
    }
}

/// A reader process: takes snapshots until the deadline and checks each: the head only grows,
/// the projections never claim more than the log holds, and the timeline read from them is
/// in order and refers only to versions the snapshot has. Prints `read <snapshots> <violations>`.
struct ReaderRole: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reader", abstract: "Check snapshots until a deadline (for the concurrency harness).")

    @Option var store: String
    @Option var seconds: Double = 3

    func run() throws {
        var options = TimelineStore.Options()
        options.readOnly = true
        var store: TimelineStore?
        let deadline = Date().addingTimeInterval(seconds)
        var snapshots = 0
        var violations: [String] = []
        var lastHead: UInt64 = 0
        while Date() < deadline {
            // The store may not exist yet, or its projections may not be built yet.
            if store == nil { store = try? TimelineStore(path: self.store, options: options) }
            guard let store else {
                usleep(10_000)
                continue
            }
            do {
                let head = try store.log.head()
                if head < lastHead { violations.append("the head went back from \(lastHead) to \(head)") }
                lastHead = max(lastHead, head)
                let result = try store.timeline(TimelineQuery(limit: 200))
                var previous: (Int64, Int64, UInt64)?
                for entry in result.entries {
                    let key = (entry.view.when.start, -entry.view.when.end, entry.view.firstPosition)
                    if let previous, previous > key { violations.append("the timeline is out of order at \(entry.view.id)") }
                    if entry.version > result.asOfPosition { violations.append("\(entry.view.id) is from after the snapshot") }
                    previous = key
                }
                snapshots += 1
            } catch ProjectionError.notBuilt {
                usleep(10_000)
            } catch {
                violations.append("\(error)")
            }
        }
        announce("read \(snapshots) \(violations.count)")
        for violation in violations.prefix(5) { announce("violation \(violation)") }
    }
}

/// Two writer and four reader processes on one store for a bounded time, one reader killed
/// part-way; then the checks.
struct ConcurrencyHarness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concurrency",
        abstract: "Run writers and readers in separate processes on one store and check the result.")

    @Option(help: "Seconds the writers and readers run.") var seconds: Double = 3
    @Option var writers: Int = 2
    @Option var readers: Int = 4
    @Option(help: ArgumentHelp("The store (default: a new one under $TMPDIR, removed afterwards).", valueName: "dir")) var store: String?

    func run() throws {
        let scratch = store == nil ? try makeScratchDirectory("annals-concurrency") : nil
        let path = store ?? (scratch ?? "") + "/store"
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        _ = try TimelineStore(path: path)  // created before the race
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        func start(_ arguments: [String]) throws -> (Process, LineCollector, errors: LineCollector) {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            let output = Pipe()
            let errorOutput = Pipe()
            process.standardOutput = output
            process.standardError = errorOutput
            let lines = LineCollector(output.fileHandleForReading)
            let errors = LineCollector(errorOutput.fileHandleForReading)
            try process.run()
            return (process, lines, errors)
        }
        /// A failed child's own last words, so a failure explains itself.
        func exitFailure(_ role: String, _ process: Process, _ errors: LineCollector) -> String {
            errors.wait()
            let said = errors.all.last { !$0.isEmpty }.map { ": \($0)" } ?? ""
            return "a \(role) exited with status \(process.terminationStatus)\(said)"
        }
        let writerProcesses = try (0..<writers).map { try start(["writer", "--store", path, "--name", "w\($0)", "--seconds", String(seconds)]) }
        let readerProcesses = try (0..<readers).map { _ in try start(["reader", "--store", path, "--seconds", String(seconds + 1)]) }

        // Kill one reader half-way, while it holds reader slots; a later open must clear them.
        usleep(UInt32(seconds * 500_000))
        var failures: [String] = []
        let victim = readerProcesses[0].0
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let observer = try Environment(path: path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        let cleared = observer.staleReadersCleared
        if cleared < 1 { failures.append("no stale reader slot was cleared after a reader was killed") }

        var written = 0
        for (process, lines, errors) in writerProcesses {
            process.waitUntilExit()
            lines.wait()
            if process.terminationStatus != 0 { failures.append(exitFailure("writer", process, errors)) }
            written += lines.all.compactMap { $0.hasPrefix("wrote ") ? Int($0.dropFirst(6)) : nil }.reduce(0, +)
        }
        var snapshots = 0
        for (process, lines, errors) in readerProcesses.dropFirst() {
            process.waitUntilExit()
            lines.wait()
            if process.terminationStatus != 0 { failures.append(exitFailure("reader", process, errors)) }
            for line in lines.all {
                let parts = line.split(separator: " ")
                if parts.first == "read", parts.count == 3 {
                    snapshots += Int(parts[1]) ?? 0
                    if parts[2] != "0" { failures.append("a reader saw \(parts[2]) violations") }
                }
                if parts.first == "violation" { failures.append(line) }
            }
        }
        let final = try TimelineStore(path: path)
        let head = try final.log.head()
        if head != UInt64(written) { failures.append("the log holds \(head) events; the writers appended \(written)") }
        let verification = try final.log.verify()
        if let problem = verification.problem { failures.append("verify: \(problem)") }
        try final.catchUp()
        for comparison in try final.projections.compareWithRebuild() where !comparison.isIdentical {
            failures.append("projection \(comparison.name) differs from a rebuild")
        }
        print("concurrency: \(writers) writers and \(readers) readers for \(seconds) s; \(written) events appended, head \(head), "
              + "\(snapshots) reader snapshots checked, 1 reader killed, \(cleared) stale reader slots cleared")
        print(failures.isEmpty ? "all checks passed" : "FAILURES:\n" + failures.joined(separator: "\n"))
        if !failures.isEmpty { throw ExitCode(1) }
    }
}
