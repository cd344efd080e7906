/// How input messages show a value the input gave: in double quotes, escaped so that it shows
/// on one line exactly as it is, and cut to `limit` characters: `"The leaders\u{200B} met"`.
///
/// Quotes and backslashes are escaped as in Swift and JSON; line breaks and tabs as `\n`,
/// `\r`, `\t`; every other character that would not show, or would show as something else
/// (controls, format characters such as U+200B or U+202E, other spaces, private-use and
/// unassigned code points), as `\u{200B}`. A longer value keeps its first `limit - 3`
/// characters and ends with `…`.
package func shown(_ text: String, limit: Int = 60) -> String {
    var result = "\""
    let cut = text.count > limit
    let kept = cut ? text.prefix(limit - 3) : Substring(text)
    for scalar in kept.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if isInvisible(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + (cut ? "…\"" : "\"")
}

/// Whether `scalar` shows nothing, or looks like something it is not, where it stands: a
/// control or format character, a line or paragraph separator, a space other than U+0020,
/// a private-use, unassigned or surrogate code point, or any default-ignorable one (such as
/// U+3164 HANGUL FILLER).
package func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value >= 0x21 && scalar.value < 0x7F { return false }
    let properties = scalar.properties
    switch properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: return true
    case .spaceSeparator: return scalar != " "
    default: return properties.isDefaultIgnorableCodePoint
    }
}

/// The first invisible character of `text` (see ``isInvisible(_:)``) that is not whitespace:
/// its code point and name (`U+200B ZERO WIDTH SPACE`) and its place, counted in characters from 1.
package func firstInvisibleCharacter(in text: String) -> (name: String, position: Int)? {
    var position = 0
    for character in text {
        position += 1
        guard !character.isWhitespace, let scalar = character.unicodeScalars.first(where: isInvisible) else { continue }
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        return (scalar.properties.name.map { "\(code) \($0)" } ?? code, position)
    }
    return nil
}

/// A field name as messages show it: as it is when it is a plain name, otherwise quoted and
/// escaped like a value, so that no input can put a line break into a message.
package func shownFieldName(_ key: String) -> String {
    let plain = !key.isEmpty && key.utf8.count <= 40 && key.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
    return plain ? key : shown(key, limit: 40)
}

/// `1000000` → `1,000,000`, as messages write limits.
package func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
        result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
}

extension String {
    package func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
