/// Base64 (RFC 4648, standard alphabet, with padding), in one place for everything that writes
/// or reads it: CloudEvents' `data_base64`, the timeline page's content-security hashes and the
/// log record a stream message carries in a header. Decoding is strict (canonical padding, no
/// line breaks or spaces), so one text stands for exactly one byte string.
public enum Base64 {
    /// How many symbols `byteCount` bytes encode to.
    public static func encodedCount(of byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Appends the encoding of `data` to `output`.
    public static func encode(_ data: UnsafeRawBufferPointer, to output: inout ByteWriter) {
        output.appendFilling(encodedCount(of: data.count)) { encode(data, into: $0) }
    }

    /// The encoding of `data`, as text.
    public static func encoded(_ data: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedCount(of: data.count)) { text in
            encode(data, into: UnsafeMutableRawBufferPointer(text))
            return text.count
        }
    }

    /// Writes the encoding of `data` into `output`, which holds exactly ``encodedCount(of:)`` bytes.
    private static func encode(_ data: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        alphabet.withUTF8Buffer { symbols in
            var index = 0
            var written = 0
            while index + 3 <= data.count {
                let group = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
                output[written] = symbols[Int(group >> 18)]
                output[written + 1] = symbols[Int(group >> 12 & 0x3F)]
                output[written + 2] = symbols[Int(group >> 6 & 0x3F)]
                output[written + 3] = symbols[Int(group & 0x3F)]
                index += 3
                written += 4
            }
            let left = data.count - index
            if left > 0 {
                let group = UInt32(data[index]) << 16 | (left == 2 ? UInt32(data[index + 1]) << 8 : 0)
                output[written] = symbols[Int(group >> 18)]
                output[written + 1] = symbols[Int(group >> 12 & 0x3F)]
                output[written + 2] = left == 2 ? symbols[Int(group >> 6 & 0x3F)] : UInt8(ascii: "=")
                output[written + 3] = UInt8(ascii: "=")
            }
        }
    }

    /// The bytes `text` encodes; `nil` when it is not canonical Base64.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// The bytes `text` encodes; `nil` when it is not canonical Base64: a length that is not a
    /// multiple of four, a symbol outside the alphabet, padding anywhere but at the end, or
    /// bits that padding leaves unused not zero.
    public static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        guard text.count > 0, let symbols = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        let padding = symbols[text.count - 1] == UInt8(ascii: "=") ? (symbols[text.count - 2] == UInt8(ascii: "=") ? 2 : 1) : 0
        let byteCount = text.count / 4 * 3 - padding
        return sextets.withUnsafeBufferPointer { table -> [UInt8]? in
            var valid = true
            let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { bytes, initialized in
                // Whole groups: four symbols to three bytes. A symbol outside the alphabet is
                // 0xFF in the table, so its top two bits show in `bad`, checked once after.
                let wholeGroups = text.count / 4 - (padding > 0 ? 1 : 0)
                var bad: UInt32 = 0
                for group in 0..<wholeGroups {
                    let at = group * 4
                    let bits = UInt32(table[Int(symbols[at])]) << 18 | UInt32(table[Int(symbols[at + 1])]) << 12
                        | UInt32(table[Int(symbols[at + 2])]) << 6 | UInt32(table[Int(symbols[at + 3])])
                    bad |= UInt32(table[Int(symbols[at])] | table[Int(symbols[at + 1])] | table[Int(symbols[at + 2])] | table[Int(symbols[at + 3])]) & 0xC0
                    bytes[group * 3] = UInt8(truncatingIfNeeded: bits >> 16)
                    bytes[group * 3 + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    bytes[group * 3 + 2] = UInt8(truncatingIfNeeded: bits)
                }
                guard bad == 0 else {
                    valid = false
                    return
                }
                if padding > 0 {
                    // The last group: two or three symbols, then padding; the bits the padding
                    // leaves unused must be zero, so that the text is canonical.
                    let at = text.count - 4
                    let kept = 4 - padding
                    var bits: UInt32 = 0
                    for offset in 0..<4 {
                        let sextet = offset < kept ? table[Int(symbols[at + offset])] : 0
                        guard sextet != invalid else {
                            valid = false
                            return
                        }
                        bits = bits << 6 | UInt32(sextet)
                    }
                    guard bits & (padding == 2 ? 0xFFFF : 0xFF) == 0 else {
                        valid = false
                        return
                    }
                    bytes[wholeGroups * 3] = UInt8(truncatingIfNeeded: bits >> 16)
                    if padding == 1 { bytes[wholeGroups * 3 + 1] = UInt8(truncatingIfNeeded: bits >> 8) }
                }
                initialized = byteCount
            }
            return valid ? bytes : nil
        }
    }

    private static let invalid: UInt8 = 0xFF

    /// Each byte's six bits, or ``invalid`` for a byte outside the alphabet (`=` included: the
    /// padding decode counts is never read as a symbol).
    private static let sextets: [UInt8] = (0...255).map { byte -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt8(byte) - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt8(byte) - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: invalid
        }
    }
}
