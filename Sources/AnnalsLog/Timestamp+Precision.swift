extension Timestamp {
    /// The span of time an ISO 8601 text stands for, at the precision it is written to: `2026`
    /// is the whole year, `2026-12-03` the whole day, `2026-12-03T07:04Z` the whole minute,
    /// `2026-12-03T07:04:02.18Z` the 10 ms from .180 s; `end` is exclusive. A time with more than
    /// six fractional digits stands for its whole microsecond. `nil` for anything else.
    public static func span(iso8601 text: String) -> (start: Timestamp, end: Timestamp)? {
        let utf8 = Array(text.utf8)
        // A year or a month alone: the calendar unit.
        if utf8.count == 4 || (utf8.count == 7 && utf8[4] == UInt8(ascii: "-")) {
            guard utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let year = Int64(String(decoding: utf8[0..<4], as: UTF8.self)), year >= 1
            else { return nil }
            if utf8.count == 4 {
                return (Timestamp(days: CivilDate.daysSinceEpoch(year: year, month: 1, day: 1)),
                        Timestamp(days: CivilDate.daysSinceEpoch(year: year + 1, month: 1, day: 1)))
            }
            guard let month = Int64(String(decoding: utf8[5..<7], as: UTF8.self)), (1...12).contains(month) else { return nil }
            let next = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
            return (Timestamp(days: CivilDate.daysSinceEpoch(year: year, month: month, day: 1)),
                    Timestamp(days: CivilDate.daysSinceEpoch(year: next.0, month: next.1, day: 1)))
        }
        guard let start = Timestamp(iso8601: text) else { return nil }
        // The precision is what the text writes after the date: nothing (a day), minutes,
        // seconds, or some fractional digits.
        let timePart = utf8.firstIndex(where: { $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: " ") }).map { utf8[($0 + 1)...] }
        let length: Int64
        if let timePart {
            let clock = timePart.prefix { $0 != UInt8(ascii: "Z") && $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }
            let colons = clock.count { $0 == UInt8(ascii: ":") }
            if let point = clock.firstIndex(of: UInt8(ascii: ".")) {
                let digits = clock.distance(from: point, to: clock.endIndex) - 1
                length = digits >= 6 ? 1 : (0..<(6 - digits)).reduce(1) { value, _ in value * 10 }
            } else {
                length = colons >= 2 ? 1_000_000 : 60_000_000
            }
        } else {
            length = 86_400_000_000
        }
        // Beyond six digits, the time was truncated to its microsecond, which it lies within.
        return (start, Timestamp(microsecondsSinceEpoch: start.microsecondsSinceEpoch + length))
    }

    private init(days: Int64) {
        self.init(microsecondsSinceEpoch: days * 86_400_000_000)
    }
}
