import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import CLMDB
import Foundation
import Synchronization

/// Generated corpora are deterministic (seed 42), so each size is written once into a shared
/// directory and reused by later runs; writing goes through a temporary name and a rename so
/// an interrupted run never leaves half a corpus behind.
public func corpusFile(facts: Int) -> String {
    corpusFiles.withLock { cache in
        if let path = cache[facts] { return path }
        let directory = NSTemporaryDirectory() + "/annals-bench-corpora"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/facts-\(facts)-seed-42.jsonl"
        if !FileManager.default.fileExists(atPath: path) {
            let partial = "\(path).\(getpid()).partial"
            guard FileManager.default.createFile(atPath: partial, contents: nil), let handle = FileHandle(forWritingAtPath: partial) else {
                preconditionFailure("cannot write the corpus \(partial)")
            }
            var generator = CorpusGenerator(.init(facts: facts, seed: 42))
            var buffer = ""
            _ = generator.generate { line in
                buffer += line
                if buffer.utf8.count >= 1 << 20 {
                    handle.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
            handle.write(Data(buffer.utf8))
            handle.closeFile()
            precondition(rename(partial, path) == 0, "cannot rename \(partial)")
        }
        cache[facts] = path
        return path
    }
}

private let corpusFiles = Mutex<[Int: String]>([:])

/// Ingests `facts` generated facts into a fresh store at `path` and returns the store and the
/// ingest's report.
public func ingestCorpus(facts: Int, into path: String, eventsPerBatch: Int, durability: Durability) throws -> (TimelineStore, IngestReport) {
    var options = TimelineStore.Options()
    options.durability = durability
    let store = try TimelineStore(path: path, options: options)
    let report = try store.ingest(paths: [corpusFile(facts: facts)], options: IngestOptions(eventsPerBatch: eventsPerBatch))
    return (store, report)
}

/// Every entry of every named database of a store, copied out once, so that raw LMDB can
/// write exactly the same keys and values as Annals did.
public struct StoreContents {
    public struct Table {
        public let name: String
        public var keys: [[UInt8]] = []
        public var values: [[UInt8]] = []
    }

    public private(set) var tables: [Table] = []

    /// Reads the store at `path` (closed or open elsewhere: a separate read-only handle).
    public init(path: String) {
        let raw = RawLMDB(path: path, noSync: true, readOnly: true)
        var names: [String] = []
        raw.read { txn in
            var main = MDB_dbi()
            precondition(mdb_dbi_open(txn, nil, 0, &main) == 0)
            forEachEntry(txn, main) { key, _ in names.append(String(decoding: key, as: UTF8.self)) }
        }
        raw.open(names, create: false)
        raw.read { txn in
            for name in names {
                var table = Table(name: name)
                forEachEntry(txn, raw.databases[name]!) { key, value in
                    table.keys.append(Array(key))
                    table.values.append(Array(value))
                }
                tables.append(table)
            }
        }
    }

    /// Entries in the tables `include` selects.
    public func entryCount(where include: (String) -> Bool) -> Int {
        tables.filter { include($0.name) }.reduce(0) { $0 + $1.keys.count }
    }

    /// Puts the selected tables' entries into `raw`, table after table and each in key order
    /// (the cheapest order for a B+tree), spread evenly over `transactions` write transactions.
    public func write(into raw: RawLMDB, transactions: Int, where include: (String) -> Bool) {
        let selected = tables.filter { include($0.name) }
        raw.open(selected.map(\.name))
        let total = selected.reduce(0) { $0 + $1.keys.count }
        let perTransaction = max(1, (total + max(transactions, 1) - 1) / max(transactions, 1))
        var tableIndex = 0
        var entryIndex = 0
        while tableIndex < selected.count {
            raw.write { txn in
                var written = 0
                while written < perTransaction, tableIndex < selected.count {
                    let table = selected[tableIndex]
                    if entryIndex == table.keys.count {
                        tableIndex += 1
                        entryIndex = 0
                        continue
                    }
                    let dbi = raw.databases[table.name]!
                    table.keys[entryIndex].withUnsafeBytes { key in
                        table.values[entryIndex].withUnsafeBytes { value in
                            precondition(rawPut(txn, dbi, key: key, value: value, flags: 0) == 0)
                        }
                    }
                    entryIndex += 1
                    written += 1
                }
            }
        }
        raw.sync()
    }
}

/// Calls `body` with every key and value of `dbi`, in key order, borrowed from the map.
public func forEachEntry(_ txn: OpaquePointer, _ dbi: MDB_dbi, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Void) {
    var cursor: OpaquePointer?
    precondition(mdb_cursor_open(txn, dbi, &cursor) == 0)
    defer { mdb_cursor_close(cursor) }
    var key = MDB_val(), value = MDB_val()
    var op = MDB_FIRST
    while mdb_cursor_get(cursor, &key, &value, op) == 0 {
        body(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size), UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
        op = MDB_NEXT
    }
}

/// Whether a database belongs to the event log (the rest belong to projections and the catalog).
public func isLogTable(_ name: String) -> Bool {
    name == EventLog.DatabaseName.records || name == EventLog.DatabaseName.ids || name == EventLog.DatabaseName.meta
}

/// Whether a database holds projection state.
public func isProjectionTable(_ name: String) -> Bool { ProjectionEngine.projection(owningDatabase: name) != nil }
