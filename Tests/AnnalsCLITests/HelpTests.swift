import AnnalsTestSupport
import Testing

/// Help and version requests print their text on standard output and succeed.
@Suite struct HelpTests {
    @Test func rootHelpListsTheCommands() {
        let directory = TemporaryDirectory()
        let result = CLI(store: directory.path + "/store").run("--help")
        #expect(result.status == 0)
        #expect(result.error == "")
        #expect(result.output.hasPrefix("OVERVIEW: An embedded, bitemporal timeline store"))
        for command in ["ingest", "timeline", "actor", "fact", "replay", "projections", "verify", "bench"] {
            #expect(result.output.contains("\n  \(command) "), "help lists \(command)")
        }
    }

    @Test(arguments: [["help", "replay"], ["replay", "--help"], ["ingest", "-h"], ["bench", "query", "--help"]])
    func commandHelpShowsItsUsage(arguments: [String]) {
        let directory = TemporaryDirectory()
        let result = CLI(store: directory.path + "/store").run(arguments)
        let command = arguments.filter { $0 != "help" && !$0.hasPrefix("-") }.joined(separator: " ")
        #expect(result.status == 0)
        #expect(result.error == "")
        #expect(result.output.contains("USAGE: annals \(command)"))
    }

    @Test func versionNamesTheToolAndTheLogFormat() {
        let directory = TemporaryDirectory()
        let result = CLI(store: directory.path + "/store").run("--version")
        #expect(result.status == 0)
        #expect(result.output == "annals 0.1.0 (log format 1)\n")
    }
}
