import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser

/// `annals replay`: rebuild projections from the log.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild projections from the log, beside the live version, and swap them in.",
        discussion: """
            With --to, the projection is rebuilt from events 1 through that position into a \
            scratch copy in the temporary directory and reported on. With --check, each live \
            projection is compared, entry by entry, with a rebuild to its checkpoint made the \
            same way. Both only read the store.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: ArgumentHelp("Only this projection (see `annals projections`).", valueName: "name")) var projection: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Replay events 1 through this position only, into a scratch copy outside the store.", valueName: "position"),
            transform: ArgumentValue.position("--to")) var to: UInt64?
    @Flag(help: "Compare each live projection with a fresh rebuild instead of replacing it.") var check = false

    func validate() throws {
        if check && to != nil { throw ValidationError("--check compares at the live checkpoint; it does not combine with --to") }
    }

    func run() throws {
        // --to and --check build their rebuilds outside the store, which they only read.
        let store = check || to != nil ? try StoreAccess.openForReading(storeOptions) : try StoreAccess.openForWriting(storeOptions)
        let console = Console.current
        let engine = store.projections
        let names = try projection.map { name -> [String] in
            guard engine.names.contains(name) else {
                if try engine.status().contains(where: { $0.name == name && $0.condition == .unregistered }) {
                    throw UsageFailure("""
                        the projection \(String(reflecting: name)) is in the store, but its code is not in this annals: \
                        the program that registers it (TimelineStore.Options.additionalProjections) rebuilds it with store.projections.rebuild(["\(name)"])
                        """)
                }
                throw UsageFailure("no projection is called \(String(reflecting: name)); registered: \(engine.names.joined(separator: ", "))")
            }
            return [name]
        } ?? engine.names
        if check {
            var failed = false
            for comparison in try engine.compareWithRebuild(names) {
                if let difference = comparison.difference {
                    failed = true
                    console.line("\(comparison.name): DIFFERS from a rebuild through position \(comparison.checkpoint): \(difference)")
                } else {
                    console.line("\(comparison.name): identical to a rebuild through position \(comparison.checkpoint)")
                }
            }
            if failed { throw VerificationFailure(message: "a projection differs from its rebuild; run `annals replay` to rebuild it") }
            return
        }
        let head = try store.log.head()
        if let to {
            guard to <= head else { throw UsageFailure("--to \(to) is beyond the log's head (\(head))") }
            var rows = [["PROJECTION", "THROUGH", "ENTRIES"]]
            for name in names {
                let display = ProgressDisplay(label: "replaying \(name)")
                let entries = try engine.scratchRebuildEntryCount(name, through: to) { display.update(done: Int($0), total: Int($1)) }
                display.finish()
                rows.append([name, "\(to)", grouped(entries)])
            }
            console.write(renderTable(rows, rightAligned: [1, 2]))
            console.line("the live projections were left as they were")
            return
        }
        var rows = [["PROJECTION", "EVENTS APPLIED", "THROUGH", "SECONDS", "EVENTS/S"]]
        for name in names {
            let display = ProgressDisplay(label: "replaying \(name)")
            let reports = try engine.rebuild([name]) { display.update(done: Int($0), total: Int($1)) }
            display.finish()
            for report in reports {
                let rate = report.seconds > 0 ? Int(Double(report.reached) / report.seconds) : 0
                rows.append([report.name, grouped(Int(report.eventsApplied)), "\(report.reached)", format3(report.seconds), grouped(rate)])
            }
        }
        console.write(renderTable(rows, rightAligned: [1, 2, 3, 4]))
    }
}

/// `annals projections`
struct ProjectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "projections", abstract: "Each projection's version, checkpoint, lag behind the log and size.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        try formatOptions.require([.table, .json])
        let store = try StoreAccess.openForReading(storeOptions)
        let status = try store.projections.status()
        let kind = { (name: String) in Self.kind(of: name, in: store) }
        let console = Console.current
        if formatOptions.format == .json {
            let entries = status.map { Self.json($0, kind: kind($0.name)) } + store.declared.problems.map { problem in
                JSONValue.object([("name", .string(problem.name)), ("kind", .string("declared")), ("state", .string("cannot run: \(problem.problem)"))])
            }
            console.line(JSONValue.array(entries).serialized())
            return
        }
        var rows = [["PROJECTION", "KIND", "VERSION", "CHECKPOINT", "LAG", "ENTRIES", "SIZE", "STATE"]]
        for projection in status {
            rows.append([projection.name, kind(projection.name), "\(projection.version)", "\(projection.checkpoint)", grouped(Int(projection.lag)),
                         grouped(projection.entries), formatBytes(projection.bytes), Self.describe(projection.condition)])
        }
        for problem in store.declared.problems {
            rows.append([problem.name, "declared", "", "", "", "", "", "cannot run: \(problem.problem)"])
        }
        console.write(renderTable(rows, rightAligned: [2, 3, 4, 5, 6]))
    }

    /// Who made the projection: `built-in`, `declared` (in a projection file) or `program`
    /// (registered by a program that embeds Annals).
    static func kind(of name: String, in store: TimelineStore) -> String {
        if TimelineStore.builtInProjectionNames.contains(name) { return "built-in" }
        return store.declared.projection(named: name) != nil ? "declared" : "program"
    }

    static func describe(_ condition: ProjectionStatus.Condition) -> String {
        switch condition {
        case .current: "current"
        case .behind: "behind (catches up on the next query)"
        case .stale(let stored): "stale: stored at version \(stored), rebuilt on the next query"
        case .rebuilding(let through): "rebuild interrupted at \(through); resumes on the next query"
        case .notBuilt: "not built"
        case .unregistered: "kept by the program that registers it: only that program catches it up or rebuilds it"
        }
    }

    static func json(_ status: ProjectionStatus, kind: String) -> JSONValue {
        .object([
            ("name", .string(status.name)), ("kind", .string(kind)), ("version", .integer(status.version)),
            ("stored_version", status.storedVersion.map { .integer($0) } ?? .null),
            ("checkpoint", .integer(status.checkpoint)), ("lag", .integer(status.lag)),
            ("entries", .integer(status.entries)), ("bytes", .integer(status.bytes)), ("state", .string(describe(status.condition))),
        ])
    }
}
