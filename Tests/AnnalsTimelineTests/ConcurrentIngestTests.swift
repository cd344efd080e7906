import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
@testable import AnnalsTimeline
import Foundation
import Testing

/// An ingest checks its input against projections that have applied the whole log. Another
/// process may append between this ingest's catch-up and its snapshot; the ingest must then
/// catch up again rather than fail.
@Suite struct ConcurrentIngestTests {
    let directory = TemporaryDirectory()

    private func storeAndInput() throws -> (TimelineStore, RecordStream) {
        let file = directory.appending("input.jsonl")
        try """
            {"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":"The leaders met in Geneva."}
            {"type":"fact","article":"wire-1","id":"summit","kind":"summit","when":"2021-06-16","summary":"The leaders meet","quote":"The leaders met in Geneva."}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let store = try TimelineStore(path: directory.appending("store"))
        return (store, RecordStream(files: try IngestInputs.files(for: [file])))
    }

    /// What another writer does between its append and its own catch-up: the log grows past
    /// the projections.
    private func appendBehindTheProjections(_ store: TimelineStore, _ number: Int) throws {
        let actor = "actor-\(number)"
        try store.log.append([NewEvent(id: DomainEventID.actor(actor), type: "actor.named",
                                       payload: ActorNaming(actor: actor, name: "Actor \(number)", kind: .person).encoded())])
    }

    @Test func aWriterThatAppendsAfterTheCatchUpIsCaughtUpWith() throws {
        let (store, stream) = try storeAndInput()
        let planner = IngestPlanner(store: store)
        var catchUps = 0
        try store.plan(stream, with: planner, catchingUp: {
            try store.catchUp()
            catchUps += 1
            if catchUps <= 2 { try appendBehindTheProjections(store, catchUps) }
        }, progress: { _, _ in })
        #expect(catchUps == 3)
        #expect(planner.staged.eventCount == 2)
    }

    @Test func aLogThatKeepsOutrunningTheProjectionsIsReportedWithItsLag() throws {
        let (store, stream) = try storeAndInput()
        var catchUps = 0
        #expect(throws: IngestError.projectionsBehind(lag: 1)) {
            try store.plan(stream, with: IngestPlanner(store: store), catchingUp: {
                try store.catchUp()
                catchUps += 1
                try appendBehindTheProjections(store, catchUps)
            }, progress: { _, _ in })
        }
        #expect(catchUps == TimelineStore.catchUpAttemptsBeforeValidating)
    }
}
