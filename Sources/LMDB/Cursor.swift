import CLMDB

/// A position in one database, lent to the closure given to ``Transaction/withCursor(on:_:)``.
///
/// Every move returns the entry it lands on, read in place, or `nil` when there is none
/// (past either end, or no key at or after a sought key).
public struct Cursor: ~Copyable {
    @usableFromInline let handle: OpaquePointer
    @usableFromInline let database: Database
    @usableFromInline let outcome: UnsafeMutablePointer<TransactionOutcome>?

    @usableFromInline
    init(transaction: OpaquePointer, database: Database, outcome: UnsafeMutablePointer<TransactionOutcome>?) throws(LMDBError) {
        var cursor: OpaquePointer?
        let rc = mdb_cursor_open(transaction, database.dbi, &cursor)
        guard rc == 0, let cursor else {
            throw LMDBError(code: .init(rawValue: rc == 0 ? LMDBError.Code.invalidArgument.rawValue : rc), operation: "mdb_cursor_open(\(database))")
        }
        self.handle = cursor
        self.database = database
        self.outcome = outcome
    }

    @usableFromInline
    func close() { mdb_cursor_close(handle) }

    @usableFromInline
    func move(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> Entry? {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        if rc != 0 { throw LMDBError(code: .init(rawValue: rc), operation: "mdb_cursor_get(\(database))") }
        return Entry(
            key: UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            value: UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Moves to the first entry.
    @inlinable public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }
    /// Moves to the last entry.
    @inlinable public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }
    /// Moves to the next entry (the first, on a fresh cursor).
    @inlinable public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }
    /// Moves to the previous entry (the last, on a fresh cursor).
    @inlinable public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }
    /// The entry under the cursor.
    @inlinable public func current() throws(LMDBError) -> Entry? { try move(MDB_GET_CURRENT) }
    /// Moves to the next key, skipping the remaining values of this key in a duplicate-sorted database.
    @inlinable public func nextKey() throws(LMDBError) -> Entry? { try move(MDB_NEXT_NODUP) }
    /// Moves to the next value of the current key in a duplicate-sorted database.
    @inlinable public func nextValue() throws(LMDBError) -> Entry? { try move(MDB_NEXT_DUP) }

    /// Moves to the first entry whose key is greater than or equal to `key`.
    @inlinable
    public func seek(atLeast key: some RawBytes) throws(LMDBError) -> Entry? {
        try key.withRawBytes { (bytes) throws(LMDBError) in try move(MDB_SET_RANGE, key: bytes) }
    }

    /// Moves to the entry with exactly `key`.
    @inlinable
    public func seek(exactly key: some RawBytes) throws(LMDBError) -> Entry? {
        try key.withRawBytes { (bytes) throws(LMDBError) in try move(MDB_SET_KEY, key: bytes) }
    }

    /// Moves to the last entry whose key is less than or equal to `key`.
    public func seek(atMost key: some RawBytes) throws(LMDBError) -> Entry? {
        try key.withRawBytes { (bytes) throws(LMDBError) -> Entry? in
            guard let entry = try move(MDB_SET_RANGE, key: bytes) else { return try last() }
            if compare(entry.key, bytes) == 0 { return entry }
            return try previous()
        }
    }

    /// Stores `value` under `key` and leaves the cursor on it.
    @inlinable
    public func put(_ value: some RawBytes, forKey key: some RawBytes, flags: PutFlags = []) throws(LMDBError) {
        try key.withRawBytes { (keyBytes) throws(LMDBError) in
            try value.withRawBytes { (valueBytes) throws(LMDBError) in
                var k = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var v = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                let rc = mdb_cursor_put(handle, &k, &v, flags.rawValue)
                if rc == MDB_MAP_FULL { outcome?.pointee.hitMapFull = true }
                if rc != 0 { throw LMDBError(code: .init(rawValue: rc), operation: "mdb_cursor_put(\(database))") }
            }
        }
    }

    /// Deletes the entry under the cursor; the cursor then rests on the entry that followed it.
    public func deleteCurrent() throws(LMDBError) {
        let rc = mdb_cursor_del(handle, 0)
        if rc == MDB_MAP_FULL { outcome?.pointee.hitMapFull = true }
        if rc != 0 { throw LMDBError(code: .init(rawValue: rc), operation: "mdb_cursor_del(\(database))") }
    }

    /// Compares two keys in this database's key order: negative, zero or positive.
    public func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        compareKeysWithLMDB(mdb_cursor_txn(handle), database.dbi, a, b)
    }

    /// Visits the entries within `range`, in key order or in reverse, until `body` returns `false`.
    public func forEach(in range: KeyRange, direction: IterationDirection = .forward, _ body: (Entry) throws -> Bool) throws {
        switch direction {
        case .forward:
            var entry: Entry?
            if let lower = range.lower {
                entry = try seek(atLeast: lower.key)
                if !lower.isInclusive, let found = entry, lower.key.withUnsafeBytes({ compare(found.key, $0) }) == 0 {
                    entry = try next()
                }
            } else {
                entry = try first()
            }
            while let current = entry {
                if let upper = range.upper {
                    let order = upper.key.withUnsafeBytes { compare(current.key, $0) }
                    if order > 0 || (order == 0 && !upper.isInclusive) { return }
                }
                guard try body(current) else { return }
                entry = try next()
            }
        case .backward:
            var entry: Entry?
            if let upper = range.upper {
                entry = try seek(atMost: upper.key)
                if !upper.isInclusive, let found = entry, upper.key.withUnsafeBytes({ compare(found.key, $0) }) == 0 {
                    entry = try previous()
                }
            } else {
                entry = try last()
            }
            while let current = entry {
                if let lower = range.lower {
                    let order = lower.key.withUnsafeBytes { compare(current.key, $0) }
                    if order < 0 || (order == 0 && !lower.isInclusive) { return }
                }
                guard try body(current) else { return }
                entry = try previous()
            }
        }
    }
}
