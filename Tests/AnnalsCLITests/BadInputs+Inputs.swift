/// The first 57 characters of `text` and an ellipsis, as messages show a value over 60.
private func excerpt(_ text: String) -> String {
    text.count > 60 ? String(text.prefix(57)) + "…" : text
}

private let hundredEmoji = String(repeating: "😀", count: 100)

/// A second, good article beside `bad.yaml`, read first: a bad input later must not let it in.
private let firstArticle: [String: [UInt8]] = [
    "a.yaml": Array(goodFactFile.replacingOccurrences(of: "id: test-article", with: "id: first-article").utf8),
    "a.txt": Array(goodText.utf8),
]

/// Bad-input cases for fact files, JSON Lines, article texts, paths and limits.
let inputFileBadInputs: [BadInput] = [
    // Limits of the log: refused while checking, with the record's place, never at append.
    .yaml("alias too long for its event id", replacing: "aliases: [Joseph Biden]", with: "aliases: [\(hundredEmoji)]",
          message: "$DIR/bad.yaml:7: actors[0].aliases[0]: \"\(excerpt(hundredEmoji))\" is 400 bytes long in UTF-8; an alias of actor biden may be at most 237, so that its event id (actor/biden/alias/<alias>) fits in 255 bytes"),
    .jsonl("alias too long for its event id in JSON Lines", #"{"type":"alias","actor":"x","name":"X","kind":"person","aliases":["\#(hundredEmoji)"]}"#,
           message: "$DIR/bad.jsonl:2: aliases[0]: \"\(excerpt(hundredEmoji))\" is 400 bytes long in UTF-8; an alias of actor x may be at most 241, so that its event id (actor/x/alias/<alias>) fits in 255 bytes"),
    BadInput("alias too long, dry run", files: ["bad.yaml": Array(goodFactFile.replacingOccurrences(of: "aliases: [Joseph Biden]", with: "aliases: [\(hundredEmoji)]").utf8),
                                                 "bad.txt": Array(goodText.utf8)],
             arguments: ["ingest", "--dry-run", "$DIR"],
             message: "$DIR/bad.yaml:7: actors[0].aliases[0]: \"\(excerpt(hundredEmoji))\" is 400 bytes long in UTF-8; an alias of actor biden may be at most 237, so that its event id (actor/biden/alias/<alias>) fits in 255 bytes"),
    BadInput("good article before an alias too long", files: firstArticle.merging([
        "bad.yaml": Array(goodFactFile.replacingOccurrences(of: "aliases: [Joseph Biden]", with: "aliases: [\(hundredEmoji)]").utf8),
        "bad.txt": Array(goodText.utf8),
    ]) { first, _ in first },
             message: "$DIR/bad.yaml:7: actors[0].aliases[0]: \"\(excerpt(hundredEmoji))\" is 400 bytes long in UTF-8; an alias of actor biden may be at most 237, so that its event id (actor/biden/alias/<alias>) fits in 255 bytes"),
    BadInput("good article before an alias too long, bulk", files: firstArticle.merging([
        "bad.yaml": Array(goodFactFile.replacingOccurrences(of: "aliases: [Joseph Biden]", with: "aliases: [\(hundredEmoji)]").utf8),
        "bad.txt": Array(goodText.utf8),
    ]) { first, _ in first }, arguments: ["ingest", "--bulk", "$DIR"],
             message: "$DIR/bad.yaml:7: actors[0].aliases[0]: \"\(excerpt(hundredEmoji))\" is 400 bytes long in UTF-8; an alias of actor biden may be at most 237, so that its event id (actor/biden/alias/<alias>) fits in 255 bytes"),

    // Names: a clash says which name it meets and whose it is.
    .yaml("new actor whose id is an existing actor's id but for case", replacing: "    aliases: [Joseph Biden]\n",
          with: "    aliases: [Joseph Biden]\n  - id: Biden\n    name: Someone Else\n    kind: person\n",
          message: "$DIR/bad.yaml:11: actors[1].id: \"Biden\" is taken: it matches \"biden\", the id of actor biden, as names are compared ignoring case, spacing and Unicode form; a name belongs to one actor"),
    .jsonl("new actor whose id differs by case from one declared earlier in the input",
           #"{"type":"alias","actor":"tester","name":"Test Person","kind":"person"}"# + "\n" + #"{"type":"alias","actor":"Tester","name":"Other Person","kind":"person"}"#,
           message: "$DIR/bad.jsonl:3: id: \"Tester\" is taken: it matches \"tester\", the id of actor tester, as names are compared ignoring case, spacing and Unicode form; a name belongs to one actor"),
    .yaml("alias that matches another actor's name but for case and spacing", replacing: "    aliases: [Joseph Biden]\n",
          with: "    aliases: [Joseph Biden]\n  - id: joe\n    name: Joe\n    kind: person\n    aliases: [\"joseph  BIDEN\"]\n",
          message: "$DIR/bad.yaml:11: actors[1].aliases[0]: \"joseph  BIDEN\" is taken: it matches \"Joseph Biden\", a name of actor biden, as names are compared ignoring case, spacing and Unicode form; a name belongs to one actor"),
    .jsonl("display name that matches another actor's alias but for case",
           #"{"type":"alias","actor":"other","name":"JOSEPH BIDEN","kind":"person"}"#,
           message: "$DIR/bad.jsonl:2: name: \"JOSEPH BIDEN\" is taken: it matches \"Joseph Biden\", a name of actor biden, as names are compared ignoring case, spacing and Unicode form; a name belongs to one actor"),

    // Limits that bound the work one record can cause.
    .jsonl("an actor with more names than allowed",
           #"{"type":"alias","actor":"x","name":"X","kind":"person","aliases":[\#((0..<1000).map { "\"n\($0)\"" }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: aliases[999]: \"n999\" would be one name too many: actor x already has 1,000 names (its display name and aliases), the most an actor may have"),
    .jsonl("an actor given more names than allowed over two records",
           #"{"type":"alias","actor":"x","name":"X","kind":"person","aliases":[\#((0..<999).map { "\"n\($0)\"" }.joined(separator: ","))]}"# + "\n"
               + #"{"type":"alias","actor":"x","aliases":["one more"]}"#,
           message: "$DIR/bad.jsonl:3: aliases[0]: \"one more\" would be one name too many: actor x already has 1,000 names (its display name and aliases), the most an actor may have"),
    .jsonl("a fact naming more actors than allowed",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","actors":[\#((0...1_000).map { #"{"actor":"a\#($0)","role":"participant"}"# }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: actors: names 1,001 actors; a fact names at most 1,000"),
    .jsonl("a correction naming more actors than allowed",
           #"{"type":"correction","article":"wire-1","fact":"f1","reason":"R","fields":{"actors":[\#((0...1_000).map { #"{"actor":"a\#($0)","role":"participant"}"# }.joined(separator: ","))]}}"#,
           message: "$DIR/bad.jsonl:2: fields.actors: names 1,001 actors; a fact names at most 1,000"),
    .jsonl("a fact giving more quantities than allowed",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","quantities":[\#((0...100).map { #"{"name":"q\#($0)","value":1,"unit":"h"}"# }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: quantities: gives 101 quantities; a fact gives at most 100"),
    .jsonl("a fact naming one actor twice in one role",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","actors":[{"actor":"a","role":"host"},{"actor":"b","role":"host"},{"actor":"a","role":"host"}]}"#,
           message: "$DIR/bad.jsonl:2: actors[2]: repeats actor a as host"),
    .jsonl("a fact giving one quantity twice",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","quantities":[{"name":"d","value":1,"unit":"h"},{"name":"d","value":2,"unit":"h"}]}"#,
           message: "$DIR/bad.jsonl:2: quantities[1].name: d is given twice"),
    .jsonl("a fact of many actors naming one twice, found by hashing",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","actors":[\#((0..<20).map { #"{"actor":"a\#($0)","role":"host"}"# }.joined(separator: ",")),{"actor":"a7","role":"host"}]}"#,
           message: "$DIR/bad.jsonl:2: actors[20]: repeats actor a7 as host"),
    .jsonl("a fact of many quantities giving one twice, found by hashing",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","quantities":[\#((0..<20).map { #"{"name":"q\#($0)","value":1,"unit":"h"}"# }.joined(separator: ",")),{"name":"q3","value":2,"unit":"h"}]}"#,
           message: "$DIR/bad.jsonl:2: quantities[20].name: q3 is given twice"),

    // YAML, in a fact file writer's words.
    .yaml("YAML key given twice", replacing: "    when: 2021-06-16\n", with: "    when: 2021-06-16\n    when: 2021-06-17\n",
          message: "$DIR/bad.yaml:15: the key \"when\" appears twice in one mapping (first on line 14); a key is given once"),
    .yaml("YAML top-level key given twice", replacing: "    quote: The leaders met in Geneva.\n", with: "    quote: The leaders met in Geneva.\narticle: {id: other}\n",
          message: "$DIR/bad.yaml:19: the key \"article\" appears twice in one mapping (first on line 1); a key is given once"),
    .yaml("YAML key given twice in a flow mapping", replacing: "{ actor: biden, role: participant }", with: "{ actor: biden, role: participant, role: host }",
          message: "$DIR/bad.yaml:17: the key \"role\" appears more than once in one mapping; a key is given once"),
    .yaml("YAML text holding ': ' unquoted", replacing: "title: A test article", with: "title: Biden: the talks",
          message: "$DIR/bad.yaml:3: is not valid YAML: found ': ' where no 'key: value' can start; put text that holds ': ' in quotes, or check the indentation"),
    .yaml("YAML indented with a tab", replacing: "    name: Joe Biden", with: "\tname: Joe Biden",
          message: "$DIR/bad.yaml:8: is not valid YAML: a tab indents this line; YAML indents with spaces"),
    .yaml("YAML quote never closed", replacing: "summary: The leaders meet", with: "summary: \"The leaders meet",
          message: "$DIR/bad.yaml:15: is not valid YAML: the quoted text that starts on this line is never closed"),
    .yaml("raw control character in a fact file", replacing: "summary: The leaders meet", with: "summary: The leaders \u{1} meet",
          message: "$DIR/bad.yaml:15: contains the control character U+0001; expected plain text"),
    .yaml("second YAML document", replacing: "    quote: The leaders met in Geneva.\n", with: "    quote: The leaders met in Geneva.\n---\narticle: {id: other}\n",
          message: "$DIR/bad.yaml:19: is not valid YAML: a second document starts here (after ---); a fact file is one mapping"),
    .yaml("YAML value starting with a reserved character", replacing: "publisher: Test Wire", with: "publisher: @TestWire",
          message: "$DIR/bad.yaml:4: is not valid YAML: a value cannot start with \"@\"; put text that starts with it in quotes"),
    .yaml("YAML line outside the top-level mapping", replacing: "    quote: The leaders met in Geneva.\n", with: "    quote: The leaders met in Geneva.\n- stray\n",
          message: "$DIR/bad.yaml:19: is not valid YAML: expected a 'key: value' line at this indentation; check the indentation"),
    .yaml("unknown escape in double-quoted YAML", replacing: "summary: The leaders meet", with: #"summary: "The leaders \q meet""#,
          message: #"$DIR/bad.yaml:15: is not valid YAML: an escape in double-quoted text is not one YAML knows; write \\ for a backslash"#),

    // Dates: the check and the message agree, and every message says what was expected.
    .yaml("UTC offset past +14:00", replacing: "when: 2021-06-16", with: "when: 2021-06-16T14:00+14:59",
          message: "$DIR/bad.yaml:14: facts[0].when: \"2021-06-16T14:00+14:59\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
    .yaml("UTC offset before -12:00", replacing: "when: 2021-06-16", with: "when: 2021-06-16T14:00-13:00",
          message: "$DIR/bad.yaml:14: facts[0].when: \"2021-06-16T14:00-13:00\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
    .yaml("the year 9999", replacing: "when: 2021-06-16", with: "when: 9999-12-31",
          message: "$DIR/bad.yaml:14: facts[0].when: \"9999-12-31\" is not a valid date: years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"),
    .jsonl("an open end alone", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"..","summary":"S","quote":"met"}"#,
           message: "$DIR/bad.jsonl:2: when: \"..\" is not a valid date: '..' stands for an unknown end, which only an interval has; expected a date like 2021-05, or an interval like 2021-05/.."),
    .jsonl("a time of day past 23:59", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021-06-16T24:05Z","summary":"S","quote":"met"}"#,
           message: "$DIR/bad.jsonl:2: when: \"2021-06-16T24:05Z\" is not a valid date: 24:05 is not a time of day; hours run from 00 to 23 and minutes from 00 to 59"),
    BadInput("one article id in two files", files: [
        "a.jsonl": Array(#"{"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":"One."}"#.utf8) + [10],
        "b.jsonl": Array(#"{"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":"Two."}"#.utf8) + [10],
    ], message: "$DIR/b.jsonl:1: this article is already defined at $DIR/a.jsonl:1; define each article once"),
    BadInput("--from an open end alone", files: [:], arguments: ["timeline", "--from", ".."],
             message: "--from \"..\" is not a valid date: '..' stands for an unknown end, which only an interval has; expected a date like 2021-05, or an interval like 2021-05/..", status: 64),
    BadInput("--to the year 9999", files: [:], arguments: ["timeline", "--to", "9999-12-31"],
             message: "--to \"9999-12-31\" is not a valid date: years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year", status: 64),
    BadInput("--from that is not a date", files: [:], arguments: ["timeline", "--from", "June"],
             message: "--from \"June\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z", status: 64),

    // Quotes: a character that does not show is shown and named.
    .yaml("quote holding a zero-width space", replacing: "quote: The leaders met in Geneva.", with: "quote: \"The leaders\\u200B met in Geneva.\"",
          message: #"$DIR/bad.yaml:18: facts[0].quote: "The leaders\u{200B} met in Geneva." does not occur in $DIR/bad.txt; it holds an invisible character, U+200B ZERO WIDTH SPACE, at character 12; quotes must be verbatim (only whitespace may differ)"#),
    .jsonl("quote holding a right-to-left override", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"leaders \u202Emet"}"#,
           message: #"$DIR/bad.jsonl:2: quote: "leaders \u{202E}met" does not occur in article wire-1; it holds an invisible character, U+202E RIGHT-TO-LEFT OVERRIDE, at character 9; quotes must be verbatim (only whitespace may differ)"#),
    .jsonl("quote holding a soft hyphen", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"Gen\u00ADeva"}"#,
           message: #"$DIR/bad.jsonl:2: quote: "Gen\u{AD}eva" does not occur in article wire-1; it holds an invisible character, U+00AD SOFT HYPHEN, at character 4; quotes must be verbatim (only whitespace may differ)"#),

    // Ids: one limit, one message, however long the id.
    .yaml("id of 300 characters", replacing: "id: summit", with: "id: " + String(repeating: "s", count: 300),
          message: "$DIR/bad.yaml:12: facts[0].id: \"\(String(repeating: "s", count: 57))…\" (300 characters) is not a valid id; expected 1 to 100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit"),
    .jsonl("actor id of 150 characters in a fact", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","actors":[{"actor":"\#(String(repeating: "a", count: 150))","role":"host"}]}"#,
           message: "$DIR/bad.jsonl:2: actors[0].actor: \"\(String(repeating: "a", count: 57))…\" (150 characters) is not a valid id; expected 1 to 100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit"),
    .jsonl("id holding a line break", #"{"type":"fact","article":"wire-1","id":"f\n1","kind":"talks","when":"2021","summary":"S","quote":"met"}"#,
           message: #"$DIR/bad.jsonl:2: id: "f\n1" is not a valid id; expected 1 to 100 characters of letters, digits, '.', '_' and '-', starting with a letter or digit"#),

    // Values and field names the input gives are shown on one line, cut when long.
    .jsonl("unknown field whose name holds a line break", #"{"type":"fact","wh\nen":"2021"}"#,
           message: #"$DIR/bad.jsonl:2: "wh\nen": is not a known field; expected one of type, article, id, kind, when, said, summary, actors, quantities, place, quote"#),
    .jsonl("record type of 200 characters", #"{"type":"\#(String(repeating: "t", count: 200))"}"#,
           message: "$DIR/bad.jsonl:2: type: \"\(String(repeating: "t", count: 57))…\" is not a record type; expected one of article, alias, fact, correction, retraction"),
    .jsonl("fact kind holding an invisible character", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks\u200B","when":"2021","summary":"S","quote":"met"}"#,
           message: #"$DIR/bad.jsonl:2: kind: "talks\u{200B}" is not one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other"#),
    .jsonl("decimal written as a string of 200 digits", #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","quantities":[{"name":"d","value":"\#(String(repeating: "1", count: 200))","unit":"h"}]}"#,
           message: "$DIR/bad.jsonl:2: quantities[0].value: is 200 characters long; a decimal number has at most 100"),

    // Sizes, in bytes, the same for article texts in their own files and inline.
    BadInput("inline article text over 4 MiB in UTF-8", files: ["bad.jsonl": Array((#"{"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-06","text":""# + String(repeating: "é", count: 2_200_000) + "\"}\n").utf8)],
             message: "$DIR/bad.jsonl:1: text: the article text is 4,400,000 bytes long; an article text has at most 4,194,304 bytes (4 MiB)"),
    BadInput("article text file over 4 MiB", files: ["bad.yaml": Array(goodFactFile.utf8), "bad.txt": Array(String(repeating: "The leaders met in Geneva. ", count: 170_000).utf8)],
             message: "$DIR/bad.txt: is 4,590,000 bytes long; an article text has at most 4,194,304 bytes (4 MiB)"),

    // Work bounded before it is done: long lists are refused before their elements are read,
    // and a fact file's values are counted before the YAML parser builds them.
    .jsonl("an alias record listing more names than an actor may have",
           #"{"type":"alias","actor":"x","aliases":[\#((0...1000).map { "\"n\($0)\"" }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: aliases: lists 1,001 names; an actor has at most 1,000 names (its display name and aliases)"),
    BadInput("fact file of more than 200,000 values in one flow list", files: [
        "bad.yaml": Array(("article: [" + Array(repeating: "a", count: 250_000).joined(separator: ",") + "]\n").utf8), "bad.txt": Array(goodText.utf8),
    ], message: "$DIR/bad.yaml:1: expands to more than 200000 values; fact files need far fewer"),
    BadInput("fact file of more than 200,000 keys", files: [
        "bad.yaml": Array(("article:\n" + (0..<250_000).map { "  k\($0): v\n" }.joined()).utf8), "bad.txt": Array(goodText.utf8),
    ], message: "$DIR/bad.yaml:200001: expands to more than 200000 values; fact files need far fewer"),
]
