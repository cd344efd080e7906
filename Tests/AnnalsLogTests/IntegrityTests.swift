import AnnalsLog
import AnnalsTestSupport
import Foundation
import LMDB
import Testing

/// A store with events of several shapes: metadata present and absent, empty, binary and
/// multi-byte payloads, non-ASCII ids.
private func makeMixedLog(_ directory: TemporaryDirectory) throws -> (Environment, EventLog) {
    let env = try Environment(path: directory.path)
    let log = try EventLog(environment: env)
    try log.append([
        NewEvent(id: "article/reuters-geneva", type: "article.recorded", schemaVersion: 1,
                 metadata: EventMetadata(source: "seeds/000.yaml", correlationID: "batch-1"),
                 payload: Array("Biden tells Putin certain cyber-attacks should be 'off-limits'".utf8)),
        NewEvent(id: "fact/colonial-attack@reuters", type: "fact.asserted", schemaVersion: 2,
                 metadata: EventMetadata(source: "seeds/000.yaml", correlationID: "batch-1", causationID: "article/reuters-geneva"),
                 payload: [0, 1, 2, 3, 255, 254]),
        NewEvent(id: "empty", type: "marker", payload: []),
    ])
    try log.append([
        NewEvent(id: "акт/Путин", type: "actor.named", payload: Array("Владимир Путин “quoted”".utf8)),
        NewEvent(id: "fact/ransom", type: "fact.asserted", schemaVersion: 2,
                 metadata: EventMetadata(source: "seeds/004.yaml"), payload: [UInt8](repeating: 0xAB, count: 3000)),
    ])
    return (env, log)
}

@Suite struct IntegrityTests {
    let directory = TemporaryDirectory()

    @Test func eventsReadBackExactlyAsAppended() throws {
        let (_, log) = try makeMixedLog(directory)
        let second = try #require(try log.event(at: 2))
        #expect(second.id == "fact/colonial-attack@reuters")
        #expect(second.type == "fact.asserted")
        #expect(second.schemaVersion == 2)
        #expect(second.metadata == EventMetadata(source: "seeds/000.yaml", correlationID: "batch-1", causationID: "article/reuters-geneva"))
        #expect(second.payload == [0, 1, 2, 3, 255, 254])
        #expect(try log.event(id: "акт/Путин")?.payload == Array("Владимир Путин “quoted”".utf8))
        #expect(try log.event(id: "missing") == nil)
        #expect(try log.event(at: 6) == nil)
        #expect(try log.events(from: 4, direction: .backward, limit: 2).map(\.position) == [4, 3])
        #expect(try log.events(from: 2, direction: .forward, limit: 2).map(\.position) == [2, 3])
        #expect(try log.events(from: 99, direction: .backward, limit: 10).map(\.position) == [5, 4, 3, 2, 1])
    }

    @Test func replaySkipsTypesItWasNotAskedFor() throws {
        let (_, log) = try makeMixedLog(directory)
        var seen: [UInt64] = []
        try log.replay(types: ["fact.asserted"]) { view in
            seen.append(view.position)
            return true
        }
        #expect(seen == [2, 5])
        var fromThree: [String] = []
        try log.replay(from: 3) { view in
            fromThree.append(view.type)
            return true
        }
        #expect(fromThree == ["marker", "actor.named", "fact.asserted"])
    }

    @Test func theHeadHashIsTheLastRecordsChainHash() throws {
        let (_, log) = try makeMixedLog(directory)
        let head = try log.headHash()
        #expect(head.description.count == 64)
        #expect(try log.event(at: 5)?.chainHash == head.withBytes { Array($0) })
        let report = try log.verify()
        #expect(report.headHash == head)
        try log.append([NewEvent(id: "later", type: "marker", payload: [])])
        #expect(try log.headHash() != head)
    }

    @Test func flippingAnyByteOfARecordIsReportedAtItsPosition() throws {
        let (env, _) = try makeMixedLog(directory)
        let records = try env.openDatabase(EventLog.DatabaseName.records, create: false)
        let original = try #require(try env.read { try $0.getCopy(UInt64(2), in: records) })
        for offset in original.indices {
            var damaged = original
            damaged[offset] ^= 0x01
            try env.write { try $0.put(damaged, forKey: UInt64(2), in: records) }
            let report = try EventLog(environment: env).verify()
            #expect(report.problem?.position == 2, "flipping byte \(offset) went unnoticed: \(String(describing: report.problem))")
            #expect(report.eventsChecked == 1)
        }
        try env.write { try $0.put(original, forKey: UInt64(2), in: records) }
        #expect(try EventLog(environment: env).verify().isIntact)
    }

    @Test func aRewrittenRecordWithARecomputedHashBreaksTheChainAfterIt() throws {
        // An attacker who rewrites record 3 and fixes its own hash still breaks record 4's link.
        let (env, log) = try makeMixedLog(directory)
        let records = try env.openDatabase(EventLog.DatabaseName.records, create: false)
        let previous = try #require(try log.event(at: 2)).chainHash
        var record = try #require(try env.read { try $0.getCopy(UInt64(3), in: records) })
        record[40] ^= 0xFF  // recorded-at
        let body = Array(record[32...])
        let newHash = previous.withUnsafeBytes { prev in body.withUnsafeBytes { ChainHash.of($0, after: ChainHash(prev)) } }
        newHash.withBytes { record.replaceSubrange(0..<32, with: $0) }
        try env.write { try $0.put(record, forKey: UInt64(3), in: records) }
        let report = try log.verify()
        #expect(report.problem?.position == 3 || report.problem?.position == 4)
        #expect(report.isIntact == false)
    }

    @Test func aMissingPositionIsReported() throws {
        let (env, log) = try makeMixedLog(directory)
        let records = try env.openDatabase(EventLog.DatabaseName.records, create: false)
        try env.write { try $0.delete(UInt64(3), in: records) }
        let report = try log.verify()
        #expect(report.problem == .init(position: 3, reason: "position 3 is missing; the next record is at 4"))
    }

    @Test func aDamagedIDIndexIsReported() throws {
        let (env, log) = try makeMixedLog(directory)
        let ids = try env.openDatabase(EventLog.DatabaseName.ids, create: false)
        try env.write { try $0.put(UInt64(1), forKey: "empty", in: ids) }
        #expect(try log.verify().problem == .init(position: 3, reason: "the id index maps id \"empty\" to position 1"))
        try env.write { txn in
            try txn.put(UInt64(3), forKey: "empty", in: ids)
            try txn.put(UInt64(4), forKey: "stray", in: ids)
        }
        #expect(try log.verify().problem == .init(position: 4, reason: "the id index maps id \"stray\" to position 4, which holds another event"))
    }

    @Test func aStoreFromANewerFormatIsRefusedClearly() throws {
        do {
            let (env, _) = try makeMixedLog(directory)
            let meta = try env.openDatabase(EventLog.DatabaseName.meta, create: false)
            try env.write { try $0.put("2", forKey: "format-version", in: meta) }
        }
        let error = #expect(throws: EventLogError.self) { try EventLog(path: directory.path) }
        #expect(error == .unsupportedFormat(path: directory.path, found: "2", supported: 1))
        #expect(error?.description == "\(directory.path) uses log format 2, but this annals reads formats up to 1")
    }

    @Test(arguments: ["0", "-1", "one", ""])
    func aFormatVersionAnnalsNeverWritesMeansTheStoreIsDamaged(_ version: String) throws {
        do {
            let (env, _) = try makeMixedLog(directory)
            let meta = try env.openDatabase(EventLog.DatabaseName.meta, create: false)
            try env.write { try $0.put(version, forKey: "format-version", in: meta) }
        }
        for readOnly in [false, true] {
            let error = #expect(throws: EventLogError.self) { try EventLog(path: directory.path, readOnly: readOnly) }
            #expect(error == .damagedFormatVersion(path: directory.path, found: version))
            #expect(error?.description == "the format version of \(directory.path) is \(String(reflecting: version)), which is not a version Annals writes")
            #expect(error?.meansStoreIsDamaged == true)
        }
    }

    @Test func aLogThatLostItsFormatVersionIsDamaged() throws {
        do {
            let (env, _) = try makeMixedLog(directory)
            let meta = try env.openDatabase(EventLog.DatabaseName.meta, create: false)
            try env.write { try $0.delete("format-version", in: meta) }
        }
        let error = #expect(throws: EventLogError.self) { try EventLog(path: directory.path) }
        #expect(error?.description == "the format version of \(directory.path) is missing, but the store holds log records")
    }

    /// The databases are made before the format version is committed: a process that opens
    /// the store in between, or after its creator died there, finds them empty.
    @Test func aStoreWhoseCreatorHasNotWrittenItsFormatVersionIsCompletedNotRefused() throws {
        do {
            let env = try Environment(path: directory.path)
            for name in [EventLog.DatabaseName.records, EventLog.DatabaseName.meta, EventLog.DatabaseName.ids] { _ = try env.openDatabase(name) }
        }
        let reader = #expect(throws: EventLogError.self) { try EventLog(path: directory.path, readOnly: true) }
        #expect(reader == .notAnAnnalsStore(path: directory.path, reason: "it holds no log yet"))
        let log = try EventLog(path: directory.path)
        try log.append([event("a")])
        #expect(try EventLog(path: directory.path, readOnly: true).head() == 1)
    }

    @Test func aPathThatIsNotADirectoryIsNamedAsSuch() throws {
        let file = directory.appending("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let error = #expect(throws: EventLogError.self) { try EventLog(path: file, readOnly: true) }
        #expect(error == .notAStoreDirectory(path: file))
        #expect(error?.description == "\(file) is a file, not a store directory")
    }

    @Test func otherLMDBDataIsNotMistakenForAStore() throws {
        do {
            let env = try Environment(path: directory.path)
            let db = try env.openDatabase("customers")
            try env.write { try $0.put("x", forKey: "k", in: db) }
        }
        let error = #expect(throws: EventLogError.self) { try EventLog(path: directory.path) }
        #expect(error?.description == "\(directory.path) is not an Annals store: it holds other LMDB databases (customers)")
        let empty = TemporaryDirectory()
        let missing = #expect(throws: EventLogError.self) { try EventLog(path: empty.path, readOnly: true) }
        #expect(missing == .missingStore(path: empty.path))
    }

    @Test func pythonReadsTheSameLogFromTheDocumentedFormat() throws {
        let (_, log) = try makeMixedLog(directory)
        let result = try runProcess(systemPython, ["\(repositoryRoot)/tools/read_log.py", directory.path])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        let swiftEvents = try log.events(from: 1, limit: 100)
        #expect(lines.count == swiftEvents.count)
        for (line, event) in zip(lines, swiftEvents) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["position"] as? Int == Int(event.position))
            #expect(object["id"] as? String == event.id)
            #expect(object["type"] as? String == event.type)
            #expect(object["schema_version"] as? Int == Int(event.schemaVersion))
            #expect((object["recorded_at_us"] as? NSNumber)?.int64Value == event.recordedAt.microsecondsSinceEpoch)
            #expect(object["source"] as? String == event.metadata.source)
            #expect(object["correlation_id"] as? String == event.metadata.correlationID)
            #expect(object["causation_id"] as? String == event.metadata.causationID)
            #expect(object["payload_hex"] as? String == event.payload.map { String(format: "%02x", $0) }.joined())
            #expect(object["chain_hash"] as? String == event.chainHash.map { String(format: "%02x", $0) }.joined())
        }
        let summary = try runProcess(systemPython, ["\(repositoryRoot)/tools/read_log.py", directory.path, "--summary"])
        #expect(summary.standardOutput == "{\"head\": 5, \"head_hash\": \"\(try log.headHash())\"}\n")
    }

    @Test func pythonRejectsATamperedRecord() throws {
        let (env, _) = try makeMixedLog(directory)
        let records = try env.openDatabase(EventLog.DatabaseName.records, create: false)
        var record = try #require(try env.read { try $0.getCopy(UInt64(4), in: records) })
        record[record.count - 1] ^= 0x20
        try env.write { try $0.put(record, forKey: UInt64(4), in: records) }
        let result = try runProcess(systemPython, ["\(repositoryRoot)/tools/read_log.py", directory.path])
        #expect(result.status == 1)
        #expect(result.standardError == "read_log.py: position 4: chain hash does not match\n")
    }
}
