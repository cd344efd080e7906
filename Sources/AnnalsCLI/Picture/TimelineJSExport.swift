import AnnalsDomain
import AnnalsLog
import AnnalsTimeline
import AnnalsTimelineProjections

/// `--format timelinejs`: a page of the timeline as TimelineJS3's JSON, for newsrooms that
/// already publish with it. A title slide, then one slide per fact: its date with only the
/// parts the date knows (a month-precision fact has no day), the date in words where TimelineJS
/// would show a false precision (approximate, uncertain or open dates), the summary as the
/// headline, and the actors, amounts, place, sources with their quotes, disagreements and
/// corrections in the text.
///
/// TimelineJS shows `headline` and `text` as HTML, so every string from the store is escaped
/// for HTML text and isolated with `<bdi>`; only http(s) article addresses become links, and
/// TimelineJS's own linking of addresses in the text is turned off.
enum TimelineJSExport {
    /// How slides are grouped into TimelineJS's rows.
    enum Grouping {
        /// One row per kind of fact.
        case kind
        /// One row per role the page's actor plays (`annals actor NAME`).
        case role
    }

    static func document(_ result: TimelineResult, articles: [String: ArticleSummary], title: String, subtitle: String, grouping: Grouping) -> JSONValue {
        var slides: [JSONValue] = []
        var undated = 0
        for entry in result.entries {
            guard let slide = slide(entry, names: result.actorNames, articles: articles, grouping: grouping) else {
                undated += 1
                continue
            }
            slides.append(slide)
        }
        var introduction = html(subtitle)
        if undated > 0 {
            introduction += "<p>\(undated == 1 ? "One fact has" : "\(undated) facts have") no known date and no slide.</p>"
        }
        return .object([
            ("title", .object([("text", .object([("headline", .string(html(title))), ("text", .string(introduction))]))])),
            ("events", .array(slides)),
        ])
    }

    /// One fact's slide, or nil for a fact with no known date at all (`../..`).
    static func slide(_ entry: TimelineEntry, names: [String: String], articles: [String: ArticleSummary], grouping: Grouping) -> JSONValue? {
        let view = entry.view
        let start: ValidTime.Point, end: ValidTime.Point?
        switch view.when.shape {
        case .point(let point): (start, end) = (point, nil)
        case let .interval(from?, to?): (start, end) = (from, to)
        case let .interval(from?, nil): (start, end) = (from, nil)
        // Open at the start: placed where it is last known to hold, and said "until …".
        case let .interval(nil, to?): (start, end) = (to, nil)
        case .interval(nil, nil): return nil
        }
        var members: [(String, JSONValue)] = [("unique_id", .string(view.id)), ("start_date", date(start))]
        if let end { members.append(("end_date", date(end))) }
        if needsWords(view.when) { members.append(("display_date", .string(DateWords.words(view.when)))) }
        members.append(("text", .object([("headline", .string(html(view.summary))), ("text", .string(text(entry, names: names, articles: articles)))])))
        let group = switch grouping {
        case .kind: view.kind.rawValue
        case .role: entry.roles.map(\.rawValue).joined(separator: ", ")
        }
        members.append(("group", .string(group)))
        members.append(("autolink", .bool(false)))
        return .object(members)
    }

    /// TimelineJS's date object: the year, then each finer part the date knows.
    static func date(_ point: ValidTime.Point) -> JSONValue {
        var parts: [(String, JSONValue)] = [("year", .integer(point.year))]
        if point.precision >= .month { parts.append(("month", .integer(point.month))) }
        if point.precision >= .day { parts.append(("day", .integer(point.day))) }
        if point.precision >= .minute {
            parts.append(("hour", .integer(point.secondOfDay / 3_600)))
            parts.append(("minute", .integer(point.secondOfDay / 60 % 60)))
        }
        if point.precision >= .second { parts.append(("second", .integer(point.secondOfDay % 60))) }
        return .object(parts)
    }

    /// Whether TimelineJS's own rendering of the parts would claim more than the date says.
    static func needsWords(_ when: ValidTime) -> Bool {
        if when.isApproximate || when.isUncertain { return true }
        if case .interval(let from, let to) = when.shape, from == nil || to == nil { return true }
        return false
    }

    /// The slide's text: who, how much, where, and each source with its words.
    static func text(_ entry: TimelineEntry, names: [String: String], articles: [String: ArticleSummary]) -> String {
        let view = entry.view
        var paragraphs: [String] = []
        let when = html(DateWords.words(view.when)) + (view.said.map { " (the article: “\(html($0))”)" } ?? "")
        paragraphs.append("<p>\(when) · \(html(view.kind.rawValue))</p>")
        if !view.actors.isEmpty {
            paragraphs.append("<p>" + view.actors.map { "\(html(names[$0.actor] ?? $0.actor)) (\(html($0.role.rawValue)))" }.joined(separator: ", ") + "</p>")
        }
        if !view.quantities.isEmpty {
            paragraphs.append("<p>" + view.quantities.map { "\(html($0.name)): \(html($0.display))" }.joined(separator: "; ") + "</p>")
        }
        if let place = view.place { paragraphs.append("<p>\(html(place))</p>") }
        for conflict in view.conflicts {
            let mark = conflict.kind == .refinement ? "≈ sources differ in precision on" : "≠ sources contradict each other on"
            let values = conflict.values.map { "\(article($0.article, articles)) says \(html($0.value))" }.joined(separator: "; ")
            paragraphs.append("<p>\(mark) \(html(conflict.field)): \(values)</p>")
        }
        for correction in view.corrections {
            let fields = correction.correction.fields.names.joined(separator: ", ")
            paragraphs.append("<p>Corrected (\(html(fields))) by \(article(correction.correction.article, articles)): \(html(correction.correction.reason))</p>")
        }
        if let retraction = view.retraction {
            paragraphs.append("<p>Retracted by \(article(retraction.retraction.article, articles)): \(html(retraction.retraction.reason))</p>")
        }
        for source in view.sources {
            paragraphs.append("<blockquote>\(html(source.assertion.quote))</blockquote><p>— \(article(source.assertion.article, articles))</p>")
        }
        return paragraphs.joined()
    }

    /// The article by its title, a link when its address is http(s), else its id.
    static func article(_ id: String, _ articles: [String: ArticleSummary]) -> String {
        guard let summary = articles[id] else { return html(id) }
        let name = html("\(summary.title), \(summary.publisher), \(summary.published)")
        guard let url = Markup.linkableURL(summary.url) else { return name }
        return "<a href=\"\(Markup.text(url))\" rel=\"noopener noreferrer nofollow\">\(name)</a>"
    }

    /// Store text as HTML text, isolated so that a right-to-left override stays inside it.
    static func html(_ text: String) -> String {
        "<bdi>\(Markup.text(text))</bdi>"
    }
}
