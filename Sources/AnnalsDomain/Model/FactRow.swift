import AnnalsLog

/// One fact as it stood right after one of its events: the fields merged from its sources, the
/// corrections on top, whether it was retracted — and what the next event needs to merge on.
/// The facts projection stores one row per fact event, so a timeline row costs one read.
///
/// The merge rules are those of docs/QUERIES.md, folded one event at a time:
/// - **kind, summary**: the first source's; **place**: the first given;
/// - **when**: the most precise (narrowest) date, the earliest source's on a tie, `said` with it;
/// - **actors**: every (actor, role), in order of first appearance;
/// - **quantities**: per name, the most precise value while the sources agree, else the first;
/// - **corrections** replace the fields they name, in log order, whatever later sources say;
///   a correction of `when` brings its own `said` (or none);
/// - a **retraction** withdraws the fact; a second one changes nothing.
///
/// Where sources differ the row records the conflict's kind: the per-source values are read from
/// the sources themselves when someone asks.
package struct FactRow: Hashable, Sendable {
    /// The fields a source asserts and a correction may replace.
    struct Fields: Hashable, Sendable {
        var kind: FactKind
        var when: ValidTime
        var said: String?
        var summary: String
        var actors: [ActorInvolvement]
        var quantities: [Quantity]
        var place: String?
    }

    /// How a correction left `said`: untouched, cleared (a corrected `when` without words of its
    /// own), or given.
    enum SaidOverride: Hashable, Sendable {
        case untouched
        case set(String?)
    }

    /// The latest correction of each field, if any.
    struct Overrides: Hashable, Sendable {
        var kind: FactKind?
        var when: ValidTime?
        var said: SaidOverride = .untouched
        var summary: String?
        var actors: [ActorInvolvement]?
        var quantities: [Quantity]?
        var place: String?

        var isEmpty: Bool { self == Overrides() }
    }

    /// One named quantity as the sources gave it: its first value, how the others relate, and
    /// the range of values every source's value allows (empty once they contradict).
    struct QuantityMerge: Hashable, Sendable {
        var first: Quantity
        var conflict: FactView.Conflict.Kind?
        var agreed: QuantityInterval
    }

    /// What merging a further source needs beyond the merged fields themselves. A single
    /// source's state follows from its fields, so rows of one source store none.
    struct MergeState: Hashable, Sendable {
        var kindDiffers = false
        var firstWhen: ValidTime
        var whenDiffers = false
        /// The latest start and earliest end among the sources' dates: they all overlap one
        /// another while the first is before the second.
        var latestStart: Int64
        var earliestEnd: Int64
        /// In the order of `Fields.quantities`.
        var quantities: [QuantityMerge]
        var placeDiffers = false
        /// The sources' places, folded, while each contains or lies in every other; `nil` once
        /// two do not.
        var nestedPlaces: [String]?
    }

    package let id: String
    /// The position of the fact's first assertion: its place among facts of equal date.
    package let firstPosition: UInt64
    /// The position of the event that made this version.
    package var position: UInt64
    /// The position of the last event that changed the fact: this version's, unless its event
    /// was a retraction of a fact already retracted.
    var lastChange: UInt64
    package var recordedAt: Timestamp
    var sourceCount: Int
    var correctionCount: Int
    /// The position of the retraction that withdrew the fact.
    var retraction: UInt64?
    /// The fields merged from the sources alone.
    var base: Fields
    var merge: MergeState?
    var overrides: Overrides

    // MARK: What the fact shows

    package var kind: FactKind { overrides.kind ?? base.kind }
    package var when: ValidTime { overrides.when ?? base.when }
    var said: String? {
        if case .set(let said) = overrides.said { return said }
        return base.said
    }
    var summary: String { overrides.summary ?? base.summary }
    package var actors: [ActorInvolvement] { overrides.actors ?? base.actors }
    package var quantities: [Quantity] { overrides.quantities ?? base.quantities }
    package var place: String? { overrides.place ?? base.place }
    package var isRetracted: Bool { retraction != nil }
    var isCorrected: Bool { correctionCount > 0 }

    /// The disagreements between sources, in field order: `kind`, `when`, `quantities.NAME`, `place`.
    var conflicts: [(field: String, kind: FactView.Conflict.Kind)] {
        guard let merge else { return [] }
        var conflicts: [(field: String, kind: FactView.Conflict.Kind)] = []
        if merge.kindDiffers { conflicts.append(("kind", .contradiction)) }
        if merge.whenDiffers { conflicts.append(("when", merge.latestStart < merge.earliestEnd ? .refinement : .contradiction)) }
        for (index, quantity) in merge.quantities.enumerated() {
            if let kind = quantity.conflict { conflicts.append(("quantities.\(base.quantities[index].name)", kind)) }
        }
        if merge.placeDiffers { conflicts.append(("place", merge.nestedPlaces == nil ? .contradiction : .refinement)) }
        return conflicts
    }

    // MARK: Folding events

    /// The fact as its first assertion, at `position`, makes it.
    package init(asserted assertion: FactAssertion, at position: UInt64, recordedAt: Timestamp) {
        id = assertion.fact
        firstPosition = position
        self.position = position
        lastChange = position
        self.recordedAt = recordedAt
        sourceCount = 1
        correctionCount = 0
        base = Fields(kind: assertion.kind, when: assertion.when, said: assertion.said, summary: assertion.summary,
                      actors: assertion.actors, quantities: assertion.quantities, place: assertion.place)
        overrides = Overrides()
    }

    /// The state a single source implies, for merging a second.
    private var mergeState: MergeState {
        if let merge { return merge }
        return MergeState(
            firstWhen: base.when, latestStart: base.when.start, earliestEnd: base.when.end,
            quantities: base.quantities.map { QuantityMerge(first: $0, conflict: nil, agreed: $0.canonicalInterval) },
            nestedPlaces: base.place.map { [Self.placeKey($0)] } ?? [])
    }

    /// Folds a further source in.
    package mutating func add(_ assertion: FactAssertion, at position: UInt64, recordedAt: Timestamp) {
        var merge = mergeState
        if assertion.kind != base.kind { merge.kindDiffers = true }
        if assertion.when != merge.firstWhen { merge.whenDiffers = true }
        merge.latestStart = max(merge.latestStart, assertion.when.start)
        merge.earliestEnd = min(merge.earliestEnd, assertion.when.end)
        if assertion.when.span < base.when.span {
            base.when = assertion.when
            base.said = assertion.said
        }
        for involvement in assertion.actors where !base.actors.contains(involvement) { base.actors.append(involvement) }
        for quantity in assertion.quantities {
            guard let index = base.quantities.firstIndex(where: { $0.name == quantity.name }) else {
                base.quantities.append(quantity)
                merge.quantities.append(QuantityMerge(first: quantity, conflict: nil, agreed: quantity.canonicalInterval))
                continue
            }
            Self.merge(quantity, into: &merge.quantities[index], chosen: &base.quantities[index])
        }
        if let place = assertion.place {
            if let first = base.place {
                if place != first { merge.placeDiffers = true }
            } else {
                base.place = place
            }
            if let nested = merge.nestedPlaces {
                let key = Self.placeKey(place)
                if !nested.contains(key) {
                    merge.nestedPlaces = nested.allSatisfy { $0.contains(key) || key.contains($0) } ? nested + [key] : nil
                }
            }
        }
        self.merge = merge
        sourceCount += 1
        self.position = position
        lastChange = position
        self.recordedAt = recordedAt
    }

    /// One more source's value of a quantity the fact has: the conflict its values make, and
    /// the value to show — the most precise while all agree, else the first.
    private static func merge(_ quantity: Quantity, into merge: inout QuantityMerge, chosen: inout Quantity) {
        if merge.conflict == .contradiction { return }
        let agreed = quantity.canonicalDimension == merge.first.canonicalDimension ? merge.agreed.intersection(quantity.canonicalInterval) : nil
        guard let agreed, !agreed.isEmpty else {
            merge.conflict = .contradiction
            merge.agreed = QuantityInterval(low: .zero, high: ScaledDecimal(significand: -1, exponent: 0))
            chosen = merge.first
            return
        }
        merge.agreed = agreed
        if merge.conflict == nil && quantity.agreement(with: merge.first) == .same { return }
        merge.conflict = .refinement
        if quantity.agreement(with: chosen) == .refines { chosen = quantity }
    }

    /// The fact as `event` leaves it: `previous` (the fact before it) with the event folded in,
    /// or a new row for a first assertion; `nil` for a correction or retraction of a fact with
    /// no row, which ingestion refuses and a fold skips.
    package static func folding(_ event: FactEvent, into previous: FactRow?, at position: UInt64, recordedAt: Timestamp) -> FactRow? {
        switch event {
        case .asserted(let assertion):
            guard var row = previous else { return FactRow(asserted: assertion, at: position, recordedAt: recordedAt) }
            row.add(assertion, at: position, recordedAt: recordedAt)
            return row
        case .corrected(let correction):
            guard var row = previous else { return nil }
            row.apply(correction, at: position, recordedAt: recordedAt)
            return row
        case .retracted(let retraction):
            guard var row = previous else { return nil }
            row.apply(retraction, at: position, recordedAt: recordedAt)
            return row
        }
    }

    /// Folds a correction in: it replaces the fields it names.
    package mutating func apply(_ correction: FactCorrection, at position: UInt64, recordedAt: Timestamp) {
        let fields = correction.fields
        if let kind = fields.kind { overrides.kind = kind }
        if let when = fields.when {
            overrides.when = when
            overrides.said = .set(fields.said)
        } else if let said = fields.said {
            overrides.said = .set(said)
        }
        if let summary = fields.summary { overrides.summary = summary }
        if let actors = fields.actors { overrides.actors = actors }
        if let quantities = fields.quantities { overrides.quantities = quantities }
        if let place = fields.place { overrides.place = place }
        correctionCount += 1
        self.position = position
        lastChange = position
        self.recordedAt = recordedAt
    }

    /// Folds a retraction in: the first withdraws the fact; a later one changes only the version.
    package mutating func apply(_ retraction: FactRetraction, at position: UInt64, recordedAt: Timestamp) {
        if self.retraction == nil {
            self.retraction = position
            lastChange = position
        }
        self.position = position
        self.recordedAt = recordedAt
    }

    /// Places are compared ignoring case and spacing: "Geneva" lies in "Villa La Grange in Geneva".
    static func placeKey(_ place: String) -> String { foldWhitespace(place).lowercased() }
}

extension Quantity {
    /// The dimension of durations in seconds to weeks, and of those in months and years.
    package static let timeDimension = "time"
    package static let calendarTimeDimension = "calendar-time"

    /// What the value measures, so that only values of one dimension are compared: time, calendar
    /// time, or the unit itself (a currency, a crypto-currency, a counted noun).
    package var canonicalDimension: String {
        switch unit {
        case .duration(let duration): duration.isCalendar ? Self.calendarTimeDimension : Self.timeDimension
        case .currency(let code): "currency:" + code
        case .crypto(let code): "crypto:" + code
        case .count(let noun): "count:" + noun
        }
    }

    /// The values this one stands for, in seconds (or months) for durations.
    var canonicalInterval: QuantityInterval {
        if case .duration(let duration) = unit { return interval(scale: duration.factor ?? 1) }
        return interval(scale: 1)
    }
}

// MARK: Encoding

extension FactRow {
    enum Flag {
        static let merge: UInt8 = 1
        static let retracted: UInt8 = 2
        static let overrides: UInt8 = 4
        /// Some sources refine others.
        static let refinement: UInt8 = 8
        /// Some sources contradict others.
        static let contradiction: UInt8 = 16
        static let all: UInt8 = merge | retracted | overrides | refinement | contradiction
    }

    private var flags: UInt8 {
        var flags: UInt8 = 0
        if merge != nil { flags |= Flag.merge }
        if retraction != nil { flags |= Flag.retracted }
        if !overrides.isEmpty { flags |= Flag.overrides }
        for conflict in conflicts { flags |= conflict.kind == .refinement ? Flag.refinement : Flag.contradiction }
        return flags
    }

    /// The row's bytes, as the facts projection stores them under (first position, position).
    ///
    /// ```
    /// flags (1)          1 merge state follows, 2 retracted, 4 corrections' replacements follow,
    ///                    8 some sources refine others, 16 some contradict others
    /// signed             recorded-at, microseconds
    /// varint             position − last change
    /// string             fact id
    /// varint, varint     sources, corrections
    /// [varint]           the retraction's position, when retracted
    /// shown fields       kind, when, said, summary, actors, quantities, place: as a fact's payload writes them
    /// [base fields]      the same, merged from the sources alone: only when corrections replace some
    /// [merge state]      what merging a further source needs, with two sources or more
    /// [replacements]     the corrected fields (a fact payload's corrected-fields encoding) and `said`
    /// ```
    ///
    /// The fields a timeline shows come first, in the encoding of a fact's payload, so a reader
    /// finds them without decoding the rest.
    package func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 256)
        var id = id
        id.withUTF8 { id in
            Self.writeHeader(flags: flags, recordedAt: recordedAt, sinceChange: position - lastChange, id: UnsafeRawBufferPointer(id),
                             sourceCount: sourceCount, correctionCount: correctionCount, retraction: retraction, to: &writer)
        }
        Self.writeFields(Fields(kind: kind, when: when, said: said, summary: summary, actors: actors, quantities: quantities, place: place), &writer)
        if !overrides.isEmpty { Self.writeFields(base, &writer) }
        if let merge {
            writer.bool(merge.kindDiffers)
            writer.validTime(merge.firstWhen)
            writer.bool(merge.whenDiffers)
            writer.signed(merge.latestStart)
            writer.signed(merge.earliestEnd)
            for quantity in merge.quantities {
                writer.quantities([quantity.first])
                writer.byte(quantity.conflict.map { $0 == .refinement ? 1 : 2 } ?? 0)
                writer.scaledDecimal(quantity.agreed.low)
                writer.scaledDecimal(quantity.agreed.high)
            }
            writer.bool(merge.placeDiffers)
            if let nested = merge.nestedPlaces {
                writer.byte(1)
                writer.varint(UInt64(nested.count))
                for place in nested { writer.string(place) }
            } else {
                writer.byte(0)
            }
        }
        if !overrides.isEmpty {
            FieldType.correctedFields.write(FactFields(
                kind: overrides.kind, when: overrides.when, summary: overrides.summary, actors: overrides.actors,
                quantities: overrides.quantities, place: overrides.place), &writer)
            switch overrides.said {
            case .untouched: writer.byte(0)
            case .set(nil): writer.byte(1)
            case .set(let said?):
                writer.byte(2)
                writer.string(said)
            }
        }
        return writer.bytes
    }

    /// Writes the bytes of the row a fact's first assertion makes — what
    /// ``init(asserted:at:recordedAt:)`` and ``encoded()`` give — from the assertion in place,
    /// into `writer` after what it holds: one source, no corrections, nothing to merge, so no
    /// flags and the assertion's own fields. A writer kept for every fact's first row saves
    /// each an allocation.
    package static func writeFirstRow(_ assertion: FactAssertionView, recordedAt: Timestamp, to writer: inout PayloadWriter) {
        writeHeader(flags: 0, recordedAt: recordedAt, sinceChange: 0, id: assertion.fact, sourceCount: 1, correctionCount: 0, retraction: nil, to: &writer)
        writer.raw(assertion.shownFields)
    }

    /// What a row holds before its fields, in the order ``Header`` reads it.
    private static func writeHeader(flags: UInt8, recordedAt: Timestamp, sinceChange: UInt64, id: UnsafeRawBufferPointer,
                                    sourceCount: Int, correctionCount: Int, retraction: UInt64?, to writer: inout PayloadWriter) {
        writer.byte(flags)
        writer.signed(recordedAt.microsecondsSinceEpoch)
        writer.varint(sinceChange)
        writer.string(utf8: id)
        writer.varint(UInt64(sourceCount))
        writer.varint(UInt64(correctionCount))
        if let retraction { writer.varint(retraction) }
    }

    private static func writeFields(_ fields: Fields, _ writer: inout PayloadWriter) {
        writer.string(fields.kind.rawValue)
        writer.validTime(fields.when)
        writer.optionalString(fields.said)
        writer.string(fields.summary)
        writer.actors(fields.actors)
        writer.quantities(fields.quantities)
        writer.optionalString(fields.place)
    }

    private static func readFields(_ reader: inout PayloadReader) throws(PayloadError) -> Fields {
        Fields(kind: try reader.vocabulary(FactKind.self), when: try reader.validTime(), said: try reader.optionalString(),
               summary: try reader.string(), actors: try reader.actors(), quantities: try reader.quantities(), place: try reader.optionalString())
    }

    /// What a row holds before its fields, read in place: the one reading of the header that
    /// both the decoded row and ``FactRowView`` use.
    struct Header {
        let flags: UInt8
        let recordedAt: Timestamp
        let lastChange: UInt64
        let idBytes: UnsafeRawBufferPointer
        let sourceCount: Int
        let correctionCount: Int
        /// The position of the retraction, for a retracted version.
        let retraction: UInt64?

        /// Reads the header of a row stored under `firstPosition` and `position`, leaving
        /// `reader` at the row's fields.
        init(_ reader: inout PayloadReader, firstPosition: UInt64, position: UInt64) throws(PayloadError) {
            flags = try reader.byte()
            guard flags & ~Flag.all == 0 else { throw .malformed("row flags \(flags)") }
            recordedAt = Timestamp(microsecondsSinceEpoch: try reader.signed())
            let sinceChange = try reader.varint()
            guard sinceChange <= position else { throw .malformed("a last change before position 0") }
            lastChange = position - sinceChange
            idBytes = try reader.stringBytes()
            // Each source and each correction is an event between the first assertion and this one.
            let events = try FactRow.eventCount(from: firstPosition, to: position)
            sourceCount = try reader.tally(atMost: events)
            correctionCount = try reader.tally(atMost: events)
            retraction = flags & Flag.retracted != 0 ? try reader.varint() : nil
        }
    }

    /// Decodes a row stored under `firstPosition` and `position`.
    package init(decoding bytes: UnsafeRawBufferPointer, firstPosition: UInt64, position: UInt64) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        let header = try Header(&reader, firstPosition: firstPosition, position: position)
        let flags = header.flags
        self.firstPosition = firstPosition
        self.position = position
        recordedAt = header.recordedAt
        lastChange = header.lastChange
        id = String(decoding: header.idBytes, as: UTF8.self)
        sourceCount = header.sourceCount
        correctionCount = header.correctionCount
        retraction = header.retraction
        let shown = try Self.readFields(&reader)
        base = flags & Flag.overrides != 0 ? try Self.readFields(&reader) : shown
        if flags & Flag.merge != 0 {
            let kindDiffers = try reader.bool()
            let firstWhen = try reader.validTime()
            let whenDiffers = try reader.bool()
            let latestStart = try reader.signed()
            let earliestEnd = try reader.signed()
            var quantities: [QuantityMerge] = []
            for _ in base.quantities.indices {
                let first = try reader.quantities()
                guard first.count == 1 else { throw .malformed("a quantity's merge state") }
                let conflict: FactView.Conflict.Kind? = switch try reader.byte() {
                case 0: nil
                case 1: .refinement
                case 2: .contradiction
                case let other: throw .malformed("quantity conflict \(other)")
                }
                quantities.append(QuantityMerge(first: first[0], conflict: conflict,
                                                agreed: QuantityInterval(low: try reader.scaledDecimal(), high: try reader.scaledDecimal())))
            }
            let placeDiffers = try reader.bool()
            var nested: [String]?
            if try reader.bool() {
                let count = try reader.count()
                var places: [String] = []
                for _ in 0..<count { places.append(try reader.string()) }
                nested = places
            }
            merge = MergeState(kindDiffers: kindDiffers, firstWhen: firstWhen, whenDiffers: whenDiffers, latestStart: latestStart,
                               earliestEnd: earliestEnd, quantities: quantities, placeDiffers: placeDiffers, nestedPlaces: nested)
        } else {
            merge = nil
        }
        overrides = Overrides()
        if flags & Flag.overrides != 0 {
            let fields = try FieldType.correctedFields.read(&reader)
            overrides.kind = fields.kind
            overrides.when = fields.when
            overrides.summary = fields.summary
            overrides.actors = fields.actors
            overrides.quantities = fields.quantities
            overrides.place = fields.place
            switch try reader.byte() {
            case 0: overrides.said = .untouched
            case 1: overrides.said = .set(nil)
            case 2: overrides.said = .set(try reader.string())
            case let other: throw .malformed("said override \(other)")
            }
        }
        try reader.finish()
        // The shown fields and the conflict flags are derived; stored ones that disagree mean damage.
        guard Fields(kind: kind, when: when, said: said, summary: summary, actors: actors, quantities: quantities, place: place) == shown,
              self.flags == flags
        else { throw .malformed("shown fields that do not follow from the row's state") }
    }
}

extension PayloadWriter {
    /// A 128-bit significand as two signed halves, then the exponent.
    package mutating func scaledDecimal(_ value: ScaledDecimal) {
        signed(Int64(truncatingIfNeeded: value.significand >> 64))
        varint(UInt64(truncatingIfNeeded: value.significand))
        signed(Int64(value.exponent))
    }
}

extension PayloadReader {
    @inlinable @usableFromInline package mutating func scaledDecimal() throws(PayloadError) -> ScaledDecimal {
        let high = try signed()
        let low = try varint()
        let exponent = try signed()
        guard (-200...200).contains(exponent) else { throw .malformed("an exponent of \(exponent)") }
        // Written normalised (``ScaledDecimal/init(significand:exponent:)``), so read as it is.
        return ScaledDecimal(normalized: Int128(high) << 64 | Int128(low), exponent: Int(exponent))
    }
}

/// A stored fact row read in place: the fields a timeline shows, found in one pass over the
/// row's first bytes and decoded only when asked for. Valid only while the transaction that read
/// it lasts; ``FactRow/init(decoding:firstPosition:position:)`` makes a copy.
extension FactRow {
    /// How many events lie from `first` to `last`, both included: a bound on a row's counts.
    static func eventCount(from first: UInt64, to last: UInt64) throws(PayloadError) -> UInt64 {
        guard first <= last else { throw .malformed("a row of position \(last) for a fact first asserted at \(first)") }
        return last - first + 1
    }
}

public struct FactRowView {
    /// The position of the fact's first assertion.
    public let firstPosition: UInt64
    /// The position of the event that made this version.
    public let position: UInt64
    private let bytes: UnsafeRawBufferPointer
    private let flags: UInt8
    /// Where the shown fields start, after the header.
    private let fieldsStart: Int
    public let recordedAt: Timestamp
    public let lastChange: UInt64
    public let sourceCount: Int
    public let correctionCount: Int
    /// The fact id's UTF-8.
    public let idBytes: UnsafeRawBufferPointer

    package init(bytes: UnsafeRawBufferPointer, firstPosition: UInt64, position: UInt64) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        let header = try FactRow.Header(&reader, firstPosition: firstPosition, position: position)
        flags = header.flags
        recordedAt = header.recordedAt
        lastChange = header.lastChange
        idBytes = header.idBytes
        sourceCount = header.sourceCount
        correctionCount = header.correctionCount
        fieldsStart = reader.offset
        self.bytes = bytes
        self.firstPosition = firstPosition
        self.position = position
    }

    public var id: String { String(decoding: idBytes, as: UTF8.self) }
    public var isRetracted: Bool { flags & FactRow.Flag.retracted != 0 }
    public var hasRefinements: Bool { flags & FactRow.Flag.refinement != 0 }
    public var hasContradictions: Bool { flags & FactRow.Flag.contradiction != 0 }

    private var fields: PayloadReader {
        var reader = PayloadReader(bytes)
        reader.offset = fieldsStart
        return reader
    }

    /// The fact's kind.
    public func kind() throws(PayloadError) -> FactKind {
        var reader = fields
        return try reader.vocabulary(FactKind.self)
    }

    /// The fact's date.
    public func when() throws(PayloadError) -> ValidTime {
        var reader = fields
        try reader.skipWord()
        return try reader.validTime()
    }

    /// The one-line summary's UTF-8, in place.
    public func summaryBytes() throws(PayloadError) -> UnsafeRawBufferPointer {
        var reader = fields
        try reader.skipWord()
        _ = try reader.validTime()
        _ = try reader.optionalStringBytes()
        return try reader.stringBytes()
    }

    /// A copy of every field, decoded.
    public func decoded() throws(PayloadError) -> FactRowFields {
        var reader = fields
        return FactRowFields(
            kind: try reader.vocabulary(FactKind.self), when: try reader.validTime(), said: try reader.optionalString(),
            summary: try reader.string(), actors: try reader.actors(), quantities: try reader.quantities(), place: try reader.optionalString())
    }
}

/// The fields of a fact row, copied out of the store.
public struct FactRowFields: Sendable, Hashable {
    public let kind: FactKind
    public let when: ValidTime
    public let said: String?
    public let summary: String
    public let actors: [ActorInvolvement]
    public let quantities: [Quantity]
    public let place: String?
}
