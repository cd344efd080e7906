import AnnalsDomain
import AnnalsLog
import AnnalsNATS
import AnnalsPlatform
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser

/// `annals ingest PATH…`
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Validate fact files and JSON Lines inputs, then append their events.",
        discussion: """
            Everything is checked before anything is written; the first problem is reported with \
            its file, line and field, and the store is left as it was. Ingesting the same input \
            again appends nothing. See docs/INPUT.md for the formats.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("Fact files (.yaml), JSON Lines files (.jsonl), article texts (.txt) or directories.", valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Check everything and report what would be appended, without writing.")
    var dryRun = false

    @Flag(help: "Skip the flush at each commit and flush once at the end (safe against a process crash, not a power loss).")
    var bulk = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Events per write transaction (whole articles); default one article, or 10,000 events with --bulk.", valueName: "events"),
            transform: ArgumentValue.positive("--batch", "a positive number of events"))
    var batch: Int?

    @Option(help: ArgumentHelp("Publish the events to a NATS JetStream stream instead, after checking them against this store, a replica of it; see docs/SCALE-OUT.md.",
                               valueName: "nats://host:port[,host:port…]"))
    var via: String?

    @Option(help: ArgumentHelp("With --via: the stream's name.", valueName: "name"))
    var stream = StreamNames.standard

    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or directory to ingest") }
        if paths.contains("") { throw ValidationError("annals ingest needs paths of files or directories, got \"\"") }
        if let via {
            _ = try parseServers(via, "--via")
            try checkStreamName(stream)
            if dryRun || bulk || batch != nil { throw ValidationError("--via publishes each event as it goes; --dry-run, --bulk and --batch are for a local ingest") }
        }
    }

    func run() throws {
        try formatOptions.require([.table, .json])
        if let via { return try ingest(via: try parseServers(via, "--via")) }
        // A dry run against a path with no store checks the input against an empty store,
        // made and removed here, so that it leaves nothing behind.
        var scratch: String?
        var options = storeOptions
        // (Only when nothing is there: a --store that names a file is reported, not replaced.)
        if dryRun && Self.nothingAt(storeOptions.path + "/data.mdb") {
            do throws(Errno) {
                scratch = try FileSystem.makeTemporaryDirectory(label: "annals-dry-run")
            } catch {
                throw UsageFailure("cannot create a scratch directory for the dry run: \(error)")
            }
            options.store = scratch
        }
        defer { if let scratch { FileSystem.removeTree(scratch) } }
        let store = try StoreAccess.openForWriting(options, durability: bulk ? .bulk : .durable)
        let progress = IngestProgress()
        let report = try StoreAccess.ingesting(into: store) {
            try store.ingest(paths: paths, options: IngestOptions(dryRun: dryRun, eventsPerBatch: batch)) { progress.update($0) }
        }
        progress.finish()
        let console = Console.current
        if formatOptions.format == .json {
            console.line(json(report).serialized())
            return
        }
        let records = report.records
        let verb = report.dryRun ? "would append" : "appended"
        console.line("read \(records.articles) articles, \(records.facts) facts, \(records.corrections) corrections, \(records.retractions) retractions (\(formatBytes(report.inputBytes)))")
        if report.eventsAppended == 0 {
            console.line(report.dryRun ? "nothing new: every record is already in the store" : "nothing new: the store already holds every record (\(report.unchanged) unchanged)")
        } else {
            var line = "\(verb) \(grouped(report.eventsAppended)) events"
            if let positions = report.positions { line += " at positions \(positions.lowerBound)–\(positions.upperBound)" }
            if report.unchanged > 0 { line += "; \(report.unchanged) records unchanged" }
            console.line(line)
            if !report.dryRun {
                let types = report.appendedByType.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                console.line("  \(types)")
                console.line("  \(report.batches) batches in \(String(format3(report.seconds))) s, \(grouped(Int(report.eventsPerSecond))) events/s")
            }
        }
    }

    /// Whether `path` names nothing, as opposed to something that exists or is out of reach
    /// (a problem that opening the store reports).
    private static func nothingAt(_ path: String) -> Bool {
        do throws(Errno) {
            try FileSystem.check(path, may: .exists)
            return false
        } catch {
            return error == .noSuchFile
        }
    }

    private func json(_ report: IngestReport) -> JSONValue {
        .object([
            ("dry_run", .bool(report.dryRun)),
            ("articles", .integer(report.records.articles)), ("facts", .integer(report.records.facts)),
            ("corrections", .integer(report.records.corrections)), ("retractions", .integer(report.records.retractions)),
            ("unchanged", .integer(report.unchanged)), ("events_appended", .integer(report.eventsAppended)),
            ("appended_by_type", .object(report.appendedByType.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("first_position", report.positions.map { .integer($0.lowerBound) } ?? .null),
            ("last_position", report.positions.map { .integer($0.upperBound) } ?? .null),
            ("batches", .integer(report.batches)), ("seconds", .number(format3(report.seconds))),
            ("events_per_second", .integer(Int(report.eventsPerSecond))), ("input_bytes", .integer(report.inputBytes)),
            ("validate_seconds", .number(format3(report.validateSeconds))), ("append_seconds", .number(format3(report.appendSeconds))),
            ("project_seconds", .number(format3(report.projectSeconds))),
        ])
    }
}

/// A number with three decimals: `1.235`.
func format3(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}

extension IngestCommand {
    /// `--via`: validate against the store, a replica of the stream, and publish to the stream.
    private func ingest(via servers: NATSServers) throws {
        let store = try StoreAccess.openForWriting(storeOptions)
        let notes = RetryNotes()
        let report = try StreamWriter(store: store, servers: servers, stream: stream).ingest(paths: paths, retrying: notes.note)
        let console = Console.current
        if formatOptions.format == .json {
            console.line(JSONValue.object([
                ("events_published", .integer(report.published)), ("conflicts", .integer(report.conflicts)),
                ("head", .integer(Int(report.head))), ("stream", .string(stream)),
            ]).serialized())
            return
        }
        let retried = report.conflicts == 0 ? "" : " (planned again \(report.conflicts == 1 ? "once" : "\(report.conflicts) times") after another writer published first)"
        console.line(report.published == 0
            ? "nothing new: stream \(stream) already holds every record; the replica's head is \(report.head)"
            : "published \(grouped(report.published)) events to stream \(stream)\(retried); the replica's head is \(report.head)")
    }
}
