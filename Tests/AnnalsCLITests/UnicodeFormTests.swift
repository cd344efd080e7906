import AnnalsTestSupport
import Foundation
import Testing

/// Names and quotes match whatever Unicode form they are written in: composed or decomposed
/// accents, any case.
@Suite struct UnicodeFormTests {
    let directory = TemporaryDirectory()

    /// A fact file naming José Andrés in NFC, with the text in `articleForm` and the quote in `quoteForm`.
    private func ingest(textDecomposed: Bool, quoteDecomposed: Bool) -> CLIResult {
        let composed = "Chef José Andrés fed the crowd at the Straße café."
        let decomposed = "Chef Jose\u{301} Andre\u{301}s fed the crowd at the Straße cafe\u{301}."
        let yaml = """
            article:
              id: kitchen
              title: A kitchen
              publisher: Wire
              published: 2021-06-16
            actors:
              - id: jose-andres
                name: José Andrés
                kind: person
                aliases: [Straße Chef]
            facts:
              - id: fed
                kind: other
                when: 2021-06-16
                summary: The chef feeds the crowd
                actors: [{ actor: jose-andres, role: subject }]
                quote: \(quoteDecomposed ? decomposed : composed)

            """
        let folder = directory.appending("input")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? yaml.write(toFile: folder + "/kitchen.yaml", atomically: true, encoding: .utf8)
        try? Data((textDecomposed ? decomposed : composed).utf8).write(to: URL(fileURLWithPath: folder + "/kitchen.txt"))
        return CLI(store: directory.appending("store")).run("ingest", folder + "/kitchen.yaml")
    }

    @Test(arguments: [(false, true), (true, false), (true, true), (false, false)])
    func aQuoteMatchesInAnyNormalizationForm(textDecomposed: Bool, quoteDecomposed: Bool) {
        let result = ingest(textDecomposed: textDecomposed, quoteDecomposed: quoteDecomposed)
        #expect(result.status == 0, "\(result.error)")
    }

    @Test(arguments: ["José Andrés", "Jose\u{301} Andre\u{301}s", "JOSÉ ANDRÉS", "JOSE\u{301} ANDRE\u{301}S", "  josé   andrés ",
                      "STRASSE CHEF", "strasse chef", "Straße Chef", "jose-andres"])
    func anActorIsFoundUnderAnyFormOfItsNames(_ name: String) {
        #expect(ingest(textDecomposed: false, quoteDecomposed: false).status == 0)
        let result = CLI(store: directory.appending("store")).run("actor", name, "--format", "jsonl")
        #expect(result.status == 0, "\(String(reflecting: name)): \(result.error)")
        #expect(result.output.contains(#""fact":"fed""#), "\(String(reflecting: name))")
    }

    @Test func aNameInAnotherFormIsTheSameNameNotANewAlias() {
        #expect(ingest(textDecomposed: false, quoteDecomposed: false).status == 0)
        let again = """
            article:
              id: kitchen-2
              title: Another kitchen
              publisher: Wire
              published: 2021-06-17
            actors:
              - id: jose-andres
                aliases: [JOSE\u{301} ANDRE\u{301}S, STRASSE CHEF]

            """
        let folder = directory.appending("again")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? again.write(toFile: folder + "/kitchen-2.yaml", atomically: true, encoding: .utf8)
        try? "Another article.".write(toFile: folder + "/kitchen-2.txt", atomically: true, encoding: .utf8)
        let result = CLI(store: directory.appending("store")).run("ingest", folder + "/kitchen-2.yaml")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("1 article.recorded"), "\(result.output)")
        #expect(!result.output.contains("actor.aliased"), "\(result.output)")
    }
}
