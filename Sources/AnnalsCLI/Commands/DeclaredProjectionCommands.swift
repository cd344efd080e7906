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
        let result = try store.declaredResult(name, asOf: when) { progress.update(done: Int($0), total: Int($1)) }
        progress.finish()
        let console = Console.current
        switch formatOptions.format {
        case .json: console.line(DeclaredRendering.json(result).serialized())
        case .jsonl:
            for row in result.rows { console.line(DeclaredRendering.json(row, of: result.definition).serialized()) }
        case .csv: console.write(DeclaredRendering.csv(result))
        default:
            console.write(DeclaredRendering.table(result))
            console.line("\(grouped(result.rows.count)) \(result.rows.count == 1 ? "group" : "groups"), as of position \(result.position) (version \(result.version))")
        }
    }
}

/// How a declared projection's groups are shown: a table, JSON, JSON Lines or CSV, with the
/// same columns in the same order.
enum DeclaredRendering {
    /// The column names: each dimension, then each measure (`sum_ransom`).
    static func columns(_ definition: DeclaredDefinition) -> [String] {
        definition.groupBy.map(\.description) + definition.measures.map(key)
    }

    /// A measure's column: `count`, `sum_ransom`, `mean_duration_min` (a unit given makes it a
    /// column of its own).
    static func key(_ measure: DeclaredDefinition.Measure) -> String {
        measure.kind.rawValue + (measure.quantity.map { "_" + $0 } ?? "") + (measure.unit.map { "_" + $0.rawValue } ?? "")
    }

    static func table(_ result: DeclaredResult) -> String {
        let definition = result.definition
        var rows = [columns(definition).map { String($0.uppercased().map { $0 == "_" ? " " : $0 }) }]
        for row in result.rows {
            rows.append(row.group.map { $0 ?? "(none)" } + row.values.map(text))
        }
        let numeric = Set(definition.measures.indices.filter { definition.measures[$0].kind == .count }.map { $0 + definition.groupBy.count })
        return renderTable(rows, rightAligned: numeric)
    }

    static func csv(_ result: DeclaredResult) -> String {
        var text = columns(result.definition).map(csvCell).joined(separator: ",") + "\n"
        for row in result.rows {
            let cells = row.group.map { csvCell($0 ?? "") } + row.values.map { value -> String in
                if case .count(let count) = value { return "\(count)" }
                return csvCell(self.text(value))
            }
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    /// A value as one cell: `3`, `~4400000 USD; 75 BTC`, `2021-05-07`, `f1, f2 (+3 more)`.
    static func text(_ value: MeasureValue) -> String {
        switch value {
        case .count(let count): "\(count)"
        case .amounts(let amounts): amounts.map(\.display).joined(separator: "; ")
        case .date(let date): date ?? ".."
        case let .facts(ids, total): ids.joined(separator: ", ") + (total > ids.count ? " (+\(total - ids.count) more)" : "")
        }
    }

    static func json(_ result: DeclaredResult) -> JSONValue {
        .object([
            ("projection", .string(result.definition.name)), ("description", .optional(result.definition.description)),
            ("version", .integer(result.version)), ("as_of", .integer(result.position)),
            ("group_by", .array(result.definition.groupBy.map { .string($0.description) })),
            ("measures", .array(result.definition.measures.map { .string(key($0)) })),
            ("groups", .array(result.rows.map { json($0, of: result.definition) })),
        ])
    }

    static func json(_ row: DeclaredRow, of definition: DeclaredDefinition) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("group", .object(zip(definition.groupBy, row.group).map { ($0.description, .optional($1)) })),
        ]
        for (measure, value) in zip(definition.measures, row.values) {
            members.append((key(measure), json(value)))
        }
        return .object(members)
    }

    static func json(_ value: MeasureValue) -> JSONValue {
        switch value {
        case .count(let count): .integer(count)
        case .date(let date): .optional(date)
        case let .facts(ids, total): .object([("ids", .array(ids.map { .string($0) })), ("total", .integer(total))])
        case .amounts(let amounts):
            .array(amounts.map { amount in
                .object([
                    ("value", .number(amount.value)), ("unit", .string(amount.unit)), ("approximate", .bool(amount.isApproximate)),
                    ("rounded", .bool(amount.isRounded)), ("facts", .integer(amount.count)),
                ])
            })
        }
    }
}
