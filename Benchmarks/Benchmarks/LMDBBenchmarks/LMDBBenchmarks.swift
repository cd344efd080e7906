import Benchmark
import CLMDB
import Foundation
import LMDB

// The same workload twice in one run — once through the Swift layer, once through direct
// C calls — so the layer's overhead is a ratio measured on the same machine at the same time.
// Commits are not flushed (`MDB_NOSYNC`) in both, so the figures measure the code, not the disk.

private let totalValues = 1_000_000
private let valuesPerTransaction = 10_000
private let valueSize = 200

private func freshDirectory(_ label: String) -> String {
    let path = "\(NSTemporaryDirectory())/annals-bench-\(label)-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private let payload = [UInt8](repeating: 0xA5, count: valueSize)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .nanoseconds,  // with the scaling factor: nanoseconds per put
        warmupIterations: 1,
        scalingFactor: .mega,  // one iteration is a million puts
        maxDuration: .seconds(30),
        maxIterations: 7
    )

    Benchmark("LMDB append 1M × 200 B, 10k per txn — Swift layer") { benchmark in
        let path = freshDirectory("swift")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let env = try Environment(path: path, configuration: .init(mapSize: 1 << 30, flags: [.noThreadLocalStorage, .noSync]))
        let db = try env.openDatabase("values")
        benchmark.startMeasurement()
        var key: UInt64 = 0
        for _ in 0..<(totalValues / valuesPerTransaction) {
            try env.write { txn in
                for _ in 0..<valuesPerTransaction {
                    key += 1
                    try txn.put(payload, forKey: key, in: db, flags: .append)
                }
            }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("LMDB append 1M × 200 B, 10k per txn — direct C calls") { benchmark in
        let path = freshDirectory("c")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var env: OpaquePointer?
        mdb_env_create(&env)
        mdb_env_set_mapsize(env, 1 << 30)
        mdb_env_set_maxdbs(env, 64)
        guard mdb_env_open(env, path, UInt32(MDB_NOTLS | MDB_NOSYNC), 0o644) == 0 else { fatalError("mdb_env_open") }
        defer { mdb_env_close(env) }
        var dbi = MDB_dbi()
        var txn: OpaquePointer?
        mdb_txn_begin(env, nil, 0, &txn)
        mdb_dbi_open(txn, "values", UInt32(MDB_CREATE), &dbi)
        mdb_txn_commit(txn)
        benchmark.startMeasurement()
        var key: UInt64 = 0
        payload.withUnsafeBytes { value in
            for _ in 0..<(totalValues / valuesPerTransaction) {
                mdb_txn_begin(env, nil, 0, &txn)
                for _ in 0..<valuesPerTransaction {
                    key += 1
                    var bigEndian = key.bigEndian
                    withUnsafeMutableBytes(of: &bigEndian) { keyBytes in
                        var k = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
                        let rc = mdb_put(txn, dbi, &k, &v, UInt32(MDB_APPEND))
                        precondition(rc == 0, "mdb_put failed: \(rc)")
                    }
                }
                mdb_txn_commit(txn)
            }
        }
        benchmark.stopMeasurement()
    }
}
