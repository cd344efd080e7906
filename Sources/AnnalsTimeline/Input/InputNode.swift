import AnnalsDomain
import AnnalsTimelineProjections

/// A parsed input value with the line it started on, common to YAML and JSON so that one set
/// of record decoders serves both formats with the same messages.
///
/// A list's elements and a mapping's members are not arrays of their own: every node of a
/// document sits in one ``InputNodeStorage``, each container's children side by side, and a
/// container names them by their range there. A reader of many documents (a JSON Lines file,
/// a line each) builds them all with one ``InputTreeBuilder``, so a record's shape costs no
/// allocation once the first lines have sized the storage.
struct InputNode: Sendable {
    enum Value: Sendable {
        case null
        case bool(Bool)
        /// A JSON number, as written.
        case number(String)
        /// A JSON string.
        case string(String)
        /// A YAML scalar, as written (YAML does not say whether `1984` is text or a number).
        case scalar(String, quoted: Bool)
        case array(Elements)
        case object(Members)
    }

    let value: Value
    let line: Int

    /// What the value is, for messages: "a string", "a list", …
    var kindDescription: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string, .scalar: "text"
        case .array: "a list"
        case .object: "a mapping"
        }
    }

    /// Whether the value is null: JSON `null`, or a YAML `~`, `null` or empty plain scalar.
    var isNull: Bool {
        switch value {
        case .null: true
        case let .scalar(text, quoted): !quoted && ["", "~", "null", "Null", "NULL"].contains(text)
        default: false
        }
    }

    /// A list's elements, in input order.
    struct Elements: RandomAccessCollection, Sendable {
        fileprivate let storage: InputNodeStorage
        fileprivate let range: Range<Int>

        /// No elements, as an absent list field reads.
        static let empty = Elements(storage: InputNodeStorage(), range: 0..<0)

        var startIndex: Int { 0 }
        var endIndex: Int { range.count }

        subscript(position: Int) -> InputNode {
            storage.node(at: range.lowerBound + Self.checked(position, count: range.count))
        }

        /// Refuses a position outside the list, which would otherwise read a neighbour's node.
        fileprivate static func checked(_ position: Int, count: Int) -> Int {
            precondition(position >= 0 && position < count, "index out of range")
            return position
        }
    }

    /// A mapping's members, in input order (a duplicate key is kept, for the reader to refuse).
    struct Members: RandomAccessCollection, Sendable {
        fileprivate let storage: InputNodeStorage
        fileprivate let range: Range<Int>

        var startIndex: Int { 0 }
        var endIndex: Int { range.count }

        subscript(position: Int) -> (key: String, node: InputNode) {
            let index = range.lowerBound + Elements.checked(position, count: range.count)
            return (storage.key(at: index), storage.node(at: index))
        }

        /// The key of member `position`, without making its node.
        func key(at position: Int) -> String {
            storage.key(at: range.lowerBound + Elements.checked(position, count: range.count))
        }

        /// Whether a member before `position` has the key member `position` has.
        func repeatsEarlierKey(at position: Int) -> Bool {
            storage.firstIndex(ofKey: key(at: position), in: range) != range.lowerBound + position
        }

        /// The node of the first member named `key`, making no node for the members before it
        /// (a reader looks up each of a record's fields this way).
        func node(named key: String) -> InputNode? {
            storage.firstIndex(ofKey: key, in: range).map(storage.node(at:))
        }
    }
}

/// The nodes of one parsed document in a single array, each list's elements and each mapping's
/// members side by side, a container naming its children by their range.
///
/// A node read from the storage keeps it alive and never sees it change: an
/// ``InputTreeBuilder`` appends only while it builds a document, before any node refers to it,
/// and starts its next document in the same storage only when no node of the last one is left
/// (otherwise it takes a new storage). That is what makes sharing it between threads safe.
final class InputNodeStorage: @unchecked Sendable {
    /// As ``InputNode/Value``, with a container's children named by their range in `entries`:
    /// a stored node holding its storage would keep the storage alive forever.
    enum Content {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case scalar(String, quoted: Bool)
        case array(Range<Int>)
        case object(Range<Int>)
    }

    /// A stored node: its key in its mapping ("" for a list element), content and line.
    fileprivate struct Entry {
        let key: String
        let content: Content
        let line: Int
    }

    /// Unchecked for overlapping access at run time: a builder writes only while no node
    /// refers to the storage, and nodes only read, so no write can overlap a read; the check
    /// would otherwise run on every read of every field.
    @exclusivity(unchecked) fileprivate var entries: [Entry] = []

    fileprivate func key(at index: Int) -> String { entries[index].key }

    fileprivate func firstIndex(ofKey key: String, in range: Range<Int>) -> Int? {
        entries[range].firstIndex { $0.key == key }
    }

    fileprivate func node(at index: Int) -> InputNode {
        let entry = entries[index]
        return node(entry.content, line: entry.line)
    }

    fileprivate func node(_ content: Content, line: Int) -> InputNode {
        let value: InputNode.Value = switch content {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let text): .number(text)
        case .string(let text): .string(text)
        case .scalar(let text, let quoted): .scalar(text, quoted: quoted)
        case .array(let range): .array(InputNode.Elements(storage: self, range: range))
        case .object(let range): .object(InputNode.Members(storage: self, range: range))
        }
        return InputNode(value: value, line: line)
    }
}

/// Builds documents into an ``InputNodeStorage``, every container's children before the
/// container itself: a parser adds the children of the containers it is inside of as it reads
/// them, and closing a container moves its children, now complete, into the storage together.
///
/// Kept from one document to the next, it builds each in the storage and the arrays the last
/// one left, so a reader of many small documents stops allocating for them.
struct InputTreeBuilder {
    private var storage = InputNodeStorage()
    /// The children read so far of the containers being read, the innermost container's last.
    private var open: [InputNodeStorage.Entry] = []

    /// The stored nodes beyond which a document's storage is not kept for the next one: one
    /// hostile line with a million-element list should not hold its memory for the rest of
    /// the file. Records have tens of nodes.
    private static let keptCapacity = 4_096

    /// Empties the builder for a new document, reusing the last one's storage when no node of
    /// it is left and it stayed modest.
    mutating func startDocument() {
        if open.capacity > Self.keptCapacity { open = [] } else { open.removeAll(keepingCapacity: true) }
        if isKnownUniquelyReferenced(&storage), storage.entries.capacity <= Self.keptCapacity {
            storage.entries.removeAll(keepingCapacity: true)
        } else {
            storage = InputNodeStorage()
        }
    }

    /// Where the children of a container about to be read will start, for ``close(from:)``.
    var mark: Int { open.count }

    /// Adds a child to the innermost container being read.
    mutating func add(key: String, _ content: InputNodeStorage.Content, line: Int) {
        open.append(InputNodeStorage.Entry(key: key, content: content, line: line))
    }

    /// Ends the innermost container, whose children were added since `mark`: stores them side
    /// by side and returns their range, for the container's content.
    mutating func close(from mark: Int) -> Range<Int> {
        let start = storage.entries.count
        storage.entries.append(contentsOf: open[mark...])
        open.removeSubrange(mark...)
        return start..<storage.entries.count
    }

    /// The document's root node, once its content is read.
    func root(_ content: InputNodeStorage.Content, line: Int) -> InputNode {
        storage.node(content, line: line)
    }
}

/// Where an object sits in its record, for messages: the path of the field holding it and,
/// for an element of a list, its index, kept as a number until a message needs the text (most
/// records have no problem, and a list of actors has an element per actor).
struct FieldPath: CustomStringConvertible {
    private let field: String
    private let index: Int?

    init(_ field: String) {
        self.field = field
        index = nil
    }

    init(element index: Int, of list: String) {
        field = list
        self.index = index
    }

    var description: String { index.map { "\(field)[\($0)]" } ?? field }
}

/// Reads the fields of one object node, refusing unknown ones, and turns every problem into an
/// ``InputError`` that names the field's path.
struct ObjectReader {
    let file: String
    private let location: FieldPath
    let line: Int
    private let members: InputNode.Members

    /// The path of the object in its record ("" for the record itself).
    var path: String { location.description }

    init(_ node: InputNode, file: String, path: String, allowed: [String]) throws(InputError) {
        try self.init(node, file: file, location: FieldPath(path), allowed: allowed)
    }

    init(_ node: InputNode, file: String, location: FieldPath, allowed: [String]) throws(InputError) {
        self.file = file
        self.location = location
        line = node.line
        guard case .object(let members) = node.value else {
            let path = location.description
            throw InputError(file: file, line: node.line, field: path.isEmpty ? nil : path,
                             message: "is \(node.kindDescription); expected a mapping of fields")
        }
        // Records have about ten fields: comparing with the earlier keys beats hashing them.
        for index in members.indices {
            guard !members.repeatsEarlierKey(at: index) else {
                throw InputError(file: file, line: members[index].node.line, field: Self.join(location.description, shownFieldName(members.key(at: index))),
                                 message: "appears twice")
            }
            guard allowed.contains(members.key(at: index)) else {
                throw InputError(file: file, line: members[index].node.line, field: Self.join(location.description, shownFieldName(members.key(at: index))),
                                 message: "is not a known field; expected one of \(allowed.joined(separator: ", "))")
            }
        }
        self.members = members
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fieldPath(_ key: String) -> String { Self.join(path, key) }

    func error(_ key: String, _ message: String, line: Int? = nil) -> InputError {
        InputError(file: file, line: line ?? node(key)?.line ?? self.line, field: fieldPath(key), message: message)
    }

    func node(_ key: String) -> InputNode? {
        members.node(named: key)
    }

    /// The field's node unless it is absent or null.
    func present(_ key: String) -> InputNode? {
        guard let node = node(key), !node.isNull else { return nil }
        return node
    }

    func has(_ key: String) -> Bool { present(key) != nil }

    // MARK: Text

    func optionalString(_ key: String, singleLine: Bool = true, maximumLength: Int = 2000) throws(InputError) -> String? {
        guard let node = present(key) else { return nil }
        let text: String
        switch node.value {
        case .string(let value), .scalar(let value, _): text = value
        default: throw error(key, "is \(node.kindDescription); expected text")
        }
        if let problem = textProblem(text, singleLine: singleLine, maximumLength: maximumLength) { throw error(key, problem) }
        guard !isBlank(text) else { throw error(key, "is blank; expected text") }
        return text
    }

    func string(_ key: String, singleLine: Bool = true, maximumLength: Int = 2000) throws(InputError) -> String {
        guard let text = try optionalString(key, singleLine: singleLine, maximumLength: maximumLength) else {
            throw error(key, "is missing; it is required")
        }
        return text
    }

    /// An id. Whatever is wrong with it, long or short, gets the one message that says what an
    /// id is, with the value shown (cut when long) and its length when that is the problem.
    func identifier(_ key: String) throws(InputError) -> String {
        guard let node = present(key) else { throw error(key, "is missing; it is required") }
        let text: String
        switch node.value {
        case .string(let value), .scalar(let value, _): text = value
        default: throw error(key, "is \(node.kindDescription); expected text")
        }
        guard Identifier.isValid(text) else {
            let count = text.count
            let length = count > Identifier.maximumLength ? " (\(grouped(count)) characters)" : ""
            throw error(key, "\(shown(text))\(length) is not a valid id; expected \(Identifier.expectation)")
        }
        return text
    }

    func validTime(_ key: String) throws(InputError) -> ValidTime {
        guard let time = try optionalValidTime(key) else { throw error(key, "is missing; it is required") }
        return time
    }

    func optionalValidTime(_ key: String) throws(InputError) -> ValidTime? {
        guard let text = try optionalString(key, maximumLength: 64) else { return nil }
        do {
            return try ValidTime(parsing: text)
        } catch {
            throw self.error(key, error.description)
        }
    }

    func vocabulary<V: RawRepresentable & CaseIterable>(_ key: String, _ type: V.Type) throws(InputError) -> V where V.RawValue == String {
        guard let value = try optionalVocabulary(key, type) else { throw error(key, "is missing; it is required") }
        return value
    }

    func optionalVocabulary<V: RawRepresentable & CaseIterable>(_ key: String, _ type: V.Type) throws(InputError) -> V? where V.RawValue == String {
        guard let text = try optionalString(key, maximumLength: 100) else { return nil }
        guard let value = V(rawValue: text) else {
            throw error(key, "\(shown(text)) is not one of \(V.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func bool(_ key: String, default defaultValue: Bool) throws(InputError) -> Bool {
        guard let node = present(key) else { return defaultValue }
        switch node.value {
        case .bool(let value): return value
        case .scalar(let text, quoted: false) where ["true", "True", "TRUE"].contains(text): return true
        case .scalar(let text, quoted: false) where ["false", "False", "FALSE"].contains(text): return false
        default: throw error(key, "is \(node.kindDescription); expected true or false")
        }
    }

    func decimal(_ key: String) throws(InputError) -> ExactDecimal {
        guard let node = present(key) else { throw error(key, "is missing; it is required") }
        let text: String
        switch node.value {
        case .number(let value), .string(let value), .scalar(let value, _): text = value
        default: throw error(key, "is \(node.kindDescription); expected a decimal number")
        }
        // As a JSON number may be: no decimal with at most 18 significant digits needs more.
        guard text.utf8.count <= 100 else { throw error(key, "is \(grouped(text.count)) characters long; a decimal number has at most 100") }
        do {
            return try ExactDecimal(parsing: text.trimmingSpaces())
        } catch {
            throw self.error(key, error.description)
        }
    }

    // MARK: Collections

    /// The elements of a list field (empty when absent), each with its path.
    func list(_ key: String) throws(InputError) -> [(path: String, node: InputNode)] {
        try elements(key).enumerated().map { (elementPath(key, $0.offset).description, $0.element) }
    }

    /// The elements of a list field (empty when absent); ``elementPath(_:_:)`` names one.
    func elements(_ key: String) throws(InputError) -> InputNode.Elements {
        guard let node = present(key) else { return .empty }
        guard case .array(let elements) = node.value else { throw error(key, "is \(node.kindDescription); expected a list") }
        return elements
    }

    /// The path of element `index` of list field `key`.
    func elementPath(_ key: String, _ index: Int) -> FieldPath { FieldPath(element: index, of: fieldPath(key)) }

    /// A list of text; `maximumCount` refuses a longer list before any element is read.
    func stringList(_ key: String, maximumLength: Int, maximumCount: Int, noun: String, limit: String) throws(InputError) -> [String] {
        let elements = try elements(key)
        guard elements.count <= maximumCount else { throw error(key, "lists \(grouped(elements.count)) \(noun); \(limit)") }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let text: String
            switch element.value {
            case .string(let value), .scalar(let value, _): text = value
            default: throw InputError(file: file, line: element.line, field: elementPath(key, index).description, message: "is \(element.kindDescription); expected text")
            }
            if let problem = textProblem(text, singleLine: true, maximumLength: maximumLength) {
                throw InputError(file: file, line: element.line, field: elementPath(key, index).description, message: problem)
            }
            guard !isBlank(text) else { throw InputError(file: file, line: element.line, field: elementPath(key, index).description, message: "is blank; expected text") }
            strings.append(text)
        }
        return strings
    }
}

extension String {
    /// The string without leading and trailing spaces (numbers written as strings may have them).
    func trimmingSpaces() -> String {
        guard first == " " || last == " " else { return self }
        return String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
