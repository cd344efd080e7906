@testable import AnnalsDomain
import AnnalsTestSupport
import CTextScan
import Testing

/// Every output is written through a ``ByteWriter``: pieces of text copied word by word when
/// short, counts, dates and amounts made in place two digits at a time
/// (``ByteWriter/integer(_:)``, ``ByteWriter/paddedInteger(_:width:)``).
@Suite struct ByteWriterTests {
    /// Pieces of every length from 0 to 40 bytes, one after another, come out whole and in
    /// order, the buffer growing from its smallest size on the way.
    @Test func piecesOfEveryLengthArriveWhole() {
        var random = SeededGenerator(seed: 3)
        var text = ByteWriter(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<400 {
            let piece = (0..<(round % 41)).map { _ in UInt8.random(in: 0...255, using: &random) }
            piece.withUnsafeBytes { text.append($0) }
            expected += piece
        }
        #expect(text.bytes == expected)
    }

    @Test(arguments: [
        (UInt64(0), "0"), (7, "7"), (9, "9"), (10, "10"), (99, "99"), (100, "100"), (101, "101"), (4_096, "4096"),
        (999_999, "999999"), (1_000_000, "1000000"), (9_999_999_999_999_999_999, "9999999999999999999"),
        (10_000_000_000_000_000_000, "10000000000000000000"), (UInt64.max, "18446744073709551615"),
    ])
    func integer(value: UInt64, expected: String) {
        var text = ByteWriter(capacity: 16)
        text.append("=")
        text.integer(value)
        #expect(text.withBytes { String(decoding: $0, as: UTF8.self) } == "=" + expected)
    }

    @Test(arguments: [
        (0, 2, "00"), (7, 2, "07"), (59, 2, "59"), (99, 2, "99"), (100, 2, "100"), (-1, 2, "-01"), (9_999, 4, "9999"), (10_000, 4, "10000"), (2021, 4, "2021"), (5, 4, "0005"), (999, 4, "0999"),
        (12_345, 4, "12345"), (-44, 4, "-0044"), (-12_345, 4, "-12345"), (0, 1, "0"), (42, 0, "42"), (123_456_789, 18, "000000000123456789"),
    ])
    func paddedInteger(value: Int, width: Int, expected: String) {
        var text = ByteWriter(capacity: 16)
        text.paddedInteger(value, width: width)
        #expect(text.withBytes { String(decoding: $0, as: UTF8.self) } == expected)
    }

    /// Against Swift's own decimal text, over random values of every length, appended after
    /// text already in a buffer that has to grow.
    @Test func matchesTheStandardLibrary() {
        var random = SeededGenerator(seed: 5)
        var text = ByteWriter(capacity: 16)
        var expected = ""
        for _ in 0..<5_000 {
            let value = random.next() >> UInt64.random(in: 0...63, using: &random)
            let width = Int.random(in: 0...20, using: &random)
            text.integer(value)
            text.append(" ")
            let signed = Int(truncatingIfNeeded: value >> 1) * (Bool.random(using: &random) ? -1 : 1)
            text.paddedInteger(signed, width: width)
            text.append(" ")
            let digits = String(signed.magnitude)
            expected += String(value) + " " + (signed < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits + " "
        }
        #expect(text.withBytes { String(decoding: $0, as: UTF8.self) } == expected)
    }
}

/// JSON strings are copied whole where no byte needs escaping, sixteen bytes checked at a time:
/// the scan stops at exactly the first byte that needs a look, in every position.
@Suite struct JSONEscapeCheckTests {
    @Test func thePlainPrefixEndsAtExactlyTheFirstByteThatNeedsALook() {
        for value in 0...255 {
            let byte = UInt8(value)
            let needs = byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            // Every lane of two vector steps and of the byte-by-byte tail after them.
            for lane in 0..<40 {
                var text = [UInt8](repeating: UInt8(ascii: "a"), count: 40)
                text[lane] = byte
                let prefix = text.withUnsafeBufferPointer { annals_json_plain_prefix($0.baseAddress, $0.count) }
                #expect(prefix == (needs ? lane : 40), "byte \(byte) at \(lane)")
            }
        }
        #expect(annals_json_plain_prefix(nil, 0) == 0)
    }

    @Test func thePrintableCheckFindsAnyByteATerminalWouldNotShowAsItIs() {
        for value in 0...255 {
            let byte = UInt8(value)
            let printable = byte >= 0x20 && byte < 0x7F
            // Texts shorter than a vector step, one step and a tail, and two steps.
            for length in [1, 5, 15, 16, 17, 33] {
                for lane in 0..<length {
                    var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    text[lane] = byte
                    let result = text.withUnsafeBufferPointer { annals_is_printable_ascii($0.baseAddress, $0.count) }
                    #expect((result != 0) == printable, "byte \(byte) at \(lane) of \(length)")
                }
            }
        }
        #expect(annals_is_printable_ascii(nil, 0) != 0)
    }

    @Test func hexadecimalIsTwoLowercaseDigitsAByte() {
        var json = JSONWriter(capacity: 4)
        let bytes: [UInt8] = [0x00, 0x0F, 0x10, 0xA5, 0xFF, 0x7E]
        bytes.withUnsafeBytes { json.hexadecimalString($0) }
        #expect(String(decoding: json.bytes, as: UTF8.self) == "\"000f10a5ff7e\"")
    }
}
