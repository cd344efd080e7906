/// One fact as the store understood it after some event, with everything that explains it: the
/// fields merged from every source that asserted it (see ``FactRow`` for the rules), each
/// source's own assertion, the corrections and the retraction, and where sources disagree.
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
    public let sources: [Source]
    public let corrections: [Correction]
    public let retraction: Retraction?

    public let kind: FactKind
    public let when: ValidTime
    public let said: String?
    public let summary: String
    public let actors: [ActorInvolvement]
    public let quantities: [Quantity]
    public let place: String?
    public let conflicts: [Conflict]

    /// The position of the first assertion; the fact's stable place among facts of equal date.
    public let firstPosition: UInt64
    /// The position of the last event that changed the fact.
    public let lastPosition: UInt64

    public var isRetracted: Bool { retraction != nil }

    /// The fact of `row`, with the events that made it — its assertions, corrections and
    /// retraction up to the row's version, in log order — for what the row keeps only in summary.
    package init(row: FactRow, events: [(position: UInt64, event: FactEvent)]) {
        id = row.id
        var sources: [Source] = []
        var corrections: [Correction] = []
        var retraction: Retraction?
        for (position, event) in events where position <= row.position {
            switch event {
            case .asserted(let assertion): sources.append(Source(position: position, assertion: assertion))
            case .corrected(let correction): corrections.append(Correction(position: position, correction: correction))
            case .retracted(let withdrawal): if retraction == nil { retraction = Retraction(position: position, retraction: withdrawal) }
            }
        }
        self.sources = sources
        self.corrections = corrections
        self.retraction = retraction
        kind = row.kind
        when = row.when
        said = row.said
        summary = row.summary
        actors = row.actors
        quantities = row.quantities
        place = row.place
        firstPosition = row.firstPosition
        lastPosition = row.lastChange
        conflicts = row.conflicts.map { conflict in
            Conflict(field: conflict.field, kind: conflict.kind, values: sources.compactMap { source in
                Self.value(of: conflict.field, in: source.assertion).map { ArticleValue(article: source.assertion.article, value: $0) }
            })
        }
    }

    /// One source's value of a field a conflict names: `kind`, `when`, `place` or `quantities.NAME`.
    private static func value(of field: String, in assertion: FactAssertion) -> String? {
        switch field {
        case "kind": return assertion.kind.rawValue
        case "when": return assertion.when.description
        case "place": return assertion.place
        default:
            guard field.hasPrefix("quantities.") else { return nil }
            return assertion.quantity(named: String(field.dropFirst("quantities.".count)))?.display
        }
    }
}
