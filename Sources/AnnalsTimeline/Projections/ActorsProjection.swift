import AnnalsLog
import AnnalsProjections
import LMDB

/// The actor directory, every name an actor goes by, and each actor's own timeline.
///
/// - `directory`: actor id → ``ActorRecord``.
/// - `names`: name key (``ActorName/key(_:)``) → actor id, for the id, the display name and every alias.
/// - `index`: actor id ‖ 0x00 ‖ ``TimelineKey`` → until ‖ kind ‖ roles ‖ fact id: one entry per
///   version of each fact the actor is involved in, as in ``TimelineProjection``.
/// - `facts`: fact id → the key of its latest version ‖ its ``FactShape``.
/// - `counts`: actor id → how many facts currently involve the actor (8 bytes LE).
public struct ActorsProjection: Projection {
    public struct State: Sendable {
        let directory: Database
        let names: Database
        let index: Database
        let facts: Database
        let counts: Database
    }

    public let name = "actors"
    public let version = 1
    public let eventTypes = [DomainEventType.actorNamed, DomainEventType.actorAliased] + DomainEventType.factEvents
    public let databaseNames = ["directory", "names", "index", "facts", "counts"]

    let decoded: DecodedEventCache

    public init() { decoded = DecodedEventCache() }

    /// Shares one decoded-event cache among the store's built-in projections.
    init(sharing cache: DecodedEventCache) { decoded = cache }

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(directory: databases["directory"], names: databases["names"], index: databases["index"], facts: databases["facts"],
              counts: databases["counts"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        if event.hasType(DomainEventType.actorNamed) {
            let naming = try ActorNaming(event)
            guard try txn.get(naming.actor, in: state.directory) == nil else { return }
            let record = ActorRecord(id: naming.actor, name: naming.name, kind: naming.kind, aliases: [], position: event.position)
            try txn.put(record.encoded(), forKey: naming.actor, in: state.directory)
            try claim(naming.actor, for: naming.actor, state: state, txn: txn)
            try claim(naming.name, for: naming.actor, state: state, txn: txn)
        } else if event.hasType(DomainEventType.actorAliased) {
            let aliasing = try ActorAliasing(event)
            guard var record = try txn.get(aliasing.actor, in: state.directory).map({ try ActorRecord(decoding: $0) }) else { return }
            guard !record.aliases.contains(aliasing.alias), aliasing.alias != record.name else { return }
            record.aliases.append(aliasing.alias)
            try txn.put(record.encoded(), forKey: aliasing.actor, in: state.directory)
            try claim(aliasing.alias, for: aliasing.actor, state: state, txn: txn)
        } else if let factEvent = try decoded.factEvent(event) {
            try apply(factEvent, at: event.position, state: state, txn: txn)
        }
    }

    /// Points a name at an actor, unless another actor already has it.
    private func claim(_ name: String, for actor: String, state: State, txn: borrowing Transaction) throws {
        _ = try txn.insert(actor, forKey: ActorName.key(name), in: state.names)
    }

    private func apply(_ event: FactEvent, at position: UInt64, state: State, txn: borrowing Transaction) throws {
        let factID = event.fact
        var shape: FactShape
        var previousKey: [UInt8]?
        if let stored = try txn.get(factID, in: state.facts) {
            guard stored.count > TimelineKey.size else { throw DamagedState(projection: name, what: "fact \(factID)") }
            previousKey = Array(stored[..<TimelineKey.size])
            shape = try FactShape(decoding: UnsafeRawBufferPointer(rebasing: stored[TimelineKey.size...]))
        } else {
            guard case .asserted = event else { return }
            shape = FactShape(firstPosition: position)
        }
        let previousActors = shape.isRetracted ? [] : Self.distinctActors(shape.actors)
        shape.apply(event)
        let currentActors = shape.isRetracted ? [] : Self.distinctActors(shape.actors)
        if let previousKey {
            for actor in previousActors { try closeEntry(Self.indexKey(actor, previousKey), at: position, in: state.index, txn: txn) }
        }
        let key = TimelineKey(when: shape.when, factPosition: shape.firstPosition, versionPosition: position).bytes
        for actor in currentActors {
            let roles = shape.actors.filter { $0.actor == actor }.map(\.role)
            try txn.put(IndexEntry.encode(until: IndexValue.open, kind: shape.kind, roles: IndexEntry.roleMask(roles), fact: factID),
                        forKey: Self.indexKey(actor, key), in: state.index)
        }
        for actor in previousActors where !currentActors.contains(actor) { try adjustCount(of: actor, by: -1, state: state, txn: txn) }
        for actor in currentActors where !previousActors.contains(actor) { try adjustCount(of: actor, by: 1, state: state, txn: txn) }
        try txn.put((shape.isRetracted ? previousKey ?? key : key) + shape.encoded(), forKey: factID, in: state.facts)
    }

    private static func distinctActors(_ involvements: [ActorInvolvement]) -> [String] {
        var actors: [String] = []
        for involvement in involvements where !actors.contains(involvement.actor) { actors.append(involvement.actor) }
        return actors
    }

    private func adjustCount(of actor: String, by change: Int64, state: State, txn: borrowing Transaction) throws {
        let current = try txn.get(actor, in: state.counts).map { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) } ?? 0
        try txn.put(withUnsafeBytes(of: (current + change).littleEndian) { Array($0) }, forKey: actor, in: state.counts)
    }

    static func indexKey(_ actor: String, _ timelineKey: [UInt8]) -> [UInt8] {
        Array(actor.utf8) + [0] + timelineKey
    }
}

/// An actor as the directory holds it.
public struct ActorRecord: Sendable, Hashable {
    public let id: String
    public let name: String
    public let kind: ActorKind
    /// Further names, in the order they were recorded.
    public var aliases: [String]
    /// The position of the event that named the actor.
    public let position: UInt64
    /// How many facts currently involve the actor (retracted facts excluded); filled in by queries.
    public internal(set) var liveFacts = 0

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        writer.string(id)
        writer.string(name)
        writer.string(kind.rawValue)
        writer.varint(UInt64(aliases.count))
        for alias in aliases { writer.string(alias) }
        writer.varint(position)
        return writer.bytes
    }

    init(id: String, name: String, kind: ActorKind, aliases: [String], position: UInt64) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.position = position
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        id = try reader.string()
        name = try reader.string()
        kind = try reader.vocabulary(ActorKind.self)
        let count = try reader.count()
        var aliases: [String] = []
        for _ in 0..<count { aliases.append(try reader.string()) }
        self.aliases = aliases
        position = try reader.varint()
        try reader.finish()
    }
}
