import AnnalsTestSupport
@testable import AnnalsTimelineProjections
import LMDB
import Testing

/// Writes held back for the end of a transaction and made in key order: the order must be
/// LMDB's, the last write of a key must win, and keys before, between and after the existing
/// ones must all land.
@Suite struct SortedWritesTests {
    private func key(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func keysCompareAsLMDBOrdersThem() {
        // Pairs whose order is decided in the first 8 bytes, past them, by a zero byte, and by
        // length alone.
        let keys: [[UInt8]] = [
            [], [0], [0, 0], [1], [0xFF], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8, 0], [1, 2, 3, 4, 5, 6, 7, 8, 9],
            [1, 2, 3, 4, 5, 6, 7, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x80],
            [0x80, 0], [0x7F, 0xFF],
        ]
        for a in keys {
            for b in keys {
                let expected = a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
                let order = a.withUnsafeBytes { a in b.withUnsafeBytes { b in SortedWrites.compare(a, b) } }
                #expect(order == expected, "\(a) against \(b)")
            }
        }
    }

    @Test func theLastWriteOfAKeyWinsOrTheFirstWhenAsked() {
        let writes = SortedWrites()
        for (key, value) in [("m", "1"), ("b", "2"), ("m", "3"), ("a", "4"), ("b", "5"), ("m", "6")] {
            writes.add(key: self.key(key), value: self.key(value))
        }
        var last: [String] = []
        writes.forEachInKeyOrder { key, value in last.append(String(decoding: key, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self)) }
        #expect(last == ["a=4", "b=5", "m=6"])
        var first: [String] = []
        writes.forEachInKeyOrder(firstOfEachKey: true) { key, value in first.append(String(decoding: key, as: UTF8.self) + "=" + String(decoding: value, as: UTF8.self)) }
        #expect(first == ["a=4", "b=2", "m=1"])
    }

    /// Many writes: keys sharing long prefixes (some ending just short of, at or past the 24
    /// bytes a write keeps beside its key), keys shorter than 8 bytes, zero bytes and repeated
    /// keys come out in LMDB's order, the last write of each key (or the first) the one visited.
    @Test func manyWritesComeOutInKeyOrderWithTheirLastValues() {
        var generator = SeededGenerator(seed: 7)
        let prefixes: [[UInt8]] = [[], [0], [0x61, 0x63, 0x74, 0x6F, 0x72, 0x2D, 0x31, 0x32, 0], [0xFF, 0xFF], [1, 2, 3, 4, 5, 6, 7],
                                   [UInt8](repeating: 0x41, count: 22), [UInt8](repeating: 0x41, count: 24), [UInt8](repeating: 0, count: 25)]
        var keys: [[UInt8]] = []
        for _ in 0..<5_000 {
            var key = prefixes[Int(generator.next() % UInt64(prefixes.count))]
            for _ in 0..<Int(generator.next() % 12) { key.append([0, 1, 0x7F, 0x80, 0xFF, UInt8(truncatingIfNeeded: generator.next())][Int(generator.next() % 6)]) }
            keys.append(key)
        }
        let writes = SortedWrites()
        var last: [[UInt8]: Int] = [:]
        var first: [[UInt8]: Int] = [:]
        for (index, key) in keys.enumerated() {
            writes.add(key: key, value: withUnsafeBytes(of: index) { Array($0) })
            last[key] = index
            if first[key] == nil { first[key] = index }
        }
        let expected = Set(keys).sorted { $0.lexicographicallyPrecedes($1) }
        for firstOfEachKey in [false, true] {
            var visited: [([UInt8], Int)] = []
            writes.forEachInKeyOrder(firstOfEachKey: firstOfEachKey) { key, value in visited.append((Array(key), value.loadUnaligned(as: Int.self))) }
            #expect(visited.map(\.0) == expected)
            #expect(visited.map(\.1) == expected.map { (firstOfEachKey ? first : last)[$0]! })
        }
    }

    @Test func aWriteStaysFoundByItsIndexAndKeyAsBlocksFillUp() {
        let writes = SortedWrites()
        let first = writes.add(key: key("fact-1"), value: key("lifespans"))
        // Three megabytes of writes of a kilobyte, then one larger than a block.
        for index in 0..<3_000 { writes.add(key: key("filler-\(index)"), value: [UInt8](repeating: UInt8(index % 256), count: 1_000)) }
        let large = writes.add(key: key("large"), value: [UInt8](repeating: 7, count: 3 << 20))
        #expect(key("fact-1").withUnsafeBytes { writes.hasKey($0, at: first) })
        #expect(!key("fact-2").withUnsafeBytes { writes.hasKey($0, at: first) })
        #expect(Array(writes.value(at: first)) == key("lifespans"))
        #expect(writes.value(at: large).count == 3 << 20 && writes.value(at: large).allSatisfy { $0 == 7 })
        #expect(Array(writes.value(at: 2_000)) == [UInt8](repeating: UInt8(1_999 % 256), count: 1_000))
    }

    @Test func writesLandBeforeBetweenAndAfterTheExistingKeys() throws {
        try Environment.withTemporary { environment in
            let database = try environment.openDatabase("d", create: true)
            try environment.write { txn in
                for existing in ["c", "f"] { try txn.put(key(existing), forKey: key(existing), in: database) }
            }
            let writes = SortedWrites()
            for (key, value) in [("z", "26"), ("a", "1"), ("f", "6"), ("d", "4"), ("y", "25"), ("a", "one")] {
                writes.add(key: self.key(key), value: self.key(value))
            }
            try environment.write { txn in try writes.write(to: database, in: txn) }
            #expect(writes.isEmpty)
            let stored = try environment.read { txn in
                var stored: [String] = []
                try txn.forEach(in: database) { entry in
                    stored.append(String(decoding: entry.key, as: UTF8.self) + "=" + String(decoding: entry.value, as: UTF8.self))
                    return true
                }
                return stored
            }
            #expect(stored == ["a=one", "c=c", "d=4", "f=6", "y=25", "z=26"])
        }
    }
}

