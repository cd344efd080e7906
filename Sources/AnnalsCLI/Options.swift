import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser

/// How commands that print data print it.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv, html, svg, timelinejs, cloudevents

    /// What a timeline of facts can be shown as (`cloudevents` is for events, in `tail`).
    static let timelineFormats: [OutputFormat] = [.table, .json, .jsonl, .csv, .html, .svg, .timelinejs]
}

/// The `--format` option, with the formats a command supports.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Output format: table (the default), json, jsonl (csv, html, svg and timelinejs for timelines; cloudevents for tail).", valueName: "format"),
            transform: ArgumentValue.choice("--format"))
    var format: OutputFormat = .table

    func require(_ allowed: [OutputFormat]) throws {
        guard allowed.contains(format) else {
            throw UsageFailure("--format \(format.rawValue) is not available here; use one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

/// Parses `--as-of`: a log position (`120`) or an ISO 8601 time (`2021-06-10T12:00Z`). A time
/// stands for the whole of its precision, as `--to` does for valid time: `2021-06-10` is the
/// store after everything recorded that day, `…T12:00:05Z` after everything in that second.
func parseAsOf(_ text: String?, option: String = "--as-of") throws -> AsOf? {
    guard let text else { return nil }
    if let position = UInt64(text) { return .position(position) }
    if let span = Timestamp.span(iso8601: text) {
        return .time(Timestamp(microsecondsSinceEpoch: span.end.microsecondsSinceEpoch - 1))
    }
    // A number that is not a position: negative, or too large for any log.
    if let first = text.first, first == "-" || first.isASCIIDigit, text.dropFirst().allSatisfy(\.isASCIIDigit), text != "-" {
        let position = first == "-" ? "a log position (0 or more)" : "a log position up to \(UInt64.max)"
        throw UsageFailure("\(option) needs \(position) or a time (like 2021-06-10T12:00Z), got \(text)")
    }
    throw UsageFailure("\(option) \(String(reflecting: text)) is neither a log position (like 120) nor a time (like 2021-06-10T12:00Z)")
}

/// Parses a `--from`/`--to` date.
func parseDate(_ text: String?, option: String) throws -> ValidTime? {
    guard let text else { return nil }
    do {
        return try ValidTime(parsing: text)
    } catch {
        // ValidTime's message says what was found and what was expected; adding to it would repeat it.
        throw UsageFailure("\(option) \(error.description)")
    }
}

/// Refuses a name or an id that is empty or only spaces: it names nothing, and the store's keys
/// cannot be empty. `needs` says what was expected ("annals fact needs a fact id").
func requireName(_ value: String, _ needs: String) throws {
    if value.allSatisfy(\.isWhitespace) { throw ValidationError("\(needs), got \(ArgumentValueError.shown(value))") }
}

/// A command-line value its option cannot take. The message names the option, what it needs
/// and what it got, in one line.
struct ArgumentValueError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// The value as the message shows it: bare when it is a plain word or number, quoted
    /// otherwise (empty, spaces, hidden characters).
    static func shown(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-._:/".unicodeScalars.contains(scalar))
        }
        return plain ? value : String(reflecting: value)
    }
}

/// Parsers for option values, given to `@Option(transform:)`, so a bad value gets one line of
/// ours ("--limit needs a positive number, got -1") rather than ArgumentParser's wording, which
/// says "Missing value" for a negative number and lists an enum's cases on fifteen lines.
/// `AnnalsCommand.execute` finds the ``ArgumentValueError`` inside ArgumentParser's error.
///
/// Options that take them are declared `parsing: .unconditional`: as with getopt, the word
/// after the option is its value even when it begins with `-`, so `--limit -1` is read as
/// the value -1 and refused for what it is.
enum ArgumentValue {
    /// A whole number from 1 up, as `Int`.
    static func positive(_ option: String, _ needs: String = "a positive number") -> @Sendable (String) throws -> Int {
        { text in
            let value = Int(text)
            guard let value, value >= 1 else {
                let limit = value == nil ? upTo(text, Int.max) : ""
                throw ArgumentValueError("\(option) needs \(needs)\(limit), got \(ArgumentValueError.shown(text))")
            }
            return value
        }
    }

    /// A whole number from 0 up, as `Int`.
    static func count(_ option: String, _ needs: String = "a number of 0 or more") -> @Sendable (String) throws -> Int {
        { text in
            let value = Int(text)
            guard let value, value >= 0 else {
                let limit = value == nil ? upTo(text, Int.max) : ""
                throw ArgumentValueError("\(option) needs \(needs)\(limit), got \(ArgumentValueError.shown(text))")
            }
            return value
        }
    }

    /// A log position (0 or more), or any other count from 0 up.
    static func position(_ option: String, _ needs: String = "a log position (0 or more)") -> @Sendable (String) throws -> UInt64 {
        { text in
            guard let value = UInt64(text) else {
                // Unparsable digits overflowed: say where the numbers end.
                throw ArgumentValueError("\(option) needs \(needs)\(upTo(text, UInt64.max)), got \(ArgumentValueError.shown(text))")
            }
            return value
        }
    }

    /// A TCP port, 0 to 65535 (0: any free port).
    static func port(_ option: String) -> @Sendable (String) throws -> Int {
        { text in
            guard let value = Int(text), (0...65535).contains(value) else {
                throw ArgumentValueError("\(option) needs a port from 0 to 65535 (0 picks a free one), got \(ArgumentValueError.shown(text))")
            }
            return value
        }
    }

    /// One of an enumeration's values, by its raw name.
    static func choice<Value: CaseIterable & RawRepresentable & Sendable>(_ option: String) -> @Sendable (String) throws -> Value
    where Value.RawValue == String {
        { text in
            if let value = Value(rawValue: text) { return value }
            let names = Value.allCases.map(\.rawValue)
            let hint = names.contains(text.lowercased()) ? " (did you mean \(text.lowercased())?)" : ""
            throw ArgumentValueError("\(option) needs one of \(names.joined(separator: ", ")); got \(ArgumentValueError.shown(text))\(hint)")
        }
    }

    /// " up to 9223372036854775807" when `text`, which did not parse, is digits: a whole number
    /// too large for its type.
    private static func upTo(_ text: String, _ maximum: some BinaryInteger) -> String {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return "" }
        return " up to \(maximum)"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
