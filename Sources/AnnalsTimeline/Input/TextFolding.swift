#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `text` with every run of whitespace (spaces, tabs, line breaks, no-break spaces …) turned
/// into one space, and none at either end. Quotes are matched against article text this way,
/// so line wrapping never matters and nothing else is normalised.
public func foldWhitespace(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for character in text {
        if character.isWhitespace {
            pendingSpace = !result.isEmpty
        } else {
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(character)
        }
    }
    return result
}

/// An article's text, folded once so that many quotes can be looked up in it quickly.
struct FoldedText: Sendable {
    private let bytes: [UInt8]

    init(_ text: String) { bytes = Array(foldWhitespace(text).utf8) }

    /// Whether `quote`, folded the same way, occurs in the text.
    func contains(_ quote: String) -> Bool {
        let needle = Array(foldWhitespace(quote).utf8)
        guard !needle.isEmpty else { return false }
        return bytes.withUnsafeBytes { haystack in
            needle.withUnsafeBytes { needle in findBytes(needle, in: haystack) }
        }
    }
}

/// Whether `needle` occurs in `haystack`: scan for the first byte, confirm with `memcmp`.
func findBytes(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
    guard let first = needle.first, needle.count <= haystack.count,
          let needleBase = needle.baseAddress, let haystackBase = haystack.baseAddress
    else { return needle.isEmpty }
    var offset = 0
    let last = haystack.count - needle.count
    while offset <= last {
        guard let found = memchr(haystackBase + offset, Int32(first), last - offset + 1) else { return false }
        let candidate = haystackBase.distance(to: UnsafeRawPointer(found))
        if memcmp(haystackBase + candidate, needleBase, needle.count) == 0 { return true }
        offset = candidate + 1
    }
    return false
}

/// Why a piece of free text cannot be stored: control characters other than line breaks and
/// tabs, or a NUL, are refused everywhere; single-line fields refuse line breaks too.
func textProblem(_ text: String, singleLine: Bool, maximumLength: Int) -> String? {
    let count = text.unicodeScalars.count
    if count > maximumLength { return "is \(count) characters long; at most \(maximumLength) are allowed" }
    for scalar in text.unicodeScalars {
        if scalar == "\n" || scalar == "\r" || scalar == "\t" {
            if singleLine && scalar != "\t" { return "contains a line break; expected a single line" }
            continue
        }
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
            return "contains the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)); expected plain text"
        }
    }
    return nil
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
