/// Bad-input cases for command-line arguments and output.
let argumentBadInputs: [BadInput] = [
    // Numbers: negative (which ArgumentParser took for a missing value), zero, not numbers,
    // empty, and too large for any type.
    .arguments("negative --limit", ["timeline", "--limit", "-1"], "--limit needs a positive number, got -1 (see `annals help`)"),
    .arguments("zero --limit", ["actor", "biden", "--limit", "0"], "--limit needs a positive number, got 0 (see `annals help`)"),
    .arguments("--limit that is not a number", ["timeline", "--limit", "ten"], "--limit needs a positive number, got ten (see `annals help`)"),
    .arguments("empty --limit", ["timeline", "--limit", ""], "--limit needs a positive number, got \"\" (see `annals help`)"),
    .arguments("--limit too large for any count", ["timeline", "--limit", "99999999999999999999"],
               "--limit needs a positive number up to 9223372036854775807, got 99999999999999999999 (see `annals help`)"),
    .arguments("negative log --limit", ["log", "--limit", "-5"], "--limit needs a positive number, got -5 (see `annals help`)"),
    .arguments("negative --after", ["log", "--after", "-1"], "--after needs a log position (0 or more), got -1 (see `annals help`)"),
    .arguments("--after beyond any position", ["log", "--after", "18446744073709551616"],
               "--after needs a log position (0 or more) up to 18446744073709551615, got 18446744073709551616 (see `annals help`)"),
    .arguments("--after with spaces", ["log", "--after", "1 000"], "--after needs a log position (0 or more), got \"1 000\" (see `annals help`)"),
    .arguments("negative --batch", ["ingest", "--batch", "-5", "$DIR"], "--batch needs a positive number of events, got -5 (see `annals help`)"),
    .arguments("--batch too large", ["ingest", "--batch", "99999999999999999999", "$DIR"],
               "--batch needs a positive number of events up to 9223372036854775807, got 99999999999999999999 (see `annals help`)"),
    .arguments("negative --as-of", ["timeline", "--as-of", "-3"],
               "--as-of needs a log position (0 or more) or a time (like 2021-06-10T12:00Z), got -3"),
    .arguments("--as-of too large for any position", ["timeline", "--as-of", "99999999999999999999"],
               "--as-of needs a log position up to 18446744073709551615 or a time (like 2021-06-10T12:00Z), got 99999999999999999999"),
    .arguments("negative --as-of of a fact", ["fact", "summit", "--as-of", "-1"],
               "--as-of needs a log position (0 or more) or a time (like 2021-06-10T12:00Z), got -1"),
    .arguments("negative replay --to", ["replay", "--to", "-1"], "--to needs a log position (0 or more), got -1 (see `annals help`)"),
    .arguments("negative bench --queries", ["bench", "query", "--queries", "-1"], "--queries needs a positive number, got -1 (see `annals help`)"),
    .arguments("negative bench --seed", ["bench", "ingest", "--seed", "-1"], "--seed needs a whole number from 0, got -1 (see `annals help`)"),
    .arguments("bench --facts too large to count", ["bench", "query", "--facts", "99999999999999999k"],
               "--facts needs a positive count like 10000, 100k or 1M, got 99999999999999999k (see `annals help`)"),
    .arguments("missing value", ["timeline", "--limit"], "Missing value for '--limit <n>' (see `annals help`)"),
    .arguments("negative --to year", ["timeline", "--to", "-2021"],
               "--to \"-2021\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
    .arguments("empty --from", ["timeline", "--from", ""], "--from \"\" is not a valid date: it is empty; expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),

    // Enumerations: one line naming the value and every accepted one.
    .arguments("--kind in capitals", ["timeline", "--kind", "ATTACK"],
               "--kind needs one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other; got ATTACK (did you mean attack?) (see `annals help`)"),
    .arguments("unknown --kind", ["timeline", "--kind", "party"],
               "--kind needs one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other; got party (see `annals help`)"),
    .arguments("empty --kind", ["timeline", "--kind", ""],
               "--kind needs one of attack, ransom-payment, shutdown, data-theft, summit, talks, statement, agreement, denial, accusation, request, proposal, report, other; got \"\" (see `annals help`)"),
    .arguments("unknown --format", ["timeline", "--format", "xml"], "--format needs one of table, json, jsonl, csv, html, svg, timelinejs, cloudevents; got xml (see `annals help`)"),
    .arguments("--format in capitals", ["log", "--format", "JSON"], "--format needs one of table, json, jsonl, csv, html, svg, timelinejs, cloudevents; got JSON (did you mean json?) (see `annals help`)"),
    .arguments("--format a command does not offer", ["actors", "--format", "csv"], "--format csv is not available here; use one of table, json, jsonl"),

    // Commands.
    .arguments("unknown command", ["frobnicate"],
               "no command is called frobnicate; the commands are ingest, timeline, actor, actors, fact, sources, changes, log, tail, export, import, replicate, follow, replay, projections, projection, verify, stats, backup, serve, draft, score-draft, bench (see `annals help`)"),
    .arguments("help for an unknown command", ["help", "frobnicate"],
               "no command is called frobnicate; the commands are ingest, timeline, actor, actors, fact, sources, changes, log, tail, export, import, replicate, follow, replay, projections, projection, verify, stats, backup, serve, draft, score-draft, bench (see `annals help`)"),
    .arguments("unknown bench command", ["bench", "frob"],
               "no command is called frob; the commands of `annals bench` are ingest, replay, query, draft, replicate (see `annals help`)"),
    .arguments("bench draft without articles", ["bench", "draft"], "give at least one article text to build the benchmark's article from (see `annals help`)"),
    .arguments("bench draft with zero words", ["bench", "draft", "a.txt", "--words", "0"], "--words needs a positive number, got 0 (see `annals help`)"),
    .arguments("unexpected argument", ["timeline", "extra"], "Unexpected argument 'extra' (see `annals help`)"),

    // Empty names, ids and paths.
    .arguments("empty actor name", ["actor", ""], "annals actor needs an actor's id, name or alias, got \"\" (see `annals help`)"),
    .arguments("blank actor name", ["actor", "   "], "annals actor needs an actor's id, name or alias, got \"   \" (see `annals help`)"),
    .arguments("empty --actor", ["timeline", "--actor", ""], "--actor needs an actor's id, name or alias, got \"\" (see `annals help`)"),
    .arguments("empty fact id", ["fact", ""], "annals fact needs a fact id, got \"\" (see `annals help`)"),
    .arguments("empty article id", ["sources", ""], "annals sources needs an article id, got \"\" (see `annals help`)"),
    .arguments("empty ingest path", ["ingest", ""], "annals ingest needs paths of files or directories, got \"\" (see `annals help`)"),
    .arguments("empty backup directory", ["backup", ""], "annals backup needs a directory path, got \"\" (see `annals help`)"),
    .arguments("empty --store", ["log", "--store", ""], "--store needs a directory path, got an empty string (see `annals help`)"),

    // Hidden characters in messages are shown, not obeyed.
    BadInput("file name with an escape sequence", files: [:], arguments: ["ingest", "$DIR/\u{1B}[2J\u{1B}[31mred.yaml"],
             message: "$DIR/<U+001B>[2J<U+001B>[31mred.yaml: does not exist"),
    BadInput("file name with OSC 52 and a line break", files: [:], arguments: ["ingest", "$DIR/\u{1B}]52;c;cm0gLXJmIH4=\u{07}\nx.yaml"],
             message: "$DIR/<U+001B>]52;c;cm0gLXJmIH4=<U+0007><U+000A>x.yaml: does not exist"),
    .arguments("actor name with a right-to-left override", ["actor", "Good Name \u{202E}KCATTA"],
               "no actor is called \"Good Name <U+202E>KCATTA\"; `annals actors` lists them", status: 1),
    .arguments("command name with bidi isolates", ["\u{2067}frob\u{2069}"],
               "no command is called \"<U+2067>frob<U+2069>\"; the commands are ingest, timeline, actor, actors, fact, sources, changes, log, tail, export, import, replicate, follow, replay, projections, projection, verify, stats, backup, serve, draft, score-draft, bench (see `annals help`)"),

    // Well-formed questions the store cannot answer: status 1.
    .arguments("fact before it was asserted", ["fact", "summit", "--as-of", "2"],
               "fact summit had not been asserted yet as of position 2; it was first asserted at position 4", status: 1),
    .arguments("fact before the log began", ["fact", "summit", "--as-of", "2000-01-01T00:00Z"],
               "fact summit had not been asserted yet as of 2000-01-01T00:00Z (position 0); it was first asserted at position 4", status: 1),
    .arguments("fact beyond the head", ["fact", "summit", "--as-of", "5"], "position 5 is beyond the log's head (4)", status: 1),
    .arguments("history of an unknown fact", ["fact", "no-such-fact", "--history"], "no fact has the id \"no-such-fact\"", status: 1),
    .arguments("unknown article", ["sources", "no-such-article"], "no article has the id \"no-such-article\"; `annals sources` lists them", status: 1),
    .arguments("unknown --actor", ["timeline", "--actor", "Nobody"], "no actor is called \"Nobody\"; `annals actors` lists them", status: 1),
    .arguments("log --after beyond the head", ["log", "--after", "5"], "--after 5 is beyond the log's head (4)", status: 1),
]

extension BadInput {
    /// A command line alone (no files), refused with `message` (status 64 unless said).
    static func arguments(_ label: String, _ arguments: [String], _ message: String, status: Int32 = 64) -> BadInput {
        BadInput(label, files: [:], arguments: arguments, message: message, status: status)
    }
}
