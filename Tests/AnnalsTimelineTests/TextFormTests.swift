@testable import AnnalsDomain
@testable import AnnalsTimeline
import Testing

/// Name keys and text checks take shortcuts for ASCII and for text below the combining marks;
/// each shortcut must give what the general path gives.
@Suite struct TextFormTests {
    @Test(arguments: [
        ("  Joe \t BIDEN\n", "joe biden"),
        ("Joe\u{A0}Biden", "joe biden"),
        ("JOSÉ Andrés", "josé andrés"),
        ("Jose\u{301} Andre\u{301}s", "josé andrés"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        ("Οδυσσευς", "οδυσσευσ"),
        ("ﬁle", "file"),
        ("joe biden", "joe biden"),
        (" joe biden", "joe biden"),
        ("joe biden ", "joe biden"),
        ("joe  biden", "joe biden"),
        ("joe\tbiden", "joe biden"),
        ("joe Biden", "joe biden"),
    ])
    func aNameKeyFoldsSpacingCaseAndForm(name: String, key: String) {
        #expect(Array(ActorName.key(name).utf8) == Array(key.utf8))
    }

    @Test func theKeyOfEveryFormOfANameIsTheSameComposedBytes() {
        let composed = ActorName.key("José")
        #expect(Array(composed.utf8) == [0x6A, 0x6F, 0x73, 0xC3, 0xA9])
        #expect(ActorName.key("Jose\u{301}").utf8.elementsEqual(composed.utf8))
        #expect(ActorName.key("JOSE\u{301}").utf8.elementsEqual(composed.utf8))
    }

    @Test func quotesMatchTextOfAnotherForm() {
        let text = FoldedText("Chef Jose\u{301} Andre\u{301}s fed\n the crowd.")
        #expect(text.contains("José Andrés fed the"))
        #expect(text.contains("Jose\u{301} Andrés"))
        #expect(!text.contains("Jose Andres"))
        #expect(FoldedText("plain  ascii text").contains("ascii text"))
        #expect(FoldedText("plain ascii text").contains(" ascii\ntext "))
        #expect(FoldedText("plain ascii text").range(of: "ascii text") == 6..<16)
        #expect(!FoldedText("plain ascii text").contains("ascii  texts"))
    }

    /// Text already folded is used as it is: the check that says so must agree with folding on
    /// every arrangement of letters and whitespace.
    @Test func textIsFoldedExactlyWhenFoldingLeavesItAsItIs() {
        let pieces = ["a", "é", " ", "\t", "\u{A0}", "\u{3000}"]
        var texts = [""]
        for _ in 0..<4 { texts += texts.flatMap { text in pieces.map { text + $0 } } }
        for text in Set(texts) {
            var copy = text
            copy.withUTF8 { bytes in
                #expect(isWhitespaceFolded(bytes) == (foldWhitespaceBytes(bytes) == Array(bytes)), "\(Array(text.unicodeScalars))")
            }
            #expect(foldWhitespace(text) == String(decoding: copy.withUTF8 { foldWhitespaceBytes($0) }, as: UTF8.self))
        }
    }

    @Test(arguments: [
        ("plain text", false, nil),
        ("Âé\u{A0}ü tab\there", true, nil),
        ("two\nlines", false, nil),
        ("two\r\nlines", true, "contains a line break; expected a single line"),
        ("bell\u{7}", false, "contains the control character U+0007; expected plain text"),
        ("delete\u{7F}", false, "contains the control character U+007F; expected plain text"),
        ("next line\u{85}", false, "contains the control character U+0085; expected plain text"),
        ("\u{9F}first", false, "contains the control character U+009F; expected plain text"),
        ("nul\u{0}", false, "contains the control character U+0000; expected plain text"),
    ] as [(String, Bool, String?)])
    func textProblemsAreNamed(text: String, singleLine: Bool, problem: String?) {
        #expect(textProblem(text, singleLine: singleLine, maximumLength: 100) == problem)
    }

    @Test(arguments: [
        ("", ""),
        ("   ", ""),
        ("plain", "plain"),
        (" \t two\n\r\n  words \u{A0}", "two words"),
        ("a\u{2003}\u{3000}b\u{85}c\u{1680}\u{202F}d", "a b c d"),
        ("é  \u{2028}\u{2029} ü", "é ü"),
        ("two words", "two words"),
        (" two words", "two words"),
        ("two words ", "two words"),
    ])
    func whitespaceRunsFoldToOneSpace(text: String, folded: String) {
        #expect(foldWhitespace(text) == folded)
    }

    /// Printable text is skipped sixteen bytes at a time: a control character is found at any
    /// place in a text of any length, and what is allowed stays allowed.
    @Test func controlCharactersAreFoundAnywhere() {
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(textProblem(plain, singleLine: true, maximumLength: 100) == nil)
            for position in 0...length {
                let before = String(plain.prefix(position)), after = String(plain.dropFirst(position))
                #expect(textProblem(before + "\u{1B}" + after, singleLine: false, maximumLength: 100)
                        == "contains the control character U+001B; expected plain text")
                #expect(textProblem(before + "\u{85}" + after, singleLine: false, maximumLength: 100)
                        == "contains the control character U+0085; expected plain text")
                #expect(textProblem(before + "\n" + after, singleLine: true, maximumLength: 100) == "contains a line break; expected a single line")
                #expect(textProblem(before + "\té\u{A0}" + after, singleLine: true, maximumLength: 100) == nil)
            }
        }
    }
}
