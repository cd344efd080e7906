/// Text made safe to show on a terminal, and the number of columns it takes there.
///
/// Stored text is the sources' text, and a hostile source can hide things in it: a right-to-left
/// override (U+202E) makes `Good Name ‮KCATTA` read "Good Name ATTACK", an ESC starts a
/// sequence that recolours the screen or (OSC 52) writes the clipboard, a tab or a line break
/// breaks a table's columns. Everything written for a person — tables, the fact view, headers,
/// progress and `annals: …` messages — shows each such character as `<U+XXXX>` instead: visible,
/// and inert. JSON, JSON Lines and CSV carry the text exactly as stored.
enum TerminalText {
    /// `text` with every character that could move the cursor, drive the terminal, reorder or
    /// hide text written as `<U+XXXX>`: C0 and C1 controls, DEL, the line and paragraph
    /// separators and every format character (general category Cf: bidi embeddings, overrides
    /// and isolates, zero-width spaces and joiners, U+FEFF, U+061C, tags…). A zero-width joiner
    /// between two emoji is kept: it only draws them as one.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsNotation) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if needsNotation(scalar) && !joinsEmoji(scalars, at: index) {
                result += notation(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `<U+202E>`: the notation for one hidden character, as Unicode writes code points.
    static func notation(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    static func needsNotation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F: return false
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029: return true
        case 0xA0..<0xAD: return false
        default: return scalar.properties.generalCategory == .format
        }
    }

    private static func joinsEmoji(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard scalars[index] == "\u{200D}", index > 0, index + 1 < scalars.count else { return false }
        let before = scalars[index - 1], after = scalars[index + 1]
        // A variation selector (U+FE0F) may sit between an emoji and its joiner.
        let emojiBefore = isPictograph(before) || (before == "\u{FE0F}" && index > 1 && isPictograph(scalars[index - 2]))
        return emojiBefore && isPictograph(after)
    }

    private static func isPictograph(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x80 && scalar.properties.isEmoji
    }

    /// The columns `text` takes on a terminal, once made ``visible(_:)``: East Asian wide
    /// characters and emoji take two, combining marks alone take none, everything else one.
    static func width(_ text: String) -> Int {
        var columns = 0
        for character in text {
            columns += width(of: character)
        }
        return columns
    }

    static func width(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.isASCII && character.unicodeScalars.count == 1 { return 1 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        default: break
        }
        if isWide(first) { return 2 }
        for scalar in character.unicodeScalars {
            if scalar.properties.isEmojiPresentation { return 2 }
            // An emoji with the emoji variation selector is drawn as a picture, two columns wide.
            if scalar == "\u{FE0F}" && first.properties.isEmoji { return 2 }
        }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth.txt, W and F) outside the
    /// emoji, which `isEmojiPresentation` covers.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` made visible and cut to at most `columns` columns, ending with `…` when cut; an
    /// escape notation is kept whole or left out, never split.
    static func truncated(_ text: String, to columns: Int) -> String {
        let shown = visible(text)
        guard width(shown) > columns else { return shown }
        var result = ""
        var used = 0
        var rest = Substring(shown)
        while let character = rest.first {
            let unit: Substring
            if character == "<", let end = notationEnd(in: rest) {
                unit = rest[..<end]
            } else {
                unit = rest.prefix(1)
            }
            let unitWidth = width(String(unit))
            if used + unitWidth > columns - 1 { break }
            result += unit
            used += unitWidth
            rest = rest[unit.endIndex...]
        }
        return result + "…"
    }

    /// Where a `<U+XXXX>` notation at the start of `text` ends, if one is there.
    private static func notationEnd(in text: Substring) -> Substring.Index? {
        guard text.hasPrefix("<U+") else { return nil }
        var index = text.index(text.startIndex, offsetBy: 3)
        var digits = 0
        while index < text.endIndex, let ascii = text[index].asciiValue, (ascii >= 48 && ascii <= 57) || (ascii >= 65 && ascii <= 70) {
            digits += 1
            index = text.index(after: index)
        }
        guard (4...6).contains(digits), index < text.endIndex, text[index] == ">" else { return nil }
        return text.index(after: index)
    }
}
