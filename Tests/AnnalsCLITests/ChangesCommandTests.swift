import AnnalsTestSupport
import Foundation
import Testing

/// `annals changes`: on the seeds, what the second article changed, in each format, and the
/// problems a span of transaction time can have.
@Suite struct ChangesCommandTests {
    let directory = TemporaryDirectory()

    @Test func afterPosition36TheSecondArticleRefinesTheAttackToTheDay() throws {
        let cli = CLI.seeded(in: directory)
        let lines = cli.run("changes", "--since", "36", "--format", "jsonl").output.split(separator: "\n").map(String.init)
        let attack = try #require(lines.first { $0.hasPrefix("{\"fact\":\"colonial-pipeline-attack\"") })
        #expect(attack.hasPrefix("""
            {"fact":"colonial-pipeline-attack","change":"refined","fields":[{"field":"when","before":"2021-05","after":"2021-05-06"},\
            {"field":"said","before":"in May","after":"on May 6"}],"by":[{"article":"cryptonews-2021-06-biden-cyber-arrangement","action":"asserts","position":56}],\
            "before":{"fact":"colonial-pipeline-attack","kind":"attack","when":"2021-05",
            """))
        // Every fact shown now but not as of 36 is added; none is retracted or corrected in the seeds.
        let now = Set(cli.run("timeline", "--format", "jsonl", "--limit", "1000").output.split(separator: "\n").map { fact(of: String($0)) })
        let then = Set(cli.run("timeline", "--as-of", "36", "--format", "jsonl", "--limit", "1000").output.split(separator: "\n").map { fact(of: String($0)) })
        let added = Set(lines.filter { $0.contains("\"change\":\"added\"") }.map(fact(of:)))
        #expect(added == now.subtracting(then))
        #expect(lines.allSatisfy { $0.contains("\"change\":\"added\"") || $0.contains("\"change\":\"refined\"") })

        let table = cli.run("changes", "--since", "36", "--until", "56")
        #expect(table.status == 0)
        #expect(table.output.hasPrefix("after position 36 (inside the batch of positions 1–37, recorded 2026-01-02T03:04:07.000000Z) up to position 56"))
        #expect(table.output.contains("refined  colonial-pipeline-attack"))
        #expect(table.output.contains(" when     2021-05 "))
        let json = cli.run("changes", "--since", "36", "--until", "56", "--format", "json")
        #expect(json.output.hasPrefix("{\"since\":36,\"until\":56,\"changes\":[{\"fact\":\"putin-says-cyberattacks-coordinated-from-us-cyberspace\",\"change\":\"added\""))
    }

    @Test func aSpanThatCannotBeReadIsOneLine() throws {
        let cli = CLI.seeded(in: directory)
        let before = dataFileBytes(cli.store)
        for (arguments, status, message) in [
            (["--since", "80", "--until", "40"], Int32(1), "the span from position 80 to position 40 runs backward: it must start no later than it ends"),
            (["--since", "999"], 1, "position 999 is beyond the log's head (83)"),
            (["--since", "yesterday"], 64, "--since \"yesterday\" is neither a log position (like 120) nor a time (like 2021-06-10T12:00Z)"),
            (["--since", "1", "--until", "-2"], 64, "--until needs a log position (0 or more) or a time (like 2021-06-10T12:00Z), got -2"),
            (["--since", "1", "--format", "csv"], 64, "--format csv is not available here; use one of table, json, jsonl"),
        ] {
            let result = cli.run(["changes"] + arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.error == "annals: \(message)\n", "\(arguments)")
            #expect(result.output == "")
        }
        #expect(dataFileBytes(cli.store) == before)
    }

    private func fact(of line: String) -> String {
        let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        return object?["fact"] as? String ?? ""
    }
}
