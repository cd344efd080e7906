@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import Testing

/// The JSON of events carries everything their payloads hold: decoded back, it encodes to the
/// very bytes in the log.
@Suite struct EventJSONTests {
    let directory = TemporaryDirectory()

    /// Decodes the `payload` object of an event's log JSON back into its record and encodes it.
    private func reencodedPayload(_ event: EventView) throws -> [UInt8]? {
        let text = DomainEventDescription.json(event).serialized()
        let parsed = try JSONValue(parsing: text)
        guard case .object(let members) = parsed, let payload = members.first(where: { $0.0 == "payload" })?.1 else { return nil }
        for type in DomainEventType.recordTypes where event.hasType(type.eventType) {
            return type.init(json: payload)?.encoded()
        }
        return nil
    }

    @Test(arguments: [UInt64(31), 32, 33, 34, 35])
    func everyEventsJSONDecodesToItsPayload(seed: UInt64) throws {
        let log = try RandomLog(seed: seed, length: 120)
        let store = try log.store(in: directory, name: "store-\(seed)")
        var checked = 0
        try store.log.replay { event in
            let reencoded = try reencodedPayload(event)
            #expect(reencoded == Array(event.payload), "seed \(seed), position \(event.position) (\(event.type))")
            checked += 1
            return true
        }
        #expect(checked == 120)
    }

    /// The article and fact a fact event names, read in place from the first two fields, are
    /// those its decoded record holds, for every fact event of random logs; other events give nil.
    @Test(arguments: [UInt64(36), 37])
    func aFactEventsSubjectReadInPlaceIsItsRecords(seed: UInt64) throws {
        #expect(FactEvent.recordsBeginWithTheirSubject)
        let store = try RandomLog(seed: seed, length: 150).store(in: directory, name: "subject-\(seed)")
        var kinds: [FactEventKind: Int] = [:]
        try store.log.replay { event in
            let subject = try FactEvent.withSubject(of: event) { kind, article, fact in
                (kind, String(decoding: article, as: UTF8.self), String(decoding: fact, as: UTF8.self))
            }
            switch try FactEvent(event) {
            case .asserted(let record)?: #expect(subject! == (.asserted, record.article, record.fact))
            case .corrected(let record)?: #expect(subject! == (.corrected, record.article, record.fact))
            case .retracted(let record)?: #expect(subject! == (.retracted, record.article, record.fact))
            case nil: #expect(subject == nil, "position \(event.position) (\(event.type))")
            }
            if let kind = subject?.0 { kinds[kind, default: 0] += 1 }
            return true
        }
        // Each kind of fact event was met.
        #expect(kinds.count == 3, "seed \(seed): \(kinds)")
    }

    @Test func aCorrectionsJSONCarriesTheNewValues() throws {
        let correction = FactCorrection(
            article: "later", fact: "attack",
            fields: FactFields(when: try ValidTime(parsing: "2021-05-07"), said: "on Friday", place: "Alpharetta"),
            reason: "The filing gives the day", quote: "on Friday")
        #expect(correction.json.serialized()
            == #"{"article":"later","fact":"attack","fields":{"when":"2021-05-07","said":"on Friday","place":"Alpharetta"},"reason":"The filing gives the day","quote":"on Friday"}"#)
        #expect(FactCorrection(json: correction.json) == correction)
        #expect(correction.fields.names == ["when", "said", "place"])
        #expect(FactFields.correctableNames == ["kind", "when", "said", "summary", "actors", "quantities", "place"])
    }

    @Test func aFactsJSONCarriesEveryFieldOfItsEvents() throws {
        let assertion = FactAssertion(
            article: "wire", fact: "ransom", kind: .ransomPayment, when: try ValidTime(parsing: "2021-05"), said: "in May",
            summary: "A ransom is paid", actors: [ActorInvolvement(actor: "colonial", role: .payer)],
            quantities: [Quantity(name: "ransom", value: try ExactDecimal(parsing: "4.4e6"), unit: .currency("USD"), isApproximate: false)],
            place: "Georgia", quote: "paid 4.4 million dollars")
        var fact = Folded(id: "ransom")
        fact.apply(assertion, at: 7)
        fact.apply(FactCorrection(article: "later", fact: "ransom", fields: FactFields(summary: "A ransom of $4.4 million is paid"),
                                  reason: "More precise", quote: nil), at: 9)
        fact.apply(FactRetraction(article: "later", fact: "ransom", reason: "Withdrawn", quote: "withdrawn"), at: 11)
        let json = fact.view.json(actorNames: ["colonial": "Colonial Pipeline"]).serialized()
        #expect(json.contains(#""sources":[{"position":7,"article":"wire","kind":"ransom-payment","when":"2021-05","said":"in May","summary":"A ransom is paid","actors":[{"actor":"colonial","role":"payer"}],"quantities":[{"name":"ransom","value":4400000,"unit":"USD","approximate":false}],"place":"Georgia","quote":"paid 4.4 million dollars"}]"#))
        #expect(json.contains(#""corrections":[{"position":9,"article":"later","fields":{"summary":"A ransom of $4.4 million is paid"},"reason":"More precise","quote":null}]"#))
        #expect(json.contains(#""retracted":{"position":11,"article":"later","reason":"Withdrawn","quote":"withdrawn"}"#))
    }
}
