/// The drafter's word lists, read from the `.lexicon` files the build embeds (see
/// `Draft/Lexicon/`). A file holds `[section]` headers and `key: phrase, phrase, …` lines; `#`
/// starts a comment line. Phrases are kept in lower case, split into words.
struct DraftLexicon: Sendable {
    /// One line of a section: its key and its phrases, each a list of lower-case words.
    struct Entry: Sendable {
        let key: String
        let phrases: [[String]]
    }

    private let sections: [String: [Entry]]

    /// The lexicon built into this binary.
    static let builtIn = DraftLexicon(files: [
        ("actors.lexicon", PackageResources.actors_lexicon), ("dates.lexicon", PackageResources.dates_lexicon),
        ("kinds.lexicon", PackageResources.kinds_lexicon), ("quantities.lexicon", PackageResources.quantities_lexicon),
        ("text.lexicon", PackageResources.text_lexicon),
    ].map { (name: $0.0, text: String(decoding: $0.1, as: UTF8.self)) })

    init(files: [(name: String, text: String)]) {
        var sections: [String: [Entry]] = [:]
        for file in files {
            var section = ""
            for rawLine in file.text.split(separator: "\n", omittingEmptySubsequences: true) {
                let line = rawLine.trimmingBlanks()
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line.hasPrefix("["), line.hasSuffix("]") {
                    section = String(line.dropFirst().dropLast())
                    continue
                }
                guard let colon = line.firstIndex(of: ":") else {
                    preconditionFailure("\(file.name): a lexicon line is `key: phrase, …`: \(line)")
                }
                let key = String(line[..<colon]).trimmingBlanks()
                let phrases = line[line.index(after: colon)...].split(separator: ",").map { phrase in
                    String(phrase).trimmingBlanks().lowercased().split(separator: " ").map(String.init)
                }.filter { !$0.isEmpty }
                sections[section, default: []].append(Entry(key: key, phrases: phrases))
            }
        }
        self.sections = sections
    }

    /// The entries of a section, in file order; a missing section is a build mistake.
    func entries(_ section: String) -> [Entry] {
        guard let entries = sections[section] else { preconditionFailure("the draft lexicon has no [\(section)] section") }
        return entries
    }

    /// Every phrase of a section as one flat list, each with its entry's key.
    func phrases(_ section: String) -> [(key: String, words: [String])] {
        entries(section).flatMap { entry in entry.phrases.map { (entry.key, $0) } }
    }

    /// The single-word phrases of a section, as a set.
    func words(_ section: String) -> Set<String> {
        Set(entries(section).flatMap { $0.phrases.filter { $0.count == 1 }.map { $0[0] } })
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
