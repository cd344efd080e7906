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
