import AnnalsTestSupport
import Foundation
import Testing

/// Answers at the edges of the command line that are not mistakes.
@Suite struct CommandLineTests {
    @Test func logAfterItsHeadSaysWhereTheHeadIs() throws {
        let directory = TemporaryDirectory()
        let cli = CLI(store: directory.appending("store"))
        try goodFactFile.write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("a.txt"), atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", directory.appending("a.yaml")).status == 0)
        let table = cli.run("log", "--after", "4")
        #expect(table.status == 0)
        #expect(table.error == "")
        #expect(table.output == "no events after position 4: it is the log's head\n")
        let json = cli.run("log", "--after", "4", "--format", "json")
        #expect(json.status == 0)
        #expect(json.output == #"{"after":4,"limit":100,"more":false,"next_after":null,"events":[]}"# + "\n")
        let last = cli.run("log", "--after", "3", "--format", "jsonl")
        #expect(last.output.split(separator: "\n").count == 1)
    }

}
