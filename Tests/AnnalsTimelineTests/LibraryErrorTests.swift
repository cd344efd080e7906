import AnnalsDomain
import AnnalsLog
import AnnalsTestSupport
import AnnalsTimeline
import Foundation
import LMDB
import Testing

/// An article and one fact, as JSON Lines.
private let articleAndFact = """
    {"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":"The leaders met in Geneva."}
    {"type":"fact","article":"wire-1","id":"summit","kind":"summit","when":"2021-06-16","summary":"The leaders meet","quote":"The leaders met in Geneva."}

    """

/// The library's errors state what is wrong and name no command to run: advice belongs to the
/// program that embeds the library (the `annals` command line adds its own).
@Suite struct LibraryErrorTests {
    let directory = TemporaryDirectory()

    private func store(ingesting input: String, options: TimelineStore.Options = TimelineStore.Options()) throws -> TimelineStore {
        let file = directory.appending("input.jsonl")
        try input.write(toFile: file, atomically: true, encoding: .utf8)
        let store = try TimelineStore(path: directory.appending("store"), options: options)
        try store.ingest(paths: [file])
        return store
    }

    @Test func anUnknownActorIsNamedAndNothingMore() throws {
        let store = try store(ingesting: articleAndFact)
        #expect(throws: QueryError.unknownActor("Napoleon")) { try store.timeline(TimelineQuery(actor: "Napoleon")) }
        #expect(QueryError.unknownActor("Napoleon").description == "no actor is called \"Napoleon\"")
    }

    @Test func anIngestAgainstLaggingProjectionsSaysHowFarTheyLag() throws {
        do {
            let store = try store(ingesting: articleAndFact)
            // An event no built-in projection consumes still moves the head past their checkpoints.
            try store.log.append([NewEvent(id: "note-1", type: "test.note", payload: [1])])
        }
        var options = TimelineStore.Options()
        options.readOnly = true
        let readOnly = try TimelineStore(path: directory.appending("store"), options: options)
        #expect(throws: IngestError.projectionsBehind(lag: 1)) {
            try readOnly.ingest(paths: [directory.appending("input.jsonl")], options: IngestOptions(dryRun: true))
        }
        #expect(IngestError.projectionsBehind(lag: 1).description == "the projections lag the log by 1 event, so the input cannot be checked against them")
    }

    @Test func anArticleWhoseEventIsMissingIsReportedAtTheRecordThatCitesIt() throws {
        let store = try store(ingesting: articleAndFact)
        let position = try #require(try store.log.position(ofID: DomainEventID.article("wire-1")))
        let records = try store.environment.openDatabase(EventLog.DatabaseName.records, create: false)
        try store.environment.write { txn in _ = try txn.delete(position, in: records) }
        let correction = directory.appending("correction.jsonl")
        try #"{"type":"correction","article":"wire-1","fact":"summit","fields":{"when":"2021-06-17"},"reason":"A typo"}"#
            .write(toFile: correction, atomically: true, encoding: .utf8)

        let expected = IngestError.articleEventMissing(article: "wire-1", position: position, citedAt: SourceLocation(file: correction, line: 1))
        #expect(throws: expected) { try store.ingest(paths: [correction]) }
        #expect(expected.description == "\(correction):1: article: article wire-1 is indexed but its event at position \(position) is missing")
    }

    @Test func anIngestOfNothingSaysSo() throws {
        let store = try TimelineStore(path: directory.appending("store"))
        #expect(throws: IngestError.noPaths) { try store.ingest(paths: []) }
        #expect(IngestError.noPaths.description == "no file or directory was given to ingest")
    }
}
