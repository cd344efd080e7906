import AnnalsDomain
import AnnalsTimeline
import AnnalsTimelineProjections

/// `annals timeline --format html|svg|timelinejs` and `annals actor … --format html|svg|timelinejs`:
/// the query's timeline as a page or a picture, with every version of each fact up to the
/// query's as-of, or as TimelineJS's slides of the facts current then.
enum TimelinePicture {
    /// Writes the picture when `format` asks for one; `false` for any other format. TimelineJS's
    /// rows are `grouping`'s.
    static func render(_ query: TimelineQuery, format: OutputFormat, store: TimelineStore, grouping: TimelineJSExport.Grouping = .kind) throws -> Bool {
        if format == .timelinejs {
            let result = try store.timeline(query)
            let cited = result.entries.flatMap { entry in
                let view = entry.view
                return view.sources.map(\.assertion.article) + view.corrections.map(\.correction.article) + (view.retraction.map { [$0.retraction.article] } ?? [])
            }
            let title = result.actor.map { "\($0.name) — timeline" } ?? "Timeline"
            let document = TimelineJSExport.document(
                result, articles: try store.articleSummaries(cited), title: title, subtitle: try header(result, store: store), grouping: grouping)
            Console.current.line(document.serialized())
            return true
        }
        guard format == .html || format == .svg else { return false }
        let progress = ProgressDisplay(label: "reading the facts", unit: "positions")
        let history = try store.timelineHistory(query) { done, total in progress.update(done: Int(done), total: Int(total)) }
        progress.finish()
        let (title, subtitle) = titles(query, history: history)
        let console = Console.current
        switch format {
        case .svg: console.write(TimelineSVG.render(history, title: title, subtitle: subtitle))
        default: console.write(TimelinePage.html(history, title: title, subtitle: subtitle))
        }
        return true
    }

    /// "Vladimir Putin — timeline" and "kind attack · 2021-05 to 2021-06 · as of position 83
    /// (recorded …) · 12 facts".
    static func titles(_ query: TimelineQuery, history: TimelineHistory) -> (title: String, subtitle: String) {
        let title = history.actor.map { "\($0.name) — timeline" } ?? "Timeline"
        var parts: [String] = []
        if let kind = query.kind { parts.append("kind \(kind.rawValue)") }
        switch (query.from, query.to) {
        case let (from?, to?): parts.append("from \(from) to \(to)")
        case let (from?, nil): parts.append("from \(from)")
        case let (nil, to?): parts.append("until \(to)")
        case (nil, nil): break
        }
        parts.append("as of position \(history.asOfPosition)\(history.asOfRecordedAt.map { " (recorded \($0))" } ?? "")")
        let count = history.facts.count
        parts.append("\(count) \(count == 1 ? "fact" : "facts")\(history.hasMore || history.offset > 0 ? " from \(history.offset + 1)\(history.hasMore ? ", more follow" : "")" : "")")
        return (title, parts.joined(separator: " · "))
    }
}
