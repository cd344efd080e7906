import AnnalsDomain
import AnnalsLog

/// What a declared projection computes: which merged facts it takes, how it groups them, and
/// what it measures of each group. Written by an analyst as a projection file (docs/PROJECTIONS.md),
/// stored in the log as its canonical JSON (``canonicalJSON``), folded by ``DeclaredProjection``.
public struct DeclaredDefinition: Sendable, Hashable {
    public var name: String
    /// What the projection answers, in a sentence; `annals projection show --format json` gives it.
    public var description: String?
    public var filter: Filter
    /// The dimensions each group is keyed by, in order (never empty).
    public var groupBy: [Dimension]
    public var measures: [Measure]

    public init(name: String, description: String? = nil, filter: Filter = Filter(), groupBy: [Dimension], measures: [Measure]) {
        self.name = name
        self.description = description
        self.filter = filter
        self.groupBy = groupBy
        self.measures = measures
    }

    /// Which facts count. Every list that is given must match; an empty list matches all.
    public struct Filter: Sendable, Hashable {
        public var kinds: [FactKind] = []
        /// Facts involving one of these actors; grouping by actor then shows only these.
        public var actors: [String] = []
        /// Facts with an actor in one of these roles; grouping by actor or role then shows only those.
        public var roles: [ActorRole] = []
        /// Facts whose valid time overlaps this period.
        public var period: ValidTime?
        /// Facts asserted by an article of one of these publishers (matched exactly).
        public var publishers: [String] = []
        /// Facts that have every one of these quantities.
        public var hasQuantities: [String] = []

        public init(kinds: [FactKind] = [], actors: [String] = [], roles: [ActorRole] = [], period: ValidTime? = nil,
                    publishers: [String] = [], hasQuantities: [String] = []) {
            self.kinds = kinds
            self.actors = actors
            self.roles = roles
            self.period = period
            self.publishers = publishers
            self.hasQuantities = hasQuantities
        }
    }

    /// A grouping dimension: one value of the fact's, or several (a fact with two payers is in
    /// both payers' groups).
    public enum Dimension: Sendable, Hashable, CustomStringConvertible {
        case actor, role, kind, place, publisher, article
        /// The valid-time bucket holding the fact's start.
        case period(PeriodBucket)

        /// Every dimension as a projection file names it.
        public static let all: [Dimension] = [.actor, .role, .kind, .place, .publisher, .article] + PeriodBucket.allCases.map { .period($0) }

        public var description: String {
            switch self {
            case .actor: "actor"
            case .role: "role"
            case .kind: "kind"
            case .place: "place"
            case .publisher: "publisher"
            case .article: "article"
            case .period(let bucket): bucket.rawValue
            }
        }

        public init?(_ name: String) {
            guard let found = Self.all.first(where: { $0.description == name }) else { return nil }
            self = found
        }
    }

    /// A valid-time bucket size.
    public enum PeriodBucket: String, Sendable, Hashable, CaseIterable {
        case year, quarter, month, week, day
    }

    /// One column of the result.
    public struct Measure: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// How many facts the group holds.
            case count
            /// Sum, smallest, largest and mean of a quantity, per unit.
            case sum, min, max, mean
            /// The earliest start and the latest end of the group's facts' valid times.
            case first, last
            /// The group's fact ids, in id order, at most `limit` of them, with the total.
            case facts

            /// Whether the measure is of a named quantity.
            public var takesQuantity: Bool { [.sum, .min, .max, .mean].contains(self) }
        }

        public var kind: Kind
        /// The quantity measured, for sum, min, max and mean.
        public var quantity: String?
        /// The unit durations are shown in (time and calendar durations each in their own);
        /// hours and months unless given.
        public var unit: QuantityUnit.DurationUnit?
        /// For `facts`: how many ids are listed.
        public var limit: Int?

        public static let defaultFactLimit = 10
        public static let maximumFactLimit = 1000

        public init(_ kind: Kind, quantity: String? = nil, unit: QuantityUnit.DurationUnit? = nil, limit: Int? = nil) {
            self.kind = kind
            self.quantity = quantity
            self.unit = unit
            self.limit = limit
        }

        /// The column's heading: `count`, `sum ransom`, `mean duration`.
        public var description: String {
            quantity.map { "\(kind.rawValue) \($0)" } ?? kind.rawValue
        }
    }

    /// The names of the fields of a projection file, written once for the parser, the
    /// canonical form and the messages.
    public enum Field {
        public static let name = "name"
        public static let description = "description"
        public static let filter = "filter"
        public static let groupBy = "group-by"
        public static let measures = "measures"
        public static let top = [name, description, filter, groupBy, measures]

        public static let kinds = "kinds"
        public static let actors = "actors"
        public static let roles = "roles"
        public static let period = "period"
        public static let publishers = "publishers"
        public static let hasQuantity = "has-quantity"
        public static let filters = [kinds, actors, roles, period, publishers, hasQuantity]

        public static let unit = "unit"
        public static let limit = "limit"
    }

    /// The quantities the measures read, each once, in order of first use.
    public var measuredQuantities: [String] {
        var names: [String] = []
        for measure in measures {
            if let quantity = measure.quantity, !names.contains(quantity) { names.append(quantity) }
        }
        return names
    }

    /// Whether the projection needs to know each fact's articles and their publishers.
    public var usesArticles: Bool {
        !filter.publishers.isEmpty || groupBy.contains(.publisher) || groupBy.contains(.article)
    }

    /// The one text a definition is stored as: a JSON object with every field in a fixed order
    /// and defaults written out, so that two files saying the same thing store the same bytes.
    public var canonicalJSON: String {
        var filterMembers: [(String, JSONValue)] = []
        if !filter.kinds.isEmpty { filterMembers.append((Field.kinds, .array(filter.kinds.map { .string($0.rawValue) }))) }
        if !filter.actors.isEmpty { filterMembers.append((Field.actors, .array(filter.actors.map { .string($0) }))) }
        if !filter.roles.isEmpty { filterMembers.append((Field.roles, .array(filter.roles.map { .string($0.rawValue) }))) }
        if let period = filter.period { filterMembers.append((Field.period, .string(period.description))) }
        if !filter.publishers.isEmpty { filterMembers.append((Field.publishers, .array(filter.publishers.map { .string($0) }))) }
        if !filter.hasQuantities.isEmpty { filterMembers.append((Field.hasQuantity, .array(filter.hasQuantities.map { .string($0) }))) }
        var members: [(String, JSONValue)] = [(Field.name, .string(name))]
        if let description { members.append((Field.description, .string(description))) }
        members.append((Field.filter, .object(filterMembers)))
        members.append((Field.groupBy, .array(groupBy.map { .string($0.description) })))
        members.append((Field.measures, .array(measures.map { measure in
            var fields: [(String, JSONValue)] = [(measure.kind.rawValue, measure.quantity.map { .string($0) } ?? .null)]
            if let unit = measure.unit { fields.append((Field.unit, .string(unit.rawValue))) }
            if let limit = measure.limit { fields.append((Field.limit, .integer(limit))) }
            return .object(fields)
        })))
        return JSONValue.object(members).serialized()
    }
}
