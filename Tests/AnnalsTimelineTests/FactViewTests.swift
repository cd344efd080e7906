@testable import AnnalsDomain
import AnnalsLog
@testable import AnnalsTimeline
import Testing

func assertion(_ article: String, _ fact: String = "attack", kind: FactKind = .attack, when: String, said: String? = nil,
               actors: [ActorInvolvement] = [], quantities: [Quantity] = [], place: String? = nil, quote: String = "q") throws -> FactAssertion {
    FactAssertion(article: article, fact: fact, kind: kind, when: try ValidTime(parsing: when), said: said, summary: "\(fact) per \(article)",
                  actors: actors, quantities: quantities, place: place, quote: quote)
}

/// A fact's view after folding `events` (at positions 1, 2, … unless given) into its row.
struct Folded {
    private(set) var row: FactRow?
    private(set) var events: [(position: UInt64, event: FactEvent)] = []

    init(id: String) {}

    mutating func apply(_ assertion: FactAssertion, at position: UInt64) { apply(.asserted(assertion), at: position) }
    mutating func apply(_ correction: FactCorrection, at position: UInt64) { apply(.corrected(correction), at: position) }
    mutating func apply(_ retraction: FactRetraction, at position: UInt64) { apply(.retracted(retraction), at: position) }

    mutating func apply(_ event: FactEvent, at position: UInt64) {
        let recorded = Timestamp(microsecondsSinceEpoch: Int64(position))
        switch (event, row) {
        case (.asserted(let assertion), nil): row = FactRow(asserted: assertion, at: position, recordedAt: recorded)
        case (.asserted(let assertion), _): row?.add(assertion, at: position, recordedAt: recorded)
        case (.corrected(let correction), _): row?.apply(correction, at: position, recordedAt: recorded)
        case (.retracted(let retraction), _): row?.apply(retraction, at: position, recordedAt: recorded)
        }
        events.append((position, event))
    }

    var view: FactView {
        guard let row else { preconditionFailure("no assertion folded yet") }
        return FactView(row: row, events: events)
    }
}

/// The merge rules of docs/QUERIES.md, as the fact rows fold them and the views show them.
@Suite struct FactViewTests {
    @Test func aMorePreciseSourceSharpensTheDateAndIsFlaggedAsARefinement() throws {
        var fact = Folded(id: "attack")
        fact.apply(try assertion("reuters", when: "2021-05", said: "in May"), at: 17)
        #expect(fact.view.when.description == "2021-05")
        #expect(fact.view.conflicts.isEmpty)
        fact.apply(try assertion("cryptonews", when: "2021-05-06", said: "on May 6"), at: 46)
        #expect(fact.view.when.description == "2021-05-06")
        #expect(fact.view.said == "on May 6")
        #expect(fact.view.sources.map(\.assertion.article) == ["reuters", "cryptonews"])
        #expect(fact.view.conflicts == [.init(field: "when", kind: .refinement, values: [.init(article: "reuters", value: "2021-05"), .init(article: "cryptonews", value: "2021-05-06")])])
        #expect(fact.view.firstPosition == 17)
        #expect(fact.view.lastPosition == 46)
    }

    @Test func disjointDatesContradict() throws {
        var fact = Folded(id: "attack")
        fact.apply(try assertion("a", when: "2021-05-06"), at: 1)
        fact.apply(try assertion("b", when: "2021-05-07"), at: 2)
        #expect(fact.view.when.description == "2021-05-06")  // equally precise: the earlier source stands
        #expect(fact.view.conflicts.map(\.kind) == [.contradiction])
    }

    @Test func quantitiesKindsAndPlacesThatDifferAreFlagged() throws {
        let five = Quantity(name: "ransom", value: try ExactDecimal(parsing: "5000000"), unit: .currency("USD"), isApproximate: true)
        let four = Quantity(name: "ransom", value: try ExactDecimal(parsing: "4400000"), unit: .currency("USD"), isApproximate: false)
        var fact = Folded(id: "ransom")
        fact.apply(try assertion("a", "ransom", kind: .ransomPayment, when: "2021-05", quantities: [five], place: "Geneva"), at: 1)
        fact.apply(try assertion("b", "ransom", kind: .report, when: "2021-05", quantities: [four], place: "Villa La Grange, Geneva"), at: 2)
        #expect(fact.view.kind == .ransomPayment)
        #expect(fact.view.quantities == [five])
        #expect(fact.view.conflicts.map(\.field) == ["kind", "quantities.ransom", "place"])
        #expect(fact.view.conflicts.map(\.kind) == [.contradiction, .contradiction, .refinement])
    }

    /// Two sources' values of one quantity: the conflict they make (nil: none) and the value the merged fact shows.
    @Test(arguments: [
        ("2 h", "120 min", nil, "2 h"),
        ("3.5 h", "210 min", nil, "3.5 h"),
        ("1 wk", "7 d", nil, "1 wk"),
        ("12 mo", "1 yr", nil, "12 mo"),
        ("~5000000 USD", "5000000.00 USD", "refinement", "5000000 USD"),
        ("5000000 USD", "~5000000 USD", "refinement", "5000000 USD"),
        ("~5000000 USD", "5200000 USD", "refinement", "5200000 USD"),
        ("~5000000 USD", "4400000 USD", "contradiction", "~5000000 USD"),
        ("~5000000 USD", "~4400000 USD", "contradiction", "~5000000 USD"),
        ("~5000000 USD", "~5.4e6 USD", "refinement", "~5400000 USD"),
        ("~3.5 h", "3.52 h", "refinement", "3.52 h"),
        ("~3.5 h", "4 h", "contradiction", "~3.5 h"),
        ("~2 h", "125 min", "refinement", "125 min"),
        ("5000000 USD", "5000000 EUR", "contradiction", "5000000 USD"),
        ("2 h", "2 d", "contradiction", "2 h"),
        ("1 mo", "30 d", "contradiction", "1 mo"),
        ("16 sectors", "16 sectors", nil, "16 sectors"),
        ("-0.25 people", "-0.250 people", nil, "-0.25 people"),
        ("~0 people", "0.4 people", "refinement", "0.4 people"),
        ("~1 BTC", "1e-20 BTC", "contradiction", "~1 BTC"),
        ("123456789012345678 USD", "1.23456789012345678e17 USD", nil, "123456789012345678 USD"),
        ("~1e30 USD", "999999999999999999e12 USD", "refinement", "999999999999999999000000000000 USD"),
    ])
    func quantitiesCompareByValueInOneUnit(_ first: String, _ second: String, _ conflict: String?, _ merged: String) throws {
        func quantity(_ text: String) throws -> Quantity {
            let approximate = text.hasPrefix("~")
            let parts = text.drop { $0 == "~" }.split(separator: " ")
            guard case .success(let unit) = QuantityUnit.parse(String(parts[1])) else { throw PayloadError.truncated }
            return Quantity(name: "amount", value: try ExactDecimal(parsing: String(parts[0])), unit: unit, isApproximate: approximate)
        }
        var fact = Folded(id: "ransom")
        fact.apply(try assertion("a", "ransom", when: "2021-05", quantities: [try quantity(first)]), at: 1)
        fact.apply(try assertion("b", "ransom", when: "2021-05", quantities: [try quantity(second)]), at: 2)
        #expect(fact.view.conflicts.map(\.kind.rawValue) == (conflict.map { [$0] } ?? []), "\(first) and \(second)")
        #expect(fact.view.quantities.map(\.display) == [merged], "\(first) and \(second)")
    }

    @Test func correctionsReplaceNamedFieldsAndRetractionWithdraws() throws {
        var fact = Folded(id: "attack")
        fact.apply(try assertion("a", when: "2021-05", actors: [ActorInvolvement(actor: "colonial", role: .target)]), at: 1)
        fact.apply(FactCorrection(article: "b", fact: "attack", fields: FactFields(when: try ValidTime(parsing: "2021-05-07"), summary: "Corrected"),
                                  reason: "filing", quote: nil), at: 5)
        #expect(fact.view.when.description == "2021-05-07")
        #expect(fact.view.summary == "Corrected")
        #expect(fact.view.actors == [ActorInvolvement(actor: "colonial", role: .target)])
        // A later, vaguer source does not undo the correction.
        fact.apply(try assertion("c", when: "2021"), at: 9)
        #expect(fact.view.when.description == "2021-05-07")
        #expect(!fact.view.isRetracted)
        fact.apply(FactRetraction(article: "d", fact: "attack", reason: "withdrawn", quote: nil), at: 12)
        #expect(fact.view.isRetracted)
        #expect(fact.view.lastPosition == 12)
    }

    @Test func aRowSurvivesEncodingWithEverythingTheNextEventNeeds() throws {
        var fact = Folded(id: "attack")
        fact.apply(try assertion("a", when: "2021-05", quantities: [Quantity(name: "duration", value: try ExactDecimal(parsing: "3.5"), unit: .duration(.hours), isApproximate: false)]), at: 3)
        fact.apply(FactCorrection(article: "c", fact: "attack", fields: FactFields(kind: .dataTheft), reason: "r", quote: "q"), at: 6)
        fact.apply(try assertion("b", when: "2021-05-06", place: "U.S. Southeast"), at: 8)
        let row = try #require(fact.row)
        let decoded = try row.encoded().withUnsafeBytes { try FactRow(decoding: $0, firstPosition: 3, position: 8) }
        #expect(decoded == row)
        #expect(FactView(row: decoded, events: fact.events) == fact.view)
        #expect(fact.view.kind == .dataTheft)
        #expect(fact.view.lastPosition == 8)
    }
}
