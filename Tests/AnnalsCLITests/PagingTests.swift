import AnnalsTestSupport
import Foundation
import Testing

/// Every listing says when more follow, and its pages, read in turn, give the whole listing.
@Suite struct PagingTests {
    let directory = TemporaryDirectory()

    private func seeded() -> CLI {
        let cli = CLI(store: directory.appending("store"))
        #expect(cli.run("ingest", seedsDirectory).status == 0)
        return cli
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: [["timeline"], ["actor", "Putin"], ["timeline", "--from", "2021-05", "--to", "2021-05", "--as-of", "40"]])
    func timelinePagesReadInTurnGiveTheWholeTimeline(_ query: [String]) throws {
        let cli = seeded()
        let whole = try object(cli.run(query + ["--format", "json", "--limit", "1000"]).output)
        let all = try #require(whole["facts"] as? [[String: Any]]).map { $0["fact"] as? String }
        #expect(whole["more"] as? Bool == false)
        #expect(whole["next_offset"] is NSNull)
        var paged: [String?] = []
        var offset = 0
        while true {
            let page = try object(cli.run(query + ["--format", "json", "--limit", "3", "--offset", "\(offset)"]).output)
            let facts = try #require(page["facts"] as? [[String: Any]])
            paged += facts.map { $0["fact"] as? String }
            #expect(page["offset"] as? Int == offset)
            #expect(page["limit"] as? Int == 3)
            guard page["more"] as? Bool == true else {
                #expect(page["next_offset"] is NSNull)
                break
            }
            #expect(facts.count == 3)
            offset = try #require(page["next_offset"] as? Int)
        }
        #expect(paged == all)
    }

    @Test func theTableHeaderSaysMoreFollowAndWhereTheNextPageStarts() {
        let cli = seeded()
        let first = cli.run("timeline", "--limit", "2").output.split(separator: "\n").first ?? ""
        #expect(first.hasSuffix(" · 2 facts, more follow (--offset 2)"))
        let second = cli.run("timeline", "--limit", "2", "--offset", "2").output.split(separator: "\n").first ?? ""
        #expect(second.hasSuffix(" · facts 3–4, more follow (--offset 4)"))
        let last = cli.run("timeline", "--limit", "2", "--offset", "38").output.split(separator: "\n").first ?? ""
        #expect(last.hasSuffix(" · facts 39–39"))
        let past = cli.run("timeline", "--offset", "40").output
        #expect(past.hasSuffix(" · no facts after the first 40\nno facts\n"))
        #expect(cli.run("timeline").output.split(separator: "\n").first?.hasSuffix(" · 39 facts") == true)
    }

    @Test func theLogPagesWithAContinuationPosition() throws {
        let cli = seeded()
        let table = cli.run("log", "--limit", "2").output
        #expect(table.hasSuffix("more follow (--after 2)\n"))
        var positions: [Int] = []
        var after = 0
        while true {
            let page = try object(cli.run("log", "--format", "json", "--limit", "10", "--after", "\(after)").output)
            positions += try #require(page["events"] as? [[String: Any]]).compactMap { $0["position"] as? Int }
            guard page["more"] as? Bool == true else { break }
            after = try #require(page["next_after"] as? Int)
        }
        #expect(positions == Array(1...83))
        #expect(!cli.run("log", "--limit", "83").output.contains("more follow"))
    }

    @Test func actorsAndSourcesPage() throws {
        let cli = seeded()
        let actors = try object(cli.run("actors", "--format", "json", "--limit", "5", "--offset", "11").output)
        #expect((actors["actors"] as? [[String: Any]])?.map { $0["id"] as? String } == ["us-officials", "vladimir-putin"])
        #expect(actors["more"] as? Bool == false)
        #expect(cli.run("actors", "--limit", "5").output.hasSuffix("5 actors, more follow (--offset 5)\n"))
        let sources = try object(cli.run("sources", "--format", "json", "--limit", "1").output)
        #expect((sources["articles"] as? [[String: Any]])?.map { $0["id"] as? String } == ["reuters-2021-06-16-biden-putin-cyber"])
        #expect(sources["next_offset"] as? Int == 1)
        #expect(cli.run("sources", "--limit", "1", "--offset", "1").output.hasSuffix("articles 2–2\n"))
    }
}
