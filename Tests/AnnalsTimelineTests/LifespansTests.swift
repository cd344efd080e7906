@testable import AnnalsTimelineProjections
import Testing

/// The lifespans at the start of each timeline index entry, written straight into a page and
/// read back in place.
@Suite struct LifespansTests {
    private func written(_ lifespans: Lifespans, opening: UInt64?) -> [UInt8] {
        let count = lifespans.encodedCount(opening: opening)
        var bytes = [UInt8](repeating: 0xEE, count: count + 2)
        var offset = 1
        bytes.withUnsafeMutableBytes { lifespans.write(into: $0, at: &offset, opening: opening) }
        #expect(offset == count + 1)
        return bytes
    }

    @Test func aNewSpanFollowsTheClosedOnesAndIsTheOnlyOpenOne() throws {
        let earlier = Lifespans(spans: [.init(from: 3, until: 7), .init(from: 9, until: 200)])
        let bytes = written(earlier, opening: 300)
        // Guard bytes either side stay; count 3, then (3, 7), (9, 200), (300, open as 0).
        #expect(bytes == [0xEE, 3, 3, 7, 9, 0xC8, 0x01, 0xAC, 0x02, 0, 0xEE])
        let decoded = try bytes.withUnsafeBytes { try Lifespans.decode(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(decoded.lifespans == Lifespans(spans: [.init(from: 3, until: 7), .init(from: 9, until: 200), .init(from: 300, until: nil)]))
        #expect(decoded.rest.count == 1)
        let at = try bytes.withUnsafeBytes { bytes in
            try [8, 9, 199, 200, 299, 300, 5_000].map { try Lifespans.contain($0, in: UnsafeRawBufferPointer(rebasing: bytes[1...])).contains }
        }
        #expect(at == [false, true, true, false, false, true, true])
    }

    @Test func spansWithoutAnOpeningAreWrittenAsTheyAre() throws {
        let closed = Lifespans(spans: [.init(from: 1, until: 2)])
        #expect(written(closed, opening: nil) == [0xEE, 1, 1, 2, 0xEE])
        #expect(written(Lifespans(spans: []), opening: 1) == [0xEE, 1, 1, 0, 0xEE])
    }
}
