import AnnalsDomain
import AnnalsLog
import AnnalsTimeline
import ArgumentParser

/// `annals changes --since POS|TIME [--until POS|TIME]`
struct ChangesCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "What changed in the timeline between two transaction times: facts added, refined, corrected or retracted, with the fields before and after.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Changes after this log position or time.", valueName: "position|time"))
    var since: String
    @Option(parsing: .unconditional, help: ArgumentHelp("…up to this position or time (default: now).", valueName: "position|time"))
    var until: String?
    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        try formatOptions.require([.table, .json, .jsonl])
        // Bad times are refused before the store is opened.
        let (since, until) = try span()
        let store = try StoreAccess.openForQuery(storeOptions)
        let changes = try store.changes(since: since, until: until)
        let console = Console.current
        switch formatOptions.format {
        case .json: console.line(Self.json(changes).serialized())
        case .jsonl: for change in changes.changes { console.line(Self.json(change, names: changes.actorNames).serialized()) }
        default:
            let count = changes.changes.count
            console.line("after position \(changes.since)\(try transactionTime(of: changes.since, in: store)) up to position \(changes.until)"
                + "\(try transactionTime(of: changes.until, in: store)) · \(count) \(count == 1 ? "change" : "changes")")
            guard count > 0 else { return }
            console.write(table(changes))
        }
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        let (since, until) = try span()
        return Self.json(try store.changes(since: since, until: until))
    }

    private func span() throws -> (since: AsOf, until: AsOf?) {
        guard let since = try parseAsOf(since, option: "--since") else { throw UsageFailure("--since needs a log position or a time") }
        return (since, try parseAsOf(until, option: "--until"))
    }

    /// One line per changed field (one for a fact added or retracted), with the articles behind it.
    private func table(_ changes: TimelineChanges) -> String {
        var rows = [["CHANGE", "FACT", "FIELD", "BEFORE", "AFTER", "BY"]]
        for change in changes.changes {
            let by = change.causes.map { "\($0.event.article) (\($0.position))" }.uniqued().joined(separator: ", ")
            let lines: [(String, String, String)] = switch change.kind {
            case .added: [("summary", "", change.after?.view.summary ?? "")]
            case .retracted: [("retracted", "", change.after?.view.retraction?.retraction.reason ?? "")]
            case .refined where change.fields.isEmpty: [("sources", "\(change.before?.view.sources.count ?? 0)", "\(change.after?.view.sources.count ?? 0)")]
            default: change.fields.map { ($0.name, Self.cell($0.before), Self.cell($0.after)) }
            }
            for (index, line) in lines.enumerated() {
                rows.append([index == 0 ? change.kind.rawValue : "", index == 0 ? change.fact : "", line.0, truncate(line.1, 40), truncate(line.2, 40),
                             index == 0 ? truncate(by, 60) : ""])
            }
        }
        return renderTable(rows)
    }

    /// What the article did to the fact, as `annals sources ARTICLE` says it.
    private static func action(_ event: FactEvent) -> String {
        switch event {
        case .asserted: "asserts"
        case .corrected: "corrects"
        case .retracted: "retracts"
        }
    }

    private static func cell(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .null: ""
        default: value.serialized()
        }
    }

    static func json(_ changes: TimelineChanges) -> JSONValue {
        .object([
            ("since", .integer(changes.since)), ("until", .integer(changes.until)),
            ("changes", .array(changes.changes.map { json($0, names: changes.actorNames) })),
        ])
    }

    /// `{"fact", "change", "fields": [{"field", "before", "after"}], "by": [{"article", "action", "position"}], "before", "after"}`,
    /// `before` and `after` the fact's versions as `annals fact --format json` shows them.
    static func json(_ change: TimelineChanges.Change, names: [String: String]) -> JSONValue {
        let version = { (version: FactVersion?) -> JSONValue in version.map { FactCommand.json($0, names) } ?? .null }
        return .object([
            ("fact", .string(change.fact)),
            ("change", .string(change.kind.rawValue)),
            ("fields", .array(change.fields.map { .object([("field", .string($0.name)), ("before", $0.before), ("after", $0.after)]) })),
            ("by", .array(change.causes.map { cause in
                .object([("article", .string(cause.event.article)), ("action", .string(action(cause.event))), ("position", .integer(cause.position))])
            })),
            ("before", version(change.before)),
            ("after", version(change.after)),
        ])
    }
}
