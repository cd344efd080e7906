@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import Foundation
import LMDB
import Synchronization
import Testing

/// Export to CloudEvents and import back: the copy is the same log, to the head hash; a file
/// that was changed anywhere is refused with its line, and the store is left as it was.
@Suite struct CloudEventsTests {
    let directory = TemporaryDirectory()

    /// A random domain log of `length` events with, every 50th, an event of a type Annals does
    /// not know (random bytes, all three metadata fields): a payload export keeps as bytes.
    private func mixedLog(seed: UInt64, length: Int) throws -> [NewEvent] {
        let domain = try RandomLog(seed: seed, length: length).events
        var random = SeededGenerator(seed: seed ^ 0xC10D)
        var events: [NewEvent] = []
        for (index, event) in domain.enumerated() {
            events.append(event)
            if index % 50 == 49 {
                let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                events.append(NewEvent(id: "opaque/\(index)", type: "sensor.reading\u{2028}", schemaVersion: 3,
                                       metadata: EventMetadata(source: "probe \"7\"", correlationID: "run/\(index % 3)", causationID: "opaque/\(index - 50)"),
                                       payload: bytes))
            }
        }
        return events
    }

    private func store(_ name: String, holding events: [NewEvent], perBatch: Int = 9, clockStart: Int64 = 1_622_505_600_000_000) throws -> TimelineStore {
        var options = TimelineStore.Options()
        options.durability = .bulk
        let ticks = Atomic<Int64>(clockStart)
        options.clock = { Timestamp(microsecondsSinceEpoch: ticks.add(1_234_567, ordering: .relaxed).newValue) }
        let store = try TimelineStore(path: directory.appending(name), options: options)
        for start in stride(from: 0, to: events.count, by: perBatch) {
            try store.log.append(Array(events[start..<min(start + perBatch, events.count)]))
        }
        return store
    }

    private func emptyStore(_ name: String) throws -> TimelineStore {
        var options = TimelineStore.Options()
        options.durability = .bulk
        return try TimelineStore(path: directory.appending(name), options: options)
    }

    private func exported(_ store: TimelineStore, from position: UInt64 = 1) throws -> [UInt8] {
        var text: [UInt8] = []
        try store.exportCloudEvents(from: position) { chunk in
            text.append(contentsOf: chunk)
            return true
        }
        return text
    }

    private func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = directory.appending(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Every record of two logs, byte for byte.
    private func records(_ store: TimelineStore) throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        try store.log.replay { event in
            records.append(Array(event.record))
            return true
        }
        return records
    }

    @Test func aRandomLogOfAHundredThousandEventsComesBackToTheSameHeadHash() throws {
        let events = try mixedLog(seed: 15, length: 100_000)
        let original = try store("original", holding: events, perBatch: 1_000)
        let file = try write(try exported(original), "log.jsonl")

        let copy = try emptyStore("copy")
        // Only the log is compared here; the other tests import with the projections' catch-up.
        let report = try copy.importCloudEvents(path: file, catchingUp: false)
        #expect(report.events == events.count)
        #expect(report.appended == events.count)
        #expect(report.positions == 1...UInt64(events.count))
        #expect(report.headHash == (try original.log.headHash()))
        // The chain hash covers every byte of every record: equal head hashes, equal logs.
        #expect(try copy.log.verify().headHash == (try original.log.headHash()))
    }

    /// Export transcodes every other stretch of the log on a second thread: the text is still
    /// the log's events in order, line for line what one writer makes of each, from any
    /// position, and a reader that stops (or fails) stops both threads.
    @Test func theExportOnTwoThreadsIsTheLogInOrderAndStopsWithItsReader() throws {
        let events = try mixedLog(seed: 23, length: 5 * TimelineStore.exportChunkEvents + 17)
        let store = try store("two-threads", holding: events, perBatch: 500)
        var expected: [UInt8] = []
        var writer = CloudEventWriter(storeName: "two-threads")
        var line = JSONWriter()
        try store.log.replay { event in
            line.reset()
            writer.write(event, to: &line)
            expected.append(contentsOf: line.bytes)
            expected.append(UInt8(ascii: "\n"))
            return true
        }
        #expect(try exported(store) == expected)
        let fromMiddle = try exported(store, from: 3_001)
        #expect(fromMiddle == Array(lines(expected).dropFirst(3_000).map { $0 + "\n" }.joined().utf8))

        var chunks = 0
        let stopped = try store.exportCloudEvents { _ in
            chunks += 1
            return chunks < 3
        }
        #expect(stopped.events == 3 * TimelineStore.exportChunkEvents)
        #expect(stopped.positions == 1...UInt64(3 * TimelineStore.exportChunkEvents))

        struct ReaderGone: Error {}
        #expect(throws: ReaderGone.self) {
            try store.exportCloudEvents { _ in
                chunks += 1
                if chunks == 5 { throw ReaderGone() }
                return true
            }
        }
    }

    @Test func intoAStoreHoldingAPrefixOnlyTheRestIsAppended() throws {
        let events = try mixedLog(seed: 16, length: 400)
        let original = try store("original", holding: events)
        let all = lines(try exported(original))
        let copy = try emptyStore("copy")
        // The first part, then the whole file; and an export of the rest alone, from a position.
        try copy.importCloudEvents(path: try write(Array((all.prefix(150).joined(separator: "\n") + "\n").utf8), "first.jsonl"))
        let report = try copy.importCloudEvents(path: try write(Array((all.prefix(300).joined(separator: "\n") + "\n").utf8), "more.jsonl"))
        #expect(report.alreadyPresent == 150)
        #expect(report.positions == 151...300)
        let rest = try copy.importCloudEvents(path: try write(try exported(original, from: 301), "rest.jsonl"))
        #expect(rest.alreadyPresent == 0)
        #expect(rest.positions == 301...UInt64(all.count))
        #expect(rest.headHash == (try original.log.headHash()))
        #expect(try records(copy) == (try records(original)))

        // Importing the whole file again changes nothing.
        let again = try copy.importCloudEvents(path: try write(try exported(original), "all.jsonl"))
        #expect(again.appended == 0)
        #expect(again.alreadyPresent == all.count)
        #expect(again.positions == nil)
        #expect(again.headHash == rest.headHash)
    }

    /// Every line export writes, for the seeds and for a log with events of every kind, is a
    /// valid CloudEvent by the schema in Tests/Fixtures/cloudevents.
    @Test func everyExportedLineIsAValidCloudEvent() throws {
        let seeds = try emptyStore("seeds")
        try seeds.ingest(paths: [repositoryRoot + "/seeds"])
        let mixed = try store("mixed", holding: try mixedLog(seed: 21, length: 3_000))
        for (name, store) in [("seeds", seeds), ("mixed", mixed)] {
            let text = try exported(store)
            let path = try write(text, "\(name).jsonl")
            let result = try runProcess(systemPython, [repositoryRoot + "/Tests/Fixtures/cloudevents/validate.py", path])
            let head = try store.log.head()
            #expect(result.status == 0, "\(name): \(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput == "\(head) events valid\n", "\(name)")
        }
    }

    /// Each kind of damage, the line and attribute it is reported at, and the message's start.
    @Test func aChangedFileIsRefusedAtItsLineAndTheStoreIsLeftAsItWas() throws {
        let events = try mixedLog(seed: 17, length: 120)
        let original = try store("original", holding: events)
        let all = lines(try exported(original))
        func replacing(_ line: Int, _ body: (String) -> String) -> [String] {
            var changed = all
            changed[line - 1] = body(changed[line - 1])
            return changed
        }
        let summary = try #require(all.firstIndex { $0.contains(#""type":"org.annals.fact.asserted""#) }) + 1
        let cases: [(String, [String], Int, String)] = [
            ("a changed summary", replacing(summary) { $0.replacingOccurrences(of: "\"summary\":\"", with: "\"summary\":\"X") }, summary,
             "chainhash: is "),
            ("a changed recorded-at", replacing(40) { line in
                line.replacingOccurrences(of: #""time":"2021"#, with: #""time":"2022"#) }, 40, "chainhash: is "),
            ("a missing line", Array(all[0..<30] + all[31...]), 31, "position: is 32; expected 31"),
            ("two lines swapped", Array(all[0..<10] + [all[11], all[10]] + all[12...]), 11, "position: is 12; expected 11"),
            ("a line twice", Array(all[0..<21] + [all[20]] + all[21...]), 22, "position: is 21; expected 22"),
            ("broken JSON", replacing(5) { String($0.dropLast()) }, 5, "column "),
            ("no chain hash", replacing(6) { $0.replacingOccurrences(of: #""chainhash":""#, with: #""chainhashx":""#) }, 6, "chainhash: is missing"),
            ("another spec version", replacing(7) { $0.replacingOccurrences(of: #""specversion":"1.0""#, with: #""specversion":"0.3""#) }, 7,
             "specversion: is \"0.3\""),
            ("a foreign type", replacing(8) { $0.replacingOccurrences(of: #""type":"org.annals."#, with: #""type":"com.example."#) }, 8,
             "type: is \"com.example."),
            ("data and data_base64", replacing(9) { $0.replacingOccurrences(of: #""data":"#, with: #""data_base64":"AA==","data":"#) }, 9,
             "data: and data_base64 are both present"),
            ("bad Base64", replacing(all.firstIndex { $0.contains("data_base64") }! + 1) { line in
                line.replacingOccurrences(of: #""data_base64":""#, with: #""data_base64":"!"#) }, all.firstIndex { $0.contains("data_base64") }! + 1,
             "data_base64: is not Base64"),
            ("an unknown data field", replacing(summary) { $0.replacingOccurrences(of: "\"summary\":", with: "\"headline\":\"h\",\"summary\":") }, summary,
             "data.headline: is not a field of fact.asserted"),
            ("a position of zero", replacing(1) { $0.replacingOccurrences(of: #""position":1,"#, with: #""position":0,"#) }, 1,
             "position: is 0; expected a whole number from 1 to 9223372036854775807"),
        ]
        for (what, changed, line, message) in cases {
            for target in ["empty-\(what.hashValue)", "full-\(what.hashValue)"] {
                let store = target.hasPrefix("empty") ? try emptyStore(target) : try store(target, holding: Array(events.prefix(60)))
                let headBefore = try store.log.head()
                let hashBefore = try store.log.headHash()
                let path = try write(Array((changed.joined(separator: "\n") + "\n").utf8), "\(target).jsonl")
                do {
                    try store.importCloudEvents(path: path, displayPath: "log.jsonl")
                    Issue.record("\(what): imported into the \(target) store")
                } catch let error as InputError {
                    #expect(error.line == line, "\(what): \(error)")
                    #expect("\(error)".hasPrefix("log.jsonl:\(line): \(message)"), "\(what): \(error)")
                }
                #expect(try store.log.head() == headBefore, "\(what)")
                #expect(try store.log.headHash() == hashBefore, "\(what)")
            }
        }
    }

    /// An import that fills the map mid-transaction, after a first batch of events went in: the
    /// map grows and the import runs again from the file's first line, into the same result.
    @Test func anImportThatOutgrowsTheMapStartsOverAndCompletes() throws {
        let events = try mixedLog(seed: 22, length: 9_000)
        let original = try store("original", holding: events, perBatch: 500)
        let file = try write(try exported(original), "log.jsonl")
        var options = TimelineStore.Options()
        options.durability = .bulk
        options.initialMapSize = 1 << 20
        let copy = try TimelineStore(path: directory.appending("copy"), options: options)
        let report = try copy.importCloudEvents(path: file, catchingUp: false)
        #expect(copy.environment.mapSize > 1 << 20)
        #expect(report.appended == events.count)
        #expect(report.positions == 1...UInt64(events.count))
        #expect(report.headHash == (try original.log.headHash()))
        #expect(try copy.log.verify().headHash == (try original.log.headHash()))
    }

    @Test func aStoreWithOtherEventsIsNotExtendedFromAFileItDoesNotBegin() throws {
        let original = try store("original", holding: try mixedLog(seed: 18, length: 50))
        let file = try write(try exported(original), "log.jsonl")
        let other = try store("other", holding: try mixedLog(seed: 19, length: 20), clockStart: 1_700_000_000_000_000)
        let hash = try other.log.headHash()
        #expect(throws: InputError(file: file, line: 1, field: nil, message: "the store holds a different event at position 1 (id \"article/a0\", the file's is \"article/a0\"): the store's log is not a prefix of the file's")) {
            try other.importCloudEvents(path: file)
        }
        #expect(try other.log.headHash() == hash)

        // A file that starts past the store's head leaves a gap.
        let rest = try write(try exported(original, from: 30), "rest.jsonl")
        #expect(throws: InputError(file: rest, line: 1, field: "position", message: "is 30, but the store's log ends at 20: the file lacks the events from position 21")) {
            try other.importCloudEvents(path: rest)
        }
        #expect(throws: InputError(file: rest, line: 1, field: "position", message: "is 30, but the store's log ends at 0: the file lacks the events from position 1")) {
            try emptyStore("empty").importCloudEvents(path: rest)
        }
    }

    @Test func anIDTheStoreHoldsElsewhereIsRefused() throws {
        let original = try store("original", holding: try mixedLog(seed: 20, length: 30))
        var all = lines(try exported(original))
        // Line 31 claims the id of line 3's event, at a new position: the hash was made for it.
        let copy = try emptyStore("copy")
        try copy.importCloudEvents(path: try write(Array((all.joined(separator: "\n") + "\n").utf8), "log.jsonl"))
        let third = try #require(try copy.log.event(at: 3))
        let forged = NewEvent(id: third.id, type: third.type, schemaVersion: third.schemaVersion, metadata: third.metadata, payload: third.payload)
        let head = try copy.log.head()
        let time = Timestamp(microsecondsSinceEpoch: third.recordedAt.microsecondsSinceEpoch + 10_000_000_000)
        let hash = EventLog.chainHash(of: forged, position: head + 1, recordedAt: time, after: try copy.log.headHash())
        var payload = JSONWriter()
        third.payload.withUnsafeBytes { payload.base64String($0) }
        all.append(#"{"specversion":"1.0","source":"/","type":"org.annals.\#(third.type)","id":\#(JSONValue.string(third.id).serialized()),"#
            + #""time":"\#(time)","position":\#(head + 1),"schemaversion":\#(third.schemaVersion),"chainhash":"\#(hash)","#
            + #""data_base64":\#(payload.withBytes { String(decoding: $0, as: UTF8.self) })}"#)
        let path = try write(Array((all.joined(separator: "\n") + "\n").utf8), "forged.jsonl")
        #expect(throws: InputError(file: path, line: all.count, field: "id", message: "\(String(reflecting: third.id)) is already in the log, at position 3, with other content")) {
            try copy.importCloudEvents(path: path)
        }
        #expect(try copy.log.head() == head)
    }

    /// The fast path export takes (payload bytes straight to JSON) writes exactly what
    /// decoding each record and showing its JSON gives.
    @Test(arguments: [UInt64(41), 42, 43])
    func transcodedPayloadsAreTheRecordsJSON(seed: UInt64) throws {
        let store = try RandomLog(seed: seed, length: 300).store(in: directory, name: "store-\(seed)")
        var checked = 0
        try store.log.replay { event in
            var writer = JSONWriter()
            var noted: [String] = []
            #expect(DomainPayloadTranscoder.transcode(event, into: &writer) { role, bytes in noted.append("\(role)=\(String(decoding: bytes, as: UTF8.self))") })
            let fast = writer.withBytes { String(decoding: $0, as: UTF8.self) }
            let slow = DomainEventDescription.json(event)
            guard case .object(let members) = slow, let payload = members.first(where: { $0.0 == "payload" })?.1 else { return false }
            #expect(fast == payload.serialized(), "position \(event.position)")
            #expect(!noted.isEmpty)
            checked += 1
            return true
        }
        #expect(checked == 300)
    }

    /// One writer serves a whole export and keeps the text of the last article's source and
    /// the last recorded-at: what it writes is what a fresh writer writes for each event.
    @Test(arguments: [UInt64(7), 8])
    func aWriterReusedAcrossEventsWritesWhatAFreshOneWrites(seed: UInt64) throws {
        let store = try RandomLog(seed: seed, length: 400).store(in: directory, name: "reused-\(seed)")
        var reused = CloudEventWriter(storeName: "reused")
        var articles = Set<String>()
        var lastArticle = ""
        var returns = 0
        try store.log.replay { event in
            var shared = JSONWriter()
            reused.write(event, to: &shared)
            var alone = JSONWriter()
            var fresh = CloudEventWriter(storeName: "reused")
            fresh.write(event, to: &alone)
            #expect(shared.bytes == alone.bytes, "position \(event.position)")
            let line = String(decoding: shared.bytes, as: UTF8.self)
            if let range = line.range(of: #""source":"urn:annals:article:[^"]*""#, options: .regularExpression) {
                let article = String(line[range])
                if article != lastArticle && articles.contains(article) { returns += 1 }
                articles.insert(article)
                lastArticle = article
            }
            return true
        }
        // The log goes back to an article after others, so a kept source is put to the test.
        #expect(articles.count > 1)
        #expect(returns > 0)
    }

    @Test func eachEventKindBecomesItsCloudEvent() throws {
        let opaque = NewEvent(id: "x/1", type: "sensor.reading", schemaVersion: 7,
                              metadata: EventMetadata(source: "probe", correlationID: "c", causationID: "b"), payload: [0xFF, 0, 0x41])
        let article = ArticleRecord(id: "reuters/2021 06", title: "T", publisher: "P", published: try ValidTime(parsing: "2021-06-16"),
                                    url: nil, contentHash: Array(repeating: 0xAB, count: 32), text: "line\n\"quoted\"\u{2028}")
        let store = try store("store", holding: [
            NewEvent(id: "article/reuters/2021 06", type: "article.recorded", payload: article.encoded()),
            NewEvent(id: "actor/biden", type: "actor.named", payload: ActorNaming(actor: "biden", name: "Joe Biden", kind: .person).encoded()),
            opaque,
        ], perBatch: 3)
        let all = lines(try exported(store))
        let time = try #require(try store.log.event(at: 1)?.recordedAt)
        let hashes = try (1...3).map { position in
            try #require(try store.log.event(at: position)).chainHash.withUnsafeBytes { ChainHash($0).description }
        }
        #expect(all == [
            #"{"specversion":"1.0","id":"article/reuters/2021 06","source":"urn:annals:article:reuters%2F2021%2006","type":"org.annals.article.recorded","time":"\#(time)","subject":"reuters/2021 06","datacontenttype":"application/json","position":1,"schemaversion":1,"chainhash":"\#(hashes[0])","data":{"id":"reuters/2021 06","title":"T","publisher":"P","published":"2021-06-16","url":null,"content_sha256":"\#(String(repeating: "ab", count: 32))","text":"line\n\"quoted\"\u2028"}}"#,
            #"{"specversion":"1.0","id":"actor/biden","source":"urn:annals:store:store","type":"org.annals.actor.named","time":"\#(time)","subject":"biden","datacontenttype":"application/json","position":2,"schemaversion":1,"chainhash":"\#(hashes[1])","data":{"actor":"biden","name":"Joe Biden","kind":"person"}}"#,
            #"{"specversion":"1.0","id":"x/1","source":"urn:annals:store:store","type":"org.annals.sensor.reading","time":"\#(time)","position":3,"schemaversion":7,"chainhash":"\#(hashes[2])","origin":"probe","correlationid":"c","causationid":"b","data_base64":"/wBB"}"#,
        ])
    }

    @Test func stringsAreEscapedAndDamagedUTF8IsRepaired() {
        func json(_ bytes: [UInt8]) -> String {
            var writer = JSONWriter(capacity: 1)
            bytes.withUnsafeBytes { writer.string(repairing: $0) }
            return writer.withBytes { String(decoding: $0, as: UTF8.self) }
        }
        #expect(json(Array("plain ascii that runs past eight bytes".utf8)) == #""plain ascii that runs past eight bytes""#)
        #expect(json(Array("tab\there \"q\" back\\slash\u{1B}[31m\r\n\u{7F}".utf8)) == #""tab\there \"q\" back\\slash\u001b[31m\r\n\#u{7F}""#)
        #expect(json(Array("Straße – “quoted” \u{2028}\u{2029}😀".utf8)) == "\"Straße – “quoted” \\u2028\\u2029😀\"")
        #expect(json([0x61, 0xFF, 0x62]) == "\"a\u{FFFD}b\"")
        #expect(json([0xED, 0xA0, 0x80]) == "\"\u{FFFD}\u{FFFD}\u{FFFD}\"")
        #expect(json([0xC0, 0xAF]) == "\"\u{FFFD}\u{FFFD}\"")
        #expect(json([0xE2, 0x80]) == "\"\u{FFFD}\"")
        #expect(json([]) == "\"\"")
        for text in ["", "a", "é", "€", "😀", "ab€cdefgh😀ijk", "\u{10FFFF}"] {
            #expect(json(Array(text.utf8)) == "\"\(text)\"")
        }
        for bad: [UInt8] in [[0x80], [0xC2], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0xED, 0xBF, 0xBF]] {
            #expect(json(bad) == "\"" + String(decoding: bad, as: UTF8.self) + "\"", "\(bad)")
            #expect(json(bad).contains("\u{FFFD}"), "\(bad)")
        }
        var numbers = JSONWriter()
        for value: UInt64 in [0, 9, 10, 4_096, UInt64.max] { numbers.integer(value); numbers.raw(" ") }
        numbers.integer(Int64.min)
        #expect(numbers.withBytes { String(decoding: $0, as: UTF8.self) } == "0 9 10 4096 18446744073709551615 -9223372036854775808")
    }

    @Test func base64RoundTripsAndRefusesWhatIsNotCanonical() {
        var random = SeededGenerator(seed: 64)
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            var writer = JSONWriter()
            bytes.withUnsafeBytes { writer.base64String($0) }
            let text = writer.withBytes { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) }
            #expect(text == Data(bytes).base64EncodedString())
            #expect(Base64.decode(text) == bytes)
            #expect(bytes.withUnsafeBytes { Base64.encoded($0) } == text)
        }
        for bad in ["A", "AB=", "A===", "AB=C", "ab!d", "QR==", "QUI=AAAA", "====", "A=AA", "QQ==QQ==", "QUJD\n", " QUJD"] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }
}
