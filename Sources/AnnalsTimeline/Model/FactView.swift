/// One fact as the store understood it after some event: the fields merged from every source
/// that asserted it, the corrections applied on top, any retraction, and the disagreements
/// between sources.
///
/// Merging is deterministic and keeps every source: the date is the most precise one the
/// sources give; kind, summary and place come from the first source; actors are the union;
/// a quantity keeps its first value. Where sources differ, ``conflicts`` says how. Corrections
/// then replace the fields they name, in log order.
public struct FactView: Sendable, Hashable {
    /// One article's assertion of the fact.
    public struct Source: Sendable, Hashable {
        public let position: UInt64
        public let assertion: FactAssertion
    }

    /// A correction applied to the fact.
    public struct Correction: Sendable, Hashable {
        public let position: UInt64
        public let correction: FactCorrection
    }

    /// The retraction that withdrew the fact.
    public struct Retraction: Sendable, Hashable {
        public let position: UInt64
        public let retraction: FactRetraction
    }

    /// Sources that disagree about one field.
    public struct Conflict: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// The values are compatible and one is more precise ("in May" and "on May 6").
            case refinement
            /// The values cannot all be true.
            case contradiction
        }

        public let field: String
        public let kind: Kind
        /// Each source's value, as (article id, value text), in log order.
        public let values: [ArticleValue]
    }

    public struct ArticleValue: Sendable, Hashable {
        public let article: String
        public let value: String
    }

    public let id: String
    public private(set) var sources: [Source] = []
    public private(set) var corrections: [Correction] = []
    public private(set) var retraction: Retraction?

    public private(set) var kind: FactKind = .other
    public private(set) var when = ValidTime(.interval(from: nil, to: nil))
    public private(set) var said: String?
    public private(set) var summary = ""
    public private(set) var actors: [ActorInvolvement] = []
    public private(set) var quantities: [Quantity] = []
    public private(set) var place: String?
    public private(set) var conflicts: [Conflict] = []

    /// The position of the first assertion; the fact's stable place among facts of equal date.
    public var firstPosition: UInt64 { sources.first?.position ?? 0 }
    /// The position of the last event that changed the fact.
    public var lastPosition: UInt64 {
        max(sources.last?.position ?? 0, corrections.last?.position ?? 0, retraction?.position ?? 0)
    }

    public var isRetracted: Bool { retraction != nil }

    public init(id: String) { self.id = id }

    /// Folds one fact event in; positions must increase.
    public mutating func apply(_ event: FactEvent, at position: UInt64) {
        switch event {
        case .asserted(let assertion): apply(assertion, at: position)
        case .corrected(let correction): apply(correction, at: position)
        case .retracted(let retraction): apply(retraction, at: position)
        }
    }

    public mutating func apply(_ assertion: FactAssertion, at position: UInt64) {
        sources.append(Source(position: position, assertion: assertion))
        merge()
    }

    public mutating func apply(_ correction: FactCorrection, at position: UInt64) {
        corrections.append(Correction(position: position, correction: correction))
        merge()
    }

    public mutating func apply(_ retraction: FactRetraction, at position: UInt64) {
        guard self.retraction == nil else { return }
        self.retraction = Retraction(position: position, retraction: retraction)
    }

    /// Recomputes the merged fields from the sources and corrections.
    private mutating func merge() {
        guard let first = sources.first?.assertion else { return }
        var conflicts: [Conflict] = []
        func values(_ text: (FactAssertion) -> String?) -> [ArticleValue] {
            sources.compactMap { source in text(source.assertion).map { ArticleValue(article: source.assertion.article, value: $0) } }
        }

        kind = first.kind
        let single = sources.count == 1
        if !single, sources.contains(where: { $0.assertion.kind != first.kind }) {
            conflicts.append(Conflict(field: "kind", kind: .contradiction, values: values { $0.kind.rawValue }))
        }

        let chosen = sources[FactMerge.mostPreciseIndex(sources.map(\.assertion.when))].assertion
        when = chosen.when
        said = chosen.said
        if !single, sources.contains(where: { $0.assertion.when != first.when }) {
            let whens = sources.map(\.assertion.when)
            let compatible = whens.allSatisfy { a in whens.allSatisfy { b in a.overlaps(b) } }
            conflicts.append(Conflict(field: "when", kind: compatible ? .refinement : .contradiction, values: values { $0.when.description }))
        }

        summary = first.summary

        actors = FactMerge.union(sources.map(\.assertion.actors))

        var names: [String] = []
        for source in sources {
            for quantity in source.assertion.quantities where !names.contains(quantity.name) { names.append(quantity.name) }
        }
        quantities = names.compactMap { name in
            let given = sources.compactMap { $0.assertion.quantity(named: name) }
            guard let merged = FactMerge.mergeQuantity(given) else { return nil }
            if let kind = merged.conflict {
                conflicts.append(Conflict(field: "quantities.\(name)", kind: kind, values: values { $0.quantity(named: name)?.display }))
            }
            return merged.value
        }

        place = sources.lazy.compactMap(\.assertion.place).first
        let places = single ? [] : sources.compactMap(\.assertion.place)
        if places.contains(where: { $0 != places[0] }) {
            // "Geneva" and "Villa La Grange in Geneva" agree; one names a place inside the other.
            let keys = places.map { foldWhitespace($0).lowercased() }
            let nested = keys.allSatisfy { a in keys.allSatisfy { b in a.contains(b) || b.contains(a) } }
            conflicts.append(Conflict(field: "place", kind: nested ? .refinement : .contradiction, values: values(\.place)))
        }
        self.conflicts = conflicts

        for entry in corrections {
            let fields = entry.correction.fields
            if let value = fields.kind { kind = value }
            if let value = fields.when {
                when = value
                said = fields.said
            } else if let value = fields.said {
                said = value
            }
            if let value = fields.summary { summary = value }
            if let value = fields.actors { actors = value }
            if let value = fields.quantities { quantities = value }
            if let value = fields.place { place = value }
        }
    }
}

/// The merge rules shared by ``FactView`` and the projections' compact ``FactShape``.
enum FactMerge {
    /// The index of the most precise (narrowest) date; ties go to the earliest.
    static func mostPreciseIndex(_ whens: [ValidTime]) -> Int {
        var chosen = 0
        for index in whens.indices.dropFirst() where whens[index].span < whens[chosen].span { chosen = index }
        return chosen
    }

    /// One quantity as several sources give it: the value to show — the most precise when all
    /// agree, else the first — and the conflict they make, if any.
    static func mergeQuantity(_ given: [Quantity]) -> (value: Quantity, conflict: FactView.Conflict.Kind?)? {
        guard var chosen = given.first else { return nil }
        var conflict: FactView.Conflict.Kind?
        for (index, quantity) in given.enumerated() {
            for earlier in given[..<index] {
                switch quantity.agreement(with: earlier) {
                case .same: break
                case .refines, .refinedBy: if conflict == nil { conflict = .refinement }
                case .contradicts: conflict = .contradiction
                }
            }
        }
        if conflict == .refinement {
            for quantity in given.dropFirst() where quantity.agreement(with: chosen) == .refines { chosen = quantity }
        }
        return (chosen, conflict)
    }

    /// Every distinct involvement, in order of first appearance.
    static func union(_ lists: [[ActorInvolvement]]) -> [ActorInvolvement] {
        // Facts name a handful of actors: a linear scan beats hashing.
        var result: [ActorInvolvement] = []
        for list in lists {
            for involvement in list where !result.contains(involvement) { result.append(involvement) }
        }
        return result
    }
}

// MARK: Encoding

extension FactView {
    /// The view's bytes as stored by the projections: its id, then every source, correction
    /// and the retraction; the merged fields are recomputed on decoding, so they cannot drift
    /// from the events they come from.
    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 512)
        writer.string(id)
        writer.varint(UInt64(sources.count))
        for source in sources {
            writer.varint(source.position)
            writer.raw(source.assertion.encoded())
        }
        writer.varint(UInt64(corrections.count))
        for entry in corrections {
            writer.varint(entry.position)
            writer.raw(entry.correction.encoded())
        }
        if let retraction {
            writer.byte(1)
            writer.varint(retraction.position)
            writer.raw(retraction.retraction.encoded())
        } else {
            writer.byte(0)
        }
        return writer.bytes
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        self.init(id: try reader.string())
        let sourceCount = try reader.count(limit: 100_000)
        for _ in 0..<sourceCount {
            let position = try reader.varint()
            apply(try reader.assertion(), at: position)
        }
        let correctionCount = try reader.count(limit: 100_000)
        for _ in 0..<correctionCount {
            let position = try reader.varint()
            apply(try reader.correction(), at: position)
        }
        if try reader.bool() {
            let position = try reader.varint()
            apply(try reader.retraction(), at: position)
        }
        try reader.finish()
    }
}

extension PayloadReader {
    mutating func assertion() throws(PayloadError) -> FactAssertion { try FactAssertion(reading: &self) }
    mutating func correction() throws(PayloadError) -> FactCorrection { try FactCorrection(reading: &self) }
    mutating func retraction() throws(PayloadError) -> FactRetraction { try FactRetraction(reading: &self) }
}
