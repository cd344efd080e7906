/// Bad-input cases for command-line arguments and output.
let argumentBadInputs: [BadInput] = [
    // Hidden characters in messages are shown, not obeyed.
    BadInput("file name with an escape sequence", files: [:], arguments: ["ingest", "$DIR/\u{1B}[2J\u{1B}[31mred.yaml"],
             message: "$DIR/<U+001B>[2J<U+001B>[31mred.yaml: does not exist"),
    BadInput("file name with OSC 52 and a line break", files: [:], arguments: ["ingest", "$DIR/\u{1B}]52;c;cm0gLXJmIH4=\u{07}\nx.yaml"],
             message: "$DIR/<U+001B>]52;c;cm0gLXJmIH4=<U+0007><U+000A>x.yaml: does not exist"),
    .arguments("actor name with a right-to-left override", ["actor", "Good Name \u{202E}KCATTA"],
               "no actor is called \"Good Name <U+202E>KCATTA\"; `annals actors` lists them", status: 1),
]

extension BadInput {
    /// A command line alone (no files), refused with `message` (status 64 unless said).
    static func arguments(_ label: String, _ arguments: [String], _ message: String, status: Int32 = 64) -> BadInput {
        BadInput(label, files: [:], arguments: arguments, message: message, status: status)
    }
}
