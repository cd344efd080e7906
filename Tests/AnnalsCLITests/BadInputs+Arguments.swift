/// Bad-input cases for command-line arguments and output.
let argumentBadInputs: [BadInput] = [
    // Hidden characters in messages are shown, not obeyed.
    BadInput("file name with an escape sequence", files: [:], arguments: ["ingest", "$DIR/\u{1B}[2J\u{1B}[31mred.yaml"],
             message: "$DIR/<U+001B>[2J<U+001B>[31mred.yaml: does not exist"),
    BadInput("file name with OSC 52 and a line break", files: [:], arguments: ["ingest", "$DIR/\u{1B}]52;c;cm0gLXJmIH4=\u{07}\nx.yaml"],
             message: "$DIR/<U+001B>]52;c;cm0gLXJmIH4=<U+0007><U+000A>x.yaml: does not exist"),
    .arguments("actor name with a right-to-left override", ["actor", "Good Name \u{202E}KCATTA"],
               "no actor is called \"Good Name <U+202E>KCATTA\"; `annals actors` lists them", status: 1),

    // Well-formed questions the store cannot answer: status 1.
    .arguments("fact before it was asserted", ["fact", "summit", "--as-of", "2"],
               "fact summit had not been asserted yet as of position 2; it was first asserted at position 4", status: 1),
    .arguments("fact before the log began", ["fact", "summit", "--as-of", "2000-01-01T00:00Z"],
               "fact summit had not been asserted yet as of 2000-01-01T00:00:00Z (position 0); it was first asserted at position 4", status: 1),
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
