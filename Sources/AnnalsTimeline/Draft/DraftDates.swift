import AnnalsDomain
import AnnalsLog

/// A calendar date at the precision a text gives it: a year, a month of a year, or a day.
struct DraftDay: Hashable, Sendable {
    let year: Int
    /// 1–12, or 0 for a year.
    let month: Int
    /// 1–31, or 0 for a month or a year.
    let day: Int
    /// EDTF's qualifier as written after the date: "", "~", "?" or "%".
    var qualifier: String = ""

    init(year: Int, month: Int = 0, day: Int = 0, qualifier: String = "") {
        self.year = year
        self.month = month
        self.day = day
        self.qualifier = qualifier
    }

    init(daysSinceEpoch days: Int64) {
        let civil = CivilDate.fromDaysSinceEpoch(days)
        self.init(year: Int(civil.year), month: Int(civil.month), day: Int(civil.day))
    }

    var isDay: Bool { day != 0 }

    /// Whether this date begins no later than `bound` ends: 2021-06-15 is not after 2021-06, nor
    /// 2021-06 after 2021-06-15.
    func isNotAfter(_ bound: DraftDay) -> Bool {
        if bound.isDay { return daysSinceEpoch <= bound.daysSinceEpoch }
        if bound.month != 0 { return (year, month) <= (bound.year, bound.month) }
        return year <= bound.year
    }
    var isMonth: Bool { month != 0 && day == 0 }

    /// The first and the last day the date covers: one day, a month's or a year's.
    var days: ClosedRange<Int64> {
        if isDay { return daysSinceEpoch...daysSinceEpoch }
        let next = month == 0 || month == 12 ? DraftDay(year: year + 1, month: 1) : DraftDay(year: year, month: month + 1)
        return daysSinceEpoch...(next.daysSinceEpoch - 1)
    }

    var daysSinceEpoch: Int64 { CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(max(month, 1)), day: Int64(max(day, 1))) }

    /// Monday is 1, Sunday 7 (1970-01-01 was a Thursday).
    var weekday: Int { Int(((daysSinceEpoch % 7) + 7 + 3) % 7) + 1 }

    /// The weekdays' names in English, Monday first, for the drafter's comments.
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    func adding(days: Int) -> DraftDay { DraftDay(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    var unqualified: DraftDay { DraftDay(year: year, month: month, day: day) }

    /// The day, month or year `step` of them away, at this date's precision.
    func neighbour(_ step: Int) -> DraftDay {
        if isDay { return adding(days: step) }
        if month == 0 { return DraftDay(year: year + step) }
        let months = year * 12 + (month - 1) + step
        return DraftDay(year: months / 12, month: months % 12 + 1)
    }

    var edtf: String {
        var text = String(year)
        while text.count < 4 { text = "0" + text }
        if month != 0 { text += "-" + (month < 10 ? "0" : "") + String(month) }
        if day != 0 { text += "-" + (day < 10 ? "0" : "") + String(day) }
        return text + qualifier
    }

    var isValid: Bool {
        (1...9998).contains(year) && (month == 0 || (1...12).contains(month))
            && (day == 0 || CivilDate.isValid(year: Int64(year), month: Int64(month), day: Int64(day)))
    }
}

extension DraftDay {
    /// The last day of this date's month (of December for a year).
    var lastDayOfMonth: DraftDay {
        let month = self.month == 0 ? 12 : self.month
        let next = month == 12 ? DraftDay(year: year + 1, month: 1, day: 1) : DraftDay(year: year, month: month + 1, day: 1)
        return next.adding(days: -1)
    }

    /// When a date told "later that week" (`.later`), "earlier that week" (`.earlier`) or
    /// "that week" (`.whole`) lies, against this date, the event just told; nil when this date
    /// is too coarse for the period ("later that week" after "in May").
    func within(_ period: DraftPeriod, _ part: DraftPeriod.Part) -> DraftWhen? {
        let start: DraftDay
        let end: DraftDay
        switch period {
        case .week:
            guard isDay else { return nil }
            start = adding(days: 1 - weekday)
            end = start.adding(days: 6)
        case .month:
            guard month != 0 else { return nil }
            if part == .whole { return .point(DraftDay(year: year, month: month)) }
            guard isDay else { return nil }
            start = DraftDay(year: year, month: month, day: 1)
            end = lastDayOfMonth
        case .year:
            if part == .whole { return .point(DraftDay(year: year)) }
            guard isDay else { return nil }
            start = DraftDay(year: year, month: 1, day: 1)
            end = DraftDay(year: year, month: 12, day: 31)
        }
        switch part {
        case .whole: return .interval(start, end)
        case .later:
            let from = adding(days: 1)
            return from.daysSinceEpoch <= end.daysSinceEpoch ? .interval(from, end) : nil
        case .earlier:
            let to = adding(days: -1)
            return start.daysSinceEpoch <= to.daysSinceEpoch ? .interval(start, to) : nil
        }
    }
}

/// A week, month or year told against the event before it ("later that week").
enum DraftPeriod: String, Sendable {
    case week, month, year

    enum Part: Sendable { case later, earlier, whole }

    /// Reads a `[that-period]` key of the dates lexicon: `later-week`, `earlier-month`, `year`.
    static func parse(_ key: String) -> (DraftPeriod, Part)? {
        let parts = key.split(separator: "-")
        guard let period = parts.last.flatMap({ DraftPeriod(rawValue: String($0)) }) else { return nil }
        switch parts.count {
        case 1: return (period, .whole)
        case 2 where parts[0] == "later": return (period, .later)
        case 2 where parts[0] == "earlier": return (period, .earlier)
        default: return nil
        }
    }
}

/// A fact's `when` as drafted: one date, or an interval whose ends may be open.
enum DraftWhen: Hashable, Sendable {
    case point(DraftDay)
    case interval(DraftDay?, DraftDay?)

    var edtf: String {
        switch self {
        case .point(let day): day.edtf
        case let .interval(from, to): (from?.edtf ?? "..") + "/" + (to?.edtf ?? "..")
        }
    }

    /// The date a sentence after this one may start from ("As a result, …"): a point's date,
    /// or an interval's start.
    var start: DraftDay? {
        switch self {
        case .point(let day): day
        case .interval(let from, _): from
        }
    }

    /// Whether this is a month or a year that holds all of `other`, a shorter date: "this year"
    /// holds "in February", "in May" holds "May 6".
    func isCoarserThan(_ other: DraftWhen) -> Bool {
        guard case .point(let coarse) = self, !coarse.isDay, case .point(let fine) = other else { return false }
        let (outer, inner) = (coarse.days, fine.days)
        return outer != inner && outer.contains(inner.lowerBound) && outer.contains(inner.upperBound)
    }

    /// A point's date, or an interval's end.
    var end: DraftDay? {
        switch self {
        case .point(let day): day
        case .interval(_, let to): to
        }
    }
}

/// A date expression found in a sentence, before it is resolved against the publication date.
struct FoundDate: Sendable {
    enum Spec: Sendable, Equatable {
        /// A calendar date; a missing year is inferred, a missing month or day is the precision.
        case calendar(year: Int?, month: Int?, day: Int?)
        /// `on Wednesday`, `last Wednesday`, `next Wednesday`; the offset is -1, 0 or 1.
        case weekday(Int, offset: Int)
        /// `yesterday` is -1.
        case days(Int)
        case week(offset: Int)
        /// `over the weekend` is 0, the last one by the publication; `last weekend` is -1, the
        /// one before the publication's when that falls on a weekend.
        case weekend(offset: Int)
        case month(offset: Int)
        case year(offset: Int)
        /// `three days ago`, `two weeks ago`, `a month ago`: so many units before the publication.
        case ago(Int, unit: AgoUnit)
        /// `the past week`, `over the last two months`: the span of so many units that ends at
        /// the publication (where `last week`, without `the`, is the calendar week before).
        case past(Int, unit: AgoUnit)
        /// `June last year`, `May 6 this year`: a month (and day) of the publication's year
        /// moved by `yearOffset`.
        case monthOfRelativeYear(month: Int, day: Int?, yearOffset: Int)
        /// `the second quarter of 2021`, `the first half of last year`, `the third quarter`:
        /// part `index` of a year cut into `parts` (4 or 2); the year written, relative to the
        /// publication's (`yearOffset`), or neither (the latest such part by the publication).
        case partOfYear(index: Int, parts: Int, year: Int?, yearOffset: Int?)
        /// A day known by name whose date moves: weekday `weekday` of `month`, the `ordinal`th
        /// of the month (`-1` the last), in `year` or the year found as a month's is; with
        /// `weekend`, the weekend the day makes longer ("Memorial Day weekend", Saturday to Monday).
        case movingHoliday(MovingHoliday, year: Int?, weekend: Bool)
    }

    /// When a day known by name falls: the `ordinal`th `weekday` (Monday 1) of `month`, `-1` the last.
    struct MovingHoliday: Sendable, Equatable {
        let month: Int
        let ordinal: Int
        let weekday: Int

        /// Its day in `year`.
        func day(in year: Int) -> DraftDay {
            if ordinal > 0 {
                let first = DraftDay(year: year, month: month, day: 1)
                return first.adding(days: (weekday - first.weekday + 7) % 7 + 7 * (ordinal - 1))
            }
            let last = DraftDay(year: year, month: month, day: Int(CivilDate.daysInMonth(year: Int64(year), month: Int64(month))))
            return last.adding(days: -((last.weekday - weekday + 7) % 7))
        }

        /// The days of the long weekend it makes: a Monday's from the Saturday before, a
        /// Thursday's or a Friday's to the Sunday after; another day's is the day alone.
        var weekend: ClosedRange<Int> {
            switch weekday {
            case 1: -2...0
            case 4: 0...3
            case 5: 0...2
            default: 0...0
            }
        }
    }

    enum AgoUnit: String, Sendable { case day, week, month, year }

    enum Shape: Sendable, Equatable {
        case point(Spec)
        case interval(Spec, Spec)
        /// `since May 7`: from then to the publication.
        case since(Spec)
        /// `by June 3`: on or before then.
        case by(Spec)
        /// `before June 3`: on some day (month, year) before it.
        case before(Spec)
        /// `after June 3`: on some day (month, year) after it, by the publication.
        case after(Spec)
    }

    let shape: Shape
    /// Which tokens of the sentence it spans, the preposition included.
    let tokens: Range<Int>
    let approximate: Bool
    /// How many days from the date the words before it put the event ("two days after the
    /// summit on June 16" is 2, "on the eve of the talks on June 16" -1; see `[from-a-date]`),
    /// where those words end, and where the date itself starts.
    var counted: (days: Int, wordsEnd: Int, dateStart: Int)?
    /// A month and day without a year that the word after it makes a deadline ("by a June 30
    /// deadline", "missed the May 15 deadline"): the one nearest the publication, ahead or behind,
    /// not the last one before it.
    var isNearestOccurrence = false

    /// The tokens that say when: the date's, and the words that count days from it, not what
    /// stands between them ("the summit", "Biden spoke to Putin").
    var wordsOfTime: [Int] {
        guard let counted else { return Array(tokens) }
        return Array(tokens.lowerBound..<counted.wordsEnd) + Array(counted.dateStart..<tokens.upperBound)
    }

    /// The date itself, without the words that count days from it: the date of an act told
    /// between them and it ("came two days after Biden spoke to Putin on Tuesday": the call's).
    var uncounted: FoundDate {
        guard let counted else { return self }
        return FoundDate(shape: shape, tokens: counted.dateStart..<tokens.upperBound, approximate: approximate)
    }
    /// Whether the text gave it relative to the publication (weekdays, "yesterday", "last week").
    var isRelative: Bool {
        func relative(_ spec: Spec) -> Bool {
            switch spec {
            case .calendar, .movingHoliday: false
            default: true
            }
        }
        switch shape {
        case .point(let spec), .since(let spec), .by(let spec), .before(let spec), .after(let spec): return relative(spec)
        case let .interval(from, to): return relative(from) || relative(to)
        }
    }
}

/// Finds and resolves date expressions, with the words the lexicon's `dates` file gives.
struct DraftDateReader: Sendable {
    private let months: [String: Int]
    private let weekdays: [String: Int]
    private let timesOfDay: Set<String>
    private let relativeDays: [(words: [String], days: Int)]
    private let futureMarkers: [[String]]
    private let hedges: Set<String>
    private let comparisons: Set<String>
    /// Words right after a month and day that make it a deadline (`[nearest-occurrence]`).
    private let nearestOccurrenceWords: Set<String>
    private let measuredAgainst: [[String]]
    /// Counts in words, for "three days ago": the whole numbers of the quantities lexicon.
    private let numberWords: [String: Int]
    /// After a count of days or weeks, the words that move an event from a date after them:
    /// 1 for later ("after"), -1 for earlier ("before").
    private let directionsFromDate: [(words: [String], sign: Int)]
    /// Phrases that move an event so many days from a date after them: "the eve of" is -1.
    private let daysFromDate: [(words: [String], days: Int)]
    /// Days known by name, each the same month and day every year: "Christmas Day", "the
    /// Fourth of July".
    private let holidays: [(words: [String], month: Int, day: Int)]
    /// Days known by name whose date moves from year to year: "Memorial Day", "Thanksgiving".
    private let movingHolidays: [(words: [String], holiday: FoundDate.MovingHoliday)]

    init(lexicon: DraftLexicon) {
        var months: [String: Int] = [:]
        for entry in lexicon.entries("months") { for phrase in entry.phrases { months[phrase.joined(separator: " ")] = Int(entry.key) } }
        var weekdays: [String: Int] = [:]
        for entry in lexicon.entries("weekdays") { for phrase in entry.phrases { weekdays[phrase.joined(separator: " ")] = Int(entry.key) } }
        self.months = months
        self.weekdays = weekdays
        relativeDays = lexicon.phrases("relative-days").compactMap { entry in Int(entry.key).map { (entry.words, $0) } }
            .sorted { $0.words.count > $1.words.count }
        futureMarkers = lexicon.phrases("future-markers").map(\.words)
        nearestOccurrenceWords = lexicon.words("nearest-occurrence")
        hedges = lexicon.words("date-hedges")
        timesOfDay = lexicon.words("times-of-day")
        comparisons = lexicon.words("comparisons")
        measuredAgainst = lexicon.phrases("measured-against").map(\.words)
        var numberWords: [String: Int] = ["a": 1, "an": 1]
        for entry in lexicon.entries("numbers") {
            guard let value = Int(entry.key) else { continue }
            for phrase in entry.phrases where phrase.count == 1 { numberWords[phrase[0]] = value }
        }
        self.numberWords = numberWords
        directionsFromDate = lexicon.phrases("from-a-date").compactMap { entry in Int(entry.key).map { (entry.words, $0.signum()) } }
        daysFromDate = lexicon.phrases("days-from-a-date").compactMap { entry in Int(entry.key).map { (entry.words, $0) } }
        holidays = lexicon.phrases("holidays").compactMap { entry in
            let parts = entry.key.split(separator: "-")
            guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]) else { return nil }
            return (entry.words, month, day)
        }.sorted { $0.words.count > $1.words.count }
        movingHolidays = lexicon.phrases("moving-holidays").compactMap { entry in
            let parts = entry.key.split(separator: " ")
            guard parts.count == 3, let month = Int(parts[0]), let weekday = weekdays[String(parts[2])],
                  let ordinal = parts[1] == "last" ? -1 : Self.ordinals[String(parts[1])] else { return nil }
            return (entry.words, FoundDate.MovingHoliday(month: month, ordinal: ordinal, weekday: weekday))
        }.sorted { $0.words.count > $1.words.count }
    }

    private static let prepositions: Set<String> = ["on", "in", "at", "by", "during", "over", "since", "until", "till", "from", "of", "early", "mid", "late", "throughout", "before", "after", "between", "around", "about", "on or about", "as of"]
    private static let monthContext: Set<String> = ["in", "between", "early", "mid", "late", "since", "until", "till", "by", "during", "of", "last", "this", "next", "mid-", "before", "after", "from", "through", "throughout", "end", "beginning", "start"]
    private static let yearContext: Set<String> = ["in", "since", "during", "by", "until", "till", "of", "from", "early", "late", "mid", "throughout", "before", "after", "through", "and", "to"]

    /// Every date expression in the tokens, left to right, none overlapping.
    func find(in tokens: [DraftToken]) -> [FoundDate] {
        var found: [FoundDate] = []
        var index = 0
        while index < tokens.count {
            if var date = interval(at: index, tokens) ?? weekOfMonth(at: index, tokens) ?? single(at: index, tokens) {
                if case .point(.calendar(nil, _?, _?)) = date.shape, date.tokens.upperBound < tokens.count,
                   nearestOccurrenceWords.contains(tokens[date.tokens.upperBound].lower) {
                    date.isNearestOccurrence = true
                }
                if !isComparison(date, tokens) { found.append(moved(date, tokens, notBefore: found.last?.tokens.upperBound ?? 0)) }
                index = max(date.tokens.upperBound, index + 1)
            } else {
                index += 1
            }
        }
        return found
    }

    /// `date` moved by the words before it that count days from it (`[from-a-date]`,
    /// `[days-from-a-date]`): "two days after the summit on June 16" is June 18. Only a date
    /// of a day moves, and only words with no comma between them and the date, no more than
    /// eight, and none of a date found before (`limit`) do; the date then spans them.
    private func moved(_ date: FoundDate, _ tokens: [DraftToken], notBefore limit: Int) -> FoundDate {
        let spec: FoundDate.Spec
        switch date.shape {
        case .point(let point): spec = point
        case .before(let bound), .after(let bound):
            // "two days after May 12", "the day before June 16": the count ends with the
            // date's own "before" or "after", and the event is on the day counted.
            let end = date.tokens.lowerBound + 1
            guard case .calendar(_, _?, _?) = bound, let (days, first) = daysFrom(endingAt: end, tokens), first >= limit else { return date }
            return FoundDate(shape: .point(bound), tokens: first..<date.tokens.upperBound, approximate: date.approximate, counted: (days, end, end))
        default: return date
        }
        switch spec {
        case .calendar(_, _?, _?), .weekday, .days: break
        default: return date
        }
        let start = date.tokens.lowerBound
        var end = start
        while true {
            if let (days, first) = daysFrom(endingAt: end, tokens), first >= limit {
                return FoundDate(shape: date.shape, tokens: first..<date.tokens.upperBound, approximate: date.approximate, counted: (days, end, start))
            }
            guard end > limit, start - end < 8, tokens[end - 1].isWord else { return date }
            end -= 1
        }
    }

    /// The days the words ending before `end` move an event from a date after them, and where
    /// those words start: a count of days or weeks and a direction, or a phrase of its own.
    private func daysFrom(endingAt end: Int, _ tokens: [DraftToken]) -> (days: Int, start: Int)? {
        for (words, days) in daysFromDate where DraftText.matches(words, tokens, at: end - words.count) {
            return (days, end - words.count)
        }
        for (words, sign) in directionsFromDate {
            let direction = end - words.count
            guard direction >= 2, DraftText.matches(words, tokens, at: direction) else { continue }
            let unit: Int
            switch tokens[direction - 1].lower {
            case "day", "days": unit = 1
            case "week", "weeks": unit = 7
            default: continue
            }
            guard let count = numberWords[tokens[direction - 2].lower] ?? Self.wholeNumber(tokens[direction - 2]), count <= 366 else { continue }
            // "shut down for nearly a week after the attack": how long it lasted from the date,
            // not a day counted from it.
            let countStart = direction - 2
            if tokens[max(0, countStart - 3)..<countStart].reversed().prefix(while: \.isWord).contains(where: { $0.lower == "for" }) { return nil }
            return (sign * count * unit, countStart)
        }
        return nil
    }

    /// Whether `date` measures the event against others rather than dating it: after a "since"
    /// that a comparison leads up to, "the first summit since 2018", "the first meeting between
    /// the two leaders since Biden took office in January". It ends at a comma ("The summit,
    /// the first since 2018, took place on June 16") and after a date right after "since" ("the
    /// first summit since 2018 took place on June 16").
    private func isComparison(_ date: FoundDate, _ tokens: [DraftToken]) -> Bool {
        isComparison(at: date.tokens.lowerBound, tokens)
    }

    /// Whether the words from `start` on are measured by a comparison before them, as for a date
    /// that starts there (see ``isComparison(_:_:)``): a year there is no year of the sentence's.
    func isComparison(at start: Int, _ tokens: [DraftToken]) -> Bool {
        // "up 151% from the same period of 2020": what a figure is measured against, the phrase
        // right before the date or, when the date opens with one, before its preposition.
        let ends = [start] + (start < tokens.count && Self.prepositions.contains(tokens[start].lower) ? [start + 1] : [])
        if measuredAgainst.contains(where: { phrase in ends.contains { DraftText.matches(phrase, tokens, at: $0 - phrase.count) } }) {
            return true
        }
        guard start < tokens.count,
              let since = tokens[max(0, start - 8)...start].lastIndex(where: { $0.lower == "since" }),
              !tokens[since..<start].contains(where: { $0.text == "," || $0.text == ";" }) else { return false }
        if since + 1 < start, let sinceDate = calendar(at: since + 1, tokens), sinceDate.end <= start { return false }
        return tokens[max(0, since - 6)..<since].contains { comparisons.contains($0.lower) }
    }

    /// A word without its possessive ending: "thursday's" is "thursday".
    private static func withoutPossessive(_ word: String) -> String {
        DraftToken.isPossessive(word) ? String(word.dropLast(2)) : word
    }

    /// A 4-digit year token, 1000–2999.
    static func year(_ token: DraftToken) -> Int? {
        guard token.text.count == 4, let value = Int(token.text), (1000...2999).contains(value) else { return nil }
        return value
    }

    /// A whole number in digits, as "3" in "3 days ago".
    private static func wholeNumber(_ token: DraftToken) -> Int? {
        guard token.isNumeric, token.lower.utf8.count <= 4 else { return nil }
        return Int(token.lower)
    }

    /// A day of the month: `6`, `06`, `6th`, `21st`.
    static func dayNumber(_ token: DraftToken) -> Int? {
        guard token.isNumeric, token.lower.utf8.count <= 4 else { return nil }
        var text = Substring(token.lower)
        for suffix in ["st", "nd", "rd", "th"] where text.hasSuffix(suffix) { text = text.dropLast(2); break }
        guard (1...2).contains(text.count), let value = Int(text), (1...31).contains(value) else { return nil }
        return value
    }

    private func month(_ tokens: [DraftToken], _ index: Int) -> Int? {
        guard index < tokens.count, tokens[index].isCapitalized, let month = months[tokens[index].lower] else { return nil }
        return month
    }

    /// `last year`, `this year`, `next year` at `index`: the offset from the publication's year.
    private static func relativeYear(_ tokens: [DraftToken], at index: Int) -> Int? {
        guard index + 1 < tokens.count, tokens[index + 1].lower == "year" else { return nil }
        return ["last": -1, "this": 0, "next": 1][tokens[index].lower]
    }

    private static let ordinals = ["first": 1, "second": 2, "third": 3, "fourth": 4]

    /// `the second quarter of 2021`, `the first half of last year`, `the third quarter`: a
    /// half needs its year, since "the first half" alone is as likely a match's.
    private func partOfYear(at start: Int, _ tokens: [DraftToken]) -> (spec: FoundDate.Spec, end: Int)? {
        var index = start
        if tokens[index].lower == "the" { index += 1 }
        guard index + 1 < tokens.count, let ordinal = Self.ordinals[tokens[index].lower] else { return nil }
        let parts: Int
        switch tokens[index + 1].lower {
        case "quarter": parts = 4
        case "half" where ordinal <= 2: parts = 2
        default: return nil
        }
        let afterPart = index + 2
        if afterPart + 1 < tokens.count, tokens[afterPart].lower == "of" {
            if let year = Self.year(tokens[afterPart + 1]) {
                return (.partOfYear(index: ordinal, parts: parts, year: year, yearOffset: nil), afterPart + 2)
            }
            if let offset = Self.relativeYear(tokens, at: afterPart + 1) {
                return (.partOfYear(index: ordinal, parts: parts, year: nil, yearOffset: offset), afterPart + 3)
            }
            if afterPart + 2 < tokens.count, tokens[afterPart + 1].lower == "the", tokens[afterPart + 2].lower == "year" {
                return (.partOfYear(index: ordinal, parts: parts, year: nil, yearOffset: 0), afterPart + 3)
            }
        }
        if afterPart < tokens.count, let year = Self.year(tokens[afterPart]) {
            return (.partOfYear(index: ordinal, parts: parts, year: year, yearOffset: nil), afterPart + 1)
        }
        return parts == 4 ? (.partOfYear(index: ordinal, parts: parts, year: nil, yearOffset: nil), afterPart) : nil
    }

    /// `May 6`, `May 6th, 2021`, `6 May 2021`, `May 2021`, `in May`, `2021-05-06`, `in 2020`,
    /// a weekday, a relative phrase; `end` is the index after it.
    private func calendar(at start: Int, _ tokens: [DraftToken]) -> (spec: FoundDate.Spec, end: Int)? {
        guard start < tokens.count else { return nil }
        let token = tokens[start]
        // ISO 8601: 2021-05-06, 2021-05, and the date of a timestamp, 2021-05-06T14:30:00Z
        // (read as one word up to its hour).
        var parts = token.lower.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, let time = parts[2].firstIndex(of: "t"), parts[2].distance(from: parts[2].startIndex, to: time) == 2 {
            parts[2] = parts[2][..<time]
        }
        if parts.count >= 2, parts.count <= 3, parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
           let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) {
            let day = parts.count == 3 ? Int(parts[2]) : nil
            if parts.count == 3, day == nil { return nil }
            return (.calendar(year: year, month: month, day: day), start + 1)
        }
        // A part of a month written as one word: mid-May, early-June, late-March; of a year,
        // the year: mid-2020.
        let halves = token.text.split(separator: "-", maxSplits: 1)
        if halves.count == 2, ["mid", "early", "late"].contains(halves[0].lowercased()), halves[1].count == 4,
           let year = Int(halves[1]), (1000...2999).contains(year) {
            return (.calendar(year: year, month: nil, day: nil), start + 1)
        }
        if halves.count == 2, ["mid", "early", "late"].contains(halves[0].lowercased()), halves[1].first?.isUppercase == true,
           let month = months[halves[1].lowercased()] {
            if start + 1 < tokens.count, let year = Self.year(tokens[start + 1]) {
                return (.calendar(year: year, month: month, day: nil), start + 2)
            }
            return (.calendar(year: nil, month: month, day: nil), start + 1)
        }
        // A day known by name, perhaps with its year: Christmas Day, the Fourth of July 2021.
        for holiday in holidays where DraftText.matches(holiday.words, tokens, at: start) {
            let end = start + holiday.words.count
            if end < tokens.count, let year = Self.year(tokens[end]) {
                return (.calendar(year: year, month: holiday.month, day: holiday.day), end + 1)
            }
            return (.calendar(year: nil, month: holiday.month, day: holiday.day), end)
        }
        // One whose date moves, perhaps with its weekend or its year: Memorial Day weekend, Labor Day 2021.
        for moving in movingHolidays where DraftText.matches(moving.words, tokens, at: start) {
            var end = start + moving.words.count
            let weekend = end < tokens.count && tokens[end].lower == "weekend"
            if weekend { end += 1 }
            var year: Int?
            if end < tokens.count, let explicit = Self.year(tokens[end]) { year = explicit; end += 1 }
            return (.movingHoliday(moving.holiday, year: year, weekend: weekend), end)
        }
        // Month first: May 6, May 6th, May 6, 2021, May 2021, Jun. 16, June last year.
        if let month = month(tokens, start) {
            var next = start + 1
            if next < tokens.count, tokens[next].text == "." { next += 1 }
            if next < tokens.count, let day = Self.dayNumber(tokens[next]) {
                var end = next + 1
                var year: Int?
                var afterDay = end
                if afterDay < tokens.count, tokens[afterDay].text == "," { afterDay += 1 }
                if afterDay < tokens.count, let explicit = Self.year(tokens[afterDay]) { year = explicit; end = afterDay + 1 }
                if year == nil, let offset = Self.relativeYear(tokens, at: end) {
                    return (.monthOfRelativeYear(month: month, day: day, yearOffset: offset), end + 2)
                }
                return (.calendar(year: year, month: month, day: day), end)
            }
            if next < tokens.count, let year = Self.year(tokens[next]) {
                return (.calendar(year: year, month: month, day: nil), next + 1)
            }
            // A month alone: "in May", "early June"; "may" is also a verb, so it needs a word before it.
            let before = start > 0 ? tokens[start - 1].lower : ""
            if Self.monthContext.contains(before) || before == "-" || (tokens[start].lower != "may" && tokens[start].lower != "march") {
                if let offset = Self.relativeYear(tokens, at: start + 1) {
                    return (.monthOfRelativeYear(month: month, day: nil, yearOffset: offset), start + 3)
                }
                return (.calendar(year: nil, month: month, day: nil), start + 1)
            }
            return nil
        }
        // A quarter or a half of a year: the second quarter of 2021, the first half of last year.
        if let part = partOfYear(at: start, tokens) { return part }
        // The span that ends at the publication: the past week, the last two months.
        if tokens[start].lower == "the", start + 2 < tokens.count, ["past", "last"].contains(tokens[start + 1].lower) {
            var next = start + 2
            var count = 1
            if let number = Self.wholeNumber(tokens[next]) ?? numberWords[tokens[next].lower], number > 1, number <= 1000, next + 1 < tokens.count {
                count = number
                next += 1
            }
            let unitWord = tokens[next].lower
            let singular = count > 1 && unitWord.hasSuffix("s") ? String(unitWord.dropLast()) : unitWord
            if count > 1 ? singular != unitWord : true, let unit = FoundDate.AgoUnit(rawValue: singular) {
                return (.past(count, unit: unit), next + 1)
            }
        }
        // So many units before the publication: three days ago, two weeks ago, a year ago.
        if start + 2 < tokens.count, tokens[start + 2].lower == "ago",
           let count = Self.wholeNumber(tokens[start]) ?? numberWords[tokens[start].lower], count > 0, count <= 1000 {
            let unitWord = tokens[start + 1].lower
            let singular = unitWord.hasSuffix("s") ? String(unitWord.dropLast()) : unitWord
            if let unit = FoundDate.AgoUnit(rawValue: singular) { return (.ago(count, unit: unit), start + 3) }
        }
        // Day first: 6 May, 6 May 2021, 05 October, 2019 (as Indian wires write it), the 6th of May.
        if let day = Self.dayNumber(token) {
            var next = start + 1
            if next < tokens.count, tokens[next].lower == "of" { next += 1 }
            if let month = month(tokens, next) {
                var end = next + 1
                var year: Int?
                let afterComma = end < tokens.count && tokens[end].text == "," ? end + 1 : end
                if afterComma < tokens.count, let explicit = Self.year(tokens[afterComma]) { year = explicit; end = afterComma + 1 }
                return (.calendar(year: year, month: month, day: day), end)
            }
            return nil
        }
        // A year after a word that makes it one: in 2020, since 2019.
        if let year = Self.year(token), start > 0, Self.yearContext.contains(tokens[start - 1].lower) || (start > 1 && tokens[start - 1].text == "," && month(tokens, start - 2) != nil) {
            return (.calendar(year: year, month: nil, day: nil), start + 1)
        }
        // Weekdays: Wednesday, last Wednesday, next Wednesday, Wednesday's. A weekday with its
        // date — "Sunday, May 30", "Friday 14 May" — is that date.
        if token.isCapitalized, let weekday = weekdays[token.lower] ?? weekdays[Self.withoutPossessive(token.lower)] {
            if let dated = weekdayWithDate(at: start, tokens) { return (dated.spec, dated.end) }
            return (.weekday(weekday, offset: 0), start + 1)
        }
        // Relative days: yesterday, today, this morning.
        for entry in relativeDays where DraftText.matches(entry.words, tokens, at: start) {
            return (.days(entry.days), start + entry.words.count)
        }
        // over the weekend, last weekend, this weekend.
        if start + 1 < tokens.count, tokens[start + 1].lower == "weekend",
           let offset = ["the": 0, "this": 0, "that": 0, "last": -1, "past": 0][tokens[start].lower] {
            return (.weekend(offset: offset), start + 2)
        }
        // last week, this month, earlier this year, next week.
        if start + 1 < tokens.count {
            let offsets: [String: Int] = ["last": -1, "past": -1, "previous": -1, "this": 0, "next": 1]
            var modifierIndex = start
            if tokens[start].lower == "earlier" || tokens[start].lower == "later" { modifierIndex += 1 }
            if modifierIndex + 1 < tokens.count, let offset = offsets[tokens[modifierIndex].lower] {
                let unitToken = tokens[modifierIndex + 1]
                let end = modifierIndex + 2
                // "last month's attack" is last month's.
                switch Self.withoutPossessive(unitToken.lower) {
                case "week": return (.week(offset: offset), end)
                case "month": return (.month(offset: offset), end)
                case "year": return (.year(offset: offset), end)
                default:
                    if unitToken.isCapitalized, let weekday = weekdays[Self.withoutPossessive(unitToken.lower)], modifierIndex == start {
                        return (.weekday(weekday, offset: offset), end)
                    }
                }
            }
        }
        return nil
    }

    /// One event told in two time zones: "Monday evening Washington time, Tuesday morning in
    /// Beijing" — a weekday and a part of the day, a few words, a comma, the next weekday and a
    /// part of the day. A list of weekdays ("Monday, Tuesday and Wednesday") is not one.
    private func weekdaySpan(at start: Int, _ tokens: [DraftToken]) -> (first: Int, second: Int, end: Int)? {
        guard start + 1 < tokens.count, tokens[start].isCapitalized, let first = weekdays[tokens[start].lower],
              timesOfDay.contains(tokens[start + 1].lower) else { return nil }
        // Up to five words between the part of the day and the comma: "Washington time".
        var comma = start + 2
        while comma < tokens.count, comma <= start + 6, tokens[comma].text != "," {
            guard tokens[comma].isWord else { return nil }
            comma += 1
        }
        let next = comma + 1
        guard comma < tokens.count, tokens[comma].text == ",", next + 1 < tokens.count, tokens[next].isCapitalized,
              let second = weekdays[tokens[next].lower], second == first % 7 + 1, timesOfDay.contains(tokens[next + 1].lower) else { return nil }
        return (first, second, next + 2)
    }

    /// Takes in the preposition and hedge before a date: "on May 6", "around May 6".
    private func opening(before start: Int, _ tokens: [DraftToken]) -> (start: Int, approximate: Bool) {
        var first = start
        var approximate = false
        if first > 0, hedges.contains(tokens[first - 1].lower) { first -= 1; approximate = true }
        if first > 0, Self.prepositions.contains(tokens[first - 1].lower) { first -= 1 }
        // "on or about", "early-to-mid": leave those to the reviewer.
        if first > 0, tokens[first - 1].lower == "mid" || tokens[first - 1].lower == "early" || tokens[first - 1].lower == "late" { first -= 1 }
        if first > 1, tokens[first - 1].text == "-", tokens[first - 2].lower == "mid" { first -= 2 }
        return (first, approximate)
    }

    private func single(at start: Int, _ tokens: [DraftToken]) -> FoundDate? {
        guard let (spec, end) = calendar(at: start, tokens) else { return nil }
        let (first, approximate) = opening(before: start, tokens)
        if first < start, tokens[first].lower == "since" || (first + 1 < start && tokens[first + 1].lower == "since") {
            return FoundDate(shape: .since(spec), tokens: first..<end, approximate: approximate)
        }
        // "until June 3" with no start, like "by June 3": it ended, or held, by then.
        if first < start, ["by", "until", "till"].contains(tokens[first].lower) {
            return FoundDate(shape: .by(spec), tokens: first..<end, approximate: approximate)
        }
        // "after May 12" is no day of May 12; "two days after May 12" is (see `moved`).
        if first < start, tokens[first].lower == "before" {
            return FoundDate(shape: .before(spec), tokens: first..<end, approximate: approximate)
        }
        if first < start, tokens[first].lower == "after" {
            return FoundDate(shape: .after(spec), tokens: first..<end, approximate: approximate)
        }
        return FoundDate(shape: .point(spec), tokens: first..<end, approximate: approximate)
    }

    /// `the first week of May` (its days 1 to 7), the second, third and fourth (to the 28th),
    /// and the last (its last seven days; February's, whose length depends on the year, is the month).
    private func weekOfMonth(at start: Int, _ tokens: [DraftToken]) -> FoundDate? {
        guard tokens[start].lower == "the", start + 4 < tokens.count, tokens[start + 2].lower == "week", tokens[start + 3].lower == "of",
              let month = month(tokens, start + 4) else { return nil }
        let days: ClosedRange<Int>?
        switch tokens[start + 1].lower {
        case "first": days = 1...7
        case "second": days = 8...14
        case "third": days = 15...21
        case "fourth": days = 22...28
        case "last" where month == 2: days = nil
        case "last":
            // Any year will do: only February's length depends on it.
            let length = Int(CivilDate.daysInMonth(year: 2001, month: Int64(month)))
            days = (length - 6)...length
        default: return nil
        }
        var end = start + 5
        var year: Int?
        if end < tokens.count, let explicit = Self.year(tokens[end]) { year = explicit; end += 1 }
        let (first, approximate) = opening(before: start, tokens)
        guard let days else { return FoundDate(shape: .point(.calendar(year: year, month: month, day: nil)), tokens: first..<end, approximate: approximate) }
        return FoundDate(shape: .interval(.calendar(year: year, month: month, day: days.lowerBound), .calendar(year: year, month: month, day: days.upperBound)),
                         tokens: first..<end, approximate: approximate)
    }

    /// `from May 7 to May 12`, `between May 7 and 12`, `May 7-12`, `May 7 to 12`, `from 7 to 12 May`.
    private func interval(at start: Int, _ tokens: [DraftToken]) -> FoundDate? {
        var index = start
        let opener = tokens[index].lower
        let hasOpener = opener == "from" || opener == "between"
        if hasOpener { index += 1 }
        // `7 to 12 May`: two day numbers, then the month.
        if index + 3 < tokens.count, let firstDay = Self.dayNumber(tokens[index]),
           ["to", "until", "through", "and", "-", "–"].contains(tokens[index + 1].lower),
           let secondDay = Self.dayNumber(tokens[index + 2]), let month = month(tokens, index + 3) {
            var end = index + 4
            var year: Int?
            if end < tokens.count, let explicit = Self.year(tokens[end]) { year = explicit; end += 1 }
            return FoundDate(shape: .interval(.calendar(year: year, month: month, day: firstDay), .calendar(year: year, month: month, day: secondDay)),
                             tokens: start..<end, approximate: false)
        }
        if let span = weekdaySpan(at: index, tokens) {
            let first = hasOpener ? start : opening(before: start, tokens).start
            return FoundDate(shape: .interval(.weekday(span.first, offset: 0), .weekday(span.second, offset: 0)), tokens: first..<span.end, approximate: false)
        }
        // `May 7-12`: a month and a day range in one token.
        if let month = month(tokens, index), index + 1 < tokens.count {
            let range = tokens[index + 1].lower.split(separator: "-")
            if range.count == 2, let first = Int(range[0]), let second = Int(range[1]), (1...31).contains(first), (1...31).contains(second), first < second {
                var end = index + 2
                var year: Int?
                var afterRange = end
                if afterRange < tokens.count, tokens[afterRange].text == "," { afterRange += 1 }
                if afterRange < tokens.count, let explicit = Self.year(tokens[afterRange]) { year = explicit; end = afterRange + 1 }
                let (first0, _) = hasOpener ? (start, false) : opening(before: start, tokens)
                return FoundDate(shape: .interval(.calendar(year: year, month: month, day: first), .calendar(year: year, month: month, day: second)),
                                 tokens: first0..<end, approximate: false)
            }
        }
        guard let (from, fromEnd) = calendar(at: index, tokens), fromEnd < tokens.count else { return nil }
        let joiner = tokens[fromEnd].lower
        // "on May 7 and 8": two days in a row, told as one span.
        if joiner == "and", opener != "between", case let .calendar(year, month?, day?) = from, fromEnd + 1 < tokens.count,
           let second = Self.dayNumber(tokens[fromEnd + 1]), second == day + 1,
           self.month(tokens, fromEnd + 2) == nil {
            var end = fromEnd + 2
            var secondYear = year
            if end < tokens.count, let explicit = Self.year(tokens[end]) { secondYear = explicit; end += 1 }
            let first = hasOpener ? start : opening(before: start, tokens).start
            return FoundDate(shape: .interval(.calendar(year: secondYear, month: month, day: day), .calendar(year: secondYear, month: month, day: second)),
                             tokens: first..<end, approximate: false)
        }
        let joins = opener == "between" ? joiner == "and" : ["to", "until", "till", "through", "-", "–"].contains(joiner)
        guard joins else { return nil }
        // The second end: a whole date, or a day number in the first one's month ("May 7 to 12").
        var to: FoundDate.Spec
        var end: Int
        if let (spec, specEnd) = calendar(at: fromEnd + 1, tokens) {
            to = spec
            end = specEnd
        } else if fromEnd + 1 < tokens.count, let day = Self.dayNumber(tokens[fromEnd + 1]), case let .calendar(year, month?, _?) = from {
            to = .calendar(year: year, month: month, day: day)
            end = fromEnd + 2
            if end < tokens.count, let explicit = Self.year(tokens[end]) { to = .calendar(year: explicit, month: month, day: day); end += 1 }
        } else {
            return nil
        }
        // A year written only after the second end belongs to both: "from May 7 to May 12, 2021".
        var fromSpec = from
        if case let .calendar(nil, month, day) = from, case let .calendar(year?, _, _) = to { fromSpec = .calendar(year: year, month: month, day: day) }
        let first = hasOpener ? start : opening(before: start, tokens).start
        return FoundDate(shape: .interval(fromSpec, to), tokens: first..<end, approximate: false)
    }

    /// A weekday with its date at `start`: "Sunday, May 30", "Friday 14 May", "Wednesday
    /// (Sept. 14)"; the weekday (Monday 1), the date and the index after it.
    private func weekdayWithDate(at start: Int, _ tokens: [DraftToken]) -> (weekday: Int, spec: FoundDate.Spec, end: Int)? {
        guard tokens[start].isCapitalized, let weekday = weekdays[tokens[start].lower] ?? weekdays[Self.withoutPossessive(tokens[start].lower)] else { return nil }
        var next = start + 1
        let parenthesised = next < tokens.count && tokens[next].text == "("
        if next < tokens.count, tokens[next].text == "," || parenthesised { next += 1 }
        guard let (spec, end) = calendar(at: next, tokens), case .calendar(_, _?, _?) = spec else { return nil }
        if parenthesised {
            guard end < tokens.count, tokens[end].text == ")" else { return nil }
            return (weekday, spec, end + 1)
        }
        return (weekday, spec, end)
    }

    /// The year a weekday named with its month and day but no year pins down ("Wednesday (Sept.
    /// 14)"): the first from `floor` on, within six years, in which that day falls on that
    /// weekday; nil when the text names no such day or no year fits.
    func yearOfWeekdayDates(in sentences: [[DraftToken]], from floor: Int) -> (year: Int, words: String)? {
        var latest: (year: Int, words: String)?
        for tokens in sentences {
            for start in tokens.indices {
                guard let dated = weekdayWithDate(at: start, tokens), case let .calendar(nil, month?, day?) = dated.spec else { continue }
                guard let year = (floor...(floor + 6)).first(where: { year in
                    let candidate = DraftDay(year: year, month: month, day: day)
                    return candidate.isValid && candidate.weekday == dated.weekday
                }), year > latest?.year ?? .min else { continue }
                let first = tokens[start].text, last = tokens[dated.end - 1].text
                latest = (year, foldWhitespace(String(first.base[first.startIndex..<last.endIndex])))
            }
        }
        return latest
    }

    /// The weekday the text says is today ("closed today, on Saturday", "today (Saturday)"):
    /// Monday 1 … Sunday 7; nil when no sentence ties "today" to a weekday.
    func weekdayCalledToday(in sentences: [[DraftToken]]) -> Int? {
        let between: Set<String> = [",", "(", "on", "-", "–", "—"]
        for tokens in sentences {
            for index in tokens.indices where tokens[index].lower == "today" {
                var next = index + 1
                while next < tokens.count, next - index <= 3, between.contains(tokens[next].lower) { next += 1 }
                if next < tokens.count, tokens[next].isCapitalized, let weekday = weekdays[tokens[next].lower] { return weekday }
            }
        }
        return nil
    }

    /// Whether the words before `end` speak of what is yet to come, so a weekday lies ahead:
    /// "will meet on Wednesday", not "said on Wednesday that it will".
    func isFuture(_ tokens: [DraftToken], before end: Int) -> Bool {
        tokens.indices.prefix(end).contains { index in futureMarkers.contains { DraftText.matches($0, tokens, at: index) } }
    }
}

/// What a date is resolved against: the publication date, and a year the text gave nearby.
struct DateAnchor: Sendable {
    /// The publication date, if known at some precision.
    let published: DraftDay?
    /// An explicit year in the sentence or the paragraph before it.
    let nearbyYear: Int?
    let future: Bool

    func resolve(_ found: FoundDate) -> DraftWhen? {
        let qualifier = found.approximate ? "~" : ""
        switch found.shape {
        case .point(let spec):
            guard let counted = found.counted else { return resolve(spec, qualifier: qualifier, nearest: found.isNearestOccurrence) }
            guard case .point(let day)? = resolve(spec, qualifier: qualifier), day.isDay else { return nil }
            var moved = day.adding(days: counted.days)
            moved.qualifier = day.qualifier
            return .point(moved)
        case let .interval(fromSpec, toSpec):
            guard case .point(let from)? = resolve(fromSpec, qualifier: ""), case .point(let to)? = resolve(toSpec, qualifier: "") else { return nil }
            guard from.daysSinceEpoch <= to.daysSinceEpoch else { return nil }
            return .interval(from, to)
        case .since(let spec):
            guard case .point(let from)? = resolve(spec, qualifier: "") else { return nil }
            return .interval(from, published)
        case .by(let spec):
            // What held "by June 3" had come about by then, when is not said.
            guard case .point(let until)? = resolve(spec, qualifier: qualifier) else { return nil }
            return .interval(nil, until)
        case .before(let spec):
            guard case .point(let bound)? = resolve(spec, qualifier: "") else { return nil }
            return .interval(nil, bound.neighbour(-1))
        case .after(let spec):
            // Up to the publication when that is later; what lies ahead of it is open-ended.
            guard case .point(let bound)? = resolve(spec, qualifier: "") else { return nil }
            let start = bound.neighbour(1)
            guard let published, start.isNotAfter(published) else { return .interval(start, nil) }
            return .interval(start, published.unqualified)
        }
    }

    private func resolve(_ spec: FoundDate.Spec, qualifier: String, nearest: Bool = false) -> DraftWhen? {
        func point(_ day: DraftDay) -> DraftWhen? {
            let qualified = DraftDay(year: day.year, month: day.month, day: day.day, qualifier: qualifier)
            return qualified.isValid ? .point(qualified) : nil
        }
        let publishedDay = published.flatMap { $0.isDay ? $0.unqualified : nil }
        switch spec {
        case let .calendar(year, month, day):
            if let year { return point(DraftDay(year: year, month: month ?? 0, day: day ?? 0)) }
            guard let month else { return nil }
            guard let baseYear = nearbyYear ?? published?.year else { return nil }
            var candidate = DraftDay(year: baseYear, month: month, day: day ?? 0)
            // A deadline's day is the one nearest the publication, this year's, last year's or next year's.
            if nearest, nearbyYear == nil, let publishedDay, let day {
                let candidates = [baseYear - 1, baseYear, baseYear + 1].map { DraftDay(year: $0, month: month, day: day) }.filter(\.isValid)
                if let closest = candidates.min(by: { abs($0.daysSinceEpoch - publishedDay.daysSinceEpoch) < abs($1.daysSinceEpoch - publishedDay.daysSinceEpoch) }) {
                    return point(closest)
                }
            }
            // "May 6" in an article of January is last year's May, unless the text looks ahead.
            if nearbyYear == nil, let published, !future, published.month != 0 {
                let monthsAhead = (candidate.year - published.year) * 12 + candidate.month - published.month
                if monthsAhead > 1 || (monthsAhead == 1 && published.isDay && day != nil && candidate.daysSinceEpoch - published.daysSinceEpoch > 7) {
                    candidate = DraftDay(year: baseYear - 1, month: month, day: day ?? 0)
                }
            }
            return point(candidate)
        case let .weekday(weekday, offset):
            guard let publishedDay else { return nil }
            let current = publishedDay.weekday
            if future || offset > 0 {
                var ahead = (weekday - current + 7) % 7
                if ahead == 0 && offset > 0 { ahead = 7 }
                return point(publishedDay.adding(days: ahead))
            }
            var back = (current - weekday + 7) % 7
            if offset < 0 && back == 0 { back = 7 }
            return point(publishedDay.adding(days: -back))
        case .days(let days):
            guard let publishedDay else { return nil }
            return point(publishedDay.adding(days: days))
        case .week(let offset):
            guard let publishedDay else { return nil }
            let monday = publishedDay.adding(days: 1 - publishedDay.weekday + 7 * offset)
            let end = offset == 0 ? publishedDay : monday.adding(days: 6)
            return .interval(monday, end)
        case .weekend(let offset):
            guard let publishedDay else { return nil }
            let weekday = publishedDay.weekday
            if future {
                let saturday = publishedDay.adding(days: weekday == 7 ? 6 : 6 - weekday)
                return .interval(saturday, saturday.adding(days: 1))
            }
            // The Saturday of the weekend the publication falls on, or of the one before it.
            var saturday = publishedDay.adding(days: weekday >= 6 ? 6 - weekday : -(weekday + 1))
            if offset < 0, weekday >= 6 { saturday = saturday.adding(days: -7) }
            let sunday = saturday.adding(days: 1)
            return sunday.daysSinceEpoch > publishedDay.daysSinceEpoch ? point(saturday) : .interval(saturday, sunday)
        case .month(let offset):
            guard let published, published.month != 0 else { return nil }
            let index = published.year * 12 + (published.month - 1) + offset
            return point(DraftDay(year: index / 12, month: index % 12 + 1))
        case .year(let offset):
            guard let published else { return nil }
            return point(DraftDay(year: published.year + offset))
        case let .monthOfRelativeYear(month, day, offset):
            guard let published else { return nil }
            return point(DraftDay(year: published.year + offset, month: month, day: day ?? 0))
        case let .movingHoliday(holiday, year, weekend):
            // Its year as a month's without a day is found, then its day in that year.
            guard case .point(let month)? = resolve(.calendar(year: year, month: holiday.month, day: nil), qualifier: "") else { return nil }
            let day = holiday.day(in: month.year)
            guard weekend else { return point(day) }
            return .interval(day.adding(days: holiday.weekend.lowerBound), day.adding(days: holiday.weekend.upperBound))
        case let .partOfYear(index, parts, year, offset):
            let months = 12 / parts
            let firstMonth = (index - 1) * months + 1
            var partYear: Int
            if let year { partYear = year } else if let offset, let published { partYear = published.year + offset } else {
                // The latest such part begun by the publication, unless the text looks ahead.
                guard let base = nearbyYear ?? published?.year else { return nil }
                partYear = base
                if nearbyYear == nil, let published, !future, published.month != 0, firstMonth > published.month { partYear -= 1 }
            }
            let from = DraftDay(year: partYear, month: firstMonth, qualifier: qualifier)
            let to = DraftDay(year: partYear, month: firstMonth + months - 1, qualifier: qualifier)
            return from.isValid && to.isValid ? .interval(from, to) : nil
        case let .past(count, unit):
            guard let publishedDay else { return nil }
            let start: DraftDay
            switch unit {
            case .day: start = publishedDay.adding(days: -count)
            case .week: start = publishedDay.adding(days: -7 * count)
            case .month, .year:
                let months = unit == .month ? count : 12 * count
                let index = publishedDay.year * 12 + (publishedDay.month - 1) - months
                let (year, month) = (index / 12, index % 12 + 1)
                // The same day of that month, or its last when it is shorter (March 31 less a month).
                var day = publishedDay.day
                while day > 28, !DraftDay(year: year, month: month, day: day).isValid { day -= 1 }
                start = DraftDay(year: year, month: month, day: day)
            }
            return start.isValid ? .interval(start, publishedDay) : nil
        case let .ago(count, unit):
            guard let published else { return nil }
            switch unit {
            case .day:
                guard let publishedDay else { return nil }
                return point(publishedDay.adding(days: -count))
            case .week:
                // "Two weeks ago" names a day only roughly.
                guard let publishedDay else { return nil }
                let day = publishedDay.adding(days: -7 * count)
                return .point(DraftDay(year: day.year, month: day.month, day: day.day, qualifier: "~"))
            case .month:
                guard published.month != 0 else { return nil }
                let index = published.year * 12 + (published.month - 1) - count
                return point(DraftDay(year: index / 12, month: index % 12 + 1))
            case .year:
                return point(DraftDay(year: published.year - count))
            }
        }
    }
}
