import AnnalsDomain
import AnnalsProjections
import AnnalsTestSupport
import AnnalsTimeline
import AnnalsTimelineProjections
import Foundation
import LMDB
import Testing

/// The raw page the query benchmark sets beside a real one: read through the timeline
/// projection's reader, so the benchmark knows nothing of the index's databases or keys.
@Suite struct TimelineRawEntriesTests {
    let directory = TemporaryDirectory()

    /// One fact dated to each of January, February and March 2021: three month buckets, one entry each.
    private func store() throws -> TimelineStore {
        var lines = [#"{"type":"article","id":"wire-1","title":"T","publisher":"P","published":"2021-04","text":"It happened."}"#]
        for month in 1...3 {
            lines.append(#"{"type":"fact","article":"wire-1","id":"f\#(month)","kind":"other","when":"2021-0\#(month)","summary":"Fact \#(month)","quote":"It happened."}"#)
        }
        let file = directory.appending("input.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let store = try TimelineStore(path: directory.appending("store"))
        try store.ingest(paths: [file])
        return store
    }

    @Test func readsFromTheMonthAskedForAndNoFurtherThanTheCount() throws {
        let store = try store()
        let counts = try store.environment.read { txn in
            let reader = TimelineProjection.Reader(try store.projections.state(of: TimelineProjection(), in: txn))
            return try [("2021-01", 1), ("2021-02", 2), ("2021-01", 3), ("2021-02", 20), ("2021-01", 0), ("2021-04", 20)].map { month, count in
                try reader.rawEntryBytes(from: try ValidTime(parsing: month).start, count: count, txn: txn)
            }
        }
        let january = counts[0], februaryOn = counts[1]
        #expect(january > 0)
        #expect(februaryOn > 0)
        #expect(counts[2] == january + februaryOn)
        #expect(counts[3] == februaryOn)
        #expect(counts[4] == 0)
        // No entry of any class sorts after March's bucket.
        #expect(counts[5] == 0)
    }
}
