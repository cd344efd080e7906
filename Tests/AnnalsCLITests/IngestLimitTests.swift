import AnnalsLog
import AnnalsTestSupport
import Foundation
import Testing

/// Limits of the log met by inputs that are valid: what ingestion does instead of failing.
@Suite struct IngestLimitTests {
    /// `source` is `<path>:<line>`, and the log holds 255 bytes of it: a longer path is cut at
    /// the front, keeping the file name and line, and the ingest succeeds.
    @Test func aLongInputPathIsShortenedInTheSourceKeepingItsEnd() throws {
        let directory = TemporaryDirectory()
        // Two-byte characters, so that a cut by bytes alone could split one.
        let long = directory.appending(String(repeating: "é", count: 100) + "/" + String(repeating: "d", count: 120))
        try FileManager.default.createDirectory(atPath: long, withIntermediateDirectories: true)
        try goodFactFile.write(toFile: long + "/good.yaml", atomically: true, encoding: .utf8)
        try goodText.write(toFile: long + "/good.txt", atomically: true, encoding: .utf8)
        #expect((long + "/good.yaml:2").utf8.count > 255)

        let cli = CLI(store: directory.appending("store"))
        let dryRun = cli.run("ingest", "--dry-run", long)
        #expect(dryRun.error == "")
        #expect(dryRun.output.contains("would append 4 events"))
        let result = cli.run("ingest", long)
        #expect(result.error == "")
        #expect(result.status == 0)
        let log = cli.run("log", "--format", "json")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(log.output.utf8)) as? [String: Any])
        let events = try #require(page["events"] as? [[String: Any]])
        let sources = events.compactMap { $0["source"] as? String }
        #expect(sources.count == 4)
        // 252 bytes after the 3-byte "…" hold 59 whole "é" (118 bytes), not 59 and a half.
        #expect(sources.first == "…" + String(repeating: "é", count: 59) + "/" + String(repeating: "d", count: 120) + "/good.yaml:2")
        for source in sources {
            #expect(source.utf8.count <= 255)
            #expect(source.hasPrefix("…"))
            #expect(source.hasSuffix(String(repeating: "d", count: 120) + "/good.yaml:" + (source.split(separator: ":").last ?? "")))
        }
    }

    /// A real ingest brings lagging projections up to date before it checks the input against
    /// them; a dry run does the same, so that it predicts the real run instead of failing.
    @Test func aDryRunOnAStoreWhoseProjectionsLagPredictsTheRealRun() throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        let cli = CLI(store: store)
        try goodFactFile.write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("a.txt"), atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", directory.appending("a.yaml")).status == 0)
        // Another program appends to the log and leaves the projections behind it.
        try EventLog(path: store).append([NewEvent(id: "note-1", type: "note.written", payload: Array("a note".utf8))])
        try goodFactFile.replacingOccurrences(of: "id: test-article", with: "id: second-article")
            .write(toFile: directory.appending("b.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("b.txt"), atomically: true, encoding: .utf8)

        let dryRun = cli.run("ingest", "--dry-run", directory.appending("b.yaml"))
        #expect(dryRun.error == "")
        #expect(dryRun.status == 0)
        #expect(dryRun.output == "read 1 articles, 1 facts, 0 corrections, 0 retractions (372 B)\nwould append 2 events\n")
        let result = cli.run("ingest", directory.appending("b.yaml"))
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("read 1 articles, 1 facts, 0 corrections, 0 retractions (372 B)\nappended 2 events at positions 6–7\n"))
    }

    /// A display name makes no event id, so one of 100 emoji (400 bytes) is fine; giving it
    /// again when the actor is declared again appends nothing and is not taken for an alias.
    @Test func aLongDisplayNameIsNoAliasAndIngestsTwiceUnchanged() throws {
        let directory = TemporaryDirectory()
        let cli = CLI(store: directory.appending("store"))
        let name = String(repeating: "😀", count: 100)
        try goodFactFile.replacingOccurrences(of: "name: Joe Biden", with: "name: \(name)")
            .write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("a.txt"), atomically: true, encoding: .utf8)
        let first = cli.run("ingest", directory.appending("a.yaml"))
        #expect(first.error == "")
        #expect(first.output.contains("appended 4 events"))
        let second = cli.run("ingest", directory.appending("a.yaml"))
        #expect(second.error == "")
        #expect(second.status == 0)
        #expect(second.output.contains("nothing new"))
        #expect(cli.run("actor", name).status == 0)
    }
}
