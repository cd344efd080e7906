import AnnalsDomain
import AnnalsLog

/// Where a fact's version sits in the valid-time index, and the shape of the index's keys.
///
/// Entries are grouped into **buckets**: a span class (how long the fact's date range is, in a
/// few classes) and a stretch of valid time. Within a bucket entries sort by the fact's first
/// position, which is the order facts became known: so the entries a store held as of position
/// `p` are a prefix of every bucket, and a query stops reading a bucket at the first entry of a
/// later fact. Each bucket also records the earliest position of any entry in it and in every
/// bucket after it (see `BucketSummary`), so a query skips, in one read, all the buckets that
/// hold only facts learned after the position it asks about.
///
/// ```
/// key    := [actor id ‖ 0x00] class (1) ‖ bucket (8) ‖ first position (8 BE) ‖ [start (8) ‖ ~end (8)] ‖ kind (1) ‖ [roles (2)]
/// value  := lifespans: varint count, then (from, until) varints — until 0 while open
/// ```
///
/// For the year, month and day classes a bucket is exactly one calendar unit, every entry in it
/// covers that unit, and the key needs no start or end: entries stream in timeline order. The
/// other classes' buckets are stretches of time; their keys carry the range, and a query sorts
/// the entries of a bucket it reads. Signed values are stored with the sign bit flipped, big
/// endian, so that they sort as numbers.
package struct TimelineIndexKey: Hashable, Sendable {
    /// How long a date's range is, which decides how its bucket is chosen.
    enum SpanClass: Hashable, Sendable, Comparable {
        case year, month, day
        /// A minute or a second.
        case subDay
        /// A bounded interval `2^(k-1) ≤ span < 2^k` seconds long.
        case interval(Int)
        /// An interval with no known end (`2021-05/..`).
        case openEnd
        /// An interval with no known start (`../2021-05`).
        case openStart

        var code: UInt8 {
            switch self {
            case .year: 0x10
            case .month: 0x11
            case .day: 0x12
            case .subDay: 0x20
            case .interval(let k): 0x30 + UInt8(k)
            case .openEnd: 0x70
            case .openStart: 0x71
            }
        }

        init?(code: UInt8) {
            switch code {
            case 0x10: self = .year
            case 0x11: self = .month
            case 0x12: self = .day
            case 0x20: self = .subDay
            case 0x31...0x6F: self = .interval(Int(code - 0x30))
            case 0x70: self = .openEnd
            case 0x71: self = .openStart
            default: return nil
            }
        }

        /// Whether a bucket is one calendar unit that every entry in it covers exactly.
        var isExactUnit: Bool {
            switch self {
            case .year, .month, .day: true
            default: false
            }
        }

        /// Every class, in code order.
        static var all: [SpanClass] {
            [.year, .month, .day, .subDay] + (1...63).map { .interval($0) } + [.openEnd, .openStart]
        }

        static func < (a: SpanClass, b: SpanClass) -> Bool { a.code < b.code }
    }

    let spanClass: SpanClass
    /// The bucket's first second (for open starts, the negated day of the end, so later ends
    /// sort first).
    let bucket: Int64
    package let firstPosition: UInt64
    let start: Int64
    let end: Int64
    let kind: FactKind

    init(when: ValidTime, firstPosition: UInt64, kind: FactKind) {
        self.firstPosition = firstPosition
        self.kind = kind
        start = when.start
        end = when.end
        let day: Int64 = 86_400
        switch when.shape {
        case .point(let point):
            switch point.precision {
            case .year: spanClass = .year
            case .month: spanClass = .month
            case .day: spanClass = .day
            case .minute, .second: spanClass = .subDay
            }
            bucket = spanClass == .subDay ? Self.floor(start, day) : start
        case .interval(let from, let to):
            if from == nil {
                spanClass = .openStart
                bucket = -Self.floor(end - 1, day)
            } else if to == nil {
                spanClass = .openEnd
                bucket = Self.floor(start, day)
            } else {
                let k = Self.intervalClass(span: end - start)
                spanClass = .interval(k)
                bucket = Self.floor(start, Self.width(k))
            }
        }
    }

    /// The interval class of a span of `span` seconds: the number of bits it takes.
    static func intervalClass(span: Int64) -> Int {
        max(1, min(63, Int64.bitWidth - max(span, 1).leadingZeroBitCount))
    }

    /// The length of an interval class's buckets: its longest span, rounded up to a power of two.
    static func width(_ k: Int) -> Int64 { k >= 62 ? Int64.max / 2 : Int64(1) << k }

    /// `value` rounded down to a multiple of `unit`.
    static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: unit)
        return (remainder < 0 ? quotient - 1 : quotient).multipliedReportingOverflow(by: unit).partialValue
    }

    // MARK: Bytes

    /// The bytes of the bucket part of the key, after any actor prefix: class ‖ bucket.
    static func bucketPrefix(_ spanClass: SpanClass, _ bucket: Int64, into bytes: inout some KeySink) {
        bytes.append(spanClass.code)
        appendSigned(bucket, to: &bytes)
    }

    /// The longest key part after any actor prefix: an interval class's key with roles.
    static let maximumBytes = 1 + 8 + 8 + 16 + 1 + 2

    /// The key's bytes after any actor prefix; `roles` for an actor's index.
    func append(to bytes: inout some KeySink, roles: UInt16?) {
        Self.bucketPrefix(spanClass, bucket, into: &bytes)
        Self.appendUnsigned(firstPosition, to: &bytes)
        if !spanClass.isExactUnit {
            Self.appendSigned(start, to: &bytes)
            Self.appendUnsigned(~UInt64(bitPattern: end ^ Int64.min), to: &bytes)
        }
        bytes.append(UInt8(FactKind.allCases.firstIndex(of: kind) ?? 0))
        if let roles {
            bytes.append(UInt8(truncatingIfNeeded: roles))
            bytes.append(UInt8(truncatingIfNeeded: roles >> 8))
        }
    }

    /// Reads the part of a key after any actor prefix.
    package init?(_ bytes: UnsafeRawBufferPointer, hasRoles: Bool) {
        guard bytes.count >= 18, let spanClass = SpanClass(code: bytes[0]) else { return nil }
        let expected = 1 + 8 + 8 + (spanClass.isExactUnit ? 0 : 16) + 1 + (hasRoles ? 2 : 0)
        guard bytes.count == expected else { return nil }
        self.spanClass = spanClass
        bucket = Self.signed(bytes, at: 1)
        firstPosition = Self.unsigned(bytes, at: 9)
        var offset = 17
        if spanClass.isExactUnit {
            // The bucket is the unit: its range is the entry's. A start outside the years a date
            // may have is damage, and would overflow the unit's end.
            guard Self.validStarts.contains(bucket) else { return nil }
            start = bucket
            end = Self.unitEnd(spanClass, bucket)
        } else {
            start = Self.signed(bytes, at: 17)
            end = Int64(bitPattern: ~Self.unsigned(bytes, at: 25)) ^ Int64.min
            offset = 33
        }
        guard Int(bytes[offset]) < FactKind.allCases.count else { return nil }
        kind = FactKind.allCases[Int(bytes[offset])]
    }

    /// The roles of an actor's index key.
    static func roles(in bytes: UnsafeRawBufferPointer) -> UInt16 {
        guard bytes.count >= 2 else { return 0 }
        return UInt16(bytes[bytes.count - 2]) | UInt16(bytes[bytes.count - 1]) << 8
    }

    /// The instants, in seconds since the epoch, that a date's range may start at: from the
    /// first day of the first year a date may have to the last second of the last.
    static let validStarts = CivilDate.daysSinceEpoch(year: Int64(ValidTime.years.lowerBound), month: 1, day: 1) * 86_400
        ..< CivilDate.daysSinceEpoch(year: Int64(ValidTime.years.upperBound) + 1, month: 1, day: 1) * 86_400

    /// The end of the calendar unit of an exact class that starts at `start`.
    static func unitEnd(_ spanClass: SpanClass, _ start: Int64) -> Int64 {
        let days = start / 86_400
        let (year, month, _) = CivilDate.fromDaysSinceEpoch(days)
        switch spanClass {
        case .year: return CivilDate.daysSinceEpoch(year: year + 1, month: 1, day: 1) * 86_400
        case .month:
            let next = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
            return CivilDate.daysSinceEpoch(year: next.0, month: next.1, day: 1) * 86_400
        default: return start + 86_400
        }
    }

    static func appendSigned(_ value: Int64, to bytes: inout some KeySink) {
        appendUnsigned(UInt64(bitPattern: value ^ Int64.min), to: &bytes)
    }

    static func appendUnsigned(_ value: UInt64, to bytes: inout some KeySink) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    static func signed(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        Int64(bitPattern: unsigned(bytes, at: offset)) ^ Int64.min
    }

    static func unsigned(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The timeline order: earlier start first, then the wider range, then the fact learned first.
    static func precedes(_ a: TimelineIndexKey, _ b: TimelineIndexKey) -> Bool {
        if a.start != b.start { return a.start < b.start }
        if a.end != b.end { return a.end > b.end }
        return a.firstPosition < b.firstPosition
    }
}

/// The times an index entry was alive: `from` inclusive, `until` exclusive (open while `nil`).
package struct Lifespans: Hashable, Sendable {
    struct Span: Hashable, Sendable {
        var from: UInt64
        var until: UInt64?
    }

    var spans: [Span]

    /// Whether the entry was alive right after position `position`.
    func contains(_ position: UInt64) -> Bool {
        spans.contains { $0.from <= position && ($0.until.map { position < $0 } ?? true) }
    }

    var isOpen: Bool { spans.last?.until == nil }

    /// How many bytes ``write(into:at:opening:)`` writes.
    func encodedCount(opening: UInt64? = nil) -> Int {
        let count = UInt64(spans.count + (opening == nil ? 0 : 1))
        let opened = opening.map { PayloadWriter.varintCount($0) + PayloadWriter.varintCount(0) } ?? 0
        return spans.reduce(PayloadWriter.varintCount(count) + opened) {
            $0 + PayloadWriter.varintCount($1.from) + PayloadWriter.varintCount($1.until ?? 0)
        }
    }

    /// Writes the lifespans' bytes at `offset` of `buffer` and moves `offset` past them: their
    /// count, then each span's first position and the position that ended it (0 while open).
    /// With `opening`, one more span follows, open from that position, so that a new span needs
    /// no array. `buffer` must have ``encodedCount(opening:)`` bytes from `offset` on.
    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: inout Int, opening: UInt64? = nil) {
        func put(_ value: UInt64) { PayloadWriter.varint(value, into: buffer, at: &offset) }
        put(UInt64(spans.count + (opening == nil ? 0 : 1)))
        for span in spans {
            put(span.from)
            put(span.until ?? 0)
        }
        if let opening {
            put(opening)
            put(0)
        }
    }

    init(spans: [Span]) { self.spans = spans }

    /// The lifespans at the start of an index entry's value, and what follows them: the row a
    /// live entry of the overall index carries.
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws(PayloadError) -> (lifespans: Lifespans, rest: UnsafeRawBufferPointer) {
        var reader = PayloadReader(bytes)
        let count = try reader.count()
        var spans: [Span] = []
        spans.reserveCapacity(count)
        for index in 0..<count {
            let from = try reader.varint()
            let until = try reader.varint()
            guard until == 0 || until > from else { throw .malformed("a lifespan that ends before it starts") }
            guard until != 0 || index == count - 1 else { throw .malformed("an open lifespan before the last") }
            spans.append(Span(from: from, until: until == 0 ? nil : until))
        }
        return (Lifespans(spans: spans), UnsafeRawBufferPointer(rebasing: bytes[reader.offset...]))
    }

    /// Whether the lifespans at the start of `bytes` contain `position`, read in place; and
    /// where what follows them starts.
    static func contain(_ position: UInt64, in bytes: UnsafeRawBufferPointer) throws(PayloadError) -> (contains: Bool, restOffset: Int) {
        var reader = PayloadReader(bytes)
        let count = try reader.count()
        var contains = false
        for _ in 0..<count {
            let from = try reader.varint()
            let until = try reader.varint()
            if from <= position && (until == 0 || position < until) { contains = true }
        }
        return (contains, reader.offset)
    }
}

/// What a bucket of the index records about itself: the earliest position of any entry in it,
/// and the earliest of any entry in it or in any later bucket of its class (and actor).
///
/// Entries arrive in position order, so a bucket's earliest position never changes once it has
/// one, and a new bucket's earliest is later than every existing one: a new bucket's running
/// earliest is the next bucket's, and no earlier bucket's changes.
package struct BucketSummary: Hashable, Sendable {
    let earliest: UInt64
    let earliestFromHereOn: UInt64

    /// The two positions, big-endian, built on the stack.
    var bytes: KeyBytes {
        var bytes = KeyBytes()
        TimelineIndexKey.appendUnsigned(earliest, to: &bytes)
        TimelineIndexKey.appendUnsigned(earliestFromHereOn, to: &bytes)
        return bytes
    }

    init(earliest: UInt64, earliestFromHereOn: UInt64) {
        self.earliest = earliest
        self.earliestFromHereOn = earliestFromHereOn
    }

    package init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16 else { return nil }
        earliest = TimelineIndexKey.unsigned(bytes, at: 0)
        earliestFromHereOn = TimelineIndexKey.unsigned(bytes, at: 8)
    }
}

/// A set of span classes, by code: 32 bytes, one bit per code.
struct SpanClassSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init?(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes, bytes.count == 32 else { return nil }
        words = (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    var bytes: KeyBytes {
        var bytes = KeyBytes()
        withUnsafeBytes(of: words) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }

    func contains(_ spanClass: TimelineIndexKey.SpanClass) -> Bool {
        let code = Int(spanClass.code)
        return word(code / 64) & (1 << UInt64(code % 64)) != 0
    }

    mutating func insert(_ spanClass: TimelineIndexKey.SpanClass) {
        let code = Int(spanClass.code)
        let bit = UInt64(1) << UInt64(code % 64)
        switch code / 64 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    /// Adds the classes of `other`; returns whether any of them was not in the set.
    mutating func formUnion(_ other: SpanClassSet) -> Bool {
        let before = words
        words = (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3)
        return before != words
    }

    /// The classes in the set, in code order; `nil` when a set bit is no class.
    var classes: [TimelineIndexKey.SpanClass]? {
        var classes: [TimelineIndexKey.SpanClass] = []
        for wordIndex in 0..<4 {
            var bits = word(wordIndex)
            while bits != 0 {
                let code = wordIndex * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                guard let spanClass = TimelineIndexKey.SpanClass(code: UInt8(code)) else { return nil }
                classes.append(spanClass)
            }
        }
        return classes
    }
}
