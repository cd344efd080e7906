import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import AnnalsTimelineProjections
import ArgumentParser

/// Options shared by the timeline queries.
struct TimelineOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Facts whose dates overlap from the start of this date (2021, 2021-05, 2021-05-06).", valueName: "date"))
    var from: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("…to the end of this date.", valueName: "date"))
    var to: String?
    @Option(name: .customLong("as-of"), parsing: .unconditional,
            help: ArgumentHelp("Answer as the store stood at this log position or time (2021-06-10T12:00Z).", valueName: "position|time"))
    var asOf: String?
    @OptionGroup var pageOptions: PageOptions

    func query(actor: String? = nil, kind: FactKind? = nil) throws -> TimelineQuery {
        TimelineQuery(from: try parseDate(from, option: "--from"), to: try parseDate(to, option: "--to"), actor: actor, kind: kind,
                      asOf: try parseAsOf(asOf), limit: pageOptions.limit, offset: pageOptions.offset)
    }
}

/// `--limit` and `--offset`, for every listing.
struct PageOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Show at most this many (default 100).", valueName: "n"), transform: ArgumentValue.positive("--limit"))
    var limit: Int = 100
    @Option(parsing: .unconditional, help: ArgumentHelp("Skip this many first (default 0): the next page starts where the last said more follow.", valueName: "n"),
            transform: ArgumentValue.count("--offset"))
    var offset: Int = 0
}

extension FactKind: ExpressibleByArgument {}

/// A query `annals serve` also answers: `answer(in:)` is what `--format json` prints, so the
/// command line and the server give one document.
protocol AnsweredQuery: ParsableCommand {
    /// The query's answer as `--format json` prints it (docs/QUERIES.md).
    func answer(in store: TimelineStore) throws -> JSONValue
}

/// `annals timeline`
struct TimelineCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(
        commandName: "timeline", abstract: "Facts in the order they happened, along valid time, transaction time, or both.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var timelineOptions: TimelineOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Only facts involving this actor (id, name or alias).", valueName: "name")) var actor: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Only facts of this kind: \(FactKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"),
            transform: ArgumentValue.choice("--kind"))
    var kind: FactKind?
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if let actor { try requireName(actor, "--actor needs an actor's id, name or alias") }
    }

    var query: TimelineQuery {
        get throws { try timelineOptions.query(actor: actor, kind: kind) }
    }

    func run() throws {
        try formatOptions.require(OutputFormat.timelineFormats)
        let query = try query
        let store = try StoreAccess.openForQuery(storeOptions)
        if try TimelinePicture.render(query, format: formatOptions.format, store: store) { return }
        let result = try store.timeline(query)
        if formatOptions.format == .table {
            Console.current.line(try header(result, store: store))
        }
        TimelineRendering.render(result, format: formatOptions.format, console: Console.current)
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        TimelineRendering.json(try store.timeline(try query))
    }
}

/// "as of position 48 (recorded 2026-11-21T20:05:06.123456Z) · 23 facts"
func header(_ result: TimelineResult, store: TimelineStore) throws -> String {
    "as of position \(result.asOfPosition)\(try transactionTime(of: result.asOfPosition, in: store)) · \(result.page.describe("fact", "facts"))"
}

/// When position `position` was recorded, in words that, given back to `--as-of`, select it:
/// ` (recorded T)` for the last position of a batch, which T selects; for a position inside a
/// batch, whose time selects the whole batch, the batch it belongs to.
func transactionTime(of position: UInt64, in store: TimelineStore) throws -> String {
    guard position > 0, let event = try store.log.event(at: position) else { return "" }
    let recorded = event.recordedAt
    let last = try store.position(at: recorded)
    if last == position { return " (recorded \(recorded))" }
    let first = try store.position(at: Timestamp(microsecondsSinceEpoch: recorded.microsecondsSinceEpoch - 1)) + 1
    return " (inside the batch of positions \(first)–\(last), recorded \(recorded))"
}

/// `annals actor NAME`
struct ActorCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(commandName: "actor", abstract: "One actor's timeline, under any of its names.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The actor's id, name or an alias (\"Putin\", \"Vladimir Putin\").", valueName: "name")) var name: String
    @OptionGroup var timelineOptions: TimelineOptions
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        try requireName(name, "annals actor needs an actor's id, name or alias")
    }

    func run() throws {
        try formatOptions.require(OutputFormat.timelineFormats)
        let query = try timelineOptions.query(actor: name)
        let store = try StoreAccess.openForQuery(storeOptions)
        if try TimelinePicture.render(query, format: formatOptions.format, store: store, grouping: .role) { return }
        let result = try store.timeline(query)
        let console = Console.current
        if formatOptions.format == .table, let actor = result.actor {
            console.line(TerminalText.visible("\(actor.name) (\(actor.kind), id \(actor.id))\(actor.aliases.isEmpty ? "" : " — also \(actor.aliases.joined(separator: ", "))")"))
            console.line(try header(result, store: store))
        }
        TimelineRendering.render(result, format: formatOptions.format, roles: true, console: console)
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        TimelineRendering.json(try store.timeline(try timelineOptions.query(actor: name)))
    }
}

/// `annals actors`
struct ActorsCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(commandName: "actors", abstract: "The actor directory: every actor, its kind, names and facts.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(name: .customLong("as-of"), parsing: .unconditional,
            help: ArgumentHelp("List the actors as the store knew them at this position or time.", valueName: "position|time"))
    var asOf: String?
    @OptionGroup var pageOptions: PageOptions
    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        try formatOptions.require([.table, .json, .jsonl])
        // A bad --as-of is refused before the store is opened.
        let asOf = try parseAsOf(asOf)
        let store = try StoreAccess.openForQuery(storeOptions)
        let (actors, page) = try listing(in: store, asOf: asOf)
        let console = Console.current
        switch formatOptions.format {
        case .json: console.line(Self.json(actors, page: page).serialized())
        case .jsonl: for actor in actors { console.line(actor.json.serialized()) }
        default:
            guard !actors.isEmpty else { return console.line(page.offset == 0 ? "no actors" : page.describe("actor", "actors")) }
            var rows = [["ID", "NAME", "KIND", "FACTS", "ALSO KNOWN AS"]]
            for actor in actors {
                rows.append([actor.id, actor.name, actor.kind.rawValue, "\(actor.liveFacts)", truncate(actor.aliases.joined(separator: ", "), 60)])
            }
            console.write(renderTable(rows, rightAligned: [3]))
            if page.hasMore || page.offset > 0 { console.line(page.describe("actor", "actors")) }
        }
    }

    private func listing(in store: TimelineStore, asOf: AsOf?) throws -> (ArraySlice<ActorRecord>, Page) {
        Page.slice(try store.actors(asOf: asOf), offset: pageOptions.offset, limit: pageOptions.limit)
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        let (actors, page) = try listing(in: store, asOf: try parseAsOf(asOf))
        return Self.json(actors, page: page)
    }

    private static func json(_ actors: ArraySlice<ActorRecord>, page: Page) -> JSONValue {
        .object(page.jsonMembers + [("actors", .array(actors.map(\.json)))])
    }
}

/// `annals fact ID`
struct FactCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(
        commandName: "fact", abstract: "One fact with its sources; with --history, every version and the positions and times it held.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The fact's id.", valueName: "id")) var id: String
    @Flag(help: "Show every version of the fact in transaction time.") var history = false
    @Option(name: .customLong("as-of"), parsing: .unconditional, help: ArgumentHelp("Show the version current at this position or time.", valueName: "position|time"))
    var asOf: String?
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        try requireName(id, "annals fact needs a fact id")
        if history && asOf != nil { throw ValidationError("--history shows every version; it does not combine with --as-of") }
    }

    /// Every version, with --history; otherwise the one current at --as-of.
    private enum Found {
        case history([FactVersion])
        case version(FactVersion)
    }

    private func find(in store: TimelineStore, asOf: AsOf?) throws -> (Found, names: [String: String]) {
        let names = try store.actorNames(asOf: asOf)
        if history { return (.history(try store.history(ofFact: id)), names) }
        guard let version = try store.fact(id, asOf: asOf) else {
            let when = switch asOf {
            case .time(let time)?: "as of \(self.asOf ?? "") (position \(try store.position(at: time)))"
            case .position(let position)?: "as of position \(position)"
            case nil: "now"
            }
            let first = try store.history(ofFact: id).first.map { "; it was first asserted at position \($0.position)" } ?? ""
            throw QueryFailure("fact \(id) had not been asserted yet \(when)\(first)")
        }
        return (.version(version), names)
    }

    func run() throws {
        try formatOptions.require([.table, .json, .jsonl])
        // A bad --as-of is refused before the store is opened.
        let asOf = try parseAsOf(asOf)
        let store = try StoreAccess.openForQuery(storeOptions)
        let (found, names) = try find(in: store, asOf: asOf)
        let console = Console.current
        switch (found, formatOptions.format) {
        case (_, .json): console.line(Self.json(found, names).serialized())
        case (.history(let versions), .jsonl): for version in versions { console.line(Self.json(version, names).serialized()) }
        case (.version(let version), .jsonl): console.line(Self.json(version, names).serialized())
        case (.history(let versions), _): console.write(FactRendering.history(versions, names: names))
        case (.version(let version), _): console.write(FactRendering.detail(version, names: names))
        }
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        let (found, names) = try find(in: store, asOf: try parseAsOf(asOf))
        return Self.json(found, names)
    }

    private static func json(_ found: Found, _ names: [String: String]) -> JSONValue {
        switch found {
        case .history(let versions): .array(versions.map { json($0, names) })
        case .version(let version): json(version, names)
        }
    }

    /// A version as `annals fact --format json` prints it: the fact, then its version and recorded-at.
    static func json(_ version: FactVersion, _ names: [String: String]) -> JSONValue {
        guard case .object(var members) = version.view.json(actorNames: names) else { return .null }
        members.append(("version", .integer(version.position)))
        members.append(("until", version.until.map { .integer($0) } ?? .null))
        members.append(("recorded_at", .string(version.recordedAt.description)))
        return .object(members)
    }
}

/// `annals sources [ARTICLE]`
struct SourcesCommand: AnsweredQuery {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "The recorded articles in log order; with an article id, the facts it asserts, corrects and retracts.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("An article id.", valueName: "article")) var article: String?
    @OptionGroup var pageOptions: PageOptions
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if let article { try requireName(article, "annals sources needs an article id") }
    }

    /// The article with the facts it asserts, corrects and retracts.
    private func read(_ article: String, in store: TimelineStore) throws -> (ArticleSummary, [(fact: String, action: String, position: UInt64)]) {
        guard let found = try store.article(article) else {
            throw QueryFailure("no article has the id \(String(reflecting: article)); `annals sources` lists them")
        }
        return found
    }

    private func listing(in store: TimelineStore) throws -> (ArraySlice<(summary: ArticleSummary, assertions: Int)>, Page) {
        Page.slice(try store.articles(), offset: pageOptions.offset, limit: pageOptions.limit)
    }

    func run() throws {
        try formatOptions.require([.table, .json, .jsonl])
        let store = try StoreAccess.openForQuery(storeOptions)
        let console = Console.current
        if let article {
            let (summary, facts) = try read(article, in: store)
            switch formatOptions.format {
            case .table:
                console.line(TerminalText.visible(summary.title))
                console.line(TerminalText.visible("\(summary.publisher), \(summary.published) · id \(summary.id) · position \(summary.position)"))
                var rows = [["FACT", "ACTION", "POS"]]
                for fact in facts { rows.append([fact.fact, fact.action, "\(fact.position)"]) }
                console.write(renderTable(rows, rightAligned: [2]))
            default:
                console.line(Self.json(summary, facts: facts).serialized())
            }
            return
        }
        let (articles, page) = try listing(in: store)
        switch formatOptions.format {
        case .json: console.line(Self.json(articles, page: page).serialized())
        case .jsonl: for entry in articles { console.line(Self.json(entry.summary, facts: entry.assertions, list: nil).serialized()) }
        default:
            guard !articles.isEmpty else { return console.line(page.offset == 0 ? "no articles" : page.describe("article", "articles")) }
            var rows = [["POS", "PUBLISHED", "PUBLISHER", "ARTICLE", "FACTS", "TITLE"]]
            for entry in articles {
                let summary = entry.summary
                rows.append(["\(summary.position)", summary.published.description, truncate(summary.publisher, 24), summary.id, "\(entry.assertions)", truncate(summary.title, 60)])
            }
            console.write(renderTable(rows, rightAligned: [0, 4]))
            if page.hasMore || page.offset > 0 { console.line(page.describe("article", "articles")) }
        }
    }

    func answer(in store: TimelineStore) throws -> JSONValue {
        if let article {
            let (summary, facts) = try read(article, in: store)
            return Self.json(summary, facts: facts)
        }
        let (articles, page) = try listing(in: store)
        return Self.json(articles, page: page)
    }

    private static func json(_ articles: ArraySlice<(summary: ArticleSummary, assertions: Int)>, page: Page) -> JSONValue {
        .object(page.jsonMembers + [("articles", .array(articles.map { json($0.summary, facts: $0.assertions, list: nil) }))])
    }

    private static func json(_ summary: ArticleSummary, facts: [(fact: String, action: String, position: UInt64)]) -> JSONValue {
        json(summary, facts: facts.count { $0.action == "asserts" }, list: facts)
    }

    private static func json(_ summary: ArticleSummary, facts: Int, list: [(fact: String, action: String, position: UInt64)]?) -> JSONValue {
        var members = summary.jsonMembers + [("facts", .integer(facts))]
        if let list {
            members.append(("events", .array(list.map { .object([("fact", .string($0.fact)), ("action", .string($0.action)), ("position", .integer($0.position))]) })))
        }
        return .object(members)
    }
}
