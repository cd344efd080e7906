import AnnalsDomain
import AnnalsTimeline
import ArgumentParser

/// `annals bench draft ARTICLE…`: how long drafting a fact file takes for an article of a given
/// length, beside one pass over the same text counting its words.
struct BenchDraft: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Draft a fact file from an article of about --words words, against counting its words.",
        discussion: """
            The articles' texts are joined, in the order given, and repeated until the text holds at \
            least --words words; that text is drafted --runs times. The baseline, timed in the same \
            run, is one pass over the same text counting its words, as `wc -w` does.
            """)

    @Argument(help: ArgumentHelp("Article texts to build the benchmark's article from.", valueName: "article"))
    var articles: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Words in the drafted article (default 2000).", valueName: "n"), transform: ArgumentValue.positive("--words"))
    var words: Int = 2_000
    @Option(parsing: .unconditional, help: ArgumentHelp("How many times to draft it (default 50).", valueName: "n"), transform: ArgumentValue.positive("--runs"))
    var runs: Int = 50
    @Option(help: ArgumentHelp("The publication date to draft with, as `annals draft --published`.", valueName: "date"))
    var published: String?
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if articles.isEmpty { throw ValidationError("give at least one article text to build the benchmark's article from") }
        if words > 1_000_000 { throw ValidationError("--words needs a count up to 1000000, got \(words)") }
    }

    func run() throws {
        try formatOptions.require([.table, .json])
        let texts = try articles.map { path throws(InputError) in try Drafter.readArticle(at: path) }
        guard texts.contains(where: { Self.wordCount(of: $0) > 0 }) else {
            throw UsageFailure("the articles given hold no words to draft")
        }
        var article = ""
        var articleWords = 0
        while articleWords < words {
            for text in texts where articleWords < words {
                if !article.isEmpty { article += "\n\n" }
                article += text
                articleWords += Self.wordCount(of: text)
            }
        }
        let options = DraftOptions(textName: "bench-article.txt", published: published)
        var draftSeconds: [Double] = []
        var countSeconds: [Double] = []
        var draftBytes = 0
        let display = ProgressDisplay(label: "drafting", unit: "drafts", minimumTotal: 20)
        for run in 0..<runs {
            let (drafted, seconds) = timed { Result { () throws(DraftError) in try Drafter.draft(text: article, options: options) } }
            switch drafted {
            case .success(let draft): draftBytes = draft.utf8.count
            case .failure(let error) where error.isUsage: throw UsageFailure(error.description)
            case .failure(let error): throw InputError(file: articles.joined(separator: " + "), line: nil, field: nil, message: error.description)
            }
            draftSeconds.append(seconds)
            let (counted, countTime) = timed { Self.wordCount(of: article) }
            blackHole(counted)
            countSeconds.append(countTime)
            display.update(done: run + 1, total: runs)
        }
        display.finish()
        let drafting = Percentiles(draftSeconds)
        let counting = Percentiles(countSeconds)
        let wordsPerSecond = Double(articleWords) / max(drafting.p50, 1e-12)
        func millis(_ seconds: Double) -> String { format3(seconds * 1e3) }
        let console = Console.current
        if formatOptions.format == .json {
            func object(_ p: Percentiles) -> JSONValue {
                .object([("p50_ms", .number(millis(p.p50))), ("p99_ms", .number(millis(p.p99))), ("max_ms", .number(millis(p.max)))])
            }
            console.line(JSONValue.object([
                ("workload", "draft"), ("words", .integer(articleWords)), ("bytes", .integer(article.utf8.count)),
                ("runs", .integer(runs)), ("draft_bytes", .integer(draftBytes)), ("draft", object(drafting)),
                ("words_per_second", .number(format3(wordsPerSecond))), ("count_words", object(counting)),
                ("ratio_to_count_p50", .number(format3(counting.p50 / max(drafting.p50, 1e-12)))),
            ]).serialized())
            return
        }
        console.line("draft: an article of \(grouped(articleWords)) words (\(grouped(article.utf8.count)) bytes) drafted \(grouped(runs)) times; the draft is \(grouped(draftBytes)) bytes\n")
        var table = [["", "P50 ms", "P99 ms", "MAX ms"]]
        table.append(["draft the article", millis(drafting.p50), millis(drafting.p99), millis(drafting.max)])
        table.append(["count its words (one pass over the text)", millis(counting.p50), millis(counting.p99), millis(counting.max)])
        console.write(renderTable(table, rightAligned: [1, 2, 3]))
        console.line("\n\(grouped(Int(wordsPerSecond))) words per second at the median")
    }

    /// Words as `wc -w` counts them: runs of bytes that are not ASCII blanks.
    private static func wordCount(of text: String) -> Int {
        var count = 0
        var inWord = false
        for byte in text.utf8 {
            let blank = byte == 0x20 || (0x09...0x0D).contains(byte)
            if !blank && !inWord { count += 1 }
            inWord = !blank
        }
        return count
    }
}
