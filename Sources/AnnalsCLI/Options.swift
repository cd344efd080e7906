import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser

/// How commands that print data print it.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv
}

/// The `--format` option, with the formats a command supports.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output format: table, json, jsonl (csv for timelines).", valueName: "format"))
    var format: OutputFormat = .table

    func require(_ allowed: [OutputFormat]) throws {
        guard allowed.contains(format) else {
            throw UsageFailure("--format \(format.rawValue) is not available here; use one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

/// Parses `--as-of`: a log position (`120`) or an ISO 8601 time (`2021-06-10T12:00Z`).
func parseAsOf(_ text: String?) throws -> AsOf? {
    guard let text else { return nil }
    if let position = UInt64(text) { return .position(position) }
    if let time = Timestamp(iso8601: text) { return .time(time) }
    throw UsageFailure("--as-of \(String(reflecting: text)) is neither a log position (like 120) nor a time (like 2021-06-10T12:00Z)")
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
