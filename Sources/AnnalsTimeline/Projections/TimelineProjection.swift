import AnnalsLog
import AnnalsProjections
import LMDB

/// Facts in valid-time order, overall and per actor, one index entry per version of a fact
/// with the transaction-time interval in which that version was current, so any timeline can
/// be read as of any position.
///
/// - `entries`: ``TimelineKey`` → until (8 bytes LE, `UInt64.max` while current) ‖ kind (1 byte) ‖ fact id.
/// - `by-actor`: actor id ‖ 0x00 ‖ ``TimelineKey`` → until ‖ kind ‖ roles (2 bytes LE) ‖ fact id,
///   the same entries filed under each actor the version involves.
/// - `current`: fact id → the key of its latest version ‖ its ``FactShape``.
/// - `actor-facts`: actor id ‖ 0x00 ‖ position (8 bytes BE) → how many live facts involved the
///   actor from that position on (8 bytes LE): one entry per change, so the count can be read as
///   of any position.
///
/// A retracted fact's last entries are closed and no new ones are written.
public struct TimelineProjection: Projection {
    public struct State: Sendable {
        let entries: Database
        let byActor: Database
        let current: Database
        let actorFacts: Database
    }

    public let name = "timeline"
    public let version = 3
    public let eventTypes = DomainEventType.factEvents
    public let databaseNames = ["entries", "by-actor", "current", "actor-facts"]

    let decoded: DecodedEventCache

    public init() { decoded = DecodedEventCache() }

    /// Shares one decoded-event cache among the store's built-in projections.
    init(sharing cache: DecodedEventCache) { decoded = cache }

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(entries: databases["entries"], byActor: databases["by-actor"], current: databases["current"], actorFacts: databases["actor-facts"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        guard let factEvent = try decoded.factEvent(event) else { return }
        let factID = factEvent.fact
        let position = event.position
        var shape: FactShape
        var previousKey: [UInt8]?
        if let stored = try txn.get(factID, in: state.current) {
            guard stored.count > TimelineKey.size else { throw DamagedState(projection: name, what: "fact \(factID)") }
            previousKey = Array(stored[..<TimelineKey.size])
            shape = try FactShape(decoding: UnsafeRawBufferPointer(rebasing: stored[TimelineKey.size...]))
        } else {
            guard case .asserted = factEvent else { return }  // ingestion refuses corrections of unknown facts
            shape = FactShape(firstPosition: position)
        }
        let previousActors = shape.isRetracted ? [] : Self.distinctActors(shape.actors)
        let wasLive = !shape.isRetracted
        shape.apply(factEvent)
        let currentActors = shape.isRetracted ? [] : Self.distinctActors(shape.actors)

        if let previousKey, wasLive {
            try closeEntry(previousKey, at: position, in: state.entries, txn: txn)
            for actor in previousActors { try closeEntry(Self.actorKey(actor, previousKey), at: position, in: state.byActor, txn: txn) }
        }
        var latestKey = previousKey ?? []
        if !shape.isRetracted {
            let key = TimelineKey(when: shape.when, factPosition: shape.firstPosition, versionPosition: position).bytes
            try txn.put(IndexEntry.encode(until: IndexValue.open, kind: shape.kind, roles: nil, fact: factID), forKey: key, in: state.entries)
            for actor in currentActors {
                let roles = shape.actors.filter { $0.actor == actor }.map(\.role)
                try txn.put(IndexEntry.encode(until: IndexValue.open, kind: shape.kind, roles: IndexEntry.roleMask(roles), fact: factID),
                            forKey: Self.actorKey(actor, key), in: state.byActor)
            }
            latestKey = key
        }
        for actor in previousActors where !currentActors.contains(actor) { try adjustCount(of: actor, by: -1, at: position, state: state, txn: txn) }
        for actor in currentActors where !previousActors.contains(actor) { try adjustCount(of: actor, by: 1, at: position, state: state, txn: txn) }
        try txn.put(latestKey + shape.encoded(), forKey: factID, in: state.current)
    }

    static func actorKey(_ actor: String, _ timelineKey: [UInt8]) -> [UInt8] {
        var key = Array(actor.utf8)
        key.reserveCapacity(key.count + 1 + timelineKey.count)
        key.append(0)
        key.append(contentsOf: timelineKey)
        return key
    }

    private static func distinctActors(_ involvements: [ActorInvolvement]) -> [String] {
        var actors: [String] = []
        for involvement in involvements where !actors.contains(involvement.actor) { actors.append(involvement.actor) }
        return actors
    }

    private func adjustCount(of actor: String, by change: Int64, at position: UInt64, state: State, txn: borrowing Transaction) throws {
        let current = try Self.liveFacts(of: actor, asOf: .max, in: state.actorFacts, txn: txn)
        try txn.put(withUnsafeBytes(of: (current + change).littleEndian) { Array($0) }, forKey: Self.countKey(actor, position), in: state.actorFacts)
    }

    static func countKey(_ actor: String, _ position: UInt64) -> [UInt8] {
        var key = Array(actor.utf8)
        key.append(0)
        withUnsafeBytes(of: position.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// How many live facts involved `actor` after position `asOf`.
    static func liveFacts(of actor: String, asOf position: UInt64, in database: Database, txn: borrowing Transaction) throws -> Int64 {
        try txn.withCursor(on: database) { cursor in
            let prefixLength = actor.utf8.count + 1
            guard let entry = try cursor.seek(atMost: countKey(actor, position)), entry.key.count == prefixLength + 8,
                  entry.key[prefixLength - 1] == 0, actor.utf8.elementsEqual(entry.key[..<(prefixLength - 1)])
            else { return 0 }
            guard entry.value.count == 8 else { throw DamagedState(projection: "timeline", what: "the fact count of actor \(actor)") }
            return Int64(littleEndian: entry.value.loadUnaligned(as: Int64.self))
        }
    }
}

/// Sets the end of an open index entry's transaction-time interval.
func closeEntry(_ key: [UInt8], at position: UInt64, in database: Database, txn: borrowing Transaction) throws {
    guard let value = try txn.getCopy(key, in: database), value.count >= 8 else { return }
    var closed = value
    closed.withUnsafeMutableBytes { $0.storeBytes(of: position.littleEndian, toByteOffset: 0, as: UInt64.self) }
    try txn.put(closed, forKey: key, in: database)
}

/// The value of a valid-time index entry: when the version stopped being current, the fact's
/// kind (so queries can filter without fetching the fact), the actor's roles (actor index
/// only) and the fact id.
enum IndexEntry {
    static func encode(until: UInt64, kind: FactKind, roles: UInt16?, fact: String) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 9)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: until.littleEndian, toByteOffset: 0, as: UInt64.self) }
        bytes[8] = UInt8(FactKind.allCases.firstIndex(of: kind) ?? 0)
        if let roles {
            bytes.append(UInt8(truncatingIfNeeded: roles))
            bytes.append(UInt8(truncatingIfNeeded: roles >> 8))
        }
        bytes.append(contentsOf: fact.utf8)
        return bytes
    }

    struct Decoded {
        let until: UInt64
        let kind: FactKind
        let roles: UInt16
        let fact: String
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, hasRoles: Bool) -> Decoded? {
        let header = hasRoles ? 11 : 9
        guard bytes.count > header, Int(bytes[8]) < FactKind.allCases.count else { return nil }
        let roles = hasRoles ? UInt16(bytes[9]) | UInt16(bytes[10]) << 8 : 0
        return Decoded(
            until: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            kind: FactKind.allCases[Int(bytes[8])], roles: roles,
            fact: String(decoding: bytes[header...], as: UTF8.self))
    }

    static func roleMask(_ roles: [ActorRole]) -> UInt16 {
        roles.reduce(0) { mask, role in mask | (1 << UInt16(ActorRole.allCases.firstIndex(of: role) ?? 0)) }
    }

    static func roles(_ mask: UInt16) -> [ActorRole] {
        ActorRole.allCases.enumerated().filter { mask & (1 << UInt16($0.offset)) != 0 }.map(\.element)
    }
}

/// A projection found its own state unreadable; rebuilding it from the log repairs it.
struct DamagedState: Error, CustomStringConvertible {
    let projection: String
    let what: String

    var description: String { "the \(projection) projection's state for \(what) is damaged; run `annals replay --projection \(projection)`" }
}
