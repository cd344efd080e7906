import AnnalsLog
import AnnalsProjections
import LMDB

/// The actor directory and every name an actor goes by. (Each actor's own timeline is filed
/// by ``TimelineProjection``, beside the overall one.)
///
/// - `directory`: actor id → ``ActorRecord``.
/// - `names`: name key (``ActorName/key(_:)``) → actor id, for the id, the display name and every alias.
public struct ActorsProjection: Projection {
    public struct State: Sendable {
        let directory: Database
        let names: Database
    }

    public let name = "actors"
    public let version = 3
    public let eventTypes = [DomainEventType.actorNamed, DomainEventType.actorAliased]
    public let databaseNames = ["directory", "names"]

    public init() {}

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(directory: databases["directory"], names: databases["names"])
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
        }
    }

    /// Points a name at an actor, unless another actor already has it.
    private func claim(_ name: String, for actor: String, state: State, txn: borrowing Transaction) throws {
        _ = try txn.insert(actor, forKey: ActorName.key(name), in: state.names)
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

    /// Only the display name of an encoded record: the second field, read without the rest.
    static func name(in bytes: UnsafeRawBufferPointer) throws(PayloadError) -> String {
        var reader = PayloadReader(bytes)
        _ = try reader.string()
        return try reader.string()
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
