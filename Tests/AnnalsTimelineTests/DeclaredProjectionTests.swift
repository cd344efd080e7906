@testable import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTestSupport
@testable import AnnalsTimeline
@testable import AnnalsTimelineProjections
import LMDB
import Testing

/// A store of `events`, opened again afterwards so that it runs the projections they define.
private func store(_ events: [NewEvent], in directory: TemporaryDirectory, name: String, perBatch: Int = 7) throws -> TimelineStore {
    let path = directory.appending(name)
    do {
        var options = TimelineStore.Options()
        options.durability = .bulk
        let store = try TimelineStore(path: path, options: options)
        for start in stride(from: 0, to: events.count, by: perBatch) {
            try store.log.append(Array(events[start..<min(start + perBatch, events.count)]))
        }
    }
    let store = try TimelineStore(path: path)
    try store.catchUp()
    return store
}

private func definitionEvent(_ definition: DeclaredDefinition, sequence: Int = 1) -> NewEvent {
    NewEvent(id: DomainEventID.projection(definition.name, sequence: sequence), type: "projection.defined",
             payload: ProjectionDefined(name: definition.name, definition: definition.canonicalJSON).encoded())
}

private func parse(_ yaml: String) throws -> DeclaredDefinition {
    try ProjectionFile(yaml: yaml, file: "test.yaml").definition
}

/// Small logs with exact answers: what the merged facts contribute, and what they stop contributing.
@Suite struct DeclaredProjectionTests {
    let directory = TemporaryDirectory()

    private func article(_ id: String, publisher: String) throws -> NewEvent {
        NewEvent(id: DomainEventID.article(id), type: "article.recorded",
                 payload: ArticleRecord(id: id, title: id, publisher: publisher, published: try ValidTime(parsing: "2021-06"),
                                        url: nil, contentHash: Array(repeating: 0, count: 32), text: "text").encoded())
    }

    private func assertion(_ fact: String, article: String, kind: FactKind = .ransomPayment, when: String = "2021-05-07",
                           actors: [(String, ActorRole)] = [("colonial", .payer)], quantities: [(String, String, String, Bool)] = [],
                           place: String? = nil) throws -> NewEvent {
        let assertion = FactAssertion(
            article: article, fact: fact, kind: kind, when: try ValidTime(parsing: when), said: nil, summary: fact,
            actors: actors.map { ActorInvolvement(actor: $0.0, role: $0.1) },
            quantities: try quantities.map { name, value, unit, approximate in
                guard case .success(let parsedUnit) = QuantityUnit.parse(unit) else { throw PayloadError.malformed(unit) }
                return Quantity(name: name, value: try ExactDecimal(parsing: value), unit: parsedUnit, isApproximate: approximate)
            },
            place: place, quote: "text")
        return NewEvent(id: DomainEventID.assertion(article: article, fact: fact), type: "fact.asserted", payload: assertion.encoded())
    }

    private func correction(_ fact: String, article: String, _ fields: FactFields) -> NewEvent {
        NewEvent(id: DomainEventID.correction(article: article, fact: fact), type: "fact.corrected",
                 payload: FactCorrection(article: article, fact: fact, fields: fields, reason: "r").encoded())
    }

    private func retraction(_ fact: String, article: String) -> NewEvent {
        NewEvent(id: DomainEventID.retraction(article: article, fact: fact), type: "fact.retracted",
                 payload: FactRetraction(article: article, fact: fact, reason: "r").encoded())
    }

    private func shown(_ result: DeclaredResult) -> [String] {
        result.rows.map { row in
            (row.group.map { $0 ?? "-" } + row.values.map { value in
                switch value {
                case .count(let count): "\(count)"
                case .amounts(let amounts): amounts.map(\.display).joined(separator: "; ")
                case .date(let date): date ?? ".."
                case let .facts(ids, total): "\(ids)/\(total)"
                }
            }).joined(separator: " | ")
        }
    }

    @Test func sumsStayApartByCurrencyAndASecondSourceCountsOnce() throws {
        let definition = try parse("""
            name: ransoms
            filter: {kinds: [ransom-payment], roles: [payer]}
            group-by: [actor, month]
            measures: [count, {sum: ransom}, {max: ransom}, facts]
            """)
        let events = [
            definitionEvent(definition), try article("a1", publisher: "Reuters"), try article("a2", publisher: "AP"),
            try assertion("f1", article: "a1", quantities: [("ransom", "4400000", "USD", false)]),
            try assertion("f1", article: "a2", quantities: [("ransom", "4.4e6", "USD", true)]),
            try assertion("f2", article: "a1", when: "2021-05-20", quantities: [("ransom", "63.7", "BTC", false)]),
            try assertion("f3", article: "a2", when: "2021-06-01", actors: [("colonial", .payer), ("jbs", .payer)],
                          quantities: [("ransom", "11000000", "USD", false)]),
            try assertion("f4", article: "a2", actors: [("darkside", .recipient)], quantities: [("ransom", "1", "USD", false)]),
        ]
        let result = try store(events, in: directory, name: "s").declaredResult("ransoms")
        #expect(shown(result) == [
            // f1's two sources agree; the exact value refines the approximate one and is the fact's.
            "colonial | 2021-05 | 2 | 63.7 BTC; 4400000 USD | 63.7 BTC; 4400000 USD | [\"f1\", \"f2\"]/2",
            "colonial | 2021-06 | 1 | 11000000 USD | 11000000 USD | [\"f3\"]/1",
            "jbs | 2021-06 | 1 | 11000000 USD | 11000000 USD | [\"f3\"]/1",
        ])
    }

    @Test func aRetractionLeavesEveryGroupAndACorrectionMovesTheFactAndItsAmount() throws {
        let definition = try parse("""
            name: by-actor
            group-by: actor
            measures: [count, {sum: ransom}, {min: ransom}, first, last]
            """)
        var events = [
            definitionEvent(definition), try article("a1", publisher: "Reuters"),
            try assertion("f1", article: "a1", when: "2021-05-07", actors: [("colonial", .payer), ("darkside", .recipient)],
                          quantities: [("ransom", "5000000", "USD", false)]),
            try assertion("f2", article: "a1", when: "2021-05-20", actors: [("colonial", .payer)], quantities: [("ransom", "2", "USD", false)]),
            try assertion("f3", article: "a1", when: "2021-06", actors: [("darkside", .recipient)], quantities: [("ransom", "7", "USD", false)]),
        ]
        let before = try store(events, in: directory, name: "before").declaredResult("by-actor")
        #expect(shown(before) == [
            "colonial | 2 | 5000002 USD | 2 USD | 2021-05-07 | 2021-05-20",
            "darkside | 2 | 5000007 USD | 7 USD | 2021-05-07 | 2021-06-30",
        ])
        var amount = FactFields()
        amount.quantities = [Quantity(name: "ransom", value: try ExactDecimal(parsing: "4400000"), unit: .currency("USD"), isApproximate: false)]
        var moved = FactFields()
        moved.actors = [ActorInvolvement(actor: "jbs", role: .payer)]
        events += [correction("f1", article: "a1", amount), correction("f2", article: "a1", moved), retraction("f3", article: "a1")]
        let after = try store(events, in: directory, name: "after").declaredResult("by-actor")
        #expect(shown(after) == [
            "colonial | 1 | 4400000 USD | 4400000 USD | 2021-05-07 | 2021-05-07",
            "darkside | 1 | 4400000 USD | 4400000 USD | 2021-05-07 | 2021-05-07",
            "jbs | 1 | 2 USD | 2 USD | 2021-05-20 | 2021-05-20",
        ])
        // The same as of the position before the corrections, rebuilt from that prefix.
        let full = try TimelineStore(path: directory.appending("after"))
        #expect(shown(try full.declaredResult("by-actor", asOf: .position(5))) == shown(before))
    }

    @Test func durationsAddUpInOneUnitAndMeansAreRoundedVisibly() throws {
        let definition = try parse("""
            name: talks
            filter: {kinds: [talks], has-quantity: duration}
            group-by: [place, quarter]
            measures: [count, {sum: duration}, {mean: duration}, {mean: duration, unit: min}, {sum: duration, unit: s}, {min: duration}, {max: duration}]
            """)
        let events = [
            definitionEvent(definition), try article("a1", publisher: "Reuters"),
            try assertion("t1", article: "a1", kind: .talks, when: "2021-06-16", quantities: [("duration", "3.5", "h", false)], place: "Geneva"),
            try assertion("t2", article: "a1", kind: .talks, when: "2021-06-17", quantities: [("duration", "210", "min", true)], place: "Geneva"),
            try assertion("t3", article: "a1", kind: .talks, when: "2021-06-18", quantities: [("duration", "100", "s", false)], place: "Geneva"),
            try assertion("t4", article: "a1", kind: .talks, when: "2021-01-01", quantities: [("duration", "1", "d", false)]),
            try assertion("t5", article: "a1", kind: .talks, when: "2021-01-02"),
        ]
        let result = try store(events, in: directory, name: "s").declaredResult("talks")
        #expect(shown(result) == [
            "- | 2021-Q1 | 1 | 24 h | 24 h | 1440 min | 86400 s | 24 h | 24 h",
            // 3.5 h exact and ~210 min are the same largest value: one exact value pins it.
            "Geneva | 2021-Q2 | 3 | ~7.027778 h | ~2.342593 h | ~140.555556 min | ~25300 s | ~0.027778 h | 3.5 h",
        ])
    }

    @Test func periodsAreLabelledByTheBucketHoldingTheStart() throws {
        func label(_ date: String, _ bucket: DeclaredDefinition.PeriodBucket) throws -> String {
            PeriodLabel.label(of: try ValidTime(parsing: date).start, in: bucket)
        }
        #expect(try label("2021-01-01", .week) == "2020-W53")
        #expect(try label("2021-01-04", .week) == "2021-W01")
        #expect(try label("2024-12-30", .week) == "2025-W01")
        #expect(try label("2021-06-16", .week) == "2021-W24")
        #expect(try label("2021-05", .quarter) == "2021-Q2")
        #expect(try label("2021-12-31T23:59Z", .day) == "2021-12-31")
        #expect(try label("0001-01-01", .year) == "0001")
        #expect(try label("../2021-06", .month) == "")
    }

    @Test func grouppingByPublisherPutsAFactUnderEachOfItsSourcesPublishers() throws {
        let definition = try parse("""
            name: by-publisher
            filter: {publishers: [Reuters, AP]}
            group-by: [publisher, kind]
            measures: [count, {facts: 1}]
            """)
        let events = [
            definitionEvent(definition), try article("a1", publisher: "Reuters"), try article("a2", publisher: "AP"), try article("a3", publisher: "BBC"),
            try assertion("f1", article: "a1"), try assertion("f1", article: "a2"), try assertion("f1", article: "a3"),
            try assertion("f2", article: "a3"), try assertion("f3", article: "a1", kind: .talks),
        ]
        let result = try store(events, in: directory, name: "s").declaredResult("by-publisher")
        #expect(shown(result) == [
            "AP | ransom-payment | 1 | [\"f1\"]/1",
            "Reuters | ransom-payment | 1 | [\"f1\"]/1",
            "Reuters | talks | 1 | [\"f3\"]/1",
        ])
    }

    @Test func aDefinitionRoundTripsThroughItsCanonicalForm() throws {
        let definition = try parse("""
            name: every-field
            description: "Every field: once"
            filter:
              kinds: [talks, summit]
              actors: [joe-biden]
              roles: speaker
              period: 2021-05/2021-06
              publishers: [Reuters]
              has-quantity: [duration]
            group-by: [actor, role, kind, place, publisher, article, week]
            measures: [count, {sum: duration, unit: min}, {min: duration}, {max: duration}, {mean: duration, unit: h}, first, last, {facts: 3}]
            """)
        let stored = try ProjectionFile.storedDefinition(definition.canonicalJSON, name: "every-field").get()
        #expect(stored == definition)
        #expect(stored.canonicalJSON == definition.canonicalJSON)
        #expect(definition.measures[4].unit == nil, "hours are the default unit, so saying so changes nothing")
        #expect(definition.measures.last?.limit == 3)
        #expect(try parse("name: x\ngroup-by: kind\nmeasures: [facts]").canonicalJSON == parse("name: x\ngroup-by: [kind]\nmeasures: [{facts: 10}]").canonicalJSON)
    }

    /// The oracle: a random definition over a random log, asked as of every position, equals
    /// the same projection of a store holding only events 1…p, and an independent naive model
    /// of it computed from the merged facts.
    @Test(.timeLimit(.minutes(3)), arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func asOfEveryPositionEqualsAStoreOfThatPrefixAndTheModel(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed &* 7919)
        let definition = Self.randomDefinition(&random)
        let log = try RandomLog(seed: seed, length: 60)
        let events = [definitionEvent(definition)] + log.events
        let full = try store(events, in: directory, name: "full")
        for position in 1...events.count {
            let prefix = try store(Array(events.prefix(position)), in: directory, name: "prefix-\(position)", perBatch: 5)
            let asOf = try full.declaredResult(definition.name, asOf: .position(UInt64(position)))
            let rebuilt = try prefix.declaredResult(definition.name)
            let model = try DeclaredModel(definition, events: Array(events.prefix(position)))
            #expect(asOf.rows == rebuilt.rows, "seed \(seed), position \(position), \(definition.canonicalJSON)")
            #expect(asOf.rows == model.rows, "seed \(seed), position \(position), \(definition.canonicalJSON)")
            if asOf.rows != rebuilt.rows || asOf.rows != model.rows { return }
        }
        // Caught up event by event, the live state is the rebuild's, entry for entry.
        for comparison in try full.projections.compareWithRebuild([definition.name]) {
            #expect(comparison.isIdentical, "seed \(seed): \(comparison.difference ?? "")")
        }
    }

    static func randomDefinition(_ random: inout SeededGenerator) -> DeclaredDefinition {
        var filter = DeclaredDefinition.Filter()
        // Each filter now and then, so that most definitions keep a good share of the facts.
        if Int.random(in: 0..<3, using: &random) == 0 { filter.kinds = Array(FactKind.allCases.shuffled(using: &random).prefix(9)) }
        if Int.random(in: 0..<4, using: &random) == 0 { filter.actors = ["biden", "putin", "colonial"].shuffled(using: &random).dropLast() }
        if Int.random(in: 0..<4, using: &random) == 0 { filter.roles = Array(ActorRole.allCases.shuffled(using: &random).prefix(6)) }
        if Int.random(in: 0..<5, using: &random) == 0 { filter.period = try? ValidTime(parsing: "2021-05/2021-06") }
        if Int.random(in: 0..<5, using: &random) == 0 { filter.publishers = ["P1"] }
        if Int.random(in: 0..<5, using: &random) == 0 { filter.hasQuantities = ["duration"] }
        let dimensions: [DeclaredDefinition.Dimension] = [.actor, .role, .kind, .place, .publisher, .article, .period(.month), .period(.week)]
        var groupBy = Array(dimensions.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
        if groupBy.contains(.period(.month)) { groupBy.removeAll { $0 == .period(.week) } }
        var measures: [DeclaredDefinition.Measure] = [.init(.count)]
        for quantity in ["ransom", "duration"] where Bool.random(using: &random) {
            for kind in [DeclaredDefinition.Measure.Kind.sum, .min, .max, .mean] where Bool.random(using: &random) {
                measures.append(.init(kind, quantity: quantity, unit: Bool.random(using: &random) ? .minutes : nil))
            }
        }
        if Bool.random(using: &random) { measures.append(.init(.first)) }
        if Bool.random(using: &random) { measures.append(.init(.last)) }
        if Bool.random(using: &random) { measures.append(.init(.facts, limit: Int.random(in: 1...3, using: &random))) }
        return DeclaredDefinition(name: "random", filter: filter, groupBy: groupBy, measures: measures)
    }
}

/// A declared projection computed the naive way: merge every fact from scratch, filter, group
/// by a dictionary, and total each group afresh.
private struct DeclaredModel {
    let rows: [DeclaredRow]

    init(_ definition: DeclaredDefinition, events: [NewEvent]) throws {
        var facts: [String: ModelFact] = [:]
        var order: [String] = []
        var publishers: [String: String] = [:]
        for (index, event) in events.enumerated() {
            let position = UInt64(index + 1)
            let factEvent: FactEvent
            switch event.type {
            case "article.recorded":
                let article = try event.payload.withUnsafeBytes { try ArticleRecord(payload: $0) }
                publishers[article.id] = article.publisher
                continue
            case "fact.asserted": factEvent = .asserted(try event.payload.withUnsafeBytes { try FactAssertion(payload: $0) })
            case "fact.corrected": factEvent = .corrected(try event.payload.withUnsafeBytes { try FactCorrection(payload: $0) })
            case "fact.retracted": factEvent = .retracted(try event.payload.withUnsafeBytes { try FactRetraction(payload: $0) })
            default: continue
            }
            if facts[factEvent.fact] == nil { order.append(factEvent.fact) }
            var fact = facts[factEvent.fact] ?? ModelFact(id: factEvent.fact)
            fact.apply(factEvent, at: position)
            facts[factEvent.fact] = fact
        }
        let filter = definition.filter
        var groups: [[UInt8]: [ModelFact]] = [:]
        for id in order {
            guard let fact = facts[id], !fact.isRetracted else { continue }
            if !filter.kinds.isEmpty && !filter.kinds.contains(fact.kind) { continue }
            if let period = filter.period, !fact.when.overlaps(period) { continue }
            if !filter.hasQuantities.allSatisfy({ name in fact.quantities.contains { $0.name == name } }) { continue }
            let involvements = fact.actors.filter { (filter.actors.isEmpty || filter.actors.contains($0.actor)) && (filter.roles.isEmpty || filter.roles.contains($0.role)) }
            if (!filter.actors.isEmpty || !filter.roles.isEmpty) && involvements.isEmpty { continue }
            var articles: [String] = []
            for source in fact.sources where !articles.contains(source.assertion.article) { articles.append(source.assertion.article) }
            let sources = articles.filter { filter.publishers.isEmpty || filter.publishers.contains(publishers[$0] ?? "") }
            if !filter.publishers.isEmpty && sources.isEmpty { continue }
            var keys: Set<[UInt8]> = []
            for involvement in involvements.isEmpty ? [nil] : involvements.map(Optional.some) {
                for article in sources.isEmpty ? [nil] : sources.map(Optional.some) {
                    var key: [UInt8] = []
                    for dimension in definition.groupBy {
                        let value: String = switch dimension {
                        case .actor: involvement?.actor ?? ""
                        case .role: involvement?.role.rawValue ?? ""
                        case .kind: fact.kind.rawValue
                        case .place: fact.place ?? ""
                        case .publisher: article.flatMap { publishers[$0] } ?? ""
                        case .article: article ?? ""
                        case .period(let bucket): PeriodLabel.label(of: fact.when.start, in: bucket)
                        }
                        key += Array(value.utf8) + [0]
                    }
                    keys.insert(key)
                }
            }
            for key in keys { groups[key, default: []].append(fact) }
        }
        rows = groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
            let members = groups[key] ?? []
            let group = key.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) }
            let values = definition.measures.map { measure -> MeasureValue in
                switch measure.kind {
                case .count: return .count(members.count)
                case .first:
                    let start = members.map(\.when.start).min() ?? .max
                    return .date(start == .min ? nil : DeclaredProjection.dateText(start))
                case .last:
                    let end = members.map(\.when.end).max() ?? .min
                    return .date(end == .max ? nil : DeclaredProjection.dateText(before: end))
                case .facts:
                    let ids = members.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                    return .facts(ids: Array(ids.prefix(measure.limit ?? 10)), total: members.count)
                case .sum, .min, .max, .mean:
                    var byDimension: [(dimension: String, values: [(ScaledDecimal, Bool)])] = []
                    for fact in members {
                        guard let quantity = fact.quantities.first(where: { $0.name == measure.quantity }) else { continue }
                        let measured = quantity.measured
                        if let index = byDimension.firstIndex(where: { $0.dimension == measured.dimension }) {
                            byDimension[index].values.append((measured.value, quantity.isApproximate))
                        } else {
                            byDimension.append((measured.dimension, [(measured.value, quantity.isApproximate)]))
                        }
                    }
                    return .amounts(byDimension.sorted { $0.dimension < $1.dimension }.map { Self.amount($0.dimension, $0.values, measure: measure) })
                }
            }
            return DeclaredRow(group: group, values: values)
        }
    }

    static func amount(_ dimension: String, _ values: [(ScaledDecimal, Bool)], measure: DeclaredDefinition.Measure) -> Amount {
        let sum = values.reduce(ScaledDecimal.zero) { $0.adding($1.0) }
        let value: ScaledDecimal = switch measure.kind {
        case .sum, .mean: sum
        case .min: values.map(\.0).min { ScaledDecimal.compare($0, $1) < 0 } ?? .zero
        default: values.map(\.0).max { ScaledDecimal.compare($0, $1) < 0 } ?? .zero
        }
        var divisor = Int128(measure.kind == .mean ? values.count : 1)
        var unit = String(dimension.drop { $0 != ":" }.dropFirst())
        if dimension == "time" {
            let shown = measure.unit ?? .hours
            unit = shown.rawValue
            divisor *= Int128(shown.factor ?? 1)
        }
        let (quotient, exact) = value.divided(by: divisor, fractionDigits: 6)
        // A minimum or maximum is approximate when every value equal to it is.
        let approximate = measure.kind == .min || measure.kind == .max
            ? values.filter { ScaledDecimal.compare($0.0, value) == 0 }.allSatisfy(\.1) : values.contains { $0.1 }
        return Amount(value: quotient.description, unit: unit, isApproximate: approximate, isRounded: !exact, count: values.count)
    }
}
