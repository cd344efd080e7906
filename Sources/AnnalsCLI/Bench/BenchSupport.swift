import AnnalsCorpus
import AnnalsLog
import LMDB
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scratch directory for one benchmark run, removed afterwards unless kept.
struct BenchScratch {
    let path: String
    let keep: Bool

    init(under parent: String?, keep: Bool) throws {
        let base = parent ?? temporaryDirectoryPath()
        var template = Array("\(base)/annals-bench.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw UsageFailure("cannot create a scratch directory in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
        self.keep = keep
    }

    func appending(_ name: String) -> String { path + "/" + name }

    /// Removes the scratch directory and what is in it (stores and the corpus).
    func remove() {
        guard !keep else { return }
        for entry in directoryEntries(path) {
            let child = appending(entry)
            var info = stat()
            if stat(child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { removeDirectory(child) } else { unlink(child) }
        }
        rmdir(path)
    }
}

func directoryEntries(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// Bytes a file occupies on disk (allocated blocks, so sparse regions do not count).
func diskBytes(_ path: String) -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return Int(info.st_blocks) * 512
}

/// Writes a generated corpus to `path` and returns what it holds.
func generateCorpus(facts: Int, seed: UInt64, to path: String) throws -> CorpusGenerator.Summary {
    guard let file = fopen(path, "w") else { throw UsageFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    setvbuf(file, nil, _IOFBF, 1 << 20)
    var generator = CorpusGenerator(.init(facts: facts, seed: seed))
    let progress = ProgressDisplay(label: "generating corpus", unit: "bytes", minimumTotal: 1 << 20)
    let expected = facts * 620
    let summary = generator.generate { line in
        fputs(line, file)
        progress.update(done: min(Int(ftell(file)), expected), total: expected)
    }
    progress.finish()
    guard fflush(file) == 0 else { throw UsageFailure("writing \(path) failed: \(String(cString: strerror(errno)))") }
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
        if let file = fopen("/proc/self/status", "r") {
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 256)
            while fgets(&line, Int32(line.count), file) != nil {
                let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let parts = text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" || $0 == "\n" })
                if parts.count >= 2, let kilobytes = Int(parts[1]) { values[String(parts[0])] = kilobytes * 1024 }
            }
        }
        return MemoryUse(residentBytes: values["VmRSS"] ?? 0, anonymousBytes: values["RssAnon"] ?? 0, peakResidentBytes: values["VmHWM"] ?? 0)
    }
}

/// Samples memory every 50 ms on a background thread and keeps the peaks.
final class MemorySampler: Sendable {
    private final class State: Sendable {
        let peaks = Mutex((resident: 0, anonymous: 0))
        let running = Atomic<Bool>(true)
    }

    private let state = State()
    private let thread: Thread

    init() {
        let state = self.state
        thread = Thread {
            while state.running.load(ordering: .relaxed) {
                let use = MemoryUse.now()
                state.peaks.withLock { $0 = (max($0.resident, use.residentBytes), max($0.anonymous, use.anonymousBytes)) }
                usleep(50_000)
            }
        }
    }

    /// Stops sampling; returns the peak resident and anonymous bytes seen.
    func stop() -> (resident: Int, anonymous: Int) {
        state.running.store(false, ordering: .relaxed)
        thread.join()
        let use = MemoryUse.now()
        return state.peaks.withLock { (max($0.resident, use.residentBytes, use.peakResidentBytes), max($0.anonymous, use.anonymousBytes)) }
    }
}

/// A joinable pthread running a closure.
final class Thread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&handle, nil, { context in
            let thread = Unmanaged<Thread>.fromOpaque(context!).takeRetainedValue()
            thread.body()
            return nil
        }, context)
    }

    func join() { pthread_join(handle, nil) }
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
