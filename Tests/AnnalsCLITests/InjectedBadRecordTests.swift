import AnnalsCorpus
import AnnalsTestSupport
import Foundation
import Testing

/// A kind of bad record, made for the place it is put: `article` is the last article recorded
/// before that place (`nil` at the very start), for records that cite one.
struct BadRecordFamily: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ article: String?, _ random: inout SeededGenerator) -> [UInt8]

    var testDescription: String { name }

    /// A fact record of the citing article with `fields` (JSON members) replacing the defaults.
    static func fact(_ name: String, _ fields: @escaping @Sendable (inout SeededGenerator) -> String) -> BadRecordFamily {
        BadRecordFamily(name: name) { article, random in
            let members = fields(&random)
            var record = #"{"type":"fact","article":"\#(article ?? "no-article-yet")","#
            if !members.contains(#""id":"#) { record += #""id":"injected-fact","# }
            if !members.contains(#""when":"#) { record += #""when":"2021-05","# }
            // Every generated sentence ends with a reference like "(ref. 12-0).".
            if !members.contains(#""quote":"#) { record += #""quote":"(ref.","# }
            record += #""kind":"report","summary":"Injected","# + members + "}"
            return Array(record.utf8)
        }
    }
}

private func letters(_ count: Int, _ random: inout SeededGenerator) -> String {
    String((0..<count).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &random))) })
}

/// Bad records of every family the bad-input table covers, each one refused on its own line.
let badRecordFamilies: [BadRecordFamily] = [
    BadRecordFamily(name: "alias too long for its event id") { _, random in
        let alias = String(repeating: "😀", count: Int.random(in: 60...120, using: &random))
        return Array(#"{"type":"alias","actor":"injected-actor","name":"Injected Person","kind":"person","aliases":["\#(alias)"]}"#.utf8)
    },
    .fact("id too long") { random in #""id":"\#(letters(Int.random(in: 101...400, using: &random), &random))""# },
    .fact("impossible date") { random in #""when":"2021-02-\#(Int.random(in: 30...31, using: &random))""# },
    .fact("UTC offset out of range") { random in #""when":"2021-06-16T14:00+14:\#(Int.random(in: 10...59, using: &random))""# },
    .fact("year 9999") { _ in #""when":"9999-12-31""# },
    .fact("undeclared actor") { random in #""actors":[{"actor":"nobody-\#(letters(8, &random))","role":"subject"}]"# },
    .fact("quote not in the article") { random in #""quote":"These words \#(letters(12, &random)) appear in no article.""# },
    .fact("quote with an invisible character") { _ in #""quote":"(ref.\u200B""# },
    .fact("too many actors") { random in
        #""actors":["# + (0...Int.random(in: 100...150, using: &random)).map { #"{"actor":"a\#($0)","role":"subject"}"# }.joined(separator: ",") + "]"
    },
    .fact("unknown field") { _ in #""wen":"2021""# },
    .fact("unknown quantity unit") { _ in #""quantities":[{"name":"ransom","value":5,"unit":"XYZ"}]"# },
    BadRecordFamily(name: "correction of a fact nobody asserted") { article, random in
        Array(#"{"type":"correction","article":"\#(article ?? "no-article-yet")","fact":"never-\#(letters(6, &random))","fields":{"when":"2021"},"reason":"R"}"#.utf8)
    },
    BadRecordFamily(name: "truncated JSON") { _, random in
        let whole = #"{"type":"alias","actor":"injected-actor","name":"Injected Person","kind":"person"}"#
        return Array(whole.utf8.prefix(Int.random(in: 1..<whole.utf8.count, using: &random)))
    },
    BadRecordFamily(name: "invalid UTF-8") { _, _ in
        Array(#"{"type":"alias","actor":"injected-actor","name":"Bad "#.utf8) + [0xC3, 0x28] + Array(#"","kind":"person"}"#.utf8)
    },
    BadRecordFamily(name: "NUL byte") { _, _ in
        Array(#"{"type":"alias","actor":"injected-actor","#.utf8) + [0] + Array(#""name":"X","kind":"person"}"#.utf8)
    },
    BadRecordFamily(name: "unknown record type") { _, _ in Array(#"{"type":"opinion"}"#.utf8) },
]

/// Changes to one fact of a fact file, each making it bad in its own way; the fact is one line
/// of flow-style YAML, so every problem is reported on that line.
let badFactEdits: [(name: String, edit: @Sendable (inout [String: Any], inout SeededGenerator) -> Void)] = [
    ("impossible date", { fact, _ in fact["when"] = "2021-04-31" }),
    ("year 9999", { fact, _ in fact["when"] = "9999" }),
    ("undeclared actor", { fact, random in fact["actors"] = [["actor": "nobody-" + letters(6, &random), "role": "subject"]] }),
    ("quote not in the text", { fact, random in fact["quote"] = "Words " + letters(10, &random) + " found nowhere." }),
    ("id too long", { fact, random in fact["id"] = letters(Int.random(in: 101...300, using: &random), &random) }),
    ("unknown field", { fact, _ in fact["wen"] = "2021" }),
    ("too many actors", { fact, _ in fact["actors"] = (0...100).map { ["actor": "a\($0)", "role": "subject"] } }),
]

/// A random valid corpus with one bad record put at a random line: the ingest names that line,
/// `--dry-run` names the same line, and the store stays byte for byte as it was, durable or bulk.
@Suite struct InjectedBadRecordTests {
    /// Set `ANNALS_SEED` to replay a failing run; otherwise the seeds are fixed.
    static let baseSeed = ProcessInfo.processInfo.environment["ANNALS_SEED"].flatMap { UInt64($0) } ?? 20_261_203

    @Test(arguments: badRecordFamilies)
    func oneBadJSONLinesRecordAnywhereIsReportedOnItsLineAndWritesNothing(_ family: BadRecordFamily) throws {
        let number = UInt64(badRecordFamilies.firstIndex { $0.name == family.name } ?? 0)
        let seed = Self.baseSeed &+ number
        var random = SeededGenerator(seed: seed)
        var lines = corpus(seed: seed)
        let index = Int.random(in: 0...lines.count, using: &random)
        let article = lines[..<index].last { $0.starts(with: Array(#"{"type":"article""#.utf8)) }.flatMap { json($0)?["id"] as? String }
        lines.insert(family.make(article, &random), at: index)

        let directory = TemporaryDirectory()
        let path = directory.appending("corpus.jsonl")
        try Data(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: path))
        try expectRefusal(of: path, in: directory, line: index + 1, random: &random,
                          context: "seed \(seed) (replay with ANNALS_SEED=\(Self.baseSeed)), \(family.name) at line \(index + 1)")
    }

    /// The same corpus as fact files, one per article with its text beside it, and one fact of
    /// one file made bad.
    @Test(arguments: badFactEdits.indices)
    func oneBadFactInADirectoryOfFactFilesIsReportedOnItsLineAndWritesNothing(_ number: Int) throws {
        let seed = Self.baseSeed &+ 1_000 &+ UInt64(number)
        var random = SeededGenerator(seed: seed)
        let directory = TemporaryDirectory()
        let input = directory.appending("input")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        var files: [(name: String, lines: [String], text: String)] = []
        for line in corpus(seed: seed) {
            guard var record = json(line), let type = record.removeValue(forKey: "type") as? String else { continue }
            if type == "article" {
                let text = record.removeValue(forKey: "text") as? String ?? ""
                files.append((String(format: "%04d", files.count), ["article: " + flow(record)], text))
                continue
            }
            let section = ["alias": "actors", "fact": "facts", "correction": "corrections", "retraction": "retractions"][type] ?? type
            record.removeValue(forKey: "article")
            if type == "alias", let actor = record.removeValue(forKey: "actor") { record["id"] = actor }
            // Sections in the order the file's records come; the generator writes them that way.
            if !files[files.count - 1].lines.contains(section + ":") { files[files.count - 1].lines.append(section + ":") }
            files[files.count - 1].lines.append("  - " + flow(record))
        }
        // Every fact line: the items after a "facts:" line, up to the next section.
        let candidates = files.indices.flatMap { file -> [(Int, Int)] in
            let lines = files[file].lines
            guard let start = lines.firstIndex(of: "facts:") else { return [] }
            return lines[(start + 1)...].prefix { $0.hasPrefix("  - ") }.indices.map { (file, $0) }
        }
        let (file, line) = candidates[Int.random(in: 0..<candidates.count, using: &random)]
        let (name, edit) = badFactEdits[number]
        if var fact = json(Array(files[file].lines[line].dropFirst(4).utf8)) {
            edit(&fact, &random)
            files[file].lines[line] = "  - " + flow(fact)
        }
        for entry in files {
            try (entry.lines.joined(separator: "\n") + "\n").write(toFile: "\(input)/\(entry.name).yaml", atomically: true, encoding: .utf8)
            try entry.text.write(toFile: "\(input)/\(entry.name).txt", atomically: true, encoding: .utf8)
        }
        let path = "\(input)/\(files[file].name).yaml"
        try expectRefusal(of: input, in: directory, file: path, line: line + 1, random: &random,
                          context: "seed \(seed) (replay with ANNALS_SEED=\(Self.baseSeed)), \(name) in \(files[file].name).yaml at line \(line + 1)")
    }

    private func corpus(seed: UInt64) -> [[UInt8]] {
        var generator = CorpusGenerator(CorpusGenerator.Options(facts: 300, seed: seed))
        var lines: [[UInt8]] = []
        _ = generator.generate { lines.append(Array($0.utf8.dropLast())) }
        return lines
    }

    private func json(_ line: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
    }

    /// A record as one line of flow-style YAML (JSON is a subset of it).
    private func flow(_ record: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Ingests `input` into a store holding the good fact file, dry and for real: both name
    /// `line` of `file` (`input` itself by default) on one line, status 65, and nothing changes.
    private func expectRefusal(of input: String, in directory: TemporaryDirectory, file: String? = nil, line: Int,
                               random: inout SeededGenerator, context: String) throws {
        let store = directory.appending("store")
        let cli = CLI(store: store)
        let good = directory.appending("good")
        try FileManager.default.createDirectory(atPath: good, withIntermediateDirectories: true)
        try goodFactFile.write(toFile: good + "/good.yaml", atomically: true, encoding: .utf8)
        try goodText.write(toFile: good + "/good.txt", atomically: true, encoding: .utf8)
        #expect(cli.run("ingest", good).status == 0)

        let prefix = "annals: \(file ?? input):\(line): "
        let before = dataFileBytes(store)
        let dryRun = cli.run("ingest", "--dry-run", input)
        #expect(dryRun.error.hasPrefix(prefix), "\(context): \(dryRun.error)")
        #expect(dryRun.error.filter { $0 == "\n" }.count == 1, "\(context): \(dryRun.error)")
        #expect(dryRun.status == 65, "\(context)")
        let bulk = Bool.random(using: &random)
        let result = cli.run(["ingest"] + (bulk ? ["--bulk"] : []) + [input])
        #expect(result.error == dryRun.error, "\(context), bulk: \(bulk)")
        #expect(result.status == 65, "\(context)")
        #expect(result.output == "", "\(context)")
        // Compared outside #expect: on a mismatch, #expect would diff two data files byte by byte.
        let unchanged = dataFileBytes(store) == before
        #expect(unchanged, "\(context): the store changed")
    }
}
