import AnnalsPlatform

/// Checks the B-tree structure of an LMDB data file by reading it directly — never through
/// LMDB, which trusts the offsets and sizes inside a page and can be sent outside it by a
/// damaged byte. Run it before letting LMDB traverse a file that may be damaged.
///
/// It picks the newer valid meta page, walks the free-page tree, the main tree and every named
/// database, and checks each page: its number and type, its bounds, every node's offset, size
/// and flags (against what the database's own flags allow), overflow runs, duplicates kept
/// inside a node, key order (by the comparison the database's flags select), tree depth, and
/// the page and entry counts the database records. It also notes which database owns each page.
///
/// The layout read here is LMDB 0.9's on a little-endian 64-bit machine (the only one Annals
/// builds for): 16-byte page headers, 8-byte node headers, page numbers of 8 bytes.
public struct StructureCheck {
    /// Where the first problem is.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let page: Int
        /// The database the page belongs to (`(main)`, `(free pages)`, or a name).
        public let database: String
        public let reason: String
        /// For a leaf page, its first and last keys, copied (for the caller to interpret).
        public let firstKey: [UInt8]?
        public let lastKey: [UInt8]?

        public var description: String { "page \(page) of database \(database): \(reason)" }
    }

    /// What a page holds, for a caller mapping file offsets to data.
    public struct PageInfo: Sendable, Hashable {
        public let database: String
        public let isLeaf: Bool
        public let isOverflow: Bool
        /// Bytes [lower, upper) of a branch or leaf page are free space.
        public let lower: Int
        public let upper: Int
    }

    public let pageSize: Int
    public let pagesChecked: Int
    public let transactionID: UInt64
    /// The first problem found, or `nil` for a sound file.
    public let problem: Problem?
    /// The owner of every page reached (pages not reached are free or unused).
    public let pages: [Int: PageInfo]

    /// Checks `path` (a store directory or its `data.mdb`). `snapshot` picks the meta page of
    /// that transaction when both are valid (pass a read transaction's id to check exactly what
    /// it sees while writers go on); otherwise the newer one.
    public static func check(_ path: String, snapshot: Int? = nil) -> StructureCheck {
        let file = path.hasSuffix(".mdb") ? path : path + "/data.mdb"
        var walker = Walker(path: file)
        return walker.run(snapshot: snapshot.map(UInt64.init))
    }
}

private struct Walker {
    // Page flags and node flags of LMDB 0.9.
    static let branch: UInt16 = 0x01, leaf: UInt16 = 0x02, overflow: UInt16 = 0x04, meta: UInt16 = 0x08, leaf2: UInt16 = 0x20, subPage: UInt16 = 0x40, dirty: UInt16 = 0x10
    static let bigData: UInt16 = 0x01, subData: UInt16 = 0x02, dupData: UInt16 = 0x04
    // Database flags LMDB keeps in a database's record.
    static let reverseKeyFlag: UInt16 = 0x02, dupSortFlag: UInt16 = 0x04, integerKeyFlag: UInt16 = 0x08
    static let dupFixedFlag: UInt16 = 0x10, integerDupFlag: UInt16 = 0x20, reverseDupFlag: UInt16 = 0x40
    static let persistentFlags: UInt16 = 0x7E
    static let headerSize = 16, nodeHeaderSize = 8, dbSize = 48, maximumKeySize = 511, maximumDepth = 32

    let path: String
    var descriptor: FileDescriptor?
    var fileSize = 0
    var pageSize = 4096
    var lastPage = 0
    var visited: [UInt64] = []
    var pages: [Int: StructureCheck.PageInfo] = [:]
    var checked = 0
    var problem: StructureCheck.Problem?

    init(path: String) { self.path = path }

    /// The valid meta pages of the file, read until two reads in a row name the same
    /// transactions. A writer in another process may commit between the reads of page 0 and
    /// page 1, and a pair read across commits names transactions that are not consecutive in a
    /// sound file; a pair read twice alike is what the file holds (a commit between would have
    /// rewritten a page).
    static func validMetas(in descriptor: FileDescriptor, pageSize: Int) -> [Meta] {
        func read() -> [Meta] { (0..<2).compactMap { Meta.read(from: descriptor, page: $0, pageSize: pageSize) }.filter(\.isValid) }
        var metas = read()
        for _ in 0..<16 {
            let again = read()
            if again.map(\.txnid) == metas.map(\.txnid) { return again }
            metas = again
        }
        return metas
    }

    mutating func run(snapshot: UInt64?) -> StructureCheck {
        defer { descriptor = nil }
        let descriptor: FileDescriptor
        do throws(Errno) {
            descriptor = try FileDescriptor.openForReading(path)
            fileSize = try descriptor.status().size
        } catch {
            return finish(problem: .init(page: 0, database: "(file)", reason: "cannot be read: \(error)", firstKey: nil, lastKey: nil), txnid: 0)
        }
        self.descriptor = descriptor
        // The page size is in the first meta page's free-database record; read it with 4096 first.
        guard let first = Meta.read(from: descriptor, page: 0, pageSize: 4096) else {
            return finish(problem: .init(page: 0, database: "(meta)", reason: "the file is too short to hold an LMDB meta page", firstKey: nil, lastKey: nil), txnid: 0)
        }
        let size = Int(first.freePad)
        pageSize = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].contains(size) ? size : 4096
        let candidates = Self.validMetas(in: descriptor, pageSize: pageSize)
        guard !candidates.isEmpty else {
            return finish(problem: .init(page: 0, database: "(meta)", reason: "neither meta page is valid (magic, version or page size damaged)", firstKey: nil, lastKey: nil), txnid: 0)
        }
        // LMDB writes the meta of transaction T to page T mod 2, so once both have been written
        // their ids are consecutive and match their pages. A flipped id would otherwise make
        // LMDB fall back to the previous commit without a word.
        if candidates.count == 2, candidates.allSatisfy({ $0.txnid >= 1 }) {
            for meta in candidates where Int(meta.txnid % 2) != meta.page {
                return finish(problem: .init(page: meta.page, database: "(meta)", reason: "meta page \(meta.page) names transaction \(meta.txnid), which belongs on the other meta page", firstKey: nil, lastKey: nil), txnid: meta.txnid)
            }
            let ids = candidates.map(\.txnid)
            if max(ids[0], ids[1]) - min(ids[0], ids[1]) != 1 {
                return finish(problem: .init(page: 0, database: "(meta)", reason: "the meta pages name transactions \(ids[0]) and \(ids[1]), which are not consecutive", firstKey: nil, lastKey: nil), txnid: max(ids[0], ids[1]))
            }
        } else if candidates.count == 1 {
            let damaged = 1 - candidates[0].page
            return finish(problem: .init(page: damaged, database: "(meta)", reason: "meta page \(damaged) is damaged (magic or version)", firstKey: nil, lastKey: nil), txnid: candidates[0].txnid)
        }
        let newest = candidates.dropFirst().reduce(candidates[0]) { $1.txnid > $0.txnid ? $1 : $0 }
        let chosen = candidates.first { $0.txnid == snapshot } ?? newest
        lastPage = Int(chosen.lastPage)
        // The size again, now that the meta page is read: a writer in another process may have
        // grown the file and committed since the first look, and the file never shrinks.
        if let status = try? descriptor.status() { fileSize = status.size }
        // The file may end before the last page in use: pages a transaction allocated and freed
        // again before committing are counted but never written. Only pages the trees reach
        // must lie within the file, and the walk checks each as it reads it.
        guard lastPage >= 1, lastPage < Int.max / pageSize else {
            return finish(problem: .init(page: chosen.page, database: "(meta)", reason: "the meta page claims \(lastPage) as its last page", firstKey: nil, lastKey: nil), txnid: chosen.txnid)
        }
        visited = [UInt64](repeating: 0, count: min(lastPage, pagesInFile) / 64 + 1)
        mark(0)
        mark(1)
        // LMDB keeps the free-page database under integer keys, and nothing else; other flags
        // would have it look for a duplicates cursor it never made for that database.
        if chosen.free.flags != Self.integerKeyFlag {
            return finish(problem: .init(page: chosen.page, database: "(free pages)", reason: "its flags are \(chosen.free.flags), not \(Self.integerKeyFlag)", firstKey: nil, lastKey: nil), txnid: chosen.txnid)
        }
        for (record, name, isMain) in [(chosen.free, "(free pages)", false), (chosen.main, "(main)", true)] where problem == nil {
            if let reason = Self.problem(withFlags: record.flags) { return finish(problem: .init(page: chosen.page, database: name, reason: reason, firstKey: nil, lastKey: nil), txnid: chosen.txnid) }
            walkDatabase(Tree(name: name, record: record, order: Tree.order(forKeysOf: record.flags), holdsNamedDatabases: isMain, holdsDuplicates: false))
        }
        return finish(problem: problem, txnid: chosen.txnid)
    }

    private func finish(problem: StructureCheck.Problem?, txnid: UInt64) -> StructureCheck {
        StructureCheck(pageSize: pageSize, pagesChecked: checked, transactionID: txnid, problem: problem, pages: pages)
    }

    // MARK: Reading

    private func read(page: Int, count: Int = 1) -> [UInt8]? {
        let length = count * pageSize
        let offset = page * pageSize
        guard page >= 0, offset + length <= fileSize else { return nil }
        guard let descriptor else { return nil }
        return readBytes(descriptor, count: length, at: offset)
    }

    struct DatabaseRecord {
        let pad: UInt32, flags: UInt16, depth: UInt16
        let branchPages: UInt64, leafPages: UInt64, overflowPages: UInt64, entries: UInt64, root: UInt64

        init(_ bytes: ArraySlice<UInt8>) {
            let base = bytes.startIndex
            func u16(_ at: Int) -> UInt16 { UInt16(bytes[base + at]) | UInt16(bytes[base + at + 1]) << 8 }
            func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[base + at + $1]) << (8 * $1) } }
            func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[base + at + $1]) << (8 * $1) } }
            pad = u32(0); flags = u16(4); depth = u16(6)
            branchPages = u64(8); leafPages = u64(16); overflowPages = u64(24); entries = u64(32); root = u64(40)
        }
    }

    struct Meta {
        let page: Int
        let magic: UInt32, version: UInt32
        let free: DatabaseRecord, main: DatabaseRecord
        let lastPage: UInt64, txnid: UInt64
        var freePad: UInt32 { free.pad }
        var isValid: Bool { magic == 0xBEEF_C0DE && version == 1 }

        /// Meta page 0 or 1 of a file whose pages are `pageSize` bytes, or `nil` when the file is too short.
        static func read(from descriptor: FileDescriptor, page: Int, pageSize: Int) -> Meta? {
            guard let bytes = readBytes(descriptor, count: 160, at: page * pageSize) else { return nil }
            func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
            func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
            return Meta(page: page, magic: u32(16), version: u32(20), free: DatabaseRecord(bytes[40..<88]), main: DatabaseRecord(bytes[88..<136]),
                        lastPage: u64(136), txnid: u64(144))
        }
    }

    // MARK: Walking

    private mutating func mark(_ page: Int) {
        visited[page / 64] |= 1 << UInt64(page % 64)
    }

    private func seen(_ page: Int) -> Bool { visited[page / 64] & (1 << UInt64(page % 64)) != 0 }

    private var pagesInFile: Int { fileSize / pageSize }

    private mutating func fail(_ page: Int, _ database: String, _ reason: String, first: [UInt8]? = nil, last: [UInt8]? = nil) {
        if problem == nil { problem = .init(page: page, database: database, reason: reason, firstKey: first, lastKey: last) }
    }

    private struct Tally {
        var branch: UInt64 = 0, leaf: UInt64 = 0, overflow: UInt64 = 0, entries: UInt64 = 0
    }

    /// How a tree orders its keys: the comparison LMDB picks from the database's flags.
    enum KeyOrder {
        case bytes, reversedBytes, integers

        /// Whether `a` sorts strictly before `b`; `nil` for a key this order cannot hold.
        func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool? {
            switch self {
            case .bytes: return a.lexicographicallyPrecedes(b)
            case .reversedBytes: return a.reversed().lexicographicallyPrecedes(b.reversed())
            case .integers:
                guard a.count == b.count, a.count == 4 || a.count == 8 else { return nil }
                return a.reversed().lexicographicallyPrecedes(b.reversed())  // little-endian
            }
        }
    }

    /// One B-tree being walked and what its leaves may hold.
    struct Tree {
        let name: String
        let record: DatabaseRecord
        let order: KeyOrder
        /// The main tree: its `subData` nodes are named databases.
        let holdsNamedDatabases: Bool
        /// A tree of one key's duplicates: its leaves hold keys only, of `record.pad` bytes each
        /// when the parent stores fixed-size duplicates.
        let holdsDuplicates: Bool

        var isDupSort: Bool { record.flags & Walker.dupSortFlag != 0 }
        var hasFixedSizeKeys: Bool { holdsDuplicates && record.flags & Walker.dupFixedFlag != 0 }

        /// The order LMDB uses for a database with these flags (keys, not duplicates).
        static func order(forKeysOf flags: UInt16) -> KeyOrder {
            flags & Walker.reverseKeyFlag != 0 ? .reversedBytes : flags & Walker.integerKeyFlag != 0 ? .integers : .bytes
        }

        /// The order of the duplicates of a database with these flags.
        static func order(forDuplicatesOf flags: UInt16) -> KeyOrder {
            flags & Walker.integerDupFlag != 0 ? .integers : flags & Walker.reverseDupFlag != 0 ? .reversedBytes : .bytes
        }

        /// The flags LMDB gives the tree of one key's duplicates in a database with these flags.
        static func duplicateTreeFlags(of flags: UInt16) -> UInt16 {
            guard flags & Walker.dupFixedFlag != 0 else { return 0 }
            return Walker.dupFixedFlag | (flags & Walker.integerDupFlag != 0 ? Walker.integerKeyFlag : 0)
        }
    }

    /// Why a database record's flags are impossible, or `nil` for a possible set.
    static func problem(withFlags flags: UInt16) -> String? {
        if flags & ~persistentFlags != 0 { return "its flags \(flags) include bits LMDB never stores" }
        if flags & (dupFixedFlag | integerDupFlag | reverseDupFlag) != 0 && flags & dupSortFlag == 0 {
            return "its flags \(flags) describe duplicates in a database without them"
        }
        return nil
    }

    private mutating func walkDatabase(_ tree: Tree) {
        let record = tree.record
        guard record.root != UInt64.max else {
            if record.entries != 0 || record.depth != 0 { fail(0, tree.name, "an empty database records \(record.entries) entries and depth \(record.depth)") }
            return
        }
        guard record.depth >= 1, record.depth <= Self.maximumDepth else { return fail(0, tree.name, "its recorded depth \(record.depth) is impossible") }
        var tally = Tally()
        var previousKey: [UInt8]?
        walk(Int(clamping: record.root), tree: tree, depth: 1, tally: &tally, previousKey: &previousKey)
        guard problem == nil else { return }
        if tally.branch != record.branchPages || tally.leaf != record.leafPages || tally.overflow != record.overflowPages {
            fail(Int(clamping: record.root), tree.name, "the database records \(record.branchPages)/\(record.leafPages)/\(record.overflowPages) branch/leaf/overflow pages but holds \(tally.branch)/\(tally.leaf)/\(tally.overflow)")
        } else if tally.entries != record.entries {
            fail(Int(clamping: record.root), tree.name, "the database records \(record.entries) entries but holds \(tally.entries)")
        }
    }

    private mutating func walk(_ page: Int, tree: Tree, depth: Int, tally: inout Tally, previousKey: inout [UInt8]?) {
        let name = tree.name
        guard problem == nil else { return }
        guard page >= 2, page <= lastPage else { return fail(page, name, "a pointer leads to page \(page), outside the \(lastPage + 1) pages in use") }
        guard page < pagesInFile, let bytes = read(page: page) else {
            return fail(page, name, "page \(page) lies beyond the end of the file (\(pagesInFile) pages): the file is truncated")
        }
        guard !seen(page) else { return fail(page, name, "page \(page) is reached twice (a cycle, or shared by two trees)") }
        mark(page)
        checked += 1
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        let stored = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard stored == UInt64(page) else { return fail(page, name, "the page header says it is page \(stored)") }
        let flags = UInt16(u16(10))
        let isLeaf = flags & Self.leaf != 0
        let isBranch = flags & Self.branch != 0
        let treeDepth = Int(tree.record.depth)
        guard isLeaf != isBranch, flags & ~(Self.branch | Self.leaf | Self.leaf2) == 0 else { return fail(page, name, "page flags \(flags) are not those of a tree page") }
        guard isLeaf == (depth == treeDepth) else { return fail(page, name, "a \(isLeaf ? "leaf" : "branch") page at depth \(depth) of a tree \(treeDepth) deep") }
        let isFixedSize = flags & Self.leaf2 != 0
        guard isFixedSize == (isLeaf && tree.hasFixedSizeKeys) else {
            return fail(page, name, isFixedSize ? "a page of fixed-size keys in a tree that holds none" : "a leaf page of a tree of fixed-size keys lacks their flag")
        }
        let lower = u16(12), upper = u16(14)
        guard lower >= Self.headerSize, (lower - Self.headerSize) % 2 == 0, lower <= upper, upper <= pageSize else {
            return fail(page, name, "its free-space bounds \(lower)..<\(upper) are impossible")
        }
        pages[page] = .init(database: name, isLeaf: isLeaf, isOverflow: false, lower: lower, upper: upper)
        if isBranch { tally.branch += 1 } else { tally.leaf += 1 }
        let count = (lower - Self.headerSize) / 2
        guard count >= 1 || (isLeaf && depth == 1) else { return fail(page, name, "a \(isBranch ? "branch" : "non-root leaf") page holds no nodes") }
        if isFixedSize {
            let keySize = Int(tree.record.pad)
            let end = Self.headerSize + count * keySize
            guard keySize >= 1, keySize <= Self.maximumKeySize, end <= pageSize else {
                return fail(page, name, "\(count) keys of \(keySize) bytes do not fit the page")
            }
            for index in 0..<count {
                let key = Array(bytes[(Self.headerSize + index * keySize)..<(Self.headerSize + (index + 1) * keySize)])
                guard inOrder(previousKey, key, tree.order) else { return fail(page, name, "keys are out of order at key \(index)", last: key) }
                previousKey = key
            }
            tally.entries += UInt64(count)
            return
        }
        var firstKey: [UInt8]?
        for index in 0..<count {
            let offset = u16(Self.headerSize + 2 * index)
            guard offset >= upper, offset + Self.nodeHeaderSize <= pageSize else {
                return fail(page, name, "node \(index) starts at \(offset), outside the page's node area", first: firstKey)
            }
            let lo = u16(offset), hi = u16(offset + 2), nodeFlags = UInt16(u16(offset + 4)), keySize = u16(offset + 6)
            let keyStart = offset + Self.nodeHeaderSize
            guard keySize <= Self.maximumKeySize, keyStart + keySize <= pageSize else {
                return fail(page, name, "node \(index)'s key of \(keySize) bytes runs past the end of the page", first: firstKey)
            }
            let key = Array(bytes[keyStart..<(keyStart + keySize)])
            // Keys ascend across the whole tree (a branch's first key is implicit and empty).
            if isLeaf {
                guard inOrder(previousKey, key, tree.order) else { return fail(page, name, "keys are out of order at node \(index)", first: firstKey, last: key) }
                previousKey = key
                if firstKey == nil { firstKey = key }
            }
            if isBranch {
                let child = lo | hi << 16 | Int(nodeFlags) << 32
                walk(child, tree: tree, depth: depth + 1, tally: &tally, previousKey: &previousKey)
                guard problem == nil else { return }
                continue
            }
            if let reason = leafNodeProblem(flags: nodeFlags, in: tree) {
                return fail(page, name, "node \(index) \(reason)", first: firstKey, last: key)
            }
            let dataSize = lo | hi << 16
            let dataStart = keyStart + keySize
            if nodeFlags & Self.bigData != 0 {
                guard dataStart + 8 <= pageSize else { return fail(page, name, "node \(index)'s overflow pointer runs past the page", first: firstKey) }
                let overflowPage = (0..<8).reduce(0) { $0 | Int(bytes[dataStart + $1]) << (8 * $1) }
                checkOverflow(overflowPage, dataSize: dataSize, name: name, tally: &tally)
                tally.entries += 1
                guard problem == nil else { return }
                continue
            }
            guard dataStart + dataSize <= pageSize else {
                return fail(page, name, "node \(index)'s value of \(dataSize) bytes runs past the end of the page", first: firstKey)
            }
            let value = bytes[dataStart..<(dataStart + dataSize)]
            switch (nodeFlags & Self.subData != 0, nodeFlags & Self.dupData != 0) {
            case (true, let isDuplicates):
                guard dataSize == Self.dbSize else { return fail(page, name, "node \(index) is a database record of \(dataSize) bytes, not \(Self.dbSize)") }
                let record = DatabaseRecord(value)
                if isDuplicates {
                    let expected = Tree.duplicateTreeFlags(of: tree.record.flags)
                    guard record.flags == expected else {
                        return fail(page, name, "node \(index)'s tree of duplicates has flags \(record.flags), not \(expected)", first: firstKey, last: key)
                    }
                    walkDatabase(Tree(name: "\(name) duplicates", record: record, order: Tree.order(forDuplicatesOf: tree.record.flags),
                                      holdsNamedDatabases: false, holdsDuplicates: true))
                    tally.entries += record.entries
                } else {
                    let childName = String(decoding: key, as: UTF8.self)
                    if let reason = Self.problem(withFlags: record.flags) { return fail(page, name, "the record of database \(childName): \(reason)", first: firstKey, last: key) }
                    walkDatabase(Tree(name: childName, record: record, order: Tree.order(forKeysOf: record.flags), holdsNamedDatabases: false, holdsDuplicates: false))
                    tally.entries += 1
                }
                guard problem == nil else { return }
            case (false, true):
                guard let duplicates = checkSubPage(value, of: tree) else {
                    return fail(page, name, "node \(index)'s inline duplicates are damaged", first: firstKey, last: key)
                }
                tally.entries += UInt64(duplicates)
            case (false, false):
                tally.entries += 1
            }
        }
    }

    /// Whether `key` may follow `previous` in a tree of this order (strictly after it).
    private func inOrder(_ previous: [UInt8]?, _ key: [UInt8], _ order: KeyOrder) -> Bool {
        guard let previous else { return order != .integers || key.count == 4 || key.count == 8 }
        return order.precedes(previous, key) ?? false
    }

    /// Why a leaf node's flags are impossible in `tree` — LMDB acts on them without checking
    /// (a duplicates flag in a database without duplicates sends it through a null cursor).
    private func leafNodeProblem(flags: UInt16, in tree: Tree) -> String? {
        if flags & ~(Self.bigData | Self.subData | Self.dupData) != 0 { return "has flags \(flags) that LMDB never stores" }
        if tree.holdsDuplicates && flags != 0 { return "holds a duplicate with flags \(flags)" }
        if flags & Self.bigData != 0 && flags != Self.bigData { return "has flags \(flags): a large value that is also a database or duplicates" }
        if flags & Self.dupData != 0 && !tree.isDupSort { return "has the duplicates flag in a database without duplicates" }
        if flags == Self.subData && !tree.holdsNamedDatabases { return "is marked as a named database outside the main database" }
        if flags == Self.subData && tree.record.flags & (Self.dupSortFlag | Self.integerKeyFlag) != 0 {
            return "is a named database, which a main database with flags \(tree.record.flags) cannot hold"
        }
        return nil
    }

    /// Checks a page of duplicates stored inside a node's value; returns how many it holds.
    private func checkSubPage(_ value: ArraySlice<UInt8>, of tree: Tree) -> Int? {
        let bytes = Array(value)
        guard bytes.count >= Self.headerSize else { return nil }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        let flags = UInt16(u16(10)), lower = u16(12), upper = u16(14)
        let isFixedSize = tree.record.flags & Self.dupFixedFlag != 0
        // LMDB copies the page it built in memory, so its "dirty" flag may come along.
        guard flags & ~Self.dirty == Self.leaf | Self.subPage | (isFixedSize ? Self.leaf2 : 0) else { return nil }
        guard lower >= Self.headerSize, (lower - Self.headerSize) % 2 == 0, lower <= upper, upper <= bytes.count else { return nil }
        let count = (lower - Self.headerSize) / 2
        let order = Tree.order(forDuplicatesOf: tree.record.flags)
        var previous: [UInt8]?
        for index in 0..<count {
            let key: [UInt8]
            if isFixedSize {
                let keySize = u16(8)  // a sub-page of fixed-size duplicates keeps their size in its pad
                let start = Self.headerSize + index * keySize
                guard keySize >= 1, start + keySize <= bytes.count else { return nil }
                key = Array(bytes[start..<(start + keySize)])
            } else {
                let offset = u16(Self.headerSize + 2 * index)
                guard offset >= upper, offset + Self.nodeHeaderSize <= bytes.count else { return nil }
                let keySize = u16(offset + 6), keyStart = offset + Self.nodeHeaderSize
                // Duplicates are keys without values or flags.
                guard u16(offset) == 0, u16(offset + 2) == 0, u16(offset + 4) == 0, keyStart + keySize <= bytes.count else { return nil }
                key = Array(bytes[keyStart..<(keyStart + keySize)])
            }
            guard inOrder(previous, key, order) else { return nil }
            previous = key
        }
        return count
    }

    private mutating func checkOverflow(_ page: Int, dataSize: Int, name: String, tally: inout Tally) {
        guard page >= 2, page <= lastPage, let header = read(page: page) else { return fail(page, name, "an overflow pointer leads to page \(page), outside the pages in use") }
        let stored = (0..<8).reduce(0) { $0 | Int(header[$1]) << (8 * $1) }
        let flags = UInt16(header[10]) | UInt16(header[11]) << 8
        let count = (12..<16).reduce(0) { $0 | Int(header[$1]) << (8 * ($1 - 12)) }
        guard stored == page, flags & Self.overflow != 0 else { return fail(page, name, "an overflow pointer leads to a page that is not an overflow page") }
        guard count >= 1, page + count - 1 <= lastPage, page + count <= pagesInFile, dataSize <= count * pageSize - Self.headerSize else {
            return fail(page, name, "an overflow run of \(count) pages cannot hold \(dataSize) bytes within the file")
        }
        for run in page..<(page + count) {
            guard !seen(run) else { return fail(run, name, "overflow page \(run) is reached twice") }
            mark(run)
            pages[run] = .init(database: name, isLeaf: false, isOverflow: true, lower: Self.headerSize, upper: Self.headerSize)
        }
        checked += count
        tally.overflow += UInt64(count)
    }
}

extension StructureCheck {
    /// Whether the data file's meta pages carry LMDB's magic number with a data format version
    /// other than the one this LMDB writes: a file from an incompatible LMDB.
    static func dataFileVersionDiffers(_ path: String) -> Bool {
        guard let descriptor = try? FileDescriptor.openForReading(path) else { return false }
        let metas = (0..<2).compactMap { Walker.Meta.read(from: descriptor, page: $0, pageSize: TruncationProbe.pageSize) }
        return metas.contains { $0.magic == 0xBEEF_C0DE && $0.version != 1 }
    }

    /// Whether the file is too short for the trees its newest meta page describes: a truncated
    /// file would make LMDB fault when it touches the missing pages through the map. A quick
    /// look, made on every open: the roots of the free-page and main databases and, when the
    /// main database fits one page, the root of every named database must lie within the file.
    /// (The file may legitimately end before the last page in use; see the walk.) Returns a
    /// problem to report, or `nil` (also for files too damaged to judge, left to LMDB and to
    /// the full check).
    ///
    /// Other processes may be committing meanwhile, without a read transaction to hold their
    /// pages still: the meta page is read before the file's size (data reaches the file before
    /// the meta page that points at it), and a look during which a commit landed is repeated.
    static func truncation(of path: String) -> String? {
        guard let descriptor = try? FileDescriptor.openForReading(path) else { return nil }
        let file = TruncationProbe(descriptor: descriptor)
        for _ in 0..<3 {
            guard let meta = file.newestMeta() else { return nil }
            let problem = file.rootBeyondEnd(of: meta)
            if problem == nil || file.newestMeta().map({ $0.txnid }) == meta.txnid { return problem }
        }
        return nil  // the store kept changing under the look; LMDB and the full check remain
    }
}

/// Reads a data file's meta pages and database roots with `pread`, never through a map.
private struct TruncationProbe {
    typealias Meta = Walker.Meta
    let descriptor: FileDescriptor
    static let pageSize = 4096

    /// The newer of the two valid meta pages (4096-byte pages only).
    func newestMeta() -> Meta? {
        (0..<2).compactMap { Meta.read(from: descriptor, page: $0, pageSize: Self.pageSize) }
            .filter { $0.isValid && $0.freePad == UInt32(Self.pageSize) }
            .max { $0.txnid < $1.txnid }
    }

    func rootBeyondEnd(of meta: Meta) -> String? {
        guard let fileSize = try? descriptor.status().size else { return nil }
        let pagesInFile = fileSize / Self.pageSize
        func beyondEnd(_ root: UInt64, _ name: String) -> String? {
            guard root != UInt64.max, root >= UInt64(pagesInFile) else { return nil }
            return "it holds \(fileSize) bytes (\(pagesInFile) page\(pagesInFile == 1 ? "" : "s")), but the root of \(name) is page \(root)"
        }
        let mainRoot = meta.main.root
        if let problem = beyondEnd(meta.free.root, "the free-page database") ?? beyondEnd(mainRoot, "the main database") { return problem }
        // The main database's root: when it is a leaf, its nodes are the named databases' records.
        func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard mainRoot != UInt64.max, let root = readBytes(descriptor, count: Self.pageSize, at: Int(mainRoot) * Self.pageSize), u16(root, 10) & 0x02 != 0
        else { return nil }
        let lower = u16(root, 12)
        guard lower >= 16, lower <= Self.pageSize else { return nil }
        for index in 0..<((lower - 16) / 2) {
            let node = u16(root, 16 + 2 * index)
            guard node + 8 <= Self.pageSize else { return nil }
            let dataSize = u16(root, node) | u16(root, node + 2) << 16, flags = u16(root, node + 4), keySize = u16(root, node + 6)
            let record = node + 8 + keySize
            guard flags == 0x02, dataSize == 48, record + 48 <= Self.pageSize else { continue }
            let name = String(decoding: root[(node + 8)..<record], as: UTF8.self)
            if let problem = beyondEnd(Walker.DatabaseRecord(root[record..<(record + 48)]).root, "database \(name)") { return problem }
        }
        return nil
    }
}

/// `count` bytes of the file at `offset`, or `nil` when it holds fewer.
private func readBytes(_ descriptor: FileDescriptor, count: Int, at offset: Int) -> [UInt8]? {
    guard offset >= 0 else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    let got = bytes.withUnsafeMutableBytes { buffer in try? descriptor.read(into: buffer, at: offset) }
    return got == count ? bytes : nil
}
