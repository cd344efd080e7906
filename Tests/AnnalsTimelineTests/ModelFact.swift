@testable import AnnalsDomain
@testable import AnnalsTimeline

// An independent model of how a fact's sources and corrections merge (docs/QUERIES.md): it
// merges every event of a fact from scratch each time, where the projections fold one event
// at a time. The tests compare the two.

/// One fact as the store understood it after some event: the fields merged from every source
/// that asserted it, the corrections applied on top, any retraction, and the disagreements
/// between sources.
///
/// Merging is deterministic and keeps every source: the date is the most precise one the
/// sources give; kind, summary and place come from the first source; actors are the union;
/// a quantity keeps its first value. Where sources differ, ``conflicts`` says how. Corrections
/// then replace the fields they name, in log order.
struct ModelFact: Sendable, Hashable {
    /// One article's assertion of the fact.
    struct Source: Sendable, Hashable {
        let position: UInt64
        let assertion: FactAssertion
    }

    /// A correction applied to the fact.
    struct Correction: Sendable, Hashable {
        let position: UInt64
        let correction: FactCorrection
    }

    /// The retraction that withdrew the fact.
    struct Retraction: Sendable, Hashable {
        let position: UInt64
        let retraction: FactRetraction
    }

    /// Sources that disagree about one field.
    struct Conflict: Sendable, Hashable {
        enum Kind: String, Sendable, Hashable {
            /// The values are compatible and one is more precise ("in May" and "on May 6").
            case refinement
            /// The values cannot all be true.
            case contradiction
        }

        let field: String
        let kind: Kind
        /// Each source's value, as (article id, value text), in log order.
        let values: [ArticleValue]
    }

    struct ArticleValue: Sendable, Hashable {
        let article: String
        let value: String
    }

    let id: String
    private(set) var sources: [Source] = []
    private(set) var corrections: [Correction] = []
    private(set) var retraction: Retraction?

    private(set) var kind: FactKind = .other
    private(set) var when = ValidTime(.interval(from: nil, to: nil))
    private(set) var said: String?
    private(set) var summary = ""
    private(set) var actors: [ActorInvolvement] = []
    private(set) var quantities: [Quantity] = []
    private(set) var place: String?
    private(set) var conflicts: [Conflict] = []

    /// The position of the first assertion; the fact's stable place among facts of equal date.
    var firstPosition: UInt64 { sources.first?.position ?? 0 }
    /// The position of the last event that changed the fact.
    var lastPosition: UInt64 {
        max(sources.last?.position ?? 0, corrections.last?.position ?? 0, retraction?.position ?? 0)
    }

    var isRetracted: Bool { retraction != nil }

    init(id: String) { self.id = id }

    /// Folds one fact event in; positions must increase.
    mutating func apply(_ event: FactEvent, at position: UInt64) {
        switch event {
        case .asserted(let assertion): apply(assertion, at: position)
        case .corrected(let correction): apply(correction, at: position)
        case .retracted(let retraction): apply(retraction, at: position)
        }
    }

    mutating func apply(_ assertion: FactAssertion, at position: UInt64) {
        sources.append(Source(position: position, assertion: assertion))
        merge()
    }

    mutating func apply(_ correction: FactCorrection, at position: UInt64) {
        corrections.append(Correction(position: position, correction: correction))
        merge()
    }

    mutating func apply(_ retraction: FactRetraction, at position: UInt64) {
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

        let chosen = sources[ModelMerge.mostPreciseIndex(sources.map(\.assertion.when))].assertion
        when = chosen.when
        said = chosen.said
        if !single, sources.contains(where: { $0.assertion.when != first.when }) {
            let whens = sources.map(\.assertion.when)
            let compatible = whens.allSatisfy { a in whens.allSatisfy { b in a.overlaps(b) } }
            conflicts.append(Conflict(field: "when", kind: compatible ? .refinement : .contradiction, values: values { $0.when.description }))
        }

        summary = first.summary

        actors = ModelMerge.union(sources.map(\.assertion.actors))

        var names: [String] = []
        for source in sources {
            for quantity in source.assertion.quantities where !names.contains(quantity.name) { names.append(quantity.name) }
        }
        quantities = names.compactMap { name in
            let given = sources.compactMap { $0.assertion.quantity(named: name) }
            guard let merged = ModelMerge.mergeQuantity(given) else { return nil }
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

/// The merge rules of the model.
enum ModelMerge {
    /// The index of the most precise (narrowest) date; ties go to the earliest.
    static func mostPreciseIndex(_ whens: [ValidTime]) -> Int {
        var chosen = 0
        for index in whens.indices.dropFirst() where whens[index].span < whens[chosen].span { chosen = index }
        return chosen
    }

    /// One quantity as several sources give it: the value to show — the most precise when all
    /// agree, else the first — and the conflict they make, if any.
    static func mergeQuantity(_ given: [Quantity]) -> (value: Quantity, conflict: ModelFact.Conflict.Kind?)? {
        guard var chosen = given.first else { return nil }
        var conflict: ModelFact.Conflict.Kind?
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

