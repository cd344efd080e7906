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
        let (name, definition) = try DefinitionEntry.contents(of: event)
        let previous = try txn.get(name, in: state.current).map { try DefinitionEntry.decode($0, name: name, projection: self.name) }
        let entry = DefinitionEntry(name: name, sequence: DefinitionEntry.sequence(after: previous), position: event.position, definition: definition)
        try txn.put(entry.encoded(), forKey: name, in: state.current)
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
    public let sequence: Int
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

    /// What a `projection.defined` or `projection.dropped` event says: the name, and the
    /// definition (`nil` for a drop).
    public static func contents(of event: EventView) throws -> (name: String, definition: String?) {
        if event.hasType(DomainEventType.projectionDefined) {
            let defined = try ProjectionDefined(event)
            return (defined.name, defined.definition)
        }
        return (try ProjectionDropped(event).name, nil)
    }

    /// The sequence number of the event that follows `previous`, the name's latest (1 for a
    /// name's first).
    public static func sequence(after previous: DefinitionEntry?) -> Int {
        (previous?.sequence ?? 0) + 1
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
