import CTextScan

/// Compact JSON text written straight into a byte buffer: the one place that says how Annals
/// escapes a string, used by ``JSONValue/serialized()`` and by the streaming encoders that turn
/// stored events into JSON without building values first.
///
/// Escaping leaves everything to a JSON reader except what could break a line of JSON Lines or
/// confuse a JavaScript reader: quotes, backslashes, control characters and the line and
/// paragraph separators U+2028 and U+2029.
public struct JSONWriter: ~Copyable {
    /// The text, in an owned buffer.
    private var output: ByteWriter

    /// The number of bytes written so far.
    public var count: Int { output.count }

    public init(capacity: Int = 1024) {
        output = ByteWriter(capacity: capacity)
    }

    /// The text written so far, as UTF-8, in place.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try output.withBytes(body)
    }

    /// A copy of the text written so far.
    public var bytes: [UInt8] { output.bytes }

    /// Forgets what was written, keeping the buffer's capacity.
    public mutating func reset() { output.reset() }

    @inline(__always)
    private mutating func append(_ byte: UInt8) { output.append(byte) }

    @inline(__always)
    private mutating func append(_ piece: UnsafeRawBufferPointer) { output.append(piece) }

    @inline(__always)
    private mutating func append(_ piece: UnsafeBufferPointer<UInt8>) { output.append(piece) }

    /// Text that is already JSON (punctuation, a number, a literal).
    @inline(__always)
    public mutating func raw(_ text: StaticString) { output.append(text) }

    /// Bytes that are already JSON.
    @inline(__always)
    public mutating func raw(_ json: UnsafeRawBufferPointer) { output.append(json) }

    /// An unsigned integer in decimal, written without a String in between.
    public mutating func integer(_ value: UInt64) { output.integer(value) }

    /// A non-negative integer in decimal with leading zeros to `width` digits (dates, times).
    public mutating func paddedInteger(_ value: Int, width: Int) { output.paddedInteger(max(value, 0), width: width) }

    /// A signed integer in decimal.
    public mutating func integer(_ value: Int64) { output.integer(value) }

    /// `text` as a JSON string.
    @inline(__always)
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// UTF-8 bytes as a JSON string; runs that need no escaping are copied whole. `text` must
    /// be valid UTF-8 (a Swift string's bytes); for bytes from elsewhere use
    /// ``string(repairing:)``.
    @inline(__always)
    public mutating func string(utf8 text: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        _ = escape(text)
        append(UInt8(ascii: "\""))
    }

    /// Bytes that should be UTF-8 as a JSON string; a damaged sequence is written as U+FFFD,
    /// as decoding them into a `String` would, so the output is always valid JSON. Checking
    /// and escaping are one pass.
    public mutating func string(repairing text: UnsafeRawBufferPointer) {
        string(prefix: [], repairing: text)
    }

    /// `prefix` (valid UTF-8) and then `text` (checked as ``string(repairing:)`` does) as one
    /// JSON string.
    public mutating func string(prefix: [UInt8], repairing text: UnsafeRawBufferPointer) {
        let start = count
        append(UInt8(ascii: "\""))
        prefix.withUnsafeBytes { _ = escape($0) }
        guard escape(text) else {
            truncate(to: start)
            var repaired = String(decoding: text, as: UTF8.self)
            repaired.withUTF8 { repairedText in
                append(UInt8(ascii: "\""))
                prefix.withUnsafeBytes { _ = escape($0) }
                _ = escape(UnsafeRawBufferPointer(repairedText))
            }
            append(UInt8(ascii: "\""))
            return
        }
        append(UInt8(ascii: "\""))
    }

    /// Appends the inside of a JSON string: `text` with what must be escaped escaped, checking
    /// that it is well-formed UTF-8 on the way; `false` (with part of it written) when it is not.
    /// Runs of plain printable ASCII are found sixteen bytes at a time and copied whole.
    private mutating func escape(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        var runStart = 0
        var index = 0
        let count = text.count
        while true {
            index += annals_json_plain_prefix(base + index, count - index)
            guard index < count else { break }
            let byte = text[index]
            if byte >= 0x80 {
                guard let length = Self.sequenceLength(text, at: index) else { return false }
                // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end lines in JavaScript.
                if byte == 0xE2 && text[index + 1] == 0x80 && (text[index + 2] == 0xA8 || text[index + 2] == 0xA9) {
                    if runStart < index { append(UnsafeRawBufferPointer(rebasing: text[runStart..<index])) }
                    raw(text[index + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    runStart = index + length
                }
                index += length
                continue
            }
            if runStart < index { append(UnsafeRawBufferPointer(rebasing: text[runStart..<index])) }
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            default:
                let digits: StaticString = "0123456789abcdef"
                raw("\\u00")
                digits.withUTF8Buffer { hex in
                    append(hex[Int(byte >> 4)])
                    append(hex[Int(byte & 0xF)])
                }
            }
            index += 1
            runStart = index
        }
        if runStart < count { append(UnsafeRawBufferPointer(rebasing: text[runStart..<count])) }
        return true
    }

    /// The length of the well-formed UTF-8 sequence that starts at `index` (a byte ≥ 0x80), or
    /// `nil` when it is not one: overlong forms, surrogates and values past U+10FFFF are not.
    @inline(__always)
    static func sequenceLength(_ text: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let lead = text[index]
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: (length, scalar) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, scalar) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, scalar) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= text.count else { return nil }
        for offset in 1..<length {
            let continuation = text[index + offset]
            guard continuation & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        switch length {
        case 3: guard scalar >= 0x800, !(0xD800...0xDFFF).contains(scalar) else { return nil }
        case 4: guard (0x10000...0x10FFFF).contains(scalar) else { return nil }
        default: break
        }
        return length
    }

    /// `data` as a JSON string of lowercase hexadecimal digits.
    public mutating func hexadecimalString(_ data: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        output.appendHexadecimal(data)
        append(UInt8(ascii: "\""))
    }

    /// `data` as a JSON string in ``Base64``.
    public mutating func base64String(_ data: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        Base64.encode(data, to: &output)
        append(UInt8(ascii: "\""))
    }

    /// Drops what was written after the first `count` bytes: undoes a value that could not be
    /// finished.
    public mutating func truncate(to count: Int) { output.truncate(to: count) }

    /// `value`, serialised.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .number(let text):
            var number = text
            number.withUTF8 { append($0) }
        case .string(let text): string(text)
        case .array(let elements):
            append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                self.value(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let members):
            append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                string(member.0)
                append(UInt8(ascii: ":"))
                self.value(member.1)
            }
            append(UInt8(ascii: "}"))
        }
    }

    /// Appends one ASCII character that needs no escaping where it goes: punctuation (`{`, `,`,
    /// `:`, a newline) or a character of a date.
    @inline(__always)
    public mutating func punctuation(_ byte: Unicode.Scalar) { append(UInt8(byte.value)) }

    /// Hands out the text written and starts empty.
    public mutating func take() -> [UInt8] { output.take() }
}

/// How many bytes from `start` a JSON string holds as they are: printable ASCII other than the
/// quote and the backslash, sixteen checked per step. The stop, if any, is a quote, a
/// backslash, a control character or the first byte of a non-ASCII character; readers of JSON
/// skip plain runs with it as ``JSONWriter`` does.
@inline(__always)
package func jsonPlainRun(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
    return annals_json_plain_prefix(base + start, bytes.count - start)
}

/// How many bytes from `start` are printable ASCII (0x20 to 0x7E), sixteen checked per step:
/// checks of text for control characters skip to the bytes that need a look.
@inline(__always)
package func printableRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    return annals_printable_prefix(base + start, bytes.count - start)
}
