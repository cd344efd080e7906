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
          message: "$DIR/bad.yaml:11: actors[1].id: \"Biden\" is taken: it matches \"biden\", the id of actor biden, as names are compared ignoring case and spacing; a name belongs to one actor"),
    .jsonl("new actor whose id differs by case from one declared earlier in the input",
           #"{"type":"alias","actor":"tester","name":"Test Person","kind":"person"}"# + "\n" + #"{"type":"alias","actor":"Tester","name":"Other Person","kind":"person"}"#,
           message: "$DIR/bad.jsonl:3: id: \"Tester\" is taken: it matches \"tester\", the id of actor tester, as names are compared ignoring case and spacing; a name belongs to one actor"),
    .yaml("alias that matches another actor's name but for case and spacing", replacing: "    aliases: [Joseph Biden]\n",
          with: "    aliases: [Joseph Biden]\n  - id: joe\n    name: Joe\n    kind: person\n    aliases: [\"joseph  BIDEN\"]\n",
          message: "$DIR/bad.yaml:11: actors[1].aliases[0]: \"joseph  BIDEN\" is taken: it matches \"Joseph Biden\", a name of actor biden, as names are compared ignoring case and spacing; a name belongs to one actor"),
    .jsonl("display name that matches another actor's alias but for case",
           #"{"type":"alias","actor":"other","name":"JOSEPH BIDEN","kind":"person"}"#,
           message: "$DIR/bad.jsonl:2: name: \"JOSEPH BIDEN\" is taken: it matches \"Joseph Biden\", a name of actor biden, as names are compared ignoring case and spacing; a name belongs to one actor"),

    // Limits that bound the work one record can cause.
    .jsonl("an actor with more names than allowed",
           #"{"type":"alias","actor":"x","name":"X","kind":"person","aliases":[\#((0..<1000).map { "\"n\($0)\"" }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: aliases[999]: \"n999\" would be one name too many: actor x already has 1,000 names (its display name and aliases), the most an actor may have"),
    .jsonl("an actor given more names than allowed over two records",
           #"{"type":"alias","actor":"x","name":"X","kind":"person","aliases":[\#((0..<999).map { "\"n\($0)\"" }.joined(separator: ","))]}"# + "\n"
               + #"{"type":"alias","actor":"x","aliases":["one more"]}"#,
           message: "$DIR/bad.jsonl:3: aliases[0]: \"one more\" would be one name too many: actor x already has 1,000 names (its display name and aliases), the most an actor may have"),
    .jsonl("a fact naming more actors than allowed",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","actors":[\#((0...100).map { #"{"actor":"a\#($0)","role":"participant"}"# }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: actors: names 101 actors; a fact names at most 100"),
    .jsonl("a correction naming more actors than allowed",
           #"{"type":"correction","article":"wire-1","fact":"f1","reason":"R","fields":{"actors":[\#((0...100).map { #"{"actor":"a\#($0)","role":"participant"}"# }.joined(separator: ","))]}}"#,
           message: "$DIR/bad.jsonl:2: fields.actors: names 101 actors; a fact names at most 100"),
    .jsonl("a fact giving more quantities than allowed",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","quantities":[\#((0...100).map { #"{"name":"q\#($0)","value":1,"unit":"h"}"# }.joined(separator: ","))]}"#,
           message: "$DIR/bad.jsonl:2: quantities: gives 101 quantities; a fact gives at most 100"),
    .jsonl("a fact naming one actor twice in one role",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","actors":[{"actor":"a","role":"host"},{"actor":"b","role":"host"},{"actor":"a","role":"host"}]}"#,
           message: "$DIR/bad.jsonl:2: actors[2]: repeats actor a as host"),
    .jsonl("a fact giving one quantity twice",
           #"{"type":"fact","article":"wire-1","id":"f1","kind":"talks","when":"2021","summary":"S","quote":"met","quantities":[{"name":"d","value":1,"unit":"h"},{"name":"d","value":2,"unit":"h"}]}"#,
           message: "$DIR/bad.jsonl:2: quantities[1].name: d is given twice"),
]
