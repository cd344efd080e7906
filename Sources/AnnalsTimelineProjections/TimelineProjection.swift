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
        /// What this transaction's events wrote, held back until ``finish(_:in:)``; a state
        /// lives for one transaction, so nothing here outlives it.
        let pending = PendingWrites()
    }

    /// The writes of one transaction's events, made in key order when it finishes, and what the
    /// events need to read back of them: the facts they changed. Made lazily, since a state made
    /// for reading never writes.
    final class PendingWrites: @unchecked Sendable {
        // Confined to the one thread that runs the write transaction the state was made for, so
        // the stored properties go without the runtime's exclusivity checks.
        /// The facts this transaction's events changed, by id.
        @exclusivity(unchecked) var facts: [String: ChangedFact] = [:]
        lazy var ids = SortedWrites()
        lazy var rows = SortedWrites()
        lazy var entries = SortedWrites()
        lazy var actorEntries = SortedWrites()
        /// By count key, the change (+1 or -1, 8 bytes LE) in how many live facts involve the
        /// actor, made a running count when the transaction ends.
        lazy var actorCounts = SortedWrites()
        /// For each write of `entries` and `actorEntries`, the index of the same fact's write
        /// before it in the same database (-1 for none): each fact's entry writes as a list.
        @exclusivity(unchecked) var earlierEntryWrite: [Int] = []
        @exclusivity(unchecked) var earlierActorEntryWrite: [Int] = []
        /// Each bucket an entry was opened in (the key of its summary), with the position of
        /// the opening (8 bytes BE): new buckets get their summaries when the transaction ends.
        lazy var openedBuckets = SortedWrites()
        lazy var openedActorBuckets = SortedWrites()
        /// Where a first assertion's row is written before it is copied into ``rows``.
        @exclusivity(unchecked) var rowScratch = PayloadWriter(capacity: 512)
        /// The list a first assertion's actors are gathered in (``ActorRoles``), lent to each
        /// in turn and given back, so that it is allocated once.
        @exclusivity(unchecked) var actorRolesStorage: [(actor: String, roles: UInt16)] = []
    }

    /// A fact as this transaction left it: its key, where its latest row is among the pending
    /// writes, and its last write to each entry database (-1 for none).
    struct ChangedFact {
        let firstPosition: UInt64
        var latestPosition: UInt64
        var rowWrite: Int
        var lastEntryWrite = -1
        var lastActorEntryWrite = -1
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
        // A fact's first assertion, most of a log's events, is read in place: its row is its
        // header and the assertion's own bytes, and its entries need only its kind, date and actors.
        if let assertion = try FactAssertionView(event) {
            let id = String(decoding: assertion.fact, as: UTF8.self)
            let known = try find(id, state: state, txn: txn)
            guard let known else {
                try applyFirstAssertion(assertion, id: id, at: event.position, recordedAt: event.recordedAt, state: state, txn: txn)
                return
            }
            try apply(.asserted(try FactAssertion(event)), known: known, at: event.position, recordedAt: event.recordedAt, state: state, txn: txn)
            return
        }
        guard let factEvent = try FactEvent(event) else { return }
        try apply(factEvent, known: try find(factEvent.fact, state: state, txn: txn), at: event.position, recordedAt: event.recordedAt,
                  state: state, txn: txn)
    }

    /// Where fact `id` stands before an event: changed earlier in this transaction, or stored
    /// with the position of its first assertion; nil when neither has it.
    private enum KnownFact {
        case changed(ChangedFact)
        case stored(firstPosition: UInt64)
    }

    private func find(_ id: String, state: State, txn: borrowing Transaction) throws -> KnownFact? {
        if let changed = state.pending.facts[id] { return .changed(changed) }
        guard let stored = try txn.get(id, in: state.ids) else { return nil }
        guard let first = stored.bigEndianUInt64, stored.count == 8 else { throw ProjectionError.damagedState(projection: name, what: "the key of fact \(id)") }
        return .stored(firstPosition: first)
    }

    /// Folds a decoded fact event into the fact as `known` finds it.
    private func apply(_ factEvent: FactEvent, known: KnownFact?, at position: UInt64, recordedAt: Timestamp,
                       state: State, txn: borrowing Transaction) throws {
        let pending = state.pending
        let firstPosition: UInt64
        let previous: FactRow?
        var changed: ChangedFact?
        switch known {
        case .changed(let fact):
            firstPosition = fact.firstPosition
            previous = try FactRow(decoding: pending.rows.value(at: fact.rowWrite), firstPosition: firstPosition, position: fact.latestPosition)
            changed = fact
        case .stored(let first):
            firstPosition = first
            previous = try Reader(state).latestRow(firstPosition: first, asOf: .max, txn: txn)
            guard previous != nil else { throw ProjectionError.damagedState(projection: name, what: "fact \(factEvent.fact)") }
        case nil:
            // Ingestion refuses corrections and retractions of facts it does not know.
            guard case .asserted = factEvent else { return }
            pending.ids.add(key: factEvent.fact, value: Self.positionKey(position))
            firstPosition = position
            previous = nil
        }
        guard let row = FactRow.folding(factEvent, into: previous, at: position, recordedAt: recordedAt) else { return }
        let rowWrite = pending.rows.add(key: Self.rowKey(firstPosition, position), value: row.encoded())
        var fact = changed ?? ChangedFact(firstPosition: firstPosition, latestPosition: position, rowWrite: rowWrite)
        fact.latestPosition = position
        fact.rowWrite = rowWrite
        let new = Placement(row)
        try index(from: Placement(previous), to: new, isFirstVersion: previous == nil,
                  row: new.map { _ in InlineRow(position: position, encoded: pending.rows.value(at: rowWrite)) },
                  at: position, fact: &fact, state: state, txn: txn)
        pending.facts[factEvent.fact] = fact
    }

    /// Folds in the first assertion of fact `id`, which neither the store nor this transaction
    /// has seen: the row ``FactRow/writeFirstRow(_:recordedAt:to:)`` writes, and its entries.
    private func applyFirstAssertion(_ assertion: FactAssertionView, id: String, at position: UInt64, recordedAt: Timestamp,
                                     state: State, txn: borrowing Transaction) throws {
        let pending = state.pending
        pending.ids.add(key: id, value: Self.positionKey(position))
        pending.rowScratch.removeAll()
        FactRow.writeFirstRow(assertion, recordedAt: recordedAt, to: &pending.rowScratch)
        let rowWrite = pending.rows.add(key: Self.rowKey(position, position), value: pending.rowScratch.bytes)
        var fact = ChangedFact(firstPosition: position, latestPosition: position, rowWrite: rowWrite)
        let new = Placement(key: TimelineIndexKey(when: assertion.when, firstPosition: position, kind: assertion.kind),
                            actors: try ActorRoles(assertion, storage: &pending.actorRolesStorage))
        try index(from: nil, to: new, isFirstVersion: true, row: InlineRow(position: position, encoded: pending.rows.value(at: rowWrite)),
                  at: position, fact: &fact, state: state, txn: txn)
        pending.actorRolesStorage = new.actors.list
        pending.facts[id] = fact
    }

    /// Makes the transaction's writes, each database's in key order: first the summaries of
    /// the buckets its entries opened, which read the buckets as they stood before it.
    public func finish(_ state: State, in txn: borrowing Transaction) throws {
        let pending = state.pending
        try summarizeOpenedBuckets(pending.openedBuckets, in: state.buckets, txn: txn)
        try summarizeOpenedBuckets(pending.openedActorBuckets, in: state.actorBuckets, txn: txn)
        try pending.ids.write(to: state.ids, in: txn)
        try pending.rows.write(to: state.rows, in: txn)
        try pending.entries.write(to: state.entries, in: txn)
        try pending.actorEntries.write(to: state.actorEntries, in: txn)
        try countLiveFacts(pending.actorCounts, in: state.actorCounts, txn: txn)
        try pending.actorCounts.write(to: state.actorCounts, in: txn)
        pending.facts.removeAll()
        pending.earlierEntryWrite.removeAll()
        pending.earlierActorEntryWrite.removeAll()
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
            for involvement in involvements { add(involvement.actor, involvement.role) }
        }

        /// The actors of an assertion read in place, without the list of them decoding makes,
        /// gathered in `storage`: taken, and left empty, so that the list is referenced once
        /// and keeps its capacity when emptied.
        init(_ assertion: FactAssertionView, storage: inout [(actor: String, roles: UInt16)]) throws(PayloadError) {
            swap(&list, &storage)
            list.removeAll(keepingCapacity: true)
            try assertion.forEachActor { actor, role in add(actor, role) }
        }

        private mutating func add(_ actor: String, _ role: ActorRole) {
            let bit = UInt16(1) << UInt16(Self.roleOrder.firstIndex(of: role) ?? 0)
            if let index = index(of: actor) {
                list[index].roles |= bit
            } else {
                indexByActor?[actor] = list.count
                list.append((actor, bit))
                if indexByActor == nil, list.count > Self.scanLimit {
                    indexByActor = Dictionary(uniqueKeysWithValues: list.enumerated().map { ($0.element.actor, $0.offset) })
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

        init(key: TimelineIndexKey, actors: ActorRoles) {
            self.key = key
            self.actors = actors
        }

        static func == (a: Placement, b: Placement) -> Bool {
            a.key == b.key && a.actors.list.elementsEqual(b.actors.list) { $0.actor == $1.actor && $0.roles == $1.roles }
        }
    }

    /// One of the two databases of index entries, with the pending writes to it.
    private struct EntryIndex {
        let database: Database
        let pending: PendingWrites
        let isActor: Bool

        static func overall(_ state: State) -> EntryIndex { EntryIndex(database: state.entries, pending: state.pending, isActor: false) }
        static func actors(_ state: State) -> EntryIndex { EntryIndex(database: state.actorEntries, pending: state.pending, isActor: true) }

        var writes: SortedWrites { isActor ? pending.actorEntries : pending.entries }

        /// The index of the fact's latest pending write of entry `key`, if any.
        func latestWrite(of key: UnsafeRawBufferPointer, by fact: ChangedFact) -> Int? {
            var write = isActor ? fact.lastActorEntryWrite : fact.lastEntryWrite
            let writes = self.writes
            while write >= 0 {
                if writes.hasKey(key, at: write) { return write }
                write = isActor ? pending.earlierActorEntryWrite[write] : pending.earlierEntryWrite[write]
            }
            return nil
        }

        /// Holds back a write of entry `key` by the fact.
        func add(key: KeyBytes, valueCount: Int, by fact: inout ChangedFact, _ writeValue: (UnsafeMutableRawBufferPointer) -> Void) {
            let write = writes.add(key: key, valueCount: valueCount, writeValue)
            if isActor {
                pending.earlierActorEntryWrite.append(fact.lastActorEntryWrite)
                fact.lastActorEntryWrite = write
            } else {
                pending.earlierEntryWrite.append(fact.lastEntryWrite)
                fact.lastEntryWrite = write
            }
        }
    }

    /// Moves the fact's entries from where version `old` placed them to where `new` does (nil
    /// for a version with no entries: none yet, or retracted). `rowCopy` is the new version's
    /// row: the overall index keeps each live fact's latest row beside its entry, so that a page
    /// of the present reads no other database. Every key of a fact's entries holds its first
    /// position, so the first version (`isFirstVersion`) has no entry to reopen.
    private func index(from old: Placement?, to new: Placement?, isFirstVersion: Bool, row rowCopy: InlineRow?, at position: UInt64,
                       fact: inout ChangedFact, state: State, txn: borrowing Transaction) throws {
        let overall = EntryIndex.overall(state)
        let actorIndex = EntryIndex.actors(state)
        if old?.key != new?.key {
            if let old { try close(Self.entryKey(old.key, actor: nil, roles: nil), at: position, in: overall, fact: &fact, txn: txn) }
            if let new {
                try open(Self.entryKey(new.key, actor: nil, roles: nil), at: position, row: rowCopy, isNew: isFirstVersion, in: overall, fact: &fact, txn: txn)
                state.pending.openedBuckets.add(key: Self.bucketKey(new.key.spanClass, new.key.bucket, actor: nil), value: Self.positionKey(position))
            }
        } else if let new {
            try refresh(Self.entryKey(new.key, actor: nil, roles: nil), row: rowCopy, in: overall, fact: &fact, txn: txn)
        }
        guard old != new else { return }
        let oldActors = old?.actors.list ?? []
        let newActors = new?.actors.list ?? []
        for (actor, roles) in oldActors where new?.key != old?.key || new?.actors.roles(of: actor) != roles {
            if let old { try close(Self.entryKey(old.key, actor: actor, roles: roles), at: position, in: actorIndex, fact: &fact, txn: txn) }
        }
        for (actor, roles) in newActors where new?.key != old?.key || old?.actors.roles(of: actor) != roles {
            if let new {
                try open(Self.entryKey(new.key, actor: actor, roles: roles), at: position, row: nil, isNew: isFirstVersion, in: actorIndex, fact: &fact, txn: txn)
                state.pending.openedActorBuckets.add(key: Self.bucketKey(new.key.spanClass, new.key.bucket, actor: actor), value: Self.positionKey(position))
            }
        }
        for (actor, _) in oldActors where new?.actors.roles(of: actor) == nil {
            count(actor, by: -1, at: position, state: state)
        }
        for (actor, _) in newActors where old?.actors.roles(of: actor) == nil {
            count(actor, by: 1, at: position, state: state)
        }
    }

    /// A row as a live entry of the overall index carries it after the lifespans: its position
    /// as a varint, then its bytes.
    private struct InlineRow {
        let position: UInt64
        /// The row's bytes, where the pending writes keep them.
        let encoded: UnsafeRawBufferPointer

        var count: Int { PayloadWriter.varintCount(position) + encoded.count }

        func write(into buffer: UnsafeMutableRawBufferPointer, at offset: inout Int) {
            PayloadWriter.varint(position, into: buffer, at: &offset)
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]).copyMemory(from: encoded)
            offset += encoded.count
        }
    }

    /// The lifespans of the fact's entry `key`: as this transaction last wrote them, else as
    /// the database holds them (not looked for when `isNew` says there can be none).
    private func lifespans(_ key: KeyBytes, in index: EntryIndex, isNew: Bool, fact: ChangedFact, txn: borrowing Transaction) throws -> Lifespans? {
        if let written = key.withRawBytes({ index.latestWrite(of: $0, by: fact) }) {
            return try Lifespans.decode(index.writes.value(at: written)).lifespans
        }
        guard !isNew, let bytes = try txn.get(key, in: index.database) else { return nil }
        return try Lifespans.decode(bytes).lifespans
    }

    /// Holds back an index entry's value: `lifespans` (and a span opened at `opening`, if
    /// given), then the row it carries if any, encoded straight into the pending writes.
    private func store(_ lifespans: Lifespans, opening: UInt64? = nil, row: InlineRow?, forKey key: KeyBytes, in index: EntryIndex, fact: inout ChangedFact) {
        index.add(key: key, valueCount: lifespans.encodedCount(opening: opening) + (row?.count ?? 0), by: &fact) { value in
            var offset = 0
            lifespans.write(into: value, at: &offset, opening: opening)
            row?.write(into: value, at: &offset)
            assert(offset == value.count, "an index entry's value was reserved at another length than written")
        }
    }

    /// Ends the entry's open lifespan at `position`, and drops the row it carried.
    private func close(_ key: KeyBytes, at position: UInt64, in index: EntryIndex, fact: inout ChangedFact, txn: borrowing Transaction) throws {
        guard var lifespans = try lifespans(key, in: index, isNew: false, fact: fact, txn: txn), lifespans.isOpen else {
            throw ProjectionError.damagedState(projection: name, what: "an index entry")
        }
        lifespans.spans[lifespans.spans.count - 1].until = position
        store(lifespans, row: nil, forKey: key, in: index, fact: &fact)
    }

    /// Starts a lifespan of the entry at `position`: a new entry, or one the fact had before.
    private func open(_ key: KeyBytes, at position: UInt64, row: InlineRow?, isNew: Bool, in index: EntryIndex, fact: inout ChangedFact, txn: borrowing Transaction) throws {
        let earlier = try lifespans(key, in: index, isNew: isNew, fact: fact, txn: txn) ?? Lifespans(spans: [])
        store(earlier, opening: position, row: row, forKey: key, in: index, fact: &fact)
    }

    /// Replaces the row an open entry carries.
    private func refresh(_ key: KeyBytes, row: InlineRow?, in index: EntryIndex, fact: inout ChangedFact, txn: borrowing Transaction) throws {
        guard let lifespans = try lifespans(key, in: index, isNew: false, fact: fact, txn: txn) else {
            throw ProjectionError.damagedState(projection: name, what: "an index entry")
        }
        store(lifespans, row: row, forKey: key, in: index, fact: &fact)
    }

    /// Writes the summary of each bucket that `openings` opened an entry in and that did not
    /// exist before the transaction, and marks its class present for its actor (or the overall
    /// index).
    ///
    /// A bucket's summary holds the position of its first entry and the earliest position of any
    /// entry in it or a later bucket of its class. Every position of this transaction is later
    /// than every position before it, so a new bucket's running earliest is the least of its own
    /// first position, the running earliest of the next bucket that existed before, and the
    /// running earliest of the next new bucket after it; no older bucket's summary changes.
    private func summarizeOpenedBuckets(_ openings: SortedWrites, in database: Database, txn: borrowing Transaction) throws {
        guard !openings.isEmpty else { return }
        struct Opened {
            /// The bucket's key, where `openings` keeps it.
            let key: UnsafeRawBufferPointer
            let first: UInt64
            let isNew: Bool
            var earliestFromHereOn: UInt64
        }
        // Each bucket once, in key order, with its first opening; whether it is new, and if so
        // the running earliest of the next bucket of its class that existed before.
        var opened: [Opened] = []
        try txn.withCursor(on: database) { cursor in
            try openings.forEachInKeyOrder(firstOfEachKey: true) { key, value in
                let found = try cursor.seek(atLeast: key)
                let exists = found.map { SortedWrites.compare($0.key, key) == 0 } ?? false
                let first = TimelineIndexKey.unsigned(value, at: 0)
                var earliestFromHereOn = first
                if !exists, let next = found, next.key.differsOnlyInLastNumber(from: key), let summary = BucketSummary(next.value) {
                    earliestFromHereOn = min(first, summary.earliestFromHereOn)
                }
                opened.append(Opened(key: key, first: first, isNew: !exists, earliestFromHereOn: earliestFromHereOn))
            }
        }
        // From the last back, each new bucket takes in the running earliest of the next new one
        // of its class.
        var laterNew: UInt64 = .max
        for index in opened.indices.reversed() {
            if index + 1 < opened.count, !opened[index].key.differsOnlyInLastNumber(from: opened[index + 1].key) { laterNew = .max }
            guard opened[index].isNew else { continue }
            opened[index].earliestFromHereOn = min(opened[index].earliestFromHereOn, laterNew)
            laterNew = opened[index].earliestFromHereOn
        }
        // Written in key order: for each prefix (an actor, or none), the classes it now has
        // buckets of, whose key sorts before its buckets, then its new buckets' summaries.
        try txn.withCursor(on: database) { cursor in
            var index = 0
            while index < opened.count {
                let prefix = UnsafeRawBufferPointer(rebasing: opened[index].key[..<(opened[index].key.count - 9)])
                var end = index
                var added = SpanClassSet()
                var anyNew = false
                while end < opened.count, opened[end].key.count == opened[index].key.count, opened[end].key.starts(with: prefix, count: prefix.count) {
                    if opened[end].isNew, let spanClass = TimelineIndexKey.SpanClass(code: opened[end].key[opened[end].key.count - 9]) {
                        added.insert(spanClass)
                        anyNew = true
                    }
                    end += 1
                }
                if anyNew {
                    let classesKey = Self.classesKey(prefix: prefix)
                    var present = SpanClassSet(try cursor.seek(exactly: classesKey)?.value) ?? SpanClassSet()
                    if present.formUnion(added) { try cursor.put(present.bytes, forKey: classesKey) }
                    for bucket in opened[index..<end] where bucket.isNew {
                        try cursor.put(BucketSummary(earliest: bucket.first, earliestFromHereOn: bucket.earliestFromHereOn).bytes, forKey: bucket.key)
                    }
                }
                index = end
            }
        }
        openings.removeAll()
    }

    /// The key under which a bucket database lists the span classes it has buckets of: the
    /// prefix and class code 0, which no class uses.
    static func classesKey(prefix: UnsafeRawBufferPointer) -> KeyBytes {
        var key = KeyBytes()
        key.append(contentsOf: prefix)
        appendClassesMark(to: &key)
        return key
    }

    private static func appendClassesMark(to key: inout some KeySink) { key.append(0) }

    private func count(_ actor: String, by change: Int64, at position: UInt64, state: State) {
        _ = withUnsafeBytes(of: change.littleEndian) { change in
            state.pending.actorCounts.add(key: Self.countKey(actor, position), value: change)
        }
    }

    /// Turns the changes in `changes` into the running counts they make, each actor's from its
    /// latest stored count: an actor's keys are contiguous and in position order.
    private func countLiveFacts(_ changes: SortedWrites, in database: Database, txn: borrowing Transaction) throws {
        guard !changes.isEmpty else { return }
        try txn.withCursor(on: database) { cursor in
            // The actor whose changes these are (its id and the zero byte after it, where
            // `changes` keeps them), and its count so far.
            var actor: UnsafeRawBufferPointer?
            var count: Int64 = 0
            try changes.updateInKeyOrder { key, value in
                let prefix = UnsafeRawBufferPointer(rebasing: key[..<(key.count - 8)])
                if actor.map({ SortedWrites.compare($0, prefix) != 0 }) ?? true {
                    actor = prefix
                    // The actor's latest count: at or before its key of the last position.
                    var sought = KeyBytes()
                    sought.append(contentsOf: prefix)
                    TimelineIndexKey.appendUnsigned(.max, to: &sought)
                    count = try sought.withRawBytes { try Reader.liveFacts(countKey: $0, cursor: cursor) }
                }
                count += Int64(littleEndian: value.loadUnaligned(as: Int64.self))
                value.storeBytes(of: count.littleEndian, as: Int64.self)
            }
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
