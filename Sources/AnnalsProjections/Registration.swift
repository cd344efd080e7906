import AnnalsLog
import LMDB

/// A projection bound to a slot for one transaction: applies its events, then finishes it.
struct Applier {
    let apply: (EventView, borrowing Transaction) throws -> Void
    let finish: (borrowing Transaction) throws -> Void
}

/// A registered projection with its type erased, so the engine can hold projections of
/// different state types side by side.
protocol Registration: Sendable {
    var name: String { get }
    var version: Int { get }
    /// How many databases one slot holds.
    var databaseCount: Int { get }
    /// The databases of slot 0 or 1, or `nil` when they do not exist (a read-only store that
    /// never built this projection).
    func databases(slot: UInt8) -> ProjectionDatabases?
    /// Whether the projection consumes events of this type, compared in place.
    func consumes(_ type: UnsafeRawBufferPointer) -> Bool
    /// An applier writing into `slot`, with the state made once for the whole transaction.
    func bind(slot: UInt8) throws -> Applier
    func compareWithRebuild(using engine: ProjectionEngine) throws -> RebuildComparison
    /// The same projection registered in `environment` with a single slot (0), for a scratch
    /// rebuild outside the store.
    func scratchCopy(in environment: Environment) throws -> any Registration
}

final class Registered<P: Projection>: Registration {
    let projection: P
    let slots: [ProjectionDatabases?]

    init(_ projection: P, environment: Environment, create: Bool, slotCount: Int = 2) throws {
        self.projection = projection
        slots = try (0..<slotCount).map { slot -> ProjectionDatabases? in
            var handles: [Database] = []
            for name in projection.databaseNames {
                let fullName = ProjectionEngine.databaseName(projection: projection.name, slot: slot, database: name)
                if !create, try !environment.databaseExists(fullName) { return nil }
                handles.append(try environment.openDatabase(fullName, flags: projection.flags(forDatabase: name), create: create))
            }
            return ProjectionDatabases(names: projection.databaseNames, handles: handles)
        }
    }

    var name: String { projection.name }
    var version: Int { projection.version }
    var databaseCount: Int { projection.databaseNames.count }

    func databases(slot: UInt8) -> ProjectionDatabases? { Int(slot) < slots.count ? slots[Int(slot)] : nil }

    func consumes(_ type: UnsafeRawBufferPointer) -> Bool {
        projection.eventTypes.contains { $0.matches(type) }
    }

    func bind(slot: UInt8) throws -> Applier {
        guard let databases = databases(slot: slot) else { throw ProjectionError.readOnly }
        let state = try projection.makeState(databases)
        let projection = self.projection
        return Applier(apply: { event, txn in try projection.apply(event, to: state, in: txn) },
                       finish: { txn in try projection.finish(state, in: txn) })
    }

    func compareWithRebuild(using engine: ProjectionEngine) throws -> RebuildComparison {
        try engine.compare(projection, registration: self)
    }

    func scratchCopy(in environment: Environment) throws -> any Registration {
        try Registered(projection, environment: environment, create: true, slotCount: 1)
    }
}
