import AnnalsLog

/// When something happened, with the precision and qualifier its source gave, in the style of
/// EDTF (ISO 8601-2): `2021`, `2021-05`, `2021-05-06`, `2021-06-16T14:00Z`, `2021-05~`,
/// `2021-05?`, `2021-05-07/2021-05-12`, `2021-05/..`, `../2021-05`.
///
/// A value covers a half-open range of UTC seconds, `[start, end)`: `2021-05` covers all of May
/// and is never narrowed to a fake May 1. Values order by start, then wider ranges first, and
/// match a query period when their ranges overlap it.
public struct ValidTime: Sendable, Hashable, CustomStringConvertible {
    /// One end of a date: a calendar date or date-time at some precision.
    public struct Point: Sendable, Hashable, CustomStringConvertible {
        public enum Precision: UInt8, Sendable, Hashable, Comparable {
            case year = 0, month, day, minute, second

            public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
        }

        public enum Qualifier: UInt8, Sendable, Hashable {
            case none = 0
            /// `~`: the source hedges ("about", "around").
            case approximate
            /// `?`: the source is not sure.
            case uncertain
            /// `%`: both.
            case approximateAndUncertain
        }

        public let year: Int
        public let month: Int
        public let day: Int
        /// Seconds into the day (UTC) for `.minute` and `.second` precision.
        public let secondOfDay: Int
        public let precision: Precision
        public let qualifier: Qualifier

        /// The first second this point covers, since 1970-01-01T00:00:00Z.
        public var start: Int64 {
            let days = CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(max(month, 1)), day: Int64(max(day, 1)))
            return days * 86_400 + Int64(secondOfDay)
        }

        /// The first second after this point.
        public var end: Int64 {
            switch precision {
            case .year: CivilDate.daysSinceEpoch(year: Int64(year) + 1, month: 1, day: 1) * 86_400
            case .month:
                month == 12
                    ? CivilDate.daysSinceEpoch(year: Int64(year) + 1, month: 1, day: 1) * 86_400
                    : CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(month) + 1, day: 1) * 86_400
            case .day: start + 86_400
            case .minute: start + 60
            case .second: start + 1
            }
        }

        public var description: String {
            var text = JSONWriter(capacity: 32)
            writeEDTF(to: &text)
            return text.withBytes { String(decoding: $0, as: UTF8.self) }
        }

        /// Writes the point's EDTF text (``description``) as ASCII, without making a String.
        func writeEDTF(to text: inout JSONWriter) {
            text.paddedInteger(year, width: 4)
            if precision >= .month {
                text.punctuation("-")
                text.paddedInteger(month, width: 2)
            }
            if precision >= .day {
                text.punctuation("-")
                text.paddedInteger(day, width: 2)
            }
            if precision >= .minute {
                text.punctuation("T")
                text.paddedInteger(secondOfDay / 3600, width: 2)
                text.punctuation(":")
                text.paddedInteger(secondOfDay / 60 % 60, width: 2)
                if precision == .second {
                    text.punctuation(":")
                    text.paddedInteger(secondOfDay % 60, width: 2)
                }
                text.punctuation("Z")
            }
            switch qualifier {
            case .none: break
            case .approximate: text.punctuation("~")
            case .uncertain: text.punctuation("?")
            case .approximateAndUncertain: text.punctuation("%")
            }
        }

        package init(year: Int, month: Int, day: Int, secondOfDay: Int, precision: Precision, qualifier: Qualifier) {
            self.year = year
            self.month = month
            self.day = day
            self.secondOfDay = secondOfDay
            self.precision = precision
            self.qualifier = qualifier
        }
    }

    /// A single point, or an interval whose ends may be open (`..`).
    public enum Shape: Sendable, Hashable {
        case point(Point)
        case interval(from: Point?, to: Point?)
    }

    public let shape: Shape

    public init(_ shape: Shape) { self.shape = shape }

    /// The years a date may have: the exclusive end of a date in 9998 is 9999-01-01T00:00:00Z,
    /// so every range's end is still a time with a four-digit year, as ISO 8601 writes them.
    public static let years = 1...9998

    /// The UTC offsets a time may have, in minutes: from -12:00 to +14:00, the zones in use.
    public static let offsetMinutes = -720...840

    /// What a date looks like, for messages.
    static let expectation = "expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"

    /// Parses the EDTF forms listed on ``ValidTime``, or throws a reason a person can act on.
    public init(parsing text: String) throws(ValidTimeError) {
        guard !text.isEmpty else { throw .malformed(text, "it is empty; \(Self.expectation)") }
        guard text.utf8.count <= 64 else { throw .malformed(String(text.prefix(64)) + "…", "it is longer than 64 characters; \(Self.expectation)") }
        if text.utf8.contains(UInt8(ascii: "/")) {
            let intervals = "expected an interval like 2021-05-07/2021-05-12, 2021-05/.. or ../2021-05"
            // The two ends as slices either side of the one '/' character (a '/' byte joined to a
            // combining mark is not one): splitting the text into an array was an allocation
            // for every interval of an ingest.
            guard let slash = text.firstIndex(of: "/"), !text[text.index(after: slash)...].contains("/") else {
                throw .malformed(text, "an interval has exactly one '/'; \(intervals)")
            }
            let start = text[..<slash]
            let end = text[text.index(after: slash)...]
            guard start != ".." || end != ".." else { throw .malformed(text, "an interval needs at least one end; \(intervals)") }
            let from = start == ".." ? nil : try Self.parsePoint(String(start), whole: text)
            let to = end == ".." ? nil : try Self.parsePoint(String(end), whole: text)
            if let from, let to, to.end <= from.start {
                throw .endsBeforeStart(text)
            }
            shape = .interval(from: from, to: to)
        } else {
            guard text != ".." else {
                throw .malformed(text, "'..' stands for an unknown end, which only an interval has; expected a date like 2021-05, or an interval like 2021-05/..")
            }
            shape = .point(try Self.parsePoint(text, whole: text))
        }
    }

    private static func parsePoint(_ text: String, whole: String) throws(ValidTimeError) -> Point {
        // Read in place: a copy of the bytes was an allocation for every date of an ingest.
        var text = text
        return try text.withUTF8 { bytes in Result { () throws(ValidTimeError) in try parsePoint(bytes, whole: whole) } }.get()
    }

    private static func parsePoint(_ written: UnsafeBufferPointer<UInt8>, whole: String) throws(ValidTimeError) -> Point {
        var qualifier = Point.Qualifier.none
        switch written.last {
        case UInt8(ascii: "~"): qualifier = .approximate
        case UInt8(ascii: "?"): qualifier = .uncertain
        case UInt8(ascii: "%"): qualifier = .approximateAndUncertain
        default: break
        }
        let bytes = qualifier == .none ? written : UnsafeBufferPointer(rebasing: written.dropLast())
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, UInt32(bytes[index]) == character.value else { return false }
            index += 1
            return true
        }
        let expected = Self.expectation
        let yearRange = "years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"
        guard let year = number(4) else { throw .malformed(whole, expected) }
        guard years.contains(year) else { throw .outOfRange(whole, yearRange) }
        var month = 0
        var day = 0
        var secondOfDay = 0
        var precision = Point.Precision.year
        if take("-") {
            guard let parsed = number(2) else { throw .malformed(whole, expected) }
            guard (1...12).contains(parsed) else { throw .outOfRange(whole, "month \(parsed) is not between 01 and 12") }
            month = parsed
            precision = .month
            if take("-") {
                guard let parsed = number(2) else { throw .malformed(whole, expected) }
                guard CivilDate.isValid(year: Int64(year), month: Int64(month), day: Int64(parsed)) else {
                    throw .outOfRange(whole, "\(pad(year, 4))-\(pad(month, 2)) has no day \(parsed)")
                }
                day = parsed
                precision = .day
                if take("T") {
                    guard let hour = number(2), take(":"), let minute = number(2) else { throw .malformed(whole, expected) }
                    guard hour < 24, minute < 60 else {
                        throw .outOfRange(whole, "\(pad(hour, 2)):\(pad(minute, 2)) is not a time of day; hours run from 00 to 23 and minutes from 00 to 59")
                    }
                    secondOfDay = hour * 3600 + minute * 60
                    precision = .minute
                    if take(":") {
                        guard let second = number(2) else { throw .malformed(whole, expected) }
                        guard second < 60 else { throw .outOfRange(whole, "second \(second) is not between 00 and 59") }
                        secondOfDay += second
                        precision = .second
                    }
                    var offset = 0
                    if take("Z") {
                        offset = 0
                    } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                        index += 1
                        guard let hours = number(2), take(":"), let minutes = number(2) else {
                            throw .malformed(whole, "a UTC offset is written like +02:00 or -05:00")
                        }
                        guard minutes < 60, offsetMinutes.contains(sign * (hours * 60 + minutes)) else {
                            throw .outOfRange(whole, "a UTC offset runs from -12:00 to +14:00")
                        }
                        offset = sign * (hours * 3600 + minutes * 60)
                    } else {
                        throw .malformed(whole, "a time needs a zone: Z or an offset like +02:00")
                    }
                    if offset != 0 {
                        // Normalise to UTC, carrying into the date when the offset crosses midnight.
                        let utc = CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400
                            + Int64(secondOfDay) - Int64(offset)
                        let days = utc >= 0 ? utc / 86_400 : (utc - 86_399) / 86_400
                        let (y, m, d) = CivilDate.fromDaysSinceEpoch(days)
                        guard years.contains(Int(y)) else { throw .outOfRange(whole, "in UTC it falls in the year \(pad(Int(y), 4)), and \(yearRange)") }
                        return Point(year: Int(y), month: Int(m), day: Int(d), secondOfDay: Int(utc - days * 86_400),
                                     precision: precision, qualifier: qualifier)
                    }
                }
            }
        }
        guard index == bytes.count else { throw .malformed(whole, expected) }
        return Point(year: year, month: month, day: day, secondOfDay: secondOfDay, precision: precision, qualifier: qualifier)
    }

    /// The first second of the range; `Int64.min` for an open start.
    public var start: Int64 {
        switch shape {
        case .point(let point): point.start
        case .interval(let from, _): from?.start ?? .min
        }
    }

    /// The first second after the range; `Int64.max` for an open end.
    public var end: Int64 {
        switch shape {
        case .point(let point): point.end
        case .interval(_, let to): to?.end ?? .max
        }
    }

    /// The EDTF text: `2021-05`, `2021-05-07/2021-05-12`, `2021-05/..`.
    public var description: String {
        var text = JSONWriter(capacity: 48)
        writeEDTF(to: &text)
        return text.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes the EDTF text (``description``) as ASCII, without making a String.
    func writeEDTF(to text: inout JSONWriter) {
        switch shape {
        case .point(let point): point.writeEDTF(to: &text)
        case let .interval(from, to):
            if let from { from.writeEDTF(to: &text) } else { text.raw("..") }
            text.punctuation("/")
            if let to { to.writeEDTF(to: &text) } else { text.raw("..") }
        }
    }

    /// Whether the source hedged (`~` or `%` on any end).
    public var isApproximate: Bool {
        points.contains { $0.qualifier == .approximate || $0.qualifier == .approximateAndUncertain }
    }

    /// Whether the source was unsure (`?` or `%` on any end).
    public var isUncertain: Bool {
        points.contains { $0.qualifier == .uncertain || $0.qualifier == .approximateAndUncertain }
    }

    private var points: [Point] {
        switch shape {
        case .point(let point): [point]
        case let .interval(from, to): [from, to].compactMap { $0 }
        }
    }

    /// Whether the two ranges share at least one second.
    public func overlaps(_ other: ValidTime) -> Bool {
        start < other.end && other.start < end
    }

    /// Whether this range lies within `other`.
    public func isWithin(_ other: ValidTime) -> Bool {
        start >= other.start && end <= other.end
    }

    /// The length of the range in seconds (saturating for open ranges).
    public var span: UInt64 {
        let (difference, overflow) = end.subtractingReportingOverflow(start)
        return overflow ? .max : UInt64(difference)
    }

    /// The timeline order: earlier start first, then the wider range, then `a` before `b` when
    /// equal (callers break ties by log position).
    public static func precedes(_ a: ValidTime, _ b: ValidTime) -> Bool {
        if a.start != b.start { return a.start < b.start }
        return a.end > b.end
    }
}

/// Why a valid time could not be parsed.
public enum ValidTimeError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String, String)
    case outOfRange(String, String)
    case endsBeforeStart(String)

    public var description: String {
        switch self {
        case let .malformed(text, reason): "\(shown(text, limit: 70)) is not a valid date: \(reason)"
        case let .outOfRange(text, reason): "\(shown(text, limit: 70)) is not a valid date: \(reason)"
        case let .endsBeforeStart(text): "\(shown(text, limit: 70)) ends before it starts"
        }
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
