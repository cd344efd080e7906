import AnnalsTestSupport
import Dispatch
import Foundation
@testable import LMDB
import Synchronization
import Testing

/// The structure check reads the data file itself, so it must accept every shape LMDB writes
/// and name each damage that would send LMDB outside the file or through a null pointer.
@Suite struct StructureCheckTests {
    let directory = TemporaryDirectory()
    var path: String { directory.appending("store") }

    /// A store with a database of every kind LMDB has: plain keys with overflow values,
    /// reversed keys, integer keys, duplicates inline and in their own trees, fixed-size integer
    /// duplicates, reversed duplicates — and a free-page database whose transaction ids pass 255,
    /// where their little-endian bytes no longer sort like the numbers.
    private func makeStore() throws {
        let env = try Environment(path: path, configuration: .init(mapSize: 64 << 20))
        let plain = try env.openDatabase("plain")
        let reversed = try env.openDatabase("reversed", flags: .reverseKey)
        let integers = try env.openDatabase("integers", flags: .integerKey)
        let duplicates = try env.openDatabase("duplicates", flags: .duplicateSort)
        let fixed = try env.openDatabase("fixed", flags: [.duplicateSort, .duplicateFixed, .integerDuplicate])
        let reversedDuplicates = try env.openDatabase("reversed duplicates", flags: [.duplicateSort, .reverseDuplicate])
        try env.write { txn in
            for index in 0..<3000 {
                let large = index % 300 == 0
                try txn.put(large ? String(repeating: "v", count: 9000) : "value \(index)", forKey: "key \(index)", in: plain)
                try txn.put("value", forKey: "\(index) key", in: reversed)
                try txn.put("value", forKey: littleEndian(UInt64(index)), in: integers)
                // Key "few" keeps its three values inside its node; the others grow trees of their own.
                try txn.put("value \(index)", forKey: index < 3 ? "few" : "many \(index % 5)", in: duplicates)
                try txn.put(littleEndian(UInt64(index)), forKey: index < 2 ? "pair" : "run", in: fixed)
                try txn.put("\(index) value", forKey: index < 3 ? "few" : "many", in: reversedDuplicates)
            }
        }
        // Three hundred commits while a reader holds the first snapshot: none of the pages they
        // free may be reused, so the free-page database gathers a record per commit.
        try env.read { _ in
            for index in 0..<300 {
                try env.write { txn in try txn.put("rewritten \(index)", forKey: "key \(index)", in: plain) }
            }
        }
        // Ten more without the reader, which reuse some of those pages.
        for index in 0..<10 {
            try env.write { txn in try txn.delete("key \(index)", in: plain) }
        }
    }

    private func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// Reads, changes and writes back the bytes at `offset` of the data file.
    private func patch(_ offset: Int, _ change: (inout [UInt8]) -> Void, count: Int = 2) throws {
        let url = URL(fileURLWithPath: path + "/data.mdb")
        var data = try Data(contentsOf: url)
        var bytes = [UInt8](data[offset..<(offset + count)])
        change(&bytes)
        data.replaceSubrange(offset..<(offset + count), with: bytes)
        try data.write(to: url)
    }

    /// Where a leaf page of `database` keeps a node whose value passes `test`: the page and
    /// the node header's file offset.
    private func leafNode(of database: String, where test: (_ flags: UInt16, _ key: [UInt8], _ dataSize: Int) -> Bool = { _, _, _ in true })
        throws -> (page: Int, offset: Int)
    {
        let layout = StructureCheck.check(path)
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb")))
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        for (page, info) in layout.pages.sorted(by: { $0.key < $1.key }) where info.database == database && info.isLeaf {
            let start = page * layout.pageSize
            for index in 0..<((info.lower - 16) / 2) {
                let node = start + u16(start + 16 + 2 * index)
                let keySize = u16(node + 6)
                let key = Array(data[(node + 8)..<(node + 8 + keySize)])
                if test(UInt16(u16(node + 4)), key, u16(node) | u16(node + 2) << 16) { return (page, node) }
            }
        }
        throw CheckFailure("no such node in \(database)")
    }

    struct CheckFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func aSoundFileOfEveryDatabaseKindPasses() throws {
        try makeStore()
        let layout = StructureCheck.check(path)
        #expect(layout.problem == nil)
        let databases = Set(layout.pages.values.map(\.database))
        #expect(databases.isSuperset(of: ["plain", "reversed", "integers", "duplicates", "duplicates duplicates", "fixed", "fixed duplicates",
                                          "reversed duplicates", "reversed duplicates duplicates", "(free pages)", "(main)"]))
        #expect(layout.pages.values.contains { $0.isOverflow && $0.database == "plain" })
    }

    @Test func aDuplicatesFlagInADatabaseWithoutDuplicatesIsNamedNotFollowed() throws {
        try makeStore()
        let node = try leafNode(of: "plain") { flags, _, _ in flags == 0 }
        try patch(node.offset + 4) { $0[0] |= 0x04 }
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.page == node.page)
        #expect(problem.database == "plain")
        #expect(problem.reason.hasSuffix("has the duplicates flag in a database without duplicates"))
    }

    @Test func aNamedDatabaseFlagOutsideTheMainDatabaseIsNamed() throws {
        try makeStore()
        let node = try leafNode(of: "integers")
        try patch(node.offset + 4) { $0[0] |= 0x02 }
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.page == node.page)
        #expect(problem.reason.hasSuffix("is marked as a named database outside the main database"))
    }

    @Test func nodeFlagsLMDBNeverWritesAreNamed() throws {
        try makeStore()
        let node = try leafNode(of: "reversed")
        try patch(node.offset + 4) { $0[0] |= 0x10 }
        #expect(StructureCheck.check(path).problem?.reason.hasSuffix("has flags 16 that LMDB never stores") == true)
    }

    @Test func aLargeValueMarkedAlsoAsDuplicatesIsNamed() throws {
        try makeStore()
        let node = try leafNode(of: "plain") { flags, _, _ in flags == 0x01 }
        try patch(node.offset + 4) { $0[0] |= 0x04 }
        #expect(StructureCheck.check(path).problem?.reason.hasSuffix("has flags 5: a large value that is also a database or duplicates") == true)
    }

    @Test func impossibleFlagsInADatabaseRecordAreNamed() throws {
        try makeStore()
        let record = try leafNode(of: "(main)") { _, key, _ in key == Array("plain".utf8) }
        // The record follows the node header and the key; its flags are its bytes 4 and 5.
        let flagsOffset = record.offset + 8 + "plain".utf8.count + 4
        try patch(flagsOffset) { $0[0] |= 0x80 }
        #expect(StructureCheck.check(path).problem?.reason == "the record of database plain: its flags 128 include bits LMDB never stores")
        try patch(flagsOffset) { $0[0] = 0x10 }
        #expect(StructureCheck.check(path).problem?.reason == "the record of database plain: its flags 16 describe duplicates in a database without them")
    }

    @Test func damagedInlineDuplicatesAreNamed() throws {
        try makeStore()
        let node = try leafNode(of: "duplicates") { flags, key, _ in flags == 0x04 && key == Array("few".utf8) }
        // The inline page's header follows the key; bytes 14 and 15 are its upper bound.
        let upper = node.offset + 8 + 3 + 14
        try patch(upper) { $0 = [0xFF, 0x00] }
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.page == node.page)
        #expect(problem.reason.hasSuffix("'s inline duplicates are damaged"))
    }

    @Test func aDuplicateTreeWithTheWrongFlagsIsNamed() throws {
        try makeStore()
        let node = try leafNode(of: "fixed") { flags, key, _ in flags == 0x06 && key == Array("run".utf8) }
        // The tree's record follows the key; bytes 4 and 5 are its flags (fixed-size integers here).
        try patch(node.offset + 8 + 3 + 4) { $0[0] = 0x10 }
        #expect(StructureCheck.check(path).problem?.reason.hasSuffix("'s tree of duplicates has flags 16, not 24") == true)
    }

    @Test func fixedSizeKeysTooLargeForTheirPageAreNamed() throws {
        try makeStore()
        let node = try leafNode(of: "fixed") { flags, key, _ in flags == 0x06 && key == Array("run".utf8) }
        // Bytes 0...3 of the tree's record hold the size of its keys (8 here).
        try patch(node.offset + 8 + 3, { $0 = [0x00, 0x02, 0, 0] }, count: 4)
        #expect(StructureCheck.check(path).problem?.reason.hasSuffix("keys of 512 bytes do not fit the page") == true)
    }

    @Test func integerKeysOutOfNumericOrderAreNamed() throws {
        try makeStore()
        // Swapping a key's two low bytes keeps the page's byte order plausible but breaks the numbers'.
        let node = try leafNode(of: "integers") { _, key, _ in key.first == 0x10 && key[1] == 0x01 }
        try patch(node.offset + 8) { $0 = [$0[1], $0[0]] }
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.database == "integers")
        #expect(problem.reason.hasPrefix("keys are out of order"))
    }

    @Test func aTreePageMarkedDirtyIsNamed() throws {
        try makeStore()
        // A writer would take the page as its own and change it in place, through a read-only map.
        let node = try leafNode(of: "plain")
        let header = node.page * StructureCheck.check(path).pageSize
        try patch(header + 10) { $0[0] |= 0x10 }
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.page == node.page)
        #expect(problem.reason == "page flags 18 are not those of a tree page")
    }

    @Test func flagsThatWouldMakeLMDBMisreadTheFreePageOrMainDatabaseAreNamed() throws {
        try makeStore()
        // The newest meta page holds the free-page database's record at byte 40 and the main
        // database's at byte 88; each record's flags are its bytes 4 and 5.
        let layout = StructureCheck.check(path)
        let metaPage = Int(layout.transactionID % 2)
        let meta = metaPage * layout.pageSize
        try patch(meta + 44) { $0[0] |= 0x04 }
        let free = try #require(StructureCheck.check(path).problem)
        #expect(free.page == metaPage)
        #expect(free.description == "page \(metaPage) of database (free pages): its flags are 12, not 8")
        try patch(meta + 44) { $0[0] = 0x08 }
        #expect(StructureCheck.check(path).problem == nil)
        try patch(meta + 92) { $0[0] |= 0x04 }
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.database == "(main)")
        #expect(problem.reason.hasSuffix("is a named database, which a main database with flags 4 cannot hold"))
    }

    @Test func metaPagesNamingTransactionsThatAreNotConsecutiveAreNamed() throws {
        try makeStore()
        // The older meta page's transaction id (byte 144) moved back by two keeps its page's
        // parity, so only the gap between the two ids tells: LMDB would open the newer one
        // without a word, though a flipped bit in either id is damage.
        let layout = StructureCheck.check(path)
        let newest = layout.transactionID
        let older = Int((newest - 1) % 2) * layout.pageSize + 144
        try patch(older, { bytes in
            let id = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * $1) } - 2
            bytes = (0..<8).map { UInt8(truncatingIfNeeded: id >> (8 * $0)) }
        }, count: 8)
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.description == "page 0 of database (meta): the meta pages name transactions \(newest % 2 == 0 ? newest : newest - 3) and \(newest % 2 == 0 ? newest - 3 : newest), which are not consecutive")
    }

    @Test func aFileEndingBeforeItsLastPageInUseIsSound() throws {
        try makeStore()
        // LMDB counts pages a transaction allocated and freed again before committing as in
        // use, but never writes them, so a sound file may end before its last page in use.
        // Moving the newest meta page's last page 50 pages past the end makes that state.
        let layout = StructureCheck.check(path)
        let meta = Int(layout.transactionID % 2) * layout.pageSize
        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int)
        let lastPage = UInt64(fileSize / layout.pageSize + 49)
        try patch(meta + 136, { $0 = (0..<8).map { UInt8(truncatingIfNeeded: lastPage >> (8 * $0)) } }, count: 8)

        #expect(StructureCheck.check(path).problem == nil)
        let env = try Environment(path: path)
        #expect(env.info().usedBytes == fileSize + 50 * layout.pageSize)
        let plain = try env.openDatabase("plain", create: false)
        #expect(try env.read { try $0.getCopy("key 2999", in: plain) } == Array("value 2999".utf8))
        try env.write { txn in for key in 0..<1000 { try txn.put("again", forKey: "again \(key)", in: plain) } }
        #expect(StructureCheck.check(path).problem == nil)
    }

    @Test func aTruncatedFileIsNamedAtAPageItLacks() throws {
        try makeStore()
        let layout = StructureCheck.check(path)
        let plainPages = layout.pages.filter { $0.value.database == "plain" }.keys
        let cut = try #require(plainPages.max())
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + "/data.mdb"))
        try handle.truncate(atOffset: UInt64(cut * layout.pageSize))
        try handle.close()
        let problem = try #require(StructureCheck.check(path).problem)
        #expect(problem.reason.hasSuffix("lies beyond the end of the file (\(cut) pages): the file is truncated"))
    }

    @Test func neitherCheckTakesAStoreGrowingUnderItForADamagedOne() throws {
        // Another process committing while a store is opened or verified: the file grows and
        // meta pages change between the checks' reads (the look on open takes no read
        // transaction to hold them still). The writer's work is bounded, and so is its map.
        let env = try Environment(path: path, configuration: .init(mapSize: 16 << 20, maximumMapSize: 256 << 20, flags: [.noThreadLocalStorage, .noSync]))
        let values = try env.openDatabase("values")
        let writing = Atomic<Bool>(true)
        let writer = DispatchGroup()
        DispatchQueue.dedicated("writer").async(group: writer) {
            for commit in UInt64(0)..<3000 {
                try? env.write { txn in
                    for key in commit * 20..<(commit + 1) * 20 { try txn.put([UInt8](repeating: 1, count: 300), forKey: key, in: values) }
                }
            }
            writing.store(false, ordering: .relaxed)
        }
        var problems: [String] = []
        var looks = 0
        while writing.load(ordering: .relaxed) && looks < 100_000 {
            if let problem = StructureCheck.truncation(of: path + "/data.mdb") { problems.append(problem) }
            // Now and then the full check, as `annals verify` makes it while writers go on.
            if looks % 100 == 0, let problem = try env.checkStructure().problem { problems.append(problem.description) }
            looks += 1
        }
        writer.wait()
        #expect(looks >= 100, "the checks ran while the writer committed")
        #expect(problems.isEmpty, "\(problems.prefix(3))")
        #expect(try env.read { try $0.statistics(of: values).entries } == 60_000)
    }
}
