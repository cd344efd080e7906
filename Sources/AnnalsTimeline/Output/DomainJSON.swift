import AnnalsLog

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

extension FactView {
    func jsonMembers(actorNames: [String: String]) -> [(String, JSONValue)] {
        [
            ("fact", .string(id)),
            ("kind", .string(kind.rawValue)),
            ("when", .string(when.description)),
            ("start", when.start == .min ? .null : .string(Timestamp(microsecondsSinceEpoch: when.start * 1_000_000).formatted(fractionalDigits: 0))),
            ("end", when.end == .max ? .null : .string(Timestamp(microsecondsSinceEpoch: when.end * 1_000_000).formatted(fractionalDigits: 0))),
            ("approximate", .bool(when.isApproximate)),
            ("said", .optional(said)),
            ("summary", .string(summary)),
            ("actors", .array(actors.map { involvement in
                .object([("id", .string(involvement.actor)), ("name", .optional(actorNames[involvement.actor])), ("role", .string(involvement.role.rawValue))])
            })),
            ("quantities", .array(quantities.map(\.json))),
            ("place", .optional(place)),
            ("sources", .array(sources.map { source in
                .object([
                    ("article", .string(source.assertion.article)), ("quote", .string(source.assertion.quote)),
                    ("when", .string(source.assertion.when.description)), ("position", .integer(source.position)),
                ])
            })),
            ("conflicts", .array(conflicts.map { conflict in
                .object([
                    ("field", .string(conflict.field)), ("kind", .string(conflict.kind.rawValue)),
                    ("values", .array(conflict.values.map { .object([("article", .string($0.article)), ("value", .string($0.value))]) })),
                ])
            })),
            ("corrections", .array(corrections.map { entry in
                .object([
                    ("article", .string(entry.correction.article)), ("fields", .array(entry.correction.fields.names.map { .string($0) })),
                    ("reason", .string(entry.correction.reason)), ("position", .integer(entry.position)),
                ])
            })),
            ("retracted", retraction.map { entry in
                .object([("article", .string(entry.retraction.article)), ("reason", .string(entry.retraction.reason)), ("position", .integer(entry.position))])
            } ?? .null),
            ("position", .integer(lastPosition)),
        ]
    }

    /// The view as a JSON object (see ``TimelineEntry/json(actorNames:)``).
    public func json(actorNames: [String: String]) -> JSONValue { .object(jsonMembers(actorNames: actorNames)) }
}

extension Quantity {
    public var json: JSONValue {
        .object([("name", .string(name)), ("value", .number(value.description)), ("unit", .string(unit.symbol)), ("approximate", .bool(isApproximate))])
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

/// Readable summaries and JSON for the log's events, decoded when they are domain events.
public enum DomainEventDescription {
    /// One line about the event: an article's title, a fact's summary, an actor's name.
    public static func summary(_ event: EventView) -> String {
        do {
            if event.hasType(DomainEventType.articleRecorded) {
                let article = try ArticleRecord(event)
                return "\(article.publisher), \(article.published): \(article.title)"
            }
            if event.hasType(DomainEventType.actorNamed) {
                let naming = try ActorNaming(event)
                return "\(naming.name) (\(naming.kind))"
            }
            if event.hasType(DomainEventType.actorAliased) {
                let aliasing = try ActorAliasing(event)
                return "\(aliasing.actor) is also \(String(reflecting: aliasing.alias))"
            }
            if let fact = try FactEvent(event) {
                switch fact {
                case .asserted(let assertion): return "\(assertion.fact) [\(assertion.when)] \(assertion.summary)"
                case .corrected(let correction): return "\(correction.fact): corrects \(correction.fields.names.joined(separator: ", ")) — \(correction.reason)"
                case .retracted(let retraction): return "\(retraction.fact): retracted — \(retraction.reason)"
                }
            }
            return "\(event.payload.count) bytes"
        } catch {
            return "undecodable payload: \(error)"
        }
    }

    /// The event's envelope and decoded payload as JSON.
    public static func json(_ event: EventView) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("position", .integer(event.position)), ("recorded_at", .string(event.recordedAt.description)),
            ("type", .string(event.type)), ("id", .string(event.id)), ("schema_version", .integer(event.schemaVersion)),
        ]
        let metadata = event.metadata
        members.append(("source", .optional(metadata.source)))
        members.append(("correlation_id", .optional(metadata.correlationID)))
        members.append(("causation_id", .optional(metadata.causationID)))
        members.append(("payload", payloadJSON(event)))
        return .object(members)
    }

    private static func payloadJSON(_ event: EventView) -> JSONValue {
        do {
            if event.hasType(DomainEventType.articleRecorded) {
                let article = try ArticleRecord(event)
                return .object([
                    ("id", .string(article.id)), ("title", .string(article.title)), ("publisher", .string(article.publisher)),
                    ("published", .string(article.published.description)), ("url", .optional(article.url)),
                    ("content_sha256", .string(article.contentHash.map { hex($0) }.joined())), ("text", .string(article.text)),
                ])
            }
            if event.hasType(DomainEventType.actorNamed) {
                let naming = try ActorNaming(event)
                return .object([("actor", .string(naming.actor)), ("name", .string(naming.name)), ("kind", .string(naming.kind.rawValue))])
            }
            if event.hasType(DomainEventType.actorAliased) {
                let aliasing = try ActorAliasing(event)
                return .object([("actor", .string(aliasing.actor)), ("alias", .string(aliasing.alias))])
            }
            if let fact = try FactEvent(event) {
                switch fact {
                case .asserted(let assertion):
                    return .object([
                        ("article", .string(assertion.article)), ("fact", .string(assertion.fact)), ("kind", .string(assertion.kind.rawValue)),
                        ("when", .string(assertion.when.description)), ("said", .optional(assertion.said)), ("summary", .string(assertion.summary)),
                        ("actors", .array(assertion.actors.map { .object([("actor", .string($0.actor)), ("role", .string($0.role.rawValue))]) })),
                        ("quantities", .array(assertion.quantities.map(\.json))), ("place", .optional(assertion.place)),
                        ("quote", .string(assertion.quote)),
                    ])
                case .corrected(let correction):
                    return .object([
                        ("article", .string(correction.article)), ("fact", .string(correction.fact)),
                        ("fields", .array(correction.fields.names.map { .string($0) })), ("reason", .string(correction.reason)),
                        ("quote", .optional(correction.quote)),
                    ])
                case .retracted(let retraction):
                    return .object([
                        ("article", .string(retraction.article)), ("fact", .string(retraction.fact)),
                        ("reason", .string(retraction.reason)), ("quote", .optional(retraction.quote)),
                    ])
                }
            }
            return .object([("bytes", .integer(event.payload.count))])
        } catch {
            return .object([("error", .string(String(describing: error)))])
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
