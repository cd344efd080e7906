import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsProjections
import LMDB

extension TimelineProjection {
    /// The timeline projection's answers, read in a transaction's snapshot: facts by id, their
    /// versions, and pages of the valid-time indexes as of any position.
    public struct Reader {
        let state: State

        public init(_ state: State) { self.state = state }

        // MARK: Facts

        /// The position of the fact's first assertion, its key; `nil` for a fact never asserted.
        package func firstPosition(ofFact id: String, txn: borrowing Transaction) throws -> UInt64? {
            guard let bytes = try txn.get(id, in: state.ids) else { return nil }
            guard bytes.count == 8, let position = bytes.bigEndianUInt64 else { throw ProjectionError.damagedState(projection: "timeline", what: "the key of fact \(id)") }
            return position
        }

        /// The fact as it stood after position `asOf`: its latest version at or before it.
        package func latestRow(firstPosition: UInt64, asOf position: UInt64, txn: borrowing Transaction) throws -> FactRow? {
            try txn.withCursor(on: state.rows) { cursor in
                guard let entry = try cursor.seek(atMost: TimelineProjection.rowKey(firstPosition, position)) else { return nil }
                return try Self.row(entry, firstPosition: firstPosition)
            }
        }

        /// The fact's latest version at or before `asOf`, read in place with `cursor` (on `rows`).
        package func latestRowView(firstPosition: UInt64, asOf position: UInt64, cursor: borrowing Cursor) throws -> FactRowView? {
            var key: (UInt64, UInt64) = (firstPosition.bigEndian, position.bigEndian)
            let entry = try withUnsafeBytes(of: &key) { try cursor.seek(atMost: $0) }
            guard let entry, entry.key.count == 16, TimelineIndexKey.unsigned(entry.key, at: 0) == firstPosition else { return nil }
            return try FactRowView(bytes: entry.value, firstPosition: firstPosition, position: TimelineIndexKey.unsigned(entry.key, at: 8))
        }

        /// Every version of every fact, read in place: the facts in the order of their first
        /// positions, each fact's versions oldest first. Stop by returning `false`.
        package func forEachRowView(txn: borrowing Transaction, _ body: (FactRowView) throws -> Bool) throws {
            try txn.forEach(in: state.rows) { entry in
                guard entry.key.count == 16 else { throw ProjectionError.damagedState(projection: "timeline", what: "a row key") }
                return try body(FactRowView(bytes: entry.value, firstPosition: TimelineIndexKey.unsigned(entry.key, at: 0),
                                            position: TimelineIndexKey.unsigned(entry.key, at: 8)))
            }
        }

        /// Every version of the fact, oldest first.
        package func rows(firstPosition: UInt64, txn: borrowing Transaction) throws -> [FactRow] {
            var rows: [FactRow] = []
            try txn.forEach(in: state.rows, range: .prefix(TimelineProjection.positionKey(firstPosition))) { entry in
                if let row = try Self.row(entry, firstPosition: firstPosition) { rows.append(row) }
                return true
            }
            return rows
        }

        private static func row(_ entry: Entry, firstPosition: UInt64) throws -> FactRow? {
            guard entry.key.count == 16, TimelineIndexKey.unsigned(entry.key, at: 0) == firstPosition else { return nil }
            return try FactRow(decoding: entry.value, firstPosition: firstPosition, position: TimelineIndexKey.unsigned(entry.key, at: 8))
        }

        // MARK: Actors

        /// How many live facts involved `actor` right after position `asOf`.
        package func liveFacts(of actor: String, asOf position: UInt64, txn: borrowing Transaction) throws -> Int {
            // The latest count at or before the position, if it is this actor's: the same
            // length as the sought key, and the same up to its position.
            let sought = TimelineProjection.countKey(actor, position)
            return try txn.withCursor(on: state.actorCounts) { cursor in
                Int(try sought.withRawBytes { try Self.liveFacts(countKey: $0, cursor: cursor) })
            }
        }

        /// The count of the latest key of `actor-counts` at or before `sought` (an actor's
        /// count key), if it is the same actor's; else 0.
        static func liveFacts(countKey sought: UnsafeRawBufferPointer, cursor: borrowing Cursor) throws -> Int64 {
            guard let entry = try cursor.seek(atMost: sought),
                  entry.key.differsOnlyInLastNumber(from: sought)
            else { return 0 }
            guard entry.value.count == 8 else {
                throw ProjectionError.damagedState(projection: "timeline", what: "the fact count of actor \(String(decoding: sought.dropLast(9), as: UTF8.self))")
            }
            return Int64(littleEndian: entry.value.loadUnaligned(as: Int64.self))
        }

        // MARK: Pages

        /// One entry of a page: the fact's index key, the queried actor's roles in it, and the
        /// fact's row as of the page when the entry carries it (read in place).
        package struct Hit {
            package let key: TimelineIndexKey
            package let roles: UInt16
            /// The row a live entry of the overall index carries, in place: its position as a
            /// varint, then its bytes.
            let carried: UnsafeRawBufferPointer?

            /// The carried row, when it is the fact's version as of `asOf`: it is the fact's
            /// latest, so any at or before `asOf` is.
            package func row(asOf: UInt64) throws -> FactRowView? {
                guard let carried, !carried.isEmpty else { return nil }
                var reader = PayloadReader(carried)
                let position = try reader.varint()
                guard position <= asOf else { return nil }
                return try FactRowView(bytes: UnsafeRawBufferPointer(rebasing: carried[reader.offset...]), firstPosition: key.firstPosition, position: position)
            }
        }

        /// Each hit's fact as of `asOf`: the row its entry carries when that is the version,
        /// else the version read from `rows`.
        package func rows(of hits: ArraySlice<Hit>, asOf: UInt64, txn: borrowing Transaction) throws -> [(hit: Hit, row: FactRowView)] {
            try txn.withCursor(on: state.rows) { cursor in
                var rows: [(hit: Hit, row: FactRowView)] = []
                rows.reserveCapacity(hits.count)
                for hit in hits {
                    guard let row = try hit.row(asOf: asOf) ?? latestRowView(firstPosition: hit.key.firstPosition, asOf: asOf, cursor: cursor) else {
                        throw ProjectionError.damagedState(projection: "timeline", what: "the fact first asserted at position \(hit.key.firstPosition)")
                    }
                    rows.append((hit, row))
                }
                return rows
            }
        }

        /// The first `count` facts in timeline order whose dates overlap `[windowStart, windowEnd)`
        /// and that were live right after position `asOf` (of `kind`, when given), from the
        /// overall index or an actor's.
        ///
        /// Each span class is read bucket by bucket from the first that can overlap the window;
        /// buckets that hold only later facts are skipped by their summaries, and a bucket is
        /// read only as far as the facts known by `asOf`. The classes are merged in timeline order.
        ///
        /// `asOfIsPresent` says that `asOf` is at or after every position the projection has
        /// applied: then no bucket holds only later facts, and each class finds its next bucket
        /// with the same seek that reads it, without consulting the summaries. It changes the
        /// work, never the answer.
        package func page(actor: String?, windowStart: Int64, windowEnd: Int64, asOf: UInt64, asOfIsPresent: Bool = false,
                          kind: FactKind?, count: Int, txn: borrowing Transaction) throws -> [Hit] {
            let prefix = TimelineProjection.actorPrefix(actor)
            let entries = actor == nil ? state.entries : state.actorEntries
            let buckets = actor == nil ? state.buckets : state.actorBuckets
            var streams: [ClassStream] = []
            for spanClass in try presentClasses(prefix: prefix, in: buckets, txn: txn) {
                streams.append(ClassStream(spanClass: spanClass, prefix: prefix, windowStart: windowStart, windowEnd: windowEnd))
            }
            var hits: [Hit] = []
            try txn.withCursor(on: buckets) { bucketCursor in
                try txn.withCursor(on: entries) { entryCursor in
                    let reading = ReadingContext(asOf: asOf, kind: kind, want: count, hasRoles: actor != nil, locatesByEntries: asOfIsPresent)
                    // A lazy merge: a stream that has not read its next bucket offers the bucket's
                    // start as a bound, and reads it only when that bound is the smallest head.
                    // Each stream's head is kept, and recomputed only when that stream moves.
                    var heads = streams.map(\.head)
                    while hits.count < count {
                        var best = -1
                        for index in heads.indices where !heads[index].isExhausted {
                            if best < 0 || heads[index].precedes(heads[best]) { best = index }
                        }
                        guard best >= 0 else { break }
                        if !heads[best].isBound {
                            hits.append(streams[best].pop())
                        } else {
                            try streams[best].advance(buckets: bucketCursor, entries: entryCursor, reading)
                        }
                        heads[best] = streams[best].head
                    }
                }
            }
            return hits
        }

        /// The span classes that have at least one bucket under `prefix`.
        private func presentClasses(prefix: [UInt8], in buckets: Database, txn: borrowing Transaction) throws -> [TimelineIndexKey.SpanClass] {
            let key = prefix.withUnsafeBytes { TimelineProjection.classesKey(prefix: $0) }
            guard let bytes = try txn.get(key, in: buckets) else { return [] }
            guard let classes = SpanClassSet(bytes)?.classes else { throw ProjectionError.damagedState(projection: "timeline", what: "the index's list of span classes") }
            return classes
        }
    }

    /// What a page asks of each entry it reads.
    struct ReadingContext {
        let asOf: UInt64
        let kind: FactKind?
        /// How many entries the page needs at most: a bucket that streams in order stops there.
        let want: Int
        let hasRoles: Bool
        /// Find each next bucket by seeking the entries themselves rather than the summaries.
        let locatesByEntries: Bool
    }

    /// One span class of an index, read lazily bucket after bucket, in timeline order.
    struct ClassStream {
        /// What the stream offers next, reduced to what ordering needs: the start, end and first
        /// position of its next entry, or a bound on the start of whatever comes next.
        struct Head {
            var start: Int64
            var end: Int64
            var firstPosition: UInt64
            /// Nothing read yet: `start` bounds what comes next.
            var isBound: Bool
            var isExhausted: Bool

            static let exhausted = Head(start: .max, end: .max, firstPosition: .max, isBound: false, isExhausted: true)

            static func bound(_ start: Int64) -> Head { Head(start: start, end: .max, firstPosition: 0, isBound: true, isExhausted: false) }

            static func entry(_ key: TimelineIndexKey) -> Head {
                Head(start: key.start, end: key.end, firstPosition: key.firstPosition, isBound: false, isExhausted: false)
            }

            /// Whether this head comes before `other` in timeline order. A bound comes before an
            /// entry starting where the bound is, since what it stands for may be wider.
            @inline(__always)
            func precedes(_ other: Head) -> Bool {
                if isExhausted { return false }
                if other.isExhausted { return true }
                if start != other.start { return start < other.start }
                if isBound != other.isBound { return isBound }
                if isBound { return false }
                if end != other.end { return end > other.end }
                return firstPosition < other.firstPosition
            }
        }

        let spanClass: TimelineIndexKey.SpanClass
        let prefix: [UInt8]
        let windowStart: Int64
        let windowEnd: Int64
        /// The next bucket to look for; `nil` once the class is exhausted.
        private var nextBucket: Int64?
        /// A bucket found readable but not read yet.
        private var located: Int64?
        /// The current bucket's entries that qualify, in timeline order.
        private var pending: [Reader.Hit] = []
        private var pendingIndex = 0
        /// The prefix, the class and a bucket: the key of a bucket, rewritten in place for each.
        private var bucketKey: [UInt8]

        init(spanClass: TimelineIndexKey.SpanClass, prefix: [UInt8], windowStart: Int64, windowEnd: Int64) {
            self.spanClass = spanClass
            self.prefix = prefix
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            nextBucket = Self.firstBucket(spanClass, windowStart: windowStart)
            bucketKey = prefix
            TimelineIndexKey.bucketPrefix(spanClass, 0, into: &bucketKey)
        }

        /// Sets the bucket part of ``bucketKey``.
        private mutating func setBucket(_ bucket: Int64) {
            let value = UInt64(bitPattern: bucket ^ Int64.min).bigEndian
            bucketKey.withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: prefix.count + 1, as: UInt64.self) }
        }

        /// The first bucket whose entries can overlap a window that starts at `windowStart`.
        private static func firstBucket(_ spanClass: TimelineIndexKey.SpanClass, windowStart: Int64) -> Int64 {
            guard windowStart != .min else { return .min }
            switch spanClass {
            case .year, .month, .day:
                // The unit that holds the window's start.
                let point = ValidTime.Point.containing(windowStart, precision: spanClass == .year ? .year : spanClass == .month ? .month : .day)
                return point.start
            case .subDay:
                return TimelineIndexKey.floor(windowStart, 86_400)
            case .interval(let k):
                let width = TimelineIndexKey.width(k)
                let (earliest, overflow) = windowStart.subtractingReportingOverflow(width - 1)
                return overflow ? .min : TimelineIndexKey.floor(earliest, width)
            case .openEnd, .openStart:
                return .min
            }
        }

        /// The earliest start of anything in `bucket` or after it.
        private func startBound(_ bucket: Int64) -> Int64 {
            spanClass == .openStart ? .min : bucket
        }

        var head: Head {
            if pendingIndex < pending.count { return .entry(pending[pendingIndex].key) }
            if let located { return .bound(startBound(located)) }
            if let nextBucket { return .bound(startBound(nextBucket)) }
            return .exhausted
        }

        /// Takes the next entry, which ``head`` shows.
        mutating func pop() -> Reader.Hit {
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }

        /// One step towards the next entry: locates the next readable bucket, or reads the one
        /// located.
        mutating func advance(buckets: borrowing Cursor, entries: borrowing Cursor, _ reading: ReadingContext) throws {
            if let bucket = located {
                located = nil
                nextBucket = bucket == .max ? nil : bucket + 1
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                try read(bucket: bucket, entries: entries, reading)
                return
            }
            guard let bucket = nextBucket else { return }
            if reading.locatesByEntries {
                // The seek that finds the next bucket's first entry starts reading it.
                setBucket(bucket)
                let first = try entries.seek(atLeast: bucketKey)
                guard let first, first.key.count > bucketKey.count, first.key.starts(with: bucketKey, count: prefix.count + 1) else {
                    nextBucket = nil
                    return
                }
                let found = bucketNamed(by: first.key)
                guard !isPastWindow(found) else {
                    nextBucket = nil
                    return
                }
                nextBucket = found == .max ? nil : found + 1
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                setBucket(found)
                try read(from: first, entries: entries, reading)
                return
            }
            located = try nextReadableBucket(from: bucket, buckets: buckets, asOf: reading.asOf)
            if located == nil { nextBucket = nil }
        }

        /// The first bucket at or after `bucket` that can hold an entry live at `asOf` and within
        /// the window, skipping those whose every entry came later; `nil` when none can.
        private mutating func nextReadableBucket(from bucket: Int64, buckets: borrowing Cursor, asOf: UInt64) throws -> Int64? {
            setBucket(bucket)
            var entry = try buckets.seek(atLeast: bucketKey)
            let classPrefixLength = prefix.count + 1
            while let current = entry {
                guard current.key.count == classPrefixLength + 8, current.key.starts(with: bucketKey, count: classPrefixLength) else { return nil }
                guard let summary = BucketSummary(current.value) else { throw ProjectionError.damagedState(projection: "timeline", what: "an index bucket") }
                // Nothing in this bucket or any later one was known by `asOf`.
                if summary.earliestFromHereOn > asOf { return nil }
                let found = bucketNamed(by: current.key)
                if isPastWindow(found) { return nil }
                if summary.earliest <= asOf { return found }
                entry = try buckets.next()
            }
            return nil
        }

        /// The bucket a key of this class names, in the bucket or the entry database: the 8
        /// bytes after the prefix and the class.
        private func bucketNamed(by key: UnsafeRawBufferPointer) -> Int64 {
            TimelineIndexKey.signed(UnsafeRawBufferPointer(rebasing: key[(prefix.count + 1)...]), at: 0)
        }

        /// Whether no entry of this bucket, or of any later one in the class, can overlap the window.
        private func isPastWindow(_ bucket: Int64) -> Bool {
            switch spanClass {
            case .openStart:
                // Buckets run from the latest end to the earliest: this one's ends are at most a day past its start.
                let endDay = -bucket
                return windowStart != .min && endDay.addingReportingOverflow(86_400).partialValue <= windowStart
            default:
                return bucket >= windowEnd
            }
        }

        /// Reads the entries of one bucket that were live at `asOf`, overlap the window and are of
        /// the kind asked for, into `pending` in timeline order.
        private mutating func read(bucket: Int64, entries: borrowing Cursor, _ reading: ReadingContext) throws {
            setBucket(bucket)
            try read(from: try entries.seek(atLeast: bucketKey), entries: entries, reading)
        }

        /// ``read(bucket:entries:_:)`` from `entry`, where `entries` stands at or before the
        /// bucket's first entry, with ``bucketKey`` set to the bucket.
        private mutating func read(from entry: LMDB.Entry?, entries: borrowing Cursor, _ reading: ReadingContext) throws {
            var entry = entry
            let keyStart = prefix.count
            let bucketKeyLength = bucketKey.count
            while let current = entry, current.key.count > bucketKeyLength, current.key.starts(with: bucketKey, count: bucketKeyLength) {
                let keyBytes = UnsafeRawBufferPointer(rebasing: current.key[keyStart...])
                guard let key = TimelineIndexKey(keyBytes, hasRoles: reading.hasRoles) else {
                    throw ProjectionError.damagedState(projection: "timeline", what: "an index entry")
                }
                // Entries sort by first position within a bucket: the rest were learned later.
                if key.firstPosition > reading.asOf { break }
                let (alive, rowOffset) = try Lifespans.contain(reading.asOf, in: current.value)
                if alive, key.end > windowStart, key.start < windowEnd, reading.kind.map({ $0 == key.kind }) ?? true {
                    pending.append(Reader.Hit(key: key, roles: reading.hasRoles ? TimelineIndexKey.roles(in: keyBytes) : 0,
                                              carried: UnsafeRawBufferPointer(rebasing: current.value[rowOffset...])))
                    if spanClass.isExactUnit && pending.count >= reading.want { break }
                }
                entry = try entries.next()
            }
            if !spanClass.isExactUnit { pending.sort { TimelineIndexKey.precedes($0.key, $1.key) } }
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the first `count` bytes equal those of `prefix`, compared by the C library.
    @inline(__always)
    func starts(with prefix: [UInt8], count: Int) -> Bool {
        prefix.withUnsafeBytes { starts(with: $0, count: count) }
    }

    @inline(__always)
    func starts(with prefix: UnsafeRawBufferPointer, count: Int) -> Bool {
        guard self.count >= count, prefix.count >= count else { return false }
        guard count > 0 else { return true }
        guard let mine = baseAddress, let theirs = prefix.baseAddress else { return false }
        return Memory.equal(mine, theirs, count: count)
    }

    /// Whether `other` is the same key but for the number in its last 8 bytes: another
    /// position of one actor's count, another bucket of one class.
    func differsOnlyInLastNumber(from other: UnsafeRawBufferPointer) -> Bool {
        count == other.count && count >= 8 && starts(with: other, count: count - 8)
    }
}

extension ValidTime.Point {
    /// The year, month or day that holds second `second`.
    static func containing(_ second: Int64, precision: Precision) -> ValidTime.Point {
        let days = second >= 0 ? second / 86_400 : (second - 86_399) / 86_400
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        return ValidTime.Point(year: Int(year), month: precision >= .month ? Int(month) : 0, day: precision >= .day ? Int(day) : 0,
                               secondOfDay: 0, precision: precision, qualifier: .none)
    }
}

extension TimelineProjection.Reader {
    /// What a page costs LMDB alone, the baseline a benchmark sets beside
    /// ``page(actor:windowStart:windowEnd:asOf:asOfIsPresent:kind:count:txn:)``: one seek into the overall
    /// index, at the first month bucket from `start` on, then `count` entries stepped through
    /// with nothing filtered, decoded or fetched. Returns how many bytes the entries' values
    /// hold, so that the reads cannot be optimised away.
    public func rawEntryBytes(from start: Int64, count: Int, txn: borrowing Transaction) throws -> Int {
        var key: [UInt8] = []
        TimelineIndexKey.bucketPrefix(.month, start, into: &key)
        return try txn.withCursor(on: state.entries) { cursor in
            var entry = try cursor.seek(atLeast: key)
            var read = 0
            var bytes = 0
            while let current = entry, read < count {
                bytes &+= current.value.count
                read += 1
                entry = try cursor.next()
            }
            return bytes
        }
    }
}
