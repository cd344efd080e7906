import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
import AnnalsTimeline
import LMDB
import Testing

// The README's example, verbatim: a projection of ransom payments by payer.
struct RansomsByPayer: Projection {
    let name = "ransoms-by-payer"
    let version = 1
    let eventTypes = [DomainEventType.factAsserted]
    let databaseNames = ["payments"]

    func apply(_ event: EventView, to state: ProjectionDatabases, in txn: borrowing Transaction) throws {
        let fact = try FactAssertion(event)
        guard fact.kind == .ransomPayment, let ransom = fact.quantity(named: "ransom") else { return }
        for payer in fact.actors(withRole: .payer) {
            try txn.put(ransom.display, forKey: "\(payer)/\(fact.fact)", in: state["payments"])
        }
    }
}

@Suite struct CustomProjectionTests {
    let directory = TemporaryDirectory()

    @Test func theREADMEsRansomProjectionFoldsTheSeeds() throws {
        var options = TimelineStore.Options()
        options.additionalProjections = [RansomsByPayer()]
        let store = try TimelineStore(path: directory.path, options: options)
        try store.ingest(paths: [repositoryRoot + "/seeds"])
        let payments = try store.environment.read { txn in
            let state = try store.projections.state(of: RansomsByPayer(), in: txn)
            var payments: [String: String] = [:]
            try txn.forEach(in: state["payments"]) { entry in
                payments[String(decoding: entry.key, as: UTF8.self)] = String(decoding: entry.value, as: UTF8.self)
                return true
            }
            return payments
        }
        #expect(payments == ["colonial-pipeline/colonial-pipeline-ransom-payment": "~5000000 USD"])
        // It is a projection like the built-in ones: versioned, checkpointed, rebuildable.
        let status = try #require(try store.projections.status().first { $0.name == "ransoms-by-payer" })
        #expect(status.checkpoint == 83)
        #expect(status.condition == .current)
        #expect(try store.projections.compareWithRebuild(["ransoms-by-payer"]).allSatisfy(\.isIdentical))
    }
}
