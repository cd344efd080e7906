import AnnalsDomain

/// How a draft fact file compares with a hand-made one for the same article.
///
/// A draft fact matches a gold fact when their quotes overlap in the article's text; each fact
/// of either file is matched at most once, overlapping pairs whose dates agree first, then the
/// rest, largest overlap first. A match is correct when `when` is equal — the same value and
/// precision, qualifiers included; kinds and quantities are counted separately.
public struct DraftScore: Sendable {
    public var goldFacts = 0
    public var draftFacts = 0
    public var matched = 0
    /// Matches whose `when` is equal.
    public var datesEqual = 0
    /// Matches whose `when` and kind are equal.
    public var datesAndKindsEqual = 0
    /// Matches whose quantities are all equal (name, value, unit and hedge), none on both sides included.
    public var quantitiesEqual = 0
    /// One line per gold fact, for `--details`: how it fared.
    public var details: [String] = []

    public init() {}

    public var datePrecision: Double { draftFacts == 0 ? 0 : Double(datesEqual) / Double(draftFacts) }
    public var dateRecall: Double { goldFacts == 0 ? 0 : Double(datesEqual) / Double(goldFacts) }

    public static func + (a: DraftScore, b: DraftScore) -> DraftScore {
        var sum = a
        sum.goldFacts += b.goldFacts
        sum.draftFacts += b.draftFacts
        sum.matched += b.matched
        sum.datesEqual += b.datesEqual
        sum.datesAndKindsEqual += b.datesAndKindsEqual
        sum.quantitiesEqual += b.quantitiesEqual
        sum.details += b.details
        return sum
    }

    /// Scores the draft at `draftPath` against the gold fact file at `goldPath`. The draft's
    /// quotes are looked for in the gold file's article text, wherever the draft was saved.
    /// How many quote pairs a score may compare: far more than files of real articles need.
    static let comparisonBudget = 20_000_000

    public static func score(gold goldPath: String, draft draftPath: String) throws(InputError) -> DraftScore {
        let goldRecords = try YAMLFactFile.records(path: goldPath, displayPath: goldPath)
        guard case .article(let article, _)? = goldRecords.first else {
            throw InputError(file: goldPath, line: nil, field: "article", message: "is missing")
        }
        let draftText = try InputFile.readText(path: draftPath, displayPath: draftPath, maximumBytes: InputLimits.factFileBytes, what: "a fact file")
        let draftRecords = try YAMLFactFile.records(yaml: draftText, path: draftPath, displayPath: draftPath) { (_, _) throws(InputError) in article.text }
        let text = FoldedText(article.text)
        func located(_ records: [InputRecord], _ file: String) throws(InputError) -> [(fact: FactAssertion, span: Range<Int>)] {
            var facts: [(FactAssertion, Range<Int>)] = []
            for case .fact(let fact, let location) in records {
                guard let span = text.range(of: fact.quote) else {
                    throw InputError(file: file, line: location.line, field: "quote", message: "is not in the gold file's article text")
                }
                facts.append((fact, span))
            }
            return facts
        }
        let gold = try located(goldRecords, goldPath)
        let draft = try located(draftRecords, draftPath)

        // The pairs whose quotes overlap. Drafts in order of where their quotes begin: a gold
        // fact's candidates begin before its quote ends and no earlier than the longest draft
        // quote before its start, so ordinary files compare each fact with a few neighbours.
        // Files whose quotes all overlap one another would cost the product of their sizes;
        // past a budget the score is refused rather than left to run.
        let byStart = draft.indices.sorted { (draft[$0].span.lowerBound, $0) < (draft[$1].span.lowerBound, $1) }
        let longest = draft.map(\.span.count).max() ?? 0
        var budget = Self.comparisonBudget
        var pairs: [(gold: Int, draft: Int, datesEqual: Bool, overlap: Int)] = []
        for (goldIndex, goldFact) in gold.enumerated() {
            let earliest = goldFact.span.lowerBound - longest
            var low = 0
            var high = byStart.count
            while low < high {
                let middle = (low + high) / 2
                if draft[byStart[middle]].span.lowerBound < earliest { low = middle + 1 } else { high = middle }
            }
            for draftIndex in byStart[low...] {
                let draftFact = draft[draftIndex]
                guard draftFact.span.lowerBound < goldFact.span.upperBound else { break }
                budget -= 1
                guard budget >= 0 else {
                    throw InputError(file: draftPath, line: nil, field: nil,
                                     message: "its quotes overlap the gold file's in more than \(Self.comparisonBudget) ways; score smaller files")
                }
                let overlap = min(goldFact.span.upperBound, draftFact.span.upperBound) - max(goldFact.span.lowerBound, draftFact.span.lowerBound)
                guard overlap > 0 else { continue }
                pairs.append((goldIndex, draftIndex, goldFact.fact.when == draftFact.fact.when, overlap))
            }
        }
        pairs.sort { ($0.datesEqual ? 1 : 0, $0.overlap, -$0.gold, -$0.draft) > ($1.datesEqual ? 1 : 0, $1.overlap, -$1.gold, -$1.draft) }
        var goldTaken = [Int?](repeating: nil, count: gold.count)
        var draftTaken = Set<Int>()
        for pair in pairs where goldTaken[pair.gold] == nil && !draftTaken.contains(pair.draft) {
            goldTaken[pair.gold] = pair.draft
            draftTaken.insert(pair.draft)
        }

        var score = DraftScore()
        score.goldFacts = gold.count
        score.draftFacts = draft.count
        for (goldIndex, match) in goldTaken.enumerated() {
            let goldFact = gold[goldIndex].fact
            guard let match else {
                score.details.append("\(goldPath): \(goldFact.fact): not drafted (gold \(goldFact.when))")
                continue
            }
            let draftFact = draft[match].fact
            score.matched += 1
            let datesEqual = goldFact.when == draftFact.when
            if datesEqual { score.datesEqual += 1 }
            if datesEqual && goldFact.kind == draftFact.kind { score.datesAndKindsEqual += 1 }
            if Set(goldFact.quantities) == Set(draftFact.quantities) { score.quantitiesEqual += 1 }
            let verdict = datesEqual ? "date equal" : "date \(draftFact.when), gold \(goldFact.when)"
            score.details.append("\(goldPath): \(goldFact.fact): matched \(draftFact.fact): \(verdict); kind \(draftFact.kind)\(goldFact.kind == draftFact.kind ? "" : ", gold \(goldFact.kind)")")
        }
        for (index, item) in draft.enumerated() where !draftTaken.contains(index) {
            score.details.append("\(draftPath): \(item.fact.fact): matches no gold fact (\(item.fact.when))")
        }
        return score
    }
}
