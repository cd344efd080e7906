@testable import AnnalsTimelineProjections
import Testing

/// Index keys read back from a store that may be damaged.
@Suite struct TimelineIndexKeyTests {
    /// A key of a year, month or day whose start lies outside the years a date may have is
    /// damage: it reads as no key, where working out the end of its unit would overflow.
    @Test(arguments: [UInt8(0x10), 0x11, 0x12], [Int64.max, Int64.min, Int64.max - 86_400, 253_370_764_800, -62_135_596_801])
    func aKeyOfAnExactUnitOutsideTheYearsOfDatesIsNoKey(classCode: UInt8, start: Int64) {
        var bytes: [UInt8] = [classCode]
        TimelineIndexKey.appendSigned(start, to: &bytes)
        TimelineIndexKey.appendUnsigned(7, to: &bytes)
        bytes.append(0)
        #expect(bytes.withUnsafeBytes { TimelineIndexKey($0, hasRoles: false) } == nil)
    }

    /// The first and last instants a date may start at read back as keys.
    @Test(arguments: [Int64(-62_135_596_800), 253_370_678_400])
    func aKeyAtTheEdgesOfTheYearsOfDatesReadsBack(start: Int64) throws {
        var bytes: [UInt8] = [0x12]
        TimelineIndexKey.appendSigned(start, to: &bytes)
        TimelineIndexKey.appendUnsigned(7, to: &bytes)
        bytes.append(0)
        let key = try #require(bytes.withUnsafeBytes { TimelineIndexKey($0, hasRoles: false) })
        #expect(key.start == start)
        #expect(key.end == start + 86_400)
        #expect(key.firstPosition == 7)
    }
}
