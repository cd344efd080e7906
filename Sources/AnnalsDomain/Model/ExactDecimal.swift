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
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { throw .malformed(text) }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
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
            // Leading zeros carry no precision.
            if digits.isEmpty && byte == UInt8(ascii: "0") { continue }
            digits.append(byte - UInt8(ascii: "0"))
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
        // Trailing zeros of the digits are exponent, not precision.
        while digits.last == 0 {
            digits.removeLast()
            exponent += 1
        }
        guard digits.count <= 18 else { throw .tooManyDigits(text) }
        var significand: Int64 = 0
        for digit in digits { significand = significand * 10 + Int64(digit) }
        guard digits.isEmpty || (-60...60).contains(exponent), exponent + digits.count <= 40 else { throw .outOfRange(text) }
        self.init(normalizing: negative ? -significand : significand, exponent: digits.isEmpty ? 0 : exponent)
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
