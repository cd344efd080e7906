import AnnalsTestSupport
import LMDB
import Testing

private func string(_ bytes: UnsafeRawBufferPointer?) -> String? {
    bytes.map { String(decoding: $0, as: UTF8.self) }
}

@Suite struct TransactionTests {
    let directory = TemporaryDirectory()

    @Test func valuesRoundTripThroughEveryKeyKind() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { txn throws in
            try txn.put("Joe Biden", forKey: "biden", in: db)
            try txn.put([0, 1, 2, 255] as [UInt8], forKey: UInt64(42), in: db)
            try txn.put("", forKey: [9, 9] as [UInt8], in: db)
        }
        try env.read { txn throws in
            #expect(string(try txn.get("biden", in: db)) == "Joe Biden")
            #expect(try txn.getCopy(UInt64(42), in: db) == [0, 1, 2, 255])
            #expect(try txn.getCopy([9, 9] as [UInt8], in: db) == [])
            #expect(try txn.get("putin", in: db) == nil)
            #expect(try txn.contains("biden", in: db))
            #expect(try !txn.contains("putin", in: db))
        }
        // UInt64 keys are stored big-endian, so they sort numerically.
        try env.read { txn throws in
            #expect(try txn.contains([0, 0, 0, 0, 0, 0, 0, 42] as [UInt8], in: db))
        }
    }

    @Test func putReplacesAndDeleteRemoves() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { txn throws in
            try txn.put("first", forKey: "k", in: db)
            try txn.put("second", forKey: "k", in: db)
        }
        #expect(try env.read { string(try $0.get("k", in: db)) } == "second")
        let deleted = try env.write { try $0.delete("k", in: db) }
        let deletedAgain = try env.write { try $0.delete("k", in: db) }
        #expect(deleted)
        #expect(!deletedAgain)
        #expect(try env.read { try $0.get("k", in: db) } == nil)
    }

    @Test func noOverwriteRefusesAnExistingKey() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { try $0.put("a", forKey: "k", in: db) }
        #expect(throws: LMDBError(code: .keyExists, operation: "mdb_put(things)")) {
            try env.write { try $0.put("b", forKey: "k", in: db, flags: .noOverwrite) }
        }
        #expect(try env.read { string(try $0.get("k", in: db)) } == "a")
    }

    @Test func appendRefusesAKeyOutOfOrder() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("log")
        try env.write { txn throws in
            for position in UInt64(1)...5 { try txn.put("event", forKey: position, in: db, flags: .append) }
        }
        do {
            try env.write { try $0.put("late", forKey: UInt64(3), in: db, flags: .append) }
            Issue.record("an out-of-order append was accepted")
        } catch let error as LMDBError {
            #expect(error.code == .keyExists)
            #expect(error.operation == "mdb_put(log)")
        }
        #expect(try env.read { try $0.statistics(of: db).entries } == 5)
    }

    @Test func aThrowingWriteLeavesNothingBehind() throws {
        struct Stop: Error {}
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { try $0.put("kept", forKey: "a", in: db) }
        #expect(throws: Stop.self) {
            try env.write { txn throws in
                try txn.put("lost", forKey: "b", in: db)
                try txn.put("lost", forKey: "a", in: db)
                throw Stop()
            }
        }
        try env.read { txn throws in
            #expect(string(try txn.get("a", in: db)) == "kept")
            #expect(try txn.get("b", in: db) == nil)
        }
    }

    @Test func reservedSpaceIsFilledInPlace() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { txn throws in
            let buffer = try txn.reserve(4, forKey: "k", in: db)
            buffer.copyBytes(from: [1, 2, 3, 4] as [UInt8])
        }
        #expect(try env.read { try $0.getCopy("k", in: db) } == [1, 2, 3, 4])
    }

    @Test func clearEmptiesAndDropDeletes() throws {
        let env = try Environment(path: directory.path)
        let a = try env.openDatabase("a")
        let b = try env.openDatabase("b")
        try env.write { txn throws in
            for i in UInt64(0)..<10 {
                try txn.put("x", forKey: i, in: a)
                try txn.put("y", forKey: i, in: b)
            }
        }
        try env.write { try $0.clear(a) }
        #expect(try env.read { try $0.statistics(of: a).entries } == 0)
        #expect(try env.databaseExists("a"))
        try env.write { try $0.drop(b, from: env) }
        #expect(try !env.databaseExists("b"))
        let recreated = try env.openDatabase("b")
        #expect(try env.read { try $0.statistics(of: recreated).entries } == 0)
    }

    @Test func duplicateSortedDatabasesKeepEveryValue() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("roles", flags: .duplicateSort)
        try env.write { txn throws in
            for role in ["speaker", "participant", "attacker"] { try txn.put(role, forKey: "putin", in: db) }
            try txn.put("participant", forKey: "biden", in: db)
        }
        let roles = try env.read { txn throws in
            try txn.withCursor(on: db) { cursor throws in
                var roles: [String] = []
                var entry = try cursor.seek(exactly: "putin")
                while let current = entry {
                    roles.append(String(decoding: current.value, as: UTF8.self))
                    entry = try cursor.nextValue()
                }
                return roles
            }
        }
        #expect(roles == ["attacker", "participant", "speaker"])
        let removed = try env.write { try $0.delete("putin", value: "attacker", in: db) }
        #expect(removed)
        #expect(try env.read { try $0.statistics(of: db).entries } == 3)
    }

    @Test func statisticsCountEntriesAndPages() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("numbers")
        try env.write { txn throws in
            for i in UInt64(0)..<5000 { try txn.put([UInt8](repeating: 7, count: 100), forKey: i, in: db, flags: .append) }
        }
        let stats = try env.read { try $0.statistics(of: db) }
        #expect(stats.entries == 5000)
        #expect(stats.depth == 2)
        #expect(stats.leafPages > 100)
        #expect(stats.pageSize == 4096)
        let info = env.info()
        #expect(info.usedBytes >= stats.totalPages * stats.pageSize)
        #expect(info.usedBytes <= info.mapSize)
        #expect(try env.statistics().entries == 1)  // the main database lists one named database
    }

    @Test func readTransactionsRefuseWrites() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        do {
            try env.read { try $0.put("x", forKey: "k", in: db) }
            Issue.record("a write inside a read transaction was accepted")
        } catch let error as LMDBError {
            #expect(error.code == .accessDenied)
            #expect(error.description == "mdb_put(things): this is a read transaction (Permission denied)")
        }
    }

    @Test func aNestedWriteOnOneThreadIsRefusedInsteadOfDeadlocking() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("things")
        try env.write { txn throws in
            try txn.put("outer", forKey: "k", in: db)
            let error = #expect(throws: LMDBError.self) {
                try env.write { try $0.put("inner", forKey: "k", in: db) }
            }
            #expect(error?.code == .busy)
        }
        #expect(try env.read { string(try $0.get("k", in: db)) } == "outer")
    }
}
