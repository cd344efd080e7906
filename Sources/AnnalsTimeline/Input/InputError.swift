import AnnalsDomain
import AnnalsTimelineProjections

/// A problem with an input, reported as one line naming the file, the line and the field, what
/// was found and what was expected: `seeds/bad.yaml:12: facts[2].when: "2021-02-30" is not a
/// valid date: 2021-02 has no day 30`.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    /// The 1-based line, when the problem has one.
    public let line: Int?
    /// The field's path within the record (`facts[2].when`), when the problem is in one field.
    public let field: String?
    public let message: String

    public init(file: String, line: Int?, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(field): " }
        return text + message
    }
}

/// Where a record came from.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    /// The record's path within a fact file (`facts[2]`); empty for a JSON Lines record.
    public let path: String

    public init(file: String, line: Int, path: String = "") {
        self.file = file
        self.line = line
        self.path = path
    }

    /// `file:line`, as ``appendDescription(to:)`` spells it.
    public var description: String {
        var bytes: [UInt8] = []
        appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `file:line` in UTF-8 to `bytes`, making no string: every event an ingest
    /// appends carries it as its source, written into a buffer the planner reuses.
    public func appendDescription(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: file.utf8)
        bytes.append(UInt8(ascii: ":"))
        // A number's digits fit a small string, which is kept inline: no allocation.
        bytes.append(contentsOf: String(line).utf8)
    }

    /// An error about `field` of this record, named by its full path.
    func error(_ field: String?, _ message: String) -> InputError {
        let fullField = field.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? (path.isEmpty ? nil : path)
        return InputError(file: file, line: line, field: fullField, message: message)
    }
}
