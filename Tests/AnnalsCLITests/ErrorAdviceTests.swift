@testable import AnnalsCLI
import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
import AnnalsTimeline
import Foundation
import LMDB
import Testing

/// Deletes the log's record of event `id` and nothing else, so that the id index and the
/// projections point at an event the log no longer holds; returns the event's position.
private func deleteLogRecord(of id: String, store: String) throws -> UInt64 {
    let log = try EventLog(path: store)
    let position = try #require(try log.position(ofID: id))
    let records = try log.environment.openDatabase(EventLog.DatabaseName.records, create: false)
    try log.environment.write { txn in _ = try txn.delete(position, in: records) }
    return position
}

/// The libraries' errors state facts; the command line adds what to do about them, in one place
/// (`StoreAccess.failure(for:)`), so the user reads the same line as before, with the same status.
@Suite struct ErrorAdviceTests {
    @Test func laggingProjectionsGetTheCommandThatCatchesThemUp() throws {
        let failure = try #require(StoreAccess.failure(for: IngestError.projectionsBehind(lag: 3)))
        #expect(failure.description == "the projections lag the log by 3 events, so the input cannot be checked against them; run `annals timeline` once to bring them up to date")
        #expect(failure.exitStatus == 1)
    }

    @Test func anUnknownActorGetsTheCommandThatListsThem() throws {
        let failure = try #require(StoreAccess.failure(for: QueryError.unknownActor("Nobody")))
        #expect(failure.description == "no actor is called \"Nobody\"; `annals actors` lists them")
        #expect(failure.exitStatus == 1)
        // The other query problems say all there is to say themselves.
        #expect(StoreAccess.failure(for: QueryError.unknownFact("x")) == nil)
    }

    @Test func anArticleWhoseEventIsMissingIsDamageAndLeavesTheStoreAsItWas() throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        try goodFactFile.write(toFile: directory.appending("good.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("good.txt"), atomically: true, encoding: .utf8)
        let cli = CLI(store: store)
        #expect(cli.run("ingest", directory.appending("good.yaml")).status == 0)
        // The sources projection still files the article at its position; the log lost the event.
        let position = try deleteLogRecord(of: DomainEventID.article("test-article"), store: store)
        let correction = directory.appending("correction.jsonl")
        try #"{"type":"correction","article":"test-article","fact":"summit","fields":{"when":"2021-06-17"},"reason":"A typo"}"#
            .appending("\n").write(toFile: correction, atomically: true, encoding: .utf8)
        let before = dataFileBytes(store)

        let result = cli.run("ingest", correction)
        #expect(result.error == "annals: \(correction):1: article: article test-article is indexed but its event at position \(position) is missing; the store is damaged: `annals verify` names where\n")
        #expect(result.status == 3)
        #expect(result.output == "")
        #expect(dataFileBytes(store) == before, "the data file changed")
    }

    @Test func anIndexedEventMissingFromTheLogIsDamageNotAChangedRecord() throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        let input = directory.appending("input.jsonl")
        try """
            {"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":"The leaders met in Geneva. They talked."}
            {"type":"fact","article":"wire-1","id":"summit","kind":"summit","when":"2021-06-16","summary":"The leaders meet","quote":"The leaders met in Geneva."}
            {"type":"fact","article":"wire-1","id":"talks","kind":"statement","when":"2021-06-16","summary":"They talk","quote":"They talked."}

            """.write(toFile: input, atomically: true, encoding: .utf8)
        let cli = CLI(store: store)
        #expect(cli.run("ingest", input).status == 0)
        // The id index still places the first fact's event; the log lost the event itself.
        let id = DomainEventID.assertion(article: "wire-1", fact: "summit")
        let position = try deleteLogRecord(of: id, store: store)
        let before = dataFileBytes(store)

        let result = cli.run("ingest", input)
        #expect(result.error == "annals: \(input):2: the log's index places event \(id) at position \(position), but the log holds no event there; the store is damaged: `annals verify` names where\n")
        #expect(result.status == 3)
        #expect(result.output == "")
        #expect(dataFileBytes(store) == before, "the data file changed")
    }
}
