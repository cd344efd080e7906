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
public struct ActorsProjection: Projection {
    public struct State: Sendable {
        let directory: Database
        let names: Database
        let index: Database
        let facts: Database
    }

    public let name = "actors"
    public let version = 1
    public let eventTypes = [DomainEventType.actorNamed, DomainEventType.actorAliased] + DomainEventType.factEvents
    public let databaseNames = ["directory", "names", "index", "facts"]

    public init() {}

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(directory: databases["directory"], names: databases["names"], index: databases["index"], facts: databases["facts"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        if event.hasType(DomainEventType.actorNamed) {
            let naming = try ActorNaming(event)
            guard try txn.get(naming.actor, in: state.directory) == nil else { return }
            let record = ActorRecord(id: naming.actor, name: naming.name, kind: naming.kind, aliases: [], position: event.position, liveFacts: 0)
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
        } else if let factEvent = try FactEvent(event) {
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
        let previousActors = shape.isRetracted ? [] : Set(shape.actors.map(\.actor))
        shape.apply(event)
        let currentActors = shape.isRetracted ? [] : Set(shape.actors.map(\.actor))
        if let previousKey {
            for actor in previousActors { try closeEntry(Self.indexKey(actor, previousKey), at: position, in: state.index, txn: txn) }
        }
        let key = TimelineKey(when: shape.when, factPosition: shape.firstPosition, versionPosition: position).bytes
        if !shape.isRetracted {
            for actor in Set(shape.actors.map(\.actor)) {
                let roles = shape.actors.filter { $0.actor == actor }.map(\.role)
                try txn.put(IndexEntry.encode(until: IndexValue.open, kind: shape.kind, roles: IndexEntry.roleMask(roles), fact: factID),
                            forKey: Self.indexKey(actor, key), in: state.index)
            }
        }
        for actor in previousActors.symmetricDifference(currentActors) {
            guard var record = try txn.get(actor, in: state.directory).map({ try ActorRecord(decoding: $0) }) else { continue }
            record.liveFacts += currentActors.contains(actor) ? 1 : -1
            try txn.put(record.encoded(), forKey: actor, in: state.directory)
        }
        try txn.put((shape.isRetracted ? previousKey ?? key : key) + shape.encoded(), forKey: factID, in: state.facts)
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
    /// How many facts currently involve the actor (retracted facts excluded).
    public var liveFacts: Int

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        writer.string(id)
        writer.string(name)
        writer.string(kind.rawValue)
        writer.varint(UInt64(aliases.count))
        for alias in aliases { writer.string(alias) }
        writer.varint(position)
        writer.signed(Int64(liveFacts))
        return writer.bytes
    }

    init(id: String, name: String, kind: ActorKind, aliases: [String], position: UInt64, liveFacts: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.position = position
        self.liveFacts = liveFacts
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
        liveFacts = Int(try reader.signed())
        try reader.finish()
    }
}
