import AnnalsPlatform
import CLMDB
import Synchronization

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`, with any number of
/// named databases inside, shared safely by threads and processes.
///
/// ```swift
/// let env = try Environment(path: "store.lmdb")
/// let names = try env.openDatabase("names")
/// try env.write { txn in
///     try txn.put("Joe Biden", forKey: "biden", in: names)
/// }
/// let name = try env.read { txn in
///     try txn.get("biden", in: names).map { String(decoding: $0, as: UTF8.self) }
/// }
/// ```
///
/// The map grows by itself: a write transaction that fills it is aborted, the map is doubled
/// (up to ``Configuration/maximumMapSize``) and the transaction's closure runs again.
///
/// The class is `Sendable`: LMDB environments are thread-safe, transactions are confined to the
/// closure (and thread) that runs them, and the mutable state here is behind locks.
public final class Environment: @unchecked Sendable {
    /// Options applied when the environment is opened.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Open for reading only; write transactions are refused. `MDB_RDONLY`.
        public static let readOnly = Flags(rawValue: UInt32(MDB_RDONLY))
        /// Do not flush to disk on commit. A process crash loses nothing; a system crash may
        /// lose the last commits. Call ``sync(force:)`` at the end of a bulk load. `MDB_NOSYNC`.
        public static let noSync = Flags(rawValue: UInt32(MDB_NOSYNC))
        /// Flush data but not the meta page on commit. `MDB_NOMETASYNC`.
        public static let noMetaSync = Flags(rawValue: UInt32(MDB_NOMETASYNC))
        /// Read transactions are not tied to the thread that began them. `MDB_NOTLS`.
        public static let noThreadLocalStorage = Flags(rawValue: UInt32(MDB_NOTLS))
        /// Turn off the operating system's read-ahead, for databases larger than memory. `MDB_NORDAHEAD`.
        public static let noReadAhead = Flags(rawValue: UInt32(MDB_NORDAHEAD))
        /// Write through a writable memory map (faster, but stray writes can corrupt). `MDB_WRITEMAP`.
        public static let writeMap = Flags(rawValue: UInt32(MDB_WRITEMAP))
        /// With ``writeMap``, flush asynchronously. `MDB_MAPASYNC`.
        public static let mapAsync = Flags(rawValue: UInt32(MDB_MAPASYNC))
    }

    /// How to open an environment.
    public struct Configuration: Sendable {
        /// The initial size of the memory map in bytes; it grows geometrically as needed.
        /// An existing file larger than this keeps its size.
        public var mapSize: Int
        /// The map never grows beyond this many bytes; a write that needs more fails with
        /// ``LMDBError/Code/mapFull``.
        public var maximumMapSize: Int
        /// How many named databases the environment may hold.
        public var maxDatabases: Int
        /// How many read transactions may be open at once across all processes.
        public var maxReaders: Int
        public var flags: Flags
        /// Permissions for newly created files.
        public var fileMode: mode_t

        public init(
            mapSize: Int = 64 << 20,
            maximumMapSize: Int = 1 << 40,
            maxDatabases: Int = 64,
            maxReaders: Int = 126,
            flags: Flags = [.noThreadLocalStorage],
            fileMode: mode_t = 0o644
        ) {
            self.mapSize = mapSize
            self.maximumMapSize = maximumMapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.flags = flags
            self.fileMode = fileMode
        }
    }

    @usableFromInline let handle: OpaquePointer
    /// The directory holding the environment.
    public let path: String
    public let configuration: Configuration
    /// How many reader slots left behind by dead processes were cleared when the environment opened.
    public let staleReadersCleared: Int

    let mapLock = ReadWriteLock()
    /// Guards `mdb_dbi_open`, which LMDB allows in one transaction of a process at a time.
    private let databases = Mutex<[String: Database]>([:])
    /// Reset read transactions kept for reuse: renewing one skips LMDB's reader-table lock and an allocation.
    private let idleReaders = Mutex<[IdleReader]>([])
    private static let idleReaderLimit = 16
    /// The thread holding this process's write transaction, so a nested write can be refused
    /// instead of deadlocking on LMDB's writer lock.
    private let writerThread = Atomic<UInt>(0)

    /// Opens the environment in `path`, creating the directory and the files when missing
    /// (unless opening read-only).
    ///
    /// A data file that exists is never initialised over: an empty one, one that is not a
    /// regular file, or one too short for the trees its meta page describes is refused as
    /// damaged (see ``LMDBError/meansDataFileIsDamaged``).
    public init(path: String, configuration: Configuration = Configuration()) throws(LMDBError) {
        self.path = path
        self.configuration = configuration
        let readOnly = configuration.flags.contains(.readOnly)
        if readOnly { try Self.requireDirectory(path) } else { try Self.createDirectory(path) }
        let dataFile = path + "/data.mdb"
        let isNew = try !Self.checkExistingDataFile(dataFile, of: path)

        var env: OpaquePointer?
        try LMDBError.check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: .invalidArgument, operation: "mdb_env_create") }
        do throws(LMDBError) {
            // An existing file keeps the size an earlier run grew its map to: LMDB adopts it
            // when no size is set before opening, and the configured size is then a lower bound.
            let pageSize = System.pageSize
            let requested = Self.roundUp(max(configuration.mapSize, pageSize), to: pageSize)
            if isNew { try LMDBError.check(mdb_env_set_mapsize(env, requested), "mdb_env_set_mapsize") }
            try LMDBError.check(mdb_env_set_maxdbs(env, MDB_dbi(configuration.maxDatabases)), "mdb_env_set_maxdbs")
            try LMDBError.check(mdb_env_set_maxreaders(env, UInt32(configuration.maxReaders)), "mdb_env_set_maxreaders")
            if !isNew, let truncation = StructureCheck.truncation(of: dataFile) {
                throw LMDBError(code: .corrupted, operation: "open \(path)", detail: "\(dataFile) is truncated: \(truncation)", subject: .dataFile(dataFile))
            }
            let rc = mdb_env_open(env, path, configuration.flags.rawValue, configuration.fileMode)
            if rc != 0 { throw Self.openFailure(rc, path: path) }
            var info = MDB_envinfo()
            mdb_env_info(env, &info)
            if info.me_mapsize < requested {
                try LMDBError.check(mdb_env_set_mapsize(env, requested), "mdb_env_set_mapsize")
            }
            var dead: Int32 = 0
            try LMDBError.check(mdb_reader_check(env, &dead), "mdb_reader_check")
            staleReadersCleared = Int(dead)
        } catch {
            mdb_env_close(env)
            throw error
        }
        handle = env
    }

    deinit {
        for idle in idleReaders.withLock({ $0 }) { mdb_txn_abort(idle.txn) }
        mdb_env_close(handle)
    }

    private static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }

    private static func createDirectory(_ path: String) throws(LMDBError) {
        if FileSystem.exists(path) {
            try requireDirectory(path)
            return
        }
        do throws(Errno) { try FileSystem.makeDirectories(path) } catch {
            throw LMDBError(code: .init(rawValue: error.code), operation: "create directory \(path)")
        }
    }

    /// Throws ``LMDBError/Code/notADirectory`` when `path` exists and is not a directory
    /// (LMDB alone would say only "Not a directory", or open a file of that name beside it).
    private static func requireDirectory(_ path: String) throws(LMDBError) {
        guard let status = try? FileSystem.status(path), status.kind != .directory else { return }
        throw LMDBError(code: .notADirectory, operation: "open \(path)", detail: "\(path) is \(status.kind), not a directory",
                        subject: .directory(path))
    }

    /// How long an empty data file may stay empty before it counts as damaged: the process that
    /// creates an environment makes the file and writes its first pages a moment later.
    static let emptyDataFileGrace: Duration = .seconds(1)

    /// Whether the data file exists, after checking that it is a regular file with something
    /// in it. An empty one is given a moment to fill, as when another process is creating the
    /// environment right now; one that stays empty is refused, never initialised over.
    private static func checkExistingDataFile(_ dataFile: String, of path: String) throws(LMDBError) -> Bool {
        guard let status = try? FileSystem.status(dataFile) else { return false }  // missing, or out of reach: LMDB says which
        guard status.kind == .regular else {
            let code: LMDBError.Code = status.kind == .directory ? .isADirectory : .invalid
            throw LMDBError(code: code, operation: "open \(path)", detail: "\(dataFile) is \(status.kind), not a data file",
                            subject: .dataFile(dataFile))
        }
        guard status.size == 0 else { return true }
        let clock = ContinuousClock()
        let deadline = clock.now + emptyDataFileGrace
        var pause = Duration.milliseconds(1)
        while clock.now < deadline {
            System.sleep(pause)
            pause = min(pause * 2, .milliseconds(100))
            // Removed meanwhile: a new environment after all.
            guard let status = try? FileSystem.status(dataFile) else { return false }
            if status.size > 0 { return true }
        }
        throw LMDBError(code: .invalid, operation: "open \(path)",
                        detail: "\(dataFile) is empty (0 bytes): it was truncated, or the process creating it stopped before writing it",
                        subject: .dataFile(dataFile))
    }

    /// An error from `mdb_env_open`, with what this binding can tell about it.
    private static func openFailure(_ rc: Int32, path: String) -> LMDBError {
        let dataFile = path + "/data.mdb"
        let operation = "open \(path)"
        switch rc {
        case MDB_INVALID:
            return LMDBError(code: .invalid, operation: operation, detail: "\(dataFile) is not an LMDB data file", subject: .dataFile(dataFile))
        case MDB_VERSION_MISMATCH:
            // LMDB checks the lock file's version, which says which LMDB another process runs,
            // and then the data file's, which says which one wrote it.
            if StructureCheck.dataFileVersionDiffers(dataFile) {
                return LMDBError(code: .versionMismatch, operation: operation, detail: "\(dataFile) was written by an incompatible LMDB version",
                                 subject: .dataFile(dataFile))
            }
            let lockFile = path + "/lock.mdb"
            return LMDBError(code: .versionMismatch, operation: operation,
                             detail: "\(lockFile) is held by a process running an incompatible LMDB version", subject: .lockFile(lockFile))
        case Errno.noSuchFile.code:
            return LMDBError(code: .noSuchFile, operation: operation, detail: "no LMDB environment at \(path)", subject: .directory(path))
        case Errno.accessDenied.code:
            return LMDBError(code: .accessDenied, operation: operation, detail: "permission denied on \(path) or its files", subject: .directory(path))
        case Errno.noSpace.code, Errno.quotaExceeded.code, Errno.fileTooLarge.code, Errno.inputOutput.code:
            return LMDBError(code: .init(rawValue: rc), operation: operation, subject: .dataFile(dataFile))
        default:
            return LMDBError(code: .init(rawValue: rc), operation: operation)
        }
    }

    // MARK: Databases

    /// Opens the database called `name` (or the main database for `nil`), creating it when
    /// `create` is true and it does not exist yet. Handles are cached: opening a name twice
    /// returns the same handle.
    ///
    /// Call this outside of any write transaction on the same thread.
    public func openDatabase(_ name: String?, flags: DatabaseFlags = [], create: Bool = true) throws(LMDBError) -> Database {
        let cacheKey = name ?? ""
        if let cached = databases.withLock({ $0[cacheKey] }) { return cached }
        let readOnlyTransaction = !create || configuration.flags.contains(.readOnly)
        if !readOnlyTransaction { try refuseNestedWrite("open database \(cacheKey)") }

        return try databases.withLock { (cache) throws(LMDBError) -> Database in
            if let cached = cache[cacheKey] { return cached }
            let database = try withRawTransaction(readOnly: readOnlyTransaction) { (txn) throws(LMDBError) -> Database in
                var dbi = MDB_dbi()
                let openFlags = flags.rawValue | (readOnlyTransaction ? 0 : UInt32(MDB_CREATE))
                let rc = mdb_dbi_open(txn, name, openFlags, &dbi)
                if rc != 0 {
                    let detail = rc == MDB_NOTFOUND ? "the database does not exist" : nil
                    throw LMDBError(code: .init(rawValue: rc), operation: "mdb_dbi_open(\(cacheKey))", detail: detail)
                }
                return Database(name: name, flags: flags, dbi: dbi)
            }
            cache[cacheKey] = database
            return database
        }
    }

    /// Whether a database called `name` exists.
    public func databaseExists(_ name: String) throws(LMDBError) -> Bool {
        do {
            _ = try openDatabase(name, create: false)
            return true
        } catch LMDBError.Code.notFound {
            return false
        }
    }

    /// The names of the named databases, in key order (the entries of the main database).
    public func databaseNames() throws -> [String] {
        let main = try openDatabase(nil, create: false)
        return try read { txn in
            var names: [String] = []
            try txn.forEach(in: main) { entry in
                names.append(String(decoding: entry.key, as: UTF8.self))
                return true
            }
            return names
        }
    }

    func forgetDatabase(_ database: Database) {
        databases.withLock { _ = $0.removeValue(forKey: database.name ?? "") }
    }

    /// Runs `body` in a transaction of its own, committed when it returns. Used to open
    /// databases, where the closure cannot be re-run on a full map.
    private func withRawTransaction<R>(readOnly: Bool, _ body: (OpaquePointer) throws(LMDBError) -> R) throws(LMDBError) -> R {
        while true {
            mapLock.lockShared()
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
            if rc == MDB_MAP_RESIZED {
                mapLock.unlockShared()
                try adoptMapSizeFromAnotherProcess()
                continue
            }
            defer { mapLock.unlockShared() }
            try LMDBError.check(rc, "mdb_txn_begin")
            guard let txn else { throw LMDBError(code: .invalidArgument, operation: "mdb_txn_begin") }
            let result: R
            do { result = try body(txn) } catch {
                mdb_txn_abort(txn)
                throw error
            }
            try LMDBError.check(mdb_txn_commit(txn), "mdb_txn_commit")
            return result
        }
    }

    // MARK: Transactions

    /// Runs `body` in a read transaction: a consistent snapshot of every database as of the
    /// moment it began, unaffected by later commits. Any number may run at once, on any threads.
    @discardableResult
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        mapLock.lockShared()
        defer { mapLock.unlockShared() }
        let txn = try beginRead()
        defer { endRead(txn) }
        return try body(Transaction(handle: txn, isReadOnly: true, outcome: nil))
    }

    /// Begins a read transaction, renewing an idle one when there is one. Called with the map
    /// lock held shared; may drop and retake it to adopt a map grown by another process.
    private func beginRead() throws(LMDBError) -> OpaquePointer {
        while true {
            var rc: Int32
            var txn: OpaquePointer?
            if let idle = idleReaders.withLock({ $0.popLast() }) {
                rc = mdb_txn_renew(idle.txn)
                if rc == 0 { return idle.txn }
                mdb_txn_abort(idle.txn)
            }
            rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
            if rc == 0, let txn { return txn }
            guard rc == MDB_MAP_RESIZED else { throw LMDBError(code: .init(rawValue: rc), operation: "begin read transaction") }
            mapLock.unlockShared()
            defer { mapLock.lockShared() }
            try adoptMapSizeFromAnotherProcess()
        }
    }

    private func endRead(_ txn: OpaquePointer) {
        // Without MDB_NOTLS a reader slot belongs to its thread, so a reset transaction could
        // not be renewed on another one.
        guard configuration.flags.contains(.noThreadLocalStorage) else {
            mdb_txn_abort(txn)
            return
        }
        mdb_txn_reset(txn)
        let kept = idleReaders.withLock { idle -> Bool in
            guard idle.count < Self.idleReaderLimit else { return false }
            idle.append(IdleReader(txn: txn))
            return true
        }
        if !kept { mdb_txn_abort(txn) }
    }

    /// Runs `body` in the write transaction and commits when it returns; aborts and rethrows
    /// when it throws. One write transaction runs at a time across all processes.
    ///
    /// When the map fills up, the transaction is aborted, the map grows and `body` runs again
    /// from the start, so `body` must keep its effects inside the transaction (or make them
    /// idempotent). Writing from inside another write transaction on the same thread is refused.
    @discardableResult
    public func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        guard !configuration.flags.contains(.readOnly) else {
            throw LMDBError(code: .accessDenied, operation: "write to \(path)", detail: "the environment is open read-only")
        }
        try refuseNestedWrite("write to \(path)")
        while true {
            mapLock.lockShared()
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, 0, &txn)
            if rc == MDB_MAP_RESIZED {
                mapLock.unlockShared()
                try adoptMapSizeFromAnotherProcess()
                continue
            }
            guard rc == 0, let txn else {
                mapLock.unlockShared()
                throw LMDBError(code: .init(rawValue: rc), operation: "begin write transaction on \(path)")
            }
            writerThread.store(System.currentThread, ordering: .relaxed)

            var outcome = TransactionOutcome()
            let result: Result<R, any Error> = withUnsafeMutablePointer(to: &outcome) { outcomePointer in
                var consumed = false
                do {
                    let value = try body(Transaction(handle: txn, isReadOnly: false, outcome: outcomePointer))
                    consumed = true  // mdb_txn_commit frees the transaction whether or not it succeeds
                    let rc = mdb_txn_commit(txn)
                    if rc == MDB_MAP_FULL { outcomePointer.pointee.hitMapFull = true }
                    if rc != 0 { throw commitFailure(rc) }
                    return .success(value)
                } catch {
                    if !consumed { mdb_txn_abort(txn) }
                    return .failure(error)
                }
            }
            writerThread.store(0, ordering: .relaxed)
            mapLock.unlockShared()

            switch result {
            case .success(let value):
                return value
            case .failure(let error):
                guard outcome.hitMapFull else { throw error }
                try growMap()
            }
        }
    }

    /// A failed commit. A system error there came from writing or flushing the data file; LMDB
    /// reports a write that came up short (the disk filled, the file may not grow) as `EIO`.
    private func commitFailure(_ rc: Int32) -> LMDBError {
        guard rc > 0 else { return LMDBError(code: .init(rawValue: rc), operation: "commit to \(path)") }
        return LMDBError(code: .init(rawValue: rc), operation: "commit to \(path)",
                         detail: rc == Errno.inputOutput.code ? "a write to the data file failed or came up short" : nil, subject: .dataFile(path + "/data.mdb"))
    }

    private func refuseNestedWrite(_ operation: String) throws(LMDBError) {
        if writerThread.load(ordering: .relaxed) == System.currentThread {
            throw LMDBError(code: .busy, operation: operation, detail: "this thread is already inside a write transaction")
        }
    }

    // MARK: Map size

    /// The current size of the memory map in bytes.
    public var mapSize: Int { info().mapSize }

    /// Doubles the map (up to the configured maximum) after a write found it full.
    private func growMap() throws(LMDBError) {
        guard mapLock.readDepthOnThisThread == 0 else {
            throw LMDBError(code: .mapFull, operation: "grow the map of \(path)",
                            detail: "this thread holds another transaction, so the map cannot be resized now")
        }
        try mapLock.withExclusive { () throws(LMDBError) in
            let current = infoWhileTheMapIsHeld().mapSize
            guard current < configuration.maximumMapSize else {
                throw LMDBError(code: .mapFull, operation: "write to \(path)",
                                detail: "the store reached its size limit of \(configuration.maximumMapSize) bytes")
            }
            let target = min(current.multipliedReportingOverflow(by: 2).partialValue, configuration.maximumMapSize)
            let pageSize = System.pageSize
            try LMDBError.check(mdb_env_set_mapsize(handle, target / pageSize * pageSize), "mdb_env_set_mapsize")
        }
    }

    /// Another process grew the map past this one's view of it: adopt the size recorded in the file.
    private func adoptMapSizeFromAnotherProcess() throws(LMDBError) {
        guard mapLock.readDepthOnThisThread == 0 else {
            throw LMDBError(code: .mapResized, operation: "begin transaction on \(path)",
                            detail: "another process grew the store while this thread holds a transaction; retry after it ends")
        }
        try mapLock.withExclusive { () throws(LMDBError) in
            try LMDBError.check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize")
        }
    }
}

/// A reset read transaction: it holds a reader slot but no snapshot, and with `MDB_NOTLS` may be
/// renewed on any thread, which is why it may cross threads inside the idle pool.
private struct IdleReader: @unchecked Sendable {
    let txn: OpaquePointer
}
