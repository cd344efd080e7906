/// A measured amount: an exact decimal with a unit and whether the source hedged it.
public struct Quantity: Sendable, Hashable {
    /// What is measured: `ransom`, `duration`, `sectors` (`a–z 0–9 -`).
    public let name: String
    public let value: ExactDecimal
    public let unit: QuantityUnit
    /// Whether the source gave the value as an approximation ("about $5 million").
    public let isApproximate: Bool

    public init(name: String, value: ExactDecimal, unit: QuantityUnit, isApproximate: Bool) {
        self.name = name
        self.value = value
        self.unit = unit
        self.isApproximate = isApproximate
    }

    /// `~5000000 USD`, `3.5 h`, `16 sectors`.
    public var display: String {
        (isApproximate ? "~" : "") + value.description + " " + unit.symbol
    }

    package static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && bytes.count <= 40
            && bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }
    }
}

/// The unit of a quantity: a currency, a crypto-currency, a duration or a counted noun.
public enum QuantityUnit: Sendable, Hashable, CustomStringConvertible {
    /// An ISO 4217 currency code: `USD`, `EUR`, `RUB`.
    case currency(String)
    /// A crypto-currency ticker: `BTC`, `ETH`, `XMR`, `USDT`.
    case crypto(String)
    /// A unit of time.
    case duration(DurationUnit)
    /// Something counted, named by a lowercase noun: `sectors`, `people`.
    case count(String)

    public enum DurationUnit: String, Sendable, Hashable, CaseIterable {
        case seconds = "s", minutes = "min", hours = "h", days = "d", weeks = "wk", months = "mo", years = "yr"
    }

    /// Classifies `symbol`, or returns a reason it is not a unit.
    public static func parse(_ symbol: String) -> Result<QuantityUnit, UnitError> {
        if let duration = DurationUnit(rawValue: symbol) { return .success(.duration(duration)) }
        if cryptoTickers.contains(symbol) { return .success(.crypto(symbol)) }
        if currencyCodes.contains(symbol) { return .success(.currency(symbol)) }
        let bytes = symbol.utf8
        if bytes.count == 3, bytes.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            return .failure(.unknownCurrency(symbol))
        }
        let isNoun = !bytes.isEmpty && bytes.count <= 40
            && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes.first ?? 0)
            && bytes.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }
        return isNoun ? .success(.count(symbol)) : .failure(.notAUnit(symbol))
    }

    public var symbol: String {
        switch self {
        case .currency(let code), .crypto(let code), .count(let code): code
        case .duration(let unit): unit.rawValue
        }
    }

    public var description: String { symbol }

    static let cryptoTickers: Set<String> = ["BTC", "ETH", "XMR", "USDT", "USDC", "LTC", "XRP", "BCH", "DOGE", "ZEC", "DASH"]

    /// Active ISO 4217 codes.
    static let currencyCodes: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
        "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
        "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
        "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
        "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
        "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
        "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
        "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SYP", "SZL",
        "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND",
        "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    ]
}

public enum UnitError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownCurrency(String)
    case notAUnit(String)

    public var description: String {
        switch self {
        case .unknownCurrency(let code): "\(String(reflecting: code)) is not an ISO 4217 currency code or a known crypto-currency"
        case .notAUnit(let text):
            "\(String(reflecting: text)) is not a unit: expected a currency (USD), a crypto-currency (BTC), a duration (s, min, h, d, wk, mo, yr) or a lowercase noun (sectors)"
        }
    }
}

// MARK: Comparing quantities

extension Quantity {
    /// How two sources' values of one quantity relate.
    enum Agreement: Equatable {
        /// The same value, as precisely given (`2 h` and `120 min`).
        case same
        /// Compatible values, one more precise: `self` is the more precise one.
        case refines
        /// Compatible values, one more precise: `other` is the more precise one.
        case refinedBy
        /// Values that cannot both be true, or that cannot be compared (different currencies).
        case contradicts
    }

    /// Compares the values by what they mean, not how they are written: durations in one unit,
    /// decimals by value rather than scale. An approximate value stands for every value that
    /// rounds to it at its last significant digit (`~5000000` for 4,500,000 to 5,500,000;
    /// `~3.5 h` for 3.45 to 3.55 hours); an exact value within that range refines it.
    func agreement(with other: Quantity) -> Agreement {
        guard let (mine, theirs) = QuantityUnit.commonScale(unit, other.unit) else { return .contradicts }
        if ScaledDecimal(value, factor: mine) == ScaledDecimal(other.value, factor: theirs) {
            if isApproximate == other.isApproximate { return .same }
            return isApproximate ? .refinedBy : .refines
        }
        guard interval(scale: mine).intersects(other.interval(scale: theirs)) else { return .contradicts }
        // Within each other's rounding: the exact value, or the approximate one with the
        // smaller margin, is the more precise.
        if !isApproximate { return .refines }
        if !other.isApproximate { return .refinedBy }
        return ScaledDecimal.compare(margin(scale: theirs, of: other), margin(scale: mine, of: self)) < 0 ? .refinedBy : .refines
    }

    /// The values this one stands for, on the scale `factor` brings its unit to.
    func interval(scale factor: Int64) -> QuantityInterval {
        let center = ScaledDecimal(value, factor: factor)
        guard isApproximate else { return QuantityInterval(low: center, high: center) }
        let margin = ScaledDecimal(halfUnitOfLastDigitOf: value, factor: factor)
        return QuantityInterval(low: center.adding(margin.negated), high: center.adding(margin))
    }

    private func margin(scale factor: Int64, of quantity: Quantity) -> ScaledDecimal {
        ScaledDecimal(halfUnitOfLastDigitOf: quantity.value, factor: factor)
    }
}

/// A closed range of values, `low...high`, on one unit's scale.
struct QuantityInterval: Hashable, Sendable {
    var low: ScaledDecimal
    var high: ScaledDecimal

    var isEmpty: Bool { ScaledDecimal.compare(low, high) > 0 }

    func intersects(_ other: QuantityInterval) -> Bool { !intersection(other).isEmpty }

    func intersection(_ other: QuantityInterval) -> QuantityInterval {
        QuantityInterval(low: ScaledDecimal.compare(low, other.low) >= 0 ? low : other.low,
                         high: ScaledDecimal.compare(high, other.high) <= 0 ? high : other.high)
    }
}

extension QuantityUnit {
    /// Integer factors that bring two units to one scale (seconds for durations, months for
    /// months and years), or `nil` when the units measure different things.
    static func commonScale(_ a: QuantityUnit, _ b: QuantityUnit) -> (Int64, Int64)? {
        switch (a, b) {
        case let (.duration(x), .duration(y)):
            guard let fx = x.factor, let fy = y.factor, x.isCalendar == y.isCalendar else { return nil }
            return (fx, fy)
        default:
            return a == b ? (1, 1) : nil
        }
    }
}

extension QuantityUnit.DurationUnit {
    /// Whether the unit counts calendar months (whose length in days varies) rather than seconds.
    package var isCalendar: Bool { self == .months || self == .years }

    /// The unit's length in seconds, or in months for calendar units.
    package var factor: Int64? {
        switch self {
        case .seconds: 1
        case .minutes: 60
        case .hours: 3_600
        case .days: 86_400
        case .weeks: 604_800
        case .months: 1
        case .years: 12
        }
    }
}

/// An exact decimal multiplied by a unit factor: `significand × 10^exponent`, with a 128-bit
/// significand so that a value of 18 digits times a factor of 6 digits fits, with room to align
/// two such values (and their rounding margins) of similar size.
@usableFromInline package struct ScaledDecimal: Hashable, Sendable {
    @usableFromInline package var significand: Int128
    @usableFromInline package var exponent: Int

    package static let zero = ScaledDecimal(significand: 0, exponent: 0)

    package init(significand: Int128, exponent: Int) {
        var exponent = exponent
        if significand == 0 { exponent = 0 }
        // Most values fit 64 bits, where dividing costs a fraction of a 128-bit division.
        if var small = Int64(exactly: significand) {
            Self.divideOutTrailingZeros(&small, exponent: &exponent)
            self.significand = Int128(small)
        } else {
            var large = significand
            Self.divideOutTrailingZeros(&large, exponent: &exponent)
            self.significand = large
        }
        self.exponent = exponent
    }

    /// Divides the trailing decimal zeros out of `value`, adding one to `exponent` for each.
    private static func divideOutTrailingZeros<Integer: FixedWidthInteger>(_ value: inout Integer, exponent: inout Int) {
        while value != 0 {
            let (quotient, remainder) = value.quotientAndRemainder(dividingBy: 10)
            if remainder != 0 { return }
            value = quotient
            exponent += 1
        }
    }

    /// A value whose trailing zeros were divided out when it was made: one read back from
    /// where it was stored.
    @inlinable @usableFromInline package init(normalized significand: Int128, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    package init(_ value: ExactDecimal, factor: Int64) {
        self.init(significand: Int128(value.significand) * Int128(factor), exponent: Int(value.exponent))
    }

    /// Half a unit of the last significant digit of `value` as written (`~2 h`: half an hour),
    /// times the unit's factor: the rounding margin of an approximate value.
    init(halfUnitOfLastDigitOf value: ExactDecimal, factor: Int64) {
        self.init(significand: 5 * Int128(factor), exponent: Int(value.exponent) - 1)
    }

    package var negated: ScaledDecimal { ScaledDecimal(significand: -significand, exponent: exponent) }

    /// The number of digits of the significand plus the exponent: among values of one sign,
    /// one of larger magnitude is larger.
    private var magnitude: Int {
        var digits = 0
        var rest = significand.magnitude
        while rest > 0 {
            rest /= 10
            digits += 1
        }
        return digits + exponent
    }

    /// The significands of `a` and `b` at the smaller of their exponents, or `nil` when one
    /// would not fit 128 bits.
    private static func aligned(_ a: ScaledDecimal, _ b: ScaledDecimal) -> (Int128, Int128)? {
        func scale(_ value: ScaledDecimal, to exponent: Int) -> Int128? {
            var scaled = value.significand
            for _ in 0..<(value.exponent - exponent) {
                let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                scaled = product
            }
            return scaled
        }
        let exponent = min(a.exponent, b.exponent)
        guard let x = scale(a, to: exponent), let y = scale(b, to: exponent) else { return nil }
        return (x, y)
    }

    /// Negative, zero or positive as `a` is less than, equal to or greater than `b`: exact, and
    /// defined for any two values.
    package static func compare(_ a: ScaledDecimal, _ b: ScaledDecimal) -> Int {
        let signs = (a.significand.signum(), b.significand.signum())
        if signs.0 != signs.1 { return signs.0 < signs.1 ? -1 : 1 }
        if signs.0 == 0 { return 0 }
        // One sign: the larger magnitude decides, reversed for negatives; equal magnitudes align.
        if a.magnitude != b.magnitude {
            let larger = a.magnitude > b.magnitude
            return (larger == (signs.0 > 0)) ? 1 : -1
        }
        guard let (x, y) = aligned(a, b) else { return 0 }
        return x < y ? -1 : x > y ? 1 : 0
    }

    /// `self + other`: exact while the two align within 128 bits; otherwise the larger of the
    /// two, which then outweighs the other by more than 10^18.
    package func adding(_ other: ScaledDecimal) -> ScaledDecimal {
        if let (x, y) = Self.aligned(self, other) {
            let (sum, overflow) = x.addingReportingOverflow(y)
            if !overflow { return ScaledDecimal(significand: sum, exponent: min(exponent, other.exponent)) }
        }
        return magnitude >= other.magnitude ? self : other
    }
}

extension ScaledDecimal {
    /// `self ÷ divisor`, exact when the quotient has at most `fractionDigits` decimals, else
    /// rounded half to even at that many; `isExact` says which.
    package func divided(by divisor: Int128, fractionDigits: Int) -> (quotient: ScaledDecimal, isExact: Bool) {
        precondition(divisor > 0, "a divisor must be positive")
        if divisor == 1 && exponent >= -fractionDigits { return (self, true) }
        // Scale the significand so the quotient's last kept digit is at 10^-fractionDigits.
        var numerator = significand
        var shift = exponent + fractionDigits
        while shift > 0 {
            let (product, overflow) = numerator.multipliedReportingOverflow(by: 10)
            if overflow { break }
            numerator = product
            shift -= 1
        }
        var dropped: Int128 = 0
        while shift < 0 {
            dropped = dropped != 0 ? dropped : numerator % 10
            numerator /= 10
            shift += 1
        }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: divisor)
        var rounded = quotient
        let twice = remainder.magnitude * 2
        if twice > divisor.magnitude || (twice == divisor.magnitude && quotient % 2 != 0) {
            rounded += numerator < 0 ? -1 : 1
        }
        let result = ScaledDecimal(significand: rounded, exponent: -fractionDigits + shift)
        return (result, remainder == 0 && dropped == 0)
    }

    /// Plain decimal notation: `4400000`, `3.5`, `-0.25`.
    package var description: String {
        var text = ByteWriter(capacity: 48)
        appendText(to: &text)
        return text.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends ``description``'s text to `text` in one piece, with no allocation beyond
    /// `text`'s growth.
    package func appendText(to text: inout ByteWriter) {
        // Whole numbers within 64 bits, most amounts and durations: the digits, then the zeros.
        if exponent >= 0, let whole = UInt64(exactly: significand.magnitude) {
            if significand < 0 { text.append(UInt8(ascii: "-")) }
            text.integer(whole)
            if whole != 0 { text.append(repeating: UInt8(ascii: "0"), count: exponent) }
            return
        }
        // A sign, 39 digits (128 bits), a point, and the zeros of the exponent.
        let zeros = abs(exponent)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 42 + zeros) { buffer in
            // The digits are produced from the last, at the end of the buffer.
            var start = buffer.count
            var rest = significand.magnitude
            if rest <= UInt128(UInt64.max) {
                var small = UInt64(rest)
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(small % 10)
                    small /= 10
                } while small > 0
            } else {
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
            }
            let digitCount = buffer.count - start
            var end = buffer.count
            if exponent >= 0 {
                // Trailing zeros: the digits move to the front and the zeros follow.
                if significand != 0 && exponent > 0 {
                    let front = 1
                    for index in 0..<digitCount { buffer[front + index] = buffer[start + index] }
                    start = front
                    end = front + digitCount
                    for _ in 0..<exponent {
                        buffer[end] = UInt8(ascii: "0")
                        end += 1
                    }
                }
            } else if digitCount <= zeros {
                // 0.000ddd: leading zeros, then the point, then "0" before it.
                for _ in 0..<(zeros - digitCount) {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0")
                }
                start -= 2
                buffer[start] = UInt8(ascii: "0")
                buffer[start + 1] = UInt8(ascii: ".")
            } else {
                // ddd.ddd: the whole digits move one place left to make room for the point.
                let whole = digitCount - zeros
                for index in 0..<whole { buffer[start - 1 + index] = buffer[start + index] }
                start -= 1
                buffer[start + whole] = UInt8(ascii: ".")
            }
            if significand < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            text.append(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }
}

extension Quantity {
    /// What the value measures and the value in that measure's base unit: seconds for time,
    /// months for calendar time, the unit itself otherwise. Values of one dimension add up.
    package var measured: (dimension: String, value: ScaledDecimal) {
        if case .duration(let duration) = unit { return (canonicalDimension, ScaledDecimal(value, factor: duration.factor ?? 1)) }
        return (canonicalDimension, ScaledDecimal(value, factor: 1))
    }
}
