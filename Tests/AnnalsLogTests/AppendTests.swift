import AnnalsLog
import AnnalsTestSupport
import Dispatch
import LMDB
import Synchronization
import Testing

func event(_ id: String, type: String = "test.happened", payload: String = "", source: String? = nil) -> NewEvent {
    NewEvent(id: id, type: type, metadata: EventMetadata(source: source), payload: Array(payload.utf8))
}

/// A clock that returns the times it is given, in order, then repeats the last one.
final class ScriptedClock: Sendable {
    private let times: Mutex<[Int64]>

    init(_ times: [Int64]) { self.times = Mutex(times) }

    var function: @Sendable () -> Timestamp {
        { [self] in
            times.withLock { times in
                let next = times.count > 1 ? times.removeFirst() : times[0]
                return Timestamp(microsecondsSinceEpoch: next)
            }
        }
    }
}

@Suite struct AppendTests {
    let directory = TemporaryDirectory()

    @Test func aReplicaRefusesLocalAppendsButTakesItsStreamsEvents() throws {
        let original = try EventLog(path: directory.appending("original"))
        try original.append([event("a"), event("b")])
        let copied = try original.environment.read { txn in
            try (UInt64(1)...2).map { position in
                let view = try #require(try original.view(at: position, in: txn))
                return RecordedEvent(position: position, recordedAt: view.recordedAt, event: event(view.id), chainHash: ChainHash(view.chainHash))
            }
        }
        let replica = try EventLog(path: directory.appending("replica"))
        #expect(try replica.replicaSource() == nil)
        try replica.environment.write { txn in try replica.markReplica(of: "ANNALS", in: txn) }
        #expect(try replica.replicaSource() == "ANNALS")
        #expect(throws: EventLogError.replica(path: directory.appending("replica"), source: "ANNALS")) { try replica.append([event("local")]) }
        #expect(try replica.head() == 0)
        #expect(try replica.appendRecorded(copied) == 2)
        #expect(try replica.headHash() == original.headHash())
        #expect(throws: EventLogError.replica(path: directory.appending("replica"), source: "ANNALS")) { try replica.append([event("c")]) }
    }

    @Test func positionsStartAtOneAndHaveNoGaps() throws {
        let log = try EventLog(path: directory.path)
        #expect(try log.head() == 0)
        let first = try log.append([event("a"), event("b"), event("c")])
        #expect(first.outcomes == [.appended(1), .appended(2), .appended(3)])
        #expect(first.head == 3)
        #expect(first.appendedPositions == 1...3)
        let second = try log.append([event("d")])
        #expect(second.outcomes == [.appended(4)])
        #expect(try log.head() == 4)
        #expect(try log.events(from: 1, limit: 10).map(\.position) == [1, 2, 3, 4])
        #expect(try log.events(from: 1, limit: 10).map(\.id) == ["a", "b", "c", "d"])
    }

    @Test func anIDAlreadyInTheLogIsNotAppendedAgain() throws {
        let log = try EventLog(path: directory.path)
        try log.append([event("a"), event("b")])
        let again = try log.append([event("b", payload: "different"), event("c"), event("a")])
        #expect(again.outcomes == [.alreadyPresent(2), .appended(3), .alreadyPresent(1)])
        #expect(again.appendedCount == 1)
        #expect(again.alreadyPresentCount == 2)
        #expect(try log.event(at: 2)?.payload == [])  // the first version stays
        let nothingNew = try log.append([event("a"), event("c")])
        #expect(nothingNew.outcomes == [.alreadyPresent(1), .alreadyPresent(3)])
        #expect(nothingNew.recordedAt == nil)
        #expect(nothingNew.appendedPositions == nil)
        #expect(try log.head() == 3)
    }

    @Test func aDuplicateWithinOneBatchPointsAtItsFirstOccurrence() throws {
        let log = try EventLog(path: directory.path)
        let result = try log.append([event("x"), event("y"), event("x"), event("y"), event("z")])
        #expect(result.outcomes == [.appended(1), .appended(2), .alreadyPresent(1), .alreadyPresent(2), .appended(3)])
        #expect(try log.head() == 3)
    }

    @Test func anIDIndexThatLostAnEntryIsRefusedBeforeAnEventGoesInTwice() throws {
        let log = try EventLog(path: directory.path)
        try log.append([event("a"), event("b"), event("c")])
        let ids = try log.environment.openDatabase(EventLog.DatabaseName.ids, create: false)
        try log.environment.write { try $0.delete("b", in: ids) }
        #expect(throws: EventLogError.idIndexDisagrees(entries: 2, events: 3)) { try log.append([event("b")]) }
        #expect(throws: EventLogError.idIndexDisagrees(entries: 2, events: 3)) { try log.append([event("d")]) }
        #expect(try log.head() == 3)
    }

    @Test func anIDIndexWithAnEntryTooManyIsRefused() throws {
        let log = try EventLog(path: directory.path)
        try log.append([event("a")])
        let ids = try log.environment.openDatabase(EventLog.DatabaseName.ids, create: false)
        try log.environment.write { try $0.put(UInt64(1), forKey: "ghost", in: ids) }
        let error = #expect(throws: EventLogError.self) { try log.append([event("ghost"), event("b")]) }
        #expect(error == .idIndexDisagrees(entries: 2, events: 1))
        #expect(error?.description == "the id index holds 2 entries, but the log holds 1 event")
        #expect(error?.meansStoreIsDamaged == true)
        #expect(try log.head() == 1)
    }

    @Test func anExpectedHeadThatMovedFailsAndWritesNothing() throws {
        let log = try EventLog(path: directory.path)
        try log.append([event("a"), event("b")], expectingHead: 0)
        let error = #expect(throws: EventLogError.self) { try log.append([event("c")], expectingHead: 1) }
        #expect(error == .headMismatch(expected: 1, actual: 2))
        #expect(error?.description == "expected the log head at position 1, but it is at 2: another writer appended first")
        #expect(try log.head() == 2)
        #expect(try log.append([event("c")], expectingHead: 2).outcomes == [.appended(3)])
    }

    @Test func eachBatchIsRecordedLaterThanTheLastEvenWhenTheClockGoesBack() throws {
        let clock = ScriptedClock([5_000, 9_000, 3_000, 12_000])
        let log = try EventLog(environment: try Environment(path: directory.path), clock: clock.function)
        // The first reading stamps the store's creation.
        #expect(try log.append([event("a"), event("b")]).recordedAt?.microsecondsSinceEpoch == 9_000)
        // The clock stepped back to 3000: the batch takes the next microsecond after the last.
        #expect(try log.append([event("c")]).recordedAt?.microsecondsSinceEpoch == 9_001)
        #expect(try log.append([event("d")]).recordedAt?.microsecondsSinceEpoch == 12_000)
        let times = try log.events(from: 1, limit: 10).map(\.recordedAt.microsecondsSinceEpoch)
        #expect(times == [9_000, 9_000, 9_001, 12_000])
    }

    @Test(arguments: [
        (NewEvent(id: "", type: "t", payload: []), "event 2 of the batch (id <empty>): id is empty; expected 1 to 255 bytes"),
        (NewEvent(id: String(repeating: "x", count: 256), type: "t", payload: []),
         "event 2 of the batch (id \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"): id is 256 bytes long; at most 255 fit"),
        (NewEvent(id: "ok", type: "", payload: []), "event 2 of the batch (id \"ok\"): type is empty; expected 1 to 255 bytes"),
        (NewEvent(id: "ok", type: "t", metadata: EventMetadata(source: String(repeating: "é", count: 128)), payload: []),
         "event 2 of the batch (id \"ok\"): source is 256 bytes long; at most 255 fit"),
    ])
    func anInvalidEventRejectsTheWholeBatch(_ invalid: NewEvent, _ message: String) throws {
        let log = try EventLog(path: directory.path)
        try log.append([event("before")])
        let error = #expect(throws: EventLogError.self) { try log.append([event("first"), invalid, event("third")]) }
        #expect(error?.description == message)
        #expect(try log.head() == 1)
        #expect(try log.position(ofID: "first") == nil)
    }

    @Test func aFailureInTheMiddleOfABatchLeavesNothingOfIt() throws {
        struct Interrupted: Error {}
        let env = try Environment(path: directory.path)
        let log = try EventLog(environment: env)
        try log.append([event("a")])
        #expect(throws: Interrupted.self) {
            try env.write { txn in
                _ = try log.append([event("b"), event("c")], in: txn)
                throw Interrupted()
            }
        }
        #expect(try log.head() == 1)
        #expect(try log.position(ofID: "b") == nil)
        #expect(try log.append([event("b")]).outcomes == [.appended(2)])
        #expect(try log.verify().isIntact)
    }

    @Test func aBatchThatDoesNotFitTheSizeLimitLeavesNothingOfIt() throws {
        let env = try Environment(path: directory.path, configuration: .init(mapSize: 256 << 10, maximumMapSize: 512 << 10))
        let log = try EventLog(environment: env)
        try log.append((0..<100).map { event("small-\($0)", payload: String(repeating: "x", count: 100)) })
        let big = (0..<2000).map { event("big-\($0)", payload: String(repeating: "y", count: 300)) }
        let error = #expect(throws: LMDBError.self) { try log.append(big) }
        #expect(error?.code == .mapFull)
        #expect(try log.head() == 100)
        #expect(try log.position(ofID: "big-0") == nil)
        #expect(try log.verify().isIntact)
    }

    @Test func threadsAppendingAtOnceGetGaplessDistinctPositions() throws {
        let env = try Environment(path: directory.path, configuration: .init(flags: [.noThreadLocalStorage, .noSync]))
        let log = try EventLog(environment: env)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for batch in 0..<50 {
                let events = (0..<20).map { event("t\(thread)-b\(batch)-\($0)") }
                _ = try? log.append(events)
            }
        }
        #expect(try log.head() == 4000)
        var seen = Set<String>()
        try log.replay { view in
            seen.insert(view.id)
            return true
        }
        #expect(seen.count == 4000)
        let report = try log.verify()
        #expect(report.isIntact)
        #expect(report.eventsChecked == 4000)
    }

    @Test func twoProcessesAppendingAtOnceGetGaplessDistinctPositions() throws {
        _ = try EventLog(path: directory.path)  // create the store before the writers race
        let harness = builtExecutable("annals-harness")
        let results = Mutex<[ProcessResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let result = try? runProcess(harness, [
                "append", "--store", directory.path, "--writer", "w\(writer)", "--batches", "40", "--batch-size", "50",
            ])
            if let result { results.withLock { $0.append(result) } }
        }
        let finished = results.withLock { $0 }
        #expect(finished.count == 2)
        #expect(finished.allSatisfy { $0.status == 0 }, "\(finished.map(\.standardError))")
        let log = try EventLog(path: directory.path)
        #expect(try log.head() == 4000)
        var perWriter = [String: Int]()
        var positions: [UInt64] = []
        try log.replay { view in
            perWriter[view.metadata.source ?? "", default: 0] += 1
            positions.append(view.position)
            return true
        }
        #expect(perWriter == ["w0": 2000, "w1": 2000])
        #expect(positions == Array(1...4000))
        // Each writer saw its own batches land at increasing, non-overlapping positions.
        for result in finished {
            let ranges = result.standardOutput.split(separator: "\n").compactMap { $0.split(separator: " ").last }
            #expect(ranges.count == 40)
        }
        #expect(try log.verify().isIntact)
    }

    @Test func bulkAppendsAreThereAfterFlushAndReopen() throws {
        do {
            let log = try EventLog(path: directory.path, durability: .bulk)
            try log.append((0..<1000).map { event("bulk-\($0)") })
            try log.flush()
        }
        let reopened = try EventLog(path: directory.path, readOnly: true)
        #expect(try reopened.head() == 1000)
        #expect(try reopened.event(id: "bulk-999")?.position == 1000)
    }
}
