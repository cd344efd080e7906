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
        // Both records are read in place. The event's bytes, like a stored record's, are LMDB's,
        // valid only until the transaction's next write: what the writes need of them is laid
        // out or copied first.
        if event.hasType(DomainEventType.actorNamed) {
            try ActorNaming.withStoredFields(of: event) { fields in
                let actor = try fields.text(Self.namingActor)
                guard try txn.get(actor, in: state.directory) == nil else { return }
                let named = ActorRecord.Named(id: actor, name: try fields.text(Self.namingName), kind: try fields.word(Self.namingKind, as: ActorKind.self),
                                              position: event.position)
                try withLaidOut(named) { record in
                    try withCopies(of: named.id, named.name) { actor, name in
                        try txn.put(record, forKey: actor, in: state.directory)
                        try claim(actor, for: actor, at: event.position, state: state, txn: txn)
                        try claim(name, for: actor, at: event.position, state: state, txn: txn)
                    }
                }
            }
        } else if event.hasType(DomainEventType.actorAliased) {
            try ActorAliasing.withStoredFields(of: event) { fields in
                let actor = try fields.text(Self.aliasingActor)
                let alias = try fields.text(Self.aliasingAlias)
                guard let stored = try txn.get(actor, in: state.directory),
                      let updated = try ActorRecord.AliasAdded(alias, at: event.position, to: stored)
                else { return }
                try withLaidOut(updated) { updated in
                    try withCopies(of: actor, alias) { actor, alias in
                        try txn.put(updated, forKey: actor, in: state.directory)
                        try claim(alias, for: actor, at: event.position, state: state, txn: txn)
                    }
                }
            }
        }
    }

    /// Where the fields read here are, in the records' one field lists.
    private static let namingActor = ActorNaming.fieldIndex("actor")
    private static let namingName = ActorNaming.fieldIndex("name")
    private static let namingKind = ActorNaming.fieldIndex("kind")
    private static let aliasingActor = ActorAliasing.fieldIndex("actor")
    private static let aliasingAlias = ActorAliasing.fieldIndex("alias")

    /// Points a name (its UTF-8) at an actor (its id's), unless another actor (or this one,
    /// earlier) already has it.
    private func claim(_ name: UnsafeRawBufferPointer, for actor: UnsafeRawBufferPointer, at position: UInt64, state: State,
                       txn: borrowing Transaction) throws {
        var value = KeyBytes()
        TimelineIndexKey.appendUnsigned(position, to: &value)
        value.append(contentsOf: actor)
        _ = try ActorName.withKey(utf8: name) { key throws(LMDBError) in try txn.insert(value, forKey: key, in: state.names) }
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

    /// The record of an actor just named, as the directory stores it: its id, name and kind,
    /// no aliases yet, and the position that named it.
    struct Named: ByteLayout {
        /// The UTF-8 of the id and the name.
        let id: UnsafeRawBufferPointer
        let name: UnsafeRawBufferPointer
        let kind: ActorKind
        let position: UInt64

        func append(to bytes: inout some KeySink) {
            bytes.appendText(id)
            bytes.appendText(name)
            var kind = kind.rawValue
            kind.withUTF8 { bytes.appendText(UnsafeRawBufferPointer($0)) }
            bytes.appendVarint(0)
            bytes.appendVarint(position)
        }
    }

    /// A stored record with one more alias, recorded at `position`, after its other aliases:
    /// made from the bytes as they are, without decoding the record's names into strings, since
    /// each alias event of an ingest changes a record.
    struct AliasAdded: ByteLayout {
        private let stored: Stored
        private let bytes: UnsafeRawBufferPointer
        private let alias: UnsafeRawBufferPointer
        private let position: UInt64

        /// The record `bytes` with `alias` (its UTF-8) added; `nil` when the actor has the name
        /// already, as its display name or an alias.
        init?(_ alias: UnsafeRawBufferPointer, at position: UInt64, to bytes: UnsafeRawBufferPointer) throws(PayloadError) {
            let stored = try Stored(bytes)
            if ActorRecord.isSpelled(stored.name, as: alias) { return nil }
            var known = false
            try stored.forEachAlias { name, _ in known = known || ActorRecord.isSpelled(name, as: alias) }
            if known { return nil }
            self.stored = stored
            self.bytes = bytes
            self.alias = alias
            self.position = position
        }

        func append(to bytes: inout some KeySink) {
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: self.bytes[..<stored.aliasCountOffset]))
            bytes.appendVarint(UInt64(stored.aliasCount + 1))
            bytes.append(contentsOf: stored.aliases)
            bytes.appendText(alias)
            bytes.appendVarint(position)
            bytes.appendVarint(stored.position)
        }
    }

    /// Whether a stored name is `name` as Swift compares strings (canonically equivalent
    /// Unicode). Equal bytes are, and ASCII bytes that differ are not, so only a non-ASCII
    /// name is made a string to compare.
    private static func isSpelled(_ stored: UnsafeRawBufferPointer, as name: UnsafeRawBufferPointer) -> Bool {
        if stored.elementsEqual(name) { return true }
        if !stored.contains(where: { $0 >= 0x80 }) && !name.contains(where: { $0 >= 0x80 }) { return false }
        return String(decoding: stored, as: UTF8.self) == String(decoding: name, as: UTF8.self)
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

/// Calls `body` with copies of `first` and `second`, made in one temporary buffer.
private func withCopies<Result>(of first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
                                _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
    try withUnsafeTemporaryAllocation(byteCount: first.count + second.count, alignment: 1) { buffer in
        let firstCopy = UnsafeMutableRawBufferPointer(rebasing: buffer[..<first.count])
        let secondCopy = UnsafeMutableRawBufferPointer(rebasing: buffer[first.count...])
        firstCopy.copyMemory(from: first)
        secondCopy.copyMemory(from: second)
        return try body(UnsafeRawBufferPointer(firstCopy), UnsafeRawBufferPointer(secondCopy))
    }
}
