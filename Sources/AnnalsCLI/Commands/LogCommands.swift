import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser
import LMDB

/// `annals log`: the raw log.
struct LogCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show the raw event log: position, recorded-at, type, id, summary.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Start after this position (default 0).", valueName: "position"), transform: ArgumentValue.position("--after"))
    var after: UInt64 = 0
    @Option(parsing: .unconditional, help: ArgumentHelp("Show at most this many events (default 100).", valueName: "n"), transform: ArgumentValue.positive("--limit"))
    var limit: Int = 100
    @OptionGroup var formatOptions: FormatOptions

    /// What a page of the log ended with.
    private struct Extent {
        /// The log's head when it was read.
        var head: UInt64 = 0
        /// The last position shown: where the next page starts after.
        var last: UInt64
        var hasMore = false
    }

    /// Calls `body` with each event of the page, in one read transaction.
    private func read(in store: TimelineStore, _ body: (EventView) -> Void) throws -> Extent {
        var extent = Extent(last: after)
        try store.environment.read { txn in
            extent.head = try store.log.head(in: txn)
            // Positions past the head do not exist yet: a query problem, like `--as-of` beyond it.
            guard after <= extent.head else { throw QueryFailure("--after \(after) is beyond the log's head (\(extent.head))") }
            var shown = 0
            try store.log.forEach(in: txn, positions: (after + 1)...UInt64.max) { event in
                // One event beyond the page tells whether more follow.
                guard shown < limit else {
                    extent.hasMore = true
                    return false
                }
                extent.last = event.position
                body(event)
                shown += 1
                return true
            }
        }
        return extent
    }

    func run() throws {
        try formatOptions.require([.table, .json, .jsonl])
        let store = try StoreAccess.openForReading(storeOptions)
        let console = Console.current
        switch formatOptions.format {
        case .json:
            console.line(try answer(in: store).serialized())
        case .jsonl:
            _ = try read(in: store) { console.line(DomainEventDescription.json($0).serialized()) }
        default:
            var rows = [["POS", "RECORDED AT", "TYPE", "ID", "SUMMARY"]]
            let extent = try read(in: store) { event in
                rows.append(["\(event.position)", event.recordedAt.description, event.type,
                             truncate(event.id, 48), truncate(DomainEventDescription.summary(event), 70)])
            }
            if rows.count > 1 { console.write(renderTable(rows, rightAligned: [0])) }
            else if extent.head == 0 { console.line("the log is empty") }
            else { console.line("no events after position \(after): it is the log's head") }
            if extent.hasMore { console.line("more follow (--after \(extent.last))") }
        }
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        var events: [JSONValue] = []
        let extent = try read(in: store) { events.append(DomainEventDescription.json($0)) }
        return .object([
            ("after", .integer(after)), ("limit", .integer(limit)), ("more", .bool(extent.hasMore)),
            ("next_after", extent.hasMore ? .integer(extent.last) : .null), ("events", .array(events)),
        ])
    }
}

/// `annals verify`: recompute the hash chain and the id index.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log's hash chain, positions and id index; with --projections, compare each projection with a fresh rebuild.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Also rebuild every projection from the log, outside the store, and compare it with the live one at its checkpoint.") var projections = false

    func run() throws {
        let console = Console.current
        // First the file's B-tree structure, read directly: LMDB itself trusts what it reads
        // and could be led astray by a damaged page.
        let structure: StructureCheck
        do {
            try EventLogError.requireStore(at: storeOptions.path)
            let env = try Environment(path: storeOptions.path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
            structure = try env.checkStructure()
        }
        if let problem = structure.problem {
            throw VerificationFailure(message: "the store's file is damaged: \(Self.describe(problem))")
        }
        // Only reads, even with --projections: each rebuild is made outside the store.
        let store = try StoreAccess.openForReading(storeOptions)
        let display = ProgressDisplay(label: "verifying")
        let report = try store.log.verify { display.update(done: Int($0), total: Int($1)) }
        display.finish()
        if let problem = report.problem {
            let intact = report.eventsChecked == 1 ? "1 event before it is intact" : "\(grouped(Int(report.eventsChecked))) events before it are intact"
            throw VerificationFailure(message: "the log is damaged at position \(problem.position): \(problem.reason) (\(intact))")
        }
        console.line("log intact: \(grouped(Int(report.eventsChecked))) events, head hash \(report.headHash) (\(grouped(structure.pagesChecked)) pages checked)")
        guard projections else { return }
        for comparison in try store.projections.compareWithRebuild() {
            if let difference = comparison.difference {
                throw VerificationFailure(message: "projection \(comparison.name) differs from a rebuild to position \(comparison.checkpoint): \(difference); run `annals replay --projection \(comparison.name)`")
            }
            console.line("projection \(comparison.name): identical to a fresh rebuild through position \(comparison.checkpoint)")
        }
    }

    /// A damaged page in terms a user can act on: which part of the store, and what to do.
    static func describe(_ problem: StructureCheck.Problem) -> String {
        let name = problem.database
        if name == EventLog.DatabaseName.records {
            let from = problem.firstKey.flatMap { $0.count == 8 ? $0.withUnsafeBytes { $0.bigEndianUInt64 } : nil }
            return "the log's page \(problem.page)\(from.map { " (positions from \($0))" } ?? "") is damaged: \(problem.reason); restore from a backup"
        }
        if let projection = ProjectionEngine.projection(owningDatabase: name) {
            return "projection \(projection)'s page \(problem.page) is damaged: \(problem.reason); the log is the truth, so rebuild it with `annals replay --projection \(projection)`"
        }
        return "\(problem); restore from a backup"
    }
}

struct VerificationFailure: CommandFailure {
    let message: String
    var description: String { message }
    var exitStatus: Int32 { 3 }
}

/// `annals stats`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show the size of the store, its log, its projections and each database.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        try formatOptions.require([.table, .json])
        let store = try StoreAccess.openForReading(storeOptions)
        let env = store.environment
        let info = env.info()
        let head = try store.log.head()
        let headHash = try store.log.headHash()
        var databases: [(String, DatabaseStatistics)] = []
        for name in try env.databaseNames() {
            let database = try env.openDatabase(name, create: false)
            databases.append((name, try env.read { try $0.statistics(of: database) }))
        }
        let status = try store.projections.status()
        let logBytes = databases.filter { [EventLog.DatabaseName.records, EventLog.DatabaseName.ids].contains($0.0) }
            .reduce(0) { $0 + $1.1.totalPages * $1.1.pageSize }
        let console = Console.current
        if formatOptions.format == .json {
            console.line(JSONValue.object([
                ("store", .string(env.path)), ("events", .integer(head)), ("head_hash", .string(headHash.description)),
                ("map_used_bytes", .integer(info.usedBytes)), ("map_size_bytes", .integer(info.mapSize)),
                ("log_bytes_per_event", head > 0 ? .integer(logBytes / Int(head)) : .null),
                ("databases", .array(databases.map { name, stats in
                    .object([("name", .string(name)), ("entries", .integer(stats.entries)), ("depth", .integer(stats.depth)),
                             ("pages", .integer(stats.totalPages)), ("bytes", .integer(stats.totalPages * stats.pageSize))])
                })),
                ("projections", .array(status.map { ProjectionsCommand.json($0, kind: ProjectionsCommand.kind(of: $0.name, in: store)) })),
            ]).serialized())
            return
        }
        console.line("store        \(TerminalText.visible(env.path))")
        console.line("events       \(grouped(Int(head))) (head hash \(headHash))")
        console.line("map          \(formatBytes(info.usedBytes)) used of \(formatBytes(info.mapSize))")
        if head > 0 { console.line("log          \(formatBytes(logBytes)), \(logBytes / Int(head)) bytes per event") }
        console.line("")
        var rows = [["DATABASE", "ENTRIES", "DEPTH", "PAGES", "SIZE"]]
        for (name, stats) in databases {
            rows.append([name, grouped(stats.entries), "\(stats.depth)", grouped(stats.totalPages), formatBytes(stats.totalPages * stats.pageSize)])
        }
        console.write(renderTable(rows, rightAligned: [1, 2, 3, 4]))
    }
}

/// `annals backup DIR`
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the store into a new directory, compacted, while it stays in use.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The directory to create; it must not hold a store already.", valueName: "dir"))
    var directory: String

    func validate() throws {
        if directory.isEmpty { throw ValidationError("annals backup needs a directory path, got \"\"") }
    }

    func run() throws {
        let store = try StoreAccess.openForReading(storeOptions)
        let head = try store.log.head()
        do throws(LMDBError) {
            try store.environment.copy(to: directory)
        } catch {
            guard error.code.rawValue == Errno.exists.code, let detail = error.detail else { throw error }
            throw StoreFailure("\(detail); choose an empty directory for the backup")
        }
        let copy = try Environment(path: directory, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        Console.current.line(TerminalText.visible("backed up \(grouped(Int(head))) events from \(store.path) to \(directory) (\(formatBytes(copy.info().usedBytes)))"))
    }
}
