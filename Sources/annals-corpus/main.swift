// Writes a generated news corpus in Annals' JSON Lines input format (see docs/INPUT.md).
// tools/generate-corpus builds and runs this in release mode.
import AnnalsCorpus
import AnnalsPlatform
import ArgumentParser

struct GenerateCorpus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annals-corpus",
        abstract: "Generate a deterministic news corpus in Annals' JSON Lines format.",
        discussion: "The same --facts and --seed always give the same bytes. Memory use does not grow with --facts.")

    @Option(help: ArgumentHelp("Fact records to write; 10k, 1M and 10M are accepted as 10000, 1000000, 10000000.", valueName: "n"))
    var facts: String = "10000"
    @Option(help: "Seed of the random choices.") var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "file")) var output: String?

    func run() throws {
        guard let count = parseCount(facts), count > 0 else {
            throw ValidationError("--facts \(facts) is not a positive count (like 10000, 10k, 1M)")
        }
        var file: BufferedOutput
        if let output {
            do throws(Errno) {
                file = BufferedOutput(try FileDescriptor.create(output, mode: 0o666))
            } catch {
                throw ValidationError("cannot write \(output): \(error)")
            }
        } else {
            file = BufferedOutput(standardStream: StandardStream.output)
        }
        var generator = CorpusGenerator(.init(facts: count, seed: seed))
        let summary = generator.generate { line in file.write(line) }
        do throws(Errno) { try file.flush() } catch { throw ValidationError("writing the corpus failed: \(error)") }
        let line = "annals-corpus: \(summary.articles) articles, \(summary.facts) facts (\(summary.secondSources) second sources), "
            + "\(summary.corrections) corrections, \(summary.retractions) retractions, \(summary.aliasRecords) actors, \(summary.bytes) bytes\n"
        writeToStream(StandardStream.error, line)
    }
}

/// `10000`, `10k`, `1M` → the count.
func parseCount(_ text: String) -> Int? {
    let lower = text.lowercased()
    if lower.hasSuffix("k") { return Int(lower.dropLast()).map { $0 * 1_000 } }
    if lower.hasSuffix("m") { return Int(lower.dropLast()).map { $0 * 1_000_000 } }
    return Int(lower)
}

GenerateCorpus.main()
