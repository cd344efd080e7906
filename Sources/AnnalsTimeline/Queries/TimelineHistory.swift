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
    /// any earlier position. Reads every fact assertion up to the as-of, so its cost grows with
    /// the log: it is meant for pictures of a timeline, not for paging through millions of facts.
    public func timelineHistory(_ query: TimelineQuery, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> TimelineHistory {
        try environment.read { txn in
            let states = try states(in: txn)
            let (windowStart, windowEnd) = try query.validWindow()
            let asOf = try resolve(query.asOf, states: states, txn: txn)
            let actor = try query.actor.map { try queryActor($0, asOf: asOf, states: states, txn: txn) }
            let reader = TimelineProjection.Reader(states.timeline)

            func matches(_ row: FactRow) -> Bool {
                if row.isRetracted { return false }
                if let kind = query.kind, row.kind != kind { return false }
                if let actor, !row.actors.contains(where: { $0.actor == actor.id }) { return false }
                return row.when.start < windowEnd && row.when.end > windowStart
            }

            var candidates: [(fact: String, firstPosition: UInt64, lastMatch: FactRow, rows: [FactRow])] = []
            var seen = Set<String>()
            var lastReport: UInt64 = 0
            if asOf > 0 {
                try log.forEach(in: txn, positions: 1...asOf, types: [DomainEventType.factAsserted]) { view in
                    if let progress, view.position - lastReport >= 10_000 {
                        lastReport = view.position
                        progress(view.position, asOf)
                    }
                    guard case .asserted(let assertion)? = try FactEvent(view), seen.insert(assertion.fact).inserted else { return true }
                    let rows = try reader.rows(firstPosition: view.position, txn: txn).filter { $0.position <= asOf }
                    if let lastMatch = rows.last(where: matches) {
                        candidates.append((assertion.fact, view.position, lastMatch, rows))
                    }
                    return true
                }
            }
            candidates.sort { a, b in
                (a.lastMatch.when.start, a.lastMatch.when.end, a.firstPosition) < (b.lastMatch.when.start, b.lastMatch.when.end, b.firstPosition)
            }
            let page = candidates.dropFirst(query.offset).prefix(query.limit)
            var actorNames: [String: String] = [:]
            var articles: [String: ArticleSummary] = [:]
            let facts = try page.map { candidate in
                let events = try factEvents(firstPosition: candidate.firstPosition, through: asOf, reader: reader, txn: txn)
                let versions = candidate.rows.enumerated().map { index, row in
                    FactVersion(position: row.position, recordedAt: row.recordedAt,
                                until: index + 1 < candidate.rows.count ? candidate.rows[index + 1].position : nil,
                                view: FactView(row: row, events: events.filter { $0.position <= row.position }))
                }
                for row in candidate.rows {
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
                return TimelineHistory.Fact(id: candidate.fact, versions: versions, matches: candidate.rows.map(matches))
            }
            let recordedAt = asOf > 0 ? try log.view(at: asOf, in: txn)?.recordedAt : nil
            return TimelineHistory(facts: facts, asOfPosition: asOf, asOfRecordedAt: recordedAt, offset: query.offset,
                                   hasMore: candidates.count - query.offset > query.limit, actor: actor, actorNames: actorNames, articles: articles)
        }
    }
}
