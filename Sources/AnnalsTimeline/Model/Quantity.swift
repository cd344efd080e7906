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

    static func isValidName(_ name: String) -> Bool {
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
        let a = ScaledDecimal(value, factor: mine)
        let b = ScaledDecimal(other.value, factor: theirs)
        if a == b {
            if isApproximate == other.isApproximate { return .same }
            return isApproximate ? .refinedBy : .refines
        }
        // Within each other's rounding: the exact value, or the approximate one with the
        // smaller margin, is the more precise.
        let marginA = isApproximate ? ScaledDecimal(halfUnitOfLastDigitOf: value, factor: mine) : .zero
        let marginB = other.isApproximate ? ScaledDecimal(halfUnitOfLastDigitOf: other.value, factor: theirs) : .zero
        guard isApproximate || other.isApproximate, ScaledDecimal.distance(a, b, isAtMost: marginA, plus: marginB) else { return .contradicts }
        if !isApproximate { return .refines }
        if !other.isApproximate { return .refinedBy }
        return ScaledDecimal.less(marginB, marginA) ? .refinedBy : .refines
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
    var isCalendar: Bool { self == .months || self == .years }

    /// The unit's length in seconds, or in months for calendar units.
    var factor: Int64? {
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
/// significand so that a value of 18 digits times a factor of 6 fits with room to align.
struct ScaledDecimal: Equatable {
    var significand: Int128
    var exponent: Int

    static let zero = ScaledDecimal(significand: 0, exponent: 0)

    init(significand: Int128, exponent: Int) {
        var significand = significand
        var exponent = exponent
        if significand == 0 { exponent = 0 }
        while significand != 0 && significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        self.significand = significand
        self.exponent = exponent
    }

    init(_ value: ExactDecimal, factor: Int64) {
        self.init(significand: Int128(value.significand) * Int128(factor), exponent: Int(value.exponent))
    }

    /// Half a unit of the last significant digit of `value` as written (`~2 h`: half an hour),
    /// times the unit's factor: the rounding margin of an approximate value.
    init(halfUnitOfLastDigitOf value: ExactDecimal, factor: Int64) {
        self.init(significand: 5 * Int128(factor), exponent: Int(value.exponent) - 1)
    }

    /// The number of digits of the significand plus the exponent: values whose magnitudes differ
    /// by two or more are at least ten times apart.
    private var magnitude: Int {
        var digits = 0
        var rest = significand.magnitude
        while rest > 0 {
            rest /= 10
            digits += 1
        }
        return digits + exponent
    }

    /// `a` and `b` brought to one exponent, or `nil` when that would not fit 128 bits.
    private static func aligned(_ values: [ScaledDecimal]) -> [Int128]? {
        let exponent = values.map(\.exponent).min() ?? 0
        var result: [Int128] = []
        for value in values {
            var scaled = value.significand
            for _ in 0..<(value.exponent - exponent) {
                let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                scaled = product
            }
            result.append(scaled)
        }
        return result
    }

    static func less(_ a: ScaledDecimal, _ b: ScaledDecimal) -> Bool {
        guard let values = aligned([a, b]) else { return a.magnitude < b.magnitude }
        return values[0] < values[1]
    }

    /// Whether |a − b| ≤ m + n, for non-negative margins that are at most half of |a| and |b|.
    static func distance(_ a: ScaledDecimal, _ b: ScaledDecimal, isAtMost m: ScaledDecimal, plus n: ScaledDecimal) -> Bool {
        // Margins are at most half a value, so values whose magnitudes differ by two or more
        // (ten times apart) cannot be within them; closer ones align within 128 bits.
        if a.significand != 0 && b.significand != 0 && abs(a.magnitude - b.magnitude) >= 2 { return false }
        guard let values = aligned([a, b, m, n]) else { return false }
        let (difference, overflow) = values[0].subtractingReportingOverflow(values[1])
        return !overflow && difference.magnitude <= (values[2] + values[3]).magnitude
    }
}
