import AnnalsLog
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

    public var description: String {
        switch self {
        case .unknownActor(let name): "no actor is called \(String(reflecting: name)); `annals actors` lists them"
        case let .actorNamedLater(name, asOf, recordedAt):
            "no actor was called \(String(reflecting: name)) as of position \(asOf): the name was first recorded at position \(recordedAt)"
        case .unknownFact(let id): "no fact has the id \(String(reflecting: id))"
        case let .positionBeyondHead(position, head): "position \(position) is beyond the log's head (\(head))"
        case .invalidLimit(let limit): "a limit of \(limit) is not positive"
        case .invalidOffset(let offset): "an offset of \(offset) is negative"
        case let .emptyPeriod(from, to): "the period from \(from) to \(to) is empty: it ends before it starts"
        }
    }
}

extension TimelineStore {
    /// Facts in timeline order, optionally limited to a period of valid time, an actor and a
    /// kind, as the store knew them at a moment of transaction time. Answered from indexes.
    public func timeline(_ query: TimelineQuery) throws -> TimelineResult {
        guard query.limit > 0 else { throw QueryError.invalidLimit(query.limit) }
        guard query.offset >= 0 else { throw QueryError.invalidOffset(query.offset) }
        // One entry beyond the page tells whether more follow.
        let (wanted, overflow) = query.offset.addingReportingOverflow(query.limit)
        let fetch = overflow ? Int.max : wanted.addingReportingOverflow(1).overflow ? Int.max : wanted + 1
        let windowStart = query.from?.start ?? .min
        let windowEnd = query.to?.end ?? .max
        if let from = query.from, let to = query.to, windowEnd <= windowStart {
            throw QueryError.emptyPeriod(from: from.description, to: to.description)
        }
        return try environment.read { txn in
            let states = try self.states(in: txn)
            let asOf = try resolve(query.asOf, states: states, txn: txn)
            var actor: ActorRecord?
            var prefix: [UInt8] = []
            var index = states.timeline.entries
            if let name = query.actor {
                guard let record = try resolveActor(name, asOf: asOf, states: states, txn: txn) else {
                    if let later = try ActorsProjection.owner(ofNameKey: ActorName.key(name), in: states.actors, txn: txn) {
                        throw QueryError.actorNamedLater(name, asOf: asOf, recordedAt: later.position)
                    }
                    throw QueryError.unknownActor(name)
                }
                actor = record
                prefix = Array(record.id.utf8) + [0]
                index = states.timeline.byActor
            }
            let hits = try scan(index, prefix: prefix, windowStart: windowStart, windowEnd: windowEnd, asOf: asOf,
                                kind: query.kind, limit: fetch, hasRoles: actor != nil, txn: txn)
            let hasMore = hits.count - query.offset > query.limit
            let entries = try hits.dropFirst(query.offset).prefix(query.limit).map { hit in
                guard let bytes = try txn.get(FactHistoryProjection.key(hit.entry.fact, hit.key.versionPosition), in: states.history.versions) else {
                    throw DamagedState(projection: "fact-history", what: "fact \(hit.entry.fact) at position \(hit.key.versionPosition)")
                }
                let version = try FactHistoryProjection.decodeVersion(position: hit.key.versionPosition, value: bytes, fact: hit.entry.fact, log: log, txn: txn)
                return TimelineEntry(view: version.view, version: version.position, recordedAt: version.recordedAt, roles: IndexEntry.roles(hit.entry.roles))
            }
            var actorNames: [String: String] = [:]
            for entry in entries {
                for involvement in entry.view.actors where actorNames[involvement.actor] == nil {
                    actorNames[involvement.actor] = try actorRecord(involvement.actor, asOf: asOf, states: states, txn: txn)?.name
                }
            }
            return TimelineResult(entries: entries, offset: query.offset, limit: query.limit, hasMore: hasMore, asOfPosition: asOf, actor: actor, actorNames: actorNames)
        }
    }

    private struct Hit {
        let key: TimelineKey
        let sortKey: [UInt8]
        let entry: IndexEntry.Decoded
    }

    /// Scans each span class of a valid-time index from one longest span before the window,
    /// keeps entries that overlap the window and were current at `asOf`, and merges the
    /// classes into timeline order.
    ///
    /// Once a page is full, the last entry on it bounds the rest of the work: a later class
    /// stops at the first entry that sorts after it, since nothing beyond could make the page.
    private func scan(_ index: Database, prefix: [UInt8], windowStart: Int64, windowEnd: Int64, asOf: UInt64,
                      kind: FactKind?, limit: Int, hasRoles: Bool, txn: borrowing Transaction) throws -> [Hit] {
        var hits: [Hit] = []
        var pageEnd: [UInt8]?
        try txn.withCursor(on: index) { cursor in
            for spanClass in SpanClass.allCases {
                if hits.count >= limit {
                    hits.sort { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
                    hits.removeLast(hits.count - limit)
                    pageEnd = hits[limit - 1].sortKey
                }
                let classPrefix = prefix + [spanClass.rawValue]
                var lowest = Int64.min
                if let longest = spanClass.longestSpan, windowStart != .min {
                    lowest = windowStart.subtractingReportingOverflow(longest).overflow ? .min : windowStart - longest
                }
                var found = 0
                var entry = try cursor.seek(atLeast: prefix + TimelineKey.lowerBound(spanClass, start: lowest))
                while let current = entry, current.key.starts(with: classPrefix) {
                    defer { entry = try? cursor.next() }
                    guard current.key.count == prefix.count + TimelineKey.size,
                          let key = TimelineKey(UnsafeRawBufferPointer(rebasing: current.key[prefix.count...]))
                    else { continue }
                    if key.start >= windowEnd { break }
                    if let pageEnd, !current.key[(prefix.count + 1)...].lexicographicallyPrecedes(pageEnd) { break }
                    guard key.end > windowStart, key.versionPosition <= asOf,
                          let decoded = IndexEntry.decode(current.value, hasRoles: hasRoles), decoded.until > asOf,
                          kind.map({ $0 == decoded.kind }) ?? true
                    else { continue }
                    hits.append(Hit(key: key, sortKey: Array(current.key[(prefix.count + 1)...]), entry: decoded))
                    found += 1
                    if found == limit { break }
                }
            }
        }
        hits.sort { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
        return Array(hits.prefix(limit))
    }

    /// The log position a query's transaction time stands for, capped at what the projections have applied.
    private func resolve(_ asOf: AsOf?, states: ProjectionStates, txn: borrowing Transaction) throws -> UInt64 {
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

    func resolveActor(_ name: String, asOf position: UInt64, states: ProjectionStates, txn: borrowing Transaction) throws -> ActorRecord? {
        guard let owner = try ActorsProjection.owner(ofNameKey: ActorName.key(name), in: states.actors, txn: txn), owner.position <= position else {
            return nil
        }
        return try actorRecord(owner.actor, asOf: position, states: states, txn: txn)
    }

    /// The directory's record of actor `id` as it stood after `position`, with its live facts then.
    func actorRecord(_ id: String, asOf position: UInt64, states: ProjectionStates, txn: borrowing Transaction) throws -> ActorRecord? {
        guard let bytes = try txn.get(id, in: states.actors.directory), var record = try ActorRecord(decoding: bytes).asOf(position) else { return nil }
        record.liveFacts = Int(try TimelineProjection.liveFacts(of: id, asOf: position, in: states.timeline.actorFacts, txn: txn))
        return record
    }

    /// Every actor the store knew at `asOf` (now when `nil`), by id.
    public func actors(asOf: AsOf? = nil) throws -> [ActorRecord] {
        try environment.read { txn in
            let states = try states(in: txn)
            let position = try resolve(asOf, states: states, txn: txn)
            var actors: [ActorRecord] = []
            try txn.forEach(in: states.actors.directory) { entry in
                let id = String(decoding: entry.key, as: UTF8.self)
                if let actor = try actorRecord(id, asOf: position, states: states, txn: txn) { actors.append(actor) }
                return true
            }
            return actors
        }
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
            let versions = try FactHistoryProjection.versions(of: id, in: states.history.versions, log: log, txn: txn)
            guard !versions.isEmpty else { throw QueryError.unknownFact(id) }
            return versions.enumerated().map { index, version in
                FactVersion(position: version.position, recordedAt: version.recordedAt,
                            until: index + 1 < versions.count ? versions[index + 1].position : nil, view: version.view)
            }
        }
    }

    /// The version of a fact current at `asOf` (now when `nil`), or `nil` if it was not yet asserted.
    public func fact(_ id: String, asOf: AsOf? = nil) throws -> FactVersion? {
        try environment.read { txn in
            let states = try states(in: txn)
            let position = try resolve(asOf, states: states, txn: txn)
            guard try FactHistoryProjection.exists(id, in: states.history.versions, txn: txn) else { throw QueryError.unknownFact(id) }
            guard let version = try FactHistoryProjection.latest(id, asOf: position, in: states.history.versions, log: log, txn: txn) else { return nil }
            return FactVersion(position: version.position, recordedAt: version.recordedAt, until: nil, view: version.view)
        }
    }

    // MARK: Articles

    /// Every recorded article, in log order, with how many facts it asserts.
    public func articles() throws -> [(summary: ArticleSummary, assertions: Int)] {
        try environment.read { txn in
            let states = try states(in: txn)
            var articles: [(summary: ArticleSummary, assertions: Int)] = []
            try txn.forEach(in: states.sources.articles) { entry in
                let summary = try ArticleSummary(decoding: entry.value)
                var count = 0
                try txn.forEach(in: states.sources.facts, range: .prefix(Array(summary.id.utf8) + [0])) { fact in
                    if fact.key.last == UInt8(ascii: "a") { count += 1 }
                    return true
                }
                articles.append((summary, count))
                return true
            }
            return articles.sorted { $0.summary.position < $1.summary.position }
        }
    }

    /// The article with this id, with the facts it asserts, corrects and retracts.
    public func article(_ id: String) throws -> (summary: ArticleSummary, facts: [(fact: String, action: String, position: UInt64)])? {
        try environment.read { txn in
            let states = try states(in: txn)
            guard let bytes = try txn.get(id, in: states.sources.articles) else { return nil }
            let summary = try ArticleSummary(decoding: bytes)
            var facts: [(fact: String, action: String, position: UInt64)] = []
            try txn.forEach(in: states.sources.facts, range: .prefix(Array(id.utf8) + [0])) { entry in
                let rest = entry.key.dropFirst(id.utf8.count + 1)
                guard rest.count >= 3, let position = entry.value.bigEndianUInt64 else { return true }
                let fact = String(decoding: rest.dropLast(2), as: UTF8.self)
                let action = switch rest.last { case UInt8(ascii: "a"): "asserts"; case UInt8(ascii: "c"): "corrects"; default: "retracts" }
                facts.append((fact, action, position))
                return true
            }
            return (summary, facts)
        }
    }
}
