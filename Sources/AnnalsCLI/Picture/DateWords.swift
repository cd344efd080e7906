import AnnalsDomain

/// A date as a reader says it, at the precision it has and no finer: "2021", "May 2021",
/// "May 6, 2021", "May 6, 2021, 14:00 UTC"; "about" for an approximate date, "perhaps" for an
/// uncertain one; "May 7 – May 12, 2021" for an interval, "until June 16, 2021" and "from May
/// 2021" for open ones. Pictures show it beside the exact form (`2021-05-06`).
enum DateWords {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                                 "November", "December"]

    static func words(_ when: ValidTime) -> String {
        switch when.shape {
        case .point(let point): words(point)
        case let .interval(from?, to?): "\(words(from, withYear: from.year != to.year || from.precision == .year)) – \(words(to))"
        case let .interval(from?, nil): "from \(words(from))"
        case let .interval(nil, to?): "until \(words(to))"
        case .interval(nil, nil): "at an unknown time"
        }
    }

    static func words(_ point: ValidTime.Point, withYear: Bool = true) -> String {
        let year = point.year < 1 ? "\(1 - point.year) BCE" : String(point.year)
        let month = (1...12).contains(point.month) ? months[point.month - 1] : "?"
        var text: String
        switch point.precision {
        case .year: text = year
        case .month: text = withYear ? "\(month) \(year)" : month
        case .day: text = withYear ? "\(month) \(point.day), \(year)" : "\(month) \(point.day)"
        case .minute, .second:
            let hours = point.secondOfDay / 3_600, minutes = point.secondOfDay / 60 % 60, seconds = point.secondOfDay % 60
            let clock = "\(pad(hours)):\(pad(minutes))" + (point.precision == .second ? ":\(pad(seconds))" : "")
            text = "\(month) \(point.day)\(withYear ? ", \(year)" : ""), \(clock) UTC"
        }
        switch point.qualifier {
        case .none: break
        case .approximate: text = "about " + text
        case .uncertain: text = "perhaps " + text
        case .approximateAndUncertain: text = "perhaps about " + text
        }
        return text
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
