import AnnalsTestSupport
import Foundation
import Testing

/// `--format timelinejs`: TimelineJS3's JSON, checked against the structure its documentation
/// gives (timeline.knightlab.com/docs/json-format.html), with dates at their own precision and
/// article text escaped for the HTML TimelineJS makes of it.
@Suite struct TimelineJSTests {
    let directory = TemporaryDirectory()

    private func document(_ cli: CLI, _ arguments: String...) throws -> [String: Any] {
        let result = cli.run(arguments + ["--format", "timelinejs"])
        #expect(result.status == 0, "\(result.error)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        let document = try #require(parsed as? [String: Any])
        try TimelineJSStructure.check(document)
        return document
    }

    private func events(_ document: [String: Any]) -> [[String: Any]] {
        document["events"] as? [[String: Any]] ?? []
    }

    private func event(_ id: String, in document: [String: Any]) throws -> [String: Any] {
        try #require(events(document).first { $0["unique_id"] as? String == id }, "no slide for \(id)")
    }

    @Test func theSeedsMakeOneSlidePerCurrentFactAtItsOwnPrecision() throws {
        let cli = CLI.seeded(in: directory)
        let now = try document(cli, "timeline", "--limit", "1000")
        let facts = cli.run("timeline", "--format", "jsonl", "--limit", "1000").output.split(separator: "\n")
        #expect(events(now).count == facts.count)
        #expect(Set(events(now).compactMap { $0["unique_id"] as? String }).count == facts.count)

        let attack = try event("colonial-pipeline-attack", in: now)
        #expect(attack["start_date"] as? [String: Int] == ["year": 2021, "month": 5, "day": 6])
        #expect(attack["end_date"] == nil)
        #expect(attack["display_date"] == nil)
        #expect(attack["group"] as? String == "attack")
        #expect(attack["autolink"] as? Bool == false)
        let text = try #require(attack["text"] as? [String: String])
        #expect(text["headline"] == "<bdi>Ransomware cyber-attack disrupts activity at the Colonial Pipeline in the U.S. Southeast</bdi>")
        #expect(text["text"]?.contains("<blockquote><bdi>This is a hacker attack on the Colonial Pipeline that took place on May 6.</bdi></blockquote>") == true)
        // Two sources that differ in precision, each named by its article.
        #expect(text["text"]?.contains("≈ sources differ in precision on <bdi>when</bdi>: <bdi>Biden tells Putin certain cyber-attacks should be &#39;off-limits&#39;, Reuters, 2021-06-16</bdi> says <bdi>2021-05</bdi>") == true)

        // As of position 36 the attack was known only to the month: no day.
        let then = try document(cli, "timeline", "--as-of", "36", "--kind", "attack")
        #expect(try event("colonial-pipeline-attack", in: then)["start_date"] as? [String: Int] == ["year": 2021, "month": 5])

        // An interval known to the month at one end and the day at the other.
        let attribution = try event("colonial-pipeline-attack-attribution", in: now)
        #expect(attribution["start_date"] as? [String: Int] == ["year": 2021, "month": 5])
        #expect(attribution["end_date"] as? [String: Int] == ["year": 2021, "month": 6, "day": 16])
        #expect(attribution["display_date"] == nil)
        // Open at the start: placed at its end and said in words.
        let denial = try event("putin-says-colonial-hackers-not-linked-to-russian-state", in: now)
        #expect(denial["start_date"] as? [String: Int] == ["year": 2021, "month": 6, "day": 16])
        #expect(denial["end_date"] == nil)
        #expect(denial["display_date"] as? String == "until June 16, 2021")

        let title = try #require((now["title"] as? [String: Any])?["text"] as? [String: String])
        #expect(title["headline"] == "<bdi>Timeline</bdi>")
        #expect(title["text"]?.hasPrefix("<bdi>as of position 83 (recorded 2026-01-02T03:04:") == true)
    }

    @Test func anActorsSlidesAreGroupedByTheRolesItPlays() throws {
        let cli = CLI.seeded(in: directory)
        let putin = try document(cli, "actor", "Putin", "--limit", "1000")
        let roles = cli.run("actor", "Putin", "--format", "jsonl", "--limit", "1000").output.split(separator: "\n").map { line in
            let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            return (object?["roles"] as? [String])?.joined(separator: ", ") ?? ""
        }
        #expect(events(putin).map { $0["group"] as? String ?? "" } == roles)
        #expect(roles.contains("speaker"))
        let title = try #require((putin["title"] as? [String: Any])?["text"] as? [String: String])
        #expect(title["headline"] == "<bdi>Vladimir Putin — timeline</bdi>")
    }

    @Test func articleTextStaysTextInTheHTMLTimelineJSMakes() throws {
        let cli = CLI(store: directory.appending("store"))
        let folder = directory.appending("hostile")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let summary = "<script>alert(1)</script> \u{202E}reversed"
        let quote = "\"><img src=x onerror=alert(2)>"
        try "\(summary) \(quote)\n".write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        try """
        article:
          id: hostile
          title: "</bdi><script>alert(3)</script>"
          publisher: "A & B"
          published: 2021-06-20
          url: "https://example.org/a?x=1&y=\\"><script>"
        facts:
          - id: hostile-fact
            kind: statement
            when: 2021-06-20
            summary: '\(summary)'
            quote: '\(quote)'
        """.write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        let ingest = cli.run("ingest", folder)
        #expect(ingest.status == 0, "\(ingest.error)")
        let slide = try event("hostile-fact", in: try document(cli, "timeline"))
        let text = try #require(slide["text"] as? [String: String])
        #expect(text["headline"] == "<bdi>&lt;script&gt;alert(1)&lt;/script&gt; \u{202E}reversed</bdi>")
        let body = try #require(text["text"])
        #expect(body.contains("<blockquote><bdi>&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</bdi></blockquote>"))
        #expect(body.contains("<a href=\"https://example.org/a?x=1&amp;y=&quot;&gt;&lt;script&gt;\" rel=\"noopener noreferrer nofollow\"><bdi>&lt;/bdi&gt;&lt;script&gt;alert(3)&lt;/script&gt;, A &amp; B, 2021-06-20</bdi></a>"))
        #expect(!body.contains("<script") && !body.contains("<img"))
    }
}

/// TimelineJS3's documented JSON structure: which members each object may have, which are
/// required, and what they hold.
enum TimelineJSStructure {
    struct Violation: Error, CustomStringConvertible {
        let description: String
    }

    static let documentMembers: Set<String> = ["events", "title", "eras", "scale"]
    static let slideMembers: Set<String> = ["start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink", "unique_id"]
    static let dateMembers: Set<String> = ["year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"]
    static let textMembers: Set<String> = ["headline", "text"]

    static func check(_ document: [String: Any]) throws {
        try members(document, allowed: documentMembers, at: "the document")
        guard let events = document["events"] as? [[String: Any]] else { throw Violation(description: "events is not a list of slides") }
        if let title = document["title"] {
            guard let title = title as? [String: Any] else { throw Violation(description: "title is not a slide") }
            try slide(title, at: "title", isTitle: true)
        }
        for (index, event) in events.enumerated() { try slide(event, at: "events[\(index)]", isTitle: false) }
    }

    static func slide(_ slide: [String: Any], at place: String, isTitle: Bool) throws {
        try members(slide, allowed: slideMembers, at: place)
        if !isTitle {
            guard let start = slide["start_date"] as? [String: Any] else { throw Violation(description: "\(place) has no start_date") }
            try date(start, at: place + ".start_date")
        }
        if let end = slide["end_date"] {
            guard let end = end as? [String: Any] else { throw Violation(description: "\(place).end_date is not a date") }
            try date(end, at: place + ".end_date")
        }
        if let text = slide["text"] {
            guard let text = text as? [String: Any] else { throw Violation(description: "\(place).text is not an object") }
            try members(text, allowed: textMembers, at: place + ".text")
            guard text.values.allSatisfy({ $0 is String }) else { throw Violation(description: "\(place).text holds a value that is not a string") }
        }
        for name in ["group", "display_date", "unique_id"] where slide[name] != nil && !(slide[name] is String) {
            throw Violation(description: "\(place).\(name) is not a string")
        }
    }

    static func date(_ date: [String: Any], at place: String) throws {
        try members(date, allowed: dateMembers, at: place)
        let ranges: [(String, ClosedRange<Int>)] = [("month", 1...12), ("day", 1...31), ("hour", 0...23), ("minute", 0...59), ("second", 0...59), ("millisecond", 0...999)]
        guard date["year"] is Int else { throw Violation(description: "\(place) has no year") }
        for (name, range) in ranges {
            guard let value = date[name] else { continue }
            guard let number = value as? Int, range.contains(number) else { throw Violation(description: "\(place).\(name) is not in \(range)") }
        }
        // Each part needs the coarser ones: no day without a month.
        let order = ["month", "day", "hour", "minute", "second"]
        for (index, name) in order.enumerated().dropFirst() where date[name] != nil && date[order[index - 1]] == nil {
            throw Violation(description: "\(place) has a \(name) without a \(order[index - 1])")
        }
    }

    static func members(_ object: [String: Any], allowed: Set<String>, at place: String) throws {
        if let unknown = Set(object.keys).subtracting(allowed).sorted().first {
            throw Violation(description: "\(place) has a member TimelineJS does not know: \(unknown)")
        }
    }
}
