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
        let events = try #require(try JSONSerialization.jsonObject(with: Data(log.output.utf8)) as? [[String: Any]])
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
}
