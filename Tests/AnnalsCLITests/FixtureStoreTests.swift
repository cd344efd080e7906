import AnnalsTestSupport
import Foundation
import Testing

/// A store written by Annals 0.1.0 (`Tests/Fixtures/store-0.1.0`, see its README) still opens,
/// verifies to the same head hash, and answers every question as that release did.
@Suite struct FixtureStoreTests {
    static let fixture = repositoryRoot + "/Tests/Fixtures/store-0.1.0"
    let directory = TemporaryDirectory()

    /// A copy of the fixture: queries may rebuild projections, and the fixture stays as written.
    private func copy() throws -> CLI {
        let store = directory.appending("store")
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture + "/data.mdb", toPath: store + "/data.mdb")
        return CLI(store: store)
    }

    private func answer(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixture)/answers/\(name)")))
    }

    private func json(_ cli: CLI, _ arguments: String...) throws -> Any {
        try json(cli, arguments)
    }

    private func json(_ cli: CLI, _ arguments: [String]) throws -> Any {
        let result = cli.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.error)")
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }

    @Test func itVerifiesToTheSameHeadHash() throws {
        let cli = try copy()
        let expected = try String(contentsOfFile: Self.fixture + "/answers/verify.txt", encoding: .utf8)
        let result = cli.run("verify")
        #expect(result.status == 0, "\(result.error)")
        let hash = { (text: String) in text.firstMatch(of: /head hash ([0-9a-f]{64})/).map { String($0.1) } }
        #expect(hash(result.output) == hash(expected))
        #expect(hash(expected) != nil)
        #expect(result.output.hasPrefix("log intact: 78 events"))
    }

    @Test(arguments: [
        ("timeline.json", ["timeline", "--limit", "1000"]),
        ("timeline-as-of-36.json", ["timeline", "--as-of", "36", "--limit", "1000"]),
        ("timeline-as-of-73.json", ["timeline", "--as-of", "73", "--limit", "1000"]),
        ("timeline-may.json", ["timeline", "--from", "2021-05", "--to", "2021-05", "--limit", "1000"]),
        ("actor-putin.json", ["actor", "Putin", "--limit", "1000"]),
    ])
    func timelinesAnswerAsTheyDid(_ answerFile: String, _ arguments: [String]) throws {
        let cli = try copy()
        let old = try #require(try answer(answerFile) as? [[String: Any]])
        let new = try #require((try json(cli, arguments + ["--format", "json"]) as? [String: Any])?["facts"] as? [[String: Any]])
        #expect(new.map(FactAnswer.init) == old.map(FactAnswer.init), "\(arguments)")
        #expect(new.count == old.count)
    }

    @Test(arguments: [
        ("fact-ransom.json", ["fact", "colonial-pipeline-ransom-payment"]),
        ("fact-talks-as-of-77.json", ["fact", "geneva-summit-talks-duration", "--as-of", "77"]),
    ])
    func factsAnswerAsTheyDid(_ answerFile: String, _ arguments: [String]) throws {
        let cli = try copy()
        let old = try #require(try answer(answerFile) as? [String: Any])
        let new = try #require(try json(cli, arguments + ["--format", "json"]) as? [String: Any])
        #expect(FactAnswer(new) == FactAnswer(old))
    }

    @Test func historiesAnswerAsTheyDid() throws {
        let cli = try copy()
        let old = try #require(try answer("fact-attack-history.json") as? [[String: Any]])
        let new = try #require(try json(cli, "fact", "colonial-pipeline-attack", "--history", "--format", "json") as? [[String: Any]])
        #expect(new.map(FactAnswer.init) == old.map(FactAnswer.init))
        #expect(new.map { $0["until"] as? Int } == old.map { $0["until"] as? Int })
        #expect(new.count == 3)
    }

    @Test func actorsAndSourcesAnswerAsTheyDid() throws {
        let cli = try copy()
        let oldActors = try #require(try answer("actors.json") as? [[String: Any]])
        let newActors = try #require((try json(cli, "actors", "--format", "json", "--limit", "1000") as? [String: Any])?["actors"] as? [[String: Any]])
        let actor = { (actor: [String: Any]) in
            "\(actor["id"] ?? "") \(actor["name"] ?? "") \(actor["kind"] ?? "") \(actor["aliases"] ?? "") \(actor["facts"] ?? "") \(actor["position"] ?? "")"
        }
        #expect(newActors.map(actor) == oldActors.map(actor))
        let oldSources = try #require(try answer("sources.json") as? [[String: Any]])
        let newSources = try #require((try json(cli, "sources", "--format", "json") as? [String: Any])?["articles"] as? [[String: Any]])
        let source = { (article: [String: Any]) in
            ["id", "title", "publisher", "published", "url", "position", "recorded_at", "facts"].map { "\(article[$0] ?? "")" }.joined(separator: " | ")
        }
        #expect(newSources.map(source) == oldSources.map(source))
    }
}

/// What a fact's JSON says, in the fields both releases print: today's adds fields (every
/// field of each source and correction) and shows a correction's fields with their values.
private struct FactAnswer: Equatable, CustomStringConvertible {
    let text: String

    init(_ json: [String: Any]) {
        func string(_ value: Any?) -> String {
            guard let value else { return "-" }
            if value is NSNull { return "null" }
            if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                return String(decoding: data, as: UTF8.self)
            }
            return "\(value)"
        }
        var parts = ["fact", "kind", "when", "start", "end", "approximate", "said", "summary", "actors", "quantities", "place",
                     "conflicts", "position", "version", "recorded_at", "roles", "until"].map { "\($0)=\(string(json[$0]))" }
        let sources = (json["sources"] as? [[String: Any]] ?? []).map { source in
            ["article", "quote", "when", "position"].map { "\($0)=\(string(source[$0]))" }.joined(separator: ",")
        }
        parts.append("sources=\(sources)")
        let corrections = (json["corrections"] as? [[String: Any]] ?? []).map { correction -> String in
            let fields = (correction["fields"] as? [String]) ?? ((correction["fields"] as? [String: Any]).map { Array($0.keys) } ?? [])
            return "\(string(correction["article"])) \(string(correction["reason"])) \(string(correction["position"])) \(Set(fields).sorted())"
        }
        parts.append("corrections=\(corrections)")
        let retracted = (json["retracted"] as? [String: Any]).map { "\(string($0["article"])) \(string($0["reason"])) \(string($0["position"]))" } ?? "none"
        parts.append("retracted=\(retracted)")
        text = parts.joined(separator: "\n")
    }

    var description: String { text }
}
