import AnnalsLog
import AnnalsDomain
import AnnalsTimelineProjections

extension TimelineEntry {
    /// The entry as documented in `docs/QUERIES.md`:
    /// `{"fact", "kind", "when", "start", "end", "approximate", "said", "summary", "actors", "quantities",
    /// "place", "sources", "conflicts", "corrections", "retracted", "position", "version", "recorded_at"}`.
    public func json(actorNames: [String: String]) -> JSONValue {
        var members = view.jsonMembers(actorNames: actorNames)
        members.append(("version", .integer(version)))
        members.append(("recorded_at", .string(recordedAt.description)))
        if !roles.isEmpty { members.append(("roles", .array(roles.map { .string($0.rawValue) }))) }
        return .object(members)
    }
}

extension ActorRecord {
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("name", .string(name)), ("kind", .string(kind.rawValue)),
            ("aliases", .array(aliases.map { .string($0) })), ("facts", .integer(liveFacts)), ("position", .integer(position)),
        ])
    }
}

extension ArticleSummary {
    /// The article as documented in `docs/QUERIES.md` (`annals sources`), without its fact count.
    public var jsonMembers: [(String, JSONValue)] {
        [
            ("id", .string(id)), ("title", .string(title)), ("publisher", .string(publisher)),
            ("published", .string(published.description)), ("url", .optional(url)),
            ("position", .integer(position)), ("recorded_at", .string(recordedAt.description)),
        ]
    }
}
