import AnnalsTestSupport
import Foundation
import Testing

/// `annals tail`: the log from a position, and with --follow, what other processes append;
/// stopped and resumed one past the last position printed, every event once and in order.
@Suite struct TailTests {
    let directory = TemporaryDirectory()

    /// `count` articles of one fact each, for one writer.
    private func articles(_ writer: String, count: Int) throws -> String {
        let folder = directory.appending("writer-\(writer)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for index in 0..<count {
            let summary = "Writer \(writer) reports event \(index)"
            try "\(summary).\n".write(toFile: "\(folder)/\(index).txt", atomically: true, encoding: .utf8)
            try """
            article:
              id: writer-\(writer)-\(index)
              title: "Writer \(writer), number \(index)"
              publisher: Example Wire
              published: 2021-06-20
            facts:
              - id: writer-\(writer)-fact-\(index)
                kind: report
                when: 2021-06-20
                summary: \(summary)
                quote: '\(summary)'
            """.write(toFile: "\(folder)/\(index).yaml", atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// The positions in complete JSON lines (a line cut short by the stop is not printed).
    private func positions(in path: String) -> [UInt64] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
            guard let range = line.firstRange(of: "{\"position\":") else { return nil }
            return UInt64(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    private func follower(_ store: String, from: UInt64, to output: String) throws -> Process {
        FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: builtExecutable("annals"))
        process.arguments = ["tail", "--store", store, "--follow", "--from", "\(from)", "--format", "jsonl"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<1_200 {
            if condition() { return true }
            usleep(50_000)
        }
        return false
    }

    @Test func aFollowerStoppedAndResumedPrintsEveryPositionOnceWhileTwoWritersAppend() throws {
        let cli = CLI.seeded(in: directory)
        let (first, second) = (try articles("a", count: 120), try articles("b", count: 120))
        let firstOutput = directory.appending("first.jsonl"), secondOutput = directory.appending("second.jsonl")
        let reader = try follower(cli.store, from: 1, to: firstOutput)
        #expect(waitUntil { positions(in: firstOutput).last == 83 }, "the follower never caught up with the seeds")
        let writers = try [first, second].map { folder in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: builtExecutable("annals"))
            process.arguments = ["ingest", "--store", cli.store, folder]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        // Killed outright while the writers append: a line cut short is not counted as printed.
        #expect(waitUntil { (positions(in: firstOutput).last ?? 0) > 120 }, "the follower printed nothing the writers appended")
        kill(reader.processIdentifier, SIGKILL)
        reader.waitUntilExit()
        let printed = positions(in: firstOutput)
        for writer in writers {
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        let head = UInt64(83 + 2 * 120 * 2)
        #expect(cli.run("stats", "--format", "json").output.contains("\"events\":\(head),"))
        let resumed = try follower(cli.store, from: (printed.last ?? 0) + 1, to: secondOutput)
        #expect(waitUntil { positions(in: secondOutput).last == head }, "the resumed follower never reached the head")
        // Ctrl-C ends a follower, as it does `tail -f`.
        kill(resumed.processIdentifier, SIGINT)
        resumed.waitUntilExit()
        #expect(resumed.terminationReason == .uncaughtSignal && resumed.terminationStatus == SIGINT)
        #expect(printed + positions(in: secondOutput) == Array(1...head))
    }

    @Test func withoutFollowItStopsAtTheHead() throws {
        let cli = CLI.seeded(in: directory)
        let lines = cli.run("tail", "--from", "80", "--format", "jsonl").output.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("{\"position\":80,") == true)
        #expect(cli.run("log", "--after", "79", "--format", "jsonl").output.split(separator: "\n") == lines)
        let articles = cli.run("tail", "--type", "article.recorded", "--format", "jsonl").output.split(separator: "\n")
        #expect(articles.count == cli.run("sources", "--format", "jsonl").output.split(separator: "\n").count)
        #expect(cli.run("tail", "--from", "84").output == "")
        let beyond = cli.run("tail", "--from", "85")
        #expect(beyond.status == 1)
        #expect(beyond.error == "annals: --from 85 is beyond the log's head (83); --from 84 starts with the next event appended\n")
    }
}
