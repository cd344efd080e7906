import AnnalsLog
import AnnalsTestSupport
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2021-05-06", Int64(1_620_259_200_000_000)),
        ("2021-06-16T14:00Z", Int64(1_623_852_000_000_000)),
        ("2021-06-16T16:00+02:00", Int64(1_623_852_000_000_000)),
        ("2021-06-16T09:30:00-04:30", Int64(1_623_852_000_000_000)),
        ("2021-06-16T14:00:00.25Z", Int64(1_623_852_000_250_000)),
        ("2021-06-16T14:00:00.123456789Z", Int64(1_623_852_000_123_456)),
        ("2024-02-29T23:59:59Z", Int64(1_709_251_199_000_000)),
        ("1969-12-31T23:59:59.5Z", Int64(-500_000)),
        ("0001-01-01", Int64(-62_135_596_800_000_000)),
    ])
    func parsesISO8601(_ text: String, _ micros: Int64) {
        #expect(Timestamp(iso8601: text)?.microsecondsSinceEpoch == micros)
    }

    @Test(arguments: [
        "", "2021", "2021-5-6", "2021-02-30", "2021-02-29", "2021-13-01", "2021-06-16T24:00Z",
        "2021-06-16T14:60Z", "2021-06-16T14:00", "2021-06-16T14:00:61Z", "2021-06-16T14:00+15:00",
        "2021-06-16T14:00Zjunk", "2021-06-16T14:00:00.Z", "2021-06-16T14:00:00.1234567890Z", "yesterday",
    ])
    func refusesWhatIsNotAnUnambiguousMoment(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func formatsInUTCWithChosenPrecision() {
        let moment = Timestamp(microsecondsSinceEpoch: 1_623_852_000_250_000)
        #expect(moment.description == "2021-06-16T14:00:00.250000Z")
        #expect(moment.formatted(fractionalDigits: 0) == "2021-06-16T14:00:00Z")
        #expect(moment.formatted(fractionalDigits: 3) == "2021-06-16T14:00:00.250Z")
        #expect(Timestamp(microsecondsSinceEpoch: -500_000).description == "1969-12-31T23:59:59.500000Z")
    }

    @Test func formattingAndParsingRoundTripOverFourCenturies() {
        var generator = SeededGenerator(seed: 0xA11A15)
        for _ in 0..<10_000 {
            let micros = Int64.random(in: -6_000_000_000_000_000...7_000_000_000_000_000, using: &generator)
            let moment = Timestamp(microsecondsSinceEpoch: micros)
            #expect(Timestamp(iso8601: moment.description) == moment, "seed 0xA11A15, \(micros)")
        }
    }
}
