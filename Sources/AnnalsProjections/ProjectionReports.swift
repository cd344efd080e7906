/// Why the projection engine refused an operation: the facts, for the caller to act on.
public enum ProjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case duplicateName(String)
    case unknownProjection(String, known: [String])
    case notBuilt(String)
    case readOnly
    case damagedCatalog(String)
    case rebuildInterrupted(String)
    /// A projection found part of its own state unreadable: `what` names the part. Rebuilding
    /// the projection from the log repairs it.
    case damagedState(projection: String, what: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "\(String(reflecting: name)) is not a valid projection or database name: use 1 to 40 characters of a-z, 0-9 and -"
        case .duplicateName(let name):
            "two projections are registered as \(String(reflecting: name))"
        case let .unknownProjection(name, known):
            "no projection is called \(String(reflecting: name)); registered: \(known.joined(separator: ", "))"
        case .notBuilt(let name):
            "projection \(name) has not been built yet"
        case .readOnly:
            "the store is open read-only, so projections cannot be brought up to date"
        case .damagedCatalog(let name):
            "the catalog entry of projection \(name) is damaged"
        case .rebuildInterrupted(let name):
            "another process took over the rebuild of projection \(name)"
        case let .damagedState(projection, what):
            "the \(projection) projection's state for \(what) is damaged"
        }
    }
}

/// A projection's version, progress and size.
public struct ProjectionStatus: Sendable, Hashable {
    public enum Condition: Sendable, Hashable {
        /// Applied the whole log.
        case current
        /// Has events left to apply.
        case behind
        /// Stored at another version than the registered one; the next catch-up rebuilds it.
        case stale(storedVersion: Int)
        /// A rebuild is under way (or was interrupted) and has applied the log this far.
        case rebuilding(appliedThrough: UInt64)
        /// Never built.
        case notBuilt
        /// In the store's catalog, but its code is not in this program: another program
        /// registered it, and only that program can apply events to it or rebuild it.
        case unregistered
    }

    public let name: String
    /// The registered (code) version; for an ``Condition/unregistered`` projection, the
    /// stored one.
    public let version: Int
    /// The version of the stored state that serves readers.
    public let storedVersion: Int?
    /// The last position the serving state applied.
    public let checkpoint: UInt64
    public let head: UInt64
    /// Entries across the projection's databases.
    public let entries: Int
    /// Bytes of pages the serving state uses.
    public let bytes: Int
    public let condition: Condition

    /// Events the serving state has not applied yet.
    public var lag: UInt64 { head - min(checkpoint, head) }
}

/// What ``ProjectionEngine/catchUp(eventsPerTransaction:progress:)`` did.
public struct CatchUpReport: Sendable, Hashable {
    /// Projections that were rebuilt because they were stale or had an interrupted rebuild.
    public let rebuilt: [RebuildReport]
    /// Events applied across the projections that caught up incrementally.
    public let eventsApplied: UInt64
    /// The position after which the incremental catch-up started, or `nil` when nothing was behind.
    public let from: UInt64?
    /// The position every projection reached.
    public let reached: UInt64
}

/// What rebuilding one projection did.
public struct RebuildReport: Sendable, Hashable {
    public let name: String
    /// Events the projection applied (events of other types were skipped without decoding).
    public let eventsApplied: UInt64
    /// The last position applied.
    public let reached: UInt64
    /// The checkpoint an interrupted rebuild resumed from, when it did.
    public let resumedFrom: UInt64?
    public let seconds: Double
}

/// The result of comparing a projection's serving state with a fresh rebuild.
public struct RebuildComparison: Sendable, Hashable {
    public let name: String
    /// The position both states were built to.
    public let checkpoint: UInt64
    /// The first difference, or `nil` when the states are identical.
    public let difference: String?

    public var isIdentical: Bool { difference == nil }
}
