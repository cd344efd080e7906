import AnnalsTestSupport
import Foundation
import Testing

/// The seed articles, ingested in order, as the README's demo shows them.
@Suite struct SeedCorpusTests {
    let directory = TemporaryDirectory()
    var cli: CLI { CLI(store: directory.appending("store")) }

    private func ingestedSeeds() -> CLI {
        let cli = self.cli
        let result = cli.run("ingest", seedsDirectory)
        #expect(result.status == 0, "\(result.error)")
        return cli
    }

    @Test func ingestingTheSeedsTwiceAppendsNothingTheSecondTime() {
        let cli = self.cli
        let first = cli.run("ingest", seedsDirectory)
        #expect(first.status == 0)
        #expect(first.error == "")
        let lines = first.output.split(separator: "\n")
        #expect(lines.first == "read 2 articles, 48 facts, 0 corrections, 0 retractions (28.0 KiB)")
        #expect(lines.dropFirst().first == "appended 83 events at positions 1–83")
        #expect(lines.dropFirst(2).first == "  20 actor.aliased, 13 actor.named, 2 article.recorded, 48 fact.asserted")
        let before = dataFileBytes(directory.appending("store"))
        let second = cli.run("ingest", seedsDirectory)
        #expect(second.status == 0)
        #expect(second.output == "read 2 articles, 48 facts, 0 corrections, 0 retractions (28.0 KiB)\nnothing new: the store already holds every record (50 unchanged)\n")
        #expect(dataFileBytes(directory.appending("store")) == before)
        let dryRun = cli.run("ingest", "--dry-run", seedsDirectory)
        #expect(dryRun.output.hasSuffix("nothing new: every record is already in the store\n"))
    }

    @Test func theLogInJSONShowsArticleAndFactEventsWithTheirQuotes() throws {
        let cli = ingestedSeeds()
        let result = cli.run("log", "--format", "json", "--limit", "200")
        #expect(result.status == 0)
        let page = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(page["more"] as? Bool == false)
        let events = try #require(page["events"] as? [[String: Any]])
        #expect(events.count == 83)
        #expect(events.map { $0["position"] as? Int } == Array(1...83))
        let articles = events.filter { $0["type"] as? String == "article.recorded" }
        #expect(articles.map { $0["id"] as? String } == ["article/reuters-2021-06-16-biden-putin-cyber", "article/cryptonews-2021-06-biden-cyber-arrangement"])
        let attack = try #require(events.first { $0["id"] as? String == "article/reuters-2021-06-16-biden-putin-cyber/asserts/colonial-pipeline-attack" })
        let payload = try #require(attack["payload"] as? [String: Any])
        #expect(payload["when"] as? String == "2021-05")
        #expect(payload["said"] as? String == "in May")
        #expect(payload["quote"] as? String == "Putin brought up a ransomware cyber-attack in May that disrupted activity at the Colonial Pipeline in the U.S. Southeast")
        #expect(attack["recorded_at"] as? String == "2026-01-02T03:04:07.000000Z")
        #expect(attack["source"] as? String == "\(seedsDirectory)/000_2a48a415106be147.yaml:58")
    }

    @Test func theAttacksDateSharpensWhenTheSecondArticleArrives() throws {
        let cli = ingestedSeeds()
        let sources = cli.run("sources", "--format", "jsonl").output.split(separator: "\n")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(sources[1].utf8)) as? [String: Any])
        let before = (second["position"] as? Int ?? 0) - 1
        #expect(before == 37)
        let then = (try JSONSerialization.jsonObject(with: Data(cli.run("timeline", "--kind", "attack", "--as-of", "\(before)", "--format", "json").output.utf8)) as? [String: Any])?["facts"] as? [[String: Any]]
        let now = (try JSONSerialization.jsonObject(with: Data(cli.run("timeline", "--kind", "attack", "--format", "json").output.utf8)) as? [String: Any])?["facts"] as? [[String: Any]]
        #expect(then?.map { $0["when"] as? String } == ["2021-05"])
        #expect((then?.first?["sources"] as? [Any])?.count == 1)
        #expect(now?.map { $0["when"] as? String } == ["2021-05-06"])
        #expect(((now?.first?["sources"] as? [[String: Any]]) ?? []).map { $0["article"] as? String }
                == ["reuters-2021-06-16-biden-putin-cyber", "cryptonews-2021-06-biden-cyber-arrangement"])
        let conflicts = now?.first?["conflicts"] as? [[String: Any]]
        #expect(conflicts?.first?["field"] as? String == "when")
        #expect(conflicts?.first?["kind"] as? String == "refinement")
        #expect(now?.first?["position"] as? Int == 56)
    }

    @Test(arguments: [
        (["timeline"], "seeds-timeline.txt"),
        (["timeline", "--from", "2021-05", "--to", "2021-05"], "seeds-timeline-may.txt"),
        (["actor", "Putin"], "seeds-actor-putin.txt"),
        (["actors"], "seeds-actors.txt"),
        (["fact", "colonial-pipeline-attack", "--history"], "seeds-fact-history.txt"),
        (["fact", "colonial-pipeline-ransom-payment"], "seeds-fact-ransom.txt"),
        (["timeline", "--kind", "attack", "--as-of", "37"], "seeds-as-of-before.txt"),
        (["timeline", "--kind", "attack", "--as-of", "83"], "seeds-as-of-after.txt"),
        (["timeline", "--format", "csv", "--limit", "5"], "seeds-timeline.csv"),
        (["sources"], "seeds-sources.txt"),
    ])
    func outputsMatchTheirGoldenFiles(_ arguments: [String], _ golden: String) {
        let cli = ingestedSeeds()
        let result = cli.run(arguments)
        #expect(result.status == 0)
        #expect(result.error == "")
        let (matches, difference) = matchesGolden(result.output, golden)
        #expect(matches, "\(difference)")
    }

    @Test func actorsAsOfAPositionKnowOnlyTheNamesRecordedByThen() throws {
        let cli = ingestedSeeds()
        // "Joseph Biden" is first recorded at 39, Bloomberg at 54, "Russian Federation" at 51.
        for (arguments, message) in [
            (["actor", "Joseph Biden", "--as-of", "37"], "annals: no actor was called \"Joseph Biden\" as of position 37: the name was first recorded at position 39\n"),
            (["actor", "bloomberg", "--as-of", "37"], "annals: no actor was called \"bloomberg\" as of position 37: the name was first recorded at position 54\n"),
            (["timeline", "--actor", "Russian Federation", "--as-of", "37"],
             "annals: no actor was called \"Russian Federation\" as of position 37: the name was first recorded at position 51\n"),
        ] {
            let result = cli.run(arguments)
            #expect(result.error == message)
            #expect(result.status == 1)
            #expect(result.output == "")
        }
        let biden = cli.run("actor", "Joe Biden", "--as-of", "37")
        #expect(biden.output.hasPrefix("Joe Biden (person, id joe-biden) — also U.S. President Joe Biden, Biden\nas of position 37 "))
        let directory = try #require((try JSONSerialization.jsonObject(with: Data(cli.run("actors", "--as-of", "37", "--format", "json").output.utf8)) as? [String: Any])?["actors"] as? [[String: Any]])
        #expect(directory.map { $0["id"] as? String } == [
            "colonial-pipeline", "colonial-pipeline-hackers", "joe-biden", "russia", "russian-hackers", "united-states",
            "us-homeland-security-department", "us-officials", "vladimir-putin",
        ])
        #expect(directory.first { $0["id"] as? String == "russia" }?["aliases"] as? [String] == ["Moscow"])
        #expect(directory.first { $0["id"] as? String == "joe-biden" }?["facts"] as? Int == 5)
        let now = try #require((try JSONSerialization.jsonObject(with: Data(cli.run("actors", "--format", "json").output.utf8)) as? [String: Any])?["actors"] as? [[String: Any]])
        #expect(now.first { $0["id"] as? String == "russia" }?["aliases"] as? [String] == ["Moscow", "Russian Federation"])
        #expect(now.first { $0["id"] as? String == "joe-biden" }?["facts"] as? Int == 15)
    }

    @Test func asOfATimeBeforeTheSecondArticleGivesTheFirstArticlesView() {
        let cli = ingestedSeeds()
        // The pinned clock advances a second per reading: the store is created at 03:04:06, the
        // Reuters batch commits at 03:04:07 and the second article's at 03:04:08.
        let reutersOnly = cli.run("timeline", "--kind", "attack", "--as-of", "2026-01-02T03:04:07Z", "--format", "jsonl")
        #expect(reutersOnly.output.contains("\"when\":\"2021-05\""))
        let both = cli.run("timeline", "--kind", "attack", "--as-of", "2026-01-02T03:04:08Z", "--format", "jsonl")
        #expect(both.output.contains("\"when\":\"2021-05-06\""))
        let before = cli.run("timeline", "--as-of", "2026-01-01T00:00:00Z")
        #expect(before.output == "as of position 0 · 0 facts\nno facts\n")
    }
}
