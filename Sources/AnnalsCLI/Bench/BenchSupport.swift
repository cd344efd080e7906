import AnnalsCorpus
import AnnalsLog
import AnnalsPlatform
import Dispatch
import LMDB
import Synchronization

/// A scratch directory for one benchmark run, removed afterwards unless kept.
struct BenchScratch {
    let path: String
    let keep: Bool

    init(under parent: String?, keep: Bool) throws {
        let base = parent ?? System.temporaryDirectory
        do throws(Errno) {
            path = try FileSystem.makeTemporaryDirectory(label: "annals-bench", in: base)
        } catch {
            throw UsageFailure("cannot create a scratch directory in \(base): \(error)")
        }
        self.keep = keep
    }

    func appending(_ name: String) -> String { path + "/" + name }

    /// Removes the scratch directory and what is in it (stores and the corpus).
    func remove() {
        guard !keep else { return }
        FileSystem.removeTree(path)
    }
}

/// Bytes a file occupies on disk (allocated blocks, so sparse regions do not count).
func diskBytes(_ path: String) -> Int {
    (try? FileSystem.status(path).allocatedBytes) ?? 0
}

/// Writes a generated corpus to `path` and returns what it holds.
func generateCorpus(facts: Int, seed: UInt64, to path: String) throws -> CorpusGenerator.Summary {
    var output: BufferedOutput
    do throws(Errno) {
        output = BufferedOutput(try FileDescriptor.create(path, mode: 0o666))
    } catch {
        throw UsageFailure("cannot write \(path): \(error)")
    }
    var generator = CorpusGenerator(.init(facts: facts, seed: seed))
    let progress = ProgressDisplay(label: "generating corpus", unit: "bytes", minimumTotal: 1 << 20)
    let expected = facts * 620
    let summary = generator.generate { line in
        output.write(line)
        progress.update(done: min(output.count, expected), total: expected)
    }
    progress.finish()
    do throws(Errno) { try output.flush() } catch { throw UsageFailure("writing \(path) failed: \(error)") }
    return summary
}

/// The process's resident memory, read from /proc: all of it, and the anonymous part (the
/// heap), which excludes the store's file pages the kernel maps in and can drop at will.
struct MemoryUse {
    let residentBytes: Int
    let anonymousBytes: Int
    /// The kernel's high-water mark of resident memory.
    let peakResidentBytes: Int

    static func now() -> MemoryUse {
        var values: [String: Int] = [:]
        if let file = try? FileDescriptor.openForReading("/proc/self/status"), let bytes = try? file.readAll(sizeHint: 4096) {
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                let text = String(decoding: line, as: UTF8.self)
                let parts = text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
                if parts.count >= 2, let kilobytes = Int(parts[1]) { values[String(parts[0])] = kilobytes * 1024 }
            }
        }
        return MemoryUse(residentBytes: values["VmRSS"] ?? 0, anonymousBytes: values["RssAnon"] ?? 0, peakResidentBytes: values["VmHWM"] ?? 0)
    }
}

/// Samples memory every 50 ms in the background and keeps the peaks.
final class MemorySampler: Sendable {
    private let peaks = Mutex((resident: 0, anonymous: 0))
    private let running = Atomic<Bool>(true)
    private let sampling = DispatchGroup()

    init() {
        // A queue of its own runs on Dispatch's overcommitting pool, which starts a thread when
        // the others are busy: a loop that mostly sleeps must not hold one of the shared pool's
        // few (one per core) while ingest parses on another.
        DispatchQueue(label: "annals.bench.memory-sampler").async(group: sampling) { [self] in
            while running.load(ordering: .relaxed) {
                let use = MemoryUse.now()
                peaks.withLock { $0 = (max($0.resident, use.residentBytes), max($0.anonymous, use.anonymousBytes)) }
                System.sleep(.milliseconds(50))
            }
        }
    }

    /// Stops sampling; returns the peak resident and anonymous bytes seen.
    func stop() -> (resident: Int, anonymous: Int) {
        running.store(false, ordering: .relaxed)
        sampling.wait()
        let use = MemoryUse.now()
        return peaks.withLock { (max($0.resident, use.residentBytes, use.peakResidentBytes), max($0.anonymous, use.anonymousBytes)) }
    }
}

/// Percentiles of a set of durations (seconds).
struct Percentiles {
    let p50: Double
    let p99: Double
    let max: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
        }
        p50 = at(0.5)
        p99 = at(0.99)
        max = sorted.last ?? 0
    }
}

/// Seconds elapsed while running `body`.
func timed<R>(_ body: () throws -> R) rethrows -> (R, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    let elapsed = clock.now - start
    return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// The baseline of every ratio: the same records as an Annals log, written with raw LMDB puts
/// — each record appended under its position, each id inserted into an index — in batches of
/// the same size and with the same durability, and no validation, hashing or projections.
enum RawLMDBTwin {
    /// Copies `log`'s records into a fresh environment at `path`, a batch at a time, timing
    /// only the writes (each batch is read from the log beforehand, outside the clock).
    static func writeLog(of log: EventLog, to path: String, batch: Int, durable: Bool) throws -> (seconds: Double, batchSeconds: [Double]) {
        var flags: Environment.Flags = [.noThreadLocalStorage]
        if !durable { flags.insert(.noSync) }
        let env = try Environment(path: path, configuration: .init(mapSize: 1 << 30, flags: flags))
        let data = try env.openDatabase("log")
        let ids = try env.openDatabase("ids")
        let head = try log.head()
        var batchSeconds: [Double] = []
        var records: [(id: [UInt8], record: [UInt8])] = []
        records.reserveCapacity(batch)
        var position: UInt64 = 0
        while position < head {
            records.removeAll(keepingCapacity: true)
            try log.environment.read { txn in
                try log.forEach(in: txn, positions: (position + 1)...min(position + UInt64(batch), head)) { event in
                    records.append((Array(event.idBytes), Array(event.record)))
                    return true
                }
            }
            let (_, elapsed) = try timed {
                try env.write { txn in
                    var next = position
                    for (id, record) in records {
                        next += 1
                        try txn.put(next, forKey: id, in: ids, flags: .noOverwrite)
                        try txn.put(record, forKey: next, in: data, flags: .append)
                    }
                }
            }
            position += UInt64(records.count)
            batchSeconds.append(elapsed)
        }
        if !durable {
            let (_, flush) = try timed { try env.sync(force: true) }
            batchSeconds[batchSeconds.count - 1] += flush
        }
        return (batchSeconds.reduce(0, +), batchSeconds)
    }

    /// Reads every record of `log`'s database in key order, touching each value once.
    static func scanLog(at path: String) throws -> (events: Int, seconds: Double) {
        let env = try Environment(path: path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        let data = try env.openDatabase(EventLog.DatabaseName.records, create: false)
        var checksum = 0
        var count = 0
        let (_, seconds) = try timed {
            try env.read { txn in
                try txn.forEach(in: data) { entry in
                    checksum &+= entry.value.count &+ Int(entry.value[0])
                    count += 1
                    return true
                }
            }
        }
        return (count + (checksum & 0), seconds)
    }
}
