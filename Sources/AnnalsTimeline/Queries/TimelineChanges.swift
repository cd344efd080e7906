import AnnalsDomain
import AnnalsLog
import AnnalsTimelineProjections
import LMDB

/// What changed in the timeline between two transaction times: each fact shown at one of them
/// whose version differs between them, and how.
public struct TimelineChanges: Sendable {
    /// One fact's change.
    public struct Change: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            /// Not shown at the start, shown at the end.
            case added
            /// Shown at both; another source asserted it, perhaps more precisely.
            case refined
            /// Shown at both; an article corrected some of its fields.
            case corrected
            /// Shown at the start, retracted by the end.
            case retracted
        }

        /// One field that differs, as its JSON (docs/QUERIES.md), before and after.
        public struct Field: Sendable {
            public let name: String
            public let before: JSONValue
            public let after: JSONValue
        }

        /// An event between the two times that touched the fact.
        public struct Cause: Sendable {
            public let position: UInt64
            public let event: FactEvent
        }

        public let kind: Kind
        public let fact: String
        /// The version current at the start, and at the end (`nil` before the fact was asserted).
        public let before: FactVersion?
        public let after: FactVersion?
        /// The fields of the fact that differ (none for a fact added or retracted).
        public let fields: [Field]
        /// The events between the two times that touched the fact, in log order.
        public let causes: [Cause]
    }

    /// The two times, as log positions: changes after `since`, up to and including `until`.
    public let since: UInt64
    public let until: UInt64
    /// In the order their first event was appended.
    public let changes: [Change]
    /// Actor names as of `until`.
    public let actorNames: [String: String]

    /// The fields compared between two shown versions, by their JSON names.
    public static let comparedFields = ["kind", "when", "said", "summary", "actors", "quantities", "place"]
}

extension TimelineStore {
    /// What changed in the timeline after `since` up to `until` (now when `nil`): facts added,
    /// refined by another source, corrected or retracted, each with the fields before and after.
    /// A fact asserted and retracted in between was never shown and is not a change.
    public func changes(since: AsOf, until: AsOf? = nil) throws -> TimelineChanges {
        try environment.read { txn in
            let states = try states(in: txn)
            let from = try resolve(since, states: states, txn: txn)
            let to = try resolve(until, states: states, txn: txn)
            guard from <= to else { throw QueryError.sinceAfterUntil(since: from, until: to) }
            // The facts the log touched in between, in the order it first touched each.
            var order: [String] = []
            var causes: [String: [TimelineChanges.Change.Cause]] = [:]
            if from < to {
                try log.forEach(in: txn, positions: (from + 1)...to, types: DomainEventType.factEvents) { event in
                    guard let fact = try FactEvent(event) else { return true }
                    if causes[fact.fact] == nil { order.append(fact.fact) }
                    causes[fact.fact, default: []].append(.init(position: event.position, event: fact))
                    return true
                }
            }
            let reader = TimelineProjection.Reader(states.timeline)
            let names = Dictionary(uniqueKeysWithValues: try actorRecords(asOf: to, states: states, txn: txn).map { ($0.id, $0.name) })
            var changes: [TimelineChanges.Change] = []
            for id in order {
                guard let first = try reader.firstPosition(ofFact: id, txn: txn) else { continue }
                let rows = try reader.rows(firstPosition: first, txn: txn)
                let events = try factEvents(of: rows, txn: txn)
                let version = { (position: UInt64) -> FactVersion? in
                    rows.last { $0.position <= position }.map {
                        FactVersion(position: $0.position, recordedAt: $0.recordedAt, until: nil, view: FactView(row: $0, events: events))
                    }
                }
                let before = version(from), after = version(to)
                let shownBefore = before.map { !$0.view.isRetracted } ?? false
                let shownAfter = after.map { !$0.view.isRetracted } ?? false
                let kind: TimelineChanges.Change.Kind
                switch (shownBefore, shownAfter) {
                case (false, false): continue
                case (false, true): kind = .added
                case (true, false): kind = .retracted
                case (true, true):
                    let corrected = causes[id, default: []].contains { if case .corrected = $0.event { true } else { false } }
                    kind = corrected ? .corrected : .refined
                }
                var fields: [TimelineChanges.Change.Field] = []
                if let before, let after, kind == .refined || kind == .corrected {
                    let old = Dictionary(before.view.jsonMembers(actorNames: names), uniquingKeysWith: { first, _ in first })
                    let new = Dictionary(after.view.jsonMembers(actorNames: names), uniquingKeysWith: { first, _ in first })
                    for name in TimelineChanges.comparedFields where old[name] != new[name] {
                        fields.append(.init(name: name, before: old[name] ?? .null, after: new[name] ?? .null))
                    }
                }
                changes.append(.init(kind: kind, fact: id, before: before, after: after, fields: fields, causes: causes[id, default: []]))
            }
            return TimelineChanges(since: from, until: to, changes: changes, actorNames: names)
        }
    }
}
