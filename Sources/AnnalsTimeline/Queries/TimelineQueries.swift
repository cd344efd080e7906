import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimelineProjections
import LMDB

/// A point in transaction time to answer "what did the store know then?".
public enum AsOf: Sendable, Hashable {
    /// After the event at this log position.
    case position(UInt64)
    /// After every event recorded at or before this time.
    case time(Timestamp)
}

/// A timeline question along valid time, transaction time, or both.
public struct TimelineQuery: Sendable, Hashable {
    /// Facts whose date range overlaps from the start of `from`…
    public var from: ValidTime?
    /// …to the end of `to` (inclusive of the whole of `to`: `--to 2021-05` includes May 31).
    public var to: ValidTime?
    /// Only facts involving this actor (an id, a name or an alias).
    public var actor: String?
    public var kind: FactKind?
    /// Answer as the store stood then; `nil` for now.
    public var asOf: AsOf?
    /// At most this many entries, in timeline order…
    public var limit: Int
    /// …after skipping this many: page `n` of size `limit` starts at `n × limit`.
    public var offset: Int

    public init(from: ValidTime? = nil, to: ValidTime? = nil, actor: String? = nil, kind: FactKind? = nil, asOf: AsOf? = nil,
                limit: Int = 100, offset: Int = 0) {
        self.from = from
        self.to = to
        self.actor = actor
        self.kind = kind
        self.asOf = asOf
        self.limit = limit
        self.offset = offset
    }
}

extension TimelineQuery {
    /// The valid-time window the query asks about, in seconds (start inclusive, end exclusive),
    /// once its page and period are known to make sense.
    func validWindow() throws(QueryError) -> (start: Int64, end: Int64) {
        guard limit > 0 else { throw QueryError.invalidLimit(limit) }
        guard offset >= 0 else { throw QueryError.invalidOffset(offset) }
        let start = from?.start ?? .min
        let end = to?.end ?? .max
        if let from, let to, end <= start { throw QueryError.emptyPeriod(from: from.description, to: to.description) }
        return (start, end)
    }
}

/// One fact as a timeline shows it: the version current at the query's transaction time.
public struct TimelineEntry: Sendable, Hashable {
    public let view: FactView
    /// The position at which this version became current.
    public let version: UInt64
    public let recordedAt: Timestamp
    /// The queried actor's roles in the fact (actor timelines only).
    public let roles: [ActorRole]
}

/// The answer to a ``TimelineQuery``.
public struct TimelineResult: Sendable, Hashable {
    public let entries: [TimelineEntry]
    /// How many matching entries come before ``entries`` (the query's offset).
    public let offset: Int
    /// The most entries the query asked for.
    public let limit: Int
    /// Whether more matching entries follow the page: ask again with `offset + entries.count`.
    public let hasMore: Bool
    /// The transaction time the answer is for, as a log position.
    public let asOfPosition: UInt64
    /// The actor the query was about, resolved from the name given.
    public let actor: ActorRecord?
    /// The display names of the actors the entries involve, by id.
    public let actorNames: [String: String]
}

/// One version of a fact and the transaction-time interval in which it was current.
public struct FactVersion: Sendable, Hashable {
    /// The position at which the version became current.
    public let position: UInt64
    public let recordedAt: Timestamp
    /// The position at which the next version replaced it; `nil` while current.
    public let until: UInt64?
    public let view: FactView
}

/// A question the store cannot answer as asked.
public enum QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownActor(String)
    /// The name was recorded only after the position asked about.
    case actorNamedLater(String, asOf: UInt64, recordedAt: UInt64)
    case unknownFact(String)
    case positionBeyondHead(UInt64, head: UInt64)
    case invalidLimit(Int)
    case invalidOffset(Int)
    case emptyPeriod(from: String, to: String)
    /// A span of transaction time that ends before it starts.
    case sinceAfterUntil(since: UInt64, until: UInt64)

    public var description: String {
        switch self {
        case .unknownActor(let name): "no actor is called \(String(reflecting: name))"
        case let .actorNamedLater(name, asOf, recordedAt):
            "no actor was called \(String(reflecting: name)) as of position \(asOf): the name was first recorded at position \(recordedAt)"
        case .unknownFact(let id): "no fact has the id \(String(reflecting: id))"
        case let .positionBeyondHead(position, head): "position \(position) is beyond the log's head (\(head))"
        case .invalidLimit(let limit): "a limit of \(limit) is not positive"
        case .invalidOffset(let offset): "an offset of \(offset) is negative"
        case let .emptyPeriod(from, to): "the period from \(from) to \(to) is empty: it ends before it starts"
        case let .sinceAfterUntil(since, until): "the span from position \(since) to position \(until) runs backward: it must start no later than it ends"
        }
    }
}

/// A page of a timeline read in place: each fact's row as the store holds it, valid only inside
/// the closure given to ``TimelineStore/readTimeline(_:_:)``.
public struct TimelinePage {
    /// One fact of the page, and the queried actor's roles in it (actor timelines only).
    public struct Row {
        public let fact: FactRowView
        public let roles: [ActorRole]
    }

    public let rows: [Row]
    /// The transaction time the page is for, as a log position.
    public let asOfPosition: UInt64
    /// How many matching facts come before the page.
    public let offset: Int
    /// Whether more matching facts follow the page.
    public let hasMore: Bool
    /// The actor the query was about, resolved from the name given.
    public let actor: ActorRecord?
}

extension TimelineStore {
    /// Facts in timeline order, optionally limited to a period of valid time, an actor and a
    /// kind, as the store knew them at a moment of transaction time — read in place: `body` gets
    /// each fact's stored row without a copy, at the cost of one read per fact. The rows are
    /// valid only inside `body`.
    public func readTimeline<R>(_ query: TimelineQuery, _ body: (TimelinePage) throws -> R) throws -> R {
        try environment.read { txn in try readTimeline(query, states: try states(in: txn), txn: txn, body) }
    }

    /// ``readTimeline(_:_:)`` in a transaction the caller holds.
    private func readTimeline<R>(_ query: TimelineQuery, states: ProjectionStates, txn: borrowing Transaction, _ body: (TimelinePage) throws -> R) throws -> R {
        let (windowStart, windowEnd) = try query.validWindow()
        // One entry beyond the page tells whether more follow.
        let (wanted, overflow) = query.offset.addingReportingOverflow(query.limit)
        let fetch = overflow ? Int.max : wanted.addingReportingOverflow(1).overflow ? Int.max : wanted + 1
        let asOf = try resolve(query.asOf, states: states, txn: txn)
        let actor = try query.actor.map { try queryActor($0, asOf: asOf, states: states, txn: txn) }
        let reader = TimelineProjection.Reader(states.timeline)
        let hits = try reader.page(actor: actor?.id, windowStart: windowStart, windowEnd: windowEnd, asOf: asOf,
                                   asOfIsPresent: asOf >= states.appliedThrough, kind: query.kind, count: fetch, txn: txn)
        let rows = try reader.rows(of: hits.dropFirst(query.offset).prefix(query.limit), asOf: asOf, txn: txn).map { hit, row in
            TimelinePage.Row(fact: row, roles: actor == nil ? [] : Self.roles(hit.roles))
        }
        let page = TimelinePage(rows: rows, asOfPosition: asOf, offset: query.offset, hasMore: hits.count - query.offset > query.limit, actor: actor)
        return try body(page)
    }

    /// Facts in timeline order, optionally limited to a period of valid time, an actor and a
    /// kind, as the store knew them at a moment of transaction time, each with its sources,
    /// corrections and retraction. Answered from indexes; the sources are read from the log.
    public func timeline(_ query: TimelineQuery) throws -> TimelineResult {
        try environment.read { txn in
            let states = try self.states(in: txn)
            let reader = TimelineProjection.Reader(states.timeline)
            return try readTimeline(query, states: states, txn: txn) { page in
                let entries = try page.rows.map { row in
                    guard let full = try reader.latestRow(firstPosition: row.fact.firstPosition, asOf: row.fact.position, txn: txn) else {
                        throw ProjectionError.damagedState(projection: "timeline", what: "the fact first asserted at position \(row.fact.firstPosition)")
                    }
                    let view = FactView(row: full, events: try factEvents(firstPosition: full.firstPosition, through: full.position, reader: reader, txn: txn))
                    return TimelineEntry(view: view, version: full.position, recordedAt: full.recordedAt, roles: row.roles)
                }
                var actorNames: [String: String] = [:]
                for entry in entries {
                    for involvement in entry.view.actors where actorNames[involvement.actor] == nil {
                        actorNames[involvement.actor] = try actorRecord(involvement.actor, asOf: page.asOfPosition, states: states, txn: txn)?.name
                    }
                }
                return TimelineResult(entries: entries, offset: page.offset, limit: query.limit, hasMore: page.hasMore,
                                      asOfPosition: page.asOfPosition, actor: page.actor, actorNames: actorNames)
            }
        }
    }

    /// The roles a bit mask of an actor's index entry holds.
    static func roles(_ mask: UInt16) -> [ActorRole] {
        ActorRole.allCases.enumerated().filter { mask & (1 << UInt16($0.offset)) != 0 }.map(\.element)
    }

    /// The events of the fact first asserted at `firstPosition`, up to position `through`, read
    /// from the log: each of its versions is one event.
    func factEvents(firstPosition: UInt64, through position: UInt64, reader: TimelineProjection.Reader, txn: borrowing Transaction) throws -> [(position: UInt64, event: FactEvent)] {
        try factEvents(of: reader.rows(firstPosition: firstPosition, txn: txn).filter { $0.position <= position }, txn: txn)
    }

    /// The events that made `rows`, versions of one fact, read from the log.
    func factEvents(of rows: [FactRow], txn: borrowing Transaction) throws -> [(position: UInt64, event: FactEvent)] {
        var events: [(position: UInt64, event: FactEvent)] = []
        for row in rows {
            guard let view = try log.view(at: row.position, in: txn), let event = try FactEvent(view) else {
                throw ProjectionError.damagedState(projection: "timeline", what: "fact \(row.id): position \(row.position) is not one of its events")
            }
            events.append((row.position, event))
        }
        return events
    }

    /// The log position a query's transaction time stands for, capped at what the projections have applied.
    func resolve(_ asOf: AsOf?, states: ProjectionStates, txn: borrowing Transaction) throws -> UInt64 {
        switch asOf {
        case nil:
            return states.appliedThrough
        case .position(let position):
            guard position <= states.head else { throw QueryError.positionBeyondHead(position, head: states.head) }
            return min(position, states.appliedThrough)
        case .time(let time):
            return min(try position(at: time, in: txn), states.appliedThrough)
        }
    }

    /// The last position recorded at or before `time` (0 when the log began later).
    public func position(at time: Timestamp) throws -> UInt64 {
        try environment.read { txn in try position(at: time, in: txn) }
    }

    func position(at time: Timestamp, in txn: borrowing Transaction) throws -> UInt64 {
        // Recorded-at never decreases along the log, so binary search finds the boundary.
        var low: UInt64 = 0
        var high = try log.head(in: txn)
        while low < high {
            let middle = low + (high - low + 1) / 2
            guard let view = try log.view(at: middle, in: txn) else { break }
            if view.recordedAt <= time { low = middle } else { high = middle - 1 }
        }
        return low
    }

    // MARK: Actors

    /// The actor with this id, name or alias (matched in any case and Unicode form, extra
    /// whitespace ignored), as the store knew it at `asOf` (now when `nil`): a name recorded
    /// later does not resolve, and only the aliases recorded by then are listed.
    public func actor(named name: String, asOf: AsOf? = nil) throws -> ActorRecord? {
        try environment.read { txn in
            let states = try states(in: txn)
            return try resolveActor(name, asOf: try resolve(asOf, states: states, txn: txn), states: states, txn: txn)
        }
    }

    /// The actor a query names, as of `position`; an error naming what is wrong when there is none.
    func queryActor(_ name: String, asOf position: UInt64, states: ProjectionStates, txn: borrowing Transaction) throws -> ActorRecord {
        guard let record = try resolveActor(name, asOf: position, states: states, txn: txn) else {
            if let later = try ActorsProjection.owner(ofNameKey: ActorName.key(name), in: states.actors, txn: txn) {
                throw QueryError.actorNamedLater(name, asOf: position, recordedAt: later.position)
            }
            throw QueryError.unknownActor(name)
        }
        return record
    }

    func resolveActor(_ name: String, asOf position: UInt64, states: ProjectionStates, txn: borrowing Transaction) throws -> ActorRecord? {
        guard let owner = try ActorsProjection.owner(ofNameKey: ActorName.key(name), in: states.actors, txn: txn), owner.position <= position else {
            return nil
        }
        return try actorRecord(owner.actor, asOf: position, states: states, txn: txn)
    }

    /// The directory's record of actor `id` as it stood after `position`, with its live facts then.
    func actorRecord(_ id: String, asOf position: UInt64, states: ProjectionStates, txn: borrowing Transaction) throws -> ActorRecord? {
        guard var record = try ActorsProjection.record(id, in: states.actors, txn: txn)?.asOf(position) else { return nil }
        record.liveFacts = try TimelineProjection.Reader(states.timeline).liveFacts(of: id, asOf: position, txn: txn)
        return record
    }

    /// Every actor the store knew at `asOf` (now when `nil`), by id.
    public func actors(asOf: AsOf? = nil) throws -> [ActorRecord] {
        try environment.read { txn in
            let states = try states(in: txn)
            return try actorRecords(asOf: try resolve(asOf, states: states, txn: txn), states: states, txn: txn)
        }
    }

    func actorRecords(asOf position: UInt64, states: ProjectionStates, txn: borrowing Transaction) throws -> [ActorRecord] {
        var actors: [ActorRecord] = []
        try ActorsProjection.forEachActorID(in: states.actors, txn: txn) { id in
            if let actor = try actorRecord(id, asOf: position, states: states, txn: txn) { actors.append(actor) }
        }
        return actors
    }

    /// The display names of the actors the store knew at `asOf` (now when `nil`), by id.
    public func actorNames(asOf: AsOf? = nil) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try actors(asOf: asOf).map { ($0.id, $0.name) })
    }

    // MARK: Facts

    /// Every version of a fact, oldest first, each with the positions between which it was current.
    public func history(ofFact id: String) throws -> [FactVersion] {
        try environment.read { txn in
            let states = try states(in: txn)
            let reader = TimelineProjection.Reader(states.timeline)
            guard let first = try reader.firstPosition(ofFact: id, txn: txn) else { throw QueryError.unknownFact(id) }
            let everyRow = try reader.rows(firstPosition: first, txn: txn)
            let rows = everyRow.filter { $0.position <= states.appliedThrough }
            let events = try factEvents(of: everyRow, txn: txn)
            return rows.enumerated().map { index, row in
                FactVersion(position: row.position, recordedAt: row.recordedAt, until: index + 1 < rows.count ? rows[index + 1].position : nil,
                            view: FactView(row: row, events: events))
            }
        }
    }

    /// The version of a fact current at `asOf` (now when `nil`), or `nil` if it was not yet asserted.
    public func fact(_ id: String, asOf: AsOf? = nil) throws -> FactVersion? {
        try environment.read { txn in
            let states = try states(in: txn)
            let position = try resolve(asOf, states: states, txn: txn)
            let reader = TimelineProjection.Reader(states.timeline)
            guard let first = try reader.firstPosition(ofFact: id, txn: txn) else { throw QueryError.unknownFact(id) }
            guard let row = try reader.latestRow(firstPosition: first, asOf: position, txn: txn) else { return nil }
            let view = FactView(row: row, events: try factEvents(firstPosition: first, through: row.position, reader: reader, txn: txn))
            return FactVersion(position: row.position, recordedAt: row.recordedAt, until: nil, view: view)
        }
    }

    // MARK: Articles

    /// Every recorded article, in log order, with how many facts it asserts.
    public func articles() throws -> [(summary: ArticleSummary, assertions: Int)] {
        try environment.read { txn in
            let states = try states(in: txn)
            var articles: [(summary: ArticleSummary, assertions: Int)] = []
            try SourcesProjection.forEachArticle(in: states.sources, txn: txn) { summary in
                let assertions = try SourcesProjection.facts(ofArticle: summary.id, in: states.sources, txn: txn).count { $0.action == .asserts }
                articles.append((summary, assertions))
            }
            return articles.sorted { $0.summary.position < $1.summary.position }
        }
    }

    /// The articles with these ids that the store holds, by id, read in one transaction.
    public func articleSummaries(_ ids: some Sequence<String>) throws -> [String: ArticleSummary] {
        try environment.read { txn in
            let states = try states(in: txn)
            var summaries: [String: ArticleSummary] = [:]
            for id in ids where summaries[id] == nil {
                summaries[id] = try SourcesProjection.article(id, in: states.sources, txn: txn)
            }
            return summaries
        }
    }

    /// The article with this id, with the facts it asserts, corrects and retracts.
    public func article(_ id: String) throws -> (summary: ArticleSummary, facts: [(fact: String, action: String, position: UInt64)])? {
        try environment.read { txn in
            let states = try states(in: txn)
            guard let summary = try SourcesProjection.article(id, in: states.sources, txn: txn) else { return nil }
            let facts = try SourcesProjection.facts(ofArticle: id, in: states.sources, txn: txn).map { ($0.fact, $0.action.word, $0.position) }
            return (summary, facts)
        }
    }
}
