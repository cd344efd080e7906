import AnnalsTestSupport
import Dispatch
import Foundation
import LMDB
import Synchronization
import Testing

@Suite struct BackupTests {
    let directory = TemporaryDirectory()

    @Test func aCompactBackupOpensAndHoldsTheSameEntries() throws {
        let env = try Environment(path: directory.appending("live"))
        let db = try env.openDatabase("values")
        try env.write { txn in for key in UInt64(0)..<2000 { try txn.put("value \(key)", forKey: key, in: db) } }
        // Free some pages, which a compact copy leaves out.
        try env.write { txn in for key in UInt64(0)..<1000 { try txn.delete(key, in: db) } }
        try env.copy(to: directory.appending("backup"))

        let copy = try Environment(path: directory.appending("backup"), configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        let copied = try copy.openDatabase("values", create: false)
        let entries = try copy.read { txn throws in
            var entries: [UInt64: String] = [:]
            try txn.forEach(in: copied) { entry in
                entries[entry.key.bigEndianUInt64 ?? 0] = String(decoding: entry.value, as: UTF8.self)
                return true
            }
            return entries
        }
        #expect(entries.count == 1000)
        #expect(entries[1000] == "value 1000")
        #expect(entries[1999] == "value 1999")
        #expect(copy.info().usedBytes <= env.info().usedBytes)
    }

    @Test func aBackupTakenWhileAWriterCommitsIsOneConsistentSnapshot() throws {
        let env = try Environment(path: directory.appending("live"), configuration: .init(flags: [.noThreadLocalStorage, .noSync]))
        let db = try env.openDatabase("values")
        let stop = Atomic<Bool>(false)
        let writer = DispatchGroup()
        DispatchQueue.dedicated("writer").async(group: writer) {
            var next: UInt64 = 0
            // Every commit adds exactly 100 keys, so any snapshot holds a multiple of 100.
            while !stop.load(ordering: .relaxed) {
                try? env.write { txn throws in
                    for key in next..<next + 100 { try txn.put("v", forKey: key, in: db, flags: .append) }
                }
                next += 100
            }
        }
        while try env.read({ try $0.statistics(of: db).entries }) < 5000 {}
        try env.copy(to: directory.appending("backup"))
        stop.store(true, ordering: .relaxed)
        writer.wait()

        let copy = try Environment(path: directory.appending("backup"))
        let copied = try copy.openDatabase("values", create: false)
        let count = try copy.read { try $0.statistics(of: copied).entries }
        #expect(count >= 5000)
        #expect(count % 100 == 0)
        let last = try copy.read { txn in try txn.withCursor(on: copied) { try $0.last()?.key.bigEndianUInt64 } }
        #expect(last == UInt64(count - 1))
    }

    @Test func aBackupRefusesADirectoryThatHoldsAStore() throws {
        let env = try Environment(path: directory.appending("live"))
        try env.copy(to: directory.appending("backup"))
        let error = #expect(throws: LMDBError.self) { try env.copy(to: directory.appending("backup")) }
        #expect(error?.code.rawValue == EEXIST)
        #expect(error?.detail == "\(directory.appending("backup")) already holds a data.mdb")
    }
}
