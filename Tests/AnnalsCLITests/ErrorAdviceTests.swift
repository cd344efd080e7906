@testable import AnnalsCLI
import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
import AnnalsTimeline
import Foundation
import LMDB
import Testing

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

    @Test func anArticleWhoseEventIsMissingGetsVerifyAndLeavesTheStoreAsItWas() throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        try goodFactFile.write(toFile: directory.appending("good.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("good.txt"), atomically: true, encoding: .utf8)
        let cli = CLI(store: store)
        #expect(cli.run("ingest", directory.appending("good.yaml")).status == 0)
        // The sources projection still files the article at its position; the log lost the event.
        let position: UInt64 = try {
            let log = try EventLog(path: store)
            let position = try #require(try log.position(ofID: DomainEventID.article("test-article")))
            let records = try log.environment.openDatabase(EventLog.DatabaseName.records, create: false)
            try log.environment.write { txn in _ = try txn.delete(position, in: records) }
            return position
        }()
        let correction = directory.appending("correction.jsonl")
        try #"{"type":"correction","article":"test-article","fact":"summit","fields":{"when":"2021-06-17"},"reason":"A typo"}"#
            .appending("\n").write(toFile: correction, atomically: true, encoding: .utf8)
        let before = dataFileBytes(store)

        let result = cli.run("ingest", correction)
        #expect(result.error == "annals: \(correction):1: article: article test-article is indexed but its event at position \(position) is missing; run `annals verify`\n")
        #expect(result.status == 65)
        #expect(result.output == "")
        #expect(dataFileBytes(store) == before, "the data file changed")
    }
}
