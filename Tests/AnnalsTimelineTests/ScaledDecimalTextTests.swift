@testable import AnnalsDomain
import AnnalsTestSupport
import Testing

/// Amounts reach every output through ``ScaledDecimal/appendText(to:)``: plain decimal
/// notation, exact, for any significand of 128 bits and any exponent.
@Suite struct ScaledDecimalTextTests {
    @Test(arguments: [
        (Int128(0), 0, "0"), (0, 4, "0"), (0, -3, "0.000"), (5, 0, "5"), (44, 5, "4400000"), (-7, 3, "-7000"),
        (35, -1, "3.5"), (-25, -2, "-0.25"), (1, -6, "0.000001"), (-1_234_567, -3, "-1234.567"), (100, -2, "1.00"),
        (Int128(UInt64.max), 0, "18446744073709551615"), (Int128(UInt64.max) + 1, -20, "0.18446744073709551616"),
        (Int128.max, 2, "17014118346046923173168730371588410572700"),
        (Int128.min + 1, -39, "-0.170141183460469231731687303715884105727"),
    ])
    func plainNotation(significand: Int128, exponent: Int, expected: String) {
        #expect(ScaledDecimal(normalized: significand, exponent: exponent).description == expected)
    }

    /// Against the notation built from the digits' string, over random significands and
    /// exponents, appended after text already in the buffer.
    @Test func matchesTheDigitsWrittenOut() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<5_000 {
            let bits = Int.random(in: 1...127, using: &random)
            let magnitude = Int128(truncatingIfNeeded: UInt128(random.next()) << 64 | UInt128(random.next())) & (Int128.max >> (127 - bits))
            let significand = Bool.random(using: &random) ? -magnitude : magnitude
            let exponent = Int.random(in: -60...60, using: &random)
            var text = ByteWriter(capacity: 16)
            text.append("x=")
            ScaledDecimal(normalized: significand, exponent: exponent).appendText(to: &text)
            #expect(text.withBytes { String(decoding: $0, as: UTF8.self) } == "x=" + Self.written(significand, exponent), "\(significand)e\(exponent)")
        }
    }

    private static func written(_ significand: Int128, _ exponent: Int) -> String {
        let digits = String(significand.magnitude)
        let sign = significand < 0 ? "-" : ""
        if exponent >= 0 { return sign + digits + (significand == 0 ? "" : String(repeating: "0", count: exponent)) }
        let padded = String(repeating: "0", count: max(0, -exponent + 1 - digits.count)) + digits
        return sign + padded.dropLast(-exponent) + "." + padded.suffix(-exponent)
    }
}
