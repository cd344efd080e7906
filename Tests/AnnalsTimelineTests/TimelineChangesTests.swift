@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import Testing

/// `changes(since:until:)` is the difference of two as-of timelines: between any two positions
/// of random logs, the facts it lists are exactly those the two timelines show differently,
/// each classified by which timeline shows it, and its fields are the ones that differ.
@Suite(.timeLimit(.minutes(3))) struct TimelineChangesTests {
    let directory = TemporaryDirectory()

    @Test(arguments: [UInt64(51), 52, 53])
    func changesAreTheDifferenceOfTwoAsOfTimelines(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 60)
        let store = try log.store(in: directory, name: "store")
        let head = UInt64(log.events.count)
        var generator = SeededGenerator(seed: seed)
        var kindsSeen: Set<TimelineChanges.Change.Kind> = []
        for _ in 0..<40 {
            let a = UInt64.random(in: 0...head, using: &generator), b = UInt64.random(in: 0...head, using: &generator)
            let (since, until) = (min(a, b), max(a, b))
            let before = try shown(store, asOf: since), after = try shown(store, asOf: until)
            let changes = try store.changes(since: .position(since), until: .position(until))
            #expect(changes.since == since && changes.until == until)
            let differing = Set(before.keys).union(after.keys).filter { before[$0]?.version != after[$0]?.version }
            #expect(Set(changes.changes.map(\.fact)) == differing, "seed \(seed), \(since)–\(until)")
            #expect(changes.changes.count == differing.count, "a fact listed twice")
            for change in changes.changes {
                kindsSeen.insert(change.kind)
                let was = before[change.fact], now = after[change.fact]
                switch change.kind {
                case .added: #expect(was == nil && now != nil)
                case .retracted: #expect(was != nil && now == nil)
                case .refined, .corrected:
                    #expect(was != nil && now != nil)
                    let corrected = change.causes.contains { if case .corrected = $0.event { true } else { false } }
                    #expect((change.kind == .corrected) == corrected)
                }
                #expect(change.causes.allSatisfy { $0.position > since && $0.position <= until && $0.event.fact == change.fact })
                if let was, let now {
                    let changedFields = TimelineChanges.comparedFields.filter { field(was.view, $0) != field(now.view, $0) }
                    #expect(change.fields.map(\.name) == changedFields, "seed \(seed), \(change.fact)")
                } else {
                    #expect(change.fields.isEmpty)
                }
            }
        }
        #expect(kindsSeen == Set(TimelineChanges.Change.Kind.allCases), "seed \(seed) exercised only \(kindsSeen)")
    }

    @Test func aSpanThatRunsBackwardIsRefused() throws {
        let log = try RandomLog(seed: 54, length: 20)
        let store = try log.store(in: directory, name: "store")
        #expect(throws: QueryError.sinceAfterUntil(since: 9, until: 3)) { try store.changes(since: .position(9), until: .position(3)) }
        #expect(try store.changes(since: .position(7), until: .position(7)).changes.isEmpty)
    }

    /// The facts `timeline --as-of position` shows, by id, with the version it shows.
    private func shown(_ store: TimelineStore, asOf position: UInt64) throws -> [String: (version: UInt64, view: FactView)] {
        let timeline = try store.timeline(TimelineQuery(asOf: .position(position), limit: 100_000))
        return Dictionary(uniqueKeysWithValues: timeline.entries.map { ($0.view.id, ($0.version, $0.view)) })
    }

    private func field(_ view: FactView, _ name: String) -> JSONValue? {
        view.jsonMembers(actorNames: [:]).first { $0.0 == name }?.1
    }
}
