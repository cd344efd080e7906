/// A quantity as drafted: what it measures, an exact decimal as text, a unit, and whether the
/// text hedged it.
struct DraftQuantity: Hashable, Sendable {
    let name: String
    let value: String
    let unit: String
    let approximate: Bool
    /// Which tokens of the sentence it spans, the hedge included.
    let tokens: Range<Int>
    /// For a duration in days written as "a six-day outage" or "for six days": the number of days.
    var days: Int? { unit == "d" ? Int(value) : nil }
}

/// Finds money, durations and counts, with the words of the lexicon's `quantities` file.
struct DraftQuantityReader: Sendable {
    private let currencies: [(unit: String, words: [String])]
    private let scales: [String: Int]
    private let durations: [String: String]
    private let numberWords: [(value: String, words: [String])]
    private let hedges: [[String]]
    private let moneyNames: [(name: String, words: [String])]
    private let countNouns: Set<String>

    init(lexicon: DraftLexicon) {
        currencies = lexicon.phrases("currencies").map { ($0.key, $0.words) }.sorted { $0.words.count > $1.words.count }
        var scales: [String: Int] = [:]
        for entry in lexicon.entries("scales") { for phrase in entry.phrases where phrase.count == 1 { scales[phrase[0]] = Self.exponent(of: entry.key) } }
        self.scales = scales
        var durations: [String: String] = [:]
        for entry in lexicon.entries("durations") { for phrase in entry.phrases where phrase.count == 1 { durations[phrase[0]] = entry.key } }
        self.durations = durations
        numberWords = lexicon.phrases("numbers").map { ($0.key, $0.words) }.sorted { $0.words.count > $1.words.count }
        hedges = lexicon.phrases("hedges").map(\.words).sorted { $0.count > $1.count }
        moneyNames = lexicon.phrases("money-names").map { ($0.key, $0.words) }
        countNouns = lexicon.words("count-nouns")
    }

    /// `1000000` → 6.
    private static func exponent(of power: String) -> Int { power.count - 1 }

    /// Every quantity in the tokens, skipping those `taken` (dates). A fact names each quantity
    /// once, so a second amount of the same kind is `ransom-2`, the third `ransom-3`.
    func find(in tokens: [DraftToken], skipping taken: Set<Int>) -> [DraftQuantity] {
        var found: [DraftQuantity] = []
        var used = taken
        var index = 0
        while index < tokens.count {
            if !used.contains(index), var quantity = quantity(at: index, tokens, sentence: tokens) {
                let sameName = found.count { $0.name == quantity.name || $0.name.hasPrefix(quantity.name + "-") && Int($0.name.dropFirst(quantity.name.count + 1)) != nil }
                if sameName > 0 {
                    quantity = DraftQuantity(name: "\(quantity.name)-\(sameName + 1)", value: quantity.value, unit: quantity.unit,
                                             approximate: quantity.approximate, tokens: quantity.tokens)
                }
                found.append(quantity)
                for token in quantity.tokens { used.insert(token) }
                index = quantity.tokens.upperBound
            } else {
                index += 1
            }
        }
        return found
    }

    /// A number at `index`: digits (`4,400`, `3.5`, `11m`, `2bn`), or number words (`six`,
    /// `a dozen`); its digits and exponent, how many tokens it takes, and a scale written into it.
    private func number(at index: Int, _ tokens: [DraftToken]) -> (digits: String, exponent: Int, end: Int, unitSuffix: String?)? {
        guard index < tokens.count else { return nil }
        let token = tokens[index]
        if token.isNumeric {
            let text = token.lower.filter { $0 != "," }
            // A hyphenated adjective: "six-day", "3.5-hour".
            let pieces = text.split(separator: "-", maxSplits: 1)
            let numeral = pieces[0]
            let numberPart = numeral.prefix { $0.isNumber || $0 == "." }
            let suffix = String(numeral.dropFirst(numberPart.count))
            guard let (digits, exponent) = Self.decimal(String(numberPart)) else { return nil }
            var scaleExponent = 0
            if !suffix.isEmpty {
                guard let scale = scales[suffix] else { return nil }
                scaleExponent = scale
            }
            return (digits, exponent + scaleExponent, index + 1, pieces.count == 2 ? String(pieces[1]) : nil)
        }
        for entry in numberWords where DraftText.matches(entry.words, tokens, at: index) {
            guard let (digits, exponent) = Self.decimal(entry.value) else { continue }
            let end = index + entry.words.count
            // "three and a half hours" is 3.5 hours.
            if exponent == 0, DraftText.matches(["and", "a", "half"], tokens, at: end) { return (digits + "5", -1, end + 3, nil) }
            return (digits, exponent, end, nil)
        }
        // "six-day": a number word joined to a unit.
        let pieces = token.lower.split(separator: "-", maxSplits: 1)
        if pieces.count == 2, let entry = numberWords.first(where: { $0.words == [String(pieces[0])] }), let (digits, exponent) = Self.decimal(entry.value) {
            return (digits, exponent, index + 1, String(pieces[1]))
        }
        return nil
    }

    /// `3.5` → ("35", -1).
    static func decimal(_ text: String) -> (String, Int)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), !parts[0].isEmpty || parts.count == 2 else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        let digits = String(parts[0]) + fraction
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        return (digits, -fraction.count)
    }

    /// A decimal's text without needless zeros: ("44", 5) → `4400000`, ("35", -1) → `3.5`.
    static func text(digits: String, exponent: Int) -> String {
        var digits = Substring(digits.drop { $0 == "0" })
        var exponent = exponent
        if digits.isEmpty { return "0" }
        while exponent < 0, digits.last == "0" { digits = digits.dropLast(); exponent += 1 }
        if exponent >= 0 { return String(digits) + String(repeating: "0", count: exponent) }
        let point = digits.count + exponent
        if point > 0 { return String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) }
        return "0." + String(repeating: "0", count: -point) + digits
    }

    private func hedge(endingBefore index: Int, _ tokens: [DraftToken]) -> Int? {
        for words in hedges where DraftText.matches(words, tokens, at: index - words.count) { return index - words.count }
        return nil
    }

    private func currency(at index: Int, _ tokens: [DraftToken]) -> (unit: String, end: Int)? {
        for entry in currencies where DraftText.matches(entry.words, tokens, at: index) { return (entry.unit, index + entry.words.count) }
        return nil
    }

    private func moneyName(_ sentence: [DraftToken]) -> String {
        for entry in moneyNames {
            if entry.words == ["*"] { return entry.name }
            if sentence.indices.contains(where: { DraftText.matches(entry.words, sentence, at: $0) }) { return entry.name }
        }
        return "amount"
    }

    private func quantity(at index: Int, _ tokens: [DraftToken], sentence: [DraftToken]) -> DraftQuantity? {
        // A currency before the number: $5 million, $ 5 million, €2bn, US$4.4m.
        var start = index
        var unitBefore: String?
        var numberIndex = index
        if let (unit, end) = currency(at: index, tokens), end < tokens.count, tokens[end].isNumeric, tokens[index].isWord == false || tokens[index].lower == "us" || tokens[index].lower == "usd" {
            unitBefore = unit
            numberIndex = end
        }
        guard let number = number(at: numberIndex, tokens) else { return nil }
        // A year or a day of a date is not a quantity; dates are taken out before this runs.
        let digits = number.digits
        var exponent = number.exponent
        var end = number.end
        if number.unitSuffix == nil, end < tokens.count, let scale = scales[tokens[end].lower], scale >= 3,
           tokens[end].lower.count > 1 || unitBefore != nil {
            exponent += scale
            end += 1
        }
        let hedgeStart = hedge(endingBefore: start, tokens)
        if let hedgeStart { start = hedgeStart }
        let approximate = hedgeStart != nil
        func made(_ name: String, _ unit: String) -> DraftQuantity {
            DraftQuantity(name: name, value: Self.text(digits: digits, exponent: exponent), unit: unit, approximate: approximate, tokens: start..<end)
        }
        if let unitBefore {
            return made(moneyName(sentence), unitBefore)
        }
        // A currency after the number: 4.4 million dollars, 75 bitcoin, 63.7 BTC.
        if let (unit, currencyEnd) = currency(at: end, tokens), tokens[end].isWord {
            end = currencyEnd
            return made(moneyName(sentence), unit)
        }
        // A duration: 3.5 hours, six days, a six-day outage.
        if let suffix = number.unitSuffix, let unit = durations[suffix] {
            return made("duration", unit)
        }
        if end < tokens.count, let unit = durations[tokens[end].lower] {
            end += 1
            return made("duration", unit)
        }
        // A count: 16 sectors, 16 infrastructure sectors, more than 100 people.
        guard number.unitSuffix == nil, !digits.isEmpty, exponent >= 0 else { return nil }
        var nounIndex = end
        if nounIndex < tokens.count, !countNouns.contains(tokens[nounIndex].lower), nounIndex + 1 < tokens.count, countNouns.contains(tokens[nounIndex + 1].lower) {
            nounIndex += 1
        }
        guard nounIndex < tokens.count else { return nil }
        let noun = tokens[nounIndex]
        guard noun.isWord, !noun.isCapitalized, tokens[numberIndex].isNumeric || countNouns.contains(noun.lower), noun.lower.hasSuffix("s"), noun.lower.count > 2, noun.lower.count <= 40,
              noun.lower.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }), !durations.keys.contains(noun.lower) else { return nil }
        end = nounIndex + 1
        return made(noun.lower, noun.lower)
    }
}
