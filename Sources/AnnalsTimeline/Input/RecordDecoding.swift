import AnnalsDomain
import AnnalsLog
import AnnalsTimelineProjections

/// One record of an input, in input order, with where it came from.
enum InputRecord: Sendable {
    case article(ArticleRecord, SourceLocation)
    case actor(ActorDeclaration, SourceLocation)
    case fact(FactAssertion, SourceLocation)
    case correction(FactCorrection, SourceLocation)
    case retraction(FactRetraction, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .article(_, let location), .actor(_, let location), .fact(_, let location),
             .correction(_, let location), .retraction(_, let location):
            location
        }
    }

    /// The article the record belongs to, when it belongs to one.
    var article: String? {
        switch self {
        case .article(let article, _): article.id
        case .fact(let fact, _): fact.article
        case .correction(let correction, _): correction.article
        case .retraction(let retraction, _): retraction.article
        case .actor: nil
        }
    }
}

/// An actor declared by an input: new (with name and kind) or known (aliases only).
struct ActorDeclaration: Sendable, Hashable {
    var id: String
    var name: String?
    var kind: ActorKind?
    var aliases: [String]

    /// Every name the declaration gives, display name first.
    var names: [String] { (name.map { [$0] } ?? []) + aliases }
}

/// Builds records from parsed nodes. YAML and JSON Lines share these, so a field means the same
/// and fails with the same words in both.
enum RecordDecoder {
    static let factFields = ["id", "kind", "when", "said", "summary", "actors", "quantities", "place", "quote"]
    static let correctionFields = ["fact", "fields", "reason", "quote"]
    static let retractionFields = ["fact", "reason", "quote"]
    static let correctableFields = ["kind", "when", "said", "summary", "actors", "quantities", "place"]
    static func article(_ reader: ObjectReader, text: String, textField: String, location: SourceLocation) throws(InputError) -> ArticleRecord {
        // Bytes, as for a text in its own file: the same text is refused or accepted in both forms.
        guard text.utf8.count <= InputLimits.articleTextBytes else {
            throw InputError(file: location.file, line: location.line, field: textField,
                             message: "the article text is \(grouped(text.utf8.count)) bytes long; \(InputFile.sizeLimit("an article text", InputLimits.articleTextBytes))")
        }
        if let problem = textProblem(text, singleLine: false, maximumLength: InputLimits.articleTextBytes) {
            throw InputError(file: location.file, line: location.line, field: textField, message: "the article text \(problem)")
        }
        guard !isBlank(text) else {
            throw InputError(file: location.file, line: location.line, field: textField, message: "the article text is empty")
        }
        var url = try reader.optionalString("url", maximumLength: 2000)
        if let given = url {
            guard given.hasPrefix("http://") || given.hasPrefix("https://"), !given.contains(" ") else {
                throw reader.error("url", "\(shown(given)) is not an http(s) URL")
            }
        } else {
            url = nil
        }
        return ArticleRecord(
            id: try reader.identifier("id"), title: try reader.string("title", maximumLength: 300),
            publisher: try reader.string("publisher", maximumLength: 200), published: try reader.validTime("published"),
            url: url, contentHash: contentHash(of: text), text: text)
    }

    /// SHA-256 of `text`'s UTF-8, hashed in place.
    private static func contentHash(of text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { SHA256Hash.digest(of: UnsafeRawBufferPointer($0)) }
    }

    static func actor(_ reader: ObjectReader, idField: String) throws(InputError) -> ActorDeclaration {
        let declaration = ActorDeclaration(
            id: try reader.identifier(idField),
            name: try reader.optionalString("name", maximumLength: ActorName.maximumLength),
            kind: try reader.optionalVocabulary("kind", ActorKind.self),
            aliases: try reader.stringList("aliases", maximumLength: ActorName.maximumLength, maximumCount: InputLimits.namesPerActor, noun: "names",
                                           limit: "an actor has at most \(grouped(InputLimits.namesPerActor)) names (its display name and aliases)"))
        if declaration.name == nil && declaration.aliases.isEmpty {
            throw reader.error("aliases", "is missing; an actor needs a name or at least one alias")
        }
        return declaration
    }

    static func fact(_ reader: ObjectReader, article: String) throws(InputError) -> FactAssertion {
        FactAssertion(
            article: article, fact: try reader.identifier("id"), kind: try reader.vocabulary("kind", FactKind.self),
            when: try reader.validTime("when"), said: try reader.optionalString("said", maximumLength: 200),
            summary: try reader.string("summary", maximumLength: 200), actors: try involvements(reader, "actors"),
            quantities: try quantities(reader, "quantities"), place: try reader.optionalString("place", maximumLength: 200),
            quote: try reader.string("quote", singleLine: false, maximumLength: 2000))
    }

    static func correction(_ reader: ObjectReader, article: String) throws(InputError) -> FactCorrection {
        guard let fieldsNode = reader.present("fields") else { throw reader.error("fields", "is missing; it is required") }
        let fieldsReader = try ObjectReader(fieldsNode, file: reader.file, path: reader.fieldPath("fields"), allowed: correctableFields)
        let fields = FactFields(
            kind: try fieldsReader.optionalVocabulary("kind", FactKind.self), when: try fieldsReader.optionalValidTime("when"),
            said: try fieldsReader.optionalString("said", maximumLength: 200), summary: try fieldsReader.optionalString("summary", maximumLength: 200),
            actors: fieldsReader.has("actors") ? try involvements(fieldsReader, "actors") : nil,
            quantities: fieldsReader.has("quantities") ? try quantities(fieldsReader, "quantities") : nil,
            place: try fieldsReader.optionalString("place", maximumLength: 200))
        guard !fields.isEmpty else {
            throw reader.error("fields", "names no field; expected at least one of \(correctableFields.joined(separator: ", "))")
        }
        return FactCorrection(
            article: article, fact: try reader.identifier("fact"), fields: fields,
            reason: try reader.string("reason", maximumLength: 500), quote: try reader.optionalString("quote", singleLine: false, maximumLength: 2000))
    }

    static func retraction(_ reader: ObjectReader, article: String) throws(InputError) -> FactRetraction {
        FactRetraction(
            article: article, fact: try reader.identifier("fact"), reason: try reader.string("reason", maximumLength: 500),
            quote: try reader.optionalString("quote", singleLine: false, maximumLength: 2000))
    }

    private static func involvements(_ reader: ObjectReader, _ key: String) throws(InputError) -> [ActorInvolvement] {
        let elements = try reader.elements(key)
        guard elements.count <= InputLimits.actorsPerFact else {
            throw reader.error(key, "names \(grouped(elements.count)) actors; a fact names at most \(grouped(InputLimits.actorsPerFact))")
        }
        var result: [ActorInvolvement] = []
        result.reserveCapacity(elements.count)
        // A fact names a few actors: comparing with the earlier ones beats hashing them, and a
        // set keeps a long list linear.
        var seen: Set<ActorInvolvement>? = elements.count > fewElements ? [] : nil
        for (index, node) in elements.enumerated() {
            let entry = try ObjectReader(node, file: reader.file, location: reader.elementPath(key, index), allowed: involvementFields)
            let involvement = ActorInvolvement(actor: try entry.identifier("actor"), role: try entry.vocabulary("role", ActorRole.self))
            let repeated = if seen != nil { !seen!.insert(involvement).inserted } else { result.contains(involvement) }
            guard !repeated else {
                throw InputError(file: reader.file, line: node.line, field: entry.path, message: "repeats actor \(involvement.actor) as \(involvement.role)")
            }
            result.append(involvement)
        }
        return result
    }

    /// How many elements a list may have before duplicates are found by hashing, not comparing.
    private static let fewElements = 16
    private static let involvementFields = ["actor", "role"]
    private static let quantityFields = ["name", "value", "unit", "approximate"]

    private static func quantities(_ reader: ObjectReader, _ key: String) throws(InputError) -> [Quantity] {
        let elements = try reader.elements(key)
        guard elements.count <= InputLimits.quantitiesPerFact else {
            throw reader.error(key, "gives \(grouped(elements.count)) quantities; a fact gives at most \(grouped(InputLimits.quantitiesPerFact))")
        }
        var result: [Quantity] = []
        result.reserveCapacity(elements.count)
        var names: Set<String>? = elements.count > fewElements ? [] : nil
        for (index, node) in elements.enumerated() {
            let entry = try ObjectReader(node, file: reader.file, location: reader.elementPath(key, index), allowed: quantityFields)
            let name = try entry.string("name", maximumLength: 40)
            guard Quantity.isValidName(name) else {
                throw entry.error("name", "\(shown(name)) is not a quantity name; expected a-z, 0-9 and -")
            }
            let repeated = if names != nil { !names!.insert(name).inserted } else { result.contains { $0.name == name } }
            guard !repeated else { throw entry.error("name", "\(name) is given twice") }
            let unitText = try entry.string("unit", maximumLength: 40)
            let unit: QuantityUnit
            switch QuantityUnit.parse(unitText) {
            case .success(let parsed): unit = parsed
            case .failure(let problem): throw entry.error("unit", problem.description)
            }
            result.append(Quantity(name: name, value: try entry.decimal("value"), unit: unit, isApproximate: try entry.bool("approximate", default: false)))
        }
        return result
    }
}
