@testable import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
@testable import AnnalsTimeline
import AnnalsTimelineProjections
import LMDB
import Testing

private func namedActors(in events: ArraySlice<NewEvent>) -> [String] {
    events.filter { $0.type == "actor.named" }.map { String($0.id.dropFirst("actor/".count)) }
}

private func facts(in events: [NewEvent]) -> [String] {
    Array(Set(events.filter { $0.type == "fact.asserted" }.map { String($0.id.split(separator: "/").last ?? "") })).sorted()
}

@Suite(.timeLimit(.minutes(3))) struct ProjectionPropertyTests {
    let directory = TemporaryDirectory()

    /// The oracle of the bitemporal indexes: asking the full store "as of p" must give exactly
    /// what a store built from events 1…p gives today.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func asOfEveryPositionEqualsARebuildToThatPosition(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 48)
        let full = try log.store(in: directory, name: "full")
        let factIDs = facts(in: log.events)
        for position in 0...log.events.count {
            let prefix = try log.store(in: directory, name: "prefix-\(position)", count: position)
            let actors = namedActors(in: log.events.prefix(position))
            let names = log.allNames
            let asOf = try Answers(full, asOf: UInt64(position), factIDs: factIDs, actorIDs: actors, names: names)
            let rebuilt = try Answers(prefix, asOf: nil, factIDs: factIDs, actorIDs: actors, names: names)
            let model = try ReferenceModel(log.events, through: position, actorIDs: actors)
            let actorModel = try ActorModel(log.events, through: position, names: names, liveFacts: model.liveFacts)
            #expect(asOf == rebuilt, "seed \(seed), position \(position)")
            #expect(asOf.timeline == model.timeline, "seed \(seed), position \(position)")
            #expect(asOf.actorTimelines == model.actorTimelines, "seed \(seed), position \(position)")
            #expect(asOf.names == actorModel.names, "seed \(seed), position \(position)")
            #expect(asOf.directory == actorModel.directory, "seed \(seed), position \(position)")
            if asOf != rebuilt || asOf.timeline != model.timeline || asOf.actorTimelines != model.actorTimelines
                || asOf.names != actorModel.names || asOf.directory != actorModel.directory { return }
        }
    }

    /// Whether a page is read as of the present decides only how it finds buckets (by their
    /// summaries, or by seeking the entries), never the answer: both ways agree at every
    /// position, for the overall index and each actor's, over windows of every width.
    @Test(arguments: [UInt64(31), 32, 33])
    func aPageFindsTheSameFactsWhicheverWayItLocatesBuckets(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 60)
        let store = try log.store(in: directory, name: "store")
        let actors: [String?] = [nil] + namedActors(in: log.events[...])
        let windows = try [("2021", "2021"), ("2021-05-07", "2021-05-07"), ("2021-05", "2021-06"), ("2020-12", "2020-12"), ("2021-06-16", "2021-06-16")]
            .map { (try ValidTime(parsing: $0.0).start, try ValidTime(parsing: $0.1).end) } + [(Int64.min, Int64.max)]
        try store.environment.read { txn in
            let reader = TimelineProjection.Reader(try store.projections.state(of: TimelineProjection(), in: txn))
            for position in 0...UInt64(log.events.count) {
                for actor in actors {
                    for (start, end) in windows {
                        let bySummaries = try reader.page(actor: actor, windowStart: start, windowEnd: end, asOf: position, asOfIsPresent: false,
                                                          kind: nil, count: 4, txn: txn).map { "\($0.key) \($0.roles)" }
                        let byEntries = try reader.page(actor: actor, windowStart: start, windowEnd: end, asOf: position, asOfIsPresent: true,
                                                        kind: nil, count: 4, txn: txn).map { "\($0.key) \($0.roles)" }
                        #expect(bySummaries == byEntries, "seed \(seed), position \(position), actor \(actor ?? "-"), window \(start)…\(end)")
                    }
                }
            }
        }
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func catchingUpBatchByBatchEqualsOneFullRebuild(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 80)
        let store = try log.store(in: directory, name: "incremental", perBatch: 3, catchUpEachBatch: true)
        for comparison in try store.projections.compareWithRebuild() {
            #expect(comparison.isIdentical, "seed \(seed): \(comparison.name): \(comparison.difference ?? "")")
            #expect(comparison.checkpoint == UInt64(log.events.count))
        }
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func aRebuildKilledPartWayAndResumedEqualsACleanOne(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 90)
        let store = try log.store(in: directory, name: "store")
        let before = try Answers(store, asOf: nil, factIDs: facts(in: log.events), actorIDs: namedActors(in: log.events[...]))
        // A version of the timeline projection that dies after applying some events, as a
        // crash mid-rebuild would; its earlier chunks are committed, the failing one is not.
        let dying = FailingTimeline(failAfter: 25)
        let failing = try TimelineStore(path: directory.appending("store"), options: Self.options(with: dying))
        #expect(throws: FailingTimeline.Crash.self) { try failing.projections.rebuild(["timeline"], eventsPerTransaction: 10) }
        let interrupted = try failing.projections.status().first { $0.name == "timeline" }
        guard case .rebuilding(let through)? = interrupted?.condition else {
            Issue.record("seed \(seed): the interrupted rebuild left no trace: \(String(describing: interrupted))")
            return
        }
        #expect(through > 0 && through < UInt64(log.events.count), "seed \(seed)")
        // The old version kept serving meanwhile.
        #expect(try Answers(failing, asOf: nil, factIDs: facts(in: log.events), actorIDs: namedActors(in: log.events[...])) == before)

        let resumed = try TimelineStore(path: directory.appending("store"), options: Self.options(with: FailingTimeline(failAfter: nil)))
        let reports = try resumed.projections.rebuild(["timeline"], eventsPerTransaction: 10)
        #expect(reports.first?.resumedFrom == through, "seed \(seed)")
        #expect(try resumed.projections.compareWithRebuild(["timeline"]).allSatisfy(\.isIdentical), "seed \(seed)")
        #expect(try Answers(resumed, asOf: nil, factIDs: facts(in: log.events), actorIDs: namedActors(in: log.events[...])) == before)
    }

    private static func options(with timeline: FailingTimeline) -> TimelineStore.Options {
        var options = TimelineStore.Options()
        options.replacingTimeline = timeline
        return options
    }
}

/// The built-in timeline projection, made to fail after a number of events: in-process fault injection.
final class FailingTimeline: Projection, @unchecked Sendable {
    struct Crash: Error {}

    private let inner = TimelineProjection()
    private let failAfter: Int?
    private var applied = 0

    init(failAfter: Int?) { self.failAfter = failAfter }

    var name: String { inner.name }
    var version: Int { inner.version }
    var eventTypes: [EventTypeName] { inner.eventTypes }
    var databaseNames: [String] { inner.databaseNames }

    func makeState(_ databases: ProjectionDatabases) throws -> TimelineProjection.State { try inner.makeState(databases) }

    func apply(_ event: EventView, to state: TimelineProjection.State, in txn: borrowing Transaction) throws {
        applied += 1
        if let failAfter, applied > failAfter { throw Crash() }
        try inner.apply(event, to: state, in: txn)
    }

    func finish(_ state: TimelineProjection.State, in txn: borrowing Transaction) throws { try inner.finish(state, in: txn) }
}
