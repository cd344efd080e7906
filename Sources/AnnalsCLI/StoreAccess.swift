import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsProjections
import AnnalsTimeline
import LMDB

/// Opening the store the way each kind of command needs it.
enum StoreAccess {
    /// The environment variable capping the store's size in bytes (for example to test what
    /// happens when a disk fills up): ingestion stops with a clear error at the cap.
    static let maximumSizeVariable = "ANNALS_MAX_STORE_BYTES"

    /// The source of recorded-at times; tests pin it so outputs are reproducible.
    @TaskLocal static var clock: @Sendable () -> Timestamp = Timestamp.now

    static func maximumSize() throws -> Int {
        guard let raw = System.environment(maximumSizeVariable), !raw.isEmpty else { return 1 << 40 }
        guard let bytes = Int(raw), bytes >= 1 << 16 else {
            throw UsageFailure("\(maximumSizeVariable)=\(raw) is not a size in bytes of at least 65536")
        }
        return bytes
    }

    /// For commands that write (ingest, replay): creates the store when missing.
    static func openForWriting(_ options: StoreOptions, durability: Durability = .durable) throws -> TimelineStore {
        var settings = TimelineStore.Options()
        settings.durability = durability
        settings.maximumSize = try maximumSize()
        settings.clock = clock
        return try TimelineStore(path: options.path, options: settings)
    }

    /// After a command failed: a store it created (`existed` false) and left without events is
    /// not left behind.
    static func discardIfCreatedEmpty(_ store: TimelineStore, existed: Bool) {
        guard !existed, (try? store.log.head()) == 0 else { return }
        FileSystem.removeFile(store.path + "/data.mdb")
        FileSystem.removeFile(store.path + "/lock.mdb")
    }

    /// For commands that only look (log, verify, stats, backup): never writes.
    static func openForReading(_ options: StoreOptions) throws -> TimelineStore {
        var settings = TimelineStore.Options()
        settings.readOnly = true
        return try TimelineStore(path: options.path, options: settings)
    }

    /// For queries: catches the projections up first when the store can be written, so
    /// answers cover the whole log; otherwise answers from what they have applied and says so.
    static func openForQuery(_ options: StoreOptions) throws -> TimelineStore {
        let path = options.path
        try EventLogError.requireStore(at: path)
        if [path, path + "/data.mdb"].allSatisfy({ (try? FileSystem.check($0, may: .write)) != nil }) {
            let store = try openForWriting(options)
            if try !store.projectionsAreCurrent() {
                let progress = ProgressDisplay(label: "updating projections")
                try store.catchUp { progress.update(done: Int($0), total: Int($1)) }
                progress.finish()
            }
            return store
        }
        let store = try openForReading(options)
        if try !store.projectionsAreCurrent() {
            Console.current.message("annals: note: \(path) is read-only and its projections lag the log; answers stop where they do")
        }
        return store
    }
}

// MARK: Store, ingest and query problems, as the user reads them

/// A problem with the store, rendered for the user: one line, and the exit status the README
/// documents for it.
struct StoreFailure: CommandFailure {
    let description: String
    let exitStatus: Int32

    init(_ description: String, status: Int32 = 1) {
        self.description = description
        exitStatus = status
    }
}

extension StoreAccess {
    /// The exit status for a store whose file is damaged.
    static let damagedStatus: Int32 = 3

    /// The one place that turns the libraries' errors into the line a user reads and the exit
    /// status: 3 when the store's file is damaged, 1 for any other store or query problem. The
    /// libraries state the facts; the advice on what to do is added here. `nil` for errors
    /// whose own description is the whole line.
    static func failure(for error: any Error) -> (any CommandFailure)? {
        switch error {
        case let error as LMDBError: failure(for: error)
        case let error as EventLogError: failure(for: error)
        case let error as ProjectionError: failure(for: error)
        case let error as IngestError: failure(for: error)
        case let error as QueryError: failure(for: error)
        default: nil
        }
    }

    private static func failure(for error: LMDBError) -> StoreFailure? {
        if error.meansDataFileIsDamaged {
            // Found when opening the file, which LMDB cannot use at all: verify has nothing to add.
            if case .dataFile = error.subject, let detail = error.detail {
                return StoreFailure("\(detail); the store is damaged: restore it from a backup", status: damagedStatus)
            }
            return StoreFailure("the store's file is damaged: \(error); `annals verify` names where", status: damagedStatus)
        }
        if error.meansNoSpace { return StoreFailure(noSpace(error)) }
        switch (error.code, error.subject) {
        case (.notADirectory, .directory(let path)?):
            return StoreFailure("\(path) is a file, not a store directory")
        case (.accessDenied, .directory(let path)?):
            return StoreFailure("cannot open the store at \(path): permission denied on \(path) or its files")
        default:
            return nil
        }
    }

    /// "cannot write to …: the disk is full, or the file may not grow (why)".
    private static func noSpace(_ error: LMDBError) -> String {
        let reason = switch error.code {
        case .noSpace: "no space is left on its device"
        case .quotaExceeded: "the disk quota is used up"
        case .fileTooLarge: "this process may not write files that large"
        case .ioError: "a write to it came up short"
        default: error.message
        }
        return "cannot write to \(error.subject?.path ?? error.operation): the disk is full, or the file may not grow (\(reason))"
    }

    private static func failure(for error: EventLogError) -> StoreFailure? {
        switch error {
        case .damagedFormatVersion:
            StoreFailure("\(error); the store is damaged: restore it from a backup", status: damagedStatus)
        case .corruptRecord:
            StoreFailure("\(error); `annals verify` names where", status: damagedStatus)
        case .idIndexDisagrees:
            StoreFailure("\(error); the store is damaged, so nothing was written: `annals verify` names where", status: damagedStatus)
        case .unsupportedFormat:
            StoreFailure("\(error); upgrade annals to open it")
        default:
            nil
        }
    }

    private static func failure(for error: ProjectionError) -> StoreFailure? {
        switch error {
        case .notBuilt(let name):
            StoreFailure("\(error); run `annals replay --projection \(name)`")
        case .damagedCatalog(let name), .damagedState(let name, _):
            StoreFailure("\(error); `annals replay --projection \(name)` rebuilds the projection", status: damagedStatus)
        default:
            nil
        }
    }

    private static func failure(for error: IngestError) -> StoreFailure? {
        switch error {
        case .projectionsBehind:
            StoreFailure("\(error); run `annals timeline` once to bring them up to date")
        case .articleEventMissing, .eventMissing:
            // Found while checking a record, so reported with its place; but the fault is the
            // store's, which disagrees with itself.
            StoreFailure("\(error); the store is damaged: `annals verify` names where", status: damagedStatus)
        case .noPaths:
            nil
        }
    }

    private static func failure(for error: QueryError) -> QueryFailure? {
        switch error {
        case .unknownActor: QueryFailure("\(error); `annals actors` lists them")
        default: nil
        }
    }

    /// Runs an ingest into `store`. When the store stops growing part-way — the disk is full,
    /// the file may not grow, or the store reached its size limit — the line says which
    /// positions were committed before it stopped: they are safe, and the same ingest run
    /// again finds them and appends only the rest.
    static func ingesting<R>(into store: TimelineStore, _ body: () throws -> R) throws -> R {
        let before = try store.log.head()
        do {
            return try body()
        } catch let error as LMDBError where error.meansNoSpace || error.code == .mapFull {
            let cause = error.meansNoSpace ? noSpace(error) : error.description
            let after = (try? store.log.head()) ?? before
            guard after > before else { throw StoreFailure("\(cause); nothing was committed, and the store is as it was") }
            throw StoreFailure("\(cause); positions \(before + 1)–\(after) are committed and safe, and running the same ingest again resumes after them")
        }
    }
}

/// A mistake in how a command was invoked, found after parsing.
struct UsageFailure: CommandFailure {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
    var exitStatus: Int32 { 64 }
}
