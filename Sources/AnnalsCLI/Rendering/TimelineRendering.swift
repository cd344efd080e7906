import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline

/// Renders timeline entries in every output format.
enum TimelineRendering {
    static func render(_ result: TimelineResult, format: OutputFormat, roles: Bool = false, console: Console) {
        switch format {
        case .json:
            console.line(json(result).serialized())
        case .jsonl:
            for entry in result.entries { console.line(entry.json(actorNames: result.actorNames).serialized()) }
        case .csv:
            console.write(csv(result))
        case .table:
            console.write(table(result, roles: roles))
        case .html, .svg, .timelinejs:
            // Pictures show every version of each fact, not one page of rows: ``TimelinePicture``
            // draws them from a ``TimelineHistory`` before a TimelineResult is ever made.
            break
        case .cloudevents:
            // Events, not facts: only `tail` writes them, and timeline commands refuse it first.
            break
        }
    }

    /// The page as `--format json` prints it (docs/QUERIES.md).
    static func json(_ result: TimelineResult) -> JSONValue {
        .object([("as_of", .integer(result.asOfPosition))] + result.page.jsonMembers
            + [("facts", .array(result.entries.map { $0.json(actorNames: result.actorNames) }))])
    }

    static func table(_ result: TimelineResult, roles: Bool) -> String {
        guard !result.entries.isEmpty else { return "no facts\n" }
        var rows = [["WHEN", "KIND", "SUMMARY", roles ? "ROLE" : "ACTORS", "AMOUNTS", "SOURCES", "POS"]]
        var flagsUsed: Set<String> = []
        for entry in result.entries {
            let view = entry.view
            let flags = Self.flags(view)
            flagsUsed.formUnion(flags.map(String.init))
            let actors = roles
                ? entry.roles.map(\.rawValue).joined(separator: ", ")
                : view.actors.map { result.actorNames[$0.actor] ?? $0.actor }.uniqued().joined(separator: ", ")
            rows.append([
                view.when.description, view.kind.rawValue, truncate(view.summary, 64), truncate(actors, 36),
                truncate(view.quantities.map(\.display).joined(separator: "; "), 24),
                "\(view.sources.count)\(flags.isEmpty ? "" : " " + flags)", "\(view.lastPosition)",
            ])
        }
        var text = renderTable(rows, rightAligned: [6])
        let legend = [("≈", "sources differ in precision"), ("≠", "sources contradict each other"), ("c", "corrected")]
            .filter { flagsUsed.contains($0.0) }.map { "\($0.0) \($0.1)" }
        if !legend.isEmpty { text += legend.joined(separator: " · ") + "\n" }
        return text
    }

    /// `≈` sources refine each other, `≠` they contradict, `c` corrected.
    static func flags(_ view: FactView) -> String {
        var flags = ""
        if view.conflicts.contains(where: { $0.kind == .refinement }) { flags += "≈" }
        if view.conflicts.contains(where: { $0.kind == .contradiction }) { flags += "≠" }
        if !view.corrections.isEmpty { flags += "c" }
        return flags
    }

    static func csv(_ result: TimelineResult) -> String {
        var text = "fact,kind,when,start,end,summary,actors,quantities,place,sources,conflicts,position\n"
        for entry in result.entries {
            let view = entry.view
            let json = view.json(actorNames: result.actorNames)
            guard case .object(let members) = json else { continue }
            let field = { (name: String) -> String in
                guard let value = members.first(where: { $0.0 == name })?.1 else { return "" }
                if case .string(let text) = value { return text }
                if case .null = value { return "" }
                return value.serialized()
            }
            let cells = [
                view.id, view.kind.rawValue, view.when.description, field("start"), field("end"), view.summary,
                view.actors.map { "\($0.actor):\($0.role.rawValue)" }.joined(separator: ";"),
                view.quantities.map { "\($0.name)=\($0.display)" }.joined(separator: ";"), view.place ?? "",
                view.sources.map(\.assertion.article).joined(separator: ";"),
                view.conflicts.map { "\($0.field):\($0.kind.rawValue)" }.joined(separator: ";"), "\(view.lastPosition)",
            ]
            text += cells.map(csvCell).joined(separator: ",") + "\n"
        }
        return text
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
