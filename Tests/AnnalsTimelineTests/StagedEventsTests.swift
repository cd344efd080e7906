import AnnalsLog
@testable import AnnalsTimeline
import Testing

/// Staged events come back in order, in batches of whole articles, whether they stayed in
/// memory or went to a temporary file and came back in chunks that cut records apart.
@Suite struct StagedEventsTests {
    /// Articles of 0 to 6 events with payloads of 0 to 300 bytes, and events before the first article.
    private static func articles() -> [[NewEvent]] {
        var generator = SplitMix(seed: 12)
        return (0..<40).map { article in
            (0..<Int(generator.next() % 7)).map { index in
                NewEvent(
                    id: "article/\(article)/event/\(index)", type: index == 0 ? "article.recorded" : "fact.asserted",
                    metadata: EventMetadata(source: "input.jsonl:\(article * 10 + index)", correlationID: "\(article)",
                                            causationID: index == 0 ? nil : "article/\(article)"),
                    payload: (0..<Int(generator.next() % 300)).map { UInt8(truncatingIfNeeded: $0 &+ index) })
            }
        }
    }

    private static func stage(_ articles: [[NewEvent]], into staged: StagedEvents) throws {
        for event in [NewEvent(id: "before", type: "actor.named", payload: [1])] { try event.withBorrowed { try staged.append($0) } }
        for article in articles {
            try staged.beginArticle()
            for event in article { try event.withBorrowed { try staged.append($0) } }
        }
    }

    /// The batches a limit makes: an article start ends a batch of `limit` or more events.
    private static func expectedBatches(_ articles: [[NewEvent]], limit: Int) -> [[NewEvent]] {
        var batches: [[NewEvent]] = []
        var batch = [NewEvent(id: "before", type: "actor.named", payload: [1])]
        for article in articles {
            if batch.count >= limit, !batch.isEmpty {
                batches.append(batch)
                batch = []
            }
            batch += article
        }
        if !batch.isEmpty { batches.append(batch) }
        return batches
    }

    @Test(arguments: [1, 5, 1000])
    func batchesAreWholeArticlesInMemoryAndAfterSpilling(limit: Int) throws {
        let articles = Self.articles()
        for (budget, chunk) in [(128 << 20, 4 << 20), (700, 97), (1, 7)] {
            let staged = StagedEvents(memoryBudget: budget, readChunkSize: chunk)
            try Self.stage(articles, into: staged)
            var batches: [[NewEvent]] = []
            try staged.forEachBatch(limit: limit) { batch in batches.append(batch.map { $0.copy() }) }
            #expect(batches == Self.expectedBatches(articles, limit: limit), "budget \(budget), chunks of \(chunk)")
            #expect(staged.eventCount == 1 + articles.joined().count)
        }
    }

    @Test func anEventsSourceIsItsRecordsLocation() {
        let long = String(repeating: "directory/", count: 30) + "input.jsonl"
        for location in [SourceLocation(file: "input.jsonl", line: 7), SourceLocation(file: "ärzte/input.jsonl", line: 123_456), SourceLocation(file: long, line: 3)] {
            var source: [UInt8] = []
            IngestPlanner.eventSource(location, into: &source)
            #expect(String(decoding: source, as: UTF8.self) == IngestPlanner.eventSource(location))
        }
        #expect(IngestPlanner.eventSource(SourceLocation(file: "input.jsonl", line: 7)) == "input.jsonl:7")
    }
}

/// A small deterministic generator, so that a failure repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
