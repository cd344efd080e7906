import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
import AnnalsTimeline
import Foundation
import LMDB
import Testing

/// A projection a program registers: assertions counted per fact kind.
private struct AssertionsPerKind: Projection {
    let name = "assertions-per-kind"
    let version = 2
    let eventTypes = [DomainEventType.factAsserted]
    let databaseNames = ["counts"]

    func apply(_ event: EventView, to state: ProjectionDatabases, in txn: borrowing Transaction) throws {
        let kind = try FactAssertion(event).kind.rawValue
        let count = try txn.get(kind, in: state["counts"]).map { Int(String(decoding: $0, as: UTF8.self)) ?? 0 } ?? 0
        try txn.put(String(count + 1), forKey: kind, in: state["counts"])
    }
}

/// `annals projections` shows the projections a program keeps in the store, which the command
/// line cannot apply events to, and `annals replay` says who can rebuild them.
@Suite struct ProgramProjectionTests {
    let directory = TemporaryDirectory()

    @Test func aProgramsProjectionIsListedWithItsCheckpointLagAndWhoRebuildsIt() throws {
        let cli = CLI(store: directory.appending("store"))
        // The program builds its projection over the first article only.
        do {
            var options = TimelineStore.Options()
            options.additionalProjections = [AssertionsPerKind()]
            let store = try TimelineStore(path: cli.store, options: options)
            try store.ingest(paths: [seedsDirectory + "/000_2a48a415106be147.yaml"])
        }
        let head = try TimelineStore(path: cli.store).log.head()
        #expect(cli.run("ingest", seedsDirectory).status == 0)

        let listed = cli.run("projections", "--format", "json")
        #expect(listed.status == 0, "\(listed.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(rows.compactMap { $0["name"] as? String } == ["timeline", "actors", "sources", "definitions", "assertions-per-kind"])
        let program = try #require(rows.last)
        #expect(program["kind"] as? String == "program")
        #expect(program["version"] as? Int == 2)
        #expect(program["checkpoint"] as? UInt64 == head)
        #expect(program["lag"] as? UInt64 == 83 - head)
        #expect((program["entries"] as? Int ?? 0) > 0)
        #expect(program["state"] as? String == "kept by the program that registers it: only that program catches it up or rebuilds it")
        #expect(cli.run("projections").output.contains("assertions-per-kind"))

        let replay = cli.run("replay", "--projection", "assertions-per-kind")
        #expect(replay.status == 64)
        #expect(replay.error == """
            annals: the projection "assertions-per-kind" is in the store, but its code is not in this annals: \
            the program that registers it (TimelineStore.Options.additionalProjections) rebuilds it with store.projections.rebuild(["assertions-per-kind"])

            """)
        // Replaying everything leaves it as it is, and the program catches it up later.
        #expect(cli.run("replay").status == 0)
        var options = TimelineStore.Options()
        options.additionalProjections = [AssertionsPerKind()]
        let store = try TimelineStore(path: cli.store, options: options)
        try store.catchUp()
        let status = try #require(try store.projections.status().first { $0.name == "assertions-per-kind" })
        #expect(status.condition == .current)
        #expect(status.checkpoint == 83)
    }
}
