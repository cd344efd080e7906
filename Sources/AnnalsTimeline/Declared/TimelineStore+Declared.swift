import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimelineProjections
import LMDB

/// What `define` did.
public enum DefineOutcome: Sendable, Hashable {
    /// A `projection.defined` event was appended at `position`: the projection's new version.
    case defined(version: Int, position: UInt64)
    /// The log already holds this very definition as the name's latest: nothing was appended.
    case unchanged(version: Int)
}

/// A declared projection's answer.
public struct DeclaredResult: Sendable {
    public let definition: DeclaredDefinition
    /// The definition's version (its sequence number in the log).
    public let version: Int
    /// The log position the answer stands at.
    public let position: UInt64
    /// Every group, in key order.
    public let rows: [DeclaredRow]
}

/// What reads a declared projection's groups where they lie — in the store, or in the scratch
/// copy an as-of answer is rebuilt in — without copying them out.
public protocol DeclaredGroupReader: ~Copyable {
    /// Called once, before any group, with the projection (its definition and version) and the
    /// log position the answer stands at.
    mutating func begin(_ projection: DeclaredProjection, position: UInt64) throws
    /// Called with each group in key order; returns whether to go on.
    mutating func read(_ group: DeclaredGroupView) throws -> Bool
}

/// Why a declared projection cannot be defined, dropped or shown (problems with the file itself
/// are ``InputError``s).
public enum DeclaredProjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case notDeclared(String, declared: [String])
    case notDefinedAsOf(String, position: UInt64)
    /// The log holds a definition this program cannot run.
    case unusable(String, problem: String)
    /// Another process redefined or dropped the projection after this store was opened.
    case redefinedSinceOpened(String)

    public var description: String {
        switch self {
        case let .notDeclared(name, declared):
            "no declared projection is called \(String(reflecting: name)); "
                + (declared.isEmpty ? "none is declared (annals projection define FILE declares one)" : "declared: \(declared.joined(separator: ", "))")
        case let .notDefinedAsOf(name, position): "the projection \(String(reflecting: name)) was not defined as of position \(position)"
        case let .unusable(name, problem): "the log's definition of \(String(reflecting: name)) cannot run: \(problem)"
        case .redefinedSinceOpened(let name):
            "the projection \(String(reflecting: name)) was redefined or dropped after this store was opened; open the store again"
        }
    }
}

extension TimelineStore {
    /// Appends `file`'s definition as a `projection.defined` event, unless it is already the
    /// name's latest definition. The projection is built when the store is next caught up by a
    /// store opened after this (the running one keeps the projections it opened with).
    ///
    /// - Throws: ``InputError`` naming the file's line and field when the name belongs to a
    ///   built-in or program projection, or a quantity is one no fact in the store has.
    @discardableResult
    public func define(_ file: ProjectionFile) throws -> DefineOutcome {
        let definition = file.definition
        let reserved = Self.builtInProjectionNames + projections.names.filter { name in !declared.projections.contains { $0.name == name } }
        let programs = try projections.status().filter { $0.condition == .unregistered && !declared.dropped.contains($0.name) }.map(\.name)
        if reserved.contains(definition.name) || programs.contains(definition.name) {
            let owner = Self.builtInProjectionNames.contains(definition.name) ? "a built-in projection" : "a projection a program registers"
            throw InputError(file: file.file, line: file.nameLine, field: DeclaredDefinition.Field.name,
                             message: "\(definition.name) is the name of \(owner); choose another")
        }
        if !file.quantityReferences.isEmpty {
            let known = try quantityUnits()
            for reference in file.quantityReferences where known[reference.name] == nil {
                let list = known.isEmpty ? "no fact in the store has a quantity yet" : "the store's quantities are \(known.keys.sorted().joined(separator: ", "))"
                throw InputError(file: file.file, line: reference.line, field: reference.field,
                                 message: "\(reference.name) is not a quantity of any fact in the store; \(list)")
            }
            // A unit converts durations of its own kind: a calendar unit months and years, the
            // others seconds to weeks. One that converts none of the quantity's values says nothing.
            for reference in file.unitReferences {
                let units = known[reference.quantity] ?? []
                guard !units.contains(where: { $0.isCalendar == reference.unit.isCalendar && $0.factor != nil }) else { continue }
                let given = units.map(\.symbol).sorted().joined(separator: ", ")
                throw InputError(file: file.file, line: reference.line, field: reference.field, message: """
                    \(reference.unit.rawValue) converts \(reference.unit.isCalendar ? "months and years" : "durations of seconds to weeks"), \
                    but the store's \(reference.quantity) values are in \(given)
                    """)
            }
        }
        let canonical = definition.canonicalJSON
        let outcome = try environment.write { txn -> DefineOutcome in
            let latest = try DeclaredProjections.latestEntries(log: log, engine: definitionsEngine, definitions: definitionsProjection, in: txn)
                .first { $0.name == definition.name }
            if let latest, latest.definition == canonical { return .unchanged(version: latest.sequence) }
            let sequence = DefinitionEntry.sequence(after: latest)
            let event = NewEvent(
                id: DomainEventID.projection(definition.name, sequence: sequence), type: DomainEventType.projectionDefined.description,
                schemaVersion: DomainEventType.schemaVersion, payload: ProjectionDefined(name: definition.name, definition: canonical).encoded())
            let result = try log.append([event], in: txn)
            return .defined(version: sequence, position: result.head)
        }
        if case .defined = outcome {
            if environment.configuration.flags.contains(.noSync) { try log.flush() }
            try definitionsEngine.catchUp()
        }
        return outcome
    }

    /// Appends a `projection.dropped` event for the declared projection `name` and discards its
    /// state. The name is free again; replaying the log drops it again at the same place.
    ///
    /// - Returns: the drop event's position.
    @discardableResult
    public func dropDeclared(_ name: String) throws -> UInt64 {
        guard declared.projection(named: name) != nil || declared.problems.contains(where: { $0.name == name }) else {
            throw DeclaredProjectionError.notDeclared(name, declared: declared.projections.map(\.name))
        }
        let position = try environment.write { txn -> UInt64 in
            let latest = try DeclaredProjections.latestEntries(log: log, engine: definitionsEngine, definitions: definitionsProjection, in: txn)
                .first { $0.name == name }
            guard let latest, latest.definition != nil else {
                throw DeclaredProjectionError.notDeclared(name, declared: declared.projections.map(\.name).filter { $0 != name })
            }
            let event = NewEvent(
                id: DomainEventID.projection(name, sequence: DefinitionEntry.sequence(after: latest)), type: DomainEventType.projectionDropped.description,
                schemaVersion: DomainEventType.schemaVersion, payload: ProjectionDropped(name: name).encoded())
            return try log.append([event], in: txn).head
        }
        if environment.configuration.flags.contains(.noSync) { try log.flush() }
        try projections.discard([name])
        try definitionsEngine.catchUp()
        return position
    }

    /// The groups of declared projection `name`, copied out with each value ready to show: now
    /// (as far as it has applied the log), or as of an earlier moment (see
    /// ``readDeclared(_:asOf:progress:into:)``).
    public func declaredResult(_ name: String, asOf: AsOf? = nil, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> DeclaredResult {
        struct Collector: DeclaredGroupReader {
            var projection: DeclaredProjection?
            var position: UInt64 = 0
            var rows: [DeclaredRow] = []
            mutating func begin(_ projection: DeclaredProjection, position: UInt64) {
                self.projection = projection
                self.position = position
            }
            mutating func read(_ group: DeclaredGroupView) -> Bool {
                rows.append(projection!.row(group))
                return true
            }
        }
        var collector = Collector()
        try readDeclared(name, asOf: asOf, progress: progress, into: &collector)
        let projection = collector.projection!
        return DeclaredResult(definition: projection.definition, version: projection.version, position: collector.position, rows: collector.rows)
    }

    /// Hands `reader` the groups of declared projection `name` in place: now (as far as it has
    /// applied the log), or as of an earlier moment — rebuilt then from events 1…p, with the
    /// definition in force at p, in a scratch copy outside the store.
    public func readDeclared(_ name: String, asOf: AsOf? = nil, progress: ((UInt64, UInt64) -> Void)? = nil, into reader: inout some DeclaredGroupReader & ~Copyable) throws {
        // As of an earlier position, a projection dropped since may still be asked about.
        let live = asOf == nil ? try runningDeclared(name) : try declaredIfRunning(name)
        let (checkpoint, head, target) = try environment.read { txn -> (UInt64, UInt64, UInt64) in
            let head = try log.head(in: txn)
            let checkpoint = live == nil ? 0 : try projections.checkpoint(of: name, in: txn)
            let target: UInt64 = switch asOf {
            case nil: checkpoint
            case .position(let position): position
            case .time(let time): try position(at: time, in: txn)
            }
            return (checkpoint, head, target)
        }
        guard target <= head else { throw QueryError.positionBeyondHead(target, head: head) }
        if let live, target == checkpoint {
            try environment.read { txn in
                let state = try servingState(of: live, in: txn)
                try reader.begin(live, position: checkpoint)
                try live.forEachGroup(in: state, txn: txn) { try reader.read($0) }
            }
            return
        }
        let entry = try environment.read { txn in try DeclaredProjections.entry(of: name, log: log, through: target, in: txn) }
        guard let entry, let text = entry.definition else { throw DeclaredProjectionError.notDefinedAsOf(name, position: target) }
        let definition: DeclaredDefinition
        switch ProjectionFile.storedDefinition(text, name: name) {
        case .success(let parsed): definition = parsed
        case .failure(let error): throw DeclaredProjectionError.unusable(name, problem: error.description)
        }
        let then = DeclaredProjection(definition, version: entry.sequence)
        try projections.withScratchBuild(of: then, through: target, progress: progress) { state, txn in
            try reader.begin(then, position: target)
            try then.forEachGroup(in: state, txn: txn) { try reader.read($0) }
        }
    }

    /// Calls `body` with every group of declared projection `name` as it stands now, read in
    /// place from the store's bytes (``DeclaredGroupView``): what ``declaredResult(_:asOf:progress:)``
    /// copies out, without the copies. `body` returns whether to go on.
    public func forEachDeclaredGroup(_ name: String, _ body: (DeclaredGroupView) throws -> Bool) throws {
        let live = try runningDeclared(name)
        try environment.read { txn in
            try live.forEachGroup(in: try servingState(of: live, in: txn), txn: txn, body)
        }
    }

    /// The declared projection `name` as this store runs it.
    ///
    /// - Throws: ``DeclaredProjectionError`` when the log does not define it now, or holds a
    ///   definition of it that cannot run.
    private func runningDeclared(_ name: String) throws -> DeclaredProjection {
        guard let live = try declaredIfRunning(name) else {
            throw DeclaredProjectionError.notDeclared(name, declared: declared.projections.map(\.name))
        }
        return live
    }

    /// The declared projection `name` as this store runs it, `nil` when the log does not define it now.
    private func declaredIfRunning(_ name: String) throws -> DeclaredProjection? {
        if let problem = declared.problems.first(where: { $0.name == name }) {
            throw DeclaredProjectionError.unusable(name, problem: problem.problem)
        }
        return declared.projection(named: name)
    }

    /// The state `live` serves in `txn`'s snapshot, unless another process has since made the
    /// catalog hold another version of it.
    private func servingState(of live: DeclaredProjection, in txn: borrowing Transaction) throws -> DeclaredProjection.State {
        if let stored = try projections.storedVersion(of: live.name, in: txn), stored != live.version {
            throw DeclaredProjectionError.redefinedSinceOpened(live.name)
        }
        return try projections.state(of: live, in: txn)
    }

    /// Every quantity name some fact's assertion or correction in the log gives, with the units
    /// its values come in.
    func quantityUnits() throws -> [String: Set<QuantityUnit>] {
        var units: [String: Set<QuantityUnit>] = [:]
        try log.replay(types: [DomainEventType.factAsserted, DomainEventType.factCorrected]) { view in
            switch try FactEvent(view) {
            case .asserted(let assertion): for quantity in assertion.quantities { units[quantity.name, default: []].insert(quantity.unit) }
            case .corrected(let correction): for quantity in correction.fields.quantities ?? [] { units[quantity.name, default: []].insert(quantity.unit) }
            default: break
            }
            return true
        }
        return units
    }
}

extension QuantityUnit {
    /// For a duration, whether it counts calendar months; `false` for any other unit.
    fileprivate var isCalendar: Bool {
        if case .duration(let duration) = self { return duration.isCalendar }
        return false
    }

    /// For a duration, its length in seconds or months; `nil` for any other unit.
    fileprivate var factor: Int64? {
        if case .duration(let duration) = self { return duration.factor }
        return nil
    }
}
