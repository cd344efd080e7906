@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import AnnalsTimelineProjections

/// Random but valid domain logs for property tests: a few articles, actors and facts, with
/// assertions, second sources, corrections, retractions and aliases in random order. Every
/// log is reproducible from its seed.
struct RandomLog {
    let seed: UInt64
    private(set) var events: [NewEvent] = []

    init(seed: UInt64, length: Int) throws {
        self.seed = seed
        var random = SeededGenerator(seed: seed)
        let actors = ["biden", "putin", "colonial", "hackers", "russia"]
        let dates = ["2021", "2021-05", "2021-05-06", "2021-05-07", "2021-06-16", "2021-05-07/2021-05-12", "2021-05/..", "../2021-06-16",
                     "2021-06-16T14:00Z", "2021-05~", "2020-12"]
        var named: [String] = []
        var asserted: [String] = []
        var assertedFacts: Set<String> = []
        var assertedBy: Set<String> = []
        var corrected: Set<String> = []
        var retracted: Set<String> = []
        var aliases = 0
        for article in 0..<4 {
            events.append(NewEvent(id: DomainEventID.article("a\(article)"), type: "article.recorded",
                                   payload: ArticleRecord(id: "a\(article)", title: "Article \(article)", publisher: "P\(article % 2)", published: try ValidTime(parsing: "2021-06"),
                                                          url: nil, contentHash: Array(repeating: 0, count: 32), text: "text").encoded()))
        }
        while events.count < length {
            switch Int.random(in: 0..<10, using: &random) {
            case 0 where named.count < actors.count:
                let actor = actors[named.count]
                named.append(actor)
                events.append(NewEvent(id: DomainEventID.actor(actor), type: "actor.named",
                                       payload: ActorNaming(actor: actor, name: actor.capitalized, kind: .person).encoded()))
            case 1 where !named.isEmpty:
                let actor = named.randomElement(using: &random) ?? "biden"
                aliases += 1
                events.append(NewEvent(id: DomainEventID.alias(actor: actor, alias: "alias \(aliases)"), type: "actor.aliased",
                                       payload: ActorAliasing(actor: actor, alias: "alias \(aliases)").encoded()))
            case 2...5:
                // A new fact, or a further source for a known one.
                let fact = asserted.isEmpty || Bool.random(using: &random) ? "f\(asserted.count)" : asserted.randomElement(using: &random) ?? "f0"
                let article = "a\(Int.random(in: 0..<4, using: &random))"
                guard assertedBy.insert("\(article)/\(fact)").inserted else { continue }
                if assertedFacts.insert(fact).inserted { asserted.append(fact) }
                let involved = named.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random))
                    .map { ActorInvolvement(actor: $0, role: ActorRole.allCases.randomElement(using: &random) ?? .subject) }
                let assertion = FactAssertion(
                    article: article, fact: fact, kind: FactKind.allCases.randomElement(using: &random) ?? .other,
                    when: try ValidTime(parsing: dates.randomElement(using: &random) ?? "2021"),
                    said: Bool.random(using: &random) ? "on Wednesday" : nil, summary: "\(fact) by \(article)",
                    actors: involved, quantities: Self.randomQuantities(&random),
                    place: Bool.random(using: &random) ? "Geneva" : nil, quote: "text")
                events.append(NewEvent(id: DomainEventID.assertion(article: article, fact: fact), type: "fact.asserted", payload: assertion.encoded()))
            case 6, 7:
                guard let fact = asserted.randomElement(using: &random) else { continue }
                let article = "a\(Int.random(in: 0..<4, using: &random))"
                guard corrected.insert("\(article)/\(fact)").inserted else { continue }
                var fields = FactFields()
                if Bool.random(using: &random) { fields.when = try ValidTime(parsing: dates.randomElement(using: &random) ?? "2021") }
                if Bool.random(using: &random) { fields.kind = FactKind.allCases.randomElement(using: &random) }
                if Int.random(in: 0..<4, using: &random) == 0 { fields.said = "that week" }
                if Int.random(in: 0..<4, using: &random) == 0 { fields.summary = "\(fact) as corrected by \(article)" }
                if Int.random(in: 0..<4, using: &random) == 0 { fields.quantities = Self.randomQuantities(&random) }
                if Int.random(in: 0..<4, using: &random) == 0 { fields.place = "Villa La Grange in Geneva" }
                if fields.isEmpty || Bool.random(using: &random) {
                    fields.actors = named.prefix(1).map { ActorInvolvement(actor: $0, role: .mentioned) }
                }
                events.append(NewEvent(id: DomainEventID.correction(article: article, fact: fact), type: "fact.corrected",
                                       payload: FactCorrection(article: article, fact: fact, fields: fields, reason: "r",
                                                              quote: Bool.random(using: &random) ? "text" : nil).encoded()))
            case 8:
                guard let fact = asserted.randomElement(using: &random), retracted.insert(fact).inserted else { continue }
                events.append(NewEvent(id: DomainEventID.retraction(article: "a3", fact: fact), type: "fact.retracted",
                                       payload: FactRetraction(article: "a3", fact: fact, reason: "withdrawn", quote: nil).encoded()))
            default:
                continue
            }
        }
    }

    /// None to three quantities, of every kind of unit, some approximate.
    static func randomQuantities(_ random: inout SeededGenerator) -> [Quantity] {
        let candidates: [(String, String, String)] = [
            ("ransom", "5000000", "USD"), ("ransom", "4.4e6", "EUR"), ("payment", "63.7", "BTC"), ("duration", "3.5", "h"),
            ("duration", "210", "min"), ("sectors", "16", "sectors"), ("change", "-0.25", "people"),
        ]
        var quantities: [Quantity] = []
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            guard let (name, value, unit) = candidates.randomElement(using: &random), !quantities.contains(where: { $0.name == name }),
                  let decimal = try? ExactDecimal(parsing: value), case .success(let parsedUnit) = QuantityUnit.parse(unit)
            else { continue }
            quantities.append(Quantity(name: name, value: decimal, unit: parsedUnit, isApproximate: Bool.random(using: &random)))
        }
        return quantities
    }

    /// A store holding the first `count` events, appended `perBatch` at a time.
    func store(in directory: TemporaryDirectory, name: String, count: Int? = nil, perBatch: Int = 7, catchUpEachBatch: Bool = false) throws -> TimelineStore {
        var options = TimelineStore.Options()
        options.durability = .bulk
        let store = try TimelineStore(path: directory.appending(name), options: options)
        let prefix = Array(events.prefix(count ?? events.count))
        for start in stride(from: 0, to: prefix.count, by: perBatch) {
            try store.log.append(Array(prefix[start..<min(start + perBatch, prefix.count)]))
            if catchUpEachBatch { try store.catchUp() }
        }
        try store.catchUp()
        return store
    }
}

extension RandomLog {
    /// Every name the whole log records: actor ids, display names and aliases.
    var allNames: [String] {
        events.flatMap { event -> [String] in
            if event.type == "actor.named", let naming = try? event.payload.withUnsafeBytes({ try ActorNaming(payload: $0) }) {
                return [naming.actor, naming.name]
            }
            if event.type == "actor.aliased", let aliasing = try? event.payload.withUnsafeBytes({ try ActorAliasing(payload: $0) }) {
                return [aliasing.alias, aliasing.alias.uppercased()]
            }
            return []
        }
    }
}

extension String {
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}

/// Everything a store answers about its timelines and actors, for comparing two stores.
struct Answers: Equatable {
    let timeline: [String]
    let actorTimelines: [String: [String]]
    let facts: [String: String]
    /// What each name (every actor id, display name and alias the whole log ever records) resolves to.
    let names: [String: String]
    /// The actor directory.
    let directory: [String]

    init(_ store: TimelineStore, asOf: UInt64?, factIDs: [String], actorIDs: [String], names allNames: [String] = []) throws {
        let at = asOf.map { AsOf.position($0) }
        func describe(_ entry: TimelineEntry) -> String {
            let view = entry.view
            return "\(view.id)@\(entry.version) \(view.kind) \(view.when) \(view.actors.map { "\($0.actor):\($0.role)" }) sources=\(view.sources.count) roles=\(entry.roles)"
        }
        timeline = try store.timeline(TimelineQuery(asOf: at, limit: 10_000)).entries.map(describe)
        var actorTimelines: [String: [String]] = [:]
        for actor in actorIDs where try store.actor(named: actor) != nil {
            actorTimelines[actor] = try store.timeline(TimelineQuery(actor: actor, asOf: at, limit: 10_000)).entries.map(describe)
        }
        self.actorTimelines = actorTimelines
        var facts: [String: String] = [:]
        for fact in factIDs {
            let version = try? store.fact(fact, asOf: at)
            facts[fact] = version.flatMap { $0 }.map { "\($0.position) \($0.view.when) retracted=\($0.view.isRetracted) \($0.view.sources.count)" } ?? "none"
        }
        self.facts = facts
        var names: [String: String] = [:]
        for name in allNames {
            names[name] = try store.actor(named: name, asOf: at).map(Self.describe) ?? "unknown"
        }
        self.names = names
        directory = try store.actors(asOf: at).map(Self.describe)
    }

    static func describe(_ actor: ActorRecord) -> String {
        "\(actor.id) \(actor.name) \(actor.kind) aliases=\(actor.aliases) facts=\(actor.liveFacts) @\(actor.position)"
    }
}

/// An independent model of the actor directory: fold the first `count` events' namings and aliases.
struct ActorModel {
    let names: [String: String]
    let directory: [String]

    init(_ events: [NewEvent], through count: Int, names allNames: [String], liveFacts: [String: Int]) throws {
        var records: [(id: String, name: String, kind: ActorKind, aliases: [String], position: UInt64)] = []
        for (index, event) in events.prefix(count).enumerated() {
            if event.type == "actor.named" {
                let naming = try event.payload.withUnsafeBytes { try ActorNaming(payload: $0) }
                guard !records.contains(where: { $0.id == naming.actor }) else { continue }
                records.append((naming.actor, naming.name, naming.kind, [], UInt64(index + 1)))
            } else if event.type == "actor.aliased" {
                let aliasing = try event.payload.withUnsafeBytes { try ActorAliasing(payload: $0) }
                guard let found = records.firstIndex(where: { $0.id == aliasing.actor }),
                      !records[found].aliases.contains(aliasing.alias), records[found].name != aliasing.alias
                else { continue }
                records[found].aliases.append(aliasing.alias)
            }
        }
        func describe(_ record: (id: String, name: String, kind: ActorKind, aliases: [String], position: UInt64)) -> String {
            "\(record.id) \(record.name) \(record.kind) aliases=\(record.aliases) facts=\(liveFacts[record.id] ?? 0) @\(record.position)"
        }
        var names: [String: String] = [:]
        for name in allNames {
            let key = ActorName.key(name)
            let owner = records.first { record in ([record.id, record.name] + record.aliases).contains { ActorName.key($0) == key } }
            names[name] = owner.map(describe) ?? "unknown"
        }
        self.names = names
        directory = records.sorted { $0.id < $1.id }.map(describe)
    }
}

/// An independent model of what a timeline should show: fold the first `count` events into
/// fact views by hand, drop retracted ones, and sort by the documented order.
struct ReferenceModel {
    let timeline: [String]
    let actorTimelines: [String: [String]]
    /// How many live facts involve each actor.
    let liveFacts: [String: Int]

    init(_ events: [NewEvent], through count: Int, actorIDs: [String]) throws {
        var views: [String: ModelFact] = [:]
        for (index, event) in events.prefix(count).enumerated() {
            let position = UInt64(index + 1)
            let factEvent: FactEvent
            switch event.type {
            case "fact.asserted": factEvent = .asserted(try event.payload.withUnsafeBytes { try FactAssertion(payload: $0) })
            case "fact.corrected": factEvent = .corrected(try event.payload.withUnsafeBytes { try FactCorrection(payload: $0) })
            case "fact.retracted": factEvent = .retracted(try event.payload.withUnsafeBytes { try FactRetraction(payload: $0) })
            default: continue
            }
            var view = views[factEvent.fact] ?? ModelFact(id: factEvent.fact)
            view.apply(factEvent, at: position)
            views[factEvent.fact] = view
        }
        let live = views.values.filter { !$0.isRetracted }.sorted { a, b in
            if a.when.start != b.when.start { return a.when.start < b.when.start }
            if a.when.end != b.when.end { return a.when.end > b.when.end }
            return a.firstPosition < b.firstPosition
        }
        func describe(_ view: ModelFact, roles: [ActorRole]) -> String {
            "\(view.id)@\(view.lastPosition) \(view.kind) \(view.when) \(view.actors.map { "\($0.actor):\($0.role)" }) sources=\(view.sources.count) roles=\(roles)"
        }
        timeline = live.map { describe($0, roles: []) }
        var actorTimelines: [String: [String]] = [:]
        for actor in actorIDs {
            actorTimelines[actor] = live.filter { $0.actors.contains { $0.actor == actor } }.map { view in
                let roles = Set(view.actors.filter { $0.actor == actor }.map(\.role))
                return describe(view, roles: ActorRole.allCases.filter(roles.contains))
            }
        }
        self.actorTimelines = actorTimelines
        var liveFacts: [String: Int] = [:]
        for view in live {
            for actor in Set(view.actors.map(\.actor)) { liveFacts[actor, default: 0] += 1 }
        }
        self.liveFacts = liveFacts
    }
}
