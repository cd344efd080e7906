import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import LMDB

/// The declared projections' definitions as the log holds them: the latest of each name, which
/// a store reads when it opens to know which declared projections to run.
///
/// - `current`: name → ``DefinitionEntry`` (the latest definition or drop).
public struct DefinitionsProjection: Projection {
    public struct State: Sendable {
        let current: Database
    }

    public let name = "definitions"
    public let version = 1
    public let eventTypes = DomainEventType.projectionEvents
    public let databaseNames = ["current"]

    public init() {}

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(current: databases["current"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        var entry: DefinitionEntry
        if event.hasType(DomainEventType.projectionDefined) {
            let defined = try ProjectionDefined(event)
            entry = DefinitionEntry(name: defined.name, sequence: 1, position: event.position, definition: defined.definition)
        } else {
            entry = DefinitionEntry(name: try ProjectionDropped(event).name, sequence: 1, position: event.position, definition: nil)
        }
        if let previous = try txn.get(entry.name, in: state.current) {
            entry.sequence = try DefinitionEntry.decode(previous, name: entry.name, projection: name).sequence + 1
        }
        try txn.put(entry.encoded(), forKey: entry.name, in: state.current)
    }

    /// The latest entry of every name, in name order.
    public static func current(in state: State, txn: borrowing Transaction) throws -> [DefinitionEntry] {
        var entries: [DefinitionEntry] = []
        try txn.forEach(in: state.current) { item in
            let name = String(decoding: item.key, as: UTF8.self)
            entries.append(try DefinitionEntry.decode(item.value, name: name, projection: "definitions"))
            return true
        }
        return entries
    }
}

/// One definition or drop of a declared projection.
public struct DefinitionEntry: Sendable, Hashable {
    public let name: String
    /// 1 for the name's first event, then one more for each definition or drop: the version of
    /// the projection the definition makes.
    public var sequence: Int
    /// Where in the log the event is.
    public let position: UInt64
    /// The canonical definition; `nil` for a drop.
    public let definition: String?

    public init(name: String, sequence: Int, position: UInt64, definition: String?) {
        self.name = name
        self.sequence = sequence
        self.position = position
        self.definition = definition
    }

    /// Sequence (varint) ‖ position (varint) ‖ 1 and the definition, or 0 for a drop.
    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 32 + (definition?.utf8.count ?? 0))
        writer.varint(UInt64(sequence))
        writer.varint(position)
        writer.optionalString(definition)
        return writer.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, name: String, projection: String) throws -> DefinitionEntry {
        do {
            var reader = PayloadReader(bytes)
            let entry = DefinitionEntry(name: name, sequence: Int(try reader.varint()), position: try reader.varint(), definition: try reader.optionalString())
            try reader.finish()
            return entry
        } catch {
            throw ProjectionError.damagedState(projection: projection, what: "the definition of \(String(reflecting: name))")
        }
    }
}
