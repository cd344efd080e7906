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
        }
    }
}

extension EventLog {
    /// The chain hash `event` gets when recorded at `position` and `recordedAt`, after a record
    /// whose hash is `previous`; `event` must be valid (``problem(with:)`` is `nil`).
    public static func chainHash(of event: NewEvent, position: UInt64, recordedAt: Timestamp, after previous: ChainHash) -> ChainHash {
        withUnsafeTemporaryAllocation(byteCount: RecordLayout.size(of: event), alignment: 8) { buffer in
            RecordLayout.encode(event, position: position, recordedAt: recordedAt, into: buffer)
            return RecordLayout.seal(buffer, after: previous)
        }
    }

    /// Calls `body` with a view of the record `event` gets when recorded at `position` and
    /// `recordedAt` after a record whose hash is `previous`, exactly as a log would write it;
    /// returns the record's chain hash and `body`'s result. `event` must be valid
    /// (``problem(with:)`` is `nil`). How a writer that appends through another log (a stream)
    /// describes its events before any log holds them.
    public static func withRecord<Result>(of event: NewEvent, position: UInt64, recordedAt: Timestamp, after previous: ChainHash,
                                          _ body: (EventView) throws -> Result) throws -> (chainHash: ChainHash, result: Result) {
        try withUnsafeTemporaryAllocation(byteCount: RecordLayout.size(of: event), alignment: 8) { buffer in
            RecordLayout.encode(event, position: position, recordedAt: recordedAt, into: buffer)
            let hash = RecordLayout.seal(buffer, after: previous)
            let view = try EventView(record: UnsafeRawBufferPointer(buffer), key: position)
            return (hash, try body(view))
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
            chain = try writeRecord(recorded.event, position: recorded.position, recordedAt: recorded.recordedAt, after: chain, in: txn)
            guard chain == recorded.chainHash else {
                throw RecordedEventProblem.hashMismatch(position: recorded.position, expected: recorded.chainHash, computed: chain)
            }
            head = recorded.position
            previousTime = recorded.recordedAt
        }
        return head
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
