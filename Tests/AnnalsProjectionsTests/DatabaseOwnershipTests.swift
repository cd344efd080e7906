import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
import LMDB
import Testing

/// Programs that walk a store's databases (the corruption harness, `annals verify`) ask the
/// engine which projection owns one instead of parsing its name.
@Suite struct DatabaseOwnershipTests {
    let directory = TemporaryDirectory()

    @Test func everyDatabaseAProjectionOpensIsTracedBackToIt() throws {
        let log = try EventLog(path: directory.path)
        _ = try ProjectionEngine(log: log, projections: [CountingProjection(), CountingProjection(name: "other-2")])
        let names = try log.environment.databaseNames()
        let owners = names.map { ProjectionEngine.projection(owningDatabase: $0) }
        // Two slots of each projection's two databases.
        #expect(owners.filter { $0 == "counting" }.count == 4)
        #expect(owners.filter { $0 == "other-2" }.count == 4)
        let unowned = Set(zip(names, owners).filter { $0.1 == nil }.map(\.0))
        #expect(unowned == [EventLog.DatabaseName.records, EventLog.DatabaseName.ids, EventLog.DatabaseName.meta, ProjectionEngine.catalogDatabaseName])
    }
}
