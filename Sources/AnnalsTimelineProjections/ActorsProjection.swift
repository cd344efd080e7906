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
            guard let stored = try txn.get(aliasing.actor, in: state.directory),
                  let updated = try ActorRecord.adding(aliasing.alias, at: event.position, to: stored)
            else { return }
            try txn.put(updated, forKey: aliasing.actor, in: state.directory)
            try claim(aliasing.alias, for: aliasing.actor, at: event.position, state: state, txn: txn)
        }
    }

    /// Points a name at an actor, unless another actor (or this one, earlier) already has it.
    private func claim(_ name: String, for actor: String, at position: UInt64, state: State, txn: borrowing Transaction) throws {
        var value = KeyBytes()
        TimelineIndexKey.appendUnsigned(position, to: &value)
        var actor = actor
        actor.withUTF8 { value.append(contentsOf: UnsafeRawBufferPointer($0)) }
        _ = try ActorName.withKey(name) { key throws(LMDBError) in try txn.insert(value, forKey: key, in: state.names) }
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
        for alias in recordedAliases { Self.write(alias.name, recordedAt: alias.position, into: &writer) }
        writer.varint(position)
        return writer.bytes
    }

    private static func write(_ alias: String, recordedAt position: UInt64, into writer: inout PayloadWriter) {
        writer.string(alias)
        writer.varint(position)
    }

    /// The encoded record `bytes` with `alias`, recorded at `position`, added after its other
    /// aliases, as ``encoded()`` would write it; `nil` when the actor has the name already, as
    /// its display name or an alias. Made from the bytes as they are, without decoding the
    /// record's names into strings, since each alias event of an ingest changes a record.
    static func adding(_ alias: String, at position: UInt64, to bytes: UnsafeRawBufferPointer) throws(PayloadError) -> [UInt8]? {
        let stored = try Stored(bytes)
        if Self.isSpelled(stored.name, as: alias) { return nil }
        var known = false
        try stored.forEachAlias { name, _ in known = known || Self.isSpelled(name, as: alias) }
        if known { return nil }
        var writer = PayloadWriter(capacity: bytes.count + alias.utf8.count + 2 * 10)
        writer.raw(UnsafeRawBufferPointer(rebasing: bytes[..<stored.aliasCountOffset]))
        writer.varint(UInt64(stored.aliasCount + 1))
        writer.raw(stored.aliases)
        Self.write(alias, recordedAt: position, into: &writer)
        writer.varint(stored.position)
        return writer.bytes
    }

    /// Whether a stored name is `name` as Swift compares strings (canonically equivalent
    /// Unicode). Equal bytes are, and ASCII bytes that differ are not, so only a non-ASCII
    /// name is made a string to compare.
    private static func isSpelled(_ stored: UnsafeRawBufferPointer, as name: String) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            if stored.elementsEqual(utf8) { return true }
            if !stored.contains(where: { $0 >= 0x80 }) && !utf8.contains(where: { $0 >= 0x80 }) { return false }
            return String(decoding: stored, as: UTF8.self) == String(decoding: utf8, as: UTF8.self)
        }
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
        let stored = try Stored(bytes)
        id = String(decoding: stored.id, as: UTF8.self)
        name = String(decoding: stored.name, as: UTF8.self)
        kind = stored.kind
        var aliases: [Alias] = []
        aliases.reserveCapacity(stored.aliasCount)
        try stored.forEachAlias { name, position in aliases.append(Alias(name: String(decoding: name, as: UTF8.self), position: position)) }
        recordedAliases = aliases
        position = stored.position
    }

    /// A record as ``encoded()`` wrote it, read and checked in place: the one reading of its
    /// layout, for decoding and for adding an alias to the bytes.
    private struct Stored {
        let id: UnsafeRawBufferPointer
        let name: UnsafeRawBufferPointer
        let kind: ActorKind
        /// Where the count of aliases begins in the record.
        let aliasCountOffset: Int
        let aliasCount: Int
        /// The aliases, each a name and the position that recorded it, one after another.
        let aliases: UnsafeRawBufferPointer
        let position: UInt64

        init(_ bytes: UnsafeRawBufferPointer) throws(PayloadError) {
            var reader = PayloadReader(bytes)
            id = try reader.stringBytes()
            name = try reader.stringBytes()
            kind = try reader.vocabulary(ActorKind.self)
            aliasCountOffset = reader.offset
            aliasCount = try reader.count()
            let aliasesStart = reader.offset
            for _ in 0..<aliasCount {
                _ = try reader.stringBytes()
                _ = try reader.varint()
            }
            aliases = reader.bytesRead(since: aliasesStart)
            position = try reader.varint()
            try reader.finish()
        }

        /// Calls `body` with each alias's name, in place, and the position that recorded it.
        func forEachAlias(_ body: (UnsafeRawBufferPointer, UInt64) -> Void) throws(PayloadError) {
            var reader = PayloadReader(aliases)
            for _ in 0..<aliasCount { body(try reader.stringBytes(), try reader.varint()) }
        }
    }
}
