import AnnalsPlatform
import CLMDB

/// An error reported by LMDB or by this binding, carrying the result code, LMDB's message for it
/// and the operation that failed.
///
/// Match a specific code in `catch`:
///
/// ```swift
/// do {
///     try txn.put(value, forKey: key, in: db, flags: .noOverwrite)
/// } catch LMDBError.Code.keyExists {
///     // the key was already there
/// }
/// ```
public struct LMDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An LMDB result code, or a system `errno` value.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// The key/data pair already exists. The corresponding C constant is `MDB_KEYEXIST`.
        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        /// The key/data pair was not found. The corresponding C constant is `MDB_NOTFOUND`.
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        /// The requested page was not found: the file is corrupted. `MDB_PAGE_NOTFOUND`.
        public static let pageNotFound = Code(rawValue: MDB_PAGE_NOTFOUND)
        /// A page has an invalid type: the file is corrupted. `MDB_CORRUPTED`.
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        /// The environment had a fatal error and must be closed. `MDB_PANIC`.
        public static let panic = Code(rawValue: MDB_PANIC)
        /// The file was written by an incompatible LMDB version. `MDB_VERSION_MISMATCH`.
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
        /// The file is not an LMDB data file. `MDB_INVALID`.
        public static let invalid = Code(rawValue: MDB_INVALID)
        /// The map is full and could not be grown further. `MDB_MAP_FULL`.
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        /// The environment has no room for more named databases. `MDB_DBS_FULL`.
        public static let databasesFull = Code(rawValue: MDB_DBS_FULL)
        /// The reader lock table is full. `MDB_READERS_FULL`.
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        /// The transaction has too many dirty pages. `MDB_TXN_FULL`.
        public static let transactionFull = Code(rawValue: MDB_TXN_FULL)
        /// The cursor stack is too deep: the file is corrupted. `MDB_CURSOR_FULL`.
        public static let cursorFull = Code(rawValue: MDB_CURSOR_FULL)
        /// A page has no room left: internal error. `MDB_PAGE_FULL`.
        public static let pageFull = Code(rawValue: MDB_PAGE_FULL)
        /// Another process grew the map beyond this one's. `MDB_MAP_RESIZED`.
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        /// The operation is incompatible with the database flags. `MDB_INCOMPATIBLE`.
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        /// A reader slot was invalid. `MDB_BAD_RSLOT`.
        public static let badReaderSlot = Code(rawValue: MDB_BAD_RSLOT)
        /// The transaction must abort, has a child, or is invalid. `MDB_BAD_TXN`.
        public static let badTransaction = Code(rawValue: MDB_BAD_TXN)
        /// A key or value has an unsupported size. `MDB_BAD_VALSIZE`.
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        /// The database handle changed unexpectedly. `MDB_BAD_DBI`.
        public static let badDatabase = Code(rawValue: MDB_BAD_DBI)
        /// Permission denied, including a write in a read-only environment or transaction (`EACCES`).
        public static let accessDenied = Code(rawValue: Errno.accessDenied.code)
        /// An invalid argument (`EINVAL`).
        public static let invalidArgument = Code(rawValue: Errno.invalidArgument.code)
        /// The path does not exist (`ENOENT`).
        public static let noSuchFile = Code(rawValue: Errno.noSuchFile.code)
        /// The resource is busy (`EBUSY`); used for a nested write transaction on one thread.
        public static let busy = Code(rawValue: Errno.busy.code)
        /// No space left on the device (`ENOSPC`).
        public static let noSpace = Code(rawValue: Errno.noSpace.code)
        /// The user's disk quota is used up (`EDQUOT`).
        public static let quotaExceeded = Code(rawValue: Errno.quotaExceeded.code)
        /// The file would grow beyond what this process may write, for example past its
        /// `RLIMIT_FSIZE` (`EFBIG`).
        public static let fileTooLarge = Code(rawValue: Errno.fileTooLarge.code)
        /// An input/output error (`EIO`). LMDB also reports a write that came up short this way.
        public static let ioError = Code(rawValue: Errno.inputOutput.code)
        /// A path component that must be a directory is not one (`ENOTDIR`).
        public static let notADirectory = Code(rawValue: Errno.notDirectory.code)
        /// A path that must be a file is a directory (`EISDIR`).
        public static let isADirectory = Code(rawValue: Errno.isDirectory.code)

        public var description: String { String(cString: mdb_strerror(rawValue)) }

        /// Lets `catch LMDBError.Code.notFound` match an ``LMDBError`` with that code.
        public static func ~= (code: Code, error: any Error) -> Bool {
            (error as? LMDBError)?.code == code
        }
    }

    /// The result code.
    public let code: Code
    /// The operation that failed, for example `mdb_put(log)` or `open /var/lib/annals`.
    public let operation: String
    /// Extra context from this binding, when LMDB's message alone would not say enough.
    public let detail: String?
    /// The file or directory of the environment the error is about, when it is about one.
    public let subject: Subject?

    /// One of the paths an environment is made of.
    public enum Subject: Sendable, Hashable {
        /// The environment's directory.
        case directory(String)
        /// The data file, `data.mdb`, holding every database.
        case dataFile(String)
        /// The lock file, `lock.mdb`, holding the reader table.
        case lockFile(String)

        /// The path itself.
        public var path: String {
            switch self {
            case .directory(let path), .dataFile(let path), .lockFile(let path): path
            }
        }
    }

    public init(code: Code, operation: String, detail: String? = nil, subject: Subject? = nil) {
        self.code = code
        self.operation = operation
        self.detail = detail
        self.subject = subject
    }

    /// Whether the data file is damaged: LMDB found a page or a meta page it could not have
    /// written, or the file is not (or no longer) a data file LMDB can open.
    public var meansDataFileIsDamaged: Bool {
        switch code {
        case .corrupted, .pageNotFound, .invalid, .panic, .cursorFull:
            return true
        case .versionMismatch:
            // The lock file's version only says which LMDB another process runs.
            if case .lockFile = subject { return false }
            return true
        case .isADirectory:
            if case .dataFile = subject { return true }
            return false
        default:
            return false
        }
    }

    /// Whether a write failed because the data file could not grow: the disk is full, a quota
    /// or a file-size limit was reached, or (LMDB's way of saying so) a write to the data file
    /// came up short.
    public var meansNoSpace: Bool {
        switch code {
        case .noSpace, .quotaExceeded, .fileTooLarge:
            return true
        case .ioError:
            if case .dataFile = subject { return true }
            return false
        default:
            return false
        }
    }

    /// LMDB's (or the system's) message for ``code``.
    public var message: String { code.description }

    /// `operation: detail (LMDB's message)` when this binding knows more than the code says,
    /// else `operation: LMDB's message`.
    public var description: String {
        if let detail { return "\(operation): \(detail) (\(message))" }
        return "\(operation): \(message)"
    }
}

extension LMDBError {
    /// Turns a C result code into a thrown error.
    @inline(__always)
    static func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if rc != 0 { throw LMDBError(code: Code(rawValue: rc), operation: operation()) }
    }
}
