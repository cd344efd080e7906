import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsTimeline
import Benchmark
import BenchmarkSupport
import Foundation

// The whole ingest — parse and validate the generated JSON Lines corpus, append to the log,
// bring the built-in projections up to date — at three batch sizes, durable and bulk. Each
// has a raw-LMDB twin in the same run: the same final keys and values of every database (read
// back from an Annals store built beforehand), put in the same number of write transactions
// with the same durability. The twin writes each database in key order, which is the cheapest
// order LMDB has; the gap to it is what parsing, hashing and the projections' scattered index
// inserts cost.
//
// Batches break only between articles, so "batch 1" commits one article (about 9 events) per
// transaction; "batch 100" and "batch 10000" are events per transaction.

// package-benchmark records no throughput for iterations over two seconds (and the report
// then drops the row), so each workload is sized to stay under that on a 2-core machine.
private let cases: [(facts: Int, label: String, batch: Int)] = [
    (1_000, "1k", 1), (10_000, "10k", 100), (40_000, "40k", 10_000),
]

/// One Annals store per corpus and batch size, built once (bulk) to give the twins their
/// contents and transaction counts.
private final class TwinSources: @unchecked Sendable {
    private var built: [String: (contents: StoreContents, logTransactions: Int, projectionTransactions: Int)] = [:]

    func source(facts: Int, batch: Int) throws -> (contents: StoreContents, logTransactions: Int, projectionTransactions: Int) {
        let key = "\(facts)-\(batch)"
        if let source = built[key] { return source }
        let directory = ScratchDirectory("twin-source")
        defer { directory.remove() }
        var transactions = (0, 0)
        do {
            let (_, report) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: batch, durability: .bulk)
            // The catch-up after an ingest applies `projectionEventsPerTransaction` events per transaction.
            let perTransaction = IngestOptions().projectionEventsPerTransaction
            transactions = (report.batches, max(1, (report.eventsAppended + perTransaction - 1) / perTransaction))
        }
        let source = (StoreContents(path: directory.path), transactions.0, transactions.1)
        built[key] = source
        return source
    }
}

private let twinSources = TwinSources()

let benchmarks: @Sendable () -> Void = {
    let diskPerFact = BenchmarkMetric.custom("disk bytes per fact", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, diskPerFact],
        timeUnits: .nanoseconds,
        warmupIterations: 0,
        scalingFactor: .kilo,
        maxDuration: .seconds(30),
        maxIterations: 3
    )

    for (facts, label, batch) in cases {
        for durability in [Durability.durable, .bulk] {
            let mode = durability == .bulk ? "bulk" : "durable"
            let workload = "ingest \(label) facts, log + projections, batch \(batch), \(mode)"
            Benchmark("\(workload) — Annals") { benchmark in
                _ = corpusFile(facts: facts)  // generated outside the measurement
                let directory = ScratchDirectory("ingest")
                defer { directory.remove() }
                benchmark.startMeasurement()
                let (store, _) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: batch, durability: durability)
                benchmark.stopMeasurement()
                blackHole(store)
                benchmark.measurement(diskPerFact, directory.dataFileSize / facts)
            }

            Benchmark("\(workload) — raw LMDB") { benchmark in
                let source = try twinSources.source(facts: facts, batch: batch)
                let directory = ScratchDirectory("ingest-raw")
                defer { directory.remove() }
                let raw = RawLMDB(path: directory.path, noSync: durability == .bulk)
                benchmark.startMeasurement()
                source.contents.write(into: raw, transactions: source.logTransactions, where: isLogTable)
                source.contents.write(into: raw, transactions: source.projectionTransactions) { !isLogTable($0) }
                benchmark.stopMeasurement()
                benchmark.measurement(diskPerFact, directory.dataFileSize / facts)
            }
        }
    }

    // Rebuilding every built-in projection from a log of 50k facts, against raw LMDB writing
    // the same projection entries in the same number of transactions.
    Benchmark("rebuild projections from 50k facts — Annals") { benchmark in
        let directory = ScratchDirectory("rebuild")
        defer { directory.remove() }
        let (store, _) = try ingestCorpus(facts: 50_000, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
        benchmark.startMeasurement()
        let reports = try store.projections.rebuild()
        benchmark.stopMeasurement()
        blackHole(reports)
    }

    Benchmark("rebuild projections from 50k facts — raw LMDB") { benchmark in
        let source = try twinSources.source(facts: 50_000, batch: 10_000)
        let directory = ScratchDirectory("rebuild-raw")
        defer { directory.remove() }
        let raw = RawLMDB(path: directory.path, noSync: true)
        benchmark.startMeasurement()
        source.contents.write(into: raw, transactions: source.projectionTransactions, where: isProjectionTable)
        benchmark.stopMeasurement()
    }

    // A declared projection (an analyst's projection file) against the built-in timeline, each
    // rebuilt alone from the same log of 30k facts (the timeline's rebuild stays under the two
    // seconds an iteration may take): the declared one should run at no less than half the
    // timeline's rate (the report's ratio is timeline time / declared time).
    Benchmark("rebuild one projection from 30k facts — declared") { benchmark in
        let directory = ScratchDirectory("rebuild-declared")
        defer { directory.remove() }
        do {
            let (built, _) = try ingestCorpus(facts: 30_000, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
            try built.define(try ProjectionFile(yaml: CorpusGenerator.benchmarkProjection, file: "benchmark"))
        }
        var options = TimelineStore.Options()
        options.durability = .bulk
        let store = try TimelineStore(path: directory.path, options: options)
        benchmark.startMeasurement()
        let reports = try store.projections.rebuild([CorpusGenerator.benchmarkProjectionName])
        benchmark.stopMeasurement()
        blackHole(reports)
    }

    Benchmark("rebuild one projection from 30k facts — timeline") { benchmark in
        let directory = ScratchDirectory("rebuild-timeline")
        defer { directory.remove() }
        let (store, _) = try ingestCorpus(facts: 30_000, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
        benchmark.startMeasurement()
        let reports = try store.projections.rebuild(["timeline"])
        benchmark.stopMeasurement()
        blackHole(reports)
    }
}
