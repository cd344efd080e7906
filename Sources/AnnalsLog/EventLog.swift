import LMDB

/// The append-only log of immutable events: the truth every projection and query derives from.
///
/// Events get gapless positions (1, 2, 3 …) assigned at commit; an event whose id is already in
/// the log is not appended again. Each record carries a SHA-256 hash chaining it to its
/// predecessor, so ``verify(progress:)`` can prove the log was not rewritten.
///
/// ```swift
/// let log = try EventLog(environment: try Environment(path: "store.lmdb"))
/// let result = try log.append([
///     NewEvent(id: "evt-1", type: "greeting", payload: Array("hello".utf8)),
/// ])
/// try log.replay { event in
///     print(event.position, event.type)
///     return true
/// }
/// ```
///
/// Several threads and processes may append at once; LMDB's writer lock serialises them.
public final class EventLog: Sendable {
    /// The newest storage format this code reads and writes.
    public static let formatVersion = 1

    /// Database names inside the environment.
    public enum DatabaseName {
        /// Position (8-byte big-endian) → record.
        public static let records = "log"
        /// Event id (UTF-8) → position (8-byte big-endian).
        public static let ids = "ids"
        /// Text keys → text values, including `format-version`.
        public static let meta = "meta"
    }

    static let formatVersionKey = "format-version"
    static let createdAtKey = "created-at"
    /// Present in a replica's store: the stream it follows, which alone may add to its log.
    static let replicaOfKey = "replica-of"

    public let environment: Environment
    let records: Database
    let ids: Database
    let meta: Database
    let clock: @Sendable () -> Timestamp

    /// Opens the log in `environment`, creating it when the environment is empty.
    ///
    /// - Parameter clock: the source of recorded-at times; tests inject one.
    /// - Throws: ``EventLogError/unsupportedFormat(path:found:supported:)`` for a store written
    ///   by a newer Annals, ``EventLogError/damagedFormatVersion(path:found:)`` for a format
    ///   version Annals never writes, ``EventLogError/notAnAnnalsStore(path:reason:)`` for other
    ///   LMDB data.
    public init(environment: Environment, clock: @escaping @Sendable () -> Timestamp = Timestamp.now) throws {
        self.environment = environment
        self.clock = clock
        let path = environment.path
        let readOnly = environment.configuration.flags.contains(.readOnly)

        let existing = Set(try environment.databaseNames())
        if existing.contains(DatabaseName.meta) {
            let metaDatabase = try environment.openDatabase(DatabaseName.meta, create: false)
            let version = try environment.read { txn in
                try txn.get(Self.formatVersionKey, in: metaDatabase).map { String(decoding: $0, as: UTF8.self) }
            }
            if let version {
                guard let number = Int(version), number >= 1 else {
                    throw EventLogError.damagedFormatVersion(path: path, found: version)
                }
                guard number <= Self.formatVersion else {
                    throw EventLogError.unsupportedFormat(path: path, found: version, supported: Self.formatVersion)
                }
                meta = metaDatabase
                records = try environment.openDatabase(DatabaseName.records, create: !readOnly)
                ids = try environment.openDatabase(DatabaseName.ids, create: !readOnly)
                return
            }
            // No version: a store whose creator has not committed it yet (the databases are
            // made first), unless records show that it lost it.
            if existing.contains(DatabaseName.records) {
                let recordsDatabase = try environment.openDatabase(DatabaseName.records, create: false)
                if try environment.read({ try $0.statistics(of: recordsDatabase).entries }) > 0 {
                    throw EventLogError.damagedFormatVersion(path: path, found: nil)
                }
            }
        } else {
            let foreign = existing.filter { ![DatabaseName.records, DatabaseName.ids].contains($0) }
            guard foreign.isEmpty else {
                throw EventLogError.notAnAnnalsStore(path: path, reason: "it holds other LMDB databases (\(foreign.sorted().joined(separator: ", ")))")
            }
        }
        guard !readOnly else {
            throw EventLogError.notAnAnnalsStore(path: path, reason: "it holds no log yet")
        }
        let recordsDatabase = try environment.openDatabase(DatabaseName.records)
        let metaDatabase = try environment.openDatabase(DatabaseName.meta)
        records = recordsDatabase
        ids = try environment.openDatabase(DatabaseName.ids)
        meta = metaDatabase
        let created = clock()
        try environment.write { txn in
            // Several processes may create the store at once: the first to commit sets it up.
            // A crash between creating the databases and this commit leaves them empty and
            // without a format version, which the next open completes.
            guard try txn.get(Self.formatVersionKey, in: metaDatabase) == nil else { return }
            guard try txn.statistics(of: recordsDatabase).entries == 0 else {
                throw EventLogError.damagedFormatVersion(path: path, found: nil)
            }
            try txn.put(String(Self.formatVersion), forKey: Self.formatVersionKey, in: metaDatabase)
            try txn.put(created.description, forKey: Self.createdAtKey, in: metaDatabase)
        }
    }

    /// Opens (creating if needed) a store directory holding only a log, with settings suited to it.
    ///
    /// - Parameter durability: ``Durability/bulk`` skips the flush at each commit; call
    ///   ``flush()`` when the load is done.
    public convenience init(path: String, durability: Durability = .durable, readOnly: Bool = false) throws {
        var flags: Environment.Flags = [.noThreadLocalStorage]
        if readOnly {
            try EventLogError.requireStore(at: path)
            flags.insert(.readOnly)
        }
        if durability == .bulk { flags.insert(.noSync) }
        try self.init(environment: try Environment(path: path, configuration: .init(flags: flags)))
    }

    /// Flushes every commit to disk. Ends a bulk load; a no-op cost in durable mode.
    public func flush() throws {
        try environment.sync(force: true)
    }

    // MARK: Appending

    /// Appends `events` in one write transaction: all of them or none.
    ///
    /// An event whose id is already in the log (or earlier in the same batch) is not appended;
    /// its outcome names the existing position.
    ///
    /// - Parameter expectedHead: when given, the append fails with
    ///   ``EventLogError/headMismatch(expected:actual:)`` unless the log's head is exactly there.
    @discardableResult
    public func append(_ events: [NewEvent], expectingHead expectedHead: UInt64? = nil) throws -> AppendResult {
        try Self.validate(events)
        return try environment.write { txn in
            try appendValidated(events, expectingHead: expectedHead, in: txn)
        }
    }

    /// Appends `events` inside a write transaction the caller holds, so other writes can commit
    /// atomically with them.
    public func append(_ events: [NewEvent], expectingHead expectedHead: UInt64? = nil, in txn: borrowing Transaction) throws -> AppendResult {
        try Self.validate(events)
        return try appendValidated(events, expectingHead: expectedHead, in: txn)
    }

    /// ``append(_:expectingHead:)`` for events whose bytes the caller owns: each record is
    /// encoded straight from them, with no ``NewEvent`` made. The same checks, outcomes and
    /// records, all of `events` or none.
    @discardableResult
    public func append(borrowing events: [BorrowedEvent], expectingHead expectedHead: UInt64? = nil) throws -> AppendResult {
        try Self.validate(events)
        return try environment.write { txn in
            try appendValidated(events, expectingHead: expectedHead, in: txn)
        }
    }

    private func appendValidated(_ events: [some AppendableEvent], expectingHead expectedHead: UInt64?, in txn: borrowing Transaction) throws -> AppendResult {
        if let source = try replicaSource(in: txn) { throw EventLogError.replica(path: environment.path, source: source) }
        let (head, previousHash, previousTime) = try appendableHead(in: txn)
        if let expectedHead, expectedHead != head {
            throw EventLogError.headMismatch(expected: expectedHead, actual: head)
        }
        // One transaction time for the whole batch, later than every earlier batch's even when
        // the clock stands still or goes back, so that a time names one batch exactly.
        let recordedAt = head == 0 ? clock() : max(clock(), Timestamp(microsecondsSinceEpoch: previousTime.microsecondsSinceEpoch + 1))
        var outcomes: [AppendOutcome] = []
        outcomes.reserveCapacity(events.count)
        var next = head + 1
        var chain = previousHash
        for event in events {
            try event.withBorrowed { event in
                if let existing = try txn.insert(next, forKey: event.id, in: ids) {
                    guard let position = existing.bigEndianUInt64 else {
                        let id = String(decoding: event.id, as: UTF8.self)
                        throw EventLogError.corruptRecord(position: 0, reason: "the id index entry for \(String(reflecting: id)) is not a position")
                    }
                    outcomes.append(.alreadyPresent(position))
                    return
                }
                chain = try writeRecord(event, position: next, recordedAt: recordedAt, after: chain, in: txn)
                outcomes.append(.appended(next))
                next += 1
            }
        }
        return AppendResult(outcomes: outcomes, head: next - 1, recordedAt: next - 1 > head ? recordedAt : nil)
    }

    // MARK: Replicas

    /// The stream this store replicates (as ``markReplica(of:in:)`` named it), or `nil` for a
    /// store of its own. A replica's log grows only by ``appendRecorded(_:in:)``, with the
    /// events of its stream; ``append(_:expectingHead:)`` refuses with
    /// ``EventLogError/replica(path:source:)``.
    public func replicaSource(in txn: borrowing Transaction) throws -> String? {
        try txn.get(Self.replicaOfKey, in: meta).map { String(decoding: $0, as: UTF8.self) }
    }

    /// ``replicaSource(in:)`` in a read transaction of its own.
    public func replicaSource() throws -> String? {
        try environment.read { txn in try replicaSource(in: txn) }
    }

    /// Makes this store a replica of `source` (a description of the stream, shown to users), in
    /// the caller's write transaction: from its commit on, local appends are refused.
    public func markReplica(of source: String, in txn: borrowing Transaction) throws {
        try txn.put(source, forKey: Self.replicaOfKey, in: meta)
    }

    /// The most bytes of UTF-8 an event's id, type, source, correlation id or causation id may
    /// hold: each is stored with a one-byte length.
    public static let maximumFieldBytes = RecordLayout.maximumFieldLength

    /// Why `event` cannot be appended, or `nil` when it can. ``append(_:expectingHead:)`` makes
    /// exactly this check; callers that make events from input check each one as they make it,
    /// so a problem is reported where the input has it, not in the middle of appending.
    public static func problem(with event: NewEvent) -> EventProblem? {
        event.withBorrowed { problem(with: $0) }
    }

    /// ``problem(with:)`` for an event lent as bytes: the one description of what the
    /// log holds, which appends of both kinds make.
    public static func problem(with event: BorrowedEvent) -> EventProblem? {
        func check(_ count: Int, _ field: String, required: Bool) -> EventProblem? {
            if required && count == 0 { return EventProblem(field: field, problem: "is empty; expected 1 to \(maximumFieldBytes) bytes") }
            if count > maximumFieldBytes {
                return EventProblem(field: field, problem: "is \(count) bytes long; at most \(maximumFieldBytes) fit")
            }
            return nil
        }
        if let problem = check(event.id.count, "id", required: true) ?? check(event.type.count, "type", required: true)
            ?? check(event.source.count, "source", required: false) ?? check(event.correlationID.count, "correlation id", required: false)
            ?? check(event.causationID.count, "causation id", required: false) {
            return problem
        }
        if event.payload.count > Int(UInt32.max) - 4096 {
            return EventProblem(field: "payload", problem: "is \(event.payload.count) bytes; at most 4 GiB fit")
        }
        return nil
    }

    /// Checks every event before anything is written, so a bad event cannot leave half a batch.
    static func validate(_ events: [some AppendableEvent]) throws(EventLogError) {
        for (index, event) in events.enumerated() {
            let failure = event.withBorrowed { event -> EventLogError? in
                guard let problem = problem(with: event) else { return nil }
                let fullID = String(decoding: event.id, as: UTF8.self)
                let id = event.id.count > maximumFieldBytes ? String(fullID.prefix(40)) : fullID
                return .invalidEvent(index: index, id: id, field: problem.field, problem: problem.problem)
            }
            if let failure { throw failure }
        }
    }

    /// ``headState(in:)`` for an append: appending trusts the id index to say which events the
    /// log already holds, and one that has lost or gained entries would let an event in twice,
    /// so its count (free to read) must equal the head.
    func appendableHead(in txn: borrowing Transaction) throws -> (UInt64, ChainHash, Timestamp) {
        let state = try headState(in: txn)
        let indexed = try txn.statistics(of: ids).entries
        guard UInt64(indexed) == state.0 else { throw EventLogError.idIndexDisagrees(entries: indexed, events: state.0) }
        return state
    }

    /// Writes `event`'s record at `position` (the one after the head), chained to `previous`,
    /// and returns its chain hash. The caller has checked the event and claimed its id.
    func writeRecord(_ event: BorrowedEvent, position: UInt64, recordedAt: Timestamp, after previous: ChainHash,
                     in txn: borrowing Transaction) throws -> ChainHash {
        let buffer = try txn.reserve(RecordLayout.size(of: event), forKey: position, in: records, flags: .append)
        RecordLayout.encode(event, position: position, recordedAt: recordedAt, into: buffer)
        return RecordLayout.seal(buffer, after: previous)
    }

    /// The head position, the head record's chain hash and its recorded-at time (zeros for an empty log).
    private func headState(in txn: borrowing Transaction) throws -> (UInt64, ChainHash, Timestamp) {
        try txn.withCursor(on: records) { cursor in
            guard let last = try cursor.last() else { return (0, .genesis, Timestamp(microsecondsSinceEpoch: .min)) }
            guard let position = last.key.bigEndianUInt64, last.key.count == 8 else {
                throw EventLogError.corruptRecord(position: 0, reason: "the last log key is \(last.key.count) bytes, not 8")
            }
            let view = try EventView(record: last.value, key: position)
            return (position, ChainHash(view.chainHash), view.recordedAt)
        }
    }

    // MARK: Reading

    /// The position of the newest event; 0 for an empty log. Positions are gapless, so this is
    /// also the number of events.
    public func head() throws -> UInt64 {
        try environment.read { try head(in: $0) }
    }

    /// The head as seen by `txn`.
    public func head(in txn: borrowing Transaction) throws -> UInt64 {
        try txn.withCursor(on: records) { cursor in
            try cursor.last().flatMap { $0.key.bigEndianUInt64 } ?? 0
        }
    }

    /// The chain hash of the newest record: write it down, and a later ``verify(progress:)``
    /// that ends on the same hash proves no earlier record was changed.
    public func headHash() throws -> ChainHash {
        try environment.read { txn in try headState(in: txn).1 }
    }

    /// The event at `position`, or `nil` past the head.
    public func event(at position: UInt64) throws -> Event? {
        try environment.read { txn in try view(at: position, in: txn)?.copy() }
    }

    /// The event with `id`, or `nil` when the log has none.
    public func event(id: String) throws -> Event? {
        try environment.read { txn in
            guard let position = try self.position(ofID: id, in: txn) else { return nil }
            return try view(at: position, in: txn)?.copy()
        }
    }

    /// The position of the event with `id`.
    public func position(ofID id: String) throws -> UInt64? {
        try environment.read { txn in try position(ofID: id, in: txn) }
    }

    public func position(ofID id: String, in txn: borrowing Transaction) throws -> UInt64? {
        try txn.get(id, in: ids)?.bigEndianUInt64
    }

    /// ``position(ofID:in:)`` for an id given as its UTF-8, looked up without making a string.
    public func position(ofID id: UnsafeRawBufferPointer, in txn: borrowing Transaction) throws -> UInt64? {
        try txn.get(id, in: ids)?.bigEndianUInt64
    }

    /// The event at `position` read in place, valid while `txn` lasts.
    public func view(at position: UInt64, in txn: borrowing Transaction) throws -> EventView? {
        guard let record = try txn.get(position, in: records) else { return nil }
        return try EventView(record: record, key: position)
    }

    /// Up to `limit` events starting at `position` (inclusive) and going forwards or backwards.
    public func events(from position: UInt64, direction: IterationDirection = .forward, limit: Int) throws -> [Event] {
        guard limit > 0 else { return [] }
        var result: [Event] = []
        try environment.read { txn in
            let range = direction == .forward ? position...UInt64.max : 1...max(position, 1)
            try forEach(in: txn, positions: range, direction: direction) { view in
                result.append(view.copy())
                return result.count < limit
            }
        }
        return result
    }

    /// Visits the events with positions in `positions`, in place, until `body` returns `false`.
    ///
    /// Events whose type is not in `types` (when given) are skipped before any field but the
    /// type is read, so a reader that needs few types pays little for the rest.
    public func forEach(
        in txn: borrowing Transaction, positions: ClosedRange<UInt64> = 1...UInt64.max,
        direction: IterationDirection = .forward, types: [EventTypeName]? = nil,
        _ body: (EventView) throws -> Bool
    ) throws {
        try txn.withCursor(on: records) { cursor in
            var entry: Entry?
            switch direction {
            case .forward: entry = try cursor.seek(atLeast: positions.lowerBound)
            case .backward: entry = try cursor.seek(atMost: positions.upperBound)
            }
            while let current = entry {
                guard current.key.count == 8, let position = current.key.bigEndianUInt64 else {
                    throw EventLogError.corruptRecord(position: 0, reason: "a log key is \(current.key.count) bytes, not 8")
                }
                guard positions.contains(position) else { return }
                let view = try EventView(record: current.value, key: position)
                if types.map({ wanted in wanted.contains { $0.matches(view.typeBytes) } }) ?? true {
                    guard try body(view) else { return }
                }
                entry = direction == .forward ? try cursor.next() : try cursor.previous()
            }
        }
    }

    /// Replays the log from `position` onwards in one read snapshot, in place and without
    /// copying payloads, until `body` returns `false`.
    public func replay(from position: UInt64 = 1, types: [EventTypeName]? = nil, _ body: (EventView) throws -> Bool) throws {
        try environment.read { txn in
            try forEach(in: txn, positions: position...UInt64.max, types: types, body)
        }
    }
}

/// Why an event cannot be appended: which field, and what is wrong with it.
public struct EventProblem: Sendable, Hashable, CustomStringConvertible {
    /// `id`, `type`, `source`, `correlation id`, `causation id` or `payload`.
    public let field: String
    /// What is wrong, as the end of a sentence about the field: "is 300 bytes long; at most 255 fit".
    public let problem: String

    public var description: String { "\(field) \(problem)" }
}

/// Whether a log is flushed at every commit.
public enum Durability: Sendable {
    /// Every committed batch is on disk before the append returns: survives power loss.
    case durable
    /// Commits are not flushed until ``EventLog/flush()``: survives a process crash (the
    /// operating system has the data), not a power loss or kernel crash.
    case bulk
}

/// What happened to one event of an appended batch.
public enum AppendOutcome: Sendable, Hashable {
    /// Newly appended at this position.
    case appended(UInt64)
    /// Its id was already in the log, at this position; nothing was appended.
    case alreadyPresent(UInt64)

    public var position: UInt64 {
        switch self {
        case .appended(let position), .alreadyPresent(let position): position
        }
    }

    public var isNew: Bool {
        if case .appended = self { return true }
        return false
    }
}

/// The result of appending a batch.
public struct AppendResult: Sendable, Hashable {
    /// One outcome per event of the batch, in order.
    public let outcomes: [AppendOutcome]
    /// The log's head after the append.
    public let head: UInt64
    /// The transaction time given to the new events; `nil` when none was new.
    public let recordedAt: Timestamp?

    /// How many events were new.
    public var appendedCount: Int { outcomes.count { $0.isNew } }
    /// How many were already in the log.
    public var alreadyPresentCount: Int { outcomes.count - appendedCount }
    /// The positions given to new events, or `nil` when none was new.
    public var appendedPositions: ClosedRange<UInt64>? {
        let new = outcomes.lazy.filter(\.isNew).map(\.position)
        guard let first = new.first, let last = new.max() else { return nil }
        return first...last
    }
}
