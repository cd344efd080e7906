import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// Whether `text` holds nothing but whitespace.
func isBlank(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        var index = 0
        while index < bytes.count {
            let width = whitespaceWidth(bytes, at: index)
            if width == 0 { return false }
            index += width
        }
        return true
    }
}

/// An article's text, folded once so that many quotes can be looked up in it quickly: in Unicode
/// Normalization Form C (so composed and decomposed accents match), with whitespace folded.
struct FoldedText: Sendable {
    private let bytes: [UInt8]

    init(_ text: String) {
        bytes = Self.fold(text)
    }

    private static func fold(_ text: String) -> [UInt8] {
        withNFCBytes(text) { foldWhitespaceBytes($0) }
    }

    /// Where `quote`, folded the same way, first occurs in the folded text, in bytes.
    func range(of quote: String) -> Range<Int>? {
        // Most quotes are folded already: searched for as they are, without a folded copy.
        withNFCBytes(quote) { quote in
            withWhitespaceFolded(quote) { needle in
                guard !needle.isEmpty else { return nil }
                let start = bytes.withUnsafeBytes { haystack in firstOffset(of: UnsafeRawBufferPointer(needle), in: haystack) }
                return start.map { $0..<($0 + needle.count) }
            }
        }
    }

    /// Whether `quote`, folded the same way, occurs in the text.
    func contains(_ quote: String) -> Bool { range(of: quote) != nil }
}

/// Where `needle` (not empty) first occurs in `haystack`: scan for the first byte, confirm
/// with `memcmp`.
///
/// Confirming a candidate may compare the whole needle, so a text and a quote made of one
/// repeated byte (`a…ab` against 4 MB of `a`) cost their product: seconds per quote. The
/// comparisons are counted, and past a budget linear in the text the search finishes with
/// Knuth–Morris–Pratt, linear in both; ordinary text never gets near the budget.
func firstOffset(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
    guard let first = needle.first, needle.count <= haystack.count,
          let needleBase = needle.baseAddress, let haystackBase = haystack.baseAddress
    else { return nil }
    let prefix = min(needle.count, 16)
    var budget = 8 * haystack.count + 4096
    var offset = 0
    let last = haystack.count - needle.count
    while offset <= last {
        guard let found = Memory.first(first, in: haystackBase + offset, count: last - offset + 1) else { return nil }
        let candidate = haystackBase.distance(to: found)
        budget -= prefix
        if Memory.equal(haystackBase + candidate, needleBase, count: prefix) {
            if Memory.equal(haystackBase + candidate, needleBase, count: needle.count) { return candidate }
            budget -= needle.count
        }
        offset = candidate + 1
        if budget < 0 {
            return knuthMorrisPratt(needle, in: UnsafeRawBufferPointer(rebasing: haystack[offset...])).map { offset + $0 }
        }
    }
    return nil
}

/// Knuth–Morris–Pratt: where `needle` (not empty) first occurs in `haystack`, in time linear in both.
private func knuthMorrisPratt(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
    // failure[i]: the length of the longest proper prefix of needle[0...i] that is also its suffix.
    var failure = [Int](repeating: 0, count: needle.count)
    var length = 0
    for index in 1..<max(needle.count, 1) {
        while length > 0 && needle[index] != needle[length] { length = failure[length - 1] }
        if needle[index] == needle[length] { length += 1 }
        failure[index] = length
    }
    var matched = 0
    for (index, byte) in haystack.enumerated() {
        while matched > 0 && byte != needle[matched] { matched = failure[matched - 1] }
        if byte == needle[matched] { matched += 1 }
        if matched == needle.count { return index + 1 - needle.count }
    }
    return nil
}

/// Why a piece of free text cannot be stored: control characters other than line breaks and
/// tabs, or a NUL, are refused everywhere; single-line fields refuse line breaks too.
func textProblem(_ text: String, singleLine: Bool, maximumLength: Int) -> String? {
    // Bytes bound characters from above, so short texts need no counting.
    if text.utf8.count > maximumLength {
        let count = text.unicodeScalars.count
        if count > maximumLength { return "is \(count) characters long; at most \(maximumLength) are allowed" }
    }
    var text = text
    return text.withUTF8 { bytes -> String? in
        var index = 0
        while true {
            index += printableRun(bytes, from: index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            index += 1
            if byte >= 0x80 && byte != 0xC2 { continue }
            switch byte {
            case 0xC2:
                // U+0080–U+009F, the C1 controls, are 0xC2 0x80–0x9F in UTF-8.
                if index < bytes.count, (0x80...0x9F).contains(bytes[index]) { return controlProblem(UInt32(bytes[index])) }
            case UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if singleLine { return "contains a line break; expected a single line" }
            default:
                return controlProblem(UInt32(byte))
            }
        }
        return nil
    }
}

/// What is wrong with text that holds the control character `value`, as every input says it.
func controlProblem(_ value: UInt32) -> String {
    "contains the control character U+\(String(value, radix: 16, uppercase: true).leftPadded(to: 4)); expected plain text"
}
