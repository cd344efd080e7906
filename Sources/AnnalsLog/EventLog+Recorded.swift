import LMDB

/// An event exactly as some log recorded it: what reproducing that log needs besides the
/// event itself, so a copy can be checked record by record against the original's hash chain.
public struct RecordedEvent: Sendable, Hashable {
    public var position: UInt64
    public var recordedAt: Timestamp
    public var event: NewEvent
    /// The chain hash the original log gave the record.
    public var chainHash: ChainHash

    public init(position: UInt64, recordedAt: Timestamp, event: NewEvent, chainHash: ChainHash) {
        self.position = position
        self.recordedAt = recordedAt
        self.event = event
        self.chainHash = chainHash
    }
}

/// Why an event recorded elsewhere cannot be written again where it was asked to go.
public enum RecordedEventProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Its position is not the one after the head.
    case notNext(position: UInt64, head: UInt64)
    /// It was recorded before the event it would follow.
    case recordedBefore(position: UInt64, recordedAt: Timestamp, previous: Timestamp)
    /// Its content, position and time, chained to the record before it, do not give its hash:
    /// it was changed, or it does not follow that record in the log it came from.
    case hashMismatch(position: UInt64, expected: ChainHash, computed: ChainHash)
    /// The log already holds an event with its id, at another position.
    case idPresent(id: String, position: UInt64, existing: UInt64)
    /// The bytes offered as its record are not a well-formed record (docs/FORMAT.md).
    case malformed(position: UInt64, reason: String)

    public var description: String {
        switch self {
        case let .notNext(position, head):
            "position \(position) does not follow the log's head (\(head)); the next event must be at \(head + 1)"
        case let .recordedBefore(position, recordedAt, previous):
            "the event at position \(position) was recorded at \(recordedAt), before the event ahead of it (\(previous)); recorded-at never goes backwards"
        case let .hashMismatch(position, expected, computed):
            "the event at position \(position) does not reproduce its chain hash \(expected) (its content gives \(computed)): it was changed, or it does not follow the event before it"
        case let .idPresent(id, position, existing):
            "the event at position \(position) has id \(String(reflecting: id)), which the log already holds at position \(existing)"
        case let .malformed(position, reason):
            "the record for position \(position) is malformed: \(reason)"
        }
    }
}

extension EventLog {
    /// The chain hash `event` gets when recorded at `position` and `recordedAt`, after a record
    /// whose hash is `previous`; `event` must be valid (``problem(with:)`` is `nil`).
    public static func chainHash(of event: NewEvent, position: UInt64, recordedAt: Timestamp, after previous: ChainHash) -> ChainHash {
        event.withBorrowed { event in
            withUnsafeTemporaryAllocation(byteCount: RecordLayout.size(of: event), alignment: 8) { buffer in
                RecordLayout.encode(event, position: position, recordedAt: recordedAt, into: buffer)
                return RecordLayout.seal(buffer, after: previous)
            }
        }
    }

    /// Calls `body` with a view of the record `event` gets when recorded at `position` and
    /// `recordedAt` after a record whose hash is `previous`, exactly as a log would write it;
    /// returns the record's chain hash and `body`'s result. `event` must be valid
    /// (``problem(with:)`` is `nil`). How a writer that appends through another log (a stream)
    /// describes its events before any log holds them.
    public static func withRecord<Result>(of event: NewEvent, position: UInt64, recordedAt: Timestamp, after previous: ChainHash,
                                          _ body: (EventView) throws -> Result) throws -> (chainHash: ChainHash, result: Result) {
        try event.withBorrowed { event in
            try withUnsafeTemporaryAllocation(byteCount: RecordLayout.size(of: event), alignment: 8) { buffer in
                RecordLayout.encode(event, position: position, recordedAt: recordedAt, into: buffer)
                let hash = RecordLayout.seal(buffer, after: previous)
                let view = try EventView(record: UnsafeRawBufferPointer(buffer), key: position)
                return (hash, try body(view))
            }
        }
    }

    /// Writes events another log recorded, each at its own position and recorded-at, inside
    /// the caller's write transaction: how a copy of a log is made exactly, so that it ends on
    /// the same head hash.
    ///
    /// Each event must be at the position after the head, recorded no earlier than the event
    /// before it, have an id the log does not hold, and reproduce its chain hash; otherwise
    /// this throws a ``RecordedEventProblem`` and the caller aborts the transaction.
    ///
    /// - Returns: the new head.
    @discardableResult
    public func appendRecorded(_ events: [RecordedEvent], in txn: borrowing Transaction) throws -> UInt64 {
        try Self.validate(events.map(\.event))
        var (head, chain, previousTime) = try appendableHead(in: txn)
        for recorded in events {
            guard recorded.position == head + 1 else { throw RecordedEventProblem.notNext(position: recorded.position, head: head) }
            if head > 0, recorded.recordedAt < previousTime {
                throw RecordedEventProblem.recordedBefore(position: recorded.position, recordedAt: recorded.recordedAt, previous: previousTime)
            }
            if let existing = try txn.insert(recorded.position, forKey: recorded.event.id, in: ids) {
                throw RecordedEventProblem.idPresent(id: recorded.event.id, position: recorded.position, existing: existing.bigEndianUInt64 ?? 0)
            }
            chain = try recorded.event.withBorrowed { event in
                try writeRecord(event, position: recorded.position, recordedAt: recorded.recordedAt, after: chain, in: txn)
            }
            guard chain == recorded.chainHash else {
                throw RecordedEventProblem.hashMismatch(position: recorded.position, expected: recorded.chainHash, computed: chain)
            }
            head = recorded.position
            previousTime = recorded.recordedAt
        }
        return head
    }

    /// Writes records another log stored, byte for byte, inside the caller's write transaction:
    /// how a replica copies its source's log without decoding and encoding each event again.
    /// Each element is one whole record as docs/FORMAT.md lays it out, chain hash first.
    ///
    /// Each record must be well formed, at the position after the head, with an id and type of
    /// valid UTF-8 and an id the log does not hold, recorded no earlier than the record before
    /// it, and carry the chain hash its bytes give after that record's; otherwise this throws a
    /// ``RecordedEventProblem`` and the caller aborts the transaction. (What the payload means
    /// is the caller's to check: the log stores any bytes.)
    ///
    /// - Returns: the new head.
    @discardableResult
    public func appendRecords(_ records: [[UInt8]], in txn: borrowing Transaction) throws -> UInt64 {
        var (head, chain, previousTime) = try appendableHead(in: txn)
        for record in records {
            let position = head + 1
            try record.withUnsafeBytes { bytes in
                let view: EventView
                do throws(EventLogError) {
                    // The view checks the layout before any field is read.
                    view = try EventView(record: bytes, key: position)
                } catch {
                    guard case let .corruptRecord(_, reason) = error else { throw error }
                    throw RecordedEventProblem.malformed(position: position, reason: reason)
                }
                if let field = Self.fieldNotUTF8(view) {
                    throw RecordedEventProblem.malformed(position: position, reason: "its \(field) is not valid UTF-8")
                }
                if head > 0, view.recordedAt < previousTime {
                    throw RecordedEventProblem.recordedBefore(position: position, recordedAt: view.recordedAt, previous: previousTime)
                }
                let computed = ChainHash.of(UnsafeRawBufferPointer(rebasing: bytes[RecordLayout.hashSize...]), after: chain)
                let carried = ChainHash(view.chainHash)
                guard computed == carried else { throw RecordedEventProblem.hashMismatch(position: position, expected: carried, computed: computed) }
                if let existing = try txn.insert(position, forKey: view.idBytes, in: ids) {
                    throw RecordedEventProblem.idPresent(id: view.id, position: position, existing: existing.bigEndianUInt64 ?? 0)
                }
                try txn.put(bytes, forKey: position, in: self.records, flags: .append)
                chain = computed
                previousTime = view.recordedAt
            }
            head = position
        }
        return head
    }

    /// The first of the record's text fields that is not valid UTF-8 (an event's are Swift
    /// strings, so a record that another log wrote holds only such).
    private static func fieldNotUTF8(_ view: EventView) -> String? {
        func valid(_ bytes: UnsafeRawBufferPointer) -> Bool {
            // Plain ASCII, the common case, needs no decoder.
            bytes.allSatisfy { $0 < 0x80 } || String(validating: bytes, as: UTF8.self) != nil
        }
        if !valid(view.idBytes) { return "id" }
        if !valid(view.typeBytes) { return "type" }
        if !valid(view.sourceBytes) { return "source" }
        if !valid(view.correlationIDBytes) { return "correlation id" }
        if !valid(view.causationIDBytes) { return "causation id" }
        return nil
    }

    /// ``appendRecorded(_:in:)`` in a write transaction of its own: all of `events` or none.
    @discardableResult
    public func appendRecorded(_ events: [RecordedEvent]) throws -> UInt64 {
        try environment.write { txn in try appendRecorded(events, in: txn) }
    }

    /// The chain hash of the record at `position` (the genesis hash for 0), read in `txn`.
    public func chainHash(at position: UInt64, in txn: borrowing Transaction) throws -> ChainHash? {
        guard position > 0 else { return .genesis }
        return try view(at: position, in: txn).map { ChainHash($0.chainHash) }
    }
}

extension RecordedEvent {
    /// The record its log stored, laid out as docs/FORMAT.md describes, with the chain hash the
    /// event carries (not one computed here): what ``EventLog/appendRecords(_:in:)`` takes and
    /// checks. The event must be valid (``EventLog/problem(with:)`` is `nil`).
    public var record: [UInt8] {
        event.withBorrowed { event in
            [UInt8](unsafeUninitializedCapacity: RecordLayout.size(of: event)) { bytes, initialized in
                let buffer = UnsafeMutableRawBufferPointer(bytes)
                RecordLayout.encode(event, position: position, recordedAt: recordedAt, into: buffer)
                chainHash.store(into: buffer)
                initialized = buffer.count
            }
        }
    }
}

extension EventLog {
    /// Calls `body` with a view of `record`, a record that no log holds yet, read in place.
    /// Throws ``EventLogError/corruptRecord(position:reason:)`` unless `record` is laid out as
    /// docs/FORMAT.md says and says it is at `position` (the chain hash is not checked).
    public static func withView<Result>(ofRecord record: UnsafeRawBufferPointer, position: UInt64,
                                        _ body: (EventView) -> Result) throws(EventLogError) -> Result {
        body(try EventView(record: record, key: position))
    }
}
