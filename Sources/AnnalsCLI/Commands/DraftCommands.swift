import AnnalsDomain
import AnnalsPlatform
import AnnalsTimeline
import AnnalsTimelineProjections
import ArgumentParser

/// `annals draft ARTICLE.txt`: a fact file drafted from an article's text, for a person to review.
struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Draft a YAML fact file from an article's text, for review before ingesting.",
        discussion: """
            Prints a fact file (docs/INPUT.md) with one fact per sentence that reports an event: its \
            kind from trigger words, its date resolved against the publication date at the precision \
            the text gives (a fact the text does not date is bounded by the publication date and \
            marked REVIEW), its quantities, and the actors it names — matched to the store's actors \
            under any of their names when the store exists. Metadata comes from the options, else \
            from `Source:` and `Published:` lines at the top of the text or a dateline. Save it \
            beside the article with the same name and .yaml, review it, then ingest it. Offline \
            and deterministic: the same text gives the same file.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The article's text, UTF-8.", valueName: "article"))
    var article: String
    @Option(help: ArgumentHelp("When the article was published, a date such as 2021-06-16.", valueName: "date"))
    var published: String?
    @Option(help: ArgumentHelp("Who published it.", valueName: "name"))
    var publisher: String?
    @Option(help: ArgumentHelp("The article's id (letters, digits, . _ -).", valueName: "id"))
    var id: String?
    @Option(help: ArgumentHelp("Its title.", valueName: "title"))
    var title: String?

    func validate() throws {
        if article.isEmpty { throw ValidationError("annals draft needs the path of an article text, got \"\"") }
        if let id, !Identifier.isValid(id) {
            throw ValidationError("--id: \(id) is not an id; expected \(Identifier.expectation)")
        }
        for (name, value, limit) in [("--publisher", publisher, 200), ("--title", title, 300)] {
            guard let value else { continue }
            if value.isEmpty || value.count > limit || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw ValidationError("\(name): expected one line of 1–\(limit) characters")
            }
        }
    }

    func run() throws {
        var known: [ActorRecord] = []
        if FileSystem.exists(storeOptions.path + "/data.mdb") {
            known = try StoreAccess.openForQuery(storeOptions).actors()
        }
        let textName = article.split(separator: "/").last.map(String.init) ?? article
        let options = DraftOptions(textName: textName, published: published, publisher: publisher, id: id, title: title)
        let display = ProgressDisplay(label: "drafting", unit: "sentences", minimumTotal: 2_000)
        do {
            let draft = try Drafter.draft(articleAt: article, options: options, knownActors: known) { display.update(done: $0, total: $1) }
            display.finish()
            Console.current.write(draft)
        } catch let error as DraftError where error.isUsage {
            display.finish()
            throw UsageFailure(error.description)
        } catch {
            display.finish()
            throw error
        }
    }
}

/// `annals score-draft GOLD DRAFT…`: how a draft compares with a hand-made fact file.
struct ScoreDraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score-draft",
        abstract: "Score drafted fact files against hand-made ones for the same articles.",
        discussion: """
            Takes pairs of files, GOLD then DRAFT. A draft fact matches a gold fact when their quotes \
            overlap in the article (each fact matched at most once); a match is correct when `when` \
            is equal, value, precision and qualifiers. Prints precision (correct / draft facts) and \
            recall (correct / gold facts) on dates, then on dates and kinds together, and how many \
            matches have equal quantities; with several pairs, each pair and then their sum.
            """)

    @Argument(help: ArgumentHelp("A gold fact file, then a draft of the same article; any number of pairs.", valueName: "gold draft"))
    var files: [String] = []
    @Flag(help: "Also list each gold fact's match and each unmatched draft fact.")
    var details = false

    func validate() throws {
        if files.isEmpty || files.count % 2 != 0 {
            throw ValidationError("annals score-draft takes pairs of files, GOLD then DRAFT; got \(files.count) file\(files.count == 1 ? "" : "s")")
        }
    }

    func run() throws {
        let console = Console.current
        var total = DraftScore()
        let pairs = stride(from: 0, to: files.count, by: 2).map { (files[$0], files[$0 + 1]) }
        for (gold, draft) in pairs {
            let score = try DraftScore.score(gold: gold, draft: draft)
            total = total + score
            if pairs.count > 1 { console.line("\(TerminalText.visible(gold)):"); report(score, indent: "  ") }
        }
        if pairs.count > 1 { console.line("all \(pairs.count) articles:") }
        report(total, indent: pairs.count > 1 ? "  " : "")
        if details { for line in total.details { console.line(TerminalText.visible(line)) } }
    }

    private func report(_ score: DraftScore, indent: String) {
        let console = Console.current
        func ratio(_ part: Int, _ whole: Int) -> String {
            guard whole > 0 else { return "0.000 (0/0)" }
            let thousandths = (part * 1000 + whole / 2) / whole
            let text = String(thousandths / 1000) + "." + String(1000 + thousandths % 1000).dropFirst()
            return "\(text) (\(part)/\(whole))"
        }
        console.line("\(indent)gold facts \(score.goldFacts), draft facts \(score.draftFacts), matched by quote \(score.matched)")
        console.line("\(indent)dates:           precision \(ratio(score.datesEqual, score.draftFacts))  recall \(ratio(score.datesEqual, score.goldFacts))")
        console.line("\(indent)dates and kinds: precision \(ratio(score.datesAndKindsEqual, score.draftFacts))  recall \(ratio(score.datesAndKindsEqual, score.goldFacts))")
        console.line("\(indent)quantities equal in \(ratio(score.quantitiesEqual, score.matched)) of the matches")
    }
}
