@testable import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import Testing

/// The timeline looks an actor's roles in a fact up by scanning the few actors a fact usually
/// has, and through a dictionary past sixteen: both ways give each actor the same entries.
@Suite struct ManyActorsTests {
    let directory = TemporaryDirectory()

    /// A fact with twenty actors, two of them named twice in different roles, is on each actor's
    /// timeline with that actor's roles; a correction down to two actors leaves it on theirs
    /// alone, with their new roles, while as of the assertion every actor still has it.
    @Test(arguments: [20, 3])
    func eachOfAFactsActorsHasItWithItsOwnRoles(actorCount: Int) throws {
        var options = TimelineStore.Options()
        options.durability = .bulk
        let store = try TimelineStore(path: directory.appending("store-\(actorCount)"), options: options)
        let actors = (0..<actorCount).map { "p\($0)" }
        var events = actors.map { actor in
            NewEvent(id: DomainEventID.actor(actor), type: "actor.named", payload: ActorNaming(actor: actor, name: actor.uppercased(), kind: .person).encoded())
        }
        let last = actors[actorCount - 1]
        let involvements = actors.map { ActorInvolvement(actor: $0, role: .participant) }
            + [ActorInvolvement(actor: "p0", role: .host), ActorInvolvement(actor: last, role: .speaker)]
        let assertion = FactAssertion(
            article: "a0", fact: "talks", kind: .talks, when: try ValidTime(parsing: "2021-06-16"), said: nil, summary: "Talks",
            actors: involvements, quantities: [], place: nil, quote: "talks")
        events.append(NewEvent(id: DomainEventID.assertion(article: "a0", fact: "talks"), type: "fact.asserted", payload: assertion.encoded()))
        var fields = FactFields()
        fields.actors = [ActorInvolvement(actor: "p0", role: .mentioned), ActorInvolvement(actor: "p1", role: .speaker)]
        events.append(NewEvent(id: DomainEventID.correction(article: "a1", fact: "talks"), type: "fact.corrected",
                               payload: FactCorrection(article: "a1", fact: "talks", fields: fields, reason: "fewer", quote: nil).encoded()))
        try store.log.append(events)
        try store.catchUp()
        let asserted = UInt64(actorCount + 1)

        func roles(of actor: String, asOf position: UInt64?) throws -> [[ActorRole]] {
            try store.timeline(TimelineQuery(actor: actor, asOf: position.map { .position($0) }, limit: 100)).entries.map(\.roles)
        }
        for actor in actors {
            let expected: [ActorRole] = actor == "p0" ? [.participant, .host] : actor == last ? [.participant, .speaker] : [.participant]
            #expect(try roles(of: actor, asOf: asserted) == [expected], "\(actor) as of the assertion")
            let now: [[ActorRole]] = actor == "p0" ? [[.mentioned]] : actor == "p1" ? [[.speaker]] : []
            #expect(try roles(of: actor, asOf: nil) == now, "\(actor) after the correction")
        }
    }
}
