import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import LMDB

/// A projection an analyst declared in a file rather than wrote in Swift: the log's facts,
/// merged as timelines show them, filtered, grouped and measured as ``DeclaredDefinition`` says.
///
/// It folds merged facts, not raw events: each fact's merged row is kept, and when an event
/// changes what the fact contributes — a retraction, a correction that moves it to another group
/// or changes its amount — the old contribution is taken out of its groups before the new one
/// goes in. A second source of a fact changes the merged row, never the count.
///
/// - `facts`: fact id → first position (varint) ‖ position (varint) ‖ the fact's asserting
///   articles (count, then each) ‖ the fact's ``FactRow`` as of that position.
/// - `articles`: article id → its publisher (kept only when the definition reads publishers or articles).
/// - `groups`: group key → ``Aggregate`` (which holds the group's values in full); a group key
///   is each dimension's value followed by 0x00, a long value shortened (``GroupKey``).
/// - `members`: group key ‖ fact id → the ``Contribution`` the fact makes to the group.
public struct DeclaredProjection: Projection {
    public struct State: Sendable {
        let facts: Database
        let articles: Database
        let groups: Database
        let members: Database
    }

    public let definition: DeclaredDefinition
    public let name: String
    /// The definition's sequence number in the log: a new definition under the same name is a
    /// new version, which the engine rebuilds.
    public let version: Int
    public let eventTypes: [EventTypeName]
    public let databaseNames = ["facts", "articles", "groups", "members"]
    /// The measured quantities, in the order contributions and aggregates store them.
    let quantities: [String]
    /// How many fact ids a group keeps in id order: the largest `facts` limit, 0 without one.
    let factLimit: Int

    public init(_ definition: DeclaredDefinition, version: Int) {
        self.definition = definition
        name = definition.name
        self.version = version
        eventTypes = (definition.usesArticles ? [DomainEventType.articleRecorded] : []) + DomainEventType.factEvents
        quantities = definition.measuredQuantities
        factLimit = definition.measures.filter { $0.kind == .facts }.map { $0.limit ?? DeclaredDefinition.Measure.defaultFactLimit }.max() ?? 0
    }

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(facts: databases["facts"], articles: databases["articles"], groups: databases["groups"], members: databases["members"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        if event.hasType(DomainEventType.articleRecorded) {
            let article = try ArticleRecord(event)
            try txn.put(Array(article.publisher.utf8), forKey: article.id, in: state.articles)
            return
        }
        guard let factEvent = try FactEvent(event) else { return }
        let previous = try storedFact(factEvent.fact, state: state, txn: txn)
        guard let row = FactRow.folding(factEvent, into: previous?.row, at: event.position, recordedAt: event.recordedAt) else { return }
        var articles = previous?.articles ?? []
        if definition.usesArticles, case .asserted(let assertion) = factEvent, !articles.contains(assertion.article) {
            articles.append(assertion.article)
        }
        let old = try previous.flatMap { try contribution(of: $0.row, articles: $0.articles, state: state, txn: txn) }
        let new = try contribution(of: row, articles: articles, state: state, txn: txn)
        try store(row, articles: articles, state: state, txn: txn)
        guard old != new else { return }
        let factID = Array(factEvent.fact.utf8)
        if let old {
            for group in old.groups where new?.groups.contains(group) != true || new?.value != old.value {
                try remove(factID, value: old.value, from: group.key, state: state, txn: txn)
            }
        }
        if let new {
            for group in new.groups where old?.groups.contains(group) != true || old?.value != new.value {
                try add(factID, value: new.value, to: group, state: state, txn: txn)
            }
        }
    }

    // MARK: Facts

    private func storedFact(_ id: String, state: State, txn: borrowing Transaction) throws -> (row: FactRow, articles: [String])? {
        guard let bytes = try txn.get(id, in: state.facts) else { return nil }
        do {
            var reader = PayloadReader(bytes)
            let firstPosition = try reader.varint()
            let position = try reader.varint()
            var articles: [String] = []
            for _ in 0..<(try reader.count()) { articles.append(try reader.string()) }
            let row = try FactRow(decoding: UnsafeRawBufferPointer(rebasing: bytes[reader.offset...]), firstPosition: firstPosition, position: position)
            return (row, articles)
        } catch {
            throw ProjectionError.damagedState(projection: name, what: "fact \(String(reflecting: id)): \(error)")
        }
    }

    private func store(_ row: FactRow, articles: [String], state: State, txn: borrowing Transaction) throws {
        var writer = PayloadWriter(capacity: 320)
        writer.varint(row.firstPosition)
        writer.varint(row.position)
        writer.varint(UInt64(articles.count))
        for article in articles { writer.string(article) }
        writer.raw(row.encoded())
        try txn.put(writer.bytes, forKey: row.id, in: state.facts)
    }

    // MARK: What a fact contributes

    /// What a fact adds to each group it is in: the same for every one of its groups.
    struct Contribution: Hashable {
        var start: Int64
        var end: Int64
        /// Per measured quantity, the fact's value of it, if it has one.
        var quantities: [MeasuredValue?]
    }

    /// A quantity's value in its dimension's base unit.
    struct MeasuredValue: Hashable {
        var dimension: String
        var value: ScaledDecimal
        var isApproximate: Bool
    }

    /// The groups a fact is in and what it brings each of them.
    struct Membership: Hashable {
        var groups: [GroupKey]
        var value: Contribution
    }

    /// The groups `row` is in and what it brings them; `nil` when the filter leaves it out (or
    /// it is retracted).
    func contribution(of row: FactRow, articles: [String], state: State, txn: borrowing Transaction) throws -> Membership? {
        guard !row.isRetracted else { return nil }
        let filter = definition.filter
        if !filter.kinds.isEmpty, !filter.kinds.contains(row.kind) { return nil }
        if let period = filter.period, !row.when.overlaps(period) { return nil }
        let quantities = row.quantities
        for name in filter.hasQuantities where !quantities.contains(where: { $0.name == name }) { return nil }
        var involvements = row.actors
        if !filter.actors.isEmpty || !filter.roles.isEmpty {
            involvements = involvements.filter {
                (filter.actors.isEmpty || filter.actors.contains($0.actor)) && (filter.roles.isEmpty || filter.roles.contains($0.role))
            }
            if involvements.isEmpty { return nil }
        }
        var sources: [(article: String, publisher: String)] = []
        if definition.usesArticles {
            for article in articles {
                let publisher = try txn.get(article, in: state.articles).map { String(decoding: $0, as: UTF8.self) } ?? ""
                if filter.publishers.isEmpty || filter.publishers.contains(publisher) { sources.append((article, publisher)) }
            }
            if !filter.publishers.isEmpty, sources.isEmpty { return nil }
        }
        let groups = groupKeys(row: row, involvements: involvements, sources: sources)
        let value = Contribution(start: row.when.start, end: row.when.end, quantities: self.quantities.map { name in
            quantities.first { $0.name == name }.map { quantity in
                let measured = quantity.measured
                return MeasuredValue(dimension: measured.dimension, value: measured.value, isApproximate: quantity.isApproximate)
            }
        })
        return Membership(groups: groups, value: value)
    }

    /// Every group key of the fact: one per combination of its actors (with their roles when
    /// both are grouped by) and its sources (with their publishers likewise), each once.
    private func groupKeys(row: FactRow, involvements: [ActorInvolvement], sources: [(article: String, publisher: String)]) -> [GroupKey] {
        let groupBy = definition.groupBy
        let byActor = groupBy.contains(.actor), byRole = groupBy.contains(.role)
        let byPublisher = groupBy.contains(.publisher), byArticle = groupBy.contains(.article)
        var people: [(actor: String, role: String)] = []
        for involvement in involvements {
            let choice = (byActor ? involvement.actor : "", byRole ? involvement.role.rawValue : "")
            if !people.contains(where: { $0 == choice }) { people.append(choice) }
        }
        if people.isEmpty { people = [("", "")] }
        var origins: [(publisher: String, article: String)] = []
        for source in sources {
            let choice = (byPublisher ? source.publisher : "", byArticle ? source.article : "")
            if !origins.contains(where: { $0 == choice }) { origins.append(choice) }
        }
        if origins.isEmpty { origins = [("", "")] }
        var keys: [GroupKey] = []
        for person in people {
            for origin in origins {
                let values = groupBy.map { dimension -> String in
                    switch dimension {
                    case .actor: person.actor
                    case .role: person.role
                    case .kind: row.kind.rawValue
                    case .place: row.place ?? ""
                    case .publisher: origin.publisher
                    case .article: origin.article
                    case .period(let bucket): PeriodLabel.label(of: row.when.start, in: bucket)
                    }
                }
                let key = GroupKey(values)
                if !keys.contains(key) { keys.append(key) }
            }
        }
        return keys
    }

    // MARK: Groups

    private func add(_ fact: [UInt8], value: Contribution, to group: GroupKey, state: State, txn: borrowing Transaction) throws {
        try txn.put(encode(value), forKey: group.key + fact, in: state.members)
        var aggregate = try txn.get(group.key, in: state.groups).map { try decodeAggregate($0) }
            ?? Aggregate(group: group.values, quantities: quantities.map { _ in [] })
        aggregate.add(value, fact: fact, factLimit: factLimit)
        try txn.put(encode(aggregate), forKey: group.key, in: state.groups)
    }

    private func remove(_ fact: [UInt8], value: Contribution, from group: [UInt8], state: State, txn: borrowing Transaction) throws {
        guard try txn.delete(group + fact, in: state.members), let stored = try txn.get(group, in: state.groups) else {
            throw ProjectionError.damagedState(projection: name, what: "a group of fact \(String(decoding: fact, as: UTF8.self))")
        }
        var aggregate = try decodeAggregate(stored)
        if aggregate.count <= 1 {
            _ = try txn.delete(group, in: state.groups)
            return
        }
        if !aggregate.remove(value, fact: fact) {
            // The fact held an extreme or a listed id: the group's members say what replaces it.
            aggregate = Aggregate(group: aggregate.group, quantities: quantities.map { _ in [] })
            try txn.forEach(in: state.members, range: .prefix(group)) { entry in
                aggregate.add(try decodeContribution(entry.value), fact: Array(entry.key[group.count...]), factLimit: factLimit)
                return true
            }
        }
        try txn.put(encode(aggregate), forKey: group, in: state.groups)
    }

    // MARK: Encoding

    func encode(_ value: Contribution) -> [UInt8] {
        var writer = PayloadWriter(capacity: 32)
        writer.signed(value.start)
        writer.signed(value.end)
        for quantity in value.quantities {
            guard let quantity else {
                writer.byte(0)
                continue
            }
            writer.byte(quantity.isApproximate ? 2 : 1)
            writer.string(quantity.dimension)
            writer.scaledDecimal(quantity.value)
        }
        return writer.bytes
    }

    func decodeContribution(_ bytes: UnsafeRawBufferPointer) throws -> Contribution {
        do {
            var reader = PayloadReader(bytes)
            var value = Contribution(start: try reader.signed(), end: try reader.signed(), quantities: [])
            for _ in quantities {
                let tag = try reader.byte()
                guard tag <= 2 else { throw PayloadError.malformed("quantity tag \(tag)") }
                value.quantities.append(tag == 0 ? nil : MeasuredValue(dimension: try reader.string(), value: try reader.scaledDecimal(), isApproximate: tag == 2))
            }
            try reader.finish()
            return value
        } catch {
            throw ProjectionError.damagedState(projection: name, what: "a group member: \(error)")
        }
    }

    /// The layout ``DeclaredGroupView`` describes and reads.
    func encode(_ aggregate: Aggregate) -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        writer.varint(UInt64(aggregate.group.count))
        for value in aggregate.group { writer.string(value) }
        writer.varint(UInt64(aggregate.count))
        writer.signed(aggregate.first)
        writer.signed(aggregate.last)
        var section = PayloadWriter(capacity: 64)
        for totals in aggregate.quantities {
            section.varint(UInt64(totals.count))
            for total in totals {
                section.string(total.dimension)
                section.varint(UInt64(total.count))
                section.varint(UInt64(total.approximate))
                section.byte((total.minimumIsApproximate ? 1 : 0) | (total.maximumIsApproximate ? 2 : 0))
                section.scaledDecimal(total.sum)
                section.scaledDecimal(total.minimum)
                section.scaledDecimal(total.maximum)
            }
        }
        writer.varint(UInt64(section.bytes.count))
        writer.raw(section.bytes)
        writer.varint(UInt64(aggregate.facts.count))
        for fact in aggregate.facts { writer.string(fact) }
        return writer.bytes
    }
}

/// A group's key in the `groups` and `members` databases, and the values it stands for.
///
/// Each value is followed by 0x00, so that no group's key begins another's and a group's
/// members are found by its key as a prefix. A value longer than 32 bytes is shortened to its
/// first 24 bytes (whole characters), 0x01 and a 64-bit FNV-1a hash of the whole value in hex:
/// keys keep the values' order closely, distinct values stay apart, and with seven dimensions
/// and a fact id a member's key stays within LMDB's 511 bytes.
struct GroupKey: Hashable {
    let key: [UInt8]
    let values: [String]

    static let longValue = 32
    static let keptPrefix = 24

    init(_ values: [String]) {
        self.values = values
        var key: [UInt8] = []
        for value in values {
            let bytes = Array(value.utf8)
            if bytes.count <= Self.longValue {
                key += bytes
            } else {
                var cut = Self.keptPrefix
                while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
                key += bytes[..<cut]
                key.append(1)
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                for shift in stride(from: 60, through: 0, by: -4) { key.append(Array("0123456789abcdef".utf8)[Int(hash >> UInt64(shift) & 15)]) }
            }
            key.append(0)
        }
        self.key = key
    }
}

/// What a group holds: kept up to date fact by fact, recomputed from the group's members only
/// when a fact that leaves it held one of its extremes or listed ids.
struct Aggregate: Hashable {
    /// The group's value of each dimension, in full.
    let group: [String]
    var count = 0
    /// The earliest start of the group's facts' valid times.
    var first: Int64 = .max
    /// The latest end.
    var last: Int64 = .min
    /// Per measured quantity, a total per dimension (unit), in dimension order.
    var quantities: [[UnitTotal]]
    /// The group's first fact ids in byte order, at most the projection's fact limit.
    var facts: [String] = []

    init(group: [String], count: Int = 0, first: Int64 = .max, last: Int64 = .min, quantities: [[UnitTotal]]) {
        self.group = group
        self.count = count
        self.first = first
        self.last = last
        self.quantities = quantities
    }

    mutating func add(_ value: DeclaredProjection.Contribution, fact: [UInt8], factLimit: Int) {
        count += 1
        first = Swift.min(first, value.start)
        last = Swift.max(last, value.end)
        for (index, measured) in value.quantities.enumerated() {
            guard let measured else { continue }
            if let at = quantities[index].firstIndex(where: { $0.dimension == measured.dimension }) {
                quantities[index][at].add(measured)
            } else {
                // In dimension order, so that the order does not depend on which fact came first.
                let at = quantities[index].firstIndex { $0.dimension > measured.dimension } ?? quantities[index].count
                quantities[index].insert(UnitTotal(
                    dimension: measured.dimension, count: 1, approximate: measured.isApproximate ? 1 : 0, sum: measured.value,
                    minimum: measured.value, minimumIsApproximate: measured.isApproximate,
                    maximum: measured.value, maximumIsApproximate: measured.isApproximate), at: at)
            }
        }
        guard factLimit > 0 else { return }
        let at = facts.firstIndex { !$0.utf8.lexicographicallyPrecedes(fact) } ?? facts.count
        if at < factLimit {
            facts.insert(String(decoding: fact, as: UTF8.self), at: at)
            if facts.count > factLimit { facts.removeLast() }
        }
    }

    /// Takes a fact's value out; `false` when the group must be recomputed from its members
    /// instead (the value was an extreme, or the fact was among the listed ids).
    mutating func remove(_ value: DeclaredProjection.Contribution, fact: [UInt8]) -> Bool {
        if value.start == first || value.end == last || facts.contains(where: { $0.utf8.elementsEqual(fact) }) { return false }
        var updated = quantities
        for (index, measured) in value.quantities.enumerated() {
            guard let measured else { continue }
            guard let at = updated[index].firstIndex(where: { $0.dimension == measured.dimension }) else { return false }
            var total = updated[index][at]
            if total.count == 1 || ScaledDecimal.compare(measured.value, total.minimum) == 0 || ScaledDecimal.compare(measured.value, total.maximum) == 0 {
                return false
            }
            total.count -= 1
            if measured.isApproximate { total.approximate -= 1 }
            total.sum = total.sum.adding(measured.value.negated)
            updated[index][at] = total
        }
        quantities = updated
        count -= 1
        return true
    }
}

/// The values of one quantity of one dimension in a group.
struct UnitTotal: Hashable {
    var dimension: String
    var count: Int
    /// How many of the values were approximate.
    var approximate: Int
    var sum: ScaledDecimal
    var minimum: ScaledDecimal
    /// Whether every value equal to the minimum was approximate: one exact value pins it.
    var minimumIsApproximate: Bool
    var maximum: ScaledDecimal
    var maximumIsApproximate: Bool

    mutating func add(_ measured: DeclaredProjection.MeasuredValue) {
        count += 1
        if measured.isApproximate { approximate += 1 }
        sum = sum.adding(measured.value)
        let belowMinimum = ScaledDecimal.compare(measured.value, minimum)
        if belowMinimum < 0 { (minimum, minimumIsApproximate) = (measured.value, measured.isApproximate) }
        if belowMinimum == 0 { minimumIsApproximate = minimumIsApproximate && measured.isApproximate }
        let aboveMaximum = ScaledDecimal.compare(measured.value, maximum)
        if aboveMaximum > 0 { (maximum, maximumIsApproximate) = (measured.value, measured.isApproximate) }
        if aboveMaximum == 0 { maximumIsApproximate = maximumIsApproximate && measured.isApproximate }
    }
}

/// The labels of valid-time buckets: `2021`, `2021-Q2`, `2021-05`, `2021-W19` (ISO week), `2021-05-07`.
enum PeriodLabel {
    static func label(of start: Int64, in bucket: DeclaredDefinition.PeriodBucket) -> String {
        // An open start has no bucket: the label is empty, which results show as no value.
        guard start != .min else { return "" }
        let days = day(of: start)
        let date = CivilDate.fromDaysSinceEpoch(days)
        var text = ByteWriter(capacity: 16)
        switch bucket {
        case .year:
            text.paddedInteger(Int(date.year), width: 4)
        case .quarter:
            text.paddedInteger(Int(date.year), width: 4)
            text.append("-Q")
            text.append(UInt8(ascii: "0") + UInt8((date.month - 1) / 3 + 1))
        case .month:
            text.paddedInteger(Int(date.year), width: 4)
            text.append(UInt8(ascii: "-"))
            text.paddedInteger(Int(date.month), width: 2)
        case .day:
            appendDay(date, to: &text)
        case .week:
            // ISO 8601: a week belongs to the year of its Thursday; 1970-01-01 was a Thursday.
            let weekday = ((days + 3) % 7 + 7) % 7
            let thursday = days - weekday + 3
            let year = CivilDate.fromDaysSinceEpoch(thursday).year
            let week = (thursday - CivilDate.daysSinceEpoch(year: year, month: 1, day: 1)) / 7 + 1
            text.paddedInteger(Int(year), width: 4)
            text.append("-W")
            text.paddedInteger(Int(week), width: 2)
        }
        return text.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends `2021-05-07`: the one writing of a day, for labels and for results' dates.
    static func appendDay(_ date: (year: Int64, month: Int64, day: Int64), to text: inout ByteWriter) {
        text.paddedInteger(Int(date.year), width: 4)
        text.append(UInt8(ascii: "-"))
        text.paddedInteger(Int(date.month), width: 2)
        text.append(UInt8(ascii: "-"))
        text.paddedInteger(Int(date.day), width: 2)
    }

    /// The day (since 1970-01-01) holding second `seconds`, rounding down before 1970 too.
    static func day(of seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    }
}
