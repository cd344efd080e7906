@testable import AnnalsTimeline
import Testing

func assertion(_ article: String, _ fact: String = "attack", kind: FactKind = .attack, when: String, said: String? = nil,
               actors: [ActorInvolvement] = [], quantities: [Quantity] = [], place: String? = nil, quote: String = "q") throws -> FactAssertion {
    FactAssertion(article: article, fact: fact, kind: kind, when: try ValidTime(parsing: when), said: said, summary: "\(fact) per \(article)",
                  actors: actors, quantities: quantities, place: place, quote: quote)
}

@Suite struct FactViewTests {
    @Test func aMorePreciseSourceSharpensTheDateAndIsFlaggedAsARefinement() throws {
        var view = FactView(id: "attack")
        view.apply(try assertion("reuters", when: "2021-05", said: "in May"), at: 17)
        #expect(view.when.description == "2021-05")
        #expect(view.conflicts.isEmpty)
        view.apply(try assertion("cryptonews", when: "2021-05-06", said: "on May 6"), at: 46)
        #expect(view.when.description == "2021-05-06")
        #expect(view.said == "on May 6")
        #expect(view.sources.map(\.assertion.article) == ["reuters", "cryptonews"])
        #expect(view.conflicts == [.init(field: "when", kind: .refinement, values: [.init(article: "reuters", value: "2021-05"), .init(article: "cryptonews", value: "2021-05-06")])])
        #expect(view.firstPosition == 17)
        #expect(view.lastPosition == 46)
    }

    @Test func disjointDatesContradict() throws {
        var view = FactView(id: "attack")
        view.apply(try assertion("a", when: "2021-05-06"), at: 1)
        view.apply(try assertion("b", when: "2021-05-07"), at: 2)
        #expect(view.when.description == "2021-05-06")  // equally precise: the earlier source stands
        #expect(view.conflicts.map(\.kind) == [.contradiction])
    }

    @Test func quantitiesKindsAndPlacesThatDifferAreFlagged() throws {
        let five = Quantity(name: "ransom", value: try ExactDecimal(parsing: "5000000"), unit: .currency("USD"), isApproximate: true)
        let four = Quantity(name: "ransom", value: try ExactDecimal(parsing: "4400000"), unit: .currency("USD"), isApproximate: false)
        var view = FactView(id: "ransom")
        view.apply(try assertion("a", "ransom", kind: .ransomPayment, when: "2021-05", quantities: [five], place: "Geneva"), at: 1)
        view.apply(try assertion("b", "ransom", kind: .report, when: "2021-05", quantities: [four], place: "Villa La Grange, Geneva"), at: 2)
        #expect(view.kind == .ransomPayment)
        #expect(view.quantities == [five])
        #expect(view.conflicts.map(\.field) == ["kind", "quantities.ransom", "place"])
        #expect(view.conflicts.map(\.kind) == [.contradiction, .contradiction, .refinement])
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
        var view = FactView(id: "ransom")
        view.apply(try assertion("a", "ransom", when: "2021-05", quantities: [try quantity(first)]), at: 1)
        view.apply(try assertion("b", "ransom", when: "2021-05", quantities: [try quantity(second)]), at: 2)
        #expect(view.conflicts.map(\.kind.rawValue) == (conflict.map { [$0] } ?? []), "\(first) and \(second)")
        #expect(view.quantities.map(\.display) == [merged], "\(first) and \(second)")
    }

    @Test func correctionsReplaceNamedFieldsAndRetractionWithdraws() throws {
        var view = FactView(id: "attack")
        view.apply(try assertion("a", when: "2021-05", actors: [ActorInvolvement(actor: "colonial", role: .target)]), at: 1)
        view.apply(FactCorrection(article: "b", fact: "attack", fields: FactFields(when: try ValidTime(parsing: "2021-05-07"), summary: "Corrected"),
                                  reason: "filing", quote: nil), at: 5)
        #expect(view.when.description == "2021-05-07")
        #expect(view.summary == "Corrected")
        #expect(view.actors == [ActorInvolvement(actor: "colonial", role: .target)])
        // A later, vaguer source does not undo the correction.
        view.apply(try assertion("c", when: "2021"), at: 9)
        #expect(view.when.description == "2021-05-07")
        #expect(!view.isRetracted)
        view.apply(FactRetraction(article: "d", fact: "attack", reason: "withdrawn", quote: nil), at: 12)
        #expect(view.isRetracted)
        #expect(view.lastPosition == 12)
    }

    @Test func encodingRoundTripsAndRecomputesTheMerge() throws {
        var view = FactView(id: "attack")
        view.apply(try assertion("a", when: "2021-05", quantities: [Quantity(name: "duration", value: try ExactDecimal(parsing: "3.5"), unit: .duration(.hours), isApproximate: false)]), at: 3)
        view.apply(try assertion("b", when: "2021-05-06", place: "U.S. Southeast"), at: 8)
        view.apply(FactCorrection(article: "c", fact: "attack", fields: FactFields(kind: .dataTheft), reason: "r", quote: "q"), at: 6)
        let bytes = view.encoded()
        let decoded = try bytes.withUnsafeBytes { try FactView(decoding: $0) }
        #expect(decoded == view)
        #expect(decoded.lastPosition == 8)
    }

    @Test func truncatedOrDamagedBytesAreAnErrorNotACrash() throws {
        var view = FactView(id: "attack")
        view.apply(try assertion("a", when: "2021-05"), at: 3)
        let bytes = view.encoded()
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            #expect(throws: PayloadError.self) { try prefix.withUnsafeBytes { try FactView(decoding: $0) } }
        }
    }
}
