/// One word, number or mark of a sentence, with where it stands in the article.
struct DraftToken: Sendable {
    /// The token as the article writes it.
    let text: Substring
    /// In lower case, for matching the lexicon.
    let lower: String
    /// Whether it is made of letters or digits (not a mark such as `,` or `“`).
    let isWord: Bool
    /// Whether it begins with a capital; kept, not computed, as the lexicon asks it of every token.
    let isCapitalized: Bool
    /// Whether it begins with a digit.
    let isNumeric: Bool

    init(text: Substring, lower: String, isWord: Bool) {
        self.text = text
        self.lower = lower
        self.isWord = isWord
        isCapitalized = text.first?.isUppercase ?? false
        isNumeric = text.first?.isNumber ?? false
    }
    var range: Range<String.Index> { text.startIndex..<text.endIndex }

    /// Whether it ends in a possessive `'s` (or `’s`): "Thursday's".
    var isPossessive: Bool { Self.isPossessive(lower) }

    static func isPossessive(_ word: String) -> Bool { word.hasSuffix("'s") || word.hasSuffix("’s") }
}

/// A sentence (or a quotation that runs over several) of the article's body.
struct DraftSentence: Sendable {
    /// Its text, a slice of the article.
    let text: Substring
    let tokens: [DraftToken]
    /// Which paragraph of the body it is in, from 0.
    let paragraph: Int
    /// Its 1-based line in the article, for the reviewer.
    let line: Int
}

/// An article's text cut into what the drafter reads: header lines, a title, and the body's
/// sentences, with the page around the article (boilerplate, headings, captions' credits) left out.
struct DraftText: Sendable {
    let text: String
    /// `Key: value` lines at the top, keyed by the lexicon's header names (`publisher`, `published`, …).
    private(set) var headers: [String: String] = [:]
    private(set) var title: String?
    /// The wire service a dateline names: `GENEVA (Reuters) –` gives Reuters.
    private(set) var datelinePublisher: String?
    /// The words of a dateline's date: `WASHINGTON, June 8 (Reuters) -` gives `June 8`.
    private(set) var datelineDate: [DraftToken] = []
    /// The year a copyright line gives ("Copyright 2021 The Associated Press", "© 2021 …"), the
    /// latest when there are several: the year the article was published.
    private(set) var copyrightYear: Int?
    /// The words of a byline between the title and the body: `15 April 2021 | Reuters`.
    private(set) var bylineDate: [DraftToken] = []
    /// The words of a line of the page, before the body or after it, that only gives the date of
    /// publication: `Published 15 May 2021`, `July 9, 2021`.
    private(set) var publishedLine: [DraftToken] = []
    /// Who a byline says published the article: the part of `15 April 2021 | Reuters` that is
    /// neither the date nor an author ("By …").
    private(set) var bylinePublisher: String?
    private(set) var sentences: [DraftSentence] = []
    /// The lines of sentences too long to be prose (a list, a table, or text made to stall a
    /// reader), which are not drafted: reading one costs time that grows faster than its length.
    private(set) var tooLongLines: [Int] = []
    /// The most words and marks a sentence may have and be drafted; news sentences have well
    /// under a hundred.
    static let maximumSentenceTokens = 400

    init(_ text: String, lexicon: DraftLexicon) {
        self.text = text
        let abbreviations = lexicon.words("abbreviations")
        let boilerplate = lexicon.phrases("boilerplate").map { $0.words.joined(separator: " ") }
        let monthNames = lexicon.words("months")
        let publishedWords = Set(lexicon.entries("headers").filter { $0.key == "published" }.flatMap(\.phrases).compactMap { $0.count == 1 ? $0[0] : nil })
        var headerNames: [String: String] = [:]
        for entry in lexicon.entries("headers") { for phrase in entry.phrases { headerNames[phrase.joined(separator: " ")] = entry.key } }

        var lines: [(text: Substring, number: Int)] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            lines.append((line, number))
        }
        var index = 0
        // Header lines: `Key: value` at the very top, blank lines aside.
        while index < lines.count {
            let line = lines[index].text
            if Self.isBlank(line) { index += 1; continue }
            guard let colon = line.firstIndex(of: ":"),
                  let key = headerNames[line[..<colon].trimmingBlanks().lowercased()] else { break }
            let value = line[line.index(after: colon)...].trimmingBlanks()
            if !value.isEmpty, headers[key] == nil { headers[key] = value }
            index += 1
        }
        // The title: the first line that is not boilerplate and reads as a headline, when the
        // text has no `Title:` header. A site's breadcrumb before it ("Home News …") is left out.
        var bodyStart = index
        while bodyStart < lines.count, Self.isBlank(lines[bodyStart].text) { bodyStart += 1 }
        if let header = headers["title"] {
            title = header
        } else if bodyStart < lines.count {
            let line = lines[bodyStart].text.trimmingBlanks()
            if Self.isHeadline(line) {
                bodyStart += 1
                if Self.isBoilerplate(line, boilerplate) {
                    noteCopyright(line)
                    title = nil
                } else {
                    title = line
                }
                var next = bodyStart
                while next < lines.count, Self.isBlank(lines[next].text) { next += 1 }
                if next < lines.count {
                    let following = lines[next].text.trimmingBlanks()
                    if Self.isHeadline(following), line.hasSuffix(following) {
                        title = following
                        bodyStart = next + 1
                    }
                }
            }
        }

        // Paragraphs: runs of non-blank lines.
        var paragraph = 0
        var lineIndex = bodyStart
        while lineIndex < lines.count {
            while lineIndex < lines.count, Self.isBlank(lines[lineIndex].text) { lineIndex += 1 }
            guard lineIndex < lines.count else { break }
            let first = lineIndex
            while lineIndex < lines.count, !Self.isBlank(lines[lineIndex].text) { lineIndex += 1 }
            let body = text[lines[first].text.startIndex..<lines[lineIndex - 1].text.endIndex]
            let trimmed = body.trimmingBlanks()
            // A byline of one line or several ("By A and B" over "June 16, 2021"), with perhaps
            // a line that only names the agency or the desk ("Associated Press").
            if paragraph == 0, !trimmed.isEmpty {
                let bylineLines = trimmed.split(separator: "\n").map { Substring($0.trimmingBlanks()) }
                if bylineLines.contains(where: { Self.bylineTokens($0) != nil }),
                   bylineLines.allSatisfy({ Self.bylineTokens($0) != nil || Self.isCreditLine($0) }) {
                    for line in bylineLines { readByline(line) }
                    continue
                }
            }
            // A line that only gives the date of publication is the page's, even ended by a full
            // stop ("Posted July 3, 2025 10:49 am."); only a short one is read for it.
            if Self.isBoilerplate(trimmed, boilerplate) || Self.isHeading(trimmed)
                || trimmed.utf8.count <= 80 && Self.startsWithHeaderWord(trimmed, publishedWords)
                    && Self.isPublishedLine(trimmed, headerWords: publishedWords, monthNames: monthNames) {
                noteCopyright(trimmed)
                if publishedLine.isEmpty, Self.isPublishedLine(trimmed, headerWords: publishedWords, monthNames: monthNames) {
                    publishedLine = Self.tokens(in: Substring(trimmed))
                }
                continue
            }
            var paragraphText = body
            if paragraph == 0 { paragraphText = stripDateline(body, monthNames: monthNames) }
            // Lines are counted on from one sentence to the next, so a long paragraph is read once.
            var countedTo = body.startIndex
            var line = lines[first].number
            for sentence in Self.sentences(in: paragraphText, abbreviations: abbreviations) {
                line += text[countedTo..<sentence.startIndex].utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                countedTo = sentence.startIndex
                let tokens = Self.tokens(in: sentence)
                guard tokens.contains(where: \.isWord) else { continue }
                guard tokens.count <= Self.maximumSentenceTokens else { tooLongLines.append(line); continue }
                sentences.append(DraftSentence(text: sentence, tokens: tokens, paragraph: paragraph, line: line))
            }
            paragraph += 1
        }
    }

    /// The words of a byline line — `By Jane Doe`, `15 April 2021 | Reuters`, `Published June
    /// 8, 2021 · Example News` — or nil when the line is not one: a line that ends as a sentence
    /// does, or runs long, is the body.
    private static func bylineTokens(_ line: Substring) -> [DraftToken]? {
        guard line.count <= 120, !line.contains("\n"), let last = line.last, !".!?”\"’".contains(last) else { return nil }
        let tokens = Self.tokens(in: line)
        let startsWithBy = tokens.first?.lower == "by"
        guard startsWithBy || hasYear(tokens) else { return nil }
        return tokens
    }

    /// Whether a line set apart from the body gives only the date of publication: a word of the
    /// `published` header first (`Published 15 May 2021`, `Published on July 9, 2021`), or a
    /// date alone, day and month either way round, with its year (`July 9, 2021`, `9 July 2021 14:02`).
    static func isPublishedLine(_ line: String, headerWords: Set<String>, monthNames: Set<String>) -> Bool {
        let tokens = Self.tokens(in: Substring(line)).filter(\.isWord)
        guard tokens.count <= 8, hasYear(tokens), let first = tokens.first else { return false }
        if headerWords.contains(first.lower) { return true }
        let leading = tokens.prefix(2).map { $0.lower.hasSuffix(".") ? String($0.lower.dropLast()) : $0.lower }
        return leading.contains { monthNames.contains($0) } && leading.contains { Int($0).map { (1...31).contains($0) } ?? false }
    }

    /// Whether the line's first word is one of `headerWords` (`Published`, `Posted`).
    private static func startsWithHeaderWord(_ line: String, _ headerWords: Set<String>) -> Bool {
        headerWords.contains(line.prefix(while: \.isLetter).lowercased())
    }

    /// Keeps the year of a copyright line that is left out as boilerplate.
    private mutating func noteCopyright(_ line: String) {
        let lower = line.lowercased()
        guard lower.hasPrefix("copyright") || lower.hasPrefix("©"), let year = Self.tokens(in: Substring(line)).compactMap(DraftDateReader.year).max() else { return }
        copyrightYear = max(copyrightYear ?? year, year)
    }

    /// A short line of capitalised words that does not end as a sentence does: the name of an
    /// agency, a desk or a newspaper under a byline ("Associated Press", "Reuters Staff").
    private static func isCreditLine(_ line: Substring) -> Bool {
        guard line.count <= 60, let last = line.last, !".!?”\"’:;,".contains(last) else { return false }
        let words = line.split(separator: " ")
        return words.count <= 6 && words.allSatisfy { $0.first?.isUppercase == true || $0 == "and" || $0 == "&" || $0 == "of" }
    }

    private static func hasYear(_ tokens: [DraftToken]) -> Bool {
        tokens.contains { token in token.text.count >= 4 && Int(token.text.prefix(4)).map { (1900...2099).contains($0) } == true }
    }

    /// Reads a byline line before the body (see ``bylineTokens(_:)``): its date and publisher.
    private mutating func readByline(_ line: Substring) {
        guard let tokens = Self.bylineTokens(line) else { return }
        if Self.hasYear(tokens), bylineDate.isEmpty { bylineDate = tokens }
        let separators: Set<Character> = ["|", "·", "•", "—", "–"]
        for part in line.split(whereSeparator: { separators.contains($0) }) {
            let name = part.trimmingBlanks()
            guard !name.isEmpty, name.count <= 60, !name.contains(where: \.isNumber),
                  !name.lowercased().hasPrefix("by "), name.first?.isUppercase == true else { continue }
            if bylinePublisher == nil, tokens.count > 1, part.count < line.count { bylinePublisher = name }
        }
    }

    /// Takes a dateline off the first paragraph: `GENEVA (Reuters) – `, `WASHINGTON, June 8 (AP) - `,
    /// the date alone before a wire service (`July 6 (Reuters) - `), the place in any case with
    /// its date before one (`Washington, Nov 19 (IANS): `, a colon as good as a dash after the
    /// wire service), and without a wire service when it gives a date: `WASHINGTON, July 9, 2021 - `.
    private mutating func stripDateline(_ paragraph: Substring, monthNames: Set<String>) -> Substring {
        // A dateline's place is in capitals: GENEVA, NEW YORK, WASHINGTON, June 8.
        func isPlace(_ place: Substring) -> Bool {
            guard let firstWord = place.split(whereSeparator: { $0 == " " || $0 == "," }).first else { return false }
            return firstWord.count >= 2 && firstWord.allSatisfy { $0.isUppercase || $0 == "." || $0 == "-" }
        }
        // A month and its day with nothing before them: "July 6", "Sept. 3".
        func isDateAlone(_ place: Substring) -> Bool {
            let words = place.split(whereSeparator: { $0 == " " || $0 == "," })
            guard words.count >= 2, let day = Int(words[1]) else { return false }
            var month = words[0].lowercased()
            if month.hasSuffix(".") { month.removeLast() }
            guard monthNames.contains(month) else { return false }
            return (1...31).contains(day)
        }
        // A wire service's name: capitalised, a few words, no number ("Reuters", "CNN", "AP").
        func isAgency(_ name: String) -> Bool {
            name.first?.isUppercase == true && !name.contains(where: \.isNumber) && name.split(separator: " ").count <= 3
        }
        // A place named in any case, then its date: "Washington, Nov 19", "New Delhi, Nov. 3".
        func isPlaceWithDate(_ place: Substring) -> Bool {
            guard let comma = place.firstIndex(of: ","), place.first?.isUppercase == true,
                  place[..<comma].split(separator: " ").count <= 3 else { return false }
            return isDateAlone(place[place.index(after: comma)...])
        }
        func afterDash(_ text: Substring) -> Substring? {
            let rest = text.drop { $0 == " " }
            guard let dash = rest.first, dash == "-" || dash == "–" || dash == "—" else { return nil }
            return rest.dropFirst().drop { $0 == " " }
        }
        // Right after the wire service's name, a colon ends the dateline as a dash does.
        func afterAgency(_ text: Substring) -> Substring? {
            text.first == ":" ? text.dropFirst().drop { $0 == " " } : afterDash(text)
        }
        // The agency alone, with no place: "(CNN) Up to 1,500 businesses …", "(Reuters) - …".
        if paragraph.first == "(", let close = paragraph.prefix(30).firstIndex(of: ")") {
            let agency = paragraph[paragraph.index(after: paragraph.startIndex)..<close].trimmingBlanks()
            let rest = paragraph[paragraph.index(after: close)...]
            if isAgency(agency), rest.first == " " {
                datelinePublisher = agency
                return afterDash(rest) ?? rest.drop { $0 == " " }
            }
        }
        if let open = paragraph.prefix(80).firstIndex(of: "("), let close = paragraph[open...].prefix(40).firstIndex(of: ")") {
            let place = paragraph[..<open]
            let agency = paragraph[paragraph.index(after: open)..<close].trimmingBlanks()
            // A date alone, or a place not in capitals, is a dateline only with the name of a wire
            // service: "July 6 (Reuters) -", "Washington, Nov 19 (IANS):".
            guard isPlace(place) || ((isDateAlone(place) || isPlaceWithDate(place)) && isAgency(agency)),
                  let rest = afterAgency(paragraph[paragraph.index(after: close)...]) else { return paragraph }
            datelinePublisher = agency
            datelineDate = Self.tokens(in: place)
            return rest
        }
        // Without a wire service, the place and a date before a dash spaced off: a capitalised
        // word and a dash alone ("NATO – the alliance …") are not taken for a dateline.
        guard let dash = paragraph.prefix(80).firstIndex(where: { $0 == "-" || $0 == "–" || $0 == "—" }), dash > paragraph.startIndex,
              paragraph[paragraph.index(before: dash)] == " " else { return paragraph }
        let place = paragraph[..<dash]
        guard isPlace(place), place.contains(","), place.contains(where: \.isNumber), let rest = afterDash(paragraph[dash...]) else { return paragraph }
        datelineDate = Self.tokens(in: place)
        return rest
    }

    /// Whether the tokens from `start` on are `words`, lower-cased, one token each.
    static func matches(_ words: [String], _ tokens: [DraftToken], at start: Int) -> Bool {
        guard start >= 0, start + words.count <= tokens.count else { return false }
        for (offset, word) in words.enumerated() where tokens[start + offset].lower != word { return false }
        return true
    }

    /// Which tokens stand inside a quotation (“…” or "…").
    static func quotedTokens(_ tokens: [DraftToken]) -> [Bool] {
        var inside = false
        return tokens.map { token in
            switch token.text {
            case "“": inside = true; return true
            case "”": inside = false; return true
            case "\"": inside.toggle(); return true
            default: return inside
            }
        }
    }

    static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{A0}" }
    }

    /// A line that ends without a full stop and is short: a headline or a section heading.
    static func isHeadline(_ line: String) -> Bool {
        guard let last = line.last else { return false }
        return line.split(separator: " ").count <= 25 && last != "." && last != ":"
    }

    static func isHeading(_ paragraph: String) -> Bool {
        guard let last = paragraph.last else { return true }
        return !".!?”\"’)".contains(last) && paragraph.split(separator: " ").count <= 15
    }

    static func isBoilerplate(_ line: String, _ starts: [String]) -> Bool {
        let lower = line.lowercased()
        return starts.contains { lower.hasPrefix($0) }
    }

    /// Cuts a paragraph into sentences: at `.`, `!` or `?` (and any closing quote after it)
    /// followed by a space and a capital, a digit or an opening quote — but not after an
    /// abbreviation or an initial, and not inside a quotation.
    static func sentences(in paragraph: Substring, abbreviations: Set<String>) -> [Substring] {
        var result: [Substring] = []
        var start = paragraph.startIndex
        var index = paragraph.startIndex
        var quoteDepth = 0
        var straightQuoteOpen = false
        while index < paragraph.endIndex {
            let character = paragraph[index]
            switch character {
            case "“": quoteDepth += 1
            case "”": quoteDepth = max(0, quoteDepth - 1)
            case "\"": straightQuoteOpen.toggle()
            default: break
            }
            guard character == "." || character == "!" || character == "?" else {
                index = paragraph.index(after: index)
                continue
            }
            var end = paragraph.index(after: index)
            var closedQuote = false
            while end < paragraph.endIndex, "”\"’)".contains(paragraph[end]) {
                if paragraph[end] == "”" { quoteDepth = max(0, quoteDepth - 1); closedQuote = true }
                if paragraph[end] == "\"" { straightQuoteOpen = false; closedQuote = true }
                end = paragraph.index(after: end)
            }
            let inQuote = (quoteDepth > 0 || straightQuoteOpen) && !closedQuote
            var next = end
            while next < paragraph.endIndex, paragraph[next] == " " || paragraph[next] == "\n" || paragraph[next] == "\u{A0}" { next = paragraph.index(after: next) }
            let spaced = next > end
            let startsNew = next == paragraph.endIndex
                || paragraph[next].isUppercase || paragraph[next].isNumber || "“\"‘'".contains(paragraph[next])
            if !inQuote, spaced || next == paragraph.endIndex, startsNew, !(character == "." && endsWithAbbreviation(paragraph[start..<index], abbreviations)) {
                result.append(paragraph[start..<end])
                start = next
                index = next
            } else {
                index = end
            }
        }
        let tail = paragraph[start...]
        if !isBlank(tail) { result.append(tail.trimmingTrailingBlanks()) }
        return result
    }

    private static func endsWithAbbreviation(_ text: Substring, _ abbreviations: Set<String>) -> Bool {
        // No abbreviation is longer than a few letters: looking further back than that would
        // make a run of "a.a.a.…" cost the square of its length.
        let word = text.suffix(32).reversed().prefix { $0.isLetter || $0 == "." }.reversed()
        let lower = String(word).lowercased()
        if lower.count == 1, word.first?.isUppercase == true { return true }   // an initial: "John F. Kennedy"
        if lower.contains(".") { return true }                                  // "U.S.", "a.m."
        return abbreviations.contains(lower)
    }

    /// Words (letters and digits, with inner `.`, `'`, `’`, `-` and digit groups), numbers and
    /// single marks.
    static func tokens(in text: Substring) -> [DraftToken] {
        var tokens: [DraftToken] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace { index = text.index(after: index); continue }
            guard character.isLetter || character.isNumber else {
                let next = text.index(after: index)
                tokens.append(DraftToken(text: text[index..<next], lower: String(character).lowercased(), isWord: false))
                index = next
                continue
            }
            var end = text.index(after: index)
            var hasInnerDot = false
            while end < text.endIndex {
                let current = text[end]
                if current.isLetter || current.isNumber { end = text.index(after: end); continue }
                let after = text.index(after: end)
                guard after < text.endIndex else { break }
                let following = text[after]
                let previous = text[text.index(before: end)]
                let joins: Bool
                switch current {
                case ".": joins = (following.isLetter && previous.isLetter && !following.isLowercase == !previous.isLowercase) || (following.isNumber && previous.isNumber)
                case ",": joins = previous.isNumber && following.isNumber && Self.digitsAhead(text, from: after) == 3
                case "'", "’", "-", "‑": joins = following.isLetter || following.isNumber
                default: joins = false
                }
                guard joins else { break }
                if current == "." && previous.isLetter { hasInnerDot = true }
                end = after
            }
            // "U.S." keeps its last dot.
            if hasInnerDot, end < text.endIndex, text[end] == "." { end = text.index(after: end) }
            let word = text[index..<end]
            tokens.append(DraftToken(text: word, lower: word.lowercased(), isWord: true))
            index = end
        }
        return tokens
    }

    private static func digitsAhead(_ text: Substring, from index: String.Index) -> Int {
        text[index...].prefix { $0.isNumber }.count
    }
}

extension Substring {
    func trimmingTrailingBlanks() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
