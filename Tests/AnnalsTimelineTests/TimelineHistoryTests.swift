@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import Testing

/// A picture of a timeline shows, as of each position, what the timeline query answers as of
/// that position: the history read at p holds exactly the facts `timeline --as-of p` lists, each
/// in the version the query shows, whatever the filter (actor, kind, period).
@Suite(.timeLimit(.minutes(3))) struct TimelineHistoryTests {
    let directory = TemporaryDirectory()

    @Test(arguments: [UInt64(41), 42, 43, 44])
    func theHistoryAsOfEveryPositionIsTheTimelineAsOfIt(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 60)
        let store = try log.store(in: directory, name: "store")
        let queries = [
            TimelineQuery(limit: 10_000),
            TimelineQuery(actor: "putin", limit: 10_000),
            TimelineQuery(kind: .attack, limit: 10_000),
            TimelineQuery(from: try ValidTime(parsing: "2021-05"), to: try ValidTime(parsing: "2021-05"), limit: 10_000),
            TimelineQuery(from: try ValidTime(parsing: "2021-06-16"), to: try ValidTime(parsing: "2021-06-16"), actor: "biden", limit: 10_000),
        ]
        let head = UInt64(log.events.count)
        for query in queries {
            guard (try? store.actor(named: query.actor ?? "putin")) != nil else { continue }
            let history = try store.timelineHistory(query)
            #expect(history.asOfPosition == head)
            for position in 0...head {
                var asked = query
                asked.asOf = .position(position)
                // An actor named only later has no timeline yet, and the history shows none of its facts.
                guard let timeline = try? store.timeline(asked) else {
                    #expect(history.facts.allSatisfy { $0.version(asOf: position)?.matches != true }, "seed \(seed), position \(position)")
                    continue
                }
                let expected = Set(timeline.entries.map { "\($0.view.id)@\($0.version) \($0.view.when)" })
                let shown = Set(history.facts.compactMap { fact -> String? in
                    guard let current = fact.version(asOf: position), current.matches else { return nil }
                    return "\(fact.id)@\(current.version.position) \(current.version.view.when)"
                })
                #expect(shown == expected, "seed \(seed), query \(query), position \(position)")
                if shown != expected { return }
            }
        }
    }

    @Test func limitAndOffsetPageThroughTheFactsInValidTimeOrder() throws {
        let log = try RandomLog(seed: 45, length: 60)
        let store = try log.store(in: directory, name: "store")
        let all = try store.timelineHistory(TimelineQuery(limit: 10_000))
        #expect(all.facts.count > 4)
        let first = try store.timelineHistory(TimelineQuery(limit: 3))
        let rest = try store.timelineHistory(TimelineQuery(limit: 10_000, offset: 3))
        #expect(first.facts.map(\.id) + rest.facts.map(\.id) == all.facts.map(\.id))
        #expect(first.hasMore)
        #expect(!rest.hasMore)
        #expect(throws: QueryError.invalidLimit(0)) { try store.timelineHistory(TimelineQuery(limit: 0)) }
    }
}
