import AnnalsTestSupport
import LMDB
import Testing

/// Keys 10, 20, …, 100 as big-endian UInt64.
private func makeNumberedStore(_ directory: TemporaryDirectory) throws -> (Environment, Database) {
    let env = try Environment(path: directory.path)
    let db = try env.openDatabase("numbers")
    try env.write { txn throws in
        for n in stride(from: UInt64(10), through: 100, by: 10) { try txn.put("v\(n)", forKey: n, in: db) }
    }
    return (env, db)
}

private func keys(_ env: Environment, _ db: Database, _ range: KeyRange, _ direction: IterationDirection) throws -> [UInt64] {
    try env.read { txn throws in
        var found: [UInt64] = []
        try txn.forEach(in: db, range: range, direction: direction) { entry in
            found.append(entry.key.bigEndianUInt64 ?? 0)
            return true
        }
        return found
    }
}

struct RangeCase: Sendable, CustomTestStringConvertible {
    let label: String
    let range: KeyRange
    let forward: [UInt64]

    var testDescription: String { label }

    static func bound(_ n: UInt64, _ inclusive: Bool) -> KeyRange.Bound { .init(n, inclusive: inclusive) }

    static let all: [RangeCase] = [
        RangeCase(label: "everything", range: .all, forward: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
        RangeCase(label: "[30, 60]", range: .from(UInt64(30), through: UInt64(60)), forward: [30, 40, 50, 60]),
        RangeCase(label: "[30, 60)", range: .from(UInt64(30), upTo: UInt64(60)), forward: [30, 40, 50]),
        RangeCase(label: "(30, 60]", range: KeyRange(lower: bound(30, false), upper: bound(60, true)), forward: [40, 50, 60]),
        RangeCase(label: "(30, 60)", range: KeyRange(lower: bound(30, false), upper: bound(60, false)), forward: [40, 50]),
        RangeCase(label: "[35, 65] between keys", range: .from(UInt64(35), through: UInt64(65)), forward: [40, 50, 60]),
        RangeCase(label: "[.., 25]", range: KeyRange(upper: bound(25, true)), forward: [10, 20]),
        RangeCase(label: "[95, ..]", range: KeyRange(lower: bound(95, true)), forward: [100]),
        RangeCase(label: "[101, ..] past the end", range: KeyRange(lower: bound(101, true)), forward: []),
        RangeCase(label: "[.., 5] before the start", range: KeyRange(upper: bound(5, true)), forward: []),
        RangeCase(label: "(100, ..)", range: KeyRange(lower: bound(100, false)), forward: []),
        RangeCase(label: "[50, 50]", range: .from(UInt64(50), through: UInt64(50)), forward: [50]),
        RangeCase(label: "[50, 50)", range: .from(UInt64(50), upTo: UInt64(50)), forward: []),
        RangeCase(label: "[60, 30] inverted", range: .from(UInt64(60), through: UInt64(30)), forward: []),
    ]
}

@Suite struct CursorTests {
    let directory = TemporaryDirectory()

    @Test(arguments: RangeCase.all)
    func rangesHonourTheirBoundsInBothDirections(_ testCase: RangeCase) throws {
        let (env, db) = try makeNumberedStore(directory)
        #expect(try keys(env, db, testCase.range, .forward) == testCase.forward)
        #expect(try keys(env, db, testCase.range, .backward) == testCase.forward.reversed())
    }

    @Test func prefixRangesStopAtTheFirstKeyWithoutThePrefix() throws {
        let env = try Environment(path: directory.path)
        let db = try env.openDatabase("names")
        try env.write { txn throws in
            for name in ["actor/biden", "actor/putin", "actor\u{7F}", "fact/1", "act"] { try txn.put("", forKey: name, in: db) }
        }
        let names = try env.read { txn throws in
            var names: [String] = []
            try txn.forEach(in: db, range: .prefix("actor/")) { entry in
                names.append(String(decoding: entry.key, as: UTF8.self))
                return true
            }
            return names
        }
        #expect(names == ["actor/biden", "actor/putin"])
    }

    @Test func cursorMovesVisitKeysInOrder() throws {
        let (env, db) = try makeNumberedStore(directory)
        try env.read { txn throws in
            try txn.withCursor(on: db) { cursor throws in
                #expect(try cursor.first()?.key.bigEndianUInt64 == 10)
                #expect(try cursor.next()?.key.bigEndianUInt64 == 20)
                #expect(try cursor.previous()?.key.bigEndianUInt64 == 10)
                #expect(try cursor.previous() == nil)
                #expect(try cursor.last()?.key.bigEndianUInt64 == 100)
                #expect(try cursor.next() == nil)
                #expect(try cursor.seek(atLeast: UInt64(41))?.key.bigEndianUInt64 == 50)
                #expect(try cursor.current()?.value.elementsEqual("v50".utf8) == true)
                #expect(try cursor.seek(atMost: UInt64(41))?.key.bigEndianUInt64 == 40)
                #expect(try cursor.seek(atMost: UInt64(40))?.key.bigEndianUInt64 == 40)
                #expect(try cursor.seek(atMost: UInt64(5)) == nil)
                #expect(try cursor.seek(atMost: UInt64(500))?.key.bigEndianUInt64 == 100)
                #expect(try cursor.seek(exactly: UInt64(41)) == nil)
                #expect(try cursor.seek(exactly: UInt64(70))?.key.bigEndianUInt64 == 70)
                #expect(try cursor.seek(atLeast: UInt64(101)) == nil)
            }
        }
    }

    @Test func iterationStopsWhenTheVisitorSaysSo() throws {
        let (env, db) = try makeNumberedStore(directory)
        let visited = try env.read { txn throws in
            var visited: [UInt64] = []
            try txn.forEach(in: db) { entry in
                visited.append(entry.key.bigEndianUInt64 ?? 0)
                return visited.count < 3
            }
            return visited
        }
        #expect(visited == [10, 20, 30])
    }

    @Test func cursorsWriteAndDeleteInPlace() throws {
        let (env, db) = try makeNumberedStore(directory)
        try env.write { txn throws in
            try txn.withCursor(on: db) { cursor throws in
                _ = try cursor.seek(exactly: UInt64(30))
                try cursor.deleteCurrent()
                #expect(try cursor.current()?.key.bigEndianUInt64 == 40)
                try cursor.put("v110", forKey: UInt64(110), flags: .append)
            }
        }
        #expect(try keys(env, db, .all, .forward) == [10, 20, 40, 50, 60, 70, 80, 90, 100, 110])
    }
}
