import AnnalsDomain
import AnnalsLog
import AnnalsTimeline

/// The timeline as a static SVG picture, for reports: the facts current at the history's
/// position, in lanes by kind along a valid-time axis, drawn with the page's marks. Text stays
/// text (selectable, searchable), escaped as XML.
enum TimelineSVG {
    private static let laneLabelWidth = 170.0
    private static let width = 1200.0
    private static let rowHeight = 22.0
    private static let axisHeight = 28.0
    private static let markRadius = 6.0
    private static let headerHeight = 56.0

    private struct Shown {
        let fact: TimelineHistory.Fact
        let view: FactView
    }

    static func render(_ history: TimelineHistory, title: String, subtitle: String) -> String {
        let shown = history.facts.compactMap { fact -> Shown? in
            guard let current = fact.version(asOf: history.asOfPosition), current.matches else { return nil }
            return Shown(fact: fact, view: current.version.view)
        }
        let (from, to) = extent(shown.map(\.view.when))
        let plotWidth = width - laneLabelWidth - 12
        func x(_ t: Double) -> Double { laneLabelWidth + (t - from) / (to - from) * plotWidth }

        var body = ""
        var lanes: [(kind: FactKind, items: [Shown])] = []
        for item in shown {
            if let index = lanes.firstIndex(where: { $0.kind == item.view.kind }) { lanes[index].items.append(item) } else { lanes.append((item.view.kind, [item])) }
        }
        lanes.sort { $0.kind.rawValue < $1.kind.rawValue }
        var y = headerHeight + axisHeight + 6
        var marks = ""
        for lane in lanes {
            let style = KindStyle.of(lane.kind)
            var rows: [Double] = []
            var placed = ""
            for item in lane.items {
                let when = item.view.when
                let left = when.start == .min ? laneLabelWidth : max(laneLabelWidth, x(Double(when.start)))
                let right = when.end == .max ? width : min(width, x(Double(when.end)))
                let isPoint = isPointMark(when)
                let label = truncated(item.view.summary, 48)
                let labelWidth = 8 + Double(label.count) * 6.2
                // A label goes after its mark unless it would run off the picture, then before it.
                let anchor = isPoint ? x((Double(when.start) + Double(when.end)) / 2) : left
                let labelBefore = anchor + 2 * markRadius + labelWidth > width && anchor - labelWidth > laneLabelWidth
                let start = labelBefore ? anchor - labelWidth - markRadius : isPoint ? anchor - markRadius : left
                let end = labelBefore ? max(anchor + markRadius, isPoint ? 0 : right) : max(anchor + 2 * markRadius + labelWidth, isPoint ? 0 : right)
                let row = rows.firstIndex { $0 <= start } ?? rows.count
                if row == rows.count { rows.append(0) }
                rows[row] = end + 6
                let cy = y + Double(row) * rowHeight + rowHeight / 2
                let dash = when.isUncertain ? " stroke-dasharray=\"1 3\"" : when.isApproximate ? " stroke-dasharray=\"4 3\"" : ""
                var labelX: Double
                placed += "<g><title>\(Markup.text("\(DateWords.words(when)) (\(when.description)) · \(item.view.kind.rawValue)\n\(item.view.summary)"))</title>"
                if isPoint {
                    let px = x((Double(when.start) + Double(when.end)) / 2)
                    let fill = when.isApproximate || when.isUncertain ? "#fff" : style.colour
                    placed += "<path d=\"\(style.path)\" transform=\"translate(\(f(px)),\(f(cy))) scale(\(f(markRadius)))\" vector-effect=\"non-scaling-stroke\" fill=\"\(fill)\" stroke=\"\(style.colour)\" stroke-width=\"2\"\(dash)/>"
                    labelX = px + markRadius + 5
                } else {
                    let open = when.start == .min || when.end == .max
                    let fill = when.end == .max ? "url(#fade-right-\(style.kind.rawValue))" : when.start == .min ? "url(#fade-left-\(style.kind.rawValue))" : style.colour
                    placed += "<rect x=\"\(f(left))\" y=\"\(f(cy - 6))\" width=\"\(f(max(3, right - left)))\" height=\"12\" rx=\"2\" fill=\"\(fill)\" fill-opacity=\"\(open ? "1" : "0.3")\" stroke=\"\(style.colour)\" stroke-width=\"1.5\"\(open ? " stroke-opacity=\"0.5\"" : "")\(dash)/>"
                    placed += "<path d=\"\(style.path)\" transform=\"translate(\(f(left + markRadius + 1)),\(f(cy))) scale(\(f(markRadius * 0.75)))\" vector-effect=\"non-scaling-stroke\" fill=\"\(style.colour)\" stroke=\"#fff\" stroke-width=\"1\"/>"
                    labelX = left + 2 * markRadius + 8
                }
                if when.isUncertain { placed += "<text x=\"\(f(labelX - 3))\" y=\"\(f(cy - 6))\" class=\"uncertain\">?</text>" }
                let labelAttributes = labelBefore ? "x=\"\(f(anchor - markRadius - 5))\" text-anchor=\"end\"" : "x=\"\(f(labelX))\""
                placed += "<text \(labelAttributes) y=\"\(f(cy + 4))\" class=\"label\" unicode-bidi=\"isolate\">\(Markup.text(label))</text></g>\n"
            }
            let height = Double(max(1, rows.count)) * rowHeight
            body += "<rect class=\"lane\" x=\"0\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\"/>\n"
            body += "<path d=\"\(style.path)\" transform=\"translate(14,\(f(y + 11))) scale(5)\" fill=\"\(style.colour)\"/>"
            body += "<text class=\"lane-label\" x=\"26\" y=\"\(f(y + 15))\">\(Markup.text(lane.kind.rawValue))</text>\n"
            marks += placed
            y += height + 4
        }
        let height = max(y + 8, headerHeight + 120)
        var axis = ""
        for tick in ticks(from: from, to: to, width: plotWidth) {
            let tx = x(tick.time)
            axis += "<line x1=\"\(f(tx))\" x2=\"\(f(tx))\" y1=\"\(f(headerHeight + axisHeight - 6))\" y2=\"\(f(height))\"/><text x=\"\(f(tx + 3))\" y=\"\(f(headerHeight + axisHeight - 10))\">\(tick.label)</text>\n"
        }
        var gradients = ""
        for style in KindStyle.all {
            for (direction, x1, x2) in [("right", 0, 1), ("left", 1, 0)] {
                gradients += "<linearGradient id=\"fade-\(direction)-\(style.kind.rawValue)\" x1=\"\(x1)\" x2=\"\(x2)\" y1=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"\(style.colour)\" stop-opacity=\"0.55\"/><stop offset=\"1\" stop-color=\"\(style.colour)\" stop-opacity=\"0\"/></linearGradient>\n"
            }
        }
        let emptyNote = shown.isEmpty ? "<text x=\"\(f(laneLabelWidth))\" y=\"\(f(headerHeight + axisHeight + 30))\" class=\"label\">no facts</text>\n" : ""
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="system-ui, sans-serif" role="img">
        <title>\(Markup.text(title))</title>
        <desc>\(Markup.text(subtitle))</desc>
        <style>.lane{fill:#f6f8fa}.lane-label{font-size:12px;fill:#57606a}.axis line{stroke:#d0d7de}.axis text{font-size:11px;fill:#57606a}.label{font-size:12px;fill:#1f2328}.uncertain{font-size:11px;font-weight:700}.title{font-size:18px;font-weight:700}.subtitle{font-size:12px;fill:#57606a}</style>
        <defs>
        \(gradients)<clipPath id="plot"><rect x="\(f(laneLabelWidth))" y="0" width="\(f(plotWidth + 12))" height="\(f(height))"/></clipPath>
        </defs>
        <rect width="100%" height="100%" fill="#fff"/>
        <text x="12" y="24" class="title" unicode-bidi="isolate">\(Markup.text(title))</text>
        <text x="12" y="44" class="subtitle" unicode-bidi="isolate">\(Markup.text(subtitle))</text>
        \(body)<g class="axis">
        \(axis)</g>
        <g clip-path="url(#plot)">
        \(marks)</g>
        \(emptyNote)</svg>

        """
    }

    static func isPointMark(_ when: ValidTime) -> Bool {
        if case .point(let point) = when.shape { return point.precision >= .day }
        return false
    }

    /// The valid-time window that shows every date, padded a little.
    private static func extent(_ dates: [ValidTime]) -> (Double, Double) {
        let bounds = dates.flatMap { [$0.start, $0.end] }.filter { $0 != .min && $0 != .max }.map(Double.init)
        guard var low = bounds.min(), var high = bounds.max() else {
            let now = Double(Timestamp.now().microsecondsSinceEpoch / 1_000_000)
            return (now - 365 * 86_400, now)
        }
        if high - low < 86_400 {
            low -= 43_200
            high += 43_200
        }
        let pad = (high - low) * 0.04
        return (low - pad, high + pad)
    }

    /// Axis ticks at whole years, months, days or hours, about 110 points apart at most.
    private static func ticks(from: Double, to: Double, width: Double) -> [(time: Double, label: String)] {
        let day = 86_400.0
        let steps: [(unit: String, count: Int64, length: Double)] = [
            ("year", 100, 36_525 * day), ("year", 50, 18_262 * day), ("year", 10, 3_652 * day), ("year", 5, 1_826 * day), ("year", 1, 365 * day),
            ("month", 3, 91 * day), ("month", 1, 30 * day), ("day", 7, 7 * day), ("day", 1, day), ("hour", 6, 21_600), ("hour", 1, 3_600),
        ]
        let perPoint = (to - from) / width
        let step = steps.last { $0.length / perPoint >= 55 } ?? steps[0]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func dayLabel(_ t: Double) -> String {
            let date = CivilDate.fromDaysSinceEpoch(Int64((t / day).rounded(.down)))
            return "\(months[Int(date.month - 1)]) \(date.day)"
        }
        var result: [(Double, String)] = []
        let firstDay = Int64((from / day).rounded(.down))
        var (year, month, _) = CivilDate.fromDaysSinceEpoch(firstDay)
        switch step.unit {
        case "year":
            year = Int64((Double(year) / Double(step.count)).rounded(.down)) * step.count
            while result.count < 200 {
                let t = Double(CivilDate.daysSinceEpoch(year: year, month: 1, day: 1)) * day
                if t > to { break }
                if t >= from { result.append((t, String(year))) }
                year += step.count
            }
        case "month":
            month = (month - 1) / step.count * step.count + 1
            while result.count < 200 {
                let t = Double(CivilDate.daysSinceEpoch(year: year, month: month, day: 1)) * day
                if t > to { break }
                if t >= from { result.append((t, month == 1 ? String(year) : months[Int(month - 1)])) }
                month += step.count
                if month > 12 { month -= 12; year += 1 }
            }
        case "day":
            var t = Double(firstDay) * day
            while t <= to, result.count < 200 {
                if t >= from { result.append((t, dayLabel(t))) }
                t += Double(step.count) * day
            }
        default:
            let stepSeconds = Double(step.count) * 3_600
            var t = (from / stepSeconds).rounded(.down) * stepSeconds
            while t <= to, result.count < 200 {
                if t >= from {
                    let seconds = Int64(t) - Int64((t / day).rounded(.down)) * 86_400
                    let hour = seconds / 3_600
                    result.append((t, hour == 0 ? dayLabel(t) : "\(hour < 10 ? "0" : "")\(hour):00"))
                }
                t += stepSeconds
            }
        }
        return result
    }

    private static func truncated(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// A coordinate with at most one decimal, as SVG reads it.
    private static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}
