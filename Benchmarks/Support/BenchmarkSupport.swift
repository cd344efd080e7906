import CLMDB
import Foundation

/// A fresh, empty directory for one benchmark's store; removed by ``remove()``.
public struct ScratchDirectory {
    public let path: String

    public init(_ label: String) {
        path = "\(NSTemporaryDirectory())/annals-bench-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The size of the store's data file in bytes.
    public var dataFileSize: Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// How benchmark event ids are ordered, which decides how much work the id index does.
public enum IDShape: String, CaseIterable, Sendable {
    /// Ids that sort in arrival order, as Annals' ingest names events (article-scoped, and
    /// articles arrive roughly in publication order): index inserts land near the end.
    case inOrder = "in-order ids"
    /// Ids in random order (hashes): every insert lands on a random index page. The worst case.
    case random = "random ids"

    /// The id of the `n`th event: 20 bytes either way.
    public func id(_ n: Int) -> String {
        var z = UInt64(n)
        if self == .random {
            z &+= 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
        }
        let hex = String(z, radix: 16)
        return "evt-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The same writes as Annals makes, through direct C calls: the baseline for every ratio.
public final class RawLMDB {
    public let env: OpaquePointer
    public private(set) var databases: [String: MDB_dbi] = [:]

    public init(path: String, noSync: Bool, readOnly: Bool = false, mapSize: Int = 8 << 30) {
        var env: OpaquePointer?
        mdb_env_create(&env)
        mdb_env_set_mapsize(env, mapSize)
        mdb_env_set_maxdbs(env, 64)
        let flags = UInt32(MDB_NOTLS) | (noSync ? UInt32(MDB_NOSYNC) : 0) | (readOnly ? UInt32(MDB_RDONLY) : 0)
        precondition(mdb_env_open(env, path, flags, 0o644) == 0, "mdb_env_open \(path)")
        self.env = env!
    }

    deinit { mdb_env_close(env) }

    public func open(_ names: [String], create: Bool = true) {
        var txn: OpaquePointer?
        precondition(mdb_txn_begin(env, nil, create ? 0 : UInt32(MDB_RDONLY), &txn) == 0)
        for name in names {
            var dbi = MDB_dbi()
            precondition(mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi) == 0, "mdb_dbi_open \(name)")
            databases[name] = dbi
        }
        precondition(mdb_txn_commit(txn) == 0)
    }

    /// Runs `body` in a write transaction and commits.
    public func write(_ body: (OpaquePointer) -> Void) {
        var txn: OpaquePointer?
        precondition(mdb_txn_begin(env, nil, 0, &txn) == 0)
        body(txn!)
        precondition(mdb_txn_commit(txn) == 0)
    }

    /// Runs `body` in a read transaction.
    public func read(_ body: (OpaquePointer) -> Void) {
        var txn: OpaquePointer?
        precondition(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn) == 0)
        body(txn!)
        mdb_txn_abort(txn)
    }

    public func sync() { mdb_env_sync(env, 1) }
}

/// `mdb_put` of raw bytes; traps on failure, which a benchmark cannot recover from.
@inline(__always)
public func rawPut(_ txn: OpaquePointer, _ dbi: MDB_dbi, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: Int32) -> Int32 {
    var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
    var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
    return mdb_put(txn, dbi, &k, &v, UInt32(flags))
}
