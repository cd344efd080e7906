import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimelineProjections
import LMDB

/// How an ingest runs.
public struct IngestOptions: Sendable {
    /// Validate and report what would be appended, without appending anything. Projections that
    /// lag the log are brought up to date first, as a real ingest (and any query) does, so that
    /// the input is checked against what the real ingest would check it against.
    public var dryRun = false
    /// Events per write transaction. `nil`: one article per transaction when the store is
    /// durable, 10,000 events (whole articles) per transaction in bulk mode.
    public var eventsPerBatch: Int?
    /// Events per transaction when the projections catch up afterwards.
    public var projectionEventsPerTransaction = ProjectionEngine.defaultEventsPerTransaction

    public init(dryRun: Bool = false, eventsPerBatch: Int? = nil, projectionEventsPerTransaction: Int = ProjectionEngine.defaultEventsPerTransaction) {
        self.dryRun = dryRun
        self.eventsPerBatch = eventsPerBatch
        self.projectionEventsPerTransaction = projectionEventsPerTransaction
    }
}

/// What an ingest did, or (for a dry run) would do.
public struct IngestReport: Sendable, Hashable {
    public struct RecordCounts: Sendable, Hashable {
        public var articles = 0
        public var facts = 0
        public var corrections = 0
        public var retractions = 0
        public var actorEvents = 0
    }

    /// Input records of each kind.
    public var records = RecordCounts()
    /// Input records the store already held unchanged.
    public var unchanged = 0
    /// Events appended to the log (for a dry run: that would be appended).
    public var eventsAppended = 0
    /// Events new to the store, by type.
    public var appendedByType: [String: Int] = [:]
    /// The positions of the appended events.
    public var positions: ClosedRange<UInt64>?
    public var batches = 0
    public var dryRun = false
    public var seconds = 0.0
    /// Bytes of input read.
    public var inputBytes = 0
    public var catchUp: CatchUpReport?
    /// Seconds spent reading and checking the input, appending, and bringing projections up to date.
    public var validateSeconds = 0.0
    public var appendSeconds = 0.0
    public var projectSeconds = 0.0
    /// Seconds each appended batch took to commit, in order.
    public var batchSeconds: [Double] = []

    /// Appended events per second of the whole ingest.
    public var eventsPerSecond: Double { seconds > 0 ? Double(eventsAppended) / seconds : 0 }
}

/// Where an ingest is, for progress displays.
public enum IngestPhase: Sendable {
    /// Reading and checking the input: bytes read of the total.
    case validating(done: Int, total: Int)
    /// Appending events: events appended of the total.
    case appending(done: Int, total: Int)
    /// A batch of this many events is about to be committed.
    case committing(events: Int)
    /// A batch was committed: the positions of its new events (`nil` when none was new).
    case committed(positions: ClosedRange<UInt64>?, events: Int)
    /// Bringing projections up to date: log position reached of the head.
    case projecting(done: UInt64, total: UInt64)
}

extension TimelineStore {
    /// How many times an ingest catches up before giving up on a snapshot whose projections
    /// have applied the whole log: each time, another writer appended in between.
    static let catchUpAttemptsBeforeValidating = 8

    /// Plans `stream` in a snapshot whose projections have applied the whole log, since checks
    /// against projections that lag it could miss what is already there.
    ///
    /// `catchingUp` brings the projections up to date (`nil` for a store opened read-only). Another
    /// process may append between that catch-up and the snapshot, so it runs again, a bounded
    /// number of times, until a snapshot shows no lag; nothing of `stream` is read before then.
    func plan(_ stream: RecordStream, with planner: IngestPlanner, catchingUp: (() throws -> Void)?,
              progress: @escaping (Int, Int) -> Void) throws {
        var attempts = 0
        while true {
            try catchingUp?()
            attempts += 1
            let lag = try environment.read { txn -> UInt64 in
                let states = try self.states(in: txn)
                guard states.appliedThrough == states.head else { return states.head - states.appliedThrough }
                try planner.plan(stream, states: states, txn: txn, progress: progress)
                return 0
            }
            if lag == 0 { return }
            guard catchingUp != nil, attempts < Self.catchUpAttemptsBeforeValidating else { throw IngestError.projectionsBehind(lag: lag) }
        }
    }

    /// Ingests fact files and JSON Lines files (or directories of them).
    ///
    /// Everything is validated against one snapshot of the store before anything is written;
    /// the first problem throws an ``InputError`` (an ``IngestError`` when the store is at
    /// fault) and leaves the store unchanged. Then each article's events are appended in one
    /// transaction (or several articles per transaction in bulk mode), events already in the
    /// store are left as they are, and the projections catch up.
    @discardableResult
    public func ingest(paths: [String], options: IngestOptions = IngestOptions(), progress: ((IngestPhase) -> Void)? = nil) throws -> IngestReport {
        let clock = ContinuousClock()
        let started = clock.now
        guard !paths.isEmpty else { throw IngestError.noPaths }
        let files = try IngestInputs.files(for: paths)
        let stream = RecordStream(files: files)
        let planner = IngestPlanner(store: self)
        let validationStarted = clock.now
        // A dry run too: checked against projections that lag, the input could seem fine (or
        // not) where the real run, which catches up first, would find otherwise.
        let catchingUp: (() throws -> Void)? = environment.configuration.flags.contains(.readOnly) ? nil : {
            try self.catchUp { progress?(.projecting(done: $0, total: $1)) }
        }
        try plan(stream, with: planner, catchingUp: catchingUp) { progress?(.validating(done: $0, total: $1)) }
        var report = IngestReport()
        report.records = IngestReport.RecordCounts(
            articles: planner.counts.articles, facts: planner.counts.facts, corrections: planner.counts.corrections,
            retractions: planner.counts.retractions, actorEvents: planner.counts.actorEvents)
        report.unchanged = planner.counts.unchanged
        report.inputBytes = stream.totalBytes
        report.dryRun = options.dryRun
        report.validateSeconds = seconds(since: validationStarted, clock: clock)

        if options.dryRun {
            report.eventsAppended = planner.staged.eventCount
            report.seconds = seconds(since: started, clock: clock)
            return report
        }
        let appendStarted = clock.now
        try append(planner.staged, options: options, into: &report, progress: progress)
        if environment.configuration.flags.contains(.noSync) { try log.flush() }
        report.appendSeconds = seconds(since: appendStarted, clock: clock)
        let projectStarted = clock.now
        report.catchUp = try catchUp(eventsPerTransaction: options.projectionEventsPerTransaction) { progress?(.projecting(done: $0, total: $1)) }
        report.projectSeconds = seconds(since: projectStarted, clock: clock)
        report.seconds = seconds(since: started, clock: clock)
        return report
    }

    /// Validates `paths` as ``ingest(paths:options:progress:)`` does, against the store as it
    /// is, and returns the events an ingest would append, article by article, leaving out
    /// those whose id the log already holds; writes nothing. How a writer that appends through
    /// a stream (`annals ingest --via`) learns what to publish.
    public func plannedEvents(paths: [String]) throws -> [[NewEvent]] {
        guard !paths.isEmpty else { throw IngestError.noPaths }
        let stream = RecordStream(files: try IngestInputs.files(for: paths))
        let planner = IngestPlanner(store: self)
        let catchingUp: (() throws -> Void)? = environment.configuration.flags.contains(.readOnly) ? nil : { _ = try self.catchUp() }
        try plan(stream, with: planner, catchingUp: catchingUp) { _, _ in }
        var articles: [[NewEvent]] = []
        try environment.read { txn in
            // A batch of at least one event ends at the next article: it is one article.
            try planner.staged.forEachBatch(limit: 1) { article in
                var events: [NewEvent] = []
                for event in article where try log.position(ofID: event.id, in: txn) == nil {
                    events.append(event.copy())
                }
                articles.append(events)
            }
        }
        return articles.filter { !$0.isEmpty }
    }

    private func append(_ staged: StagedEvents, options: IngestOptions, into report: inout IngestReport, progress: ((IngestPhase) -> Void)?) throws {
        let bulk = environment.configuration.flags.contains(.noSync)
        let limit = options.eventsPerBatch ?? (bulk ? 10_000 : 1)
        var appended = 0
        var first: UInt64?
        var last: UInt64?
        let clock = ContinuousClock()
        // The names of the event types appended so far (a handful), so that counting an event
        // by its type makes no string of it.
        var typeNames: [String] = []
        func typeName(_ bytes: UnsafeRawBufferPointer) -> String {
            if let known = typeNames.first(where: { $0.utf8.elementsEqual(bytes) }) { return known }
            let name = String(decoding: bytes, as: UTF8.self)
            typeNames.append(name)
            return name
        }
        // Batches break only between articles, so each article is all or nothing.
        try staged.forEachBatch(limit: limit) { batch in
            progress?(.committing(events: batch.count))
            let started = clock.now
            let result = try log.append(borrowing: batch)
            report.batchSeconds.append(seconds(since: started, clock: clock))
            progress?(.committed(positions: result.appendedPositions, events: batch.count))
            for (event, outcome) in zip(batch, result.outcomes) where outcome.isNew {
                report.appendedByType[typeName(event.type), default: 0] += 1
                appended += 1
                if first == nil { first = outcome.position }
                last = outcome.position
            }
            report.batches += 1
            progress?(.appending(done: appended, total: staged.eventCount))
        }
        report.eventsAppended = appended
        if let first, let last { report.positions = first...last }
    }

    private func seconds(since start: ContinuousClock.Instant, clock: ContinuousClock) -> Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Why an ingest could not go on, when the fault is not in the input: the facts, stated plainly;
/// what to do about them is for the program that called to say.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file or directory was given.
    case noPaths
    /// The projections have not applied the last `lag` events of the log, and the input is
    /// checked against them. A store open for writing catches them up first; a read-only one
    /// cannot.
    case projectionsBehind(lag: UInt64)
    /// The sources projection files `article` at `position`, where the log holds no event: the
    /// store disagrees with itself. `citedAt` is the record that cites the article.
    case articleEventMissing(article: String, position: UInt64, citedAt: SourceLocation)
    /// The log's id index places event `id` at `position`, where the log holds no event: the
    /// store disagrees with itself. `citedAt` is the input record that would make the event.
    case eventMissing(id: String, position: UInt64, citedAt: SourceLocation)

    public var description: String {
        switch self {
        case .noPaths:
            "no file or directory was given to ingest"
        case .projectionsBehind(let lag):
            "the projections lag the log by \(lag) event\(lag == 1 ? "" : "s"), so the input cannot be checked against them"
        case let .articleEventMissing(article, position, location):
            location.error("article", "article \(article) is indexed but its event at position \(position) is missing").description
        case let .eventMissing(id, position, location):
            "\(location): the log's index places event \(id) at position \(position), but the log holds no event there"
        }
    }
}
