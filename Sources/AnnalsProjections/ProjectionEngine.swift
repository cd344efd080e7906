import AnnalsLog
import LMDB

/// Runs projections over the event log: catches them up, rebuilds them beside the live version,
/// and hands readers the state of the version that serves.
///
/// Each projection owns two slots of databases (`p/<name>/0/<db>` and `p/<name>/1/<db>`). One
/// slot serves; a rebuild fills the other in chunks, each committed with its checkpoint, and
/// swaps the slots in one transaction when it has caught up. Readers resolve the serving slot
/// inside their own transaction, so they keep reading the old version until the swap commits,
/// and a crash during a rebuild leaves the old version serving and the rebuild resumable.
///
/// ```swift
/// let engine = try ProjectionEngine(log: log, projections: [RansomsByPayer()])
/// try engine.catchUp()
/// let totals = try log.environment.read { txn in
///     let state = try engine.state(of: RansomsByPayer(), in: txn)
///     return try txn.getCopy("colonial-pipeline", in: state["totals"])
/// }
/// ```
public final class ProjectionEngine: Sendable {
    /// The name of the database holding every projection's catalog entry.
    public static let catalogDatabaseName = "projections"

    /// How many events of the log catch-up and rebuilds apply per write transaction unless
    /// told otherwise: each transaction's writes are held in memory until it commits.
    public static let defaultEventsPerTransaction = 50_000

    /// The name of database `database` in slot `slot` of projection `projection`.
    static func databaseName(projection: String, slot: Int, database: String) -> String {
        "p/\(projection)/\(slot)/\(database)"
    }

    /// The projection that owns the database called `name`; `nil` for a database that no
    /// projection owns (the log's, the catalog).
    public static func projection(owningDatabase name: String) -> String? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "p", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    public let log: EventLog
    let environment: Environment
    let catalog: Database?
    let registrations: [any Registration]

    /// Opens the engine for `projections`, creating their databases when the store is writable.
    public init(log: EventLog, projections: [any Projection]) throws {
        self.log = log
        environment = log.environment
        let writable = !environment.configuration.flags.contains(.readOnly)
        var seen: Set<String> = []
        for projection in projections {
            guard Self.isValidName(projection.name) else {
                throw ProjectionError.invalidName(projection.name)
            }
            guard seen.insert(projection.name).inserted else {
                throw ProjectionError.duplicateName(projection.name)
            }
            for database in projection.databaseNames where !Self.isValidName(database) {
                throw ProjectionError.invalidName("\(projection.name)/\(database)")
            }
        }
        if writable {
            catalog = try environment.openDatabase(Self.catalogDatabaseName)
        } else {
            catalog = try environment.databaseExists(Self.catalogDatabaseName)
                ? environment.openDatabase(Self.catalogDatabaseName, create: false) : nil
        }
        registrations = try projections.map { try Self.register($0, in: log.environment, create: writable) }
    }

    private static func register<P: Projection>(_ projection: P, in environment: Environment, create: Bool) throws -> any Registration {
        try Registered(projection, environment: environment, create: create)
    }

    /// Whether `name` can name a projection or one of its databases: 1–40 characters of `a–z 0–9 -`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 40
            && name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
    }

    /// The registered projections' names, in registration order.
    public var names: [String] { registrations.map(\.name) }

    func registration(named name: String) throws -> any Registration {
        guard let found = registrations.first(where: { $0.name == name }) else {
            throw ProjectionError.unknownProjection(name, known: names)
        }
        return found
    }

    // MARK: Catalog

    func entry(for name: String, in txn: borrowing Transaction) throws -> CatalogEntry? {
        guard let catalog, let bytes = try txn.get(name, in: catalog) else { return nil }
        guard let entry = CatalogEntry(bytes) else { throw ProjectionError.damagedCatalog(name) }
        return entry
    }

    func store(_ entry: CatalogEntry, for name: String, in txn: borrowing Transaction) throws {
        guard let catalog else { throw ProjectionError.readOnly }
        try txn.put(entry.encoded(), forKey: name, in: catalog)
    }

    // MARK: Reading state

    /// The serving state of `projection`, as of `txn`'s snapshot.
    ///
    /// - Throws: ``ProjectionError/notBuilt(_:)`` when the projection has never been built.
    public func state<P: Projection>(of projection: P, in txn: borrowing Transaction) throws -> P.State {
        let registration = try self.registration(named: projection.name)
        guard let entry = try entry(for: projection.name, in: txn) else {
            // Nothing to apply yet: an empty log's projections are the empty slot 0.
            if try log.head(in: txn) == 0, let empty = registration.databases(slot: 0) { return try projection.makeState(empty) }
            throw ProjectionError.notBuilt(projection.name)
        }
        guard let databases = registration.databases(slot: entry.activeSlot) else { throw ProjectionError.notBuilt(projection.name) }
        return try projection.makeState(databases)
    }

    /// The serving state of `projection` and the last position it has applied, with one catalog read.
    public func stateAndCheckpoint<P: Projection>(of projection: P, in txn: borrowing Transaction) throws -> (state: P.State, checkpoint: UInt64) {
        let registration = try self.registration(named: projection.name)
        guard let entry = try entry(for: projection.name, in: txn) else { return (try state(of: projection, in: txn), 0) }
        guard let databases = registration.databases(slot: entry.activeSlot) else { throw ProjectionError.notBuilt(projection.name) }
        return (try projection.makeState(databases), entry.checkpoint)
    }

    /// The version of `name` the catalog holds, as of `txn`'s snapshot (`nil` when never built).
    public func storedVersion(of name: String, in txn: borrowing Transaction) throws -> Int? {
        try entry(for: name, in: txn)?.version
    }

    /// The last log position `name`'s serving state has applied, as of `txn`'s snapshot (0 when never built).
    public func checkpoint(of name: String, in txn: borrowing Transaction) throws -> UInt64 {
        try entry(for: name, in: txn)?.checkpoint ?? 0
    }

    /// Version, checkpoint, lag and size of every projection.
    public func status() throws -> [ProjectionStatus] {
        let registered = try environment.read { txn in
            let head = try log.head(in: txn)
            return try registrations.map { registration in
                let entry = try entry(for: registration.name, in: txn)
                let (entries, bytes) = try Self.size(of: entry.flatMap { registration.databases(slot: $0.activeSlot)?.all } ?? [], in: txn)
                let condition: ProjectionStatus.Condition
                switch entry {
                case nil: condition = .notBuilt
                case let entry? where entry.rebuild != nil: condition = .rebuilding(appliedThrough: entry.rebuild?.checkpoint ?? 0)
                case let entry? where entry.version != registration.version: condition = .stale(storedVersion: entry.version)
                case let entry? where entry.checkpoint < head: condition = .behind
                default: condition = .current
                }
                return ProjectionStatus(
                    name: registration.name, version: registration.version, storedVersion: entry?.version,
                    checkpoint: entry?.checkpoint ?? 0, head: head, entries: entries, bytes: bytes, condition: condition)
            }
        }
        return registered + (try unregisteredStatus())
    }

    /// The projections the catalog holds whose code this program does not register: a program
    /// that embeds Annals added them (``ProjectionEngine`` lists them so that they are not lost
    /// from sight, and says who can rebuild them).
    private func unregisteredStatus() throws -> [ProjectionStatus] {
        guard let catalog else { return [] }
        let known = Set(names)
        let others: [(String, CatalogEntry)] = try environment.read { txn in
            var found: [(String, CatalogEntry)] = []
            try txn.forEach(in: catalog) { item in
                let name = String(decoding: item.key, as: UTF8.self)
                guard !known.contains(name) else { return true }
                guard let entry = CatalogEntry(item.value) else { throw ProjectionError.damagedCatalog(name) }
                found.append((name, entry))
                return true
            }
            return found
        }
        guard !others.isEmpty else { return [] }
        // Their databases are found by name (`p/<name>/<slot>/…`) and opened before the read
        // that measures them: opening a database takes a transaction of its own.
        let allDatabases = try environment.databaseNames()
        let serving = try others.map { name, entry in
            let prefix = Self.databaseName(projection: name, slot: Int(entry.activeSlot), database: "")
            return try allDatabases.filter { $0.hasPrefix(prefix) }.map { try environment.openDatabase($0, create: false) }
        }
        return try environment.read { txn in
            let head = try log.head(in: txn)
            return try zip(others, serving).map { other, databases in
                let (name, entry) = other
                let (entries, bytes) = try Self.size(of: databases, in: txn)
                return ProjectionStatus(
                    name: name, version: entry.version, storedVersion: entry.version, checkpoint: entry.checkpoint, head: head,
                    entries: entries, bytes: bytes, condition: .unregistered)
            }
        }
    }

    private static func size(of databases: [Database], in txn: borrowing Transaction) throws -> (entries: Int, bytes: Int) {
        var entries = 0
        var bytes = 0
        for database in databases {
            let stats = try txn.statistics(of: database)
            entries += stats.entries
            bytes += stats.totalPages * stats.pageSize
        }
        return (entries, bytes)
    }

    // MARK: Catch-up

    /// Brings every projection up to the log's head: projections of an older version (or with
    /// an interrupted rebuild) are rebuilt, the others apply what they have not seen, many
    /// events per transaction.
    ///
    /// - Parameters:
    ///   - skipping: projections to leave as they are (a declared projection that another
    ///     process redefined or dropped since this one opened the store).
    ///   - progress: called after each transaction with (position reached, head).
    @discardableResult
    public func catchUp(
        eventsPerTransaction: Int = ProjectionEngine.defaultEventsPerTransaction, skipping: Set<String> = [], progress: ((UInt64, UInt64) -> Void)? = nil
    ) throws -> CatchUpReport {
        let registrations = self.registrations.filter { !skipping.contains($0.name) }
        let needRebuild = try environment.read { txn in
            try registrations.filter { registration in
                guard let entry = try entry(for: registration.name, in: txn) else { return true }
                return entry.version != registration.version || entry.rebuild != nil
            }.map(\.name)
        }
        var rebuilt: [RebuildReport] = []
        if !needRebuild.isEmpty {
            rebuilt = try rebuild(needRebuild, eventsPerTransaction: eventsPerTransaction, progress: progress)
        }
        var applied: UInt64 = 0
        var start: UInt64?
        var reached: UInt64 = 0
        // Look before writing: a store whose projections are current is not touched at all.
        let (behind, head) = try environment.read { txn -> (Bool, UInt64) in
            let head = try log.head(in: txn)
            let behind = try registrations.contains { try (entry(for: $0.name, in: txn)?.checkpoint ?? 0) < head }
            return (behind, head)
        }
        guard behind else { return CatchUpReport(rebuilt: rebuilt, eventsApplied: 0, from: nil, reached: head) }
        while true {
            let chunk = try environment.write { txn -> ChunkResult in
                let head = try log.head(in: txn)
                var bound: [Bound] = []
                for registration in registrations {
                    guard let entry = try entry(for: registration.name, in: txn), entry.version == registration.version,
                          entry.rebuild == nil, entry.checkpoint < head
                    else { continue }
                    bound.append(Bound(registration: registration, applier: try registration.bind(slot: entry.activeSlot), checkpoint: entry.checkpoint))
                }
                guard let lowest = bound.map(\.checkpoint).min() else { return ChunkResult(head: head) }
                var result = try applyChunk(&bound, after: lowest, through: head, limit: eventsPerTransaction, log: txn, state: txn)
                for item in bound {
                    guard var entry = try entry(for: item.registration.name, in: txn) else { continue }
                    entry.checkpoint = max(entry.checkpoint, item.checkpoint)
                    try store(entry, for: item.registration.name, in: txn)
                }
                result.startedAfter = lowest
                return result
            }
            guard let last = chunk.lastScanned else {
                reached = chunk.head
                break
            }
            if start == nil { start = chunk.startedAfter }
            applied += chunk.applied
            reached = last
            progress?(last, chunk.head)
        }
        return CatchUpReport(rebuilt: rebuilt, eventsApplied: applied, from: start, reached: reached)
    }

    /// Applies the events at `positions`, appended in `txn` and not yet committed, to every
    /// projection that had applied the whole log before them, in that same transaction: the log
    /// and those projections then commit together, and no catch-up reads the events again.
    /// Projections behind, of another version or rebuilding are left to ``catchUp(eventsPerTransaction:progress:)``.
    ///
    /// - Returns: how many projections applied the events.
    @discardableResult
    public func applyAppended(_ positions: ClosedRange<UInt64>, in txn: borrowing Transaction) throws -> Int {
        var bound: [Bound] = []
        for registration in registrations {
            guard let entry = try entry(for: registration.name, in: txn), entry.version == registration.version,
                  entry.rebuild == nil, entry.checkpoint == positions.lowerBound - 1
            else { continue }
            bound.append(Bound(registration: registration, applier: try registration.bind(slot: entry.activeSlot), checkpoint: entry.checkpoint))
        }
        guard !bound.isEmpty else { return 0 }
        _ = try applyChunk(&bound, after: positions.lowerBound - 1, through: positions.upperBound, limit: .max, log: txn, state: txn)
        for item in bound {
            guard var entry = try entry(for: item.registration.name, in: txn) else { continue }
            entry.checkpoint = item.checkpoint
            try store(entry, for: item.registration.name, in: txn)
        }
        return bound.count
    }

    /// Scans the log from `after + 1` through `through` (at most `limit` events), applying each
    /// event to every bound projection that has not applied it and consumes its type, then
    /// finishes each bound projection's part of the transaction.
    ///
    /// The log is read through `logTxn` and the state written through `stateTxn`: the same
    /// write transaction for the live projections, two environments' for a scratch rebuild.
    private func applyChunk(
        _ bound: inout [Bound], after: UInt64, through: UInt64, limit: Int,
        log logTxn: borrowing Transaction, state stateTxn: borrowing Transaction
    ) throws -> ChunkResult {
        guard after < through else { return ChunkResult(head: through) }
        var scanned = 0
        var applied: UInt64 = 0
        var last: UInt64 = after
        try log.forEach(in: logTxn, positions: (after + 1)...through) { view in
            let position = view.position
            let type = view.typeBytes
            for index in bound.indices where bound[index].checkpoint < position {
                if bound[index].registration.consumes(type) {
                    try bound[index].applier.apply(view, stateTxn)
                    applied += 1
                }
                bound[index].checkpoint = position
            }
            last = position
            scanned += 1
            return scanned < limit
        }
        for item in bound { try item.applier.finish(stateTxn) }
        return ChunkResult(head: through, lastScanned: scanned > 0 ? last : nil, applied: applied)
    }

    // MARK: Rebuild

    /// Rebuilds projections from the log into their spare slots and swaps each in when it has
    /// caught up. An interrupted rebuild of the same version resumes where it stopped.
    ///
    /// - Parameters:
    ///   - names: the projections to rebuild; all when `nil`.
    ///   - progress: called after each transaction with (position reached, head).
    @discardableResult
    public func rebuild(_ names: [String]? = nil, eventsPerTransaction: Int = ProjectionEngine.defaultEventsPerTransaction, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> [RebuildReport] {
        let targets = try (names ?? self.names).map { try registration(named: $0) }
        var reports: [RebuildReport] = []
        for registration in targets {
            let clock = ContinuousClock()
            let started = clock.now
            let resumedFrom = try beginRebuild(registration)
            let filled = try fillSpareSlot(registration, eventsPerTransaction: eventsPerTransaction, progress: progress)
            let (applied, reached) = (filled.applied, filled.reached)
            let finalApplied = filled.finishedElsewhere ? 0 : try environment.write { txn -> UInt64 in
                // Apply whatever was appended since the last chunk, then swap, in one transaction.
                guard case .pending(var entry, let rebuild) = try rebuildState(registration, in: txn) else { return 0 }
                var bound = [Bound(registration: registration, applier: try registration.bind(slot: entry.buildingSlot), checkpoint: rebuild.checkpoint)]
                let head = try log.head(in: txn)
                let final = try applyChunk(&bound, after: rebuild.checkpoint, through: head, limit: .max, log: txn, state: txn)
                let retired = entry.activeSlot
                entry = CatalogEntry(version: rebuild.version, activeSlot: entry.buildingSlot, checkpoint: max(bound[0].checkpoint, rebuild.checkpoint), rebuild: nil)
                try store(entry, for: registration.name, in: txn)
                // Readers that began before this commit keep their snapshot of the retired slot.
                for database in registration.databases(slot: retired)?.all ?? [] { try txn.clear(database) }
                return final.applied
            }
            let elapsed = clock.now - started
            reports.append(RebuildReport(
                name: registration.name, eventsApplied: applied + finalApplied, reached: reached, resumedFrom: resumedFrom,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
        return reports
    }

    /// Starts (or resumes) a rebuild of `registration` into its spare slot; returns the
    /// checkpoint a resumed rebuild continues from.
    private func beginRebuild(_ registration: any Registration) throws -> UInt64? {
        try environment.write { txn -> UInt64? in
            // A damaged catalog entry is replaced: the rebuild fills a slot and swaps it in, so
            // which slot served before no longer matters.
            let stored: CatalogEntry?
            do { stored = try entry(for: registration.name, in: txn) } catch ProjectionError.damagedCatalog { stored = nil }
            var entry = stored ?? CatalogEntry(version: registration.version, activeSlot: 0, checkpoint: 0, rebuild: nil)
            if let rebuild = entry.rebuild, rebuild.version == registration.version {
                return rebuild.checkpoint
            }
            for database in registration.databases(slot: entry.buildingSlot)?.all ?? [] { try txn.clear(database) }
            entry.rebuild = .init(version: registration.version, checkpoint: 0)
            try store(entry, for: registration.name, in: txn)
            return nil
        }
    }

    /// Applies the log to the spare slot up to the head, one chunk per transaction, recording
    /// the rebuild's checkpoint with each.
    ///
    /// Processes that open a store at the same time may rebuild the same projection together:
    /// each chunk continues from the checkpoint in the catalog, whoever wrote it. When another
    /// process swapped the finished rebuild in, the result says so instead of failing.
    private func fillSpareSlot(
        _ registration: any Registration, eventsPerTransaction: Int, progress: ((UInt64, UInt64) -> Void)?
    ) throws -> (applied: UInt64, reached: UInt64, finishedElsewhere: Bool) {
        var applied: UInt64 = 0
        var reached: UInt64 = 0
        while true {
            let chunk = try environment.write { txn -> ChunkResult? in
                guard case .pending(var entry, let rebuild) = try rebuildState(registration, in: txn) else { return nil }
                let head = try log.head(in: txn)
                var bound = [Bound(registration: registration, applier: try registration.bind(slot: entry.buildingSlot), checkpoint: rebuild.checkpoint)]
                var result = try applyChunk(&bound, after: rebuild.checkpoint, through: head, limit: eventsPerTransaction, log: txn, state: txn)
                entry.rebuild?.checkpoint = bound[0].checkpoint
                try store(entry, for: registration.name, in: txn)
                result.startedAfter = bound[0].checkpoint
                return result
            }
            guard let chunk else { return (applied, reached, true) }
            guard let last = chunk.lastScanned else { break }
            applied += chunk.applied
            reached = last
            progress?(last, chunk.head)
        }
        return (applied, reached, false)
    }

    private enum RebuildState {
        /// The rebuild of the registered version is still under way, as the catalog records it.
        case pending(CatalogEntry, CatalogEntry.Rebuild)
        /// Another process finished that rebuild: the catalog serves the registered version.
        case finishedElsewhere
    }

    /// Where a rebuild of `registration` stands in the catalog; any other state (no entry, or
    /// a rebuild of another version) means it was taken over, which is an error.
    private func rebuildState(_ registration: any Registration, in txn: borrowing Transaction) throws -> RebuildState {
        if let entry = try entry(for: registration.name, in: txn) {
            if let rebuild = entry.rebuild, rebuild.version == registration.version { return .pending(entry, rebuild) }
            if entry.rebuild == nil, entry.version == registration.version { return .finishedElsewhere }
        }
        throw ProjectionError.rebuildInterrupted(registration.name)
    }

    // MARK: Discarding

    /// Deletes the catalog entries of `names` and empties every database of theirs, in one
    /// transaction: for projections no longer wanted (a declared projection dropped). A name
    /// the catalog does not hold is skipped.
    public func discard(_ names: [String]) throws {
        guard let catalog, !names.isEmpty else { return }
        // Databases are opened before the write: opening one takes a transaction of its own.
        let allDatabases = try environment.databaseNames()
        let owned = try allDatabases.filter { Self.projection(owningDatabase: $0).map(names.contains) ?? false }
            .map { try environment.openDatabase($0, create: false) }
        try environment.write { txn in
            for name in names { _ = try txn.delete(name, in: catalog) }
            for database in owned { try txn.clear(database) }
        }
    }

    /// The names the catalog holds, registered or not.
    public func catalogNames() throws -> [String] {
        guard let catalog else { return [] }
        return try environment.read { txn in
            var names: [String] = []
            try txn.forEach(in: catalog) { item in
                names.append(String(decoding: item.key, as: UTF8.self))
                return true
            }
            return names
        }
    }

    // MARK: Scratch rebuilds

    /// Builds `projection` from events 1…`position` in a scratch environment of its own, in a
    /// temporary directory, and runs `body` on that state and a read transaction of it. The
    /// store is only read: the log through one read transaction, the live state not at all.
    ///
    /// The transaction given to `body` belongs to the scratch environment: the log and the live
    /// projections cannot be read through it.
    public func withScratchRebuild<P: Projection, R>(
        of projection: P, through position: UInt64, eventsPerTransaction: Int = ProjectionEngine.defaultEventsPerTransaction,
        progress: ((UInt64, UInt64) -> Void)? = nil,
        _ body: (P.State, borrowing Transaction) throws -> R
    ) throws -> R {
        _ = try registration(named: projection.name)
        return try withScratchBuild(of: projection, through: position, eventsPerTransaction: eventsPerTransaction, progress: progress, body)
    }

    /// Replays events 1…`position` into a scratch copy of projection `name` and returns how
    /// many entries its databases then hold. The store is only read.
    public func scratchRebuildEntryCount(_ name: String, through position: UInt64, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> Int {
        try withScratch(try registration(named: name), eventsPerTransaction: Self.defaultEventsPerTransaction, progress: progress, through: { _ in position }) { databases, scratch, _ in
            try databases.all.reduce(0) { $0 + (try scratch.statistics(of: $1).entries) }
        }
    }

    /// Builds `registration` into a temporary environment from events 1 through the position
    /// `through` picks (capped at the head) in one read snapshot of the store, then runs `body`
    /// with the scratch databases, a read transaction on them, and that snapshot.
    private func withScratch<R>(
        _ registration: any Registration, eventsPerTransaction: Int, progress: ((UInt64, UInt64) -> Void)?,
        through: (borrowing Transaction) throws -> UInt64,
        _ body: (ProjectionDatabases, _ scratch: borrowing Transaction, _ store: borrowing Transaction) throws -> R
    ) throws -> R {
        try withScratch(
            name: registration.name, databaseCount: registration.databaseCount, registering: { try registration.scratchCopy(in: $0) },
            eventsPerTransaction: eventsPerTransaction, progress: progress, through: through, body)
    }

    /// Builds `projection` — registered with this engine or not — from events 1…`position` in a
    /// scratch environment, as ``withScratchRebuild(of:through:eventsPerTransaction:progress:_:)``
    /// does: for a projection as it was defined at some earlier position.
    public func withScratchBuild<P: Projection, R>(
        of projection: P, through position: UInt64, eventsPerTransaction: Int = ProjectionEngine.defaultEventsPerTransaction,
        progress: ((UInt64, UInt64) -> Void)? = nil,
        _ body: (P.State, borrowing Transaction) throws -> R
    ) throws -> R {
        try withScratch(
            name: projection.name, databaseCount: projection.databaseNames.count,
            registering: { try Registered(projection, environment: $0, create: true, slotCount: 1) },
            eventsPerTransaction: eventsPerTransaction, progress: progress, through: { _ in position }
        ) { databases, scratch, _ in
            try body(try projection.makeState(databases), scratch)
        }
    }

    private func withScratch<R>(
        name: String, databaseCount: Int, registering: (Environment) throws -> any Registration,
        eventsPerTransaction: Int, progress: ((UInt64, UInt64) -> Void)?,
        through: (borrowing Transaction) throws -> UInt64,
        _ body: (ProjectionDatabases, _ scratch: borrowing Transaction, _ store: borrowing Transaction) throws -> R
    ) throws -> R {
        let configuration = Environment.Configuration(
            mapSize: 16 << 20, maxDatabases: databaseCount + 1, flags: [.noThreadLocalStorage, .noSync])
        return try Environment.withTemporary(label: "annals-scratch-\(name)", configuration: configuration) { scratchEnvironment in
            let scratch = try registering(scratchEnvironment)
            guard let databases = scratch.databases(slot: 0) else { throw ProjectionError.notBuilt(name) }
            return try environment.read { storeTxn in
                let target = min(try through(storeTxn), try log.head(in: storeTxn))
                var reached: UInt64 = 0
                while reached < target {
                    let chunk = try scratchEnvironment.write { scratchTxn in
                        var bound = [Bound(registration: scratch, applier: try scratch.bind(slot: 0), checkpoint: reached)]
                        return try applyChunk(&bound, after: reached, through: target, limit: eventsPerTransaction, log: storeTxn, state: scratchTxn)
                    }
                    guard let last = chunk.lastScanned else { break }
                    reached = last
                    progress?(last, target)
                }
                return try scratchEnvironment.read { scratchTxn in try body(databases, scratchTxn, storeTxn) }
            }
        }
    }

    /// Rebuilds each projection (all when `names` is nil) from scratch up to its serving
    /// checkpoint, in a scratch environment, and compares every database of the two, entry by
    /// entry. The store is only read.
    public func compareWithRebuild(_ names: [String]? = nil) throws -> [RebuildComparison] {
        try (names ?? self.names).map { name in
            let registration = try registration(named: name)
            return try registration.compareWithRebuild(using: self)
        }
    }

    func compare<P: Projection>(_ projection: P, registration: any Registration) throws -> RebuildComparison {
        var checkpoint: UInt64 = 0
        var activeSlot: UInt8 = 0
        var head: UInt64 = 0
        // The live state and the rebuild are read in the same snapshot of the store.
        let liveCheckpoint = { (storeTxn: borrowing Transaction) throws -> UInt64 in
            guard let entry = try self.entry(for: projection.name, in: storeTxn) else { throw ProjectionError.notBuilt(projection.name) }
            (checkpoint, activeSlot, head) = (entry.checkpoint, entry.activeSlot, try self.log.head(in: storeTxn))
            return entry.checkpoint
        }
        return try withScratch(registration, eventsPerTransaction: Self.defaultEventsPerTransaction, progress: nil, through: liveCheckpoint) { rebuilt, scratchTxn, storeTxn in
            guard checkpoint <= head else {
                return RebuildComparison(name: projection.name, checkpoint: checkpoint, difference: "its checkpoint is beyond the log's head, \(head)")
            }
            guard let live = registration.databases(slot: activeSlot) else { throw ProjectionError.notBuilt(projection.name) }
            for (index, name) in projection.databaseNames.enumerated() {
                if let difference = try firstDifference(live.all[index], in: storeTxn, rebuilt.all[index], in: scratchTxn) {
                    return RebuildComparison(name: projection.name, checkpoint: checkpoint, difference: "\(name): \(difference)")
                }
            }
            return RebuildComparison(name: projection.name, checkpoint: checkpoint, difference: nil)
        }
    }

    private func firstDifference(_ a: Database, in aTxn: borrowing Transaction, _ b: Database, in bTxn: borrowing Transaction) throws -> String? {
        try aTxn.withCursor(on: a) { left in
            try bTxn.withCursor(on: b) { right in
                var x = try left.first()
                var y = try right.first()
                var index = 0
                while true {
                    switch (x, y) {
                    case (nil, nil):
                        return nil
                    case (nil, .some):
                        return "the rebuild has more entries than the live state (\(index) in common)"
                    case (.some, nil):
                        return "the live state has more entries than the rebuild (\(index) in common)"
                    case let (l?, r?):
                        guard l.key.elementsEqual(r.key) else { return "entry \(index + 1) has a different key" }
                        guard l.value.elementsEqual(r.value) else { return "entry \(index + 1) has a different value" }
                    }
                    index += 1
                    x = try left.next()
                    y = try right.next()
                }
            }
        }
    }
}

/// One projection bound to a slot for the duration of a transaction.
struct Bound {
    let registration: any Registration
    let applier: Applier
    var checkpoint: UInt64
}

struct ChunkResult {
    var head: UInt64
    var lastScanned: UInt64?
    var applied: UInt64 = 0
    var startedAfter: UInt64 = 0
}
