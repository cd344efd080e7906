import AnnalsLog
import Synchronization

/// The event types the news domain writes, and their current schema versions.
public enum DomainEventType {
    public static let articleRecorded: EventTypeName = "article.recorded"
    public static let actorNamed: EventTypeName = "actor.named"
    public static let actorAliased: EventTypeName = "actor.aliased"
    public static let factAsserted: EventTypeName = "fact.asserted"
    public static let factCorrected: EventTypeName = "fact.corrected"
    public static let factRetracted: EventTypeName = "fact.retracted"
    public static let projectionDefined: EventTypeName = "projection.defined"
    public static let projectionDropped: EventTypeName = "projection.dropped"

    public static let all: [EventTypeName] = [
        articleRecorded, actorNamed, actorAliased, factAsserted, factCorrected, factRetracted, projectionDefined, projectionDropped,
    ]
    /// The record each type carries, in the order of ``all``.
    static let recordTypes: [any EventRecord.Type] = [
        ArticleRecord.self, ActorNaming.self, ActorAliasing.self, FactAssertion.self, FactCorrection.self, FactRetraction.self,
        ProjectionDefined.self, ProjectionDropped.self,
    ]
    /// The types that define and drop declared projections.
    public static let projectionEvents: [EventTypeName] = [projectionDefined, projectionDropped]
    /// Every type that changes a fact.
    public static let factEvents: [EventTypeName] = [factAsserted, factCorrected, factRetracted]

    /// The schema version written for every type today.
    public static let schemaVersion: UInt32 = 1

    /// The payload of a `type` event whose record ``DomainEventDescription`` showed as `json`;
    /// `nil` when `type` is not a domain event type.
    package static func payload(type: String, json: JSONValue) -> Result<[UInt8], RecordJSONProblem>? {
        let name = EventTypeName(type)
        guard let record = recordTypes.first(where: { $0.eventType == name }) else { return nil }
        return encodedPayload(record, json: json)
    }

    /// Why `event`'s payload does not decode as its type says, or `nil` when it does or when the
    /// type is not a domain type of today's schema version (whose payload Annals keeps as bytes):
    /// the check a record that arrives whole, rather than as fields, gets before it is stored.
    public static func payloadProblem(of event: EventView) -> PayloadError? {
        guard event.schemaVersion == schemaVersion else { return nil }
        for record in recordTypes where event.hasType(record.eventType) {
            do {
                _ = try record.init(payload: event.payload)
                return nil
            } catch {
                return error
            }
        }
        return nil
    }

    private static func encodedPayload<Record: EventRecord>(_ record: Record.Type, json: JSONValue) -> Result<[UInt8], RecordJSONProblem> {
        Record.parse(json: json).map { $0.encoded() }
    }
}

/// The log ids of domain events: derived from the input, so ingesting the same input twice
/// appends nothing, and scoped by article, so one article's events sit together in the id index.
public enum DomainEventID {
    public static func article(_ article: String) -> String { Spelling.article(article).string }
    public static func assertion(article: String, fact: String) -> String { Spelling.assertion(article: article, fact: fact).string }
    public static func correction(article: String, fact: String) -> String { Spelling.correction(article: article, fact: fact).string }
    public static func retraction(article: String, fact: String) -> String { Spelling.retraction(article: article, fact: fact).string }
    public static func actor(_ actor: String) -> String { Spelling.actor(actor).string }
    /// The `sequence`th definition or drop of declared projection `name` (1 for the first).
    public static func projection(_ name: String, sequence: Int) -> String { "projection/\(name)/\(sequence)" }
    public static func alias(actor: String, alias: String) -> String { Spelling.alias(actor: actor, alias: alias).string }

    /// An id as the parts it is joined from, not yet joined: the one description of each kind
    /// of id, which gives it as a string or writes its bytes into a buffer that a writer of many
    /// events reuses (ingest makes an id per record).
    public struct Spelling: Sendable {
        private let parts: (String, String, String, String)

        private init(_ a: String, _ b: String, _ c: String = "", _ d: String = "") { parts = (a, b, c, d) }

        public static func article(_ article: String) -> Spelling { Spelling("article/", article) }
        public static func assertion(article: String, fact: String) -> Spelling { Spelling("article/", article, "/asserts/", fact) }
        public static func correction(article: String, fact: String) -> Spelling { Spelling("article/", article, "/corrects/", fact) }
        public static func retraction(article: String, fact: String) -> Spelling { Spelling("article/", article, "/retracts/", fact) }
        public static func actor(_ actor: String) -> Spelling { Spelling("actor/", actor) }
        public static func alias(actor: String, alias: String) -> Spelling { Spelling.alias(actor: actor, aliasKey: ActorName.key(alias)) }
        /// The id of an alias whose lookup key (``ActorName/key(_:)``) the caller has made
        /// already: folding a name again costs an allocation for most names.
        public static func alias(actor: String, aliasKey: String) -> Spelling { Spelling("actor/", actor, "/alias/", aliasKey) }

        /// The id's length in UTF-8.
        public var utf8Count: Int { parts.0.utf8.count + parts.1.utf8.count + parts.2.utf8.count + parts.3.utf8.count }

        /// The id, in a string allocated once at its final size (interpolation guesses a size
        /// and grows, which for ids costs two or three allocations each).
        public var string: String {
            var id = String()
            id.reserveCapacity(utf8Count)
            id.append(parts.0)
            id.append(parts.1)
            id.append(parts.2)
            id.append(parts.3)
            return id
        }

        /// Writes the id's UTF-8 into `bytes`, emptied first and its storage kept.
        public func write(into bytes: inout [UInt8]) {
            bytes.removeAll(keepingCapacity: true)
            bytes.reserveCapacity(utf8Count)
            bytes.append(contentsOf: parts.0.utf8)
            bytes.append(contentsOf: parts.1.utf8)
            bytes.append(contentsOf: parts.2.utf8)
            bytes.append(contentsOf: parts.3.utf8)
        }
    }
}

/// Actor names are matched whatever their Unicode form and case, with runs of whitespace folded:
/// "José Andrés" written with composed or decomposed accents, "JOSÉ ANDRÉS", "STRASSE" and
/// "Straße" are each one name.
public enum ActorName {
    public static let maximumLength = 120

    /// The lookup key of a name: whitespace runs folded to one space and trimmed, case folded,
    /// then in Unicode Normalization Form C.
    ///
    /// Case folding is done as lowercase-of-uppercase, which maps every case variant of a
    /// letter, the special ones included (`ß` and `ẞ` to `ss`, final `ς` to `σ`, ligatures such
    /// as `ﬁ` to `fi`), to one form.
    public static func key(_ name: String) -> String {
        enum Folding {
            /// The name is its own key (ASCII, lowercase, single spaces between words).
            case unchanged
            case ascii(String)
            case unicode
        }
        var name = name
        // ASCII needs neither normalising nor the full case mapping: folding A–Z is all of it,
        // done straight into the key's storage.
        let folding: Folding = name.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return .unicode }
            if isWhitespaceFolded(bytes), !bytes.contains(where: { upperCase.contains($0) }) { return .unchanged }
            return .ascii(String(unsafeUninitializedCapacity: bytes.count) { foldASCII(bytes, into: $0) })
        }
        switch folding {
        case .unchanged: return name
        case .ascii(let key): return key
        case .unicode: return withNFCBytes(foldWhitespace(name).uppercased().lowercased()) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the UTF-8 of the name's lookup key (``key(_:)``). An ASCII name is
    /// folded into a buffer on the stack: a key that is only handed to the store needs no
    /// string of its own, which for most names would be an allocation.
    public static func withKey<R, E: Error>(_ name: String, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var name = name
        let result: Result<R, E> = name.withUTF8 { utf8 in
            do throws(E) { return .success(try withKey(utf8: UnsafeRawBufferPointer(utf8), body)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Calls `body` with the UTF-8 of the lookup key of the name whose UTF-8 is `name`, as
    /// ``withKey(_:_:)`` does: for a name read in place, which needs no string unless it is not ASCII.
    public static func withKey<R, E: Error>(utf8 name: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let bytes = name.assumingMemoryBound(to: UInt8.self)
        if !bytes.contains(where: { $0 >= 0x80 }) {
            let folded: Result<R, E> = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { key -> Result<R, E> in
                let count = foldASCII(bytes, into: key)
                let folded = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: key[..<count]))
                do throws(E) { return .success(try body(folded)) } catch { return .failure(error) }
            }
            return try folded.get()
        }
        var key = key(String(decoding: name, as: UTF8.self))
        let result: Result<R, E> = key.withUTF8 { utf8 in
            do throws(E) { return .success(try body(UnsafeRawBufferPointer(utf8))) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private static let upperCase = UInt8(ascii: "A")...UInt8(ascii: "Z")

    /// Writes the key of ASCII name `bytes` into `key`, which has room for as many bytes, and
    /// returns its length: whitespace folded, then A–Z lowercased.
    private static func foldASCII(_ bytes: UnsafeBufferPointer<UInt8>, into key: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let count = foldWhitespace(bytes, into: key)
        for index in 0..<count where upperCase.contains(key[index]) { key[index] |= 0x20 }
        return count
    }
}

// MARK: Records

/// An article: the source document facts cite.
public struct ArticleRecord: Sendable, Hashable {
    public var id: String
    public var title: String
    public var publisher: String
    public var published: ValidTime
    public var url: String?
    /// SHA-256 of the text's UTF-8 bytes.
    public var contentHash: [UInt8]
    public var text: String

    public init(id: String, title: String, publisher: String, published: ValidTime, url: String? = nil, contentHash: [UInt8], text: String) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.published = published
        self.url = url
        self.contentHash = contentHash
        self.text = text
    }
}

/// The first naming of an actor.
public struct ActorNaming: Sendable, Hashable {
    public var actor: String
    public var name: String
    public var kind: ActorKind

    public init(actor: String, name: String, kind: ActorKind) {
        self.actor = actor
        self.name = name
        self.kind = kind
    }
}

/// A further name for a known actor.
public struct ActorAliasing: Sendable, Hashable {
    public var actor: String
    public var alias: String

    public init(actor: String, alias: String) {
        self.actor = actor
        self.alias = alias
    }
}

/// An actor and the part it plays in a fact.
public struct ActorInvolvement: Sendable, Hashable {
    public var actor: String
    public var role: ActorRole

    public init(actor: String, role: ActorRole) {
        self.actor = actor
        self.role = role
    }
}

/// An article asserting a fact.
public struct FactAssertion: Sendable, Hashable {
    public var article: String
    public var fact: String
    public var kind: FactKind
    public var when: ValidTime
    /// The article's own words for the date, when it gave a relative one ("on Wednesday").
    public var said: String?
    public var summary: String
    public var actors: [ActorInvolvement]
    public var quantities: [Quantity]
    public var place: String?
    /// The verbatim text of the article that supports the fact.
    public var quote: String

    public init(article: String, fact: String, kind: FactKind, when: ValidTime, said: String? = nil, summary: String, actors: [ActorInvolvement], quantities: [Quantity], place: String? = nil, quote: String) {
        self.article = article
        self.fact = fact
        self.kind = kind
        self.when = when
        self.said = said
        self.summary = summary
        self.actors = actors
        self.quantities = quantities
        self.place = place
        self.quote = quote
    }

    /// The quantity called `name`, if the fact has one.
    public func quantity(named name: String) -> Quantity? { quantities.first { $0.name == name } }
    /// The ids of the actors playing `role`.
    public func actors(withRole role: ActorRole) -> [String] { actors.filter { $0.role == role }.map(\.actor) }
}

/// The fields of a fact a correction replaces; `nil` leaves a field as it was.
public struct FactFields: Sendable, Hashable {
    public var kind: FactKind?
    public var when: ValidTime?
    public var said: String?
    public var summary: String?
    public var actors: [ActorInvolvement]?
    public var quantities: [Quantity]?
    public var place: String?

    public init(kind: FactKind? = nil, when: ValidTime? = nil, said: String? = nil, summary: String? = nil,
                actors: [ActorInvolvement]? = nil, quantities: [Quantity]? = nil, place: String? = nil) {
        self.kind = kind
        self.when = when
        self.said = said
        self.summary = summary
        self.actors = actors
        self.quantities = quantities
        self.place = place
    }

    public var isEmpty: Bool {
        kind == nil && when == nil && said == nil && summary == nil && actors == nil && quantities == nil && place == nil
    }

    /// The names of the fields set, in payload order.
    public var names: [String] {
        Self.correctable.filter { $0.isPresent(self) }.map(\.name)
    }
}

/// An article correcting fields of an earlier fact, from its own position in the log on.
public struct FactCorrection: Sendable, Hashable {
    public var article: String
    public var fact: String
    public var fields: FactFields
    public var reason: String
    public var quote: String?

    public init(article: String, fact: String, fields: FactFields, reason: String, quote: String? = nil) {
        self.article = article
        self.fact = fact
        self.fields = fields
        self.reason = reason
        self.quote = quote
    }
}

/// An article withdrawing an earlier fact, from its own position in the log on.
public struct FactRetraction: Sendable, Hashable {
    public var article: String
    public var fact: String
    public var reason: String
    public var quote: String?

    public init(article: String, fact: String, reason: String, quote: String? = nil) {
        self.article = article
        self.fact = fact
        self.reason = reason
        self.quote = quote
    }
}

// MARK: The one description of each record

extension ArticleRecord: EventRecord {
    /// Decodes the payload of an `article.recorded` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.articleRecorded
    package static let subjectField = "id"
    package static let articleField: String? = "id"
    package static let fields: [RecordField<ArticleRecord>] = [
        RecordField("id", \.id, .text),
        RecordField("title", \.title, .text),
        RecordField("publisher", \.publisher, .text),
        RecordField("published", \.published, .validTime),
        RecordField("url", \.url, .optionalText),
        RecordField("content_sha256", \.contentHash, .sha256),
        RecordField("text", \.text, .text),
    ]
    package static let blank = ArticleRecord(id: "", title: "", publisher: "", published: .unknown, url: nil, contentHash: [], text: "")
}

extension ActorNaming: EventRecord {
    /// Decodes the payload of an `actor.named` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.actorNamed
    package static let subjectField = "actor"
    package static let articleField: String? = nil
    package static let fields: [RecordField<ActorNaming>] = [
        RecordField("actor", \.actor, .text),
        RecordField("name", \.name, .text),
        RecordField("kind", \.kind, .word),
    ]
    package static let blank = ActorNaming(actor: "", name: "", kind: .person)
}

extension ActorAliasing: EventRecord {
    /// Decodes the payload of an `actor.aliased` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.actorAliased
    package static let subjectField = "actor"
    package static let articleField: String? = nil
    package static let fields: [RecordField<ActorAliasing>] = [
        RecordField("actor", \.actor, .text),
        RecordField("alias", \.alias, .text),
    ]
    package static let blank = ActorAliasing(actor: "", alias: "")
}

extension FactAssertion: EventRecord {
    /// Decodes the payload of a `fact.asserted` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.factAsserted
    package static let subjectField = "fact"
    package static let articleField: String? = "article"

    /// Every field of a fact, in payload order. Those a correction may replace also say where
    /// ``FactFields`` keeps the replacement (for `said` and `place`, always a present value).
    static let described: [FactFieldEntry] = [
        .plain(RecordField("article", \.article, .text)),
        .plain(RecordField("fact", \.fact, .text)),
        .correctable(RecordField("kind", \.kind, .word), CorrectableField("kind", \.kind, .word)),
        .correctable(RecordField("when", \.when, .validTime), CorrectableField("when", \.when, .validTime)),
        .correctable(RecordField("said", \.said, .optionalText), CorrectableField("said", \.said, .text)),
        .correctable(RecordField("summary", \.summary, .text), CorrectableField("summary", \.summary, .text)),
        .correctable(RecordField("actors", \.actors, .involvements), CorrectableField("actors", \.actors, .involvements)),
        .correctable(RecordField("quantities", \.quantities, .quantities), CorrectableField("quantities", \.quantities, .quantities)),
        .correctable(RecordField("place", \.place, .optionalText), CorrectableField("place", \.place, .text)),
        .plain(RecordField("quote", \.quote, .text)),
    ]
    package static let fields = described.map(\.field)
    package static let blank = FactAssertion(
        article: "", fact: "", kind: .other, when: .unknown, said: nil, summary: "", actors: [], quantities: [], place: nil, quote: "")

    /// An entry of ``described``: a field, and how a correction replaces it when it may.
    enum FactFieldEntry: Sendable {
        case plain(RecordField<FactAssertion>)
        case correctable(RecordField<FactAssertion>, CorrectableField)

        var field: RecordField<FactAssertion> {
            switch self {
            case .plain(let field), .correctable(let field, _): field
            }
        }

        var correction: CorrectableField? {
            if case .correctable(_, let correction) = self { return correction }
            return nil
        }
    }
}

/// A `fact.asserted` event read in place, for a fold that needs the fact's id and the fields a
/// fact row shows and nothing else: checked field by field as decoding checks it, nothing
/// copied. Valid while the transaction that read the event lasts.
package struct FactAssertionView {
    /// The fact id's UTF-8.
    package let fact: UnsafeRawBufferPointer
    /// The correctable fields, `kind` through `place`, as the payload stores them: the encoding
    /// in which a fact row stores the fields it shows.
    package let shownFields: UnsafeRawBufferPointer
    package let kind: FactKind
    package let when: ValidTime
    /// Where the actors start in the payload, read only when asked for.
    private let payload: UnsafeRawBufferPointer
    private let actorsStart: Int

    /// Where the fact id is, and the first and last correctable fields, in the one list of a
    /// fact's fields; the correctable ones stand together.
    private static let factField = FactAssertion.fields.firstIndex { $0.name == FactAssertion.subjectField }!
    private static let shownFieldIndices: ClosedRange<Int> = {
        let correctable = FactAssertion.described.indices.filter { FactAssertion.described[$0].correction != nil }
        precondition(correctable == Array(correctable.first!...correctable.last!), "a fact's correctable fields stand together")
        return correctable.first!...correctable.last!
    }()

    /// Reads `event`: nil when it is not a `fact.asserted` event of the schema version this
    /// build writes (an older one is decoded, and upcast, by ``FactAssertion``).
    package init?(_ event: EventView) throws(PayloadError) {
        guard event.hasType(DomainEventType.factAsserted), event.schemaVersion == DomainEventType.schemaVersion else { return nil }
        let payload = event.payload
        var fact = 0..<0
        var shownStart = 0
        var shownEnd = 0
        var kindStart = 0
        var whenStart = 0
        var actorsStart = 0
        let (factField, shownFields, kindField, whenField, actorsField) = (Self.factField, Self.shownFieldIndices, Self.kindField, Self.whenField, Self.actorsField)
        try FactAssertion.forEachField(in: payload) { field, bytes in
            if field == factField { fact = bytes }
            if field == shownFields.lowerBound { shownStart = bytes.lowerBound }
            if field == shownFields.upperBound { shownEnd = bytes.upperBound }
            if field == kindField { kindStart = bytes.lowerBound }
            if field == whenField { whenStart = bytes.lowerBound }
            if field == actorsField { actorsStart = bytes.lowerBound }
        }
        var reader = PayloadReader(payload)
        reader.offset = fact.lowerBound
        self.fact = try reader.stringBytes()
        reader.offset = kindStart
        kind = try reader.vocabulary(FactKind.self)
        reader.offset = whenStart
        when = try reader.validTime()
        self.shownFields = UnsafeRawBufferPointer(rebasing: payload[shownStart..<shownEnd])
        self.payload = payload
        self.actorsStart = actorsStart
    }

    /// Calls `body` with each of the fact's actors and its role, in order, without building a
    /// list of them.
    package func forEachActor(_ body: (_ actor: String, _ role: ActorRole) -> Void) throws(PayloadError) {
        var reader = PayloadReader(payload)
        reader.offset = actorsStart
        for _ in 0..<(try reader.count(limit: PayloadReader.maximumActors)) {
            let actor = try reader.string()
            body(actor, try reader.vocabulary(ActorRole.self))
        }
    }

    private static let kindField = FactAssertion.fields.firstIndex { $0.name == "kind" }!
    private static let whenField = FactAssertion.fields.firstIndex { $0.name == "when" }!
    private static let actorsField = FactAssertion.fields.firstIndex { $0.name == "actors" }!
}

extension FactFields {
    /// The fields a correction may replace, in payload order.
    static let correctable = FactAssertion.described.compactMap(\.correction)
    /// Their names, in payload order: `kind, when, said, summary, actors, quantities, place`.
    public static let correctableNames = correctable.map(\.name)
}

extension FactCorrection: EventRecord {
    /// Decodes the payload of a `fact.corrected` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.factCorrected
    package static let subjectField = "fact"
    package static let articleField: String? = "article"
    package static let fields: [RecordField<FactCorrection>] = [
        RecordField("article", \.article, .text),
        RecordField("fact", \.fact, .text),
        RecordField("fields", \.fields, .correctedFields),
        RecordField("reason", \.reason, .text),
        RecordField("quote", \.quote, .optionalText),
    ]
    package static let blank = FactCorrection(article: "", fact: "", fields: FactFields(), reason: "", quote: nil)
}

extension FactRetraction: EventRecord {
    /// Decodes the payload of a `fact.retracted` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.factRetracted
    package static let subjectField = "fact"
    package static let articleField: String? = "article"
    package static let fields: [RecordField<FactRetraction>] = [
        RecordField("article", \.article, .text),
        RecordField("fact", \.fact, .text),
        RecordField("reason", \.reason, .text),
        RecordField("quote", \.quote, .optionalText),
    ]
    package static let blank = FactRetraction(article: "", fact: "", reason: "", quote: nil)
}

/// A declared projection's definition, as `annals projection define` appends it: the name and
/// the definition's canonical text (one JSON object, written by the definition's own encoder),
/// so that the same definition written twice is the same bytes.
public struct ProjectionDefined: Sendable, Hashable {
    public var name: String
    /// The definition's canonical JSON text.
    public var definition: String

    public init(name: String, definition: String) {
        self.name = name
        self.definition = definition
    }
}

/// A declared projection dropped: its state is discarded and its name is free again.
public struct ProjectionDropped: Sendable, Hashable {
    public var name: String

    public init(name: String) { self.name = name }
}

extension ProjectionDefined: EventRecord {
    /// Decodes the payload of a `projection.defined` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.projectionDefined
    package static let subjectField = "name"
    package static let articleField: String? = nil
    package static let fields: [RecordField<ProjectionDefined>] = [
        RecordField("name", \.name, .text),
        RecordField("definition", \.definition, .text),
    ]
    package static let blank = ProjectionDefined(name: "", definition: "")
}

extension ProjectionDropped: EventRecord {
    /// Decodes the payload of a `projection.dropped` event.
    public init(_ event: EventView) throws(PayloadError) { try self.init(decoding: event) }

    package static let eventType = DomainEventType.projectionDropped
    package static let subjectField = "name"
    package static let articleField: String? = nil
    package static let fields: [RecordField<ProjectionDropped>] = [RecordField("name", \.name, .text)]
    package static let blank = ProjectionDropped(name: "")
}

// MARK: Shared field encodings

extension PayloadWriter {
    /// A valid time: shape tag (0 point; 1 interval with bit 1 = has start, bit 2 = has end), then its points.
    package mutating func validTime(_ time: ValidTime) {
        switch time.shape {
        case .point(let point):
            byte(0)
            self.point(point)
        case let .interval(from, to):
            byte(1 | (from != nil ? 2 : 0) | (to != nil ? 4 : 0))
            if let from { point(from) }
            if let to { point(to) }
        }
    }

    private mutating func point(_ point: ValidTime.Point) {
        varint(UInt64(point.year))
        byte(UInt8(point.month))
        byte(UInt8(point.day))
        varint(UInt64(point.secondOfDay))
        byte(point.precision.rawValue)
        byte(point.qualifier.rawValue)
    }

    mutating func actors(_ actors: [ActorInvolvement]) {
        varint(UInt64(actors.count))
        for actor in actors {
            string(actor.actor)
            string(actor.role.rawValue)
        }
    }

    mutating func quantities(_ quantities: [Quantity]) {
        varint(UInt64(quantities.count))
        for quantity in quantities {
            string(quantity.name)
            signed(quantity.value.significand)
            signed(Int64(quantity.value.exponent))
            string(quantity.unit.symbol)
            bool(quantity.isApproximate)
        }
    }
}

extension PayloadReader {
    package mutating func validTime() throws(PayloadError) -> ValidTime {
        let tag = try byte()
        if tag == 0 { return ValidTime(.point(try point())) }
        guard tag & 1 == 1, tag & ~7 == 0, tag & 6 != 0 else { throw .malformed("valid time tag \(tag)") }
        let from = tag & 2 != 0 ? try point() : nil
        let to = tag & 4 != 0 ? try point() : nil
        if let from, let to, to.end <= from.start { throw .malformed("an interval ends before it starts") }
        return ValidTime(.interval(from: from, to: to))
    }

    private mutating func point() throws(PayloadError) -> ValidTime.Point {
        let year = try varint()
        let month = try byte()
        let day = try byte()
        let secondOfDay = try varint()
        guard let precision = ValidTime.Point.Precision(rawValue: try byte()),
              let qualifier = ValidTime.Point.Qualifier(rawValue: try byte())
        else { throw .malformed("a date's precision or qualifier") }
        guard (1...9999).contains(year), secondOfDay < 86_400,
              precision >= .month ? (1...12).contains(month) : month == 0,
              precision >= .day ? CivilDate.isValid(year: Int64(year), month: Int64(month), day: Int64(day)) : day == 0,
              precision >= .minute || secondOfDay == 0
        else { throw .malformed("a date out of range") }
        return ValidTime.Point(year: Int(year), month: Int(month), day: Int(day), secondOfDay: Int(secondOfDay),
                               precision: precision, qualifier: qualifier)
    }

    package mutating func vocabulary<V: Vocabulary>(_ type: V.Type) throws(PayloadError) -> V {
        guard let index = try word(matching: V.encodedCases) else { throw .malformed("an unknown \(V.self)") }
        return V.storedCases[index]
    }

    /// A word of `type`'s vocabulary, checked and left in place: known words are plain ASCII.
    mutating func wordBytes<V: Vocabulary>(_ type: V.Type) throws(PayloadError) -> UnsafeRawBufferPointer {
        let start = offset
        _ = try vocabulary(type)
        var word = PayloadReader(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        return try word.stringBytes()
    }

    /// The most actors a payload's list may hold.
    static let maximumActors = 10_000

    mutating func actors() throws(PayloadError) -> [ActorInvolvement] {
        let count = try count(limit: Self.maximumActors)
        var actors: [ActorInvolvement] = []
        actors.reserveCapacity(count)
        for _ in 0..<count {
            actors.append(ActorInvolvement(actor: try string(), role: try vocabulary(ActorRole.self)))
        }
        return actors
    }

    mutating func quantities() throws(PayloadError) -> [Quantity] {
        let count = try count(limit: 10_000)
        var quantities: [Quantity] = []
        quantities.reserveCapacity(count)
        for _ in 0..<count { quantities.append(try quantity()) }
        return quantities
    }

    /// One quantity of a list that ``quantities()`` reads, after its count.
    mutating func quantity() throws(PayloadError) -> Quantity {
        let parts = try quantityParts()
        return Quantity(name: String(decoding: parts.name, as: UTF8.self), value: ExactDecimal(normalizing: parts.significand, exponent: parts.exponent),
                        unit: parts.unit, isApproximate: parts.isApproximate)
    }

    /// One quantity, checked, its name left in place: what ``quantity()`` builds from, and what
    /// stepping over a list of quantities reads.
    mutating func quantityParts() throws(PayloadError) -> (name: UnsafeRawBufferPointer, significand: Int64, exponent: Int, unit: QuantityUnit, isApproximate: Bool) {
        let name = try stringBytes()
        let significand = try signed()
        let exponent = try signed()
        guard (-128...127).contains(exponent) else { throw .malformed("a decimal exponent") }
        let unitSymbol = try string()
        guard case .success(let unit) = QuantityUnit.parse(unitSymbol) else { throw .malformed("unit \(String(reflecting: unitSymbol))") }
        return (name, significand, Int(exponent), unit, try bool())
    }
}

/// An event that changes a fact, decoded.
public enum FactEvent: Sendable, Hashable {
    case asserted(FactAssertion)
    case corrected(FactCorrection)
    case retracted(FactRetraction)

    /// Decodes a fact event; `nil` for an event of another type.
    public init?(_ event: EventView) throws(PayloadError) {
        if event.hasType(DomainEventType.factAsserted) {
            self = .asserted(try FactAssertion(event))
        } else if event.hasType(DomainEventType.factCorrected) {
            self = .corrected(try FactCorrection(event))
        } else if event.hasType(DomainEventType.factRetracted) {
            self = .retracted(try FactRetraction(event))
        } else {
            return nil
        }
    }

    /// The fact the event is about.
    public var fact: String {
        switch self {
        case .asserted(let assertion): assertion.fact
        case .corrected(let correction): correction.fact
        case .retracted(let retraction): retraction.fact
        }
    }

    /// The article that published the event.
    public var article: String {
        switch self {
        case .asserted(let assertion): assertion.article
        case .corrected(let correction): correction.article
        case .retracted(let retraction): retraction.article
        }
    }
}

/// What a fact event does to its fact.
public enum FactEventKind: Sendable, Hashable {
    case asserted, corrected, retracted
}

extension FactEvent {
    /// The fact event types with the record each carries.
    private static let kinds: [(type: EventTypeName, kind: FactEventKind, fields: [String])] = [
        (FactAssertion.eventType, .asserted, FactAssertion.fields.map(\.name)),
        (FactCorrection.eventType, .corrected, FactCorrection.fields.map(\.name)),
        (FactRetraction.eventType, .retracted, FactRetraction.fields.map(\.name)),
    ]

    /// The fields every fact record begins with, in payload order: what ``withSubject(of:_:)``
    /// reads without decoding the rest.
    static let leadingFields = ["article", "fact"]

    /// Whether every fact record begins with ``leadingFields``: checked by the tests, since the
    /// in-place read below relies on it.
    static var recordsBeginWithTheirSubject: Bool {
        kinds.allSatisfy { Array($0.fields.prefix(leadingFields.count)) == leadingFields }
    }

    /// Calls `body` with what a fact event does and the UTF-8 of the article and the fact it
    /// names, read in place from the payload (valid only inside `body`), and returns its result;
    /// `nil` for an event of another type. What an index of facts by article needs, without
    /// decoding the rest of the record (its summary, actors, quantities and quote).
    public static func withSubject<Result>(
        of event: EventView, _ body: (FactEventKind, _ article: UnsafeRawBufferPointer, _ fact: UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result? {
        guard let kind = kinds.first(where: { event.hasType($0.type) })?.kind else { return nil }
        guard event.schemaVersion == DomainEventType.schemaVersion else {
            throw PayloadError.unsupportedSchema(type: event.type, version: event.schemaVersion)
        }
        var reader = PayloadReader(event.payload)
        let article = try reader.stringBytes()
        let fact = try reader.stringBytes()
        return try body(kind, article, fact)
    }
}

/// A closed vocabulary stored in payloads by name, and matched in place when decoding.
package protocol Vocabulary: RawRepresentable, CaseIterable, SendableMetatype where RawValue == String {
    /// Each case's name as UTF-8, in `allCases` order.
    static var encodedCases: [[UInt8]] { get }
    /// `allCases`, made once: decoding picks a case by its index, and the subscript of
    /// `allCases` reached from generic code allocates on every call.
    static var storedCases: [Self] { get }
}

extension FactKind: Vocabulary {
    package static let encodedCases = allCases.map { Array($0.rawValue.utf8) }
    package static let storedCases = allCases
}

extension ActorRole: Vocabulary {
    package static let encodedCases = allCases.map { Array($0.rawValue.utf8) }
    package static let storedCases = allCases
}

extension ActorKind: Vocabulary {
    package static let encodedCases = allCases.map { Array($0.rawValue.utf8) }
    package static let storedCases = allCases
}
