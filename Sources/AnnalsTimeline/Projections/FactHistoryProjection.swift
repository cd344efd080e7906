import AnnalsLog
import AnnalsProjections
import LMDB

/// Every version of every fact: the bitemporal record. Each fact event makes a new version,
/// current from its position until the next version's.
///
/// - `versions`: fact id ‖ 0x00 ‖ position (8 bytes BE) → recorded-at (8 bytes LE µs) ‖ the
///   log positions of the fact's events up to this version, as a varint count and varints.
///
/// A version names its events rather than copying them: its ``FactView`` is folded from the
/// log, in the same snapshot, when it is read.
public struct FactHistoryProjection: Projection {
    public struct State: Sendable {
        let versions: Database
    }

    public let name = "fact-history"
    public let version = 2
    public let eventTypes = DomainEventType.factEvents
    public let databaseNames = ["versions"]

    let decoded: DecodedEventCache

    public init() { decoded = DecodedEventCache() }

    /// Shares one decoded-event cache among the store's built-in projections.
    init(sharing cache: DecodedEventCache) { decoded = cache }

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(versions: databases["versions"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        guard let factEvent = try decoded.factEvent(event) else { return }
        let factID = factEvent.fact
        var positions = try Self.latestEntry(factID, in: state.versions, txn: txn).map { try Self.positions(in: $0.value, fact: factID) } ?? []
        if positions.isEmpty, case .asserted = factEvent {} else if positions.isEmpty { return }  // ingestion refuses these
        positions.append(event.position)
        var writer = PayloadWriter(capacity: 16 + positions.count * 4)
        writer.raw(withUnsafeBytes(of: event.recordedAt.microsecondsSinceEpoch.littleEndian) { Array($0) })
        writer.varint(UInt64(positions.count))
        for position in positions { writer.varint(position) }
        try txn.put(writer.bytes, forKey: Self.key(factID, event.position), in: state.versions)
    }

    static func key(_ fact: String, _ position: UInt64) -> [UInt8] {
        var key = Array(fact.utf8)
        key.append(0)
        withUnsafeBytes(of: position.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// A stored version: its view and when it was recorded.
    struct Version {
        let position: UInt64
        let recordedAt: Timestamp
        let view: FactView
    }

    private static func positions(in value: UnsafeRawBufferPointer, fact: String) throws -> [UInt64] {
        guard value.count > 8 else { throw DamagedState(projection: "fact-history", what: "fact \(fact)") }
        var reader = PayloadReader(UnsafeRawBufferPointer(rebasing: value[8...]))
        let count = try reader.count()
        var positions: [UInt64] = []
        positions.reserveCapacity(count)
        for _ in 0..<count { positions.append(try reader.varint()) }
        try reader.finish()
        return positions
    }

    /// Folds a stored version's events, read from `log` in `txn`'s snapshot, into its view.
    static func decodeVersion(position: UInt64, value: UnsafeRawBufferPointer, fact: String, log: EventLog, txn: borrowing Transaction) throws -> Version {
        let recordedAt = Timestamp(microsecondsSinceEpoch: Int64(littleEndian: value.loadUnaligned(fromByteOffset: 0, as: Int64.self)))
        var view = FactView(id: fact)
        for eventPosition in try positions(in: value, fact: fact) {
            guard let event = try log.view(at: eventPosition, in: txn), let factEvent = try FactEvent(event), factEvent.fact == fact else {
                throw DamagedState(projection: "fact-history", what: "fact \(fact): position \(eventPosition) is not one of its events")
            }
            view.apply(factEvent, at: eventPosition)
        }
        return Version(position: position, recordedAt: recordedAt, view: view)
    }

    private static func latestEntry(_ fact: String, asOf position: UInt64 = .max, in versions: Database, txn: borrowing Transaction) throws -> (position: UInt64, value: UnsafeRawBufferPointer)? {
        try txn.withCursor(on: versions) { cursor in
            guard let entry = try cursor.seek(atMost: key(fact, position)) else { return nil }
            let prefixLength = fact.utf8.count + 1
            guard entry.key.count == prefixLength + 8, entry.key[prefixLength - 1] == 0,
                  fact.utf8.elementsEqual(entry.key[..<(prefixLength - 1)])
            else { return nil }
            return (UInt64(bigEndian: entry.key.loadUnaligned(fromByteOffset: prefixLength, as: UInt64.self)), entry.value)
        }
    }

    /// The latest version of `fact` at or before `position` (the newest when `.max`).
    static func latest(_ fact: String, asOf position: UInt64 = .max, in versions: Database, log: EventLog, txn: borrowing Transaction) throws -> Version? {
        guard let entry = try latestEntry(fact, asOf: position, in: versions, txn: txn) else { return nil }
        return try decodeVersion(position: entry.position, value: entry.value, fact: fact, log: log, txn: txn)
    }

    /// Every version of `fact`, oldest first.
    static func versions(of fact: String, in versions: Database, log: EventLog, txn: borrowing Transaction) throws -> [Version] {
        var entries: [(UInt64, [UInt8])] = []
        let prefix = Array(fact.utf8) + [0]
        try txn.forEach(in: versions, range: .prefix(prefix)) { entry in
            if entry.key.count == prefix.count + 8 {
                entries.append((UInt64(bigEndian: entry.key.loadUnaligned(fromByteOffset: prefix.count, as: UInt64.self)), Array(entry.value)))
            }
            return true
        }
        return try entries.map { position, value in
            try value.withUnsafeBytes { try decodeVersion(position: position, value: $0, fact: fact, log: log, txn: txn) }
        }
    }

    /// Whether any version of `fact` exists.
    static func exists(_ fact: String, in versions: Database, txn: borrowing Transaction) throws -> Bool {
        try latestEntry(fact, in: versions, txn: txn) != nil
    }
}
