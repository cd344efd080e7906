import AnnalsDomain
import AnnalsTimelineProjections
import Yams

/// Turns what libyaml and Yams report about a malformed fact file into one line in the words
/// of someone writing a fact file: the line, what was found there and what was expected,
/// without the parser's own vocabulary (tokens, documents, directives, octets).
enum YAMLSyntax {
    static func error(_ error: any Error, text: String, file: String) -> InputError {
        guard let yamlError = error as? YamlError else {
            return InputError(file: file, line: nil, field: nil, message: "could not be read as YAML")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _) where problem == "found unexpected end of stream":
            // The end of the file is no place to look for an unclosed quote; where it opened is.
            guard let context else { return InputError(file: file, line: mark.line, field: nil, message: message(for: problem, at: mark, in: text)) }
            return InputError(file: file, line: context.mark.line, field: nil, message: "is not valid YAML: the quoted text that starts on this line is never closed")
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return InputError(file: file, line: mark.line, field: nil, message: message(for: problem, at: mark, in: text))
        case let .reader(problem, offset, value, _):
            return readerError(problem, offset: offset, value: value, text: text, file: file)
        case let .duplicatedKeysInMapping(duplicates, context):
            return duplicateKey(duplicates.first ?? "", first: context.mark, text: text, file: file)
        case .memory:
            return InputError(file: file, line: nil, field: nil, message: "could not be read as YAML: the parser ran out of memory")
        default:
            return InputError(file: file, line: nil, field: nil, message: "could not be read as YAML")
        }
    }

    /// libyaml's problem, said in a fact file's terms. Problems already plain are kept as they are.
    static func message(for problem: String, at mark: Mark, in text: String) -> String {
        let invalid = "is not valid YAML: "
        switch problem {
        case "found undefined alias":
            return "uses a YAML alias (*); anchors and aliases are not allowed in fact files"
        case "but found another document":
            return invalid + "a second document starts here (after ---); a fact file is one mapping"
        case "did not find expected <document start>", "did not find expected <stream-start>":
            return invalid + "this line is outside the file's top-level mapping; check its indentation"
        case "did not find expected key":
            return invalid + "expected a 'key: value' line at this indentation; check the indentation"
        case "did not find expected '-' indicator":
            return invalid + "expected a list item ('- ') at this indentation; check the indentation"
        case "did not find expected node content":
            return invalid + "expected a value here"
        case "mapping values are not allowed in this context":
            return invalid + "found ': ' where no 'key: value' can start; put text that holds ': ' in quotes, or check the indentation"
        case "block sequence entries are not allowed in this context":
            return invalid + "found a list item ('- ') where none can start; check the indentation"
        case "mapping keys are not allowed in this context":
            return invalid + "found a '? ' key where none can start"
        case "could not find expected ':'":
            return invalid + "a key is not followed by ':' (a key must fit on one line)"
        case "found unexpected ':'":
            return invalid + "found an unexpected ':'; put text that holds ':' in quotes"
        case "found unexpected end of stream":
            return invalid + "the file ends inside quoted text: a quote is not closed"
        case "found unexpected document indicator":
            return invalid + "a line starting with --- or ... ends the file's document inside quoted text"
        case "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
            return invalid + "a tab indents this line; YAML indents with spaces"
        case "found character that cannot start any token":
            return invalid + characterProblem(at: mark, in: text)
        case "found unknown escape character":
            return invalid + "an escape in double-quoted text is not one YAML knows; write \\\\ for a backslash"
        case "did not find expected hexdecimal number":
            return invalid + "a \\x, \\u or \\U escape needs hexadecimal digits"
        case "found invalid Unicode character escape code":
            return invalid + "an escape names no Unicode character"
        case "did not find expected comment or line break", "did not find expected whitespace or line break", "did not find expected whitespace":
            return invalid + "unexpected text after a value on this line"
        case "found an indentation indicator equal to 0":
            return invalid + "a block text's indentation indicator (|0 or >0) must be 1 to 9"
        case "did not find expected alphabetic or numeric character", "found unexpected non-alphabetical character":
            return invalid + "expected a letter or digit after & or * (anchors and aliases are not allowed in fact files)"
        default:
            if problem.contains("directive") || problem.contains("version number") || problem == "found incompatible YAML document" {
                return invalid + "a % directive line is malformed; fact files need no directives"
            }
            if problem.contains("tag") || problem.contains("URI") || problem.contains("'!'") || problem.contains("'>'") {
                return invalid + "a ! tag is malformed; fact files need no tags"
            }
            if problem.contains("octet") || problem.contains("UTF-") || problem.contains("surrogate") {
                return "is not valid UTF-8"
            }
            // The rest ("did not find expected ',' or ']'" …) already say what was expected.
            return invalid + problem
        }
    }

    /// What stands at `mark` that cannot start a value: a tab, or one of YAML's reserved `@` and `` ` ``.
    private static func characterProblem(at mark: Mark, in text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: mark.line, omittingEmptySubsequences: false).dropFirst(mark.line - 1).first ?? ""
        let scalars = Array(line.unicodeScalars)
        guard mark.column >= 1, mark.column <= scalars.count else { return "found a character that cannot start a value" }
        let scalar = scalars[mark.column - 1]
        if scalar == "\t" { return "a tab indents this line; YAML indents with spaces" }
        return "a value cannot start with \(shown(String(scalar))); put text that starts with it in quotes"
    }

    private static func readerError(_ problem: String, offset: Int?, value: Int32, text: String, file: String) -> InputError {
        // `offset` counts characters from the start; the line is one more than the line breaks before it.
        let line = offset.map { 1 + text.prefix($0).reduce(0) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 } }
        let code = "U+" + String(UInt32(bitPattern: value), radix: 16, uppercase: true).leftPadded(to: 4)
        let message: String
        switch problem {
        case "control characters are not allowed": message = "contains the control character \(code); expected plain text"
        case "invalid Unicode character": message = "contains \(code), which is not a character; expected plain text"
        case "input is too long": message = "is too long for the YAML parser"
        default: message = problem.contains("octet") || problem.contains("UTF-") ? "is not valid UTF-8" : "could not be read as YAML: \(problem)"
        }
        return InputError(file: file, line: value >= 0 ? line : nil, field: nil, message: message)
    }

    /// Yams names a duplicated key and its first place; the second is found by looking for the
    /// same key at the same indentation further down the same block mapping.
    private static func duplicateKey(_ key: String, first: Mark, text: String, file: String) -> InputError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indentation = first.column - 1
        var second: Int?
        var number = first.line
        while number < lines.count {
            let line = lines[number]
            number += 1
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let depth = line.count - content.count
            if depth < indentation { break }
            if depth == indentation, startsWithKey(content, key) {
                second = number
                break
            }
        }
        let shownKey = shown(key)
        if let second {
            return InputError(file: file, line: second, field: nil,
                              message: "the key \(shownKey) appears twice in one mapping (first on line \(first.line)); a key is given once")
        }
        return InputError(file: file, line: first.line, field: nil, message: "the key \(shownKey) appears more than once in one mapping; a key is given once")
    }

    private static func startsWithKey(_ content: Substring, _ key: String) -> Bool {
        for form in [key, "\"\(key)\"", "'\(key)'"] where content.hasPrefix(form) {
            let rest = content.dropFirst(form.count).drop { $0 == " " }
            if rest.hasPrefix(":") { return true }
        }
        return false
    }
}
