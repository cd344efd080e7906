import AnnalsPlatform

/// Why the log refused an operation: the facts, for the caller to act on.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An append stated the head it expected, and another writer had moved it.
    case headMismatch(expected: UInt64, actual: UInt64)
    /// An event in a batch cannot be stored; nothing of the batch was written.
    case invalidEvent(index: Int, id: String, field: String, problem: String)
    /// The store was written by a newer version of Annals.
    case unsupportedFormat(path: String, found: String, supported: Int)
    /// The store's format version is one no version of Annals writes, or it is missing from a
    /// store that holds log records (`found` is `nil`): the store is damaged.
    case damagedFormatVersion(path: String, found: String?)
    /// The directory holds LMDB data that is not an Annals log.
    case notAnAnnalsStore(path: String, reason: String)
    /// Opening for reading found no store at the path.
    case missingStore(path: String)
    /// The path names something other than a directory (a store is a directory).
    case notAStoreDirectory(path: String)
    /// The store's files exist but this user may not read them: `denied` is the path refused.
    case unreadableStore(path: String, denied: String)
    /// A stored record does not have the structure of a log record.
    case corruptRecord(position: UInt64, reason: String)
    /// The id index does not hold one entry per event of the log, so it cannot tell which
    /// events the log already holds: an append could duplicate one.
    case idIndexDisagrees(entries: Int, events: UInt64)
    /// The store is a replica of the stream named `source`, and takes events only from it.
    case replica(path: String, source: String)

    public var description: String {
        switch self {
        case let .headMismatch(expected, actual):
            "expected the log head at position \(expected), but it is at \(actual): another writer appended first"
        case let .invalidEvent(index, id, field, problem):
            "event \(index + 1) of the batch (id \(id.isEmpty ? "<empty>" : String(reflecting: id))): \(field) \(problem)"
        case let .unsupportedFormat(path, found, supported):
            "\(path) uses log format \(found), but this annals reads formats up to \(supported)"
        case let .damagedFormatVersion(path, found?):
            "the format version of \(path) is \(String(reflecting: found)), which is not a version Annals writes"
        case let .damagedFormatVersion(path, nil):
            "the format version of \(path) is missing, but the store holds log records"
        case let .notAnAnnalsStore(path, reason):
            "\(path) is not an Annals store: \(reason)"
        case let .missingStore(path):
            "there is no store at \(path)"
        case let .notAStoreDirectory(path):
            "\(path) is a file, not a store directory"
        case let .unreadableStore(path, denied):
            "cannot read the store at \(path): permission denied on \(denied)"
        case let .corruptRecord(position, reason):
            "the log record at position \(position) is damaged: \(reason)"
        case let .idIndexDisagrees(entries, events):
            "the id index holds \(entries) \(entries == 1 ? "entry" : "entries"), but the log holds \(events) \(events == 1 ? "event" : "events")"
        case let .replica(path, source):
            "\(path) is a replica of stream \(source); its log takes events only from that stream"
        }
    }

    /// Whether the error means the store's contents are damaged (rather than missing, out of
    /// reach, foreign or newer).
    public var meansStoreIsDamaged: Bool {
        switch self {
        case .damagedFormatVersion, .corruptRecord, .idIndexDisagrees: true
        default: false
        }
    }
}

extension EventLogError {
    /// Throws unless `path` is a directory holding a store's data file this user can read:
    /// the error says whether the store is missing, is no directory, or is out of reach.
    public static func requireStore(at path: String) throws(EventLogError) {
        let status: FileStatus
        do throws(Errno) { status = try FileSystem.status(path) } catch {
            if error == .accessDenied { throw .unreadableStore(path: path, denied: path) }
            throw .missingStore(path: path)
        }
        guard status.kind == .directory else { throw .notAStoreDirectory(path: path) }
        do throws(Errno) { try FileSystem.check(path, may: .execute) } catch { throw .unreadableStore(path: path, denied: path) }
        let dataFile = path + "/data.mdb"
        guard FileSystem.exists(dataFile) else { throw .missingStore(path: path) }
        do throws(Errno) { try FileSystem.check(dataFile, may: .read) } catch {
            if error == .accessDenied { throw .unreadableStore(path: path, denied: dataFile) }
            throw .missingStore(path: path)
        }
    }
}
