import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline

/// The human form of one fact and of its history, for a terminal: every value made visible
/// (``TerminalText``).
enum FactRendering {
    static func detail(_ version: FactVersion, names: [String: String]) -> String {
        let view = version.view
        var lines: [(String, String)] = [
            ("fact", "\(view.id) (\(view.kind.rawValue))\(view.isRetracted ? " — RETRACTED" : "")"),
            ("when", view.when.description + (view.said.map { " (\"\($0)\")" } ?? "")),
            ("summary", view.summary),
        ]
        if !view.actors.isEmpty {
            lines.append(("actors", view.actors.map { "\(names[$0.actor] ?? $0.actor) (\($0.role.rawValue))" }.joined(separator: ", ")))
        }
        if !view.quantities.isEmpty {
            lines.append(("amounts", view.quantities.map { "\($0.name) \($0.display)" }.joined(separator: ", ")))
        }
        if let place = view.place { lines.append(("place", place)) }
        for conflict in view.conflicts {
            let values = conflict.values.map { "\($0.article) says \($0.value)" }.joined(separator: "; ")
            lines.append(("\(conflict.kind == .refinement ? "refined" : "disputed")", "\(conflict.field): \(values)"))
        }
        for entry in view.corrections {
            lines.append(("corrected", "\(entry.correction.fields.names.joined(separator: ", ")) by \(entry.correction.article) at position \(entry.position): \(entry.correction.reason)"))
        }
        if let retraction = view.retraction {
            lines.append(("retracted", "by \(retraction.retraction.article) at position \(retraction.position): \(retraction.retraction.reason)"))
        }
        for source in view.sources {
            lines.append(("source", "\(source.assertion.article), position \(source.position): “\(truncate(source.assertion.quote, 100))”"))
        }
        lines.append(("position", "\(view.lastPosition) (last change), version of \(version.position), recorded \(version.recordedAt.description)"))
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + TerminalText.visible($0.1) }.joined(separator: "\n") + "\n"
    }

    static func history(_ versions: [FactVersion], names: [String: String]) -> String {
        var rows = [["VERSION", "CURRENT FROM–UNTIL", "RECORDED AT", "WHEN", "SOURCES", "CHANGE"]]
        var previous: FactView?
        for version in versions {
            let view = version.view
            rows.append([
                "\(rows.count)", "\(version.position)–\(version.until.map(String.init) ?? "now")",
                version.recordedAt.description, view.when.description, "\(view.sources.count)",
                truncate(change(from: previous, to: view), 90),
            ])
            previous = view
        }
        return renderTable(rows, rightAligned: [0, 4])
    }

    /// What one version changed, in words.
    static func change(from previous: FactView?, to view: FactView) -> String {
        guard let previous else { return "asserted by \(view.sources.first?.assertion.article ?? "?")" }
        if view.isRetracted && !previous.isRetracted {
            return "retracted by \(view.retraction?.retraction.article ?? "?"): \(view.retraction?.retraction.reason ?? "")"
        }
        if view.corrections.count > previous.corrections.count, let correction = view.corrections.last?.correction {
            return "\(correction.article) corrected \(correction.fields.names.joined(separator: ", ")): \(correction.reason)"
        }
        if view.sources.count > previous.sources.count, let source = view.sources.last?.assertion {
            let sharpened = view.when != previous.when ? "when \(previous.when) → \(view.when): " : ""
            return sharpened + "also asserted by \(source.article)"
        }
        return "changed"
    }
}
