import AnnalsLog
import LMDB

/// A named, versioned, deterministic fold of the event log into LMDB databases of its own.
///
/// The engine (``ProjectionEngine``) feeds a projection every event of the types it consumes,
/// in log order, each exactly once: the projection's checkpoint is written in the same write
/// transaction as whatever ``apply(_:to:in:)`` writes. Projections are disposable: any of them
/// can be dropped and rebuilt from the log.
///
/// A complete projection — ransom payments by payer (from the README, and tested there):
///
/// ```swift
/// struct RansomsByPayer: Projection {
///     let name = "ransoms-by-payer"
///     let version = 1
///     let eventTypes = [DomainEventType.factAsserted]
///     let databaseNames = ["payments"]
///
///     func apply(_ event: EventView, to state: ProjectionDatabases, in txn: borrowing Transaction) throws {
///         let fact = try FactAssertion(event)
///         guard fact.kind == .ransomPayment, let ransom = fact.quantity(named: "ransom") else { return }
///         for payer in fact.actors(withRole: .payer) {
///             try txn.put(ransom.display, forKey: "\(payer)/\(fact.fact)", in: state["payments"])
///         }
///     }
/// }
/// ```
///
/// `apply` must be deterministic: it may read and write only its own databases, and must not
/// depend on the clock or on anything outside the store. Everything it needs of the log is the
/// event it is given: a scratch rebuild (``ProjectionEngine/withScratchRebuild(of:through:eventsPerTransaction:progress:_:)``)
/// hands it a transaction of a separate environment that holds the projection's databases only.
public protocol Projection: Sendable {
    /// Typed access to the projection's databases, made once per transaction. Simple
    /// projections use ``ProjectionDatabases`` itself.
    associatedtype State = ProjectionDatabases

    /// A unique name: 1–40 characters of `a–z 0–9 -`.
    var name: String { get }
    /// Bump this when `apply` changes: a stored state of another version is stale and is rebuilt.
    var version: Int { get }
    /// The event types `apply` is given; the engine skips every other event without decoding it.
    var eventTypes: [EventTypeName] { get }
    /// The names of the projection's databases (1–40 characters of `a–z 0–9 -` each).
    var databaseNames: [String] { get }
    /// Flags for one of the databases (for example duplicate-sorted); none by default.
    func flags(forDatabase name: String) -> DatabaseFlags

    /// Wraps the opened databases in the projection's own state type.
    func makeState(_ databases: ProjectionDatabases) throws -> State
    /// Folds one event into the state.
    func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws
    /// Ends a transaction's events: called once after the last ``apply(_:to:in:)`` of a
    /// transaction, before the checkpoint is written beside what it wrote. A projection that
    /// holds writes back to make them together (in key order, say) makes them here; nothing
    /// else reads its databases in between. Does nothing by default.
    func finish(_ state: State, in txn: borrowing Transaction) throws
}

extension Projection {
    public func flags(forDatabase name: String) -> DatabaseFlags { [] }
    public func finish(_ state: State, in txn: borrowing Transaction) throws {}
}

extension Projection where State == ProjectionDatabases {
    public func makeState(_ databases: ProjectionDatabases) throws -> ProjectionDatabases { databases }
}

/// The databases of one projection's active (or building) slot, by name.
public struct ProjectionDatabases: Sendable {
    let names: [String]
    let handles: [Database]

    init(names: [String], handles: [Database]) {
        self.names = names
        self.handles = handles
    }

    /// The database called `name`; the name must be one the projection declared.
    public subscript(_ name: String) -> Database {
        for (index, candidate) in names.enumerated() where candidate == name { return handles[index] }
        preconditionFailure("the projection declared no database called \(name); declared: \(names)")
    }

    /// Every database, in declaration order.
    public var all: [Database] { handles }
}
