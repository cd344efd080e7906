@testable import AnnalsDomain
import AnnalsTestSupport
@testable import AnnalsTimeline
import Testing

/// The quote search against a plain oracle, on texts where the fast scan finds its answer and on
/// texts of few distinct bytes, where it hands over to Knuth–Morris–Pratt part-way.
@Suite struct TextSearchTests {
    /// Where a plain search first finds `needle` (not empty).
    private func oracle(_ needle: [UInt8], _ haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private func offset(_ needle: [UInt8], _ haystack: [UInt8]) -> Int? {
        needle.withUnsafeBytes { needle in haystack.withUnsafeBytes { haystack in firstOffset(of: needle, in: haystack) } }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func findsExactlyWhatAPlainSearchFinds(_ seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            // Long runs of one byte, broken now and then by another, make long partial matches,
            // and so the hand-over, common.
            let rare = Int.random(in: 2...100, using: &random)
            let alphabet = [UInt8(ascii: "a"), UInt8(ascii: "b")]
            let pick = { (random: inout SeededGenerator) -> UInt8 in Int.random(in: 0..<rare, using: &random) == 0 ? alphabet[1] : alphabet[0] }
            let haystack = (0..<Int.random(in: 0...2_000, using: &random)).map { _ in pick(&random) }
            let needle: [UInt8]
            if Bool.random(using: &random), haystack.count > 2 {
                let start = Int.random(in: 0..<haystack.count, using: &random)
                needle = Array(haystack[start..<min(haystack.count, start + Int.random(in: 1...60, using: &random))])
            } else {
                needle = (0..<Int.random(in: 1...60, using: &random)).map { _ in pick(&random) }
            }
            let expected = oracle(needle, haystack)
            #expect(offset(needle, haystack) == expected, "seed \(seed): \(needle) in \(haystack)")
        }
    }

    @Test func aQuoteOfOneRepeatedByteIsFoundAtTheEndOfALongRunOfIt() {
        let haystack = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000) + [UInt8(ascii: "b")]
        let needle = [UInt8](repeating: UInt8(ascii: "a"), count: 999) + [UInt8(ascii: "b")]
        #expect(offset(needle, haystack) == haystack.count - needle.count)
        #expect(offset(needle + [UInt8(ascii: "a")], haystack) == nil)
        #expect(offset([UInt8(ascii: "b")] + needle, haystack) == nil)
    }
}
