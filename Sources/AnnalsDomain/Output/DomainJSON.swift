import AnnalsLog

extension FactView {
    package func jsonMembers(actorNames: [String: String]) -> [(String, JSONValue)] {
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
                .object([("position", .integer(source.position))] + Self.members(of: source.assertion, dropping: ["fact"]))
            })),
            ("conflicts", .array(conflicts.map { conflict in
                .object([
                    ("field", .string(conflict.field)), ("kind", .string(conflict.kind.rawValue)),
                    ("values", .array(conflict.values.map { .object([("article", .string($0.article)), ("value", .string($0.value))]) })),
                ])
            })),
            ("corrections", .array(corrections.map { entry in
                .object([("position", .integer(entry.position))] + Self.members(of: entry.correction, dropping: ["fact"]))
            })),
            ("retracted", retraction.map { entry in
                .object([("position", .integer(entry.position))] + Self.members(of: entry.retraction, dropping: ["fact"]))
            } ?? .null),
            ("position", .integer(lastPosition)),
        ]
    }

    /// The JSON members of one of the fact's events, without those the fact already shows.
    private static func members(of record: some EventRecord, dropping names: Set<String>) -> [(String, JSONValue)] {
        guard case .object(let members) = record.json else { return [] }
        return members.filter { !names.contains($0.0) }
    }

    /// The view as a JSON object (see ``TimelineEntry/json(actorNames:)``).
    public func json(actorNames: [String: String]) -> JSONValue { .object(jsonMembers(actorNames: actorNames)) }
}

extension Quantity {
    public var json: JSONValue {
        .object([("name", .string(name)), ("value", .number(value.description)), ("unit", .string(unit.symbol)), ("approximate", .bool(isApproximate))])
    }

    /// The quantity ``json`` renders, or `nil` for any other JSON.
    init?(json: JSONValue) {
        guard case .object(let members) = json, members.count == 4,
              case .string(let name)? = members.first(where: { $0.0 == "name" })?.1,
              case .number(let number)? = members.first(where: { $0.0 == "value" })?.1,
              case .string(let symbol)? = members.first(where: { $0.0 == "unit" })?.1,
              case .bool(let approximate)? = members.first(where: { $0.0 == "approximate" })?.1,
              let value = try? ExactDecimal(parsing: number), case .success(let unit) = QuantityUnit.parse(symbol)
        else { return nil }
        self.init(name: name, value: value, unit: unit, isApproximate: approximate)
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
            if event.hasType(DomainEventType.projectionDefined) {
                return "projection \(try ProjectionDefined(event).name) defined"
            }
            if event.hasType(DomainEventType.projectionDropped) {
                return "projection \(try ProjectionDropped(event).name) dropped"
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

    /// The payload as its record's JSON: every field, by the record's one description.
    private static func payloadJSON(_ event: EventView) -> JSONValue {
        for type in DomainEventType.recordTypes where event.hasType(type.eventType) {
            do {
                return try type.init(decoding: event).json
            } catch {
                return .object([("error", .string(String(describing: error)))])
            }
        }
        return .object([("bytes", .integer(event.payload.count))])
    }
}
