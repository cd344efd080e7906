@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import LMDB
import Synchronization
import Testing

/// A replica appends a stream's messages: each carries its event's log record in a header
/// beside the CloudEvent (stored byte for byte), or only the CloudEvent (parsed and encoded
/// again); either way the replica ends on the source's head hash, and a message whose record
/// is damaged stops it at that message with the events before it kept.
@Suite struct StreamMessagesTests {
    let directory = TemporaryDirectory()

    private func source() throws -> TimelineStore {
        var options = TimelineStore.Options()
        options.durability = .bulk
        let ticks = Atomic<Int64>(1_622_505_600_000_000)
        options.clock = { Timestamp(microsecondsSinceEpoch: ticks.add(1_234_567, ordering: .relaxed).newValue) }
        let store = try TimelineStore(path: directory.appending("source"), options: options)
        let events = try RandomLog(seed: 17, length: 120).events
        for start in stride(from: 0, to: events.count, by: 7) {
            try store.log.append(Array(events[start..<min(start + 7, events.count)]))
        }
        // An event of a type Annals does not know: its payload is bytes to every reader.
        try store.log.append([NewEvent(id: "opaque/1", type: "sensor.reading", schemaVersion: 3, metadata: EventMetadata(source: "probe"),
                                       payload: [0, 255, 7])])
        return store
    }

    private func replica(_ name: String) throws -> TimelineStore {
        var options = TimelineStore.Options()
        options.durability = .bulk
        return try TimelineStore(path: directory.appending(name), options: options)
    }

    /// The source's events as a stream's messages, with their records or without.
    private func messages(of store: TimelineStore, carryingRecords: (UInt64) -> Bool) throws -> [StreamMessage] {
        var writer = CloudEventWriter(storeName: "source")
        var body = JSONWriter()
        var messages: [StreamMessage] = []
        try store.log.replay { event in
            body.reset()
            writer.write(event, to: &body)
            let record = carryingRecords(event.position) ? Array(Base64.encoded(event.record).utf8) : nil
            messages.append(StreamMessage(sequence: event.position, body: body.bytes, encodedRecord: record))
            return true
        }
        return messages
    }

    /// `record` with its chain hash made again after `previous`: a record whose hash is right
    /// but whose content is not what its type allows.
    private func resealed(_ record: [UInt8], after previous: ChainHash) -> [UInt8] {
        var record = record
        let hash = record.withUnsafeBytes { ChainHash.of(UnsafeRawBufferPointer(rebasing: $0[32...]), after: previous) }
        hash.withBytes { bytes in record.replaceSubrange(0..<32, with: bytes) }
        return record
    }

    private func encoded(_ record: [UInt8]) -> [UInt8] { Array(record.withUnsafeBytes { Base64.encoded($0) }.utf8) }

    @Test func recordsCloudEventsAndAMixOfThemAllGiveTheSourcesHeadHash() throws {
        let source = try source()
        let head = try source.log.head()
        #expect(head == 121)
        for (name, carrying) in [("records", { (_: UInt64) in true }), ("events", { _ in false }), ("mixed", { $0 % 3 == 0 })] {
            let replica = try replica(name)
            let all = try messages(of: source, carryingRecords: carrying)
            #expect(try replica.appendStreamMessages(Array(all[..<50])) == 50)
            #expect(try replica.appendStreamMessages(Array(all[50...])) == head)
            #expect(try replica.log.headHash() == source.log.headHash(), "\(name)")
            #expect(try replica.log.verify().isIntact)
            #expect(try replica.log.event(at: 121) == source.log.event(at: 121))
        }
    }

    /// The replica after appending `messages`, whose message at `sequence` is at fault: the
    /// problem reported, and the replica's head.
    private func failure(_ name: String, _ messages: [StreamMessage]) throws -> (StreamMessageProblem?, UInt64) {
        let replica = try replica(name)
        do {
            try replica.appendStreamMessages(messages)
            return (nil, try replica.log.head())
        } catch let problem as StreamMessageProblem {
            return (problem, try replica.log.head())
        }
    }

    @Test func aDamagedRecordStopsTheReplicaAtItsMessage() throws {
        let source = try source()
        let original = try messages(of: source, carryingRecords: { _ in true })
        let records = original.map { Base64.decode($0.encodedRecord!.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })! }
        let chain = try (0...121).map { position in try source.environment.read { txn in try source.log.chainHash(at: UInt64(position), in: txn)! } }

        func with(_ sequence: UInt64, record: [UInt8]? = nil, text: [UInt8]? = nil) -> [StreamMessage] {
            var changed = original
            changed[Int(sequence) - 1].encodedRecord = text ?? encoded(record!)
            return changed
        }

        // One byte of a payload changed: the chain hash says so.
        var flipped = records[39]
        flipped[flipped.count - 1] ^= 0x01
        var (problem, head) = try failure("flipped", with(40, record: flipped))
        #expect(head == 39)
        #expect(problem?.sequence == 40)
        #expect(problem?.field == "Annals-Record")
        #expect(problem?.problem.hasPrefix("the event at position 40 does not reproduce its chain hash") == true, "\(String(describing: problem))")

        (problem, head) = try failure("base64", with(12, text: Array("not*base64".utf8)))
        #expect(head == 11)
        #expect(problem == StreamMessageProblem(sequence: 12, field: "Annals-Record", problem: "is not Base64 (RFC 4648, with padding)"))

        // The record of position 31 sent as message 30.
        (problem, head) = try failure("misplaced", with(30, record: records[30]))
        #expect(head == 29)
        #expect(problem == StreamMessageProblem(sequence: 30, field: "Annals-Record", problem: "is not a log record at position 30: the record says it is at position 31"))

        (problem, head) = try failure("short", with(5, record: Array(records[4].prefix(40))))
        #expect(head == 4)
        #expect(problem == StreamMessageProblem(sequence: 5, field: "Annals-Record",
                                                problem: "is not a log record at position 5: the record is 40 bytes, shorter than the 64-byte header"))

        // A hash made to fit a payload that is not its type's: refused all the same.
        let fact = try #require(try source.log.events(from: 1, limit: 121).first { $0.type == "fact.asserted" })
        var garbled = records[Int(fact.position) - 1]
        garbled.replaceSubrange((garbled.count - fact.payload.count)..., with: [UInt8](repeating: 0xEE, count: fact.payload.count))
        (problem, head) = try failure("garbled", with(fact.position, record: resealed(garbled, after: chain[Int(fact.position) - 1])))
        #expect(head == fact.position - 1)
        #expect(problem?.sequence == fact.position)
        #expect(problem?.problem.hasPrefix("holds a record its event type cannot read: the payload") == true, "\(String(describing: problem))")

        // An id that is not UTF-8, under a hash made to fit it.
        var badID = records[59]
        badID[64] = 0xFF
        (problem, head) = try failure("utf8", with(60, record: resealed(badID, after: chain[59])))
        #expect(head == 59)
        #expect(problem == StreamMessageProblem(sequence: 60, field: "Annals-Record", problem: "the record for position 60 is malformed: its id is not valid UTF-8"))

        // A recorded-at earlier than the event before it, under a hash made to fit it.
        var early = records[80]
        early.replaceSubrange(40..<48, with: withUnsafeBytes(of: Int64(0).littleEndian) { Array($0) })
        (problem, head) = try failure("early", with(81, record: resealed(early, after: chain[80])))
        #expect(head == 80)
        #expect(problem?.sequence == 81)
        #expect(problem?.problem.hasPrefix("the event at position 81 was recorded at 1970-01-01") == true, "\(String(describing: problem))")
    }

    @Test func aMessageAfterAGapIsNamedByItsOwnSequence() throws {
        let source = try source()
        let all = try messages(of: source, carryingRecords: { _ in true })
        let replica = try replica("gap")
        try replica.appendStreamMessages(Array(all[..<10]))
        // Message 12 where 11 should come: the stream lost one.
        #expect(throws: StreamMessageProblem(sequence: 12, field: "Annals-Record",
                                             problem: "the record for position 11 is malformed: the record says it is at position 12")) {
            try replica.appendStreamMessages(Array(all[11..<20]))
        }
        #expect(try replica.log.head() == 10)
    }

    @Test func aRecordOfAnEventTheLogHoldsIsRefused() throws {
        let source = try source()
        let all = try messages(of: source, carryingRecords: { _ in true })
        let replica = try replica("twice")
        try replica.appendStreamMessages(Array(all[..<10]))
        // Message 11 carries event 3's record, moved to position 11 and chained after event 10.
        var record = Base64.decode(all[2].encodedRecord!.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })!
        record.replaceSubrange(32..<40, with: withUnsafeBytes(of: UInt64(11).littleEndian) { Array($0) })
        record.replaceSubrange(40..<48, with: withUnsafeBytes(of: Int64.max.littleEndian) { Array($0) })
        let previous = try replica.log.headHash()
        let third = try #require(try source.log.event(at: 3))
        var message = all[10]
        message.encodedRecord = encoded(resealed(record, after: previous))
        #expect(throws: StreamMessageProblem(sequence: 11, field: "Annals-Record",
                                             problem: "the event at position 11 has id \(String(reflecting: third.id)), which the log already holds at position 3")) {
            try replica.appendStreamMessages([message])
        }
        #expect(try replica.log.head() == 10)
    }
}
