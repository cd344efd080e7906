import LMDB

/// Writes to one database, held back until the end of a transaction and then made in key order
/// through one cursor.
///
/// A fold writes its entries where its events fall, which for an index on valid time or on
/// actors is all over the database: each put descends from the root to a page of its own and
/// dirties it. Made in key order, consecutive writes land on the page the cursor already rests
/// on, each page is dirtied once, and keys past the database's last one are appended, filling
/// pages instead of splitting them.
///
/// Keys and values are kept one after another in blocks of a megabyte, so holding a write costs
/// no allocation of its own, and a write stays where it was put until ``removeAll()``. A key
/// written more than once keeps its last value.
final class SortedWrites {
    /// A write as the order works it out: everything the sort compares and the visit reads sits
    /// in the record itself, so neither goes back to the array of writes in a random order.
    private struct Record {
        /// The key's first 24 bytes as three big-endian numbers (zero-padded), which order most
        /// pairs of keys without reading them, even keys that share a prefix of 16 bytes (an
        /// actor's id and a bucket, say), and tell keys of up to 24 bytes equal.
        var head: UInt64
        var next: UInt64
        var third: UInt64
        /// Where the key starts; the value follows it.
        var address: UnsafeMutableRawPointer
        var valueCount: UInt32
        /// The write's index, which orders the writes of one key.
        var index: UInt32
        var keyCount: UInt16

        var key: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: address, count: Int(keyCount)) }
        var value: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: address + Int(keyCount), count: Int(valueCount)) }

        /// Whether the two writes are under one key; reads the keys only past their first 24 bytes.
        func hasSameKey(as other: Record) -> Bool {
            guard head == other.head, next == other.next, third == other.third, keyCount == other.keyCount else { return false }
            return keyCount <= 24 || SortedWrites.compare(key, other.key) == 0
        }

        /// LMDB's key order, then the order the writes were made.
        func precedes(_ other: Record) -> Bool {
            if head != other.head { return head < other.head }
            if next != other.next { return next < other.next }
            if third != other.third { return third < other.third }
            // Equal in their first 24 bytes: keys of at most 24 bytes are equal when their lengths
            // are, and otherwise the shorter is a prefix of the longer; only longer keys need reading.
            if min(keyCount, other.keyCount) <= 24 {
                return keyCount != other.keyCount ? keyCount < other.keyCount : index < other.index
            }
            let keys = SortedWrites.compare(key, other.key)
            return keys != 0 ? keys < 0 : index < other.index
        }
    }

    private static let blockSize = 1 << 20
    // One thread makes a transaction's writes (see `PendingWrites`), so the stored properties
    // go without the runtime's exclusivity checks, two of which every write paid for.
    @exclusivity(unchecked) private var blocks: [UnsafeMutableRawPointer] = []
    /// Where the next write goes in the last block, and how many bytes that block has left.
    @exclusivity(unchecked) private var free: UnsafeMutableRawPointer?
    @exclusivity(unchecked) private var freeCount = 0
    @exclusivity(unchecked) private var records: [Record] = []
    /// The writes in key order, once worked out, until the next write.
    @exclusivity(unchecked) private var sorted: [Record]?

    init() {}

    deinit { removeAll() }

    var isEmpty: Bool { records.isEmpty }

    /// Holds back a write of `valueCount` bytes under `key`, filled by `writeValue`; returns the
    /// write's index for ``value(at:)``.
    @discardableResult
    func add(key: some RawBytes, valueCount: Int, _ writeValue: (UnsafeMutableRawBufferPointer) -> Void) -> Int {
        key.withRawBytes { key in
            precondition(key.count <= Int(UInt16.max) && valueCount <= Int(UInt32.max) && records.count < Int(UInt32.max), "more writes than one transaction holds")
            let address = reserve(key.count + valueCount)
            if let source = key.baseAddress { address.copyMemory(from: source, byteCount: key.count) }
            writeValue(UnsafeMutableRawBufferPointer(start: address + key.count, count: valueCount))
            records.append(Record(head: Self.number(key, from: 0), next: Self.number(key, from: 8), third: Self.number(key, from: 16), address: address,
                                  valueCount: UInt32(valueCount), index: UInt32(records.count), keyCount: UInt16(key.count)))
            sorted = nil
            return records.count - 1
        }
    }

    /// Holds back a write of `value` under `key`.
    @discardableResult
    func add(key: some RawBytes, value: some RawBytes) -> Int {
        value.withRawBytes { value in
            add(key: key, valueCount: value.count) { target in
                if let source = value.baseAddress { target.baseAddress!.copyMemory(from: source, byteCount: value.count) }
            }
        }
    }

    /// Whether write `index` is under `key`.
    func hasKey(_ key: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let record = records[index]
        return Int(record.keyCount) == key.count && Self.compare(record.key, key) == 0
    }

    /// The value of write `index`, valid until ``removeAll()``.
    func value(at index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(records[index].value)
    }

    /// Visits the writes in key order, one write of each key: the last, or the first when
    /// `firstOfEachKey`. The buffers are valid until ``removeAll()``.
    func forEachInKeyOrder(firstOfEachKey: Bool = false, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        try visitInKeyOrder(firstOfEachKey: firstOfEachKey) { key, value in try body(key, UnsafeRawBufferPointer(value)) }
    }

    /// Visits the last write of each key in key order, letting `body` change its value in place.
    /// The buffers are valid until ``removeAll()``.
    func updateInKeyOrder(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        try visitInKeyOrder(firstOfEachKey: false, body)
    }

    private func visitInKeyOrder(firstOfEachKey: Bool, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        try orderByKey().withUnsafeBufferPointer { order in
            // Each run of writes of one key; within it the writes stand in the order they were made.
            var first = 0
            while first < order.count {
                var last = first
                while last + 1 < order.count, order[last + 1].hasSameKey(as: order[first]) { last += 1 }
                try body(order[first].key, order[firstOfEachKey ? first : last].value)
                first = last + 1
            }
        }
    }

    /// Makes the writes, in key order, through one cursor on `database`; keys past its last
    /// one are appended. Then forgets them.
    func write(to database: Database, in txn: borrowing Transaction) throws {
        guard !records.isEmpty else { return }
        try txn.withCursor(on: database) { cursor in
            // Whether the keys have passed the database's last key, after which each is appended.
            var lastKey = try cursor.last().map { Array($0.key) }
            try forEachInKeyOrder { key, value in
                if let last = lastKey, last.withUnsafeBytes({ Self.compare(key, $0) }) > 0 { lastKey = nil }
                try cursor.put(value, forKey: key, flags: lastKey == nil ? .append : [])
            }
        }
        removeAll()
    }

    func removeAll() {
        records.removeAll(keepingCapacity: true)
        sorted = nil
        for block in blocks { block.deallocate() }
        blocks.removeAll()
        free = nil
        freeCount = 0
    }

    /// Room for `count` bytes: in the last block, or in a new one (larger than a block for a
    /// write that needs it).
    private func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        if count > freeCount || free == nil {
            let size = max(Self.blockSize, count)
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            blocks.append(block)
            free = block
            freeCount = size
        }
        let address = free!
        free = address + count
        freeCount -= count
        return address
    }

    /// The writes in key order, and in the order they were made within a key.
    ///
    /// A radix sort on the keys' first 16 bytes (`head` and `next`) does most of the work: it
    /// moves each record once per byte position at which the keys differ and compares nothing,
    /// where a comparison sort moves it about log₂ n times and branches on every comparison. Being
    /// stable, it leaves the writes of equal first 16 bytes in the order they were made; those
    /// runs, mostly short, are then put in order by ``Record/precedes(_:)``.
    private func orderByKey() -> [Record] {
        if let sorted { return sorted }
        var order = records
        order.withUnsafeMutableBufferPointer { order in
            // A few writes (a transaction of one article) cost less to compare than to count.
            guard order.count >= Self.radixSortMinimum else {
                order.sort { $0.precedes($1) }
                return
            }
            Self.radixSortByFirst16Bytes(order)
            var start = 0
            while start < order.count {
                var end = start + 1
                while end < order.count, order[end].head == order[start].head, order[end].next == order[start].next { end += 1 }
                if end - start > 1 { order[start..<end].sort { $0.precedes($1) } }
                start = end
            }
        }
        sorted = order
        return order
    }

    /// How many writes make the radix sort worth its counts (256 for each byte position).
    private static let radixSortMinimum = 1_024

    /// Sorts `records` by (`head`, `next`) as unsigned numbers, stably: a least-significant-byte
    /// first radix sort over the byte positions at which the keys differ.
    private static func radixSortByFirst16Bytes(_ records: UnsafeMutableBufferPointer<Record>) {
        let count = records.count
        guard count > 1 else { return }
        // Byte position p of the 16 bytes `head` ‖ `next` (0 the most significant of `head`).
        @inline(__always) func byte(_ head: UInt64, _ next: UInt64, _ position: Int) -> Int {
            Int(truncatingIfNeeded: (position < 8 ? head >> UInt64(56 - 8 * position) : next >> UInt64(120 - 8 * position)) & 0xFF)
        }
        // The positions at which some key differs from the first: the others order nothing.
        // Keys of one database share most of their bytes (a position's high bytes, an actor's id).
        var headDifference: UInt64 = 0
        var nextDifference: UInt64 = 0
        let first = records[0]
        for record in records {
            headDifference |= record.head ^ first.head
            nextDifference |= record.next ^ first.next
        }
        var differing: [Int] = []
        for position in 0..<16 where byte(headDifference, nextDifference, position) != 0 { differing.append(position) }
        guard !differing.isEmpty else { return }
        // Their counts, in one pass.
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: differing.count * 256)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        for record in records {
            for (slot, position) in differing.enumerated() { counts[slot * 256 + byte(record.head, record.next, position)] += 1 }
        }
        let scratch = UnsafeMutableBufferPointer<Record>.allocate(capacity: count)
        defer { scratch.deallocate() }
        var source = records
        var target = scratch
        for (slot, position) in differing.enumerated().reversed() {
            let positionCounts = UnsafeMutableBufferPointer(rebasing: counts[slot * 256..<(slot + 1) * 256])
            var offset = 0
            for digit in 0..<256 {
                let digitCount = positionCounts[digit]
                positionCounts[digit] = offset
                offset += digitCount
            }
            for record in source {
                let digit = byte(record.head, record.next, position)
                (target.baseAddress! + positionCounts[digit]).initialize(to: record)
                positionCounts[digit] += 1
            }
            swap(&source, &target)
        }
        if source.baseAddress != records.baseAddress {
            records.baseAddress!.update(from: source.baseAddress!, count: count)
        }
    }

    /// Bytes `offset..<offset + 8` of `key` as a big-endian number, zero where the key is shorter.
    private static func number(_ key: UnsafeRawBufferPointer, from offset: Int) -> UInt64 {
        if key.count >= offset + 8 { return UInt64(bigEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        var number: UInt64 = 0
        for index in offset..<offset + 8 { number = number << 8 | UInt64(index < key.count ? key[index] : 0) }
        return number
    }

    /// LMDB's default order: bytes compared as unsigned, a key before any longer key it begins.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        var offset = 0
        while offset + 8 <= common {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            offset += 8
        }
        while offset < common {
            if a[offset] != b[offset] { return a[offset] < b[offset] ? -1 : 1 }
            offset += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
