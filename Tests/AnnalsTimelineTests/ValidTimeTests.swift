@testable import AnnalsDomain
@testable import AnnalsTimeline
import Testing

private func day(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    CivilDateOffset.seconds(year, month, day)
}

/// Seconds since 1970 at midnight UTC of a date (a tiny oracle independent of ValidTime).
enum CivilDateOffset {
    static func seconds(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        var days: Int64 = 0
        for y in 1970..<year { days += (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365 }
        let lengths: [Int64] = [31, (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for m in 0..<Int(month - 1) { days += lengths[m] }
        return (days + day - 1) * 86_400
    }
}

@Suite struct ValidTimeTests {
    @Test(arguments: [
        ("2021", "2021", day(2021, 1, 1), day(2022, 1, 1)),
        ("2021-05", "2021-05", day(2021, 5, 1), day(2021, 6, 1)),
        ("2021-12", "2021-12", day(2021, 12, 1), day(2022, 1, 1)),
        ("2021-05-06", "2021-05-06", day(2021, 5, 6), day(2021, 5, 7)),
        ("2024-02-29", "2024-02-29", day(2024, 2, 29), day(2024, 3, 1)),
        ("2021-06-16T14:00Z", "2021-06-16T14:00Z", day(2021, 6, 16) + 50_400, day(2021, 6, 16) + 50_460),
        ("2021-06-16T16:00+02:00", "2021-06-16T14:00Z", day(2021, 6, 16) + 50_400, day(2021, 6, 16) + 50_460),
        ("2021-06-16T01:30+03:00", "2021-06-15T22:30Z", day(2021, 6, 15) + 81_000, day(2021, 6, 15) + 81_060),
        ("2021-06-16T14:00:30Z", "2021-06-16T14:00:30Z", day(2021, 6, 16) + 50_430, day(2021, 6, 16) + 50_431),
        ("2021-05~", "2021-05~", day(2021, 5, 1), day(2021, 6, 1)),
        ("2021-05?", "2021-05?", day(2021, 5, 1), day(2021, 6, 1)),
        ("2021-05%", "2021-05%", day(2021, 5, 1), day(2021, 6, 1)),
        ("2021-05-07/2021-05-12", "2021-05-07/2021-05-12", day(2021, 5, 7), day(2021, 5, 13)),
        ("2021-05/..", "2021-05/..", day(2021, 5, 1), Int64.max),
        ("../2021-05", "../2021-05", Int64.min, day(2021, 6, 1)),
        ("2021-05~/2021-06-10?", "2021-05~/2021-06-10?", day(2021, 5, 1), day(2021, 6, 11)),
        ("2021-06-16T14:00+14:00", "2021-06-16T00:00Z", day(2021, 6, 16), day(2021, 6, 16) + 60),
        ("2021-06-16T14:00-12:00", "2021-06-17T02:00Z", day(2021, 6, 17) + 7_200, day(2021, 6, 17) + 7_260),
        ("9998-12-31", "9998-12-31", day(9998, 12, 31), day(9999, 1, 1)),
        ("9998", "9998", day(9998, 1, 1), day(9999, 1, 1)),
    ])
    func parsesKeepingPrecision(_ text: String, _ canonical: String, _ start: Int64, _ end: Int64) throws {
        let time = try ValidTime(parsing: text)
        #expect(time.description == canonical)
        #expect(time.start == start)
        #expect(time.end == end)
    }

    @Test(arguments: [
        ("", "\"\" is not a valid date: it is empty; expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
        ("May 2021", "\"May 2021\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
        ("2021-02-30", "\"2021-02-30\" is not a valid date: 2021-02 has no day 30"),
        ("2021-02-29", "\"2021-02-29\" is not a valid date: 2021-02 has no day 29"),
        ("2021-13", "\"2021-13\" is not a valid date: month 13 is not between 01 and 12"),
        ("2021-00-10", "\"2021-00-10\" is not a valid date: month 0 is not between 01 and 12"),
        ("0000", "\"0000\" is not a valid date: years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"),
        ("9999", "\"9999\" is not a valid date: years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"),
        ("9999-12-31", "\"9999-12-31\" is not a valid date: years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"),
        ("9998-12-31T23:00-05:00", "\"9998-12-31T23:00-05:00\" is not a valid date: in UTC it falls in the year 9999, and years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"),
        ("0001-01-01T00:30+01:00", "\"0001-01-01T00:30+01:00\" is not a valid date: in UTC it falls in the year 0000, and years run from 0001 to 9998, so that every date's range ends (exclusively) at a time with a four-digit year"),
        ("21-05-06", "\"21-05-06\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
        ("2021-05-06T25:00Z", "\"2021-05-06T25:00Z\" is not a valid date: 25:00 is not a time of day; hours run from 00 to 23 and minutes from 00 to 59"),
        ("2021-05-06T14:00", "\"2021-05-06T14:00\" is not a valid date: a time needs a zone: Z or an offset like +02:00"),
        ("2021-05-06T14:00+15:00", "\"2021-05-06T14:00+15:00\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
        ("2021-05-06T14:00+14:59", "\"2021-05-06T14:00+14:59\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
        ("2021-05-06T14:00-12:30", "\"2021-05-06T14:00-12:30\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
        ("2021-05-06T14:00+02:60", "\"2021-05-06T14:00+02:60\" is not a valid date: a UTC offset runs from -12:00 to +14:00"),
        ("2021-05-06T14:00+2", "\"2021-05-06T14:00+2\" is not a valid date: a UTC offset is written like +02:00 or -05:00"),
        ("2021-05-12/2021-05-07", "\"2021-05-12/2021-05-07\" ends before it starts"),
        ("..", "\"..\" is not a valid date: '..' stands for an unknown end, which only an interval has; expected a date like 2021-05, or an interval like 2021-05/.."),
        ("../..", "\"../..\" is not a valid date: an interval needs at least one end; expected an interval like 2021-05-07/2021-05-12, 2021-05/.. or ../2021-05"),
        ("2021/2022/2023", "\"2021/2022/2023\" is not a valid date: an interval has exactly one '/'; expected an interval like 2021-05-07/2021-05-12, 2021-05/.. or ../2021-05"),
        ("2021-05~~", "\"2021-05~~\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
        ("2021\u{200B}-05", "\"2021\\u{200B}-05\" is not a valid date: expected a date like 2021, 2021-05, 2021-05-06 or 2021-06-16T14:00Z"),
    ])
    func refusesWhatIsNotADate(_ text: String, _ message: String) {
        let error = #expect(throws: ValidTimeError.self) { try ValidTime(parsing: text) }
        #expect(error?.description == message)
    }

    @Test func orderIsStartThenWiderFirst() throws {
        let texts = ["2021-05-06", "2021", "../2021-05", "2021-05", "2021-05-07/2021-05-12", "2021-05/..", "2021-05-06T14:00Z", "2020-12-31"]
        let sorted = try texts.map { try ValidTime(parsing: $0) }.sorted(by: ValidTime.precedes).map(\.description)
        #expect(sorted == ["../2021-05", "2020-12-31", "2021", "2021-05/..", "2021-05", "2021-05-06", "2021-05-06T14:00Z", "2021-05-07/2021-05-12"])
    }

    @Test(arguments: [
        ("2021-05", "2021-05", true), ("2021-05", "2021-05-06", true), ("2021-05", "2021", true),
        ("2021-05", "2021-04/2021-06", true), ("2021-05", "2021-06", false), ("2021-05", "2021-04-30", false),
        ("2021-05", "2021-05-31", true), ("2021-05", "2021-06-01", false), ("2021-05", "../2021-04", false),
        ("2021-05", "../2021-05-01", true), ("2021-05", "2021-05-31/..", true), ("2021-05", "2021-06/..", false),
    ])
    func aPeriodOverlapsEveryRangeThatSharesASecond(_ query: String, _ fact: String, _ overlaps: Bool) throws {
        #expect(try ValidTime(parsing: query).overlaps(try ValidTime(parsing: fact)) == overlaps)
    }
}

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("5000000", "5000000", Int64(5), Int8(6)), ("3.5", "3.5", Int64(35), Int8(-1)), ("-0.25", "-0.25", Int64(-25), Int8(-2)),
        ("0", "0", Int64(0), Int8(0)), ("-0", "0", Int64(0), Int8(0)), ("007", "7", Int64(7), Int8(0)), ("1e6", "1000000", Int64(1), Int8(6)),
        ("2.50E-1", "0.25", Int64(25), Int8(-2)), ("123456789012345678", "123456789012345678", Int64(123_456_789_012_345_678), Int8(0)),
    ])
    func parsesExactly(_ text: String, _ shown: String, _ significand: Int64, _ exponent: Int8) throws {
        let value = try ExactDecimal(parsing: text)
        #expect(value.description == shown)
        #expect(value.significand == significand)
        #expect(value.exponent == exponent)
    }

    @Test func equalValuesAreEqual() throws {
        #expect(try ExactDecimal(parsing: "5e6") == ExactDecimal(parsing: "5000000.000"))
        #expect(try ExactDecimal(parsing: "3.5") != ExactDecimal(parsing: "3.50001"))
    }

    @Test(arguments: [
        ("", DecimalError.malformed("")), ("abc", .malformed("abc")), ("1.2.3", .malformed("1.2.3")), ("--1", .malformed("--1")),
        ("1e", .malformed("1e")), ("1234567890123456789", .tooManyDigits("1234567890123456789")), ("1e99999", .malformed("1e99999")),
        ("1e100", .outOfRange("1e100")), (".", .malformed(".")),
    ])
    func refusesWhatIsNotAnExactDecimal(_ text: String, _ expected: DecimalError) {
        let error = #expect(throws: DecimalError.self) { try ExactDecimal(parsing: text) }
        #expect(error == expected)
    }
}
