import AnnalsLog

/// The part of a fact that decides where it sits in timelines: each source's date, kind and
/// actors, the corrections to those, and whether it was retracted. The timeline and actor
/// projections fold fact events into this compact skeleton with the same rules as
/// ``FactView``, without carrying the fact's text.
struct FactShape: Sendable, Hashable {
    struct Source: Sendable, Hashable {
        var kind: FactKind
        var when: ValidTime
        var actors: [ActorInvolvement]
    }

    struct Correction: Sendable, Hashable {
        var kind: FactKind?
        var when: ValidTime?
        var actors: [ActorInvolvement]?
    }

    var firstPosition: UInt64
    var sources: [Source] = []
    var corrections: [Correction] = []
    var isRetracted = false

    init(firstPosition: UInt64) { self.firstPosition = firstPosition }

    /// Folds a fact event in.
    mutating func apply(_ event: FactEvent) {
        switch event {
        case .asserted(let assertion):
            sources.append(Source(kind: assertion.kind, when: assertion.when, actors: assertion.actors))
        case .corrected(let correction):
            corrections.append(Correction(kind: correction.fields.kind, when: correction.fields.when, actors: correction.fields.actors))
        case .retracted:
            isRetracted = true
        }
    }

    var kind: FactKind {
        corrections.last(where: { $0.kind != nil })?.kind ?? sources.first?.kind ?? .other
    }

    var when: ValidTime {
        if let corrected = corrections.last(where: { $0.when != nil })?.when { return corrected }
        guard !sources.isEmpty else { return ValidTime(.interval(from: nil, to: nil)) }
        return sources[FactMerge.mostPreciseIndex(sources.map(\.when))].when
    }

    var actors: [ActorInvolvement] {
        corrections.last(where: { $0.actors != nil })?.actors ?? FactMerge.union(sources.map(\.actors))
    }

    // MARK: Encoding

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        writer.varint(firstPosition)
        writer.varint(UInt64(sources.count))
        for source in sources {
            writer.string(source.kind.rawValue)
            writer.validTime(source.when)
            writer.actors(source.actors)
        }
        writer.varint(UInt64(corrections.count))
        for correction in corrections {
            FieldType.correctedFields.write(FactFields(kind: correction.kind, when: correction.when, actors: correction.actors), &writer)
        }
        writer.bool(isRetracted)
        return writer.bytes
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        firstPosition = try reader.varint()
        let sourceCount = try reader.count()
        for _ in 0..<sourceCount {
            sources.append(Source(kind: try reader.vocabulary(FactKind.self), when: try reader.validTime(), actors: try reader.actors()))
        }
        let correctionCount = try reader.count()
        for _ in 0..<correctionCount {
            let fields = try FieldType.correctedFields.read(&reader)
            corrections.append(Correction(kind: fields.kind, when: fields.when, actors: fields.actors))
        }
        isRetracted = try reader.bool()
        try reader.finish()
    }
}

/// The key of one fact version in a valid-time index: it sorts in timeline order — start of the
/// range, then wider ranges first, then the fact's first position — and, within a fact, by the
/// version's first position in transaction time.
///
/// ```
/// 1 byte   span class (see ``SpanClass``)
/// 8 bytes  start, seconds since 1970, sign bit flipped, big-endian
/// 8 bytes  end, the same, complemented (so a later end sorts first)
/// 8 bytes  the fact's first position, big-endian
/// 8 bytes  the version's first position (transaction time), big-endian
/// ```
///
/// The span class keeps short and long ranges apart, so an overlap query can start each class's
/// scan just one maximal span before the query period instead of at the beginning of time.
struct TimelineKey: Sendable, Hashable {
    static let size = 33

    let spanClass: SpanClass
    let start: Int64
    let end: Int64
    let factPosition: UInt64
    let versionPosition: UInt64

    init(when: ValidTime, factPosition: UInt64, versionPosition: UInt64) {
        spanClass = SpanClass(when)
        start = when.start
        end = when.end
        self.factPosition = factPosition
        self.versionPosition = versionPosition
    }

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.size, let spanClass = SpanClass(rawValue: bytes[0]) else { return nil }
        self.spanClass = spanClass
        start = Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self)) ^ (1 << 63))
        end = Int64(bitPattern: ~UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt64.self)) ^ (1 << 63))
        factPosition = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 17, as: UInt64.self))
        versionPosition = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 25, as: UInt64.self))
    }

    var bytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        bytes.withUnsafeMutableBytes { buffer in
            buffer[0] = spanClass.rawValue
            buffer.storeBytes(of: (UInt64(bitPattern: start) ^ (1 << 63)).bigEndian, toByteOffset: 1, as: UInt64.self)
            buffer.storeBytes(of: (~(UInt64(bitPattern: end) ^ (1 << 63))).bigEndian, toByteOffset: 9, as: UInt64.self)
            buffer.storeBytes(of: factPosition.bigEndian, toByteOffset: 17, as: UInt64.self)
            buffer.storeBytes(of: versionPosition.bigEndian, toByteOffset: 25, as: UInt64.self)
        }
        return bytes
    }

    /// The first key of `spanClass` whose range starts at or after `start`.
    static func lowerBound(_ spanClass: SpanClass, start: Int64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 9)
        bytes[0] = spanClass.rawValue
        bytes.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: (UInt64(bitPattern: start) ^ (1 << 63)).bigEndian, toByteOffset: 1, as: UInt64.self)
        }
        return bytes
    }
}

/// How long a range is, in a few classes with a known longest member.
enum SpanClass: UInt8, Sendable, Hashable, CaseIterable {
    case day = 0, month, year, decade, longer, open

    init(_ when: ValidTime) {
        let span = when.span
        switch span {
        case ...86_400: self = .day
        case ...(31 * 86_400): self = .month
        case ...(366 * 86_400): self = .year
        case ...(3_660 * 86_400): self = .decade
        case UInt64.max: self = .open
        default: self = .longer
        }
        if when.start == .min || when.end == .max { self = .open }
    }

    /// The longest range in the class, in seconds; `nil` when unbounded.
    var longestSpan: Int64? {
        switch self {
        case .day: 86_400
        case .month: 31 * 86_400
        case .year: 366 * 86_400
        case .decade: 3_660 * 86_400
        case .longer, .open: nil
        }
    }
}

/// Reads and writes the small fixed part of an index entry's value.
enum IndexValue {
    /// The position at which a version stopped being current; `UInt64.max` while it is.
    static let open = UInt64.max
}
