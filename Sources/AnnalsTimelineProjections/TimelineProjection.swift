import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import LMDB

/// Every fact, every version of it, and the valid-time indexes that find them as of any
/// position: the fold of the log's fact events into what timelines show.
///
/// - `ids`: fact id → the position of its first assertion (8 bytes BE), the fact's key.
/// - `rows`: first position (8 BE) ‖ position (8 BE) → the ``FactRow`` the event at that
///   position made: the fact merged as of that version, so a row costs one read.
/// - `entries`: ``TimelineIndexKey`` → ``Lifespans`` ‖ while open, the fact's latest row (its
///   position as a varint, then the row's bytes): where each version of each fact sits in valid
///   time, and between which positions it was there.
/// - `buckets`: class ‖ bucket → ``BucketSummary``.
/// - `actor-entries`, `actor-buckets`: the same without the rows, each key prefixed by an actor
///   id and 0x00, filed under each actor a version involves, with the actor's roles.
/// - `actor-counts`: actor id ‖ 0x00 ‖ position (8 BE) → how many live facts involved the actor
///   from that position on (8 bytes LE).
///
/// Read it through ``Reader``; nothing else knows these bytes.
public struct TimelineProjection: Projection {
    public struct State: Sendable {
        let ids: Database
        let rows: Database
        let entries: Database
        let buckets: Database
        let actorEntries: Database
        let actorBuckets: Database
        let actorCounts: Database
        /// What this transaction has already learnt of the indexes; a state lives for one
        /// transaction, so nothing here outlives what it describes.
        let written = WriteCache()
    }

    /// What many events of one transaction ask again: how many live facts each actor has, and
    /// which span classes the overall index and each actor have buckets of. Holds only what the
    /// transaction itself has read or written, so it never disagrees with the store. (Bucket
    /// existence is not worth caching: most buckets an event touches are per-actor buckets it
    /// creates.)
    final class WriteCache: @unchecked Sendable {
        // Confined to the one thread that runs the write transaction the state was made for.
        var liveFacts: [String: Int64] = [:]
        /// By actor; the overall index under nil.
        var presentClasses: [String?: SpanClassSet] = [:]
    }

    public let name = "timeline"
    public let version = 4
    public let eventTypes = DomainEventType.factEvents
    public let databaseNames = ["ids", "rows", "entries", "buckets", "actor-entries", "actor-buckets", "actor-counts"]

    public init() {}

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(ids: databases["ids"], rows: databases["rows"], entries: databases["entries"], buckets: databases["buckets"],
              actorEntries: databases["actor-entries"], actorBuckets: databases["actor-buckets"], actorCounts: databases["actor-counts"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        guard let factEvent = try FactEvent(event) else { return }
        let position = event.position
        let recordedAt = event.recordedAt
        var previous: FactRow?
        let firstPosition: UInt64
        // An assertion records the fact's key unless it is there already: one descent either way.
        let stored = if case .asserted = factEvent {
            try txn.insert(Self.positionKey(position), forKey: factEvent.fact, in: state.ids)
        } else {
            try txn.get(factEvent.fact, in: state.ids)
        }
        if let stored {
            guard let first = stored.bigEndianUInt64, stored.count == 8 else { throw ProjectionError.damagedState(projection: name, what: "the key of fact \(factEvent.fact)") }
            firstPosition = first
            previous = try Reader(state).latestRow(firstPosition: first, asOf: .max, txn: txn)
            guard previous != nil else { throw ProjectionError.damagedState(projection: name, what: "fact \(factEvent.fact)") }
        } else {
            // Ingestion refuses corrections and retractions of facts it does not know.
            guard case .asserted = factEvent else { return }
            firstPosition = position
        }
        guard let row = FactRow.folding(factEvent, into: previous, at: position, recordedAt: recordedAt) else { return }
        let encodedRow = row.encoded()
        try txn.put(encodedRow, forKey: Self.rowKey(firstPosition, position), in: state.rows)
        try index(from: previous, to: row, encoded: encodedRow, at: position, state: state, txn: txn)
    }

    // MARK: Index maintenance

    /// Each distinct actor of a row, in order of first appearance, with its roles as a bit mask
    /// (bit n for the nth of `ActorRole.allCases`). Looked up by a scan of the few actors a fact
    /// has; a fact with many gets a dictionary, so no input makes the lookups quadratic.
    private struct ActorRoles {
        private(set) var list: [(actor: String, roles: UInt16)] = []
        private var indexByActor: [String: Int]?
        private static let scanLimit = 16
        private static let roleOrder = ActorRole.allCases

        init(_ involvements: [ActorInvolvement]) {
            list.reserveCapacity(involvements.count)
            for involvement in involvements {
                let bit = UInt16(1) << UInt16(Self.roleOrder.firstIndex(of: involvement.role) ?? 0)
                if let index = index(of: involvement.actor) {
                    list[index].roles |= bit
                } else {
                    indexByActor?[involvement.actor] = list.count
                    list.append((involvement.actor, bit))
                    if indexByActor == nil, list.count > Self.scanLimit {
                        indexByActor = Dictionary(uniqueKeysWithValues: list.enumerated().map { ($0.element.actor, $0.offset) })
                    }
                }
            }
        }

        private func index(of actor: String) -> Int? {
            if let indexByActor { return indexByActor[actor] }
            return list.firstIndex { $0.actor == actor }
        }

        /// The roles `actor` has, or nil when it is not among the row's actors.
        func roles(of actor: String) -> UInt16? { index(of: actor).map { list[$0].roles } }
    }

    /// Where a row sits in the indexes: its key, and its actors with their roles.
    private struct Placement: Equatable {
        let key: TimelineIndexKey
        let actors: ActorRoles

        init?(_ row: FactRow?) {
            guard let row, !row.isRetracted else { return nil }
            key = TimelineIndexKey(when: row.when, firstPosition: row.firstPosition, kind: row.kind)
            actors = ActorRoles(row.actors)
        }

        static func == (a: Placement, b: Placement) -> Bool {
            a.key == b.key && a.actors.list.elementsEqual(b.actors.list) { $0.actor == $1.actor && $0.roles == $1.roles }
        }
    }

    private func index(from previous: FactRow?, to row: FactRow, encoded encodedRow: [UInt8], at position: UInt64, state: State, txn: borrowing Transaction) throws {
        let old = Placement(previous)
        let new = Placement(row)
        // The overall index keeps each live fact's latest row beside its entry, so that a page of
        // the present reads no other database.
        let rowCopy = new.map { _ in InlineRow(position: row.position, encoded: encodedRow) }
        // Every key of a fact's entries holds its first position, so a fact seen for the first
        // time has no entry to reopen.
        let isFirstVersion = previous == nil
        if old?.key != new?.key {
            if let old { try close(Self.entryKey(old.key, actor: nil, roles: nil), at: position, in: state.entries, txn: txn) }
            if let new {
                try open(Self.entryKey(new.key, actor: nil, roles: nil), at: position, row: rowCopy, isNew: isFirstVersion, in: state.entries, txn: txn)
                try summarize(new.key, actor: nil, at: position, in: state.buckets, written: state.written, txn: txn)
            }
        } else if let new {
            try refresh(Self.entryKey(new.key, actor: nil, roles: nil), row: rowCopy, in: state.entries, txn: txn)
        }
        guard old != new else { return }
        let oldActors = old?.actors.list ?? []
        let newActors = new?.actors.list ?? []
        for (actor, roles) in oldActors where new?.key != old?.key || new?.actors.roles(of: actor) != roles {
            if let old { try close(Self.entryKey(old.key, actor: actor, roles: roles), at: position, in: state.actorEntries, txn: txn) }
        }
        for (actor, roles) in newActors where new?.key != old?.key || old?.actors.roles(of: actor) != roles {
            if let new {
                try open(Self.entryKey(new.key, actor: actor, roles: roles), at: position, row: nil, isNew: isFirstVersion, in: state.actorEntries, txn: txn)
                try summarize(new.key, actor: actor, at: position, in: state.actorBuckets, written: state.written, txn: txn)
            }
        }
        for (actor, _) in oldActors where new?.actors.roles(of: actor) == nil {
            try count(actor, by: -1, at: position, state: state, txn: txn)
        }
        for (actor, _) in newActors where old?.actors.roles(of: actor) == nil {
            try count(actor, by: 1, at: position, state: state, txn: txn)
        }
    }

    /// A row as a live entry of the overall index carries it after the lifespans: its position
    /// as a varint, then its bytes.
    private struct InlineRow {
        let position: UInt64
        let encoded: [UInt8]

        var count: Int { PayloadWriter.varintCount(position) + encoded.count }

        func write(into buffer: UnsafeMutableRawBufferPointer, at offset: inout Int) {
            PayloadWriter.varint(position, into: buffer, at: &offset)
            encoded.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]).copyMemory(from: $0) }
            offset += encoded.count
        }
    }

    /// Stores an index entry's value: `lifespans` (and a span opened at `opening`, if given),
    /// then the row it carries if any, encoded straight into the database's page rather than
    /// into a buffer first.
    private func store(_ lifespans: Lifespans, opening: UInt64? = nil, row: InlineRow?, forKey key: KeyBytes, in database: Database, txn: borrowing Transaction) throws {
        let value = try txn.reserve(lifespans.encodedCount(opening: opening) + (row?.count ?? 0), forKey: key, in: database)
        var offset = 0
        lifespans.write(into: value, at: &offset, opening: opening)
        row?.write(into: value, at: &offset)
        assert(offset == value.count, "an index entry's value was reserved at another length than written")
    }

    /// Ends the entry's open lifespan at `position`, and drops the row it carried.
    private func close(_ key: KeyBytes, at position: UInt64, in database: Database, txn: borrowing Transaction) throws {
        guard let bytes = try txn.get(key, in: database) else { throw ProjectionError.damagedState(projection: name, what: "an index entry") }
        var lifespans = try Lifespans.decode(bytes).lifespans
        guard lifespans.isOpen else { throw ProjectionError.damagedState(projection: name, what: "an index entry") }
        lifespans.spans[lifespans.spans.count - 1].until = position
        try store(lifespans, row: nil, forKey: key, in: database, txn: txn)
    }

    /// Starts a lifespan of the entry at `position`: a new entry, or one the fact had before
    /// (looked for unless `isNew` says there can be none).
    private func open(_ key: KeyBytes, at position: UInt64, row: InlineRow?, isNew: Bool, in database: Database, txn: borrowing Transaction) throws {
        var earlier = Lifespans(spans: [])
        if !isNew, let bytes = try txn.get(key, in: database) { earlier = try Lifespans.decode(bytes).lifespans }
        try store(earlier, opening: position, row: row, forKey: key, in: database, txn: txn)
    }

    /// Replaces the row an open entry carries.
    private func refresh(_ key: KeyBytes, row: InlineRow?, in database: Database, txn: borrowing Transaction) throws {
        guard let bytes = try txn.get(key, in: database) else { throw ProjectionError.damagedState(projection: name, what: "an index entry") }
        let lifespans = try Lifespans.decode(bytes).lifespans
        try store(lifespans, row: row, forKey: key, in: database, txn: txn)
    }

    /// Records a bucket's first entry, which a new bucket gets at `position`.
    private func summarize(_ key: TimelineIndexKey, actor: String?, at position: UInt64, in database: Database, written: WriteCache, txn: borrowing Transaction) throws {
        let bucketKey = Self.bucketKey(key.spanClass, key.bucket, actor: actor)
        // One seek tells whether the bucket exists and, when not, what the next one of its class holds.
        let found = try bucketKey.withRawBytes { bucketKey in
            try txn.withCursor(on: database) { cursor -> (exists: Bool, laterEarliest: UInt64?) in
                guard let next = try cursor.seek(atLeast: bucketKey) else { return (false, nil) }
                if next.key.elementsEqual(bucketKey) { return (true, nil) }
                guard next.key.count == bucketKey.count, next.key.starts(with: bucketKey, count: bucketKey.count - 8),
                      let summary = BucketSummary(next.value) else { return (false, nil) }
                return (false, summary.earliestFromHereOn)
            }
        }
        if found.exists { return }
        let laterEarliest = found.laterEarliest
        try txn.put(BucketSummary(earliest: position, earliestFromHereOn: min(position, laterEarliest ?? position)).bytes, forKey: bucketKey, in: database)
        // The first bucket of a class marks the class present, so a query visits only those.
        let cached = written.presentClasses[actor]
        if cached?.contains(key.spanClass) == true { return }
        let classesKey = Self.classesKey(actor: actor)
        var present = try cached ?? SpanClassSet(try txn.get(classesKey, in: database)) ?? SpanClassSet()
        if !present.contains(key.spanClass) {
            present.insert(key.spanClass)
            try txn.put(present.bytes, forKey: classesKey, in: database)
        }
        written.presentClasses[actor] = present
    }

    /// The key under which a bucket database lists the span classes it has buckets of: the
    /// prefix and class code 0, which no class uses.
    static func classesKey(prefix: [UInt8]) -> [UInt8] {
        var key = prefix
        appendClassesMark(to: &key)
        return key
    }

    static func classesKey(actor: String?) -> KeyBytes {
        var key = KeyBytes()
        appendActorPrefix(actor, to: &key)
        appendClassesMark(to: &key)
        return key
    }

    private static func appendClassesMark(to key: inout some KeySink) { key.append(0) }

    private func count(_ actor: String, by change: Int64, at position: UInt64, state: State, txn: borrowing Transaction) throws {
        let current = try state.written.liveFacts[actor] ?? Int64(Reader(state).liveFacts(of: actor, asOf: .max, txn: txn))
        let updated = current + change
        state.written.liveFacts[actor] = updated
        try withUnsafeBytes(of: updated.littleEndian) { count in
            try txn.put(count, forKey: Self.countKey(actor, position), in: state.actorCounts)
        }
    }

    // MARK: Keys

    static func positionKey(_ position: UInt64) -> KeyBytes {
        var bytes = KeyBytes()
        TimelineIndexKey.appendUnsigned(position, to: &bytes)
        return bytes
    }

    static func rowKey(_ firstPosition: UInt64, _ position: UInt64) -> KeyBytes {
        var bytes = KeyBytes()
        TimelineIndexKey.appendUnsigned(firstPosition, to: &bytes)
        TimelineIndexKey.appendUnsigned(position, to: &bytes)
        return bytes
    }

    static func actorPrefix(_ actor: String?) -> [UInt8] {
        var bytes: [UInt8] = []
        appendActorPrefix(actor, to: &bytes)
        return bytes
    }

    /// An actor's keys begin with its id and a zero byte; the overall index's have no prefix.
    static func appendActorPrefix(_ actor: String?, to bytes: inout some KeySink) {
        guard var actor else { return }
        actor.withUTF8 { bytes.append(contentsOf: UnsafeRawBufferPointer($0)) }
        bytes.append(0)
    }

    static func entryKey(_ key: TimelineIndexKey, actor: String?, roles: UInt16?) -> KeyBytes {
        var bytes = KeyBytes()
        appendActorPrefix(actor, to: &bytes)
        key.append(to: &bytes, roles: actor == nil ? nil : roles)
        return bytes
    }

    static func bucketKey(_ spanClass: TimelineIndexKey.SpanClass, _ bucket: Int64, actor: String?) -> KeyBytes {
        var bytes = KeyBytes()
        appendActorPrefix(actor, to: &bytes)
        TimelineIndexKey.bucketPrefix(spanClass, bucket, into: &bytes)
        return bytes
    }

    /// The length of the longest key this projection derives from a fact's id and from one
    /// of its actors' ids, for checking ids against LMDB's key limit before an append.
    package static func longestKeyBytes(fact: String, actor: String) -> (fact: Int, actor: Int) {
        (fact.utf8.count, actor.utf8.count + 1 + TimelineIndexKey.maximumBytes)
    }

    static func countKey(_ actor: String, _ position: UInt64) -> KeyBytes {
        var key = KeyBytes()
        appendActorPrefix(actor, to: &key)
        TimelineIndexKey.appendUnsigned(position, to: &key)
        return key
    }
}
