/// An exact decimal number — `5000000`, `3.5`, `-0.25` — with at most 18 significant digits.
///
/// Stored as `significand × 10^exponent` with trailing zeros folded into the exponent, so equal
/// values have equal representations; never a binary floating point.
public struct ExactDecimal: Sendable, Hashable, CustomStringConvertible {
    public let significand: Int64
    public let exponent: Int8

    public static let zero = ExactDecimal(normalizing: 0, exponent: 0)

    init(normalizing significand: Int64, exponent: Int) {
        var significand = significand
        var exponent = exponent
        if significand == 0 {
            exponent = 0
        } else {
            while significand % 10 == 0 {
                significand /= 10
                exponent += 1
            }
        }
        self.significand = significand
        self.exponent = Int8(clamping: exponent)
    }

    /// Parses decimal text: an optional sign, digits, an optional fraction, and an optional
    /// exponent (`1e6`, `2.5E-3`) as JSON numbers allow.
    public init(parsing text: String) throws(DecimalError) {
        // Read the text's own UTF-8 and build the significand as the digits go by: a copy of the
        // bytes and an array of digits were two allocations for every quantity of an ingest.
        var bytes = text.utf8[...]
        guard !bytes.isEmpty else { throw .malformed(text) }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        // The significant digits so far, less the zeros since the last nonzero one: trailing
        // zeros are exponent, not precision, and leading zeros carry no precision at all.
        var significand: Int64 = 0
        var significantDigits = 0
        var pendingZeros = 0
        // More than 18 significant digits: reported once the whole text is known to be a number.
        var tooManyDigits = false
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw .malformed(text) }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed(text) }
            seenDigit = true
            if seenPoint { fractionDigits += 1 }
            if byte == UInt8(ascii: "0") {
                if significantDigits > 0 { pendingZeros += 1 }
                continue
            }
            significantDigits += pendingZeros + 1
            if significantDigits > 18 { tooManyDigits = true }
            if !tooManyDigits {
                for _ in 0..<pendingZeros { significand *= 10 }
                significand = significand * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            pendingZeros = 0
        }
        guard seenDigit else { throw .malformed(text) }
        var exponent = -fractionDigits
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
                exponentNegative = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty, bytes.count <= 4 else { throw .malformed(text) }
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed(text) }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            exponent += exponentNegative ? -value : value
        }
        exponent += pendingZeros
        guard !tooManyDigits else { throw .tooManyDigits(text) }
        guard significantDigits == 0 || (-60...60).contains(exponent), exponent + significantDigits <= 40 else { throw .outOfRange(text) }
        self.init(normalizing: negative ? -significand : significand, exponent: significantDigits == 0 ? 0 : exponent)
    }

    /// Plain decimal notation without an exponent: `5000000`, `3.5`, `-0.25`.
    public var description: String {
        let magnitude = significand.magnitude
        var digits = String(magnitude)
        if exponent >= 0 {
            digits += String(repeating: "0", count: Int(exponent))
        } else {
            let fraction = Int(-exponent)
            if digits.count <= fraction { digits = String(repeating: "0", count: fraction - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -fraction))
        }
        return (significand < 0 ? "-" : "") + digits
    }
}

public enum DecimalError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case tooManyDigits(String)
    case outOfRange(String)

    public var description: String {
        switch self {
        case .malformed(let text): "\(String(reflecting: text)) is not a decimal number"
        case .tooManyDigits(let text): "\(String(reflecting: text)) has more than 18 significant digits"
        case .outOfRange(let text): "\(String(reflecting: text)) is out of range"
        }
    }
}
