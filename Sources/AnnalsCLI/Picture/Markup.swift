import AnnalsDomain

/// Text from articles and fact files made safe for where it lands in HTML and SVG: it is
/// always data, never markup, script or a link the page did not mean to make.
enum Markup {
    /// Text for the content of an HTML or SVG element, or for a quoted attribute value: the
    /// characters that could end the text or start markup are written as references, and
    /// characters XML does not allow (C0 controls other than tab and line breaks, lone
    /// surrogates cannot occur in a Swift string, U+FFFE and U+FFFF) become U+FFFD.
    static func text(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default:
                if isAllowedInXML(scalar) {
                    output.unicodeScalars.append(scalar)
                } else {
                    output += "\u{FFFD}"
                }
            }
        }
        return output
    }

    /// Whether XML 1.0 allows the character in a document.
    static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// JSON to place inside a `<script type="application/json">` element: the characters that
    /// could close the element or open a comment (`<`, `>`, `&`) occur only inside strings, where
    /// they are written as `\u` escapes, so the element's text is exactly the JSON.
    static func scriptJSON(_ value: JSONValue) -> String {
        var output = ""
        let serialized = value.serialized()
        output.reserveCapacity(serialized.utf8.count)
        for scalar in serialized.unicodeScalars {
            switch scalar {
            case "<": output += "\\u003c"
            case ">": output += "\\u003e"
            case "&": output += "\\u0026"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The URL when it may be a link: http or https only, without characters that a browser
    /// would strip or treat as part of the scheme. Anything else (`javascript:`, `data:`, a
    /// relative path) is shown as text and never followed.
    static func linkableURL(_ url: String?) -> String? {
        guard let url else { return nil }
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }) else { return nil }
        return url
    }
}
