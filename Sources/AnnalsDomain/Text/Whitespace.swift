/// `text` with every run of whitespace (spaces, tabs, line breaks, no-break spaces …) turned
/// into one space, and none at either end. Quotes are matched against article text this way,
/// so line wrapping never matters and nothing else is normalised.
public func foldWhitespace(_ text: String) -> String {
    var text = text
    let folded = text.withUTF8 { isWhitespaceFolded($0) ? nil : String(decoding: foldWhitespaceBytes($0), as: UTF8.self) }
    return folded ?? text
}

/// ``foldWhitespace(_:)`` on UTF-8 bytes. Works byte by byte: ASCII whitespace directly, the
/// few non-ASCII Unicode spaces by their encodings, everything else copied as is.
package func foldWhitespaceBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    // The folded text is never longer than the text: written straight into its buffer.
    [UInt8](unsafeUninitializedCapacity: bytes.count) { result, count in count = foldWhitespace(bytes, into: result) }
}

/// Writes ``foldWhitespaceBytes(_:)`` of `bytes` into `result`, which has room for at least
/// `bytes.count` bytes, and returns how many it wrote.
package func foldWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, into result: UnsafeMutableBufferPointer<UInt8>) -> Int {
    var written = 0
    var pendingSpace = false
    var index = 0
    while index < bytes.count {
        let width = whitespaceWidth(bytes, at: index)
        if width > 0 {
            pendingSpace = written > 0
            index += width
            continue
        }
        if pendingSpace {
            result[written] = UInt8(ascii: " ")
            written += 1
            pendingSpace = false
        }
        result[written] = bytes[index]
        written += 1
        index += 1
    }
    return written
}

/// Whether ``foldWhitespaceBytes(_:)`` would leave `bytes` as they are: no whitespace at either
/// end, and none between words but single ASCII spaces (most names and quotes).
package func isWhitespaceFolded(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // Starts as if after a space, so that a leading space counts as a second one.
    var afterSpace = true
    for index in bytes.indices {
        let byte = bytes[index]
        if byte == UInt8(ascii: " ") {
            if afterSpace { return false }
            afterSpace = true
            continue
        }
        if byte < 0x80 ? (0x09...0x0D).contains(byte) : whitespaceWidth(bytes, at: index) > 0 { return false }
        afterSpace = false
    }
    return bytes.isEmpty || !afterSpace
}

/// Calls `body` with `bytes` folded as ``foldWhitespaceBytes(_:)`` folds them, and without a
/// copy when they are folded already.
package func withWhitespaceFolded<Result>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    if isWhitespaceFolded(bytes) { return try body(bytes) }
    return try foldWhitespaceBytes(bytes).withUnsafeBufferPointer(body)
}

/// The length of the UTF-8 encoding of a whitespace character at `index`, or 0 when there is none:
/// U+0009–000D, U+0020, U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000.
@inline(__always)
package func whitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    let byte = bytes[index]
    if byte < 0x80 { return byte == 0x20 || (0x09...0x0D).contains(byte) ? 1 : 0 }
    let remaining = bytes.count - index
    switch byte {
    case 0xC2 where remaining >= 2:
        return bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0 ? 2 : 0
    case 0xE1 where remaining >= 3:
        return bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80 ? 3 : 0
    case 0xE2 where remaining >= 3:
        let second = bytes[index + 1], third = bytes[index + 2]
        if second == 0x80 { return (0x80...0x8A).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0 }
        return second == 0x81 && third == 0x9F ? 3 : 0
    case 0xE3 where remaining >= 3:
        return bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80 ? 3 : 0
    default:
        return 0
    }
}
