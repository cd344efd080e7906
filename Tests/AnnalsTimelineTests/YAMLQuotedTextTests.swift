@testable import AnnalsDomain
@testable import AnnalsTimeline
import Testing

/// What the fact-file reader's look-over before parsing takes for quoted text: a `''` inside a
/// single-quoted scalar, or an escaped backslash before the closing `"` of a double-quoted one,
/// does not end it, so `&`, `*`, `{` or `,` later in the text are text, not YAML.
@Suite struct YAMLQuotedTextTests {
    private func quote(ofFactFileQuoting scalar: String, text: String) throws -> String? {
        let yaml = """
            article: { id: a, title: A, publisher: P, published: 2021-06-17 }
            facts:
              - id: f1
                kind: attack
                when: 2021-05-06
                summary: S
                quote: \(scalar)

            """
        let records = try YAMLFactFile.records(yaml: yaml, path: "a.yaml", displayPath: "a.yaml") { (_, _) throws(InputError) in text }
        return records.compactMap { record in if case .fact(let fact, _) = record { fact.quote } else { nil } }.first
    }

    @Test(arguments: [
        ("'Russia''s hackers, & others { * attacked'", "Russia's hackers, & others { * attacked"),
        ("'O''Neil said '' & *, then'", "O'Neil said ' & *, then"),
        ("\"a backslash \\\\\" ", "a backslash \\"),
        ("\"\\\\\\\" & * { still text\"", "\\\" & * { still text"),
    ])
    func markupAfterAnEscapedQuoteIsText(scalar: String, quote: String) throws {
        #expect(try self.quote(ofFactFileQuoting: scalar, text: "Before. \(quote) After.") == quote)
    }

    @Test func anAnchorAfterAClosedQuoteIsStillRefused() {
        #expect(throws: InputError.self) {
            try quote(ofFactFileQuoting: "'closed' \n    extra: &anchor x", text: "closed")
        }
    }
}
