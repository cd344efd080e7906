import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import AnnalsTimelineProjections
import ArgumentParser

/// `annals projection define|drop|show`: projections declared in a file, kept in the log.
struct ProjectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projection",
        abstract: "Declare a projection in a file, drop one, or show what one holds (docs/PROJECTIONS.md).",
        subcommands: [DefineProjection.self, DropProjection.self, ShowProjection.self])
}

/// `annals projection define FILE`
struct DefineProjection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "define",
        abstract: "Append a projection's definition to the log and build the projection.",
        discussion: """
            The same definition again appends nothing; a changed one under the same name is a \
            new version, rebuilt beside the old one and swapped in. A file with any problem \
            appends nothing and exits with status 65.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The projection file (YAML; see docs/PROJECTIONS.md).", valueName: "file")) var file: String

    func run() throws {
        let parsed = try ProjectionFile(path: file)
        let console = Console.current
        let outcome = try StoreAccess.openForWriting(storeOptions).define(parsed)
        let name = parsed.definition.name
        switch outcome {
        case .unchanged(let version):
            console.line("\(name): unchanged (version \(version)); nothing appended")
        case let .defined(version, position):
            // A store opened now registers the new version, and its catch-up builds it.
            let store = try StoreAccess.openForWriting(storeOptions)
            let progress = ProgressDisplay(label: "building \(name)")
            try store.catchUp { progress.update(done: Int($0), total: Int($1)) }
            progress.finish()
            let groups = try store.declaredResult(name).rows.count
            console.line("\(name): defined as version \(version) at position \(position); \(grouped(groups)) \(groups == 1 ? "group" : "groups")")
        }
    }
}

/// `annals projection drop NAME`
struct DropProjection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Append a drop of a declared projection to the log and discard its state.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The declared projection's name.", valueName: "name")) var name: String

    func run() throws {
        let position = try StoreAccess.openForWriting(storeOptions).dropDeclared(name)
        Console.current.line("\(name): dropped at position \(position)")
    }
}

/// `annals projection show NAME`
struct ShowProjection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Each group of a declared projection with its measures, now or as of an earlier moment.",
        discussion: """
            With --as-of, the projection is rebuilt from events 1 through that position, with \
            the definition it had then, in a scratch copy outside the store.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var formatOptions: FormatOptions
    @Argument(help: ArgumentHelp("The declared projection's name.", valueName: "name")) var name: String
    @Option(name: .customLong("as-of"), parsing: .unconditional,
            help: ArgumentHelp("A log position or a time: the projection as the store stood then.", valueName: "position|time"))
    var asOf: String?

    func run() throws {
        try formatOptions.require([.table, .json, .jsonl, .csv])
        let when = try parseAsOf(asOf)
        let store = try StoreAccess.openForQuery(storeOptions)
        let progress = ProgressDisplay(label: "rebuilding \(name) as of \(asOf ?? "now")")
        let console = Console.current
        var rendering = DeclaredRendering(format: formatOptions.format) { console.write(bytes: $0) }
        try store.readDeclared(name, asOf: when, progress: { progress.update(done: Int($0), total: Int($1)) }, into: &rendering)
        progress.finish()
        rendering.finish()
    }
}
