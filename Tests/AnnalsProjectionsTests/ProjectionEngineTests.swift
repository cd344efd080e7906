import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
import Dispatch
import Foundation
import LMDB
import Synchronization
import Testing

/// Counts events per type and records every position it applied, so tests can check exactly
/// what the engine fed it.
final class CountingProjection: Projection, @unchecked Sendable {
    let name: String
    let version: Int
    let eventTypes: [EventTypeName]
    let databaseNames = ["counts", "applied"]
    /// Every event the engine handed to `apply`, across all transactions (committed or not).
    let handed = Mutex<[UInt64]>([])

    init(name: String = "counting", version: Int = 1, types: [EventTypeName] = ["kept"]) {
        self.name = name
        self.version = version
        eventTypes = types
    }

    func apply(_ event: EventView, to state: ProjectionDatabases, in txn: borrowing Transaction) throws {
        handed.withLock { $0.append(event.position) }
        let count = try txn.get(event.type, in: state["counts"])?.bigEndianUInt64 ?? 0
        try txn.put(count + 1, forKey: event.type, in: state["counts"])
        try txn.put(event.payload.count > 0 ? [1] as [UInt8] : [0], forKey: event.position, in: state["applied"], flags: .noOverwrite)
    }
}

private func events(_ range: Range<Int>, type: (Int) -> String = { $0 % 3 == 0 ? "skipped" : "kept" }) -> [NewEvent] {
    range.map { NewEvent(id: "e\($0)", type: type($0), payload: [UInt8($0 % 256)]) }
}

private func count(_ type: String, _ engine: ProjectionEngine, _ projection: CountingProjection) throws -> UInt64 {
    try engine.log.environment.read { txn in
        try txn.get(type, in: try engine.state(of: projection, in: txn)["counts"])?.bigEndianUInt64 ?? 0
    }
}

@Suite(.timeLimit(.minutes(2))) struct ProjectionEngineTests {
    let directory = TemporaryDirectory()

    @Test func catchUpAppliesEachConsumedEventOnceAndSkipsTheRest() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<30))
        let first = try engine.catchUp(eventsPerTransaction: 7)
        #expect(first.rebuilt.map(\.name) == ["counting"])  // never built: built from the log
        try log.append(events(30..<60))
        let second = try engine.catchUp(eventsPerTransaction: 7)
        #expect(second.eventsApplied == 20)
        #expect(second.reached == 60)
        #expect(try count("kept", engine, projection) == 40)
        #expect(try count("skipped", engine, projection) == 0)
        // Events of other types were never handed over, and nothing was handed twice.
        let handed = projection.handed.withLock { $0 }
        #expect(handed == (1...60).filter { ($0 - 1) % 3 != 0 })
        let again = try engine.catchUp()
        #expect(again.eventsApplied == 0)
        #expect(try engine.status().map(\.condition) == [.current])
    }

    @Test func aNewVersionMakesTheStoredStateStaleAndCatchUpRebuildsIt() throws {
        let log = try EventLog(path: directory.path)
        try log.append(events(0..<12))
        do {
            let engine = try ProjectionEngine(log: log, projections: [CountingProjection(version: 1)])
            try engine.catchUp()
        }
        let newer = CountingProjection(version: 2, types: ["kept", "skipped"])
        let engine = try ProjectionEngine(log: log, projections: [newer])
        #expect(try engine.status().first?.condition == .stale(storedVersion: 1))
        let report = try engine.catchUp()
        #expect(report.rebuilt.map(\.name) == ["counting"])
        #expect(try engine.status().first?.condition == .current)
        #expect(try engine.status().first?.version == 2)
        #expect(try count("skipped", engine, newer) == 4)
        #expect(try count("kept", engine, newer) == 8)
    }

    @Test func readersKeepTheOldVersionWhileARebuildRuns() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<300))
        try engine.catchUp()
        try log.environment.read { txn in
            let state = try engine.state(of: projection, in: txn)
            // Another thread rebuilds and swaps while this snapshot is open.
            let rebuilt = DispatchGroup()
            DispatchQueue.dedicated("rebuild").async(group: rebuilt) { _ = try? engine.rebuild(eventsPerTransaction: 50) }
            rebuilt.wait()
            #expect(try txn.get("kept", in: state["counts"])?.bigEndianUInt64 == 200)
            #expect(try txn.statistics(of: state["applied"]).entries == 200)
        }
        #expect(try count("kept", engine, projection) == 200)
        #expect(try engine.compareWithRebuild().allSatisfy(\.isIdentical))
    }

    /// Two processes opening a fresh store both start building its projections; the one that
    /// loses the race to swap must take the other's finished result, not fail.
    @Test func aRebuildFinishedByAnotherWriterCountsAsDone() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<90))
        var competitorReports: [RebuildReport] = []
        let reports = try engine.rebuild(eventsPerTransaction: 10) { reached, _ in
            // Between two chunks of this rebuild, another writer resumes it and swaps it in.
            if reached == 10 { competitorReports = (try? engine.rebuild(eventsPerTransaction: 10)) ?? [] }
        }
        #expect(competitorReports.map(\.resumedFrom) == [10])
        #expect(competitorReports.map(\.reached) == [90])
        #expect(reports.map(\.name) == ["counting"])
        #expect(try engine.status().first?.condition == .current)
        #expect(try engine.status().first?.checkpoint == 90)
        #expect(try count("kept", engine, projection) == 60)
        #expect(try engine.compareWithRebuild().allSatisfy(\.isIdentical))
    }

    @Test func concurrentCatchUpsStillApplyEachEventOnce() throws {
        let env = try Environment(path: directory.path, configuration: .init(flags: [.noThreadLocalStorage, .noSync]))
        let log = try EventLog(environment: env)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try engine.catchUp()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for batch in 0..<20 {
                _ = try? log.append(events((worker * 1000 + batch * 10)..<(worker * 1000 + batch * 10 + 10), type: { _ in "kept" }))
                _ = try? engine.catchUp(eventsPerTransaction: 5)
            }
        }
        try engine.catchUp()
        #expect(try count("kept", engine, projection) == 800)
        // `applied` refuses a second write for a position, so a double apply would have failed its transaction.
        #expect(try engine.status().first?.checkpoint == 800)
        #expect(try engine.compareWithRebuild().allSatisfy(\.isIdentical))
    }

    @Test func comparingWithARebuildFindsTamperedState() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<20))
        try engine.catchUp()
        try log.environment.write { txn in
            try txn.put(UInt64(999), forKey: "kept", in: try engine.state(of: projection, in: txn)["counts"])
        }
        let comparison = try #require(try engine.compareWithRebuild().first)
        #expect(comparison.difference == "counts: entry 1 has a different value")
        #expect(comparison.checkpoint == 20)
    }

    @Test func aScratchRebuildToAnEarlierPositionLeavesTheLiveVersionAlone() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<30))
        try engine.catchUp()
        let early = try engine.withScratchRebuild(of: projection, through: 9) { state, txn in
            try txn.get("kept", in: state["counts"])?.bigEndianUInt64
        }
        #expect(early == 6)
        #expect(try count("kept", engine, projection) == 20)
        #expect(try engine.scratchRebuildEntryCount("counting", through: 30) == 21)
        #expect(try engine.status().first?.condition == .current)
    }

    @Test func scratchRebuildsAndComparisonsOnlyReadTheStore() throws {
        do {
            let log = try EventLog(path: directory.path)
            let engine = try ProjectionEngine(log: log, projections: [CountingProjection()])
            try log.append(events(0..<40))
            try engine.catchUp(eventsPerTransaction: 9)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.appending("data.mdb")))
        let readOnly = try EventLog(path: directory.path, readOnly: true)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: readOnly, projections: [projection])
        let early = try engine.withScratchRebuild(of: projection, through: 9, eventsPerTransaction: 4) { state, txn in
            try txn.get("kept", in: state["counts"])?.bigEndianUInt64
        }
        #expect(early == 6)
        var reached: [UInt64] = []
        #expect(try engine.scratchRebuildEntryCount("counting", through: 40) { done, _ in reached.append(done) } == 27)
        #expect(reached == [40])
        #expect(try engine.compareWithRebuild().map(\.difference) == [nil])
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.appending("data.mdb"))) == before)
    }

    @Test func aCheckpointBeyondTheHeadDiffersFromARebuild() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<10))
        try engine.catchUp()
        let catalog = try log.environment.openDatabase(ProjectionEngine.catalogDatabaseName, create: false)
        try log.environment.write { txn in
            var entry = try #require(try txn.getCopy("counting", in: catalog))
            entry[5] = 99  // the checkpoint's low byte: 99 where the head is 10
            try txn.put(entry, forKey: "counting", in: catalog)
        }
        #expect(try engine.compareWithRebuild().map(\.difference) == ["its checkpoint is beyond the log's head, 10"])
    }

    @Test func aRebuildReplacesADamagedCatalogEntry() throws {
        let log = try EventLog(path: directory.path)
        let projection = CountingProjection()
        let engine = try ProjectionEngine(log: log, projections: [projection])
        try log.append(events(0..<10))
        try engine.catchUp()
        let catalog = try log.environment.openDatabase(ProjectionEngine.catalogDatabaseName, create: false)
        try log.environment.write { try $0.put([1, 2, 3] as [UInt8], forKey: "counting", in: catalog) }
        #expect(throws: ProjectionError.damagedCatalog("counting")) { try engine.status() }
        try engine.rebuild(["counting"])
        #expect(try engine.status().first?.condition == .current)
        #expect(try count("kept", engine, projection) == 6)
    }

    @Test func namesAreChecked() throws {
        let log = try EventLog(path: directory.path)
        #expect(throws: ProjectionError.invalidName("Bad Name")) {
            try ProjectionEngine(log: log, projections: [CountingProjection(name: "Bad Name")])
        }
        #expect(throws: ProjectionError.duplicateName("counting")) {
            try ProjectionEngine(log: log, projections: [CountingProjection(), CountingProjection()])
        }
    }
}
