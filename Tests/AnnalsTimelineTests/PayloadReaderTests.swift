@testable import AnnalsDomain
import AnnalsTestSupport
import Testing

/// ``PayloadReader/skipVarints(_:)`` steps over varints a word at a time where eight bytes are
/// left and a byte at a time at the end; both must land where reading each varint does.
@Suite struct PayloadReaderTests {
    /// Varints of every length from one to ten bytes, skipped in runs of every count from any
    /// start: the reader ends where reading them one by one ends, however the run falls across
    /// words and the payload's end.
    @Test func skippingVarintsEndsWhereReadingThemEnds() throws {
        var random = SeededGenerator(seed: 11)
        var writer = PayloadWriter()
        var values: [UInt64] = []
        for _ in 0..<300 {
            // A value of a random bit length, so every encoded length turns up.
            let bits = Int.random(in: 0...64, using: &random)
            let value = bits == 0 ? 0 : UInt64.random(in: 0...UInt64.max, using: &random) >> (64 - bits)
            writer.varint(value)
            values.append(value)
        }
        let bytes = writer.bytes
        try bytes.withUnsafeBytes { payload in
            var starts: [Int] = []
            var reader = PayloadReader(payload)
            for value in values {
                starts.append(reader.offset)
                #expect(try reader.varint() == value)
            }
            starts.append(reader.offset)
            for first in 0..<values.count {
                for count in [0, 1, 2, 3, 8, 9, 17, values.count - first] where first + count <= values.count {
                    var skipping = PayloadReader(payload)
                    skipping.offset = starts[first]
                    try skipping.skipVarints(count)
                    #expect(skipping.offset == starts[first + count], "skipping \(count) from varint \(first)")
                }
            }
        }
    }

    /// A run that needs more varints than the payload holds stops as truncated, from a start
    /// with more than eight bytes left as well as fewer.
    @Test func skippingPastTheEndIsTruncated() {
        let bytes: [UInt8] = [0x81, 0x01, 0x05, 0xFF, 0xFF, 0x01, 0x00, 0x7F, 0x80, 0x80, 0x01, 0x02, 0x80]
        bytes.withUnsafeBytes { payload in
            for start in [0, 6, 11] {
                var reader = PayloadReader(payload)
                reader.offset = start
                #expect(throws: PayloadError.truncated) { try reader.skipVarints(9) }
            }
            var reader = PayloadReader(payload)
            #expect((try? reader.skipVarints(7)) != nil)
            #expect(reader.offset == 12)
        }
    }
}
