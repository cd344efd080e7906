import AnnalsDomain
import AnnalsProjections
import AnnalsTimelineProjections

/// A projection file (docs/PROJECTIONS.md): YAML — or JSON, which YAML reads too — describing a
/// ``DeclaredDefinition``. The same reader takes the canonical JSON the log stores, so a stored
/// definition means exactly what the file did.
public struct ProjectionFile: Sendable {
    public let definition: DeclaredDefinition
    /// The file as messages name it.
    public let file: String
    /// The line of the `name` field.
    let nameLine: Int
    /// Where each quantity the file names is, for the check against the store's quantities.
    let quantityReferences: [(name: String, line: Int, field: String)]
    /// Where each `unit` is, with the quantity it converts, for the check that it is a duration.
    let unitReferences: [(quantity: String, unit: QuantityUnit.DurationUnit, line: Int, field: String)]

    /// A projection file is a page of YAML; this bounds what a hostile one can cost.
    static let maximumBytes = 64 << 10
    static let maximumListLength = 1000

    /// Reads and checks the projection file at `path`, shown as `displayPath` in messages.
    public init(path: String, displayPath: String? = nil) throws(InputError) {
        let shownPath = displayPath ?? path
        let text = try InputFile.readText(path: path, displayPath: shownPath, maximumBytes: Self.maximumBytes, what: "a projection file")
        try self.init(yaml: text, file: shownPath)
    }

    /// Parses the text of a projection file (`file` names it in messages).
    public init(yaml text: String, file: String) throws(InputError) {
        let tree = try YAMLDocument.tree(yaml: text, file: file, documents: "projection files", expected: "a projection file")
        try self.init(tree, file: file)
    }

    init(_ tree: InputNode, file: String) throws(InputError) {
        typealias Field = DeclaredDefinition.Field
        let top = try ObjectReader(tree, file: file, path: "", allowed: Field.top)
        guard let nameNode = top.present(Field.name) else { throw top.error(Field.name, "is missing; a projection needs a name") }
        let name = try top.string(Field.name, maximumLength: 100)
        guard ProjectionEngine.isValidName(name) else {
            throw top.error(Field.name, "\(shown(name)) is not a projection name; expected 1 to 40 characters of a-z, 0-9 and -", line: nameNode.line)
        }
        let description = try top.optionalString(Field.description, maximumLength: 500)
        var references: [(name: String, line: Int, field: String)] = []
        var unitReferences: [(quantity: String, unit: QuantityUnit.DurationUnit, line: Int, field: String)] = []
        var filter = DeclaredDefinition.Filter()
        if let filterNode = top.present(Field.filter) {
            let reader = try ObjectReader(filterNode, file: file, path: Field.filter, allowed: Field.filters)
            filter.kinds = try Self.words(reader, Field.kinds, FactKind.self)
            filter.actors = try Self.texts(reader, Field.actors, noun: "actors").map { (element) throws(InputError) in
                guard Identifier.isValid(element.text) else {
                    throw InputError(file: file, line: element.line, field: element.path, message: "\(shown(element.text)) is not an actor id; expected \(Identifier.expectation)")
                }
                return element.text
            }
            filter.roles = try Self.words(reader, Field.roles, ActorRole.self)
            filter.period = try reader.optionalValidTime(Field.period)
            filter.publishers = try Self.texts(reader, Field.publishers, noun: "publishers").map(\.text)
            for element in try Self.texts(reader, Field.hasQuantity, noun: "quantities") {
                try Self.checkQuantityName(element.text, file: file, line: element.line, field: element.path, measure: nil)
                filter.hasQuantities.append(element.text)
                references.append((element.text, element.line, element.path))
            }
        }
        guard let groupNode = top.present(Field.groupBy) else {
            throw top.error(Field.groupBy, "is missing; group by at least one of \(Self.dimensionNames)")
        }
        var groupBy: [DeclaredDefinition.Dimension] = []
        for element in try Self.texts(top, Field.groupBy, noun: "dimensions") {
            guard let dimension = DeclaredDefinition.Dimension(element.text) else {
                throw InputError(file: file, line: element.line, field: element.path, message: "\(shown(element.text)) is not a dimension; expected one of \(Self.dimensionNames)")
            }
            guard !groupBy.contains(dimension) else {
                throw InputError(file: file, line: element.line, field: element.path, message: "groups by \(element.text) a second time; each dimension once")
            }
            if dimension.isPeriod, let period = groupBy.first(where: \.isPeriod) {
                throw InputError(file: file, line: element.line, field: element.path,
                                 message: "groups by \(element.text) as well as \(period); group by one period at most")
            }
            groupBy.append(dimension)
        }
        guard !groupBy.isEmpty else {
            throw InputError(file: file, line: groupNode.line, field: Field.groupBy, message: "is empty; group by at least one of \(Self.dimensionNames)")
        }
        var measures: [DeclaredDefinition.Measure] = []
        let measureElements = try top.list(Field.measures)
        guard measureElements.count <= 100 else { throw top.error(Field.measures, "lists \(measureElements.count) measures; at most 100") }
        for (path, node) in measureElements {
            let measure = try Self.measure(node, path: path, file: file, references: &references, units: &unitReferences)
            guard !measures.contains(measure) else {
                throw InputError(file: file, line: node.line, field: path, message: "repeats the measure \(measure); each measure once")
            }
            measures.append(measure)
        }
        if top.present(Field.measures) == nil { measures = [DeclaredDefinition.Measure(.count)] }
        guard !measures.isEmpty else { throw top.error(Field.measures, "is empty; expected at least one measure, such as count") }
        definition = DeclaredDefinition(name: name, description: description, filter: filter, groupBy: groupBy, measures: measures)
        quantityReferences = references
        self.unitReferences = unitReferences
        self.file = file
        nameLine = nameNode.line
    }

    /// Reads a definition the log stores (its canonical JSON); `nil` with the problem when the
    /// text is not one, as an imported log may hold.
    static func storedDefinition(_ text: String, name: String) -> Result<DeclaredDefinition, InputError> {
        let file = "the stored definition of \(name)"
        do {
            let bytes = Array(text.utf8)
            let json: Result<InputNode, JSONError> = bytes.withUnsafeBytes { buffer in
                do throws(JSONError) { return .success(try JSONParser.parse(buffer, line: 1)) } catch { return .failure(error) }
            }
            let tree: InputNode
            switch json {
            case .success(let node): tree = node
            case .failure(let error): return .failure(InputError(file: file, line: nil, field: nil, message: "is not JSON: \(error.message)"))
            }
            let parsed = try ProjectionFile(tree, file: file)
            guard parsed.definition.name == name else {
                return .failure(InputError(file: file, line: nil, field: DeclaredDefinition.Field.name, message: "names \(shown(parsed.definition.name)) instead"))
            }
            return .success(parsed.definition)
        } catch {
            return .failure(error)
        }
    }

    private static var dimensionNames: String { DeclaredDefinition.Dimension.all.map(\.description).joined(separator: ", ") }

    /// One measure: a bare name (`count`, `first`, `last`, `facts`) or a mapping of a measure to
    /// its quantity (`sum: ransom`), with `unit` for durations and `limit` for fact ids.
    private static func measure(
        _ node: InputNode, path: String, file: String, references: inout [(name: String, line: Int, field: String)],
        units: inout [(quantity: String, unit: QuantityUnit.DurationUnit, line: Int, field: String)]
    ) throws(InputError) -> DeclaredDefinition.Measure {
        typealias Measure = DeclaredDefinition.Measure
        let kinds = Measure.Kind.allCases.map(\.rawValue)
        let expected = "expected one of \(kinds.joined(separator: ", ")), as a name or a mapping such as `sum: ransom`"
        switch node.value {
        case .string(let text), .scalar(let text, _):
            guard let kind = Measure.Kind(rawValue: text) else {
                throw InputError(file: file, line: node.line, field: path, message: "\(shown(text)) is not a measure; \(expected)")
            }
            guard !kind.takesQuantity else {
                throw InputError(file: file, line: node.line, field: path, message: "\(text) needs a quantity; write it as `\(text): NAME`")
            }
            return Measure(kind, limit: kind == .facts ? Measure.defaultFactLimit : nil)
        case .object(let members):
            let measureKeys = members.map(\.key).filter { kinds.contains($0) }
            guard measureKeys.count == 1, let key = measureKeys.first, let kind = Measure.Kind(rawValue: key) else {
                throw InputError(file: file, line: node.line, field: path, message: "names \(measureKeys.isEmpty ? "no measure" : "several measures"); \(expected)")
            }
            let reader = try ObjectReader(node, file: file, path: path, allowed: [key, DeclaredDefinition.Field.unit, DeclaredDefinition.Field.limit])
            var measure = Measure(kind)
            if kind.takesQuantity {
                let quantity = try reader.string(key, maximumLength: 100)
                let line = reader.node(key)?.line ?? node.line
                try checkQuantityName(quantity, file: file, line: line, field: reader.fieldPath(key), measure: kind)
                measure.quantity = quantity
                references.append((quantity, line, reader.fieldPath(key)))
                if let unitText = try reader.optionalString(DeclaredDefinition.Field.unit, maximumLength: 20) {
                    guard let unit = QuantityUnit.DurationUnit(rawValue: unitText) else {
                        let units = QuantityUnit.DurationUnit.allCases.map(\.rawValue).joined(separator: ", ")
                        throw reader.error(DeclaredDefinition.Field.unit, "\(shown(unitText)) is not a duration unit; expected one of \(units)")
                    }
                    units.append((quantity, unit, reader.node(DeclaredDefinition.Field.unit)?.line ?? node.line, reader.fieldPath(DeclaredDefinition.Field.unit)))
                    // Hours are what durations are shown in anyway: saying so is the same definition.
                    measure.unit = unit == .hours ? nil : unit
                }
            } else if reader.has(DeclaredDefinition.Field.unit) {
                throw reader.error(DeclaredDefinition.Field.unit, "applies only to sum, min, max and mean")
            }
            if kind == .facts {
                // `facts: 5` and `facts: {limit: 5}`-style `limit: 5` both give the number of ids.
                let limitKey = reader.has(key) ? key : DeclaredDefinition.Field.limit
                if reader.has(key), reader.has(DeclaredDefinition.Field.limit) {
                    throw reader.error(DeclaredDefinition.Field.limit, "repeats the number of ids `facts` already gives")
                }
                measure.limit = reader.has(limitKey) ? try limit(reader, limitKey) : Measure.defaultFactLimit
            } else if reader.has(DeclaredDefinition.Field.limit) {
                throw reader.error(DeclaredDefinition.Field.limit, "applies only to facts")
            } else if !kind.takesQuantity, reader.has(key) {
                throw reader.error(key, "takes no value; write `- \(key)`")
            }
            return measure
        default:
            throw InputError(file: file, line: node.line, field: path, message: "is \(node.kindDescription); \(expected)")
        }
    }

    private static func limit(_ reader: ObjectReader, _ key: String) throws(InputError) -> Int {
        let value = try reader.decimal(key)
        let range = 1...DeclaredDefinition.Measure.maximumFactLimit
        guard value.exponent >= 0, value.significand > 0, value.exponent < 4,
              let number = Optional(Int(value.significand) * [1, 10, 100, 1000][Int(value.exponent)]), range.contains(number)
        else { throw reader.error(key, "\(value) is not a number of fact ids; expected a whole number from 1 to \(range.upperBound)") }
        return number
    }

    /// Refuses what cannot be a quantity's name, and a fact's field named where a quantity is.
    private static func checkQuantityName(_ name: String, file: String, line: Int, field: String, measure: DeclaredDefinition.Measure.Kind?) throws(InputError) {
        let takes = measure.map { "\($0.rawValue) takes" } ?? "has-quantity takes"
        if factFieldNames.contains(name) {
            throw InputError(file: file, line: line, field: field, message: "\(name) is a field of a fact, not a quantity; \(takes) the name of a quantity, such as ransom or duration")
        }
        guard Quantity.isValidName(name) else {
            throw InputError(file: file, line: line, field: field, message: "\(shown(name)) is not a quantity name; expected 1 to 40 characters of a-z, 0-9 and -")
        }
    }

    /// What a fact has besides quantities, and the dimensions: never a quantity's name.
    private static let factFieldNames = ["article", "fact", "kind", "when", "said", "summary", "actors", "actor", "role", "roles",
                                         "quantities", "place", "quote", "publisher", "id"]

    /// A list of text (a single text counts as a list of one), each with its line and path.
    private static func texts(_ reader: ObjectReader, _ key: String, noun: String) throws(InputError) -> [(text: String, line: Int, path: String)] {
        guard let node = reader.present(key) else { return [] }
        let elements: [(path: String, node: InputNode)]
        switch node.value {
        case .string, .scalar: elements = [(reader.fieldPath(key), node)]
        default: elements = try reader.list(key)
        }
        guard elements.count <= maximumListLength else { throw reader.error(key, "lists \(elements.count) \(noun); at most \(maximumListLength)") }
        var texts: [(text: String, line: Int, path: String)] = []
        for (path, element) in elements {
            let text: String
            switch element.value {
            case .string(let value), .scalar(let value, _): text = value
            default: throw InputError(file: reader.file, line: element.line, field: path, message: "is \(element.kindDescription); expected text")
            }
            if let problem = textProblem(text, singleLine: true, maximumLength: 500) {
                throw InputError(file: reader.file, line: element.line, field: path, message: problem)
            }
            guard !isBlank(text) else { throw InputError(file: reader.file, line: element.line, field: path, message: "is blank; expected text") }
            texts.append((text, element.line, path))
        }
        return texts
    }

    private static func words<V: RawRepresentable & CaseIterable>(_ reader: ObjectReader, _ key: String, _ type: V.Type) throws(InputError) -> [V] where V.RawValue == String {
        var values: [V] = []
        for element in try texts(reader, key, noun: "values") {
            guard let value = V(rawValue: element.text) else {
                throw InputError(file: reader.file, line: element.line, field: element.path,
                                 message: "\(shown(element.text)) is not one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !values.contains(where: { $0.rawValue == value.rawValue }) { values.append(value) }
        }
        return values
    }
}

extension DeclaredDefinition.Dimension {
    var isPeriod: Bool {
        if case .period = self { return true }
        return false
    }
}
