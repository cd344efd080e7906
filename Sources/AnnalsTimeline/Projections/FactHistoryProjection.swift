import AnnalsLog
import AnnalsProjections
import LMDB

/// Every version of every fact: the bitemporal record. Each fact event makes a new version,
/// current from its position until the next version's.
///
/// - `versions`: fact id ‖ 0x00 ‖ position (8 bytes BE) → recorded-at (8 bytes LE µs) ‖ the
///   version's ``FactView`` as the fact's sources, corrections and retraction.
public struct FactHistoryProjection: Projection {
    public struct State: Sendable {
        let versions: Database
    }

    public let name = "fact-history"
    public let version = 1
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
        var view = try Self.latest(factID, in: state.versions, txn: txn)?.view ?? FactView(id: factID)
        if view.sources.isEmpty, case .asserted = factEvent {} else if view.sources.isEmpty { return }
        view.apply(factEvent, at: event.position)
        var value = [UInt8](repeating: 0, count: 8)
        value.withUnsafeMutableBytes { $0.storeBytes(of: event.recordedAt.microsecondsSinceEpoch.littleEndian, toByteOffset: 0, as: Int64.self) }
        value.append(contentsOf: view.encoded())
        try txn.put(value, forKey: Self.key(factID, event.position), in: state.versions)
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

    static func decodeVersion(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, fact: String) throws -> Version {
        guard key.count == fact.utf8.count + 9 else { throw DamagedState(projection: "fact-history", what: "fact \(fact)") }
        return try decodeVersion(position: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)), value: value, fact: fact)
    }

    static func decodeVersion(position: UInt64, value: UnsafeRawBufferPointer, fact: String) throws -> Version {
        guard value.count > 8 else { throw DamagedState(projection: "fact-history", what: "fact \(fact)") }
        return Version(
            position: position,
            recordedAt: Timestamp(microsecondsSinceEpoch: Int64(littleEndian: value.loadUnaligned(fromByteOffset: 0, as: Int64.self))),
            view: try FactView(decoding: UnsafeRawBufferPointer(rebasing: value[8...])))
    }

    /// The latest version of `fact` at or before `position` (the newest when `nil`).
    static func latest(_ fact: String, asOf position: UInt64 = .max, in versions: Database, txn: borrowing Transaction) throws -> Version? {
        try txn.withCursor(on: versions) { cursor in
            guard let entry = try cursor.seek(atMost: key(fact, position)) else { return nil }
            let prefix = Array(fact.utf8) + [0]
            guard entry.key.count == prefix.count + 8, entry.key.starts(with: prefix) else { return nil }
            return try decodeVersion(key: entry.key, value: entry.value, fact: fact)
        }
    }

    /// Every version of `fact`, oldest first.
    static func versions(of fact: String, in versions: Database, txn: borrowing Transaction) throws -> [Version] {
        var result: [Version] = []
        let prefix = Array(fact.utf8) + [0]
        try txn.forEach(in: versions, range: .prefix(prefix)) { entry in
            if entry.key.count == prefix.count + 8 {
                result.append(try decodeVersion(key: entry.key, value: entry.value, fact: fact))
            }
            return true
        }
        return result
    }

    /// Whether any version of `fact` exists.
    static func exists(_ fact: String, in versions: Database, txn: borrowing Transaction) throws -> Bool {
        let prefix = Array(fact.utf8) + [0]
        return try txn.withCursor(on: versions) { cursor in
            guard let entry = try cursor.seek(atLeast: prefix) else { return false }
            return entry.key.count == prefix.count + 8 && entry.key.starts(with: prefix)
        }
    }
}
