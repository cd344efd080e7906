import AnnalsLog
import Benchmark
import BenchmarkSupport
import CLMDB
import Foundation

// Appending events with 200-byte payloads through the event log and — in the same run — through
// raw LMDB doing the same puts (a record appended to the log database, an entry inserted into
// the id index), at batches of 1, 100 and 10,000 events, durable and bulk. Then replaying the
// whole log. `make bench` prints the per-event figures and the ratios to raw LMDB.
//
// Durable commits wait for the disk, so the small batches append fewer events: enough commits
// for a stable figure without minutes of fsyncs.

private let replayEvents = 1_000_000
private let payloadSize = 200
private let eventType = "fact.asserted"

private struct AppendCase {
    let events: Int
    let label: String
    let batch: Int
    let durability: Durability
    let shape: IDShape
}

private let appendCases = [
    AppendCase(events: 2_000, label: "2k", batch: 1, durability: .durable, shape: .inOrder),
    AppendCase(events: 20_000, label: "20k", batch: 1, durability: .bulk, shape: .inOrder),
    AppendCase(events: 50_000, label: "50k", batch: 100, durability: .durable, shape: .inOrder),
    AppendCase(events: 200_000, label: "200k", batch: 100, durability: .bulk, shape: .inOrder),
    AppendCase(events: 1_000_000, label: "1M", batch: 10_000, durability: .durable, shape: .inOrder),
    AppendCase(events: 1_000_000, label: "1M", batch: 10_000, durability: .bulk, shape: .inOrder),
    // Random ids cost more per insert; half as many keep an iteration under the two seconds
    // past which package-benchmark records no throughput.
    AppendCase(events: 500_000, label: "500k", batch: 10_000, durability: .bulk, shape: .random),
]

private func makeBatches(_ shape: IDShape, events eventCount: Int, batch batchSize: Int) -> [[NewEvent]] {
    stride(from: 0, to: eventCount, by: batchSize).map { start in
        (start..<min(start + batchSize, eventCount)).map { n in
            NewEvent(id: shape.id(n), type: eventType, schemaVersion: 1,
                     payload: [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: payloadSize))
        }
    }
}

/// Raw-LMDB twin: for each event, the id index insert and a record of the size the log writes.
private func rawAppend(_ batches: [[NewEvent]], into directory: ScratchDirectory, noSync: Bool) {
    let raw = RawLMDB(path: directory.path, noSync: noSync)
    raw.open(["log", "ids"])
    let log = raw.databases["log"]!, ids = raw.databases["ids"]!
    var record = [UInt8](repeating: 0, count: 64 + 20 + eventType.utf8.count + payloadSize)
    var position: UInt64 = 0
    for batch in batches {
        raw.write { txn in
            for event in batch {
                position += 1
                var key = position.bigEndian
                var id = event.id
                let inserted = withUnsafeBytes(of: &key) { positionBytes in
                    id.withUTF8 { idBytes in
                        rawPut(txn, ids, key: UnsafeRawBufferPointer(idBytes), value: positionBytes, flags: MDB_NOOVERWRITE)
                    }
                }
                precondition(inserted == 0)
                record.withUnsafeMutableBytes { recordBytes in
                    recordBytes.storeBytes(of: position, toByteOffset: 32, as: UInt64.self)
                    withUnsafeBytes(of: &key) { positionBytes in
                        precondition(rawPut(txn, log, key: positionBytes, value: UnsafeRawBufferPointer(recordBytes), flags: MDB_APPEND) == 0)
                    }
                }
            }
        }
    }
    raw.sync()
}

let benchmarks: @Sendable () -> Void = {
    let diskPerEvent = BenchmarkMetric.custom("disk bytes per event", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, diskPerEvent],
        timeUnits: .nanoseconds,
        warmupIterations: 0,
        scalingFactor: .kilo,  // the report divides by the events in each name; .mega would round slow rows to 0/s
        maxDuration: .seconds(60),
        maxIterations: 5,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 1])]
    )

    for appendCase in appendCases {
        let (shape, durability, eventCount) = (appendCase.shape, appendCase.durability, appendCase.events)
        let mode = durability == .bulk ? "bulk" : "durable"
        let label = "append \(appendCase.label) × 200 B, batch \(appendCase.batch), \(mode), \(shape.rawValue)"
        Benchmark("\(label) — Annals") { benchmark in
            let batches = makeBatches(shape, events: eventCount, batch: appendCase.batch)
            let directory = ScratchDirectory("log")
            defer { directory.remove() }
            let log = try EventLog(path: directory.path, durability: durability)
            benchmark.startMeasurement()
            for batch in batches { try log.append(batch) }
            try log.flush()
            benchmark.stopMeasurement()
            benchmark.measurement(diskPerEvent, directory.dataFileSize / eventCount)
        }

        Benchmark("\(label) — raw LMDB") { benchmark in
            let batches = makeBatches(shape, events: eventCount, batch: appendCase.batch)
            let directory = ScratchDirectory("raw")
            defer { directory.remove() }
            benchmark.startMeasurement()
            rawAppend(batches, into: directory, noSync: durability == .bulk)
            benchmark.stopMeasurement()
            benchmark.measurement(diskPerEvent, directory.dataFileSize / eventCount)
        }
    }

    Benchmark("replay decode 1M events — Annals") { benchmark in
        let directory = ScratchDirectory("replay")
        defer { directory.remove() }
        let log = try EventLog(path: directory.path, durability: .bulk)
        for batch in makeBatches(.inOrder, events: replayEvents, batch: 10_000) { try log.append(batch) }
        var checksum: UInt64 = 0
        benchmark.startMeasurement()
        try log.replay { event in
            checksum &+= event.position &+ UInt64(event.payload.count) &+ UInt64(event.schemaVersion)
            return true
        }
        benchmark.stopMeasurement()
        blackHole(checksum)
    }

    Benchmark("replay decode 1M events — raw LMDB") { benchmark in
        let directory = ScratchDirectory("replay-raw")
        defer { directory.remove() }
        rawAppend(makeBatches(.inOrder, events: replayEvents, batch: 10_000), into: directory, noSync: true)
        let raw = RawLMDB(path: directory.path, noSync: true)
        raw.open(["log"])
        let log = raw.databases["log"]!
        var checksum: UInt64 = 0
        benchmark.startMeasurement()
        raw.read { txn in
            var cursor: OpaquePointer?
            mdb_cursor_open(txn, log, &cursor)
            var key = MDB_val(), value = MDB_val()
            var op = MDB_FIRST
            while mdb_cursor_get(cursor, &key, &value, op) == 0 {
                checksum &+= UInt64(key.mv_size) &+ UInt64(value.mv_size)
                op = MDB_NEXT
            }
            mdb_cursor_close(cursor)
        }
        benchmark.stopMeasurement()
        blackHole(checksum)
    }
}
