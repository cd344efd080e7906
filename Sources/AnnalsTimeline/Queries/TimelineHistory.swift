import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimelineProjections
import LMDB

/// Every fact a timeline query matches at some position up to its transaction time, each with
/// all its versions up to there: what a picture of the timeline needs to show it as of that
/// moment and of any earlier one, retractions and corrections included.
public struct TimelineHistory: Sendable {
    /// One fact and its versions, oldest first.
    public struct Fact: Sendable {
        public let id: String
        /// Each version up to the history's position; the last one's `until` is `nil` when it
        /// was still current there.
        public let versions: [FactVersion]
        /// For each version, whether the query matches it (its kind, actor and period; a
        /// retracted version never matches): the fact shows in the timeline while its current
        /// version matches.
        public let matches: [Bool]

        /// The version current right after `position`, or `nil` before the fact was asserted.
        public func version(asOf position: UInt64) -> (version: FactVersion, matches: Bool)? {
            guard let index = versions.lastIndex(where: { $0.position <= position }) else { return nil }
            return (versions[index], matches[index])
        }
    }

    /// The facts, in timeline order of the last version that matched.
    public let facts: [Fact]
    /// The transaction time the history runs to, as a log position.
    public let asOfPosition: UInt64
    /// When that position was recorded (`nil` for an empty log).
    public let asOfRecordedAt: Timestamp?
    /// How many matching facts come before these.
    public let offset: Int
    /// Whether more matching facts follow these.
    public let hasMore: Bool
    /// The actor the query was about, as the store knew it at ``asOfPosition``.
    public let actor: ActorRecord?
    /// The display names of the actors the versions involve, by id, as of ``asOfPosition``.
    public let actorNames: [String: String]
    /// The articles the versions cite (as sources, corrections or retractions), by id.
    public let articles: [String: ArticleSummary]
}

extension TimelineStore {
    /// Every fact `query` matches at some position up to its as-of (now when `nil`), each with
    /// all its versions up to there, in timeline order of each fact's last matching version;
    /// `limit` and `offset` page through the facts.
    ///
    /// A fact that matched once and no longer does (retracted, or corrected out of the period,
    /// away from the actor or to another kind) is included, so the timeline can be shown as of
    /// any earlier position. Reads every version of every fact in place (one pass, no copies) and
    /// then only the page's facts whole, so its cost grows with the number of versions: it is
    /// meant for pictures of a timeline, not for paging through millions of facts.
    public func timelineHistory(_ query: TimelineQuery, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> TimelineHistory {
        try environment.read { txn in
            let states = try states(in: txn)
            let (windowStart, windowEnd) = try query.validWindow()
            let asOf = try resolve(query.asOf, states: states, txn: txn)
            let actor = try query.actor.map { try queryActor($0, asOf: asOf, states: states, txn: txn) }
            let reader = TimelineProjection.Reader(states.timeline)

            func matches(kind: FactKind, when: ValidTime, isRetracted: Bool, actors: () throws -> [ActorInvolvement]) rethrows -> Bool {
                if isRetracted { return false }
                if let wanted = query.kind, kind != wanted { return false }
                if let actor, try !actors().contains(where: { $0.actor == actor.id }) { return false }
                return when.start < windowEnd && when.end > windowStart
            }
            func matches(_ row: FactRow) -> Bool {
                matches(kind: row.kind, when: row.when, isRetracted: row.isRetracted, actors: { row.actors })
            }

            // One pass over every version in place finds each fact's last matching version up to
            // the as-of; only the facts of the page are then read whole.
            var candidates: [(firstPosition: UInt64, start: Int64, end: Int64)] = []
            var fact: (firstPosition: UInt64, match: ValidTime?)?
            func settle() {
                if let fact, let when = fact.match { candidates.append((fact.firstPosition, when.start, when.end)) }
            }
            var lastReport: UInt64 = 0
            try reader.forEachRowView(txn: txn) { row in
                guard row.position <= asOf else { return true }
                if row.firstPosition != fact?.firstPosition {
                    settle()
                    fact = (row.firstPosition, nil)
                    if let progress, row.firstPosition - lastReport >= 10_000 {
                        lastReport = row.firstPosition
                        progress(row.firstPosition, asOf)
                    }
                }
                let when = try row.when()
                if try matches(kind: row.kind(), when: when, isRetracted: row.isRetracted, actors: { try row.decoded().actors }) {
                    fact?.match = when
                }
                return true
            }
            settle()
            candidates.sort { ($0.start, $0.end, $0.firstPosition) < ($1.start, $1.end, $1.firstPosition) }
            let page = candidates.dropFirst(query.offset).prefix(query.limit)
            var actorNames: [String: String] = [:]
            var articles: [String: ArticleSummary] = [:]
            let facts = try page.map { candidate in
                let rows = try reader.rows(firstPosition: candidate.firstPosition, txn: txn).filter { $0.position <= asOf }
                guard let first = rows.first else {
                    throw ProjectionError.damagedState(projection: "timeline", what: "the fact first asserted at position \(candidate.firstPosition)")
                }
                let events = try factEvents(of: rows, txn: txn)
                let versions = rows.enumerated().map { index, row in
                    FactVersion(position: row.position, recordedAt: row.recordedAt,
                                until: index + 1 < rows.count ? rows[index + 1].position : nil,
                                view: FactView(row: row, events: events.filter { $0.position <= row.position }))
                }
                for row in rows {
                    for involvement in row.actors where actorNames[involvement.actor] == nil {
                        actorNames[involvement.actor] = try actorRecord(involvement.actor, asOf: asOf, states: states, txn: txn)?.name
                    }
                }
                for version in versions {
                    let view = version.view
                    let cited = view.sources.map(\.assertion.article) + view.corrections.map(\.correction.article) + [view.retraction?.retraction.article].compactMap { $0 }
                    for article in cited where articles[article] == nil {
                        articles[article] = try SourcesProjection.article(article, in: states.sources, txn: txn)
                    }
                }
                return TimelineHistory.Fact(id: first.id, versions: versions, matches: rows.map(matches))
            }
            let recordedAt = asOf > 0 ? try log.view(at: asOf, in: txn)?.recordedAt : nil
            return TimelineHistory(facts: facts, asOfPosition: asOf, asOfRecordedAt: recordedAt, offset: query.offset,
                                   hasMore: candidates.count - query.offset > query.limit, actor: actor, actorNames: actorNames, articles: articles)
        }
    }
}
