import AnnalsPlatform
import CLMDB

/// The size and use of an environment's memory map.
public struct EnvironmentInfo: Sendable, Hashable {
    /// The size of the memory map in bytes.
    public let mapSize: Int
    /// The page size in bytes.
    public let pageSize: Int
    /// The last page number in use.
    public let lastPageNumber: Int
    /// The id of the last committed transaction.
    public let lastTransactionID: Int
    /// The size of the reader lock table.
    public let maxReaders: Int
    /// The reader slots used so far (a high-water mark, including idle ones).
    public let readerSlotsUsed: Int

    /// Bytes of the map holding data: every page up to the last one in use.
    public var usedBytes: Int { (lastPageNumber + 1) * pageSize }
}

extension Environment {
    /// The map size and use, and the reader table.
    public func info() -> EnvironmentInfo {
        // LMDB reads the meta pages through the map, which another thread may be moving.
        mapLock.lockShared()
        defer { mapLock.unlockShared() }
        return infoWhileTheMapIsHeld()
    }

    /// ``info()`` for a caller that already holds the map lock, shared or exclusive.
    func infoWhileTheMapIsHeld() -> EnvironmentInfo {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return EnvironmentInfo(
            mapSize: info.me_mapsize, pageSize: Int(stat.ms_psize), lastPageNumber: info.me_last_pgno,
            lastTransactionID: info.me_last_txnid, maxReaders: Int(info.me_maxreaders),
            readerSlotsUsed: Int(info.me_numreaders))
    }

    /// Statistics of the main (unnamed) database, whose entries are the named databases.
    public func statistics() throws(LMDBError) -> DatabaseStatistics {
        mapLock.lockShared()
        defer { mapLock.unlockShared() }
        var stat = MDB_stat()
        try LMDBError.check(mdb_env_stat(handle, &stat), "mdb_env_stat(\(path))")
        return DatabaseStatistics(stat)
    }

    /// Flushes committed data to disk; with `force`, even when the environment was opened with
    /// ``Flags/noSync``. Ends a bulk load.
    public func sync(force: Bool = true) throws(LMDBError) {
        let rc = mdb_env_sync(handle, force ? 1 : 0)
        if rc != 0 {
            throw LMDBError(code: .init(rawValue: rc), operation: "mdb_env_sync(\(path))", subject: rc > 0 ? .dataFile(path + "/data.mdb") : nil)
        }
    }

    /// Turns ``Flags/noSync`` (or another runtime-changeable flag) on or off for this process.
    public func setFlags(_ flags: Flags, enabled: Bool) throws(LMDBError) {
        try LMDBError.check(mdb_env_set_flags(handle, flags.rawValue, enabled ? 1 : 0), "mdb_env_set_flags(\(path))")
    }

    /// Clears reader slots left by processes that died inside a read transaction, which would
    /// otherwise keep old pages from being reused. Returns how many were cleared.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try LMDBError.check(mdb_reader_check(handle, &dead), "mdb_reader_check(\(path))")
        return Int(dead)
    }

    /// Writes a consistent copy of the environment into `directory` (created if missing; it
    /// must not already hold a `data.mdb`). With `compact`, free pages are left out and the
    /// copy is as small as the data allows.
    ///
    /// The copy reads one snapshot, so writers may go on committing meanwhile. A copy that
    /// fails part-way (a full disk, say) is removed, with the directory when this made it.
    public func copy(to directory: String, compact: Bool = true) throws(LMDBError) {
        var created = false
        switch Result(catching: { () throws(Errno) in try FileSystem.status(directory) }) {
        case .failure:
            do throws(Errno) { try FileSystem.makeDirectories(directory) } catch {
                throw LMDBError(code: .init(rawValue: error.code), operation: "create backup directory \(directory)")
            }
            created = true
        case .success(let status) where status.kind != .directory:
            throw LMDBError(code: .notADirectory, operation: "back up to \(directory)", detail: "the path exists and is not a directory")
        case .success:
            if FileSystem.exists(directory + "/data.mdb") {
                throw LMDBError(code: .init(rawValue: Errno.exists.code), operation: "back up to \(directory)", detail: "\(directory) already holds a data.mdb",
                                subject: .dataFile(directory + "/data.mdb"))
            }
        }
        mapLock.lockShared()
        defer { mapLock.unlockShared() }
        let rc = mdb_env_copy2(handle, directory, compact ? UInt32(MDB_CP_COMPACT) : 0)
        guard rc != 0 else { return }
        FileSystem.removeFile(directory + "/data.mdb")
        if created { try? FileSystem.removeDirectory(directory) }
        throw LMDBError(code: .init(rawValue: rc), operation: "mdb_env_copy2(\(path) → \(directory))",
                        subject: rc > 0 ? .dataFile(directory + "/data.mdb") : nil)
    }
}

extension Environment {
    /// Checks the B-tree structure of the data file (see ``StructureCheck``) as of one read
    /// snapshot, which is held open meanwhile so that writers cannot reuse its pages.
    ///
    /// Writers in other processes may commit during the check; when two commits land before
    /// it reads the meta pages, the snapshot's own meta page is gone and it reads the newest,
    /// whose pages the snapshot does not hold. A problem found while commits landed is
    /// therefore checked again, up to five times, before it is reported.
    public func checkStructure() throws -> StructureCheck {
        var attempts = 0
        while true {
            let before = info().lastTransactionID
            let check = try read { txn in StructureCheck.check(path, snapshot: txn.id) }
            attempts += 1
            if check.problem == nil || attempts == 5 || info().lastTransactionID == before { return check }
        }
    }
}
