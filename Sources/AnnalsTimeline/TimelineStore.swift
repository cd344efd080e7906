import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimelineProjections
import LMDB

/// An Annals store: the event log of articles, actors and facts, and the built-in projections
/// that answer timeline questions along valid time, transaction time, or both.
///
/// ```swift
/// let store = try TimelineStore(path: "annals.lmdb")
/// let report = try store.ingest(paths: ["seeds"])
/// let may = try store.timeline(TimelineQuery(from: try ValidTime(parsing: "2021-05"), to: try ValidTime(parsing: "2021-05")))
/// ```
public final class TimelineStore: Sendable {
    /// How to open a store.
    public struct Options: Sendable {
        /// Open for reading only: nothing is written, not even projection catch-up.
        public var readOnly = false
        /// `.bulk` skips the flush at each commit and flushes once when an ingest ends.
        public var durability: Durability = .durable
        /// The store never grows beyond this many bytes; ingestion then stops with a clear error.
        public var maximumSize: Int = 1 << 40
        /// The memory map a new store starts with; it doubles whenever a write fills it.
        public var initialMapSize: Int = 64 << 20
        /// Projections to run beside the built-in ones.
        public var additionalProjections: [any Projection] = []
        /// The source of recorded-at times (tests inject one).
        public var clock: @Sendable () -> Timestamp = Timestamp.now
        /// Runs this projection under the timeline's name instead of the built-in one: the tests'
        /// fault injection (a timeline that fails part-way through a rebuild).
        var replacingTimeline: (any Projection)?

        public init() {}
    }

    public let environment: Environment
    public let log: EventLog
    public let projections: ProjectionEngine
    public let path: String

    let timelineProjection = TimelineProjection()
    let actorsProjection = ActorsProjection()
    let sourcesProjection = SourcesProjection()
    let definitionsProjection = DefinitionsProjection()
    /// The definitions projection alone, for reading and advancing it apart from the others
    /// (the store reads it before the engine of every projection exists).
    let definitionsEngine: ProjectionEngine
    /// The declared projections the log defines (and has not dropped), as of opening.
    public let declared: DeclaredProjections

    /// The built-in projections, in the order they are registered.
    public static var builtInProjectionNames: [String] { ["timeline", "actors", "sources", "definitions"] }

    /// Opens the store at `path` (creating it unless read-only). Projections are not caught up
    /// here; call ``catchUp(progress:)`` (ingestion does).
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        var flags: Environment.Flags = [.noThreadLocalStorage]
        if options.readOnly {
            try EventLogError.requireStore(at: path)
            flags.insert(.readOnly)
        }
        if options.durability == .bulk { flags.insert(.noSync) }
        let configuration = Environment.Configuration(
            mapSize: min(options.initialMapSize, options.maximumSize), maximumMapSize: options.maximumSize, maxDatabases: 256, flags: flags)
        environment = try Environment(path: path, configuration: configuration)
        log = try EventLog(environment: environment, clock: options.clock)
        let builtIn: [any Projection] = [options.replacingTimeline ?? timelineProjection, actorsProjection, sourcesProjection, definitionsProjection]
        definitionsEngine = try ProjectionEngine(log: log, projections: [definitionsProjection])
        declared = try DeclaredProjections(
            log: log, engine: definitionsEngine, definitions: definitionsProjection,
            reserved: Self.builtInProjectionNames + options.additionalProjections.map(\.name))
        projections = try ProjectionEngine(log: log, projections: builtIn + options.additionalProjections + declared.projections)
    }

    /// Brings every projection up to the log's head (rebuilding stale ones), and discards what
    /// dropped declared projections left in the store.
    ///
    /// A declared projection that another process has redefined or dropped since this store
    /// was opened is left alone: the process that opens the store next runs the new definition.
    @discardableResult
    public func catchUp(eventsPerTransaction: Int = ProjectionEngine.defaultEventsPerTransaction, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> CatchUpReport {
        guard !environment.configuration.flags.contains(.readOnly) else {
            return try projections.catchUp(eventsPerTransaction: eventsPerTransaction, progress: progress)
        }
        let latest = try DeclaredProjections.latestVersions(log: log, engine: definitionsEngine, definitions: definitionsProjection)
        let superseded = Set(declared.projections.filter { latest[$0.name] != $0.version }.map(\.name))
        let dropped = Set(latest.filter { $0.value == nil }.keys)
        let leftovers = Set(try projections.catalogNames()).intersection(dropped).subtracting(projections.names)
        try projections.discard(leftovers.sorted())
        return try projections.catchUp(eventsPerTransaction: eventsPerTransaction, skipping: superseded, progress: progress)
    }

    /// Whether every projection has applied the whole log at the current version.
    public func projectionsAreCurrent() throws -> Bool {
        try projections.status().allSatisfy { $0.condition == .current }
    }

    /// The serving state of every built-in projection in `txn`'s snapshot.
    func states(in txn: borrowing Transaction) throws -> ProjectionStates {
        let engine = projections
        let timeline = try engine.stateAndCheckpoint(of: timelineProjection, in: txn)
        let actors = try engine.stateAndCheckpoint(of: actorsProjection, in: txn)
        let sources = try engine.stateAndCheckpoint(of: sourcesProjection, in: txn)
        return ProjectionStates(
            timeline: timeline.state, actors: actors.state, sources: sources.state,
            appliedThrough: min(timeline.checkpoint, actors.checkpoint, sources.checkpoint),
            head: try log.head(in: txn))
    }
}

/// The databases of the built-in projections' serving versions in one snapshot, and how far
/// they have applied the log.
struct ProjectionStates {
    let timeline: TimelineProjection.State
    let actors: ActorsProjection.State
    let sources: SourcesProjection.State
    /// The log position every built-in projection has applied: queries answer as of at most this.
    let appliedThrough: UInt64
    let head: UInt64
}
