@testable import AnnalsCLI
import AnnalsDomain
import AnnalsTestSupport
import Crypto
import Foundation
import Testing

/// `--format html` and `--format svg`: the page in a real browser (Debian's headless Chromium,
/// installed by `make setup`), and the escaping that keeps article text data.
@Suite struct TimelinePageTests {
    let directory = TemporaryDirectory()

    // MARK: In the browser

    @Test func theSeedPageShowsEveryCurrentFactOfTheTimeline() throws {
        let cli = CLI.seeded(in: directory)
        let page = cli.run("timeline", "--format", "html")
        #expect(page.status == 0)
        #expect(page.error == "")
        let dom = try Browser.dom(of: try directory.write(page.output, to: "seed.html"), in: directory)
        let facts = cli.run("timeline", "--format", "jsonl", "--limit", "1000").output.split(separator: "\n")
        #expect(facts.count == 39)
        for line in facts {
            let fact = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let summary = try #require(fact["summary"] as? String)
            #expect(dom.contains(">\(Browser.domText(summary))</span>"), "the page does not list \(summary)")
        }
        #expect(dom.contains("<small id=\"count\">39 facts</small>"))
        #expect(listedWhen(of: "colonial-pipeline-attack", in: dom) == "May 6, 2021")
        #expect(dom.contains("ransom ~5000000 USD"))
        #expect(dom.contains("duration 3.5 h"))
        // The script ran to its end and timed its first render.
        #expect(dom.contains("data-first-render-ms=\""))
        #expect(dom.contains("<title>Timeline</title>"))
    }

    @Test func thePageOpenedAsOfAPositionShowsWhatTheStoreKnewThen() throws {
        let cli = CLI.seeded(in: directory)
        let path = try directory.write(cli.run("timeline", "--format", "html").output, to: "seed.html")
        // Position 36 is before the second article: Reuters alone dated the attack "in May".
        let then = try Browser.dom(of: path, query: "as-of=36", in: directory)
        #expect(listedWhen(of: "colonial-pipeline-attack", in: then) == "May 2021")
        #expect(then.contains("<span class=\"when\" title=\"2021-05\">May 2021</span>"))
        #expect(then.contains("as of position 36 · recorded 2026-01-02T03:04:07.000000Z"))
        #expect(then.contains("<small id=\"count\">19 facts</small>"))
        let now = try Browser.dom(of: path, query: "as-of=83", in: directory)
        #expect(listedWhen(of: "colonial-pipeline-attack", in: now) == "May 6, 2021")
        // A position beyond the page's data is the latest it has.
        let beyond = try Browser.dom(of: path, query: "as-of=999", in: directory)
        #expect(beyond.contains("as of position 83 (the latest)"))
    }

    @Test func hostileTextIsShownAsTypedAndNeverRuns() throws {
        let sentinel = try Sentinel()
        defer { sentinel.stop() }
        let cli = CLI(store: directory.appending("store"))
        _ = try directory.write(hostileText(port: sentinel.port), to: "hostile.txt")
        let factFile = try directory.write(hostileFactFile(port: sentinel.port), to: "hostile.yaml")
        _ = try directory.write("A second line about the report.\n", to: "safe.txt")
        let safeFile = try directory.write(safeFactFile, to: "safe.yaml")
        let ingest = cli.run("ingest", factFile, safeFile)
        #expect(ingest.status == 0, "\(ingest.error)")

        let page = cli.run("timeline", "--format", "html")
        #expect(page.status == 0)
        // In the file as written: no string from the store opens an element or closes the data.
        #expect(!page.output.contains("<img"))
        #expect(!page.output.contains("<svg onload"))
        #expect(page.output.components(separatedBy: "</script>").count == 3, "only the page's own two script elements close")
        let dom = try Browser.dom(of: try directory.write(page.output, to: "hostile.html"), in: directory)
        #expect(dom.contains("<title>Timeline</title>"), "the page's title changed")
        #expect(!dom.contains("pwned</title>"))
        #expect(!dom.contains("<img"))
        #expect(!dom.contains("href=\"javascript:"))
        #expect(dom.contains(Browser.domText(hostileSummary(port: sentinel.port))))
        #expect(dom.contains(Browser.domText("\"><svg onload=document.title='pwned'> \u{202E}reversed")))
        // Selecting the fact shows its quote, its article (not a link) and its actor as text.
        let selected = try Browser.dom(of: directory.appending("hostile.html"), query: "fact=hostile-summary", in: directory)
        #expect(selected.contains(Browser.domText(hostileQuote)))
        #expect(selected.contains(Browser.domText("</script><script>document.title='pwned'</script> — attacker")))
        #expect(selected.contains(">\(Browser.domText("<script>document.title='pwned'</script> \u{202E}title"))</a>"))
        // Its address is a link whose markup stays inside the attribute.
        #expect(selected.contains("href=\"https://example.org/a&quot;"))
        #expect(!selected.contains("<script>document.title"))
        #expect(selected.contains(Browser.domText("May 6, 2021 · 2021-05-06 · the article: “<b>May 6</b>”")))
        // The other article's address is a link, and exactly that address.
        let safe = try Browser.dom(of: directory.appending("hostile.html"), query: "fact=safe-link", in: directory)
        #expect(safe.contains("href=\"https://example.org/report?id=1&amp;lang=en\""))
        #expect(sentinel.hits() == 0, "the page made a request to the sentinel")

        // The same corpus as SVG is well-formed XML with every string intact.
        let picture = cli.run("timeline", "--format", "svg")
        #expect(picture.status == 0)
        let texts = try xmlText(of: try directory.write(picture.output, to: "hostile.svg"))
        #expect(texts.contains(hostileSummary(port: sentinel.port)))
        #expect(texts.contains("\"><svg onload=document.title='pwned'> \u{202E}reversed"))
        #expect(!picture.output.contains("<img"))
    }

    @Test func aScreenshotOfTheSeedTimeline() throws {
        let cli = CLI.seeded(in: directory)
        let path = try directory.write(cli.run("timeline", "--format", "html").output, to: "seed.html")
        let artifacts = repositoryRoot + "/.build/test-artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts + "/seed-timeline.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        try Browser.screenshot(of: path, to: screenshot, in: directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(bytes.count > 20_000, "an empty picture")
    }

    // MARK: Without a browser

    @Test func theSVGPictureParsesAndShowsTheFactsCurrentAtItsPosition() throws {
        let cli = CLI.seeded(in: directory)
        let picture = cli.run("timeline", "--format", "svg", "--as-of", "36")
        #expect(picture.status == 0)
        let texts = try xmlText(of: try directory.write(picture.output, to: "seed.svg"))
        #expect(texts.contains("Timeline"))
        #expect(texts.contains("May 2021 (2021-05) · attack\nRansomware cyber-attack disrupts activity at the Colonial Pipeline in the U.S. Southeast"))
        #expect(!texts.contains("(2021-05-06) · attack\nRansomware cyber-attack disrupts activity at the Colonial Pipeline in the U.S. Southeast"))
        #expect(texts.contains("as of position 36 (recorded 2026-01-02T03:04:07.000000Z) · 19 facts"))
    }

    @Test func thePagePolicyAllowsExactlyItsOwnScriptAndStyle() throws {
        let page = CLI.seeded(in: directory).run("timeline", "--format", "html").output
        let script = try #require(page.components(separatedBy: "<script>").last?.components(separatedBy: "</script>").first)
        let style = try #require(page.components(separatedBy: "<style>").dropFirst().first?.components(separatedBy: "</style>").first)
        #expect(script == TimelinePageScript.source)
        let sha = { (text: String) in "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() }
        #expect(page.contains("script-src '\(sha(script))'; style-src '\(sha(style))'; img-src data:; connect-src 'none'; base-uri 'none'"))
        #expect(page.contains("default-src 'none'"))
    }

    @Test func markupEscapesTextAndKeepsOnlyWebLinks() {
        #expect(Markup.text("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(Markup.text("bell\u{07}\u{202E}ok\u{FFFE}") == "bell\u{FFFD}\u{202E}ok\u{FFFD}")
        #expect(Markup.scriptJSON(.object([("quote", .string("</script><!-- & -->"))])) == #"{"quote":"\u003c/script\u003e\u003c!-- \u0026 --\u003e"}"#)
        #expect(Markup.linkableURL("https://example.org/a?b=1") == "https://example.org/a?b=1")
        #expect(Markup.linkableURL("HTTP://example.org") == "HTTP://example.org")
        #expect(Markup.linkableURL("javascript:alert(1)") == nil)
        #expect(Markup.linkableURL(" https://example.org") == nil)
        #expect(Markup.linkableURL("https://exa\tmple.org") == nil)
        #expect(Markup.linkableURL("data:text/html,hi") == nil)
        #expect(Markup.linkableURL("//example.org") == nil)
        #expect(Markup.linkableURL(nil) == nil)
        #expect(TimelinePage.base64(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw==")
        #expect(TimelinePage.base64(Array("any carnal pleasu".utf8)) == "YW55IGNhcm5hbCBwbGVhc3U=")
        #expect(TimelinePage.base64(Array("any carnal pleasur".utf8)) == "YW55IGNhcm5hbCBwbGVhc3Vy")
    }

    @Test(arguments: [
        ("2021", "2021"), ("2021-05", "May 2021"), ("2021-05-06", "May 6, 2021"), ("2021-06-16T14:05Z", "June 16, 2021, 14:05 UTC"),
        ("2021-05~", "about May 2021"), ("2021?", "perhaps 2021"), ("2021-05-07/2021-05-12", "May 7 – May 12, 2021"),
        ("2020-12/2021-01", "December 2020 – January 2021"), ("../2021-06-16", "until June 16, 2021"), ("2021-05/..", "from May 2021"),
        ("2021/2022", "2021 – 2022"),
    ])
    func datesInWordsKeepTheirPrecision(date: String, words: String) throws {
        #expect(DateWords.words(try ValidTime(parsing: date)) == words)
    }

    @Test func picturesAreOfferedOnlyForTimelines() {
        let cli = CLI.seeded(in: directory)
        let sources = cli.run("sources", "--format", "html")
        #expect(sources.status == 64)
        #expect(sources.error.contains("--format html is not available here; use one of table, json, jsonl"))
        let actor = cli.run("actor", "Putin", "--format", "svg")
        #expect(actor.status == 0)
        #expect(actor.output.contains("<title>Vladimir Putin — timeline</title>"))
    }

    // MARK: Helpers

    /// The date the page's list shows for a fact.
    private func listedWhen(of fact: String, in dom: String) -> String? {
        guard let item = dom.components(separatedBy: "<li tabindex=\"0\" data-fact=\"\(fact)\"").dropFirst().first,
              let span = item.components(separatedBy: "<span class=\"when\"").dropFirst().first?.components(separatedBy: "</span>").first,
              let text = span.split(separator: ">", maxSplits: 1).last
        else { return nil }
        return String(text)
    }

    /// Every text node and attribute value of an XML file, parsed by Python's XML parser.
    private func xmlText(of path: String) throws -> String {
        let script = """
            import sys, xml.dom.minidom as m
            def walk(node, out):
                if node.nodeType == node.TEXT_NODE: out.append(node.data)
                for child in node.childNodes: walk(child, out)
            out = []
            walk(m.parse(sys.argv[1]), out)
            sys.stdout.write("\\n".join(out))
            """
        let result = try runProcess("/usr/bin/env", ["python3", "-c", script, path])
        #expect(result.status == 0, "not well-formed XML: \(result.standardError)")
        return result.standardOutput
    }

    /// An article with a web address, citing the hostile actor.
    private let safeFactFile = """
        article:
          id: safe-report
          title: A safe report
          publisher: Example
          published: 2021-06-17
          url: "https://example.org/report?id=1&lang=en"
        facts:
          - id: safe-link
            kind: report
            when: 2021-06-16
            summary: "\\"><svg onload=document.title='pwned'> \\u202Ereversed"
            quote: "A second line"
            actors:
              - { actor: evil-actor, role: subject }

        """

    private func hostileSummary(port: Int) -> String {
        "<img src=http://127.0.0.1:\(port)/summary onerror=\"document.title='pwned'\"> attack"
    }

    private let hostileQuote = "</script><img src=x onerror=alert(1)> \u{202E}reversed"

    private func hostileText(port: Int) -> String {
        "The wire said: \(hostileQuote). A second line.\n"
    }

    private func hostileFactFile(port: Int) -> String {
        """
        article:
          id: hostile-page
          title: "<script>document.title='pwned'</script> \\u202Etitle"
          publisher: "\\"><img src=http://127.0.0.1:\(port)/publisher onerror=document.title='pwned'>"
          published: 2021-06-16
          url: "https://example.org/a\\"><script>document.title='pwned'</script>"
        actors:
          - id: evil-actor
            name: "</script><script>document.title='pwned'</script>"
            kind: group
        facts:
          - id: hostile-summary
            kind: attack
            when: 2021-05-06
            said: "<b>May 6</b>"
            summary: "<img src=http://127.0.0.1:\(port)/summary onerror=\\"document.title='pwned'\\"> attack"
            place: "\\"><svg onload=document.title='pwned'> \\u202Ereversed"
            actors:
              - { actor: evil-actor, role: attacker }
            quote: "</script><img src=x onerror=alert(1)> \\u202Ereversed"
        """
    }
}

/// Headless Chromium, run once per question with a profile of its own.
enum Browser {
    static var executable: String {
        get throws {
            for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
            throw BrowserMissing()
        }
    }

    struct BrowserMissing: Error, CustomStringConvertible {
        var description: String { "no headless browser: `make setup` installs Debian's chromium" }
    }

    private static func arguments(profile: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
         "--user-data-dir=\(profile)", "--virtual-time-budget=10000"]
    }

    /// The document after the page's scripts ran, opened with `query` in its address.
    static func dom(of path: String, query: String? = nil, in directory: TemporaryDirectory) throws -> String {
        let url = "file://\(path)\(query.map { "?\($0)" } ?? "")"
        let result = try runProcess(try executable, arguments(profile: directory.appending("profile-\(UUID().uuidString)")) + ["--dump-dom", url], timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        return result.standardOutput
    }

    static func screenshot(of path: String, to output: String, in directory: TemporaryDirectory) throws {
        let result = try runProcess(try executable, arguments(profile: directory.appending("profile-shot")) + ["--window-size=1400,1000", "--screenshot=\(output)", "file://\(path)"], timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
    }

    /// Text as a serialised DOM shows it in an element's content.
    static func domText(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\u{A0}", with: "&nbsp;")
    }
}

/// A TCP listener on loopback that counts the connections made to it: a page that ran injected
/// markup would request one of its addresses.
final class Sentinel: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let log: String
    private let directory = TemporaryDirectory("annals-sentinel")

    init() throws {
        log = directory.appending("hits")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import socket, sys
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen(16)
            server.settimeout(300)
            print(server.getsockname()[1], flush=True)
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    break
                with open(sys.argv[1], "a") as hits: hits.write("hit\\n")
                connection.close()
            """, log]
        let output = Pipe()
        process.standardOutput = output
        // Nothing of the listener's may hold the test runner's own output open.
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { process.terminate(); throw NoPort() }
        self.port = port
    }

    struct NoPort: Error {}

    func hits() -> Int {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
