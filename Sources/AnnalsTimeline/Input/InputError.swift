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

    /// `file:line`, built in one allocation: every event an ingest appends carries it as its source.
    public var description: String {
        let number = String(line)
        var text = ""
        text.reserveCapacity(file.utf8.count + 1 + number.utf8.count)
        text += file
        text += ":"
        text += number
        return text
    }

    /// An error about `field` of this record, named by its full path.
    func error(_ field: String?, _ message: String) -> InputError {
        let fullField = field.map { path.isEmpty ? $0 : "\(path).\($0)" } ?? (path.isEmpty ? nil : path)
        return InputError(file: file, line: line, field: fullField, message: message)
    }
}
