import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsTimeline
import Benchmark
import BenchmarkSupport
import Foundation

// Allocation counts on the hot paths, checked against the static thresholds committed in
// `Benchmarks/Thresholds/`: `make bench` fails when a path allocates more than its threshold
// allows (the tolerance below). Only mallocs are measured here: they are the same on every
// run of the same build, unlike times, so a regression is a real one.
//
// After a deliberate change, refresh the thresholds with `make bench-thresholds` and commit them.

private let facts = 10_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 5,
        // Percent over the committed p90 that still passes; the rest is a regression.
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 3])]
    )

    Benchmark("log-append-10k-events-batch-10000") { benchmark in
        let batch = (0..<10_000).map { n in
            NewEvent(id: "evt-\(n)", type: "fact.asserted", payload: [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 200))
        }
        let directory = ScratchDirectory("alloc-append")
        defer { directory.remove() }
        let log = try EventLog(path: directory.path, durability: .bulk)
        benchmark.startMeasurement()
        try log.append(batch)
        benchmark.stopMeasurement()
    }

    Benchmark("ingest-10k-facts-log-and-projections") { benchmark in
        _ = corpusFile(facts: facts)
        let directory = ScratchDirectory("alloc-ingest")
        defer { directory.remove() }
        benchmark.startMeasurement()
        let (store, _) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
        benchmark.stopMeasurement()
        blackHole(store)
    }

    Benchmark("replay-decode-10k-facts") { benchmark in
        let directory = ScratchDirectory("alloc-replay")
        defer { directory.remove() }
        let (store, _) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
        var checksum: UInt64 = 0
        benchmark.startMeasurement()
        try store.log.replay { event in
            checksum &+= event.position &+ UInt64(event.payload.count)
            return true
        }
        benchmark.stopMeasurement()
        blackHole(checksum)
    }

    Benchmark("rebuild-projections-10k-facts") { benchmark in
        let directory = ScratchDirectory("alloc-rebuild")
        defer { directory.remove() }
        let (store, _) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
        benchmark.startMeasurement()
        blackHole(try store.projections.rebuild())
        benchmark.stopMeasurement()
    }

    Benchmark("as-of-timeline-100-pages") { benchmark in
        let directory = ScratchDirectory("alloc-query")
        defer { directory.remove() }
        let (store, _) = try ingestCorpus(facts: facts, into: directory.path, eventsPerBatch: 10_000, durability: .bulk)
        let head = try store.log.head()
        var random = SplitMix(seed: 7)
        let pages = try (0..<100).map { _ in
            (try ValidTime(parsing: String(format: "%d-%02d", 2006 + Int(random.next() % 20), 1 + Int(random.next() % 12))), 1 + random.next() % head)
        }
        benchmark.startMeasurement()
        for (from, asOf) in pages {
            blackHole(try store.timeline(TimelineQuery(from: from, asOf: .position(asOf), limit: 20)))
        }
        benchmark.stopMeasurement()
    }
}
