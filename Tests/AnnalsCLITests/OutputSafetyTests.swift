@testable import AnnalsCLI
import AnnalsTestSupport
import Foundation
import Testing

/// An article whose text is hostile to terminals and spreadsheets, every piece of it valid input:
/// a right-to-left override that makes "KCATTA" read "ATTACK", a tab, zero-width and bidi
/// isolate characters, a line separator, and cells that spreadsheets would run as formulas.
private let hostileFactFile = #"""
    article:
      id: hostile-wire
      title: "Hostile \u202Etitle"
      publisher: "Evil\tWire"
      published: 2021-06-16
    actors:
      - id: good-name
        name: "Good Name \u202EKCATTA"
        kind: person
        aliases: ["Tab\tName", "\u200BZero", "\u2066Iso\u2069"]
      - id: tokyo-family
        name: "東京 Family 👩‍👩‍👧"
        kind: organisation
    facts:
      - id: formula
        kind: statement
        when: 2021-06-16
        summary: "=HYPERLINK(\"http://evil.example\",\"click\")"
        place: "@SUM(1+1)"
        actors:
          - { actor: good-name, role: speaker }
          - { actor: tokyo-family, role: subject }
        quote: "The\tleaders met."
      - id: plus-minus
        kind: statement
        when: 2021-06-15
        summary: "+1 for peace; -1 for war"
        place: "-Geneva\u2028Lake"
        quote: Geneva

    """#
private let hostileText = "The\tleaders met. Geneva\n"

/// Tables, the fact view, headers and messages show hidden characters as `<U+XXXX>` and keep
/// their columns; CSV neutralises formulas; JSON carries the text exactly.
@Suite struct OutputSafetyTests {
    let directory = TemporaryDirectory()

    private func hostileStore() throws -> CLI {
        let cli = CLI(store: directory.appending("store"))
        try hostileFactFile.write(toFile: directory.appending("hostile.yaml"), atomically: true, encoding: .utf8)
        try hostileText.write(toFile: directory.appending("hostile.txt"), atomically: true, encoding: .utf8)
        let result = cli.run("ingest", directory.appending("hostile.yaml"))
        #expect(result.status == 0, "\(result.error)")
        return cli
    }

    @Test func timelineTableShowsHiddenCharactersAndCountsColumnsAsDisplayed() throws {
        let result = try hostileStore().run("timeline")
        #expect(result.status == 0)
        #expect(result.error == "")
        #expect(result.output == """
            as of position 8 (recorded 2026-01-02T03:04:07.000000Z) · 2 facts
            WHEN        KIND       SUMMARY                                    ACTORS                                AMOUNTS  SOURCES  POS
            2021-06-15  statement  +1 for peace; -1 for war                                                                  1          8
            2021-06-16  statement  =HYPERLINK("http://evil.example","click")  Good Name <U+202E>KCATTA, 東京 Fami…           1          7

            """)
    }

    @Test func actorsTableShowsHiddenCharactersAndCountsWideOnesTwice() throws {
        let result = try hostileStore().run("actors")
        #expect(result.status == 0)
        #expect(result.output == """
            ID            NAME                      KIND          FACTS  ALSO KNOWN AS
            good-name     Good Name <U+202E>KCATTA  person            1  Tab<U+0009>Name, <U+200B>Zero, <U+2066>Iso<U+2069>
            tokyo-family  東京 Family 👩‍👩‍👧            organisation      1  \n
            """)
    }

    @Test func factViewAndActorHeaderShowHiddenCharacters() throws {
        let cli = try hostileStore()
        let fact = cli.run("fact", "formula")
        #expect(fact.status == 0)
        #expect(fact.output == """
            fact      formula (statement)
            when      2021-06-16
            summary   =HYPERLINK("http://evil.example","click")
            actors    Good Name <U+202E>KCATTA (speaker), 東京 Family 👩‍👩‍👧 (subject)
            place     @SUM(1+1)
            source    hostile-wire, position 7: “The<U+0009>leaders met.”
            position  7 (last change), version of 7, recorded 2026-01-02T03:04:07.000000Z

            """)
        let other = cli.run("fact", "plus-minus")
        #expect(other.output.contains("\nplace     -Geneva<U+2028>Lake\n"))
        let actor = cli.run("actor", "good-name")
        #expect(actor.status == 0)
        #expect(actor.output.hasPrefix("Good Name <U+202E>KCATTA (person, id good-name) — also Tab<U+0009>Name, <U+200B>Zero, <U+2066>Iso<U+2069>\n"))
    }

    @Test func articleHeaderAndListShowHiddenCharacters() throws {
        let cli = try hostileStore()
        let article = cli.run("sources", "hostile-wire")
        #expect(article.status == 0)
        #expect(article.output == """
            Hostile <U+202E>title
            Evil<U+0009>Wire, 2021-06-16 · id hostile-wire · position 1
            FACT        ACTION   POS
            formula     asserts    7
            plus-minus  asserts    8

            """)
        let list = cli.run("sources")
        #expect(list.output == """
            POS  PUBLISHED   PUBLISHER         ARTICLE       FACTS  TITLE
              1  2021-06-16  Evil<U+0009>Wire  hostile-wire      2  Hostile <U+202E>title

            """)
    }

    @Test func csvNeutralisesFormulasAndQuotesThem() throws {
        let result = try hostileStore().run("timeline", "--format", "csv")
        #expect(result.status == 0)
        #expect(result.output == """
            fact,kind,when,start,end,summary,actors,quantities,place,sources,conflicts,position
            plus-minus,statement,2021-06-15,2021-06-15T00:00:00Z,2021-06-16T00:00:00Z,"'+1 for peace; -1 for war",,,"'-Geneva\u{2028}Lake",hostile-wire,,8
            formula,statement,2021-06-16,2021-06-16T00:00:00Z,2021-06-17T00:00:00Z,"'=HYPERLINK(""http://evil.example"",""click"")",good-name:speaker;tokyo-family:subject,,"'@SUM(1+1)",hostile-wire,,7

            """)
    }

    @Test func jsonCarriesTheTextExactly() throws {
        let cli = try hostileStore()
        for format in ["json", "jsonl"] {
            let output = cli.run("timeline", "--format", format).output
            let entries = format == "json"
                ? try #require((try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["facts"] as? [[String: Any]])
                : try output.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            #expect(entries.map { $0["summary"] as? String } == ["+1 for peace; -1 for war", #"=HYPERLINK("http://evil.example","click")"#])
            #expect(entries.map { $0["place"] as? String } == ["-Geneva\u{2028}Lake", "@SUM(1+1)"])
            let actors = try #require(entries.last?["actors"] as? [[String: Any]])
            #expect(actors.map { $0["name"] as? String } == ["Good Name \u{202E}KCATTA", "東京 Family 👩‍👩‍👧"])
            let sources = try #require(entries.last?["sources"] as? [[String: Any]])
            #expect(sources.first?["quote"] as? String == "The\tleaders met.")
        }
        let actors = cli.run("actors", "--format", "json")
        #expect(actors.output.contains(#""aliases":["Tab\tName","\#u{200B}Zero","\#u{2066}Iso\#u{2069}"]"#))
        let log = try #require((try JSONSerialization.jsonObject(with: Data(cli.run("log", "--format", "json").output.utf8)) as? [String: Any])?["events"] as? [[String: Any]])
        let payload = try #require(log.first?["payload"] as? [String: Any])
        #expect(payload["title"] as? String == "Hostile \u{202E}title")
        #expect(payload["publisher"] as? String == "Evil\tWire")
    }

    @Test func jsonEscapesControlCharactersAndKeepsTheRest() throws {
        let cli = CLI(store: directory.appending("store"))
        let name = "g\u{1B}[31m\u{202E}"
        try goodFactFile.write(toFile: directory.appending(name + ".yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending(name + ".txt"), atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", directory.appending(name + ".yaml")).status == 0)
        let line = try #require(cli.run("log", "--format", "jsonl").output.split(separator: "\n").first.map(String.init))
        #expect(line.contains(#""source":"\#(directory.path)/g\u001b[31m\#u{202E}.yaml:2""#))
        let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(event["source"] as? String == directory.appending(name + ".yaml") + ":2")
    }

    @Test func storePathsInStatsAndBackupLinesAreShownVisibly() throws {
        let store = directory.appending("s\u{1B}[2J")
        let cli = CLI(store: store)
        try goodFactFile.write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("a.txt"), atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", directory.appending("a.yaml")).status == 0)
        let stats = cli.run("stats")
        #expect(stats.output.hasPrefix("store        \(directory.path)/s<U+001B>[2J\n"))
        let backup = cli.run("backup", directory.appending("b\u{202E}"))
        #expect(backup.status == 0)
        #expect(backup.output.hasPrefix("backed up 4 events from \(directory.path)/s<U+001B>[2J to \(directory.path)/b<U+202E> ("))
    }

    @Test func messagesShowHiddenCharactersOnOneLine() {
        let cli = CLI(store: directory.appending("store"))
        let path = directory.appending("\u{1B}]52;c;cm0gLXJmIH4=\u{07}\n\u{9B}2J\u{202E}.yaml")
        let result = cli.run("ingest", path)
        #expect(result.status == 65)
        #expect(result.error == "annals: \(directory.path)/<U+001B>]52;c;cm0gLXJmIH4=<U+0007><U+000A><U+009B>2J<U+202E>.yaml: does not exist\n")
    }
}

/// The notation itself, character family by character family.
@Suite struct TerminalTextTests {
    @Test(arguments: [
        // C0 controls, DEL and C1 controls
        ("\u{0}", "<U+0000>"), ("\u{7}", "<U+0007>"), ("\t", "<U+0009>"), ("\n", "<U+000A>"), ("\r", "<U+000D>"), ("\u{1B}", "<U+001B>"),
        ("\u{7F}", "<U+007F>"), ("\u{80}", "<U+0080>"), ("\u{85}", "<U+0085>"), ("\u{9B}", "<U+009B>"), ("\u{9F}", "<U+009F>"),
        // Bidi embeddings, overrides, isolates and marks
        ("\u{202A}", "<U+202A>"), ("\u{202B}", "<U+202B>"), ("\u{202C}", "<U+202C>"), ("\u{202D}", "<U+202D>"), ("\u{202E}", "<U+202E>"),
        ("\u{2066}", "<U+2066>"), ("\u{2067}", "<U+2067>"), ("\u{2068}", "<U+2068>"), ("\u{2069}", "<U+2069>"),
        ("\u{200E}", "<U+200E>"), ("\u{200F}", "<U+200F>"), ("\u{061C}", "<U+061C>"),
        // Zero-width characters, separators, the byte order mark, soft hyphen, tags
        ("\u{200B}", "<U+200B>"), ("\u{200C}", "<U+200C>"), ("a\u{200D}b", "a<U+200D>b"), ("\u{2060}", "<U+2060>"),
        ("\u{2028}", "<U+2028>"), ("\u{2029}", "<U+2029>"), ("\u{FEFF}", "<U+FEFF>"), ("\u{AD}", "<U+00AD>"),
        ("\u{E0001}", "<U+E0001>"), ("\u{E0041}", "<U+E0041>"),
        // Left as they are: letters, accents, wide characters, emoji and their joiners
        ("Genève", "Genève"), ("Gene\u{300}ve", "Gene\u{300}ve"), ("東京", "東京"), ("👩‍💻", "👩‍💻"), ("❤️‍🔥", "❤️‍🔥"), ("<U+202E>", "<U+202E>"),
        ("\u{A0}", "\u{A0}"),
    ])
    func hiddenCharactersAreWrittenAsCodePoints(_ text: String, _ shown: String) {
        #expect(TerminalText.visible(text) == shown)
    }

    @Test func widthCountsWhatATerminalDraws() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("東京") == 4)
        #expect(TerminalText.width("👩‍👩‍👧") == 2)
        #expect(TerminalText.width("Gene\u{300}ve") == 6)
        #expect(TerminalText.width("1\u{FE0F}\u{20E3}") == 2)
        #expect(TerminalText.width(TerminalText.visible("\u{202E}")) == 8)
    }

    @Test func truncationKeepsANotationWhole() {
        #expect(TerminalText.truncated("ab\u{202E}cdef", to: 6) == "ab…")
        #expect(TerminalText.truncated("ab\u{202E}cdef", to: 11) == "ab<U+202E>…")
        #expect(TerminalText.truncated("東京東京", to: 6) == "東京…")
        #expect(TerminalText.truncated("short", to: 6) == "short")
    }

    @Test func csvCellsThatSpreadsheetsWouldRunAreNeutralised() {
        #expect(csvCell("=1+2") == "\"'=1+2\"")
        #expect(csvCell("+1") == "\"'+1\"")
        #expect(csvCell("-1") == "\"'-1\"")
        #expect(csvCell("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(csvCell("\t=1") == "\"'\t=1\"")
        #expect(csvCell("\r=1") == "\"'\r=1\"")
        #expect(csvCell("a;=1+2") == "\"a;=1+2\"")
        #expect(csvCell("a;@b") == "\"a;@b\"")
        #expect(csvCell("a:speaker;b:target") == "a:speaker;b:target")
        #expect(csvCell("line\u{2028}separator") == "\"line\u{2028}separator\"")
        #expect(csvCell("say \"hi\", then go") == "\"say \"\"hi\"\", then go\"")
        #expect(csvCell("plain text 1-2") == "plain text 1-2")
        #expect(csvCell("") == "")
    }
}
