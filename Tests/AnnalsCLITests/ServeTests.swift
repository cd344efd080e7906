import AnnalsDomain
import AnnalsTestSupport
import Foundation
import Testing

/// `annals serve`, run as its own process the way a user runs it: the same JSON as the command
/// line, problems as one JSON line with the right status, the event stream following another
/// process's ingest, a clean stop on SIGINT and SIGTERM, and a store left exactly as it was.
@Suite struct ServeTests {
    let directory = TemporaryDirectory()

    /// Writes an article and its fact file, for an ingest while the server runs.
    private func laterArticle(id: String, fact: String, summary: String) throws -> String {
        let folder = directory.appending(id)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "\(summary).\n".write(toFile: folder + "/later.txt", atomically: true, encoding: .utf8)
        try """
        article:
          id: \(id)
          title: "Pipeline back in service"
          publisher: Example Wire
          published: 2021-06-20
        facts:
          - id: \(fact)
            kind: statement
            when: 2021-06-20
            summary: \(summary)
            actors:
              - { actor: colonial-pipeline, role: subject }
            quote: '\(summary)'
        """.write(toFile: folder + "/later.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func everyAddressAnswersWhatTheCommandLinePrints() throws {
        let cli = CLI.seeded(in: directory)
        let server = try Server(store: cli.store)
        defer { server.stop() }
        let article = "reuters-2021-06-16-biden-putin-cyber"
        let pairs: [(String, [String])] = [
            ("/api/timeline", ["timeline"]),
            ("/api/timeline?kind=attack&limit=2", ["timeline", "--kind", "attack", "--limit", "2"]),
            ("/api/timeline?from=2021-05&to=2021-05&as-of=36", ["timeline", "--from", "2021-05", "--to", "2021-05", "--as-of", "36"]),
            ("/api/timeline?actor=Putin&offset=2&limit=3", ["timeline", "--actor", "Putin", "--offset", "2", "--limit", "3"]),
            ("/api/actor/Vladimir%20Putin?limit=3", ["actor", "Vladimir Putin", "--limit", "3"]),
            ("/api/actors?as-of=40", ["actors", "--as-of", "40"]),
            ("/api/fact/colonial-pipeline-attack?as-of=36", ["fact", "colonial-pipeline-attack", "--as-of", "36"]),
            ("/api/fact/colonial-pipeline-attack", ["fact", "colonial-pipeline-attack"]),
            ("/api/fact/colonial-pipeline-attack/history", ["fact", "colonial-pipeline-attack", "--history"]),
            ("/api/sources?limit=2&offset=1", ["sources", "--limit", "2", "--offset", "1"]),
            ("/api/sources/\(article)", ["sources", article]),
            ("/api/log?after=80&limit=2", ["log", "--after", "80", "--limit", "2"]),
            ("/api/changes?since=36&until=60", ["changes", "--since", "36", "--until", "60"]),
        ]
        for (path, arguments) in pairs {
            let response = try HTTPClient.request(port: server.port, path)
            let printed = cli.run(arguments + ["--format", "json"])
            #expect(printed.status == 0, "\(arguments): \(printed.error)")
            #expect(response.status == 200, "\(path): \(response.body)")
            #expect(response.headers["content-type"] == "application/json; charset=utf-8")
            #expect(response.body == printed.output, "\(path) differs from annals \(arguments.joined(separator: " "))")
        }
        // The fact as of 36 is the one the seeds dated "May 2021".
        let then = try HTTPClient.request(port: server.port, "/api/fact/colonial-pipeline-attack?as-of=36")
        #expect(then.body.contains("\"when\":\"2021-05\""))
    }

    @Test func problemsAreOneJSONLineWithTheirStatus() throws {
        let cli = CLI.seeded(in: directory)
        let server = try Server(store: cli.store)
        defer { server.stop() }
        let cases: [(path: String, method: String, headers: [String: String], status: Int, error: String)] = [
            ("/nowhere", "GET", [:], 404, "nothing is served at /nowhere; /api lists what is"),
            ("/api/log", "POST", [:], 405, "annals serve only reads: POST is not served, GET is"),
            ("/api/log", "DELETE", [:], 405, "annals serve only reads: DELETE is not served, GET is"),
            ("/api/log", "GET", ["Host": "attacker.example"], 403, "this server answers requests to 127.0.0.1 or localhost, not to attacker.example"),
            ("/api/log?limit=1&frobnicate=1", "GET", [:], 400, "unknown parameter frobnicate; this address takes after, limit"),
            ("/api/log?store=/tmp/elsewhere", "GET", [:], 400, "unknown parameter store; this address takes after, limit"),
            ("/api/timeline?limit=1&limit=2", "GET", [:], 400, "parameter limit is given twice"),
            ("/api/timeline?limit=0", "GET", [:], 400, "limit needs a positive number, got 0"),
            ("/api/timeline?from=%E2%82", "GET", [:], 400, "parameter from is not UTF-8 once decoded"),
            ("/api/timeline?from=%zz", "GET", [:], 400, "parameter from has a % not followed by two hexadecimal digits"),
            ("/api/timeline?as-of=abc", "GET", [:], 400, "as-of \"abc\" is neither a log position (like 120) nor a time (like 2021-06-10T12:00Z)"),
            ("/api/timeline?as-of=999", "GET", [:], 404, "position 999 is beyond the log's head (83)"),
            ("/api/timeline?kind=war", "GET", [:], 400,
             "kind needs one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other; got war"),
            ("/api/fact/no-such-fact", "GET", [:], 404, "no fact has the id \"no-such-fact\""),
            ("/api/fact/colonial-pipeline-attack?as-of=2", "GET", [:], 404,
             "fact colonial-pipeline-attack had not been asserted yet as of position 2; it was first asserted at position 18"),
            ("/api/fact/colonial-pipeline-attack/history?as-of=2", "GET", [:], 400, "unknown parameter as-of; this address takes no parameters"),
            ("/api/actor/-x", "GET", [:], 404, "no actor is called \"-x\"; `annals actors` lists them"),
            ("/api/sources/nothing", "GET", [:], 404, "no article has the id \"nothing\"; `annals sources` lists them"),
            ("/api/log?after=84", "GET", [:], 404, "after 84 is beyond the log's head (83)"),
            ("/api/events?after=84", "GET", [:], 404, "after 84 is beyond the log's head (83)"),
            ("/api/events", "GET", ["Last-Event-ID": "x"], 400, "Last-Event-ID needs a log position, got x"),
            ("/api/events?after=-1", "GET", [:], 400, "after needs a log position (0 or more), got -1"),
        ]
        for (path, method, headers, status, error) in cases {
            let response = try HTTPClient.request(port: server.port, path, method: method, headers: headers)
            #expect(response.status == status, "\(method) \(path)")
            #expect(response.body == "{\"error\":\(JSONValue.string(error).serialized()),\"status\":\(status)}\n", "\(method) \(path)")
        }
        #expect(try HTTPClient.request(port: server.port, "/api/log", method: "POST").headers["allow"] == "GET, HEAD")
        // HEAD answers as GET would, without the body.
        let head = try HTTPClient.request(port: server.port, "/api/timeline?limit=1", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.headers["content-type"] == "application/json; charset=utf-8")
        #expect(head.body == "")
        // Loopback names are this server's.
        #expect(try HTTPClient.request(port: server.port, "/api/status", headers: ["Host": "localhost:\(server.port)"]).status == 200)
    }

    @Test func thePageIsServedLiveUnderItsPolicy() throws {
        let cli = CLI.seeded(in: directory)
        let server = try Server(store: cli.store)
        defer { server.stop() }
        let page = try HTTPClient.request(port: server.port, "/?kind=attack&as-of=36&fact=colonial-pipeline-attack")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let policy = try #require(page.headers["content-security-policy"])
        #expect(policy.contains("connect-src 'self'"))
        #expect(page.body.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"\(policy)\">"))
        #expect(page.body.contains("\"live\":{\"events\":\"/api/events\",\"data\":\"/api/page\"}"))
        // The page's data reaches the head whatever as-of its address holds: the script moves
        // through every position from there.
        #expect(page.body.contains("{\"title\":\"Timeline\",\"subtitle\":\"kind attack · as of position 83"))
        let data = try HTTPClient.request(port: server.port, "/api/page?kind=attack&as-of=36")
        #expect(data.status == 200)
        #expect(data.body.hasPrefix("{\"title\":\"Timeline\",\"subtitle\":\"kind attack · as of position 83"))
        #expect(page.body.contains(String(data.body.dropLast())))
    }

    @Test func theEventStreamFollowsAnotherProcesssIngest() throws {
        let cli = CLI.seeded(in: directory)
        let server = try Server(store: cli.store)
        defer { server.stop() }
        let stream = try HTTPClient.OpenStream(port: server.port, "/api/events?after=81")
        defer { stream.close() }
        let caughtUp = try stream.read { $0.body.contains("id: 83\n") }
        #expect(caughtUp.status == 200)
        #expect(caughtUp.headers["content-type"] == "text/event-stream; charset=utf-8")
        #expect(caughtUp.body.hasPrefix("retry: 1000\n: following the log after position 81\n\nid: 82\nevent: appended\ndata: {\"position\":82,"))
        #expect(!caughtUp.body.contains("id: 81\n"))
        let status = try HTTPClient.request(port: server.port, "/api/status")
        #expect(status.body.contains("\"head\":83,"))
        #expect(status.body.hasSuffix("\"event_streams\":1}\n"))

        let ingest = cli.run("ingest", try laterArticle(id: "wire-2021-06-20", fact: "pipeline-back", summary: "Colonial Pipeline says it is back in service"))
        #expect(ingest.status == 0, "\(ingest.error)")
        let followed = try stream.read { $0.body.contains("id: 85\n") && $0.body.hasSuffix("\n\n") }.body
        let expected = cli.run("log", "--after", "83", "--format", "jsonl").output.split(separator: "\n")
        #expect(expected.count == 2)
        #expect(followed.contains("id: 84\nevent: appended\ndata: \(expected[0])\n\n"))
        #expect(followed.contains("id: 85\nevent: appended\ndata: \(expected[1])\n\n"))
        // A reconnecting client says where it was.
        let resumed = try HTTPClient.OpenStream(port: server.port, "/api/events?after=0", headers: ["Last-Event-ID": "84"])
        defer { resumed.close() }
        let rest = try resumed.read { $0.body.contains("id: 85\n") }.body
        #expect(!rest.contains("id: 84\n") && !rest.contains("id: 1\n"))
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheServerCleanlyEvenWithAStreamOpen(signal: Int32) throws {
        let cli = CLI.seeded(in: directory)
        let before = dataFileBytes(cli.store)
        let server = try Server(store: cli.store)
        let stream = try HTTPClient.OpenStream(port: server.port, "/api/events")
        defer { stream.close() }
        _ = try stream.read { $0.body.contains(": following the log after position 83") }
        for path in ["/", "/api", "/api/page", "/api/timeline", "/api/actors", "/api/sources", "/api/log", "/api/status"] {
            #expect(try HTTPClient.request(port: server.port, path).status == 200, "\(path)")
        }
        let (status, output, error) = server.stop(signal: signal)
        #expect(status == 0)
        #expect(error == "")
        #expect(output == "serving \(cli.store) at http://127.0.0.1:\(server.port)/ (read-only; Ctrl-C stops)\nstopped\n")
        // It never wrote: the data file is byte for byte as it was.
        #expect(dataFileBytes(cli.store) == before)
    }

    @Test func aTakenPortIsSaidClearly() throws {
        let cli = CLI.seeded(in: directory)
        let server = try Server(store: cli.store)
        defer { server.stop() }
        let second = try runProcess(builtExecutable("annals"), ["serve", "--store", cli.store, "--port", "\(server.port)"], timeout: 60)
        #expect(second.status == 1)
        #expect(second.standardOutput == "")
        #expect(second.standardError == "annals: port \(server.port) on 127.0.0.1 is already in use (another `annals serve`?); choose another with --port\n")
    }

    @Test func aStorePathCannotDriveTheTerminal() throws {
        let cli = CLI(store: directory.appending("store\u{1B}[31m"))
        #expect(cli.run("ingest", seedsDirectory).status == 0)
        let server = try Server(store: cli.store)
        let (status, output, _) = server.stop(signal: SIGTERM)
        #expect(status == 0)
        #expect(output.hasPrefix("serving \(directory.appending("store<U+001B>[31m")) at http://127.0.0.1:\(server.port)/"))
        #expect(!output.contains("\u{1B}"))
    }

    @Test func badServeArgumentsAreRefusedBeforeListening() throws {
        let cli = CLI.seeded(in: directory)
        for (arguments, message) in [
            (["--port", "65536"], "annals: --port needs a port from 0 to 65535 (0 picks a free one), got 65536 (see `annals help`)"),
            (["--port", "-1"], "annals: --port needs a port from 0 to 65535 (0 picks a free one), got -1 (see `annals help`)"),
            (["--host", " "], "annals: --host needs an address to listen on, got \" \" (see `annals help`)"),
        ] {
            let result = cli.run(["serve"] + arguments)
            #expect(result.status == 64)
            #expect(result.error == message + "\n")
        }
        let missing = cli.run("serve", "--store", directory.appending("absent"), "--port", "0")
        #expect(missing.status == 1)
        #expect(missing.error == "annals: there is no store at \(directory.appending("absent"))\n")
    }

    // MARK: In the browser

    @Test func anOpenPageShowsAFactAnotherProcessIngests() throws {
        let cli = CLI.seeded(in: directory)
        let server = try Server(store: cli.store)
        defer { server.stop() }
        let dom = directory.appending("followed.html")
        let summary = "Colonial Pipeline says it is back in service"
        let follower = try BackgroundProcess(systemPython, [
            repositoryRoot + "/Tests/AnnalsCLITests/Browser/follow_page.py", try Browser.executable,
            "http://127.0.0.1:\(server.port)/?kind=statement", "document.querySelector('#facts li[data-fact=\"pipeline-back\"]')", dom,
        ])
        // The page has drawn the seeds' statements; now another process ingests.
        let ingest = cli.run("ingest", try laterArticle(id: "wire-2021-06-20", fact: "pipeline-back", summary: summary))
        #expect(ingest.status == 0, "\(ingest.error)")
        #expect(try follower.finish() == 0, "the page never showed the new fact")
        let html = try String(contentsOfFile: dom, encoding: .utf8)
        #expect(html.contains(">\(summary)</span>"))
        #expect(html.contains("data-followed-to=\"85\""))
        let statements = cli.run("timeline", "--kind", "statement", "--format", "jsonl", "--limit", "1000").output.split(separator: "\n").count
        #expect(html.contains("<small id=\"count\">\(statements) facts</small>"))
    }
}

/// `annals serve --port 0` on a store, as a child process, until ``stop(signal:)``.
final class Server {
    let port: Int
    private let process = Process()
    private let output = Pipe()
    private let error = Pipe()
    private var firstLine = ""
    private var stopped = false

    init(store: String) throws {
        process.executableURL = URL(fileURLWithPath: builtExecutable("annals"))
        process.arguments = ["serve", "--store", store, "--port", "0"]
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        firstLine = String(decoding: line, as: UTF8.self)
        guard let address = firstLine.firstRange(of: "http://127.0.0.1:"),
              let port = Int(firstLine[address.upperBound...].prefix { $0.isNumber })
        else {
            process.terminate()
            throw NotServing(line: firstLine)
        }
        self.port = port
    }

    struct NotServing: Error, CustomStringConvertible {
        let line: String
        var description: String { "annals serve did not say where it listens: \(line)" }
    }

    /// Sends `signal` and waits for the server to end; its status and everything it printed.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> (status: Int32, output: String, error: String) {
        guard !stopped else { return (0, "", "") }
        stopped = true
        kill(process.processIdentifier, signal)
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let errors = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, firstLine + "\n" + String(decoding: rest, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    deinit { stop(signal: SIGKILL) }
}
