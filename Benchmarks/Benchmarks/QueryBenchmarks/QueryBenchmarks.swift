import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import AnnalsTimelineProjections
import Benchmark
import BenchmarkSupport
import CLMDB
import Foundation
import LMDB

// Reads from a store of 100k generated facts (built once per process, outside every
// measurement): as-of and current timeline pages, and point reads of events by id. Each has a
// raw-LMDB twin in the same run doing the least work that could produce the same bytes.

private let facts = 100_000
private let queries = 1_000
private let pageSize = 20
private let pointReads = 10_000

/// The store every query benchmark reads, with what the queries ask for.
private final class QueryFixture: @unchecked Sendable {
    let directory = ScratchDirectory("query")
    let store: TimelineStore
    let head: UInt64
    /// (first month of the page, as-of position) per query, from a fixed seed.
    let pages: [(from: ValidTime, asOf: UInt64)]
    /// Ids of events at random positions.
    let ids: [String]
    /// The timeline projection's reader, for the raw baseline of a page.
    let timeline: TimelineProjection.Reader

    init() {
        do {
            let (store, _) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
            let head = try store.log.head()
            var random = SplitMix(seed: 7)
            let months = (2006..<2026).flatMap { year in (1...12).map { String(format: "%d-%02d", year, $0) } }
            let pages = try (0..<queries).map { _ in
                (from: try ValidTime(parsing: months[Int(random.next() % UInt64(months.count))]), asOf: 1 + random.next() % head)
            }
            let positions = (0..<pointReads).map { _ in 1 + random.next() % head }
            (self.store, self.head, self.pages) = (store, head, pages)
            ids = try positions.map { try store.log.event(at: $0)!.id }
            timeline = try store.environment.read { txn in TimelineProjection.Reader(try store.projections.state(of: TimelineProjection(), in: txn)) }
        } catch {
            fatalError("cannot build the query fixture: \(error)")
        }
    }
}

nonisolated(unsafe) private var sharedFixture: QueryFixture?
private var fixture: QueryFixture {
    if let sharedFixture { return sharedFixture }
    let made = QueryFixture()
    sharedFixture = made
    return made
}

/// Raw LMDB's cost of a page: one read transaction, a seek into the timeline index, `pageSize`
/// entries read — no filtering by transaction time, no decoding, no fetching of facts.
private func rawPages(_ fixture: QueryFixture) throws -> Int {
    var touched = 0
    for page in fixture.pages {
        try fixture.store.environment.read { txn in
            touched &+= try fixture.timeline.rawEntryBytes(from: page.from.start, count: pageSize, txn: txn)
        }
    }
    return touched
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 1,
        scalingFactor: .kilo,
        maxDuration: .seconds(20),
        maxIterations: 20
    )
    Benchmark.teardown = { sharedFixture?.directory.remove() }

    Benchmark("as-of timeline page of 20, 1k queries over 100k facts — Annals") { benchmark in
        let fixture = fixture
        benchmark.startMeasurement()
        for page in fixture.pages {
            blackHole(try fixture.store.timeline(TimelineQuery(from: page.from, asOf: .position(page.asOf), limit: pageSize)))
        }
    }
    Benchmark("as-of timeline page of 20, 1k queries over 100k facts — raw LMDB") { benchmark in
        let fixture = fixture
        benchmark.startMeasurement()
        blackHole(try rawPages(fixture))
    }

    Benchmark("current timeline page of 20, 1k queries over 100k facts — Annals") { benchmark in
        let fixture = fixture
        benchmark.startMeasurement()
        for page in fixture.pages {
            blackHole(try fixture.store.timeline(TimelineQuery(from: page.from, limit: pageSize)))
        }
    }
    Benchmark("current timeline page of 20, 1k queries over 100k facts — raw LMDB") { benchmark in
        let fixture = fixture
        benchmark.startMeasurement()
        blackHole(try rawPages(fixture))
    }

    Benchmark("event by id, 10k point reads, a transaction each — Annals") { benchmark in
        let fixture = fixture
        benchmark.startMeasurement()
        for id in fixture.ids { blackHole(try fixture.store.log.event(id: id)) }
    }
    Benchmark("event by id, 10k point reads, a transaction each — raw LMDB") { benchmark in
        let fixture = fixture
        let ids = try fixture.store.environment.openDatabase(EventLog.DatabaseName.ids, create: false)
        let records = try fixture.store.environment.openDatabase(EventLog.DatabaseName.records, create: false)
        benchmark.startMeasurement()
        var bytes: [UInt8] = []
        for id in fixture.ids {
            try fixture.store.environment.read { txn in
                let position = try txn.get(id, in: ids)!
                bytes = Array(try txn.get(position, in: records)!)  // an owned copy, as Annals returns
            }
            blackHole(bytes.count)
        }
    }

    Benchmark("event by id, 10k point reads in one transaction — Annals") { benchmark in
        let fixture = fixture
        let log = fixture.store.log
        benchmark.startMeasurement()
        try fixture.store.environment.read { txn in
            for id in fixture.ids {
                let position = try log.position(ofID: id, in: txn)!
                blackHole(try log.view(at: position, in: txn)!.payload.count)
            }
        }
    }
    Benchmark("event by id, 10k point reads in one transaction — raw LMDB") { benchmark in
        let fixture = fixture
        let ids = try fixture.store.environment.openDatabase(EventLog.DatabaseName.ids, create: false)
        let records = try fixture.store.environment.openDatabase(EventLog.DatabaseName.records, create: false)
        benchmark.startMeasurement()
        try fixture.store.environment.read { txn in
            for id in fixture.ids {
                let position = try txn.get(id, in: ids)!
                blackHole(try txn.get(position, in: records)!.count)
            }
        }
    }
}
