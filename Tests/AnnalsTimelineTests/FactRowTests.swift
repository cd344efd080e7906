@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
import LMDB
@testable import AnnalsTimeline
import Testing

/// The fact row folds a fact's events one at a time; an independent model merges all of them
/// at once. Both must show the same fact after every event, and every row must survive encoding.
@Suite struct FactRowTests {
    private static let dates = ["2021", "2021-05", "2021-05-06", "2021-05-07", "2021-05~", "2021-05-06/2021-05-09", "2021-05/..",
                                "../2021-06-16", "2021-06-16T14:00Z", "2020-12", "2021-05-06?"]
    private static let places = ["Geneva", "Villa La Grange in Geneva", "geneva", "Moscow", "  Villa  La Grange in GENEVA "]
    private static let quantities: [(String, String, String, Bool)] = [
        ("ransom", "5000000", "USD", true), ("ransom", "5000000.00", "USD", false), ("ransom", "4.4e6", "USD", false),
        ("ransom", "5.2e6", "USD", false), ("ransom", "5e6", "EUR", false), ("ransom", "~1", "USD", false),
        ("duration", "3.5", "h", false), ("duration", "210", "min", false), ("duration", "3.5", "h", true), ("duration", "4", "h", false),
        ("duration", "2", "mo", false), ("sectors", "16", "sectors", false), ("sectors", "16", "sectors", true),
    ]

    private func randomAssertion(_ random: inout SeededGenerator, article: String) throws -> FactAssertion {
        var quantities: [Quantity] = []
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            guard let (name, value, unit, approximate) = Self.quantities.randomElement(using: &random), !quantities.contains(where: { $0.name == name }),
                  case .success(let parsedUnit) = QuantityUnit.parse(unit), let decimal = try? ExactDecimal(parsing: value.replacingTilde)
            else { continue }
            quantities.append(Quantity(name: name, value: decimal, unit: parsedUnit, isApproximate: approximate))
        }
        let actors = ["a", "b", "c"].shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random))
            .map { ActorInvolvement(actor: $0, role: ActorRole.allCases.randomElement(using: &random) ?? .subject) }
        return FactAssertion(
            article: article, fact: "fact", kind: [.attack, .attack, .report].randomElement(using: &random) ?? .attack,
            when: try ValidTime(parsing: Self.dates.randomElement(using: &random) ?? "2021"),
            said: Bool.random(using: &random) ? "said by \(article)" : nil, summary: "summary by \(article)", actors: Array(actors),
            quantities: quantities, place: Bool.random(using: &random) ? Self.places.randomElement(using: &random) : nil, quote: "q")
    }

    private func randomCorrection(_ random: inout SeededGenerator, article: String) throws -> FactCorrection {
        var fields = FactFields()
        if Int.random(in: 0..<3, using: &random) == 0 { fields.kind = .denial }
        if Int.random(in: 0..<3, using: &random) == 0 { fields.when = try ValidTime(parsing: Self.dates.randomElement(using: &random) ?? "2021") }
        if Int.random(in: 0..<3, using: &random) == 0 { fields.said = "corrected words" }
        if Int.random(in: 0..<4, using: &random) == 0 { fields.summary = "corrected summary" }
        if Int.random(in: 0..<4, using: &random) == 0 { fields.actors = [ActorInvolvement(actor: "d", role: .target)] }
        if Int.random(in: 0..<4, using: &random) == 0 {
            fields.quantities = [Quantity(name: "ransom", value: try ExactDecimal(parsing: "75"), unit: .crypto("BTC"), isApproximate: false)]
        }
        if fields.isEmpty || Int.random(in: 0..<4, using: &random) == 0 { fields.place = "Alpharetta" }
        return FactCorrection(article: article, fact: "fact", fields: fields, reason: "r", quote: nil)
    }

    @Test(arguments: Array(UInt64(1)...200))
    func foldingEventByEventShowsWhatMergingAllAtOnceShows(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var model = ModelFact(id: "fact")
        var row: FactRow?
        for position in UInt64(1)...UInt64(12) {
            let recorded = Timestamp(microsecondsSinceEpoch: Int64(position) * 1_000)
            let article = "article-\(position)"
            switch row == nil ? 0 : Int.random(in: 0..<10, using: &random) {
            case 0...5:
                let assertion = try randomAssertion(&random, article: article)
                model.apply(assertion, at: position)
                if row == nil { row = FactRow(asserted: assertion, at: position, recordedAt: recorded) } else { row?.add(assertion, at: position, recordedAt: recorded) }
            case 6...8:
                let correction = try randomCorrection(&random, article: article)
                model.apply(correction, at: position)
                row?.apply(correction, at: position, recordedAt: recorded)
            default:
                let retraction = FactRetraction(article: article, fact: "fact", reason: "r", quote: nil)
                model.apply(retraction, at: position)
                row?.apply(retraction, at: position, recordedAt: recorded)
            }
            let folded = try #require(row)
            let context = "seed \(seed), position \(position)"
            #expect(folded.kind == model.kind, "\(context)")
            #expect(folded.when == model.when, "\(context)")
            #expect(folded.said == model.said, "\(context)")
            #expect(folded.summary == model.summary, "\(context)")
            #expect(folded.actors == model.actors, "\(context)")
            #expect(folded.quantities == model.quantities, "\(context)")
            #expect(folded.place == model.place, "\(context)")
            #expect(folded.conflicts.map { "\($0.field):\($0.kind)" } == model.conflicts.map { "\($0.field):\($0.kind)" }, "\(context)")
            #expect(folded.isRetracted == model.isRetracted, "\(context)")
            #expect(folded.retraction == model.retraction?.position, "\(context)")
            #expect(folded.sourceCount == model.sources.count, "\(context)")
            #expect(folded.correctionCount == model.corrections.count, "\(context)")
            #expect(folded.firstPosition == model.firstPosition, "\(context)")
            #expect(folded.position == position, "\(context)")
            #expect(folded.lastChange == model.lastPosition, "\(context)")
            let bytes = folded.encoded()
            let decoded = try bytes.withUnsafeBytes { try FactRow(decoding: $0, firstPosition: folded.firstPosition, position: folded.position) }
            #expect(decoded == folded, "\(context)")
        }
    }

    /// Counts of sources and corrections count events kept elsewhere, not bytes of the row: a
    /// fact asserted by hundreds of articles still reads back.
    @Test func aFactOfManySourcesAndCorrectionsReadsBack() throws {
        var row = FactRow(asserted: try assertion("a0", when: "2021-05"), at: 1, recordedAt: Timestamp(microsecondsSinceEpoch: 1))
        for index in 1..<300 {
            row.add(try assertion("a\(index)", when: "2021-05"), at: UInt64(2 * index), recordedAt: Timestamp(microsecondsSinceEpoch: Int64(2 * index)))
            row.apply(FactCorrection(article: "c\(index)", fact: "attack", fields: FactFields(place: "Geneva"), reason: "r", quote: nil),
                      at: UInt64(2 * index + 1), recordedAt: Timestamp(microsecondsSinceEpoch: Int64(2 * index + 1)))
        }
        let bytes = row.encoded()
        let decoded = try bytes.withUnsafeBytes { try FactRow(decoding: $0, firstPosition: 1, position: 599) }
        #expect(decoded.sourceCount == 300)
        #expect(decoded.correctionCount == 299)
        #expect(decoded == row)
        let (sources, corrections, place) = try bytes.withUnsafeBytes { bytes in
            let view = try FactRowView(bytes: bytes, firstPosition: 1, position: 599)
            return (view.sourceCount, view.correctionCount, try view.decoded().place)
        }
        #expect(sources == 300)
        #expect(corrections == 299)
        #expect(place == "Geneva")
        // A count no log position could reach is damage.
        #expect(throws: PayloadError.self) { try bytes.withUnsafeBytes { try FactRow(decoding: $0, firstPosition: 1, position: 200) } }
    }

    @Test func damagedRowsAreAnErrorNotACrash() throws {
        var row = FactRow(asserted: try assertion("a", when: "2021-05", quantities: [
            Quantity(name: "ransom", value: try ExactDecimal(parsing: "5e6"), unit: .currency("USD"), isApproximate: true),
        ], place: "Geneva"), at: 3, recordedAt: Timestamp(microsecondsSinceEpoch: 9))
        row.add(try assertion("b", when: "2021-05-06", place: "Villa La Grange in Geneva"), at: 5, recordedAt: Timestamp(microsecondsSinceEpoch: 10))
        row.apply(FactCorrection(article: "c", fact: "attack", fields: FactFields(when: try ValidTime(parsing: "2021-05-07")), reason: "r", quote: nil),
                  at: 6, recordedAt: Timestamp(microsecondsSinceEpoch: 11))
        let bytes = row.encoded()
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            #expect(throws: PayloadError.self) { try prefix.withUnsafeBytes { try FactRow(decoding: $0, firstPosition: 3, position: 6) } }
        }
    }

    /// A fact's first assertion, read in place, makes the same row bytes as the decoded
    /// assertion folded and encoded, and shows the same kind, date and actors; what decoding
    /// refuses, reading in place refuses too, and only current `fact.asserted` events are read so.
    @Test(arguments: Array(UInt64(1)...60))
    func aFirstAssertionReadInPlaceMakesTheRowItsDecodingMakes(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var assertion = try randomAssertion(&random, article: "article-\(seed)")
        // Text beyond ASCII and ids past the length Swift keeps inline.
        assertion.fact = seed % 2 == 0 ? "fact-\(seed)" : "a-fact-id-longer-than-fifteen-bytes-\(seed)"
        assertion.summary = seed % 3 == 0 ? "Taoiseach Micheál Martin said “no ransom” — \(seed)" : assertion.summary
        assertion.actors += seed % 4 == 0 ? [ActorInvolvement(actor: "an-actor-id-longer-than-fifteen", role: .payer)] : []
        let directory = TemporaryDirectory()
        let log = try EventLog(environment: try Environment(path: directory.path))
        let truncated = Array(assertion.encoded().dropLast())
        try log.append([
            NewEvent(id: "a/\(seed)", type: "fact.asserted", payload: assertion.encoded()),
            NewEvent(id: "c/\(seed)", type: "fact.corrected", payload: FactCorrection(article: "c", fact: assertion.fact, fields: FactFields(place: "x"), reason: "r", quote: nil).encoded()),
            NewEvent(id: "o/\(seed)", type: "fact.asserted", schemaVersion: DomainEventType.schemaVersion + 1, payload: assertion.encoded()),
            NewEvent(id: "t/\(seed)", type: "fact.asserted", payload: truncated),
        ])
        try log.environment.read { txn in
            try log.forEach(in: txn) { event in
                switch event.position {
                case 1:
                    let view = try #require(try FactAssertionView(event))
                    let expected = FactRow(asserted: assertion, at: 1, recordedAt: event.recordedAt).encoded()
                    var firstRow = PayloadWriter()
                    FactRow.writeFirstRow(view, recordedAt: event.recordedAt, to: &firstRow)
                    #expect(firstRow.bytes == expected, "seed \(seed)")
                    #expect(String(decoding: view.fact, as: UTF8.self) == assertion.fact)
                    #expect(view.kind == assertion.kind)
                    #expect(view.when == assertion.when)
                    var actors: [ActorInvolvement] = []
                    try view.forEachActor { actors.append(ActorInvolvement(actor: $0, role: $1)) }
                    #expect(actors == assertion.actors)
                case 2, 3:
                    #expect(try FactAssertionView(event) == nil)
                default:
                    #expect(throws: PayloadError.self) { try FactAssertion(event) }
                    #expect(throws: PayloadError.self) { try FactAssertionView(event) }
                }
                return true
            }
        }
    }
}

private extension String {
    var replacingTilde: String { hasPrefix("~") ? String(dropFirst()) : self }
}
