import AnnalsTestSupport
import Dispatch
import Foundation
import LMDB
import Testing

/// A value whose bytes depend on its key, so a test can check every value after the fact.
private func value(for key: UInt64, size: Int = 100) -> [UInt8] {
    var generator = SeededGenerator(seed: key)
    return (0..<size).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

@Suite struct EnvironmentTests {
    let directory = TemporaryDirectory()

    @Test func theMapGrowsFrom64KiBThroughAHundredThousandWrites() throws {
        let env = try Environment(path: directory.path, configuration: .init(mapSize: 64 << 10, flags: [.noThreadLocalStorage, .noSync]))
        let db = try env.openDatabase("values")
        #expect(env.mapSize == 64 << 10)
        for batch in UInt64(0)..<100 {
            try env.write { txn throws in
                for key in batch * 1000..<(batch + 1) * 1000 { try txn.put(value(for: key), forKey: key, in: db) }
            }
        }
        #expect(env.mapSize >= 16 << 20)
        try env.read { txn throws in
            #expect(try txn.statistics(of: db).entries == 100_000)
            for key in UInt64(0)..<100_000 {
                guard try txn.getCopy(key, in: db) == value(for: key) else {
                    Issue.record("value \(key) differs after the map grew")
                    return
                }
            }
        }
    }

    @Test func oneTransactionLargerThanTheWholeMapStillCommitsOnce() throws {
        let env = try Environment(path: directory.path, configuration: .init(mapSize: 64 << 10))
        let db = try env.openDatabase("values")
        var runs = 0
        try env.write { txn throws in
            runs += 1
            for key in UInt64(0)..<20_000 { try txn.put(value(for: key, size: 50), forKey: key, in: db, flags: .append) }
        }
        #expect(runs > 1, "the closure should have been re-run after the map grew")
        #expect(try env.read { try $0.statistics(of: db).entries } == 20_000)
    }

    @Test func aMapAtItsSizeLimitFailsClearlyAndKeepsWhatWasCommitted() throws {
        let limit = 256 << 10
        let env = try Environment(path: directory.path, configuration: .init(mapSize: 64 << 10, maximumMapSize: limit))
        let db = try env.openDatabase("values")
        try env.write { txn throws in
            for key in UInt64(0)..<100 { try txn.put(value(for: key), forKey: key, in: db) }
        }
        let error = #expect(throws: LMDBError.self) {
            try env.write { txn throws in
                for key in UInt64(100)..<10_000 { try txn.put(value(for: key), forKey: key, in: db) }
            }
        }
        #expect(error?.code == .mapFull)
        #expect(error?.detail == "the store reached its size limit of 262144 bytes")
        #expect(try env.read { try $0.statistics(of: db).entries } == 100)
    }

    @Test func aReadTransactionKeepsItsSnapshotWhileAWriterCommits() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { try $0.put("before", forKey: "k", in: db) }
        try env.read { txn throws in
            let writer = DispatchGroup()
            DispatchQueue.dedicated("writer").async(group: writer) {
                try? env.write { txn throws in
                    try txn.put("after", forKey: "k", in: db)
                    try txn.put("new", forKey: "other", in: db)
                }
            }
            writer.wait()
            #expect(try txn.getCopy("k", in: db) == Array("before".utf8))
            #expect(try txn.get("other", in: db) == nil)
        }
        #expect(try env.read { try $0.getCopy("k", in: db) } == Array("after".utf8))
    }

    @Test func readersOnManyThreadsSeeConsistentSnapshotsWhileAWriterRuns() throws {
        let env = try Environment(path: directory.path, configuration: .init(flags: [.noThreadLocalStorage, .noSync]))
        let db = try env.openDatabase("counters")
        // Invariant kept by every commit: keys 0..<100 all hold the same counter value.
        try env.write { txn in for key in UInt64(0)..<100 { try txn.put(UInt64(0), forKey: key, in: db) } }
        let writerDone = DispatchGroup()
        DispatchQueue.dedicated("writer").async(group: writerDone) {
            for round in UInt64(1)...200 {
                try? env.write { txn in for key in UInt64(0)..<100 { try txn.put(round, forKey: key, in: db) } }
            }
        }
        let inconsistencies = ManagedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<300 {
                let consistent = (try? env.read { txn -> Bool in
                    let first = try txn.get(UInt64(0), in: db)?.bigEndianUInt64
                    for key in UInt64(1)..<100 where try txn.get(key, in: db)?.bigEndianUInt64 != first { return false }
                    return first != nil
                }) ?? false
                if !consistent { inconsistencies.increment() }
            }
        }
        writerDone.wait()
        #expect(inconsistencies.value == 0)
        #expect(try env.read { try $0.get(UInt64(99), in: db)?.bigEndianUInt64 } == 200)
    }

    @Test func reopeningFindsTheDataAndTheGrownMap() throws {
        let grownSize: Int
        do {
            let env = try Environment(path: directory.path, configuration: .init(mapSize: 64 << 10))
            let db = try env.openDatabase("values")
            try env.write { txn in for key in UInt64(0)..<5000 { try txn.put(value(for: key), forKey: key, in: db) } }
            grownSize = env.mapSize
        }
        let env = try Environment(path: directory.path, configuration: .init(mapSize: 64 << 10))
        #expect(env.mapSize == grownSize)
        let db = try env.openDatabase("values", create: false)
        #expect(try env.read { try $0.getCopy(UInt64(4999), in: db) } == value(for: 4999))
    }

    @Test func aReadOnlyEnvironmentRefusesWritesClearly() throws {
        do {
            let env = try Environment(path: directory.path)
            let db = try env.openDatabase("things")
            try env.write { try $0.put("x", forKey: "k", in: db) }
        }
        let env = try Environment(path: directory.path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        let db = try env.openDatabase("things", create: false)
        #expect(try env.read { try $0.getCopy("k", in: db) } == Array("x".utf8))
        let error = #expect(throws: LMDBError.self) {
            try env.write { try $0.put("y", forKey: "k", in: db) }
        }
        #expect(error?.code == .accessDenied)
        #expect(error?.description == "write to \(directory.path): the environment is open read-only (Permission denied)")
    }

    @Test func errorsCarryCodeMessageAndOperation() throws {
        let env = try Environment(path: directory.path)
        let error = #expect(throws: LMDBError.self) { try env.openDatabase("missing", create: false) }
        #expect(error?.code == .notFound)
        #expect(error?.code.rawValue == -30798)
        #expect(error?.message == "MDB_NOTFOUND: No matching key/data pair found")
        #expect(error?.operation == "mdb_dbi_open(missing)")
        #expect(error?.description == "mdb_dbi_open(missing): the database does not exist (MDB_NOTFOUND: No matching key/data pair found)")
        #expect(try openingReportsAbsence(env))
    }

    /// Matches the error by its code in a `catch` clause, the way callers are meant to.
    private func openingReportsAbsence(_ env: Environment) throws -> Bool {
        do {
            _ = try env.openDatabase("missing", create: false)
            return false
        } catch LMDBError.Code.notFound {
            return true
        }
    }

    @Test func aFileThatIsNotLMDBIsReportedAsSuch() throws {
        try Data(repeating: 0x41, count: 64 << 10).write(to: URL(fileURLWithPath: directory.appending("data.mdb")))
        let error = #expect(throws: LMDBError.self) { try Environment(path: directory.path) }
        #expect(error?.code == .invalid)
        #expect(error?.detail == "\(directory.path)/data.mdb is not an LMDB data file")
    }

    @Test(arguments: [false, true])
    func aPathThatIsAFileIsRefused(readOnly: Bool) throws {
        let file = directory.appending("plain-file")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        let flags: Environment.Flags = readOnly ? [.readOnly, .noThreadLocalStorage] : [.noThreadLocalStorage]
        let error = #expect(throws: LMDBError.self) { try Environment(path: file, configuration: .init(flags: flags)) }
        #expect(error?.code == .notADirectory)
        #expect(error?.detail == "\(file) is a file, not a directory")
        #expect(error?.subject == .directory(file))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data("hello".utf8))
    }

    @Test(arguments: [false, true])
    func anEmptyDataFileIsRefusedAsDamagedAndNeverInitialised(readOnly: Bool) throws {
        let dataFile = directory.appending("data.mdb")
        #expect(FileManager.default.createFile(atPath: dataFile, contents: Data()))
        let flags: Environment.Flags = readOnly ? [.readOnly, .noThreadLocalStorage] : [.noThreadLocalStorage]
        let error = #expect(throws: LMDBError.self) { try Environment(path: directory.path, configuration: .init(flags: flags)) }
        #expect(error?.code == .invalid)
        #expect(error?.detail == "\(dataFile) is empty (0 bytes): it was truncated, or the process creating it stopped before writing it")
        #expect(error?.subject == .dataFile(dataFile))
        #expect(error?.meansDataFileIsDamaged == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dataFile)).isEmpty)
    }

    /// Another process creating the environment makes the file, then writes its first pages:
    /// an open in between waits for them instead of calling the file damaged.
    @Test func anEmptyDataFileThatFillsAMomentLaterIsOpened() throws {
        let source = directory.appending("source")
        do {
            let env = try Environment(path: source)
            let db = try env.openDatabase("things")
            try env.write { try $0.put("filled", forKey: "k", in: db) }
        }
        let store = directory.appending("store")
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: store + "/data.mdb", contents: Data()))
        // On a thread of its own: the shared dispatch pool can be busy with other tests for
        // longer than the open waits.
        let filled = DispatchSemaphore(value: 0)
        let filler = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            // Atomically, as the creator's first write is to whoever looks at the file's size.
            _ = try? FileManager.default.copyItem(atPath: source + "/data.mdb", toPath: store + "/data.new")
            rename(store + "/data.new", store + "/data.mdb")
            filled.signal()
        }
        filler.start()
        let env = try Environment(path: store)
        filled.wait()
        let db = try env.openDatabase("things", create: false)
        #expect(try env.read { try $0.getCopy("k", in: db) } == Array("filled".utf8))
    }

    @Test func aDataFileThatIsADirectoryIsRefusedAsDamaged() throws {
        let dataFile = directory.appending("data.mdb")
        try FileManager.default.createDirectory(atPath: dataFile, withIntermediateDirectories: true)
        let error = #expect(throws: LMDBError.self) { try Environment(path: directory.path) }
        #expect(error?.code == .isADirectory)
        #expect(error?.detail == "\(dataFile) is a directory, not a data file")
        #expect(error?.meansDataFileIsDamaged == true)
    }

    @Test func aTemporaryEnvironmentIsRemovedWithItsFiles() throws {
        var seen = ""
        let value = try Environment.withTemporary(label: "annals-test-scratch") { env in
            seen = env.path
            let db = try env.openDatabase("things")
            try env.write { try $0.put("x", forKey: "k", in: db) }
            return try env.read { try $0.getCopy("k", in: db) }
        }
        #expect(value == Array("x".utf8))
        #expect(seen.contains("/annals-test-scratch."))
        #expect(!FileManager.default.fileExists(atPath: seen))
    }

    @Test func missingDirectoriesAreCreated() throws {
        let nested = directory.appending("a/b/store")
        let env = try Environment(path: nested)
        let db = try env.openDatabase("things")
        try env.write { try $0.put("x", forKey: "k", in: db) }
        #expect(FileManager.default.fileExists(atPath: nested + "/data.mdb"))
    }

    @Test func staleReaderSlotsOfDeadProcessesAreClearedOnOpen() throws {
        do {
            let env = try Environment(path: directory.path)
            let db = try env.openDatabase("things")
            try env.write { try $0.put("x", forKey: "k", in: db) }
        }
        // LMDB resets the reader table when the first process opens the files, so a stale slot
        // only matters while another process keeps the environment open: start one.
        let holder = try BackgroundProcess(systemPython, ["-c", """
            import lmdb, sys
            env = lmdb.open(\(String(reflecting: directory.path)), max_dbs=4)
            print("ready", flush=True)
            sys.stdin.read()
            """])
        // A second child opens a read transaction and dies holding it.
        let result = try runProcess(systemPython, ["-c", """
            import lmdb, os, signal
            env = lmdb.open(\(String(reflecting: directory.path)), max_dbs=4)
            txn = env.begin()
            os.kill(os.getpid(), signal.SIGKILL)
            """])
        #expect(result.wasSignalled)
        let env = try Environment(path: directory.path)
        #expect(env.staleReadersCleared == 1)
        #expect(try env.clearStaleReaders() == 0)
        #expect(try holder.finish() == 0)
    }
}

/// A counter shared by the threads of one test.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
