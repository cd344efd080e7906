import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import LMDB

/// The actor directory and every name an actor goes by, each with the position at which the
/// store learned it, so the directory can be read as of any position. (Each actor's own timeline
/// is filed by ``TimelineProjection``, beside the overall one.)
///
/// - `directory`: actor id → ``ActorRecord``, its aliases in the order they were recorded, each
///   with its position.
/// - `names`: name key (``ActorName/key(_:)``) → the position that first recorded the name
///   (8 bytes BE) ‖ actor id, for the id, the display name and every alias.
public struct ActorsProjection: Projection {
    public struct State: Sendable {
        let directory: Database
        let names: Database
    }

    public let name = "actors"
    public let version = 4
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
            let record = ActorRecord(id: naming.actor, name: naming.name, kind: naming.kind, recordedAliases: [], position: event.position)
            try txn.put(record.encoded(), forKey: naming.actor, in: state.directory)
            try claim(naming.actor, for: naming.actor, at: event.position, state: state, txn: txn)
            try claim(naming.name, for: naming.actor, at: event.position, state: state, txn: txn)
        } else if event.hasType(DomainEventType.actorAliased) {
            let aliasing = try ActorAliasing(event)
            guard var record = try Self.record(aliasing.actor, in: state, txn: txn) else { return }
            guard !record.recordedAliases.contains(where: { $0.name == aliasing.alias }), aliasing.alias != record.name else { return }
            record.recordedAliases.append(ActorRecord.Alias(name: aliasing.alias, position: event.position))
            try txn.put(record.encoded(), forKey: aliasing.actor, in: state.directory)
            try claim(aliasing.alias, for: aliasing.actor, at: event.position, state: state, txn: txn)
        }
    }

    /// Points a name at an actor, unless another actor (or this one, earlier) already has it.
    private func claim(_ name: String, for actor: String, at position: UInt64, state: State, txn: borrowing Transaction) throws {
        var value = KeyBytes()
        TimelineIndexKey.appendUnsigned(position, to: &value)
        var actor = actor
        actor.withUTF8 { value.append(contentsOf: UnsafeRawBufferPointer($0)) }
        _ = try txn.insert(value, forKey: ActorName.key(name), in: state.names)
    }

    /// The directory's record of actor `id`, every alias it has had included.
    package static func record(_ id: String, in state: State, txn: borrowing Transaction) throws -> ActorRecord? {
        try txn.get(id, in: state.directory).map { try ActorRecord(decoding: $0) }
    }

    /// Calls `body` with the id of every actor in the directory, in id order.
    package static func forEachActorID(in state: State, txn: borrowing Transaction, _ body: (String) throws -> Void) throws {
        try txn.forEach(in: state.directory) { entry in
            try body(String(decoding: entry.key, as: UTF8.self))
            return true
        }
    }

    /// The actor a name key points at and the position that recorded the name.
    package static func owner(ofNameKey key: String, in state: State, txn: borrowing Transaction) throws -> (actor: String, position: UInt64)? {
        guard let value = try txn.get(key, in: state.names) else { return nil }
        guard value.count > 8, let position = value.bigEndianUInt64 else { throw ProjectionError.damagedState(projection: "actors", what: "name \(String(reflecting: key))") }
        return (String(decoding: value[8...], as: UTF8.self), position)
    }
}

/// An actor as the directory holds it, or as it stood at some position.
public struct ActorRecord: Sendable, Hashable {
    /// A further name and the position that recorded it.
    struct Alias: Sendable, Hashable {
        let name: String
        let position: UInt64
    }

    public let id: String
    public let name: String
    public let kind: ActorKind
    /// Further names with the positions that recorded them, in that order.
    var recordedAliases: [Alias]
    /// The position of the event that named the actor.
    public let position: UInt64
    /// How many facts involve the actor (retracted facts excluded); filled in by queries.
    public package(set) var liveFacts = 0

    /// Further names, in the order they were recorded.
    public var aliases: [String] { recordedAliases.map(\.name) }

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 64)
        writer.string(id)
        writer.string(name)
        writer.string(kind.rawValue)
        writer.varint(UInt64(recordedAliases.count))
        for alias in recordedAliases {
            writer.string(alias.name)
            writer.varint(alias.position)
        }
        writer.varint(position)
        return writer.bytes
    }

    init(id: String, name: String, kind: ActorKind, recordedAliases: [Alias], position: UInt64) {
        self.id = id
        self.name = name
        self.kind = kind
        self.recordedAliases = recordedAliases
        self.position = position
    }

    /// The record as it stood after position `asOf`: `nil` before the actor was named, and only
    /// the aliases recorded by then.
    package func asOf(_ position: UInt64) -> ActorRecord? {
        guard self.position <= position else { return nil }
        var record = self
        record.recordedAliases.removeAll { $0.position > position }
        return record
    }

    package init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        id = try reader.string()
        name = try reader.string()
        kind = try reader.vocabulary(ActorKind.self)
        let count = try reader.count()
        var aliases: [Alias] = []
        for _ in 0..<count { aliases.append(Alias(name: try reader.string(), position: try reader.varint())) }
        recordedAliases = aliases
        position = try reader.varint()
        try reader.finish()
    }
}
