import CLMDB

/// A read or write transaction, lent to the closure given to ``Environment/read(_:)`` or
/// ``Environment/write(_:)``.
///
/// The type is non-copyable and only ever borrowed, so it cannot escape its closure: the
/// transaction ends when the closure returns. Buffers it returns point into the memory map and
/// are valid until the transaction ends or its next write.
public struct Transaction: ~Copyable {
    @usableFromInline let handle: OpaquePointer
    /// `true` for a read transaction.
    public let isReadOnly: Bool
    /// Lives on the stack of `Environment.write`; records that LMDB reported a full map, so the
    /// environment can grow and retry even when the closure wrapped or swallowed that error.
    @usableFromInline let outcome: UnsafeMutablePointer<TransactionOutcome>?

    init(handle: OpaquePointer, isReadOnly: Bool, outcome: UnsafeMutablePointer<TransactionOutcome>?) {
        self.handle = handle
        self.isReadOnly = isReadOnly
        self.outcome = outcome
    }

    /// LMDB's id for this transaction: the id of the snapshot it reads, or of the commit it will make.
    public var id: Int { Int(mdb_txn_id(handle)) }

    @usableFromInline
    func fail(_ rc: Int32, _ operation: String, _ database: Database) -> LMDBError {
        if rc == MDB_MAP_FULL { outcome?.pointee.hitMapFull = true }
        let detail: String? = rc == LMDBError.Code.accessDenied.rawValue && isReadOnly ? "this is a read transaction" : nil
        return LMDBError(code: .init(rawValue: rc), operation: "\(operation)(\(database))", detail: detail)
    }

    // MARK: Reading

    /// The value stored under `key`, read in place, or `nil` when the key is absent.
    @inlinable
    public func get(_ key: some RawBytes, in database: Database) throws(LMDBError) -> UnsafeRawBufferPointer? {
        try key.withRawBytes { (keyBytes) throws(LMDBError) -> UnsafeRawBufferPointer? in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            var v = MDB_val()
            let rc = mdb_get(handle, database.dbi, &k, &v)
            if rc == MDB_NOTFOUND { return nil }
            if rc != 0 { throw fail(rc, "mdb_get", database) }
            return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
        }
    }

    /// A copy of the value stored under `key`, or `nil` when the key is absent.
    public func getCopy(_ key: some RawBytes, in database: Database) throws(LMDBError) -> [UInt8]? {
        try get(key, in: database).map { Array($0) }
    }

    /// Whether `key` is present.
    public func contains(_ key: some RawBytes, in database: Database) throws(LMDBError) -> Bool {
        try get(key, in: database) != nil
    }

    // MARK: Writing

    /// Stores `value` under `key`.
    ///
    /// - Throws: ``LMDBError/Code/keyExists`` when `flags` contains ``PutFlags/noOverwrite`` and
    ///   the key exists, or ``PutFlags/append`` and the key does not sort after the last one.
    @inlinable
    public func put(_ value: some RawBytes, forKey key: some RawBytes, in database: Database, flags: PutFlags = []) throws(LMDBError) {
        try key.withRawBytes { (keyBytes) throws(LMDBError) in
            try value.withRawBytes { (valueBytes) throws(LMDBError) in
                var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var v = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                let rc = mdb_put(handle, database.dbi, &k, &v, flags.rawValue)
                if rc != 0 { throw fail(rc, "mdb_put", database) }
            }
        }
    }

    /// Stores `value` under `key` unless the key is present; then returns the existing value,
    /// read in place, and changes nothing. One tree descent does both the check and the write.
    @inlinable
    public func insert(_ value: some RawBytes, forKey key: some RawBytes, in database: Database) throws(LMDBError) -> UnsafeRawBufferPointer? {
        try key.withRawBytes { (keyBytes) throws(LMDBError) -> UnsafeRawBufferPointer? in
            try value.withRawBytes { (valueBytes) throws(LMDBError) -> UnsafeRawBufferPointer? in
                var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var v = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                let rc = mdb_put(handle, database.dbi, &k, &v, UInt32(MDB_NOOVERWRITE))
                if rc == MDB_KEYEXIST { return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size) }
                if rc != 0 { throw fail(rc, "mdb_put", database) }
                return nil
            }
        }
    }

    /// Reserves `count` bytes for the value of `key` and returns them for the caller to fill,
    /// so a value can be encoded straight into the database page without an intermediate copy.
    ///
    /// The buffer is valid until the next write in this transaction. Not for
    /// ``DatabaseFlags/duplicateSort`` databases.
    @inlinable
    public func reserve(_ count: Int, forKey key: some RawBytes, in database: Database, flags: PutFlags = []) throws(LMDBError) -> UnsafeMutableRawBufferPointer {
        try key.withRawBytes { (keyBytes) throws(LMDBError) -> UnsafeMutableRawBufferPointer in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            var v = MDB_val(mv_size: count, mv_data: nil)
            let rc = mdb_put(handle, database.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE))
            if rc != 0 { throw fail(rc, "mdb_put", database) }
            return UnsafeMutableRawBufferPointer(start: v.mv_data, count: v.mv_size)
        }
    }

    /// Removes `key` (and all its values in a duplicate-sorted database). Returns whether it was present.
    @discardableResult
    public func delete(_ key: some RawBytes, in database: Database) throws(LMDBError) -> Bool {
        try key.withRawBytes { (keyBytes) throws(LMDBError) -> Bool in
            var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            let rc = mdb_del(handle, database.dbi, &k, nil)
            if rc == MDB_NOTFOUND { return false }
            if rc != 0 { throw fail(rc, "mdb_del", database) }
            return true
        }
    }

    /// Removes one value of `key` from a duplicate-sorted database. Returns whether it was present.
    @discardableResult
    public func delete(_ key: some RawBytes, value: some RawBytes, in database: Database) throws(LMDBError) -> Bool {
        try key.withRawBytes { (keyBytes) throws(LMDBError) -> Bool in
            try value.withRawBytes { (valueBytes) throws(LMDBError) -> Bool in
                var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var v = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                let rc = mdb_del(handle, database.dbi, &k, &v)
                if rc == MDB_NOTFOUND { return false }
                if rc != 0 { throw fail(rc, "mdb_del", database) }
                return true
            }
        }
    }

    /// Removes every entry of `database`, keeping the database and its handle.
    public func clear(_ database: Database) throws(LMDBError) {
        let rc = mdb_drop(handle, database.dbi, 0)
        if rc != 0 { throw fail(rc, "mdb_drop", database) }
    }

    /// Deletes `database` from the environment. Its handle is closed at once, whether or not
    /// this transaction commits, and must not be used again; reopen the name to recreate it.
    ///
    /// No other transaction may use the handle meanwhile; prefer ``clear(_:)`` while the
    /// environment is shared.
    public func drop(_ database: Database, from environment: Environment) throws(LMDBError) {
        let rc = mdb_drop(handle, database.dbi, 1)
        if rc != 0 { throw fail(rc, "mdb_drop", database) }
        environment.forgetDatabase(database)
    }

    // MARK: Cursors and iteration

    /// Opens a cursor on `database` for the duration of `body`.
    @inlinable
    public func withCursor<R>(on database: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        let cursor = try Cursor(transaction: handle, database: database, outcome: outcome)
        defer { cursor.close() }
        return try body(cursor)
    }

    /// Visits the entries of `database` within `range`, in key order or in reverse, until `body`
    /// returns `false`.
    public func forEach(
        in database: Database, range: KeyRange = .all, direction: IterationDirection = .forward,
        _ body: (Entry) throws -> Bool
    ) throws {
        try withCursor(on: database) { (cursor) throws in
            try cursor.forEach(in: range, direction: direction, body)
        }
    }

    /// The number of entries, the tree depth and the pages used by `database`.
    public func statistics(of database: Database) throws(LMDBError) -> DatabaseStatistics {
        var stat = MDB_stat()
        let rc = mdb_stat(handle, database.dbi, &stat)
        if rc != 0 { throw fail(rc, "mdb_stat", database) }
        return DatabaseStatistics(stat)
    }

    /// Compares two keys with `database`'s key order: negative, zero or positive.
    public func compareKeys(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, in database: Database) -> Int {
        compareKeysWithLMDB(handle, database.dbi, a, b)
    }
}

/// What happened inside a write transaction that the environment must know after it ends.
@usableFromInline
struct TransactionOutcome {
    @usableFromInline var hitMapFull = false
}

@usableFromInline
func compareKeysWithLMDB(_ txn: OpaquePointer, _ dbi: MDB_dbi, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    var x = MDB_val(mv_size: a.count, mv_data: UnsafeMutableRawPointer(mutating: a.baseAddress))
    var y = MDB_val(mv_size: b.count, mv_data: UnsafeMutableRawPointer(mutating: b.baseAddress))
    return Int(mdb_cmp(txn, dbi, &x, &y))
}

/// Size and shape of one database.
public struct DatabaseStatistics: Sendable, Hashable {
    /// The page size in bytes.
    public let pageSize: Int
    /// The depth of the B+tree.
    public let depth: Int
    public let branchPages: Int
    public let leafPages: Int
    public let overflowPages: Int
    /// The number of key/value pairs.
    public let entries: Int

    /// All pages the database uses.
    public var totalPages: Int { branchPages + leafPages + overflowPages }

    init(_ stat: MDB_stat) {
        pageSize = Int(stat.ms_psize)
        depth = Int(stat.ms_depth)
        branchPages = stat.ms_branch_pages
        leafPages = stat.ms_leaf_pages
        overflowPages = stat.ms_overflow_pages
        entries = stat.ms_entries
    }
}
