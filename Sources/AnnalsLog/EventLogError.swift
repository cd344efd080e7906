#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the log refused an operation, in words a user can act on.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An append stated the head it expected, and another writer had moved it.
    case headMismatch(expected: UInt64, actual: UInt64)
    /// An event in a batch cannot be stored; nothing of the batch was written.
    case invalidEvent(index: Int, id: String, field: String, problem: String)
    /// The store was written by a newer version of Annals.
    case unsupportedFormat(path: String, found: String, supported: Int)
    /// The directory holds LMDB data that is not an Annals log.
    case notAnAnnalsStore(path: String, reason: String)
    /// Opening for reading found no store at the path.
    case missingStore(path: String)
    /// The store's files exist but this user may not read them.
    case unreadableStore(path: String)
    /// A stored record does not have the structure of a log record.
    case corruptRecord(position: UInt64, reason: String)

    public var description: String {
        switch self {
        case let .headMismatch(expected, actual):
            "expected the log head at position \(expected), but it is at \(actual): another writer appended first"
        case let .invalidEvent(index, id, field, problem):
            "event \(index + 1) of the batch (id \(id.isEmpty ? "<empty>" : String(reflecting: id))): \(field) \(problem)"
        case let .unsupportedFormat(path, found, supported):
            "\(path) uses log format \(found), but this annals reads formats up to \(supported); upgrade annals to open it"
        case let .notAnAnnalsStore(path, reason):
            "\(path) is not an Annals store: \(reason)"
        case let .missingStore(path):
            "there is no store at \(path)"
        case let .unreadableStore(path):
            "cannot open the store at \(path): permission denied"
        case let .corruptRecord(position, reason):
            "the log record at position \(position) is damaged: \(reason); run `annals verify` for details"
        }
    }
}

extension EventLogError {
    /// Throws unless `path` holds a store's data file this user can read: the error says
    /// whether the store is missing or out of reach.
    public static func requireStore(at path: String) throws(EventLogError) {
        if access(path + "/data.mdb", R_OK) == 0 { return }
        if errno == EACCES || access(path, X_OK) != 0 && errno == EACCES { throw .unreadableStore(path: path) }
        throw .missingStore(path: path)
    }
}
