import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimelineProjections
import LMDB

/// The declared projections a store's log defines, read when the store opens: the definitions
/// projection's state, and whatever the log holds beyond its checkpoint.
public struct DeclaredProjections: Sendable {
    /// The projections defined and not dropped, in name order, each at its definition's version.
    public let projections: [DeclaredProjection]
    /// Definitions the log holds that cannot run (an imported log may carry one that does not
    /// parse, or that takes a name this program already uses), with why.
    public let problems: [(name: String, problem: String)]
    /// The names whose latest event is a drop.
    public let dropped: Set<String>

    /// Reads the definitions through `engine`, which runs `definitions` alone; a name in
    /// `reserved` belongs to a projection of this program and cannot be declared.
    init(log: EventLog, engine: ProjectionEngine, definitions: DefinitionsProjection, reserved: [String]) throws {
        let entries = try log.environment.read { txn in try Self.latestEntries(log: log, engine: engine, definitions: definitions, in: txn) }
        var projections: [DeclaredProjection] = []
        var problems: [(name: String, problem: String)] = []
        var dropped: Set<String> = []
        for entry in entries {
            guard let text = entry.definition else {
                dropped.insert(entry.name)
                continue
            }
            if reserved.contains(entry.name) {
                problems.append((entry.name, "its name is taken by a projection built into this program"))
                continue
            }
            switch ProjectionFile.storedDefinition(text, name: entry.name) {
            case .success(let definition): projections.append(DeclaredProjection(definition, version: entry.sequence))
            case .failure(let error): problems.append((entry.name, error.description))
            }
        }
        self.projections = projections
        self.problems = problems
        self.dropped = dropped
    }

    /// The version of each name's latest definition now, or `nil` for a name whose latest event
    /// is a drop: what the log says at this moment, which may be later than when the store opened.
    static func latestVersions(log: EventLog, engine: ProjectionEngine, definitions: DefinitionsProjection) throws -> [String: Int?] {
        let entries = try log.environment.read { txn in try Self.latestEntries(log: log, engine: engine, definitions: definitions, in: txn) }
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.definition == nil ? nil : $0.sequence) })
    }

    /// The declared projection called `name`, if the log defines one that runs.
    public func projection(named name: String) -> DeclaredProjection? {
        projections.first { $0.name == name }
    }

    /// The latest definition or drop of every name, as of `txn`'s snapshot: the definitions
    /// projection's state, with the events it has not applied yet folded in here.
    static func latestEntries(log: EventLog, engine: ProjectionEngine, definitions: DefinitionsProjection, in txn: borrowing Transaction) throws -> [DefinitionEntry] {
        var latest: [String: DefinitionEntry] = [:]
        var checkpoint: UInt64 = 0
        do {
            let (state, applied) = try engine.stateAndCheckpoint(of: definitions, in: txn)
            checkpoint = applied
            for entry in try DefinitionsProjection.current(in: state, txn: txn) { latest[entry.name] = entry }
        } catch ProjectionError.notBuilt {
            // Never built (a read-only store from before definitions existed): the log has it all.
        }
        try fold(log: log, after: checkpoint, through: try log.head(in: txn), into: &latest, in: txn)
        return latest.values.sorted { $0.name < $1.name }
    }

    /// The latest definition or drop of `name` at or before `position`, read from the log itself.
    static func entry(of name: String, log: EventLog, through position: UInt64, in txn: borrowing Transaction) throws -> DefinitionEntry? {
        var latest: [String: DefinitionEntry] = [:]
        try fold(log: log, after: 0, through: position, into: &latest, in: txn)
        return latest[name]
    }

    /// Applies the definitions and drops after `after` through `through` to `latest`, as the
    /// definitions projection does.
    private static func fold(log: EventLog, after: UInt64, through: UInt64, into latest: inout [String: DefinitionEntry], in txn: borrowing Transaction) throws {
        guard after < through else { return }
        try log.forEach(in: txn, positions: (after + 1)...through, types: DomainEventType.projectionEvents) { view in
            let (name, definition) = try DefinitionEntry.contents(of: view)
            latest[name] = DefinitionEntry(name: name, sequence: DefinitionEntry.sequence(after: latest[name]), position: view.position, definition: definition)
            return true
        }
    }
}
