import AnnalsLog
import Testing

/// A type name matches the stored bytes of its own name only: not a longer or shorter name it
/// begins or ends, nor a name of the same length that differs in one byte.
@Suite struct EventTypeNameTests {
    @Test func aTypeNameMatchesItsOwnBytesOnly() {
        let name: EventTypeName = "fact.asserted"
        func matches(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { name.matches($0) } }
        #expect(matches("fact.asserted"))
        #expect(!matches("fact.asserte"))
        #expect(!matches("fact.asserted2"))
        #expect(!matches("fact.assertef"))
        #expect(!matches("Fact.asserted"))
        #expect(!matches(""))
        let empty: EventTypeName = ""
        #expect(Array<UInt8>().withUnsafeBytes { empty.matches($0) })
        #expect(!Array("a".utf8).withUnsafeBytes { empty.matches($0) })
    }
}
