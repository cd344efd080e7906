import AnnalsTestSupport
import Foundation
import Testing

/// A valid fact file, which each case below breaks in one way.
let goodFactFile = """
    article:
      id: test-article
      title: A test article
      publisher: Test Wire
      published: 2021-06-16
    actors:
      - id: biden
        name: Joe Biden
        kind: person
        aliases: [Joseph Biden]
    facts:
      - id: summit
        kind: summit
        when: 2021-06-16
        summary: The leaders meet
        actors:
          - { actor: biden, role: participant }
        quote: The leaders met in Geneva.

    """
let goodText = "The leaders met in Geneva. The talks lasted 3.5 hours.\n"

/// One bad input: the files to write, the arguments, and the one line `annals` must print.
struct BadInput: Sendable, CustomTestStringConvertible {
    let label: String
    let files: [String: [UInt8]]
    let arguments: [String]
    /// The expected message, with `$DIR` standing for the case's directory.
    let message: String
    let status: Int32

    var testDescription: String { label }

    init(_ label: String, files: [String: [UInt8]], arguments: [String] = ["ingest", "$DIR"], message: String, status: Int32 = 65) {
        self.label = label
        self.files = files
        self.arguments = arguments
        self.message = message
        self.status = status
    }

    /// A fact file (with the good text beside it) where `find` is replaced by `replace`.
    static func yaml(_ label: String, replacing find: String, with replace: String, message: String) -> BadInput {
        precondition(goodFactFile.contains(find), "\(label): the good fact file has no \(find)")
        return BadInput(label, files: ["bad.yaml": Array(goodFactFile.replacingOccurrences(of: find, with: replace).utf8), "bad.txt": Array(goodText.utf8)],
                        message: message)
    }

    /// A JSON Lines file with an article and then `line`.
    static func jsonl(_ label: String, _ line: String, message: String) -> BadInput {
        let article = #"{"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":"The leaders met in Geneva."}"#
        return BadInput(label, files: ["bad.jsonl": Array((article + "\n" + line + "\n").utf8)], message: message)
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }
}

/// Every bad-input case: the table below, and the families kept in `BadInputs+*.swift`.
let badInputs: [BadInput] = coreBadInputs + inputFileBadInputs + argumentBadInputs + queryBadInputs

let coreBadInputs: [BadInput] = [
    // YAML fact files
    .yaml("unknown field", replacing: "    when: 2021-06-16\n", with: "    when: 2021-06-16\n    wen: 2021\n",
          message: "$DIR/bad.yaml:15: facts[0].wen: is not a known field; expected one of id, kind, when, said, summary, actors, quantities, place, quote"),
    .yaml("missing required field", replacing: "    summary: The leaders meet\n", with: "",
          message: "$DIR/bad.yaml:12: facts[0].summary: is missing; it is required"),
    .yaml("impossible date", replacing: "when: 2021-06-16", with: "when: 2021-02-30",
          message: "$DIR/bad.yaml:14: facts[0].when: \"2021-02-30\" is not a valid date: 2021-02 has no day 30"),
    .yaml("malformed date", replacing: "when: 2021-06-16", with: "when: June 2021",
          message: "$DIR/bad.yaml:14: facts[0].when: \"June 2021\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
    .yaml("time without a zone", replacing: "when: 2021-06-16", with: "when: 2021-06-16T14:00",
          message: "$DIR/bad.yaml:14: facts[0].when: \"2021-06-16T14:00\" is not a valid date: a time needs a zone: Z or an offset like +02:00"),
    .yaml("impossible UTC offset", replacing: "when: 2021-06-16", with: "when: 2021-06-16T14:00+25:00",
          message: "$DIR/bad.yaml:14: facts[0].when: \"2021-06-16T14:00+25:00\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
    .yaml("interval ending before it starts", replacing: "when: 2021-06-16", with: "when: 2021-06-16/2021-05",
          message: "$DIR/bad.yaml:14: facts[0].when: \"2021-06-16/2021-05\" ends before it starts"),
    .yaml("quote not in the article", replacing: "quote: The leaders met in Geneva.", with: "quote: The leaders met in Paris.",
          message: "$DIR/bad.yaml:18: facts[0].quote: \"The leaders met in Paris.\" does not occur in $DIR/bad.txt; quotes must be verbatim (only whitespace may differ)"),
    .yaml("duplicate fact id in a file", replacing: "    quote: The leaders met in Geneva.\n",
          with: "    quote: The leaders met in Geneva.\n  - id: summit\n    kind: talks\n    when: 2021-06-16\n    summary: Talks\n    quote: The talks lasted 3.5 hours.\n",
          message: "$DIR/bad.yaml:19: facts[1].id: fact summit is asserted twice in this file"),
    .yaml("correction of an unknown fact", replacing: "    quote: The leaders met in Geneva.\n",
          with: "    quote: The leaders met in Geneva.\ncorrections:\n  - fact: no-such-fact\n    fields: { when: 2021-06-17 }\n    reason: typo\n",
          message: "$DIR/bad.yaml:20: fact no-such-fact is not in the store and not asserted earlier in the input; a correction or retraction needs an earlier assertion"),
    .yaml("unknown actor role", replacing: "role: participant", with: "role: villain",
          message: "$DIR/bad.yaml:17: facts[0].actors[0].role: \"villain\" is not one of attacker, target, payer, recipient, participant, speaker, host, subject, mentioned"),
    .yaml("unknown fact kind", replacing: "kind: summit", with: "kind: party",
          message: "$DIR/bad.yaml:13: facts[0].kind: \"party\" is not one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other"),
    .yaml("undeclared actor", replacing: "actor: biden, role", with: "actor: putin, role",
          message: "$DIR/bad.yaml:12: facts[0].actors[0].actor: actor putin is not declared; declare it under actors (YAML) or in an alias record (JSON Lines), or ingest it first"),
    .yaml("alias that names another actor", replacing: "    aliases: [Joseph Biden]\n",
          with: "    aliases: [Joseph Biden]\n  - id: joe\n    name: Joe\n    kind: person\n    aliases: [Joseph Biden]\n",
          message: "$DIR/bad.yaml:11: actors[1].aliases[0]: \"Joseph Biden\" already names actor biden; a name belongs to one actor"),
    .yaml("actor kind change", replacing: "    kind: person\n", with: "    kind: country\n",
          message: "$DIR/bad.yaml:7: actors[0].kind: actor biden is already a person; an actor's kind does not change"),
    .yaml("id with a space", replacing: "id: summit", with: "id: the summit",
          message: "$DIR/bad.yaml:12: facts[0].id: \"the summit\" is not a valid id; expected 1 to 100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit"),
    .yaml("overlong id", replacing: "id: summit", with: "id: " + String(repeating: "s", count: 101),
          message: "$DIR/bad.yaml:12: facts[0].id: \"\(String(repeating: "s", count: 57))…\" (101 characters) is not a valid id; expected 1 to 100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit"),
    .yaml("unknown currency", replacing: "    quote: The leaders met in Geneva.\n",
          with: "    quote: The leaders met in Geneva.\n    quantities: [{ name: ransom, value: 5, unit: XYZ }]\n",
          message: "$DIR/bad.yaml:19: facts[0].quantities[0].unit: \"XYZ\" is not an ISO 4217 currency code or a known crypto-currency"),
    .yaml("number out of range", replacing: "    quote: The leaders met in Geneva.\n",
          with: "    quote: The leaders met in Geneva.\n    quantities: [{ name: ransom, value: 12345678901234567890, unit: USD }]\n",
          message: "$DIR/bad.yaml:19: facts[0].quantities[0].value: \"12345678901234567890\" has more than 18 significant digits"),
    .yaml("not a number", replacing: "    quote: The leaders met in Geneva.\n",
          with: "    quote: The leaders met in Geneva.\n    quantities: [{ name: duration, value: three, unit: h }]\n",
          message: "$DIR/bad.yaml:19: facts[0].quantities[0].value: \"three\" is not a decimal number"),
    .yaml("summary over two lines", replacing: "summary: The leaders meet", with: "summary: \"The leaders\\nmeet\"",
          message: "$DIR/bad.yaml:15: facts[0].summary: contains a line break; expected a single line"),
    .yaml("control character", replacing: "summary: The leaders meet", with: "summary: \"The leaders \\u0007meet\"",
          message: "$DIR/bad.yaml:15: facts[0].summary: contains the control character U+0007; expected plain text"),
    .yaml("a mapping where a list belongs", replacing: "aliases: [Joseph Biden]", with: "aliases: { first: Joseph Biden }",
          message: "$DIR/bad.yaml:10: actors[0].aliases: is a mapping; expected a list"),
    .yaml("YAML anchor and alias", replacing: "    aliases: [Joseph Biden]", with: "    aliases: &names [Joseph Biden]",
          message: "$DIR/bad.yaml:10: uses a YAML anchor (&); anchors and aliases are not allowed in fact files"),
    .yaml("YAML syntax error", replacing: "  title: A test article", with: "  title: [A test article",
          message: "$DIR/bad.yaml:4: is not valid YAML: did not find expected ',' or ']'"),
    BadInput("YAML alias bomb", files: [
        "bad.yaml": Array(("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n").utf8),
        "bad.txt": Array(goodText.utf8),
    ], message: "$DIR/bad.yaml:1: uses a YAML anchor (&); anchors and aliases are not allowed in fact files"),
    BadInput("deeply nested YAML", files: [
        "bad.yaml": Array(("article: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n").utf8),
        "bad.txt": Array(goodText.utf8),
    ], message: "$DIR/bad.yaml:1: is nested more than 32 levels deep; fact files need far fewer"),
    BadInput("invalid UTF-8 in a fact file", files: [
        "bad.yaml": Array(goodFactFile.utf8.prefix(40)) + [0xC3, 0x28] + Array(goodFactFile.utf8.dropFirst(40)),
        "bad.txt": Array(goodText.utf8),
    ], message: "$DIR/bad.yaml:3: is not valid UTF-8"),
    BadInput("NUL byte in a fact file", files: [
        "bad.yaml": Array(goodFactFile.utf8.prefix(60)) + [0] + Array(goodFactFile.utf8.dropFirst(60)),
        "bad.txt": Array(goodText.utf8),
    ], message: "$DIR/bad.yaml:4: contains a NUL byte; expected UTF-8 text"),
    BadInput("empty fact file", files: ["bad.yaml": [], "bad.txt": Array(goodText.utf8)], message: "$DIR/bad.yaml: is empty"),
    BadInput("fact file without an article", files: ["bad.yaml": Array("facts: []\n".utf8)],
             message: "$DIR/bad.yaml:1: article: is missing; a fact file describes one article"),

    // Article texts
    BadInput("missing article text", files: ["bad.yaml": Array(goodFactFile.utf8)], message: "$DIR/bad.txt: does not exist"),
    BadInput("empty article text", files: ["bad.yaml": Array(goodFactFile.utf8), "bad.txt": Array(" \n\n".utf8)], message: "$DIR/bad.txt: is empty"),
    BadInput("invalid UTF-8 in an article text", files: ["bad.yaml": Array(goodFactFile.utf8), "bad.txt": Array("The leaders\nmet \u{FF}".utf8) + [0xFF]],
             message: "$DIR/bad.txt:2: is not valid UTF-8"),
    BadInput("control character in an article text", files: ["bad.yaml": Array(goodFactFile.utf8), "bad.txt": Array("The leaders met in Geneva.\u{1B}[31m".utf8)],
             message: "$DIR/bad.yaml:2: article.text: the article text contains the control character U+001B; expected plain text"),
    BadInput("article text without a fact file", files: ["lonely.txt": Array(goodText.utf8)], arguments: ["ingest", "$DIR/lonely.txt"],
             message: "$DIR/lonely.txt: is an article text with no fact file beside it (lonely.yaml)"),

    // JSON Lines
    .jsonl("truncated JSON line", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks"#,
           message: "$DIR/bad.jsonl:2: column 58: the line ends inside a string: truncated JSON"),
    .jsonl("unknown record type", #"{"type":"opinion","article":"wire-1"}"#,
           message: "$DIR/bad.jsonl:2: type: \"opinion\" is not a record type; expected one of article, alias, fact, correction, retraction"),
    .jsonl("record without a type", #"{"article":"wire-1"}"#,
           message: "$DIR/bad.jsonl:2: type: is missing; expected one of article, alias, fact, correction, retraction"),
    .jsonl("fact citing an unknown article", #"{"type":"fact","article":"wire-9","id":"f1","kind":"talks","when":"2021-06","summary":"S","quote":"met"}"#,
           message: "$DIR/bad.jsonl:2: article: article wire-9 is not recorded: its record must come before the records that cite it, or be in the store already"),
    .jsonl("a string where a number belongs", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":2021,"summary":"S","quote":"met"}"#,
           message: "$DIR/bad.jsonl:2: when: is a number; expected text"),
    .jsonl("NUL escaped in a string", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S\u0000","quote":"met"}"#,
           message: "$DIR/bad.jsonl:2: summary: contains the control character U+0000; expected plain text"),
    .jsonl("a line that is not an object", #"["fact"]"#,
           message: "$DIR/bad.jsonl:2: is a list; expected a JSON object with a \"type\""),
    .jsonl("a huge line", #"{"type":"alias","actor":"x","name":""# + String(repeating: "n", count: 17 << 20) + #""}"#,
           message: "$DIR/bad.jsonl:2: is longer than 16777216 bytes; a line holds one record"),
    BadInput("empty JSON Lines file", files: ["bad.jsonl": Array("\n\n".utf8)], message: "$DIR/bad.jsonl: holds no records"),

    // Paths and arguments
    BadInput("directory with no inputs", files: ["notes.md": Array("nothing here".utf8)],
             message: "$DIR: holds no inputs; expected fact files (.yaml, .yml) or JSON Lines files (.jsonl)"),
    BadInput("path that does not exist", files: [:], arguments: ["ingest", "$DIR/missing.yaml"], message: "$DIR/missing.yaml: does not exist"),
    BadInput("file of an unknown kind", files: ["notes.md": Array("x".utf8)], arguments: ["ingest", "$DIR/notes.md"],
             message: "$DIR/notes.md: is not an input; expected a fact file (.yaml, .yml), a JSON Lines file (.jsonl) or an article text (.txt)"),
    BadInput("zero batch size", files: [:], arguments: ["ingest", "--batch", "0", "$DIR"],
             message: "--batch needs a positive number of events, got 0 (see `annals help`)", status: 64),
    BadInput("unknown option", files: [:], arguments: ["ingest", "--fast", "$DIR"], message: "Unknown option '--fast' (see `annals help`)", status: 64),
    BadInput("as-of that is neither a position nor a time", files: [:], arguments: ["timeline", "--as-of", "yesterday"],
             message: "--as-of \"yesterday\" is neither a log position (like 120) nor a time (like 2021-06-10T12:00Z)", status: 64),
    BadInput("as-of beyond the head", files: [:], arguments: ["timeline", "--as-of", "999999"],
             message: "position 999999 is beyond the log's head (4)", status: 1),
    BadInput("impossible --from date", files: [:], arguments: ["timeline", "--from", "2021-02-30"],
             message: "--from \"2021-02-30\" is not a valid date: 2021-02 has no day 30", status: 64),
    BadInput("period ending before it starts", files: [:], arguments: ["timeline", "--from", "2021-06", "--to", "2021-05"],
             message: "the period from 2021-06 to 2021-05 is empty: it ends before it starts", status: 1),
    BadInput("unknown actor", files: [:], arguments: ["actor", "Napoleon"], message: "no actor is called \"Napoleon\"; `annals actors` lists them", status: 1),
    BadInput("unknown fact", files: [:], arguments: ["fact", "no-such-fact"], message: "no fact has the id \"no-such-fact\"", status: 1),
    BadInput("unknown projection", files: [:], arguments: ["replay", "--projection", "nonsense"],
             message: "no projection is called \"nonsense\"; registered: timeline, actors, sources, definitions", status: 64),
]

@Suite struct BadInputTests {
    @Test(arguments: badInputs)
    func badInputGetsOneClearLineAndChangesNothing(_ input: BadInput) throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        let cli = CLI(store: store)
        // A store with something in it, fully caught up.
        let good = directory.appending("good")
        try FileManager.default.createDirectory(atPath: good, withIntermediateDirectories: true)
        try goodFactFile.write(toFile: good + "/good.yaml", atomically: true, encoding: .utf8)
        try goodText.write(toFile: good + "/good.txt", atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", good).status == 0)

        let caseDirectory = directory.appending("case")
        try FileManager.default.createDirectory(atPath: caseDirectory, withIntermediateDirectories: true)
        for (name, bytes) in input.files {
            try Data(bytes).write(to: URL(fileURLWithPath: caseDirectory + "/" + name))
        }
        let before = dataFileBytes(store)
        let result = cli.run(input.arguments.map { $0.replacingOccurrences(of: "$DIR", with: caseDirectory) })
        #expect(result.error == "annals: " + input.message.replacingOccurrences(of: "$DIR", with: caseDirectory) + "\n")
        #expect(result.status == input.status)
        #expect(result.output == "")
        #expect(dataFileBytes(store) == before, "the store changed")
    }

    @Test func changedContentUnderAnExistingIDIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        let cli = CLI(store: store)
        try goodFactFile.write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("a.txt"), atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", directory.appending("a.yaml")).status == 0)
        try goodFactFile.replacingOccurrences(of: "The leaders meet", with: "The leaders met")
            .write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        let before = dataFileBytes(store)
        let result = cli.run("ingest", directory.appending("a.yaml"))
        #expect(result.error == "annals: \(directory.appending("a.yaml")):12: facts[0].id: fact summit of article test-article differs from what the store recorded at position 4; events are immutable, so record the change as a correction\n")
        #expect(result.status == 65)
        #expect(dataFileBytes(store) == before)
    }

    @Test func aStoreFromANewerFormatIsRefusedWithoutChange() throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        let cli = CLI(store: store)
        try goodFactFile.write(toFile: directory.appending("a.yaml"), atomically: true, encoding: .utf8)
        try goodText.write(toFile: directory.appending("a.txt"), atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", directory.appending("a.yaml")).status == 0)
        let python = try runProcess(systemPython, ["-c", """
            import lmdb
            env = lmdb.open(\(String(reflecting: store)), max_dbs=300)
            meta = env.open_db(b"meta")
            with env.begin(write=True) as txn:
                txn.put(b"format-version", b"2", db=meta)
            """])
        #expect(python.status == 0)
        let before = dataFileBytes(store)
        for arguments in [["timeline"], ["ingest", directory.appending("a.yaml")], ["log"], ["verify"]] {
            let result = cli.run(arguments)
            #expect(result.error == "annals: \(store) uses log format 2, but this annals reads formats up to 1; upgrade annals to open it\n")
            #expect(result.status == 1)
        }
        #expect(dataFileBytes(store) == before)
    }

    @Test func queriesOnAMissingStoreSaySo() {
        let directory = TemporaryDirectory()
        let cli = CLI(store: directory.appending("nowhere"))
        for arguments in [["timeline"], ["log"], ["verify"], ["stats"]] {
            let result = cli.run(arguments)
            #expect(result.error == "annals: there is no store at \(directory.appending("nowhere"))\n")
            #expect(result.status == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appending("nowhere")))
    }
}
