import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import LMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening the store the way each kind of command needs it.
enum StoreAccess {
    /// The environment variable capping the store's size in bytes (for example to test what
    /// happens when a disk fills up): ingestion stops with a clear error at the cap.
    static let maximumSizeVariable = "ANNALS_MAX_STORE_BYTES"

    /// The source of recorded-at times; tests pin it so outputs are reproducible.
    @TaskLocal static var clock: @Sendable () -> Timestamp = Timestamp.now

    static func maximumSize() throws -> Int {
        guard let raw = getenv(maximumSizeVariable).map({ String(cString: $0) }), !raw.isEmpty else { return 1 << 40 }
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
        if access(path, W_OK) == 0, access(path + "/data.mdb", W_OK) == 0 {
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

/// A mistake in how a command was invoked, found after parsing.
struct UsageFailure: CommandFailure {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
    var exitStatus: Int32 { 64 }
}
