import AnnalsDomain
import AnnalsTimelineProjections

/// What `annals draft` knows about an article besides its text: anything given on the command
/// line wins over what the text's header lines say.
public struct DraftOptions: Sendable {
    /// The article text's file name, written as the fact file's `text`.
    public var textName: String
    public var published: String?
    public var publisher: String?
    public var id: String?
    public var title: String?

    public init(textName: String, published: String? = nil, publisher: String? = nil, id: String? = nil, title: String? = nil) {
        self.textName = textName
        self.published = published
        self.publisher = publisher
        self.id = id
        self.title = title
    }
}

/// Why an article could not be drafted.
public struct DraftError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// Whether the command line was wrong (a malformed `--published`), not the article.
    public let isUsage: Bool
    /// The 1-based line of the article the problem is on, when it is on one.
    public let line: Int?

    init(description: String, isUsage: Bool = false, line: Int? = nil) {
        self.description = description
        self.isUsage = isUsage
        self.line = line
    }
}

/// One fact as drafted from one sentence.
struct DraftFact: Sendable {
    let id: String
    let kind: FactKind
    /// Dated again when what follows tells more (an act told in a remark was done by its day).
    var when: DraftWhen
    /// The words that dated it; cleared when they turn out to date another fact.
    var said: String?
    /// With the quote, narrowed to a first clause when the sentence's others are facts of their own.
    var summary: String
    var actors: [(actor: Int, role: ActorRole)]
    var quantities: [DraftQuantity]
    var quote: String
    /// The reviewer's comment: the line, why this kind, where the date came from, how sure.
    var note: String
}

/// Drafts a fact file from an article's text: one fact per sentence that reports an event,
/// its kind from the lexicon's trigger words, its date as a careful reader would resolve it
/// against the publication date, its quantities and actors. Deterministic and offline.
public enum Drafter {
    /// The YAML fact file for `text`, in the format of docs/INPUT.md; `knownActors` are the
    /// store's, matched under any of their names.
    /// `progress` is told, now and then, how many of the article's sentences are read and how many it has.
    public static func draft(articleAt path: String, options: DraftOptions, knownActors: [ActorRecord] = [],
                             progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> String {
        let text = try readArticle(at: path)
        do {
            return try draft(text: text, options: options, knownActors: knownActors, progress: progress)
        } catch where !error.isUsage {
            throw InputError(file: path, line: error.line, field: nil, message: error.description)
        }
    }

    /// An article's text as drafting reads it: UTF-8, within the size limit of article texts.
    /// A problem with the file is an ``InputError`` naming it.
    public static func readArticle(at path: String) throws(InputError) -> String {
        try InputFile.readText(path: path, displayPath: path, maximumBytes: InputLimits.articleTextBytes, what: "an article text")
    }

    /// The YAML fact file for an article's `text`.
    public static func draft(text: String, options: DraftOptions, knownActors: [ActorRecord] = [],
                             progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(DraftError) -> String {
        let text = plainLayout(text)
        // Ingestion refuses an article text with control characters, so a draft of one could never be ingested.
        if let control = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            let line = 1 + text.unicodeScalars.prefix { $0 != control }.filter { $0 == "\n" }.count
            throw DraftError(description: controlProblem(control.value), line: line)
        }
        let lexicon = DraftLexicon.builtIn
        let article = DraftText(text, lexicon: lexicon)
        let dates = DraftDateReader(lexicon: lexicon)
        let kinds = KindClassifier(lexicon: lexicon)
        let quantities = DraftQuantityReader(lexicon: lexicon)
        var actors = DraftActorReader(lexicon: lexicon, knownActors: knownActors)
        let sequels = lexicon.phrases("sequels").map(\.words)
        let sameTime = lexicon.phrases("same-time").map(\.words)
        let sinceThen = lexicon.phrases("since-then").map(\.words)
        let perfect = lexicon.phrases("perfect").map(\.words)
        let daysAfter = lexicon.phrases("days-after").compactMap { entry in Int(entry.key).map { (days: $0, words: entry.words) } }
        let thatPeriod = lexicon.phrases("that-period").compactMap { entry in DraftPeriod.parse(entry.key).map { (period: $0, words: entry.words) } }
        let pronouns = lexicon.words("pronouns")
        let subjectPronouns = lexicon.words("subject-pronouns")
        let presentSaying = Set(lexicon.entries("present-saying").filter { $0.key == "verb" }.flatMap(\.phrases).compactMap { $0.count == 1 ? $0[0] : nil })
        let notPresentAfter = Set(lexicon.entries("present-saying").filter { $0.key == "not-after" }.flatMap(\.phrases).compactMap { $0.count == 1 ? $0[0] : nil })
        // Words before a date in a quotation that make what it tells no act done then: a
        // supposition, a denial, a wish or a plan ("“If it goes as expected, we can be back to
        // normal on Thursday”").
        let notDone = lexicon.words("hypotheticals").union(lexicon.words("negations")).union(lexicon.words("modals"))

        // Every sentence's date expressions and years, read once.
        let found = article.sentences.map { dates.find(in: $0.tokens) }
        // A year a comparison measures by ("the first summit since 2018") is no year of the sentence's.
        let explicitYears = article.sentences.map { sentence in sentence.tokens.enumerated().compactMap { index, token -> Int? in
            guard let year = DraftDateReader.year(token), index > 0, !dates.isComparison(at: index, sentence.tokens) else { return nil }
            return year
        } }

        // A text is written no earlier than the events it names: one whose year is known may
        // be later than every year the text names ("the attack in May on Colonial Pipeline" in
        // a story whose only years are of sanctions in 2019 and guidance of 2020).
        // So is one with a copyright line: it was published in that year.
        let knownEvents = Self.knownEvents(in: article, lexicon: lexicon)
        let latestKnown = knownEvents.compactMap { $0 }.max { $0.year < $1.year }.map { (year: $0.year, reason: $0.reason) }
        let copyright = article.copyrightYear.map { (year: $0, reason: "the year of its copyright line") }
        // And a weekday named with a month and day but no year ("Wednesday (Sept. 14)") falls in
        // the first year, from the latest the text otherwise gives, in which that day is that weekday.
        let floorYear = [explicitYears.joined().max(), latestKnown?.year, copyright?.year].compactMap { $0 }.max()
        let weekdayYear = floorYear.flatMap { floor in dates.yearOfWeekdayDates(in: article.sentences.map(\.tokens), from: floor) }.map { found in
            (year: found.year, reason: "the first year from \(floorYear ?? found.year) in which \"\(found.words)\" falls on that weekday")
        }
        let eventYear = [latestKnown, copyright, weekdayYear].compactMap { $0 }.max { $0.year < $1.year }.flatMap { event in
            event.year > (explicitYears.joined().max() ?? .min) ? event : nil
        }

        // The publication date: the flag, a header line, the dateline, or else the latest date
        // the text names (a guess, said so in the file).
        let publication = try publicationDate(options: options, article: article, dates: dates, found: found,
                                              explicitYears: explicitYears, eventYear: eventYear)

        // The year each sentence names last, else the last one named before it in its paragraph:
        // one pass, so a long paragraph is not searched back once per sentence.
        var nearbyYears: [Int?] = []
        nearbyYears.reserveCapacity(article.sentences.count)
        for (index, sentence) in article.sentences.enumerated() {
            let before = index > 0 && article.sentences[index - 1].paragraph == sentence.paragraph ? nearbyYears[index - 1] : nil
            // A sentence naming an event whose year is known is not of an earlier year: after
            // "sanctioned in December 2019", "the attack in May on Colonial Pipeline" is of May
            // 2021. With no year before it, the sentence's dates go by the publication as others.
            let event = knownEvents[index].flatMap { event in before.flatMap { event.year > $0 ? event.year : nil } }
            var year = explicitYears[index].last ?? event ?? before
            // A weekday with its month and day ("Wednesday (Sept. 14)") that does not fall in the
            // year before it falls in a later one.
            if explicitYears[index].isEmpty, let nearby = year, let pinned = dates.yearOfWeekdayDates(in: [sentence.tokens], from: nearby) {
                year = pinned.year
            }
            nearbyYears.append(year)
        }
        func anchor(_ index: Int) -> DateAnchor {
            let sentence = article.sentences[index]
            let firstDate = found[index].first?.tokens.lowerBound ?? sentence.tokens.count
            return DateAnchor(published: publication.day, nearbyYear: nearbyYears[index], future: dates.isFuture(sentence.tokens, before: firstDate))
        }
        let resolved: [[(found: FoundDate, when: DraftWhen)]] = article.sentences.indices.map { index in
            let anchor = anchor(index)
            return found[index].compactMap { date in anchor.resolve(date).map { (date, $0) } }
        }
        // The day the story happens on: the latest day the text names within a week before
        // the publication. Remarks with no date of their own were made then ("Biden said …" in
        // a story about the summit that day). A text that names no such day does not say when
        // its remarks were made: they are bounded by the publication, as any undated fact, and
        // the publication day is not taken for their date. A lede telling its
        // event in two time zones ("Monday evening Washington time, Tuesday morning in
        // Beijing") makes the story's time both days.
        // The dates that can tell the story's day: not "today" in a quotation, the speaker's.
        let storyDates = resolved.enumerated().map { index, items in
            guard items.contains(where: \.found.isRelative) else { return items }
            let quoted = DraftText.quotedTokens(article.sentences[index].tokens)
            return items.filter { item in !(item.found.isRelative && item.found.tokens.allSatisfy { quoted[$0] }) }
        }
        // And the day a quotation's "today" and weekdays count from: the day of the story when a
        // remark dated by its own words tells it is the day the remarks were made ("the mayor
        // said Monday evening"); not the day of the lede's event ("late on Wednesday night").
        let (storyWhen, speakersDay): (DraftWhen?, DraftDay?) = {
            guard let published = publication.day, published.isDay else { return (nil, nil) }
            let days = storyDates.joined().compactMap { item -> DraftDay? in
                guard case .point(let day) = item.when, day.isDay, day.qualifier.isEmpty else { return nil }
                let distance = published.daysSinceEpoch - day.daysSinceEpoch
                return (0...7).contains(distance) ? day : nil
            }
            // The lede's day when it names one: "said yesterday" opens a story of yesterday,
            // however many later things ("due to testify today") the rest mentions.
            func isThisWeek(_ day: DraftDay) -> Bool {
                day.isDay && day.qualifier.isEmpty && (0...7).contains(published.daysSinceEpoch - day.daysSinceEpoch)
            }
            // Of the lede's days, the latest: "gained access last Friday …, the sheriff said on
            // Monday" is a story of Monday. Not a day ahead: "is due to testify today".
            let lede = storyDates.firstIndex { !$0.isEmpty }.flatMap { ledeIndex in
                let tokens = article.sentences[ledeIndex].tokens
                return storyDates[ledeIndex].compactMap { item -> (when: DraftWhen, last: DraftDay)? in
                    guard item.found.isRelative else { return nil }
                    let start = item.found.tokens.lowerBound
                    guard !dates.isFuture(Array(tokens[max(0, start - 4)..<start]), before: min(4, start)) else { return nil }
                    switch item.when {
                    case .point(let day): return isThisWeek(day) ? (item.when, day) : nil
                    case let .interval(from?, to?):
                        return isThisWeek(from) && isThisWeek(to) && to.daysSinceEpoch - from.daysSinceEpoch == 1 ? (item.when, to) : nil
                    case .interval: return nil
                    }
                }.max { $0.last.daysSinceEpoch < $1.last.daysSinceEpoch }?.when
            }
            // A remark dated by the words right after its verb ("Riel said Monday night", "the
            // city said Friday on its page") on a later day than the lede's event ("was the
            // target Sunday of an attack"): the story is told on the day of its remarks.
            // So is one whose date leads up to its verb with no event told before it ("Speaking
            // during a presser on Monday, Khatibzadeh said").
            let latestRemark = article.sentences.indices.compactMap { index -> DraftDay? in
                let tokens = article.sentences[index].tokens
                guard !storyDates[index].isEmpty, let verb = kinds.firstStatement(in: tokens) else { return nil }
                let leadsUp = (kinds.firstEventWord(in: tokens, after: -1) ?? verb) >= verb
                return storyDates[index].compactMap { item -> DraftDay? in
                    let start = item.found.tokens.lowerBound
                    guard (verb + 1...verb + 3).contains(start) || (leadsUp && item.found.tokens.upperBound <= verb && !tokens[item.found.tokens.upperBound - 1].isPossessive),
                          item.found.counted == nil, case .point(let day) = item.when, isThisWeek(day) else { return nil }
                    return day
                }.first
            }.max { $0.daysSinceEpoch < $1.daysSinceEpoch }
            if let lede, case .point(let ledeDay) = lede, let latestRemark, latestRemark.daysSinceEpoch > ledeDay.daysSinceEpoch {
                return (.point(latestRemark), latestRemark)
            }
            let story = lede ?? days.max { $0.daysSinceEpoch < $1.daysSinceEpoch }.map { .point($0) }
            // The remarks' day, when the story is told on it.
            let speakers: DraftDay? = if case .point(let day)? = story, day == latestRemark { day } else { nil }
            return (story, speakers)
        }()

        let articleID = options.id ?? articleIDFrom(publisher: publication.publisher, published: publication.day, title: publication.title)
        var facts: [DraftFact] = []
        var lastEvent: (when: DraftWhen, paragraph: Int, kind: FactKind)?
        var previousKind: (kind: FactKind, paragraph: Int)?
        /// The paragraph of the last remark drafted, or of the last paragraph its quotation ran on into.
        var remarkParagraph: Int?
        /// The last paragraph such a quotation went on into.
        var continuedParagraph: Int?
        /// The day that quotation was spoken, when its own words tell it.
        var quotationDay: DraftWhen?
        /// Whether each paragraph opens with a quotation mark: one that follows a remark's
        /// paragraph goes on with what was said ("…,” the statement read. ¶ “Please be reassured …").
        let paragraphOpensQuotation: [Int: Bool] = article.sentences.reduce(into: [:]) { opens, sentence in
            if opens[sentence.paragraph] == nil { opens[sentence.paragraph] = sentence.text.first == "“" || sentence.text.first == "\"" }
        }
        /// The last remark dated by its own words, and where it was told.
        var lastDatedRemark: (when: DraftWhen, sentence: Int, speakers: Set<Int>)?
        for (index, sentence) in article.sentences.enumerated() {
            if index % 256 == 0 { progress?(index, article.sentences.count) }
            var classified = kinds.classify(sentence.tokens)
            // Of a sentence of several clauses, the first tells what the sentence is about; the
            // others are drafted as facts of their own below.
            let sentenceClauses = clauses(of: sentence.tokens, actAt: kinds.reportsAnAct)
            if sentenceClauses.count > 1, let first = kinds.classify(Array(sentence.tokens[sentenceClauses[0]])) {
                classified = first
            }
            // A quotation that goes on from a sentence of saying ("“…,” Biden said. “We’ll …”")
            // is more of the same statement, and so are the events the speaker names in it with no
            // date ("“We’re seeing all of these examples of ransomware attacks …”").
            // So is a paragraph that opens with a quotation mark right after the paragraph of a
            // remark, and the paragraphs after it that do the same: a quotation of several
            // paragraphs opens each with a quotation mark and names its speaker once.
            let goesOnFromRemark = paragraphOpensQuotation[sentence.paragraph] == true
                && (remarkParagraph == sentence.paragraph - 1 || remarkParagraph == sentence.paragraph)
            if goesOnFromRemark, remarkParagraph != sentence.paragraph {
                remarkParagraph = sentence.paragraph
                let continues = continuedParagraph == sentence.paragraph - 1
                continuedParagraph = sentence.paragraph
                // Its speaker spoke on the day its "last night" or "today" counts from, when
                // nothing else tells the remarks' day: the publication's.
                // (The paragraph before is the run of sentences right before this one.)
                let paragraphBefore = (0..<index).reversed().prefix { article.sentences[$0].paragraph == sentence.paragraph - 1 }
                let countsFromPublication = (continues && quotationDay != nil) || (speakersDay == nil && paragraphBefore.contains { earlier in
                    let quoted = DraftText.quotedTokens(article.sentences[earlier].tokens)
                    return resolved[earlier].contains { item in item.found.isRelative && item.found.tokens.allSatisfy { quoted[$0] } }
                })
                quotationDay = countsFromPublication ? publication.day.flatMap { $0.isDay ? .point($0) : nil } : nil
            }
            var goesOnAcrossParagraphs = false
            if sentence.text.first == "“" || sentence.text.first == "\"",
               let previous = previousKind, previous.paragraph == sentence.paragraph, previous.kind.isSpoken,
               classified.map({ found[index].isEmpty && DraftText.quotedTokens(sentence.tokens)[$0.triggerIndex] }) ?? true {
                classified = (.statement, "a quotation going on from the sentence before", 0)
            } else if goesOnFromRemark, found[index].isEmpty,
                      classified.map({ DraftText.quotedTokens(sentence.tokens)[$0.triggerIndex] }) ?? true {
                classified = (.statement, "a quotation going on from the paragraph before", 0)
                goesOnAcrossParagraphs = true
            }
            // Events named only in the plural, with no date and no one saying so ("coverage helps
            // businesses survive attacks"), are spoken of in general: no fact.
            if let general = classified, general.trigger.hasSuffix("s"), KindClassifier.isNoun(general.trigger),
               KindClassifier.isNoun(String(general.trigger.dropLast())), found[index].isEmpty {
                classified = nil
            }
            // An act asked after right behind a verb of saying ("Betts wouldn't say how much was
            // paid in ransom", "did not say whether it paid") is what the remark leaves open: the
            // sentence is the remark.
            if let event = classified, !event.kind.isSpoken, let frame = kinds.firstStatement(in: sentence.tokens),
               frame < event.triggerIndex, frame + 1 < sentence.tokens.count, Self.questionWords.contains(sentence.tokens[frame + 1].lower) {
                classified = (.statement, sentence.tokens[frame].lower, frame)
            }
            // So is an act in the "-ing" form opening a sentence with no date and no verb of
            // saying ("Paying a sanctioned group can expose a company to penalties").
            if classified != nil, found[index].isEmpty, kinds.firstStatement(in: sentence.tokens) == nil,
               let opening = sentence.tokens.firstIndex(where: \.isWord), sentence.tokens[opening].lower.hasSuffix("ing"),
               kinds.firstEventWord(in: sentence.tokens, after: opening - 1) == opening {
                classified = nil
            }
            // "CNA paid hackers $40 million in late March, Bloomberg News reported": an attribution
            // after the act says who told it. The act, dated by the words before the attribution,
            // is the sentence's fact; the attribution is a fact of its own (below).
            var attribution: (kind: FactKind, trigger: String, triggerIndex: Int)?
            // An attribution with a date of its own after its verb (", the White House said on
            // Friday") was made that day: the words from its comma on are its own, and their
            // dates are not the act's.
            var datedAttributionStart: Int?
            func attributionStart(_ trigger: Int) -> Int {
                (sentence.tokens[..<trigger].lastIndex { $0.text == "," } ?? trigger - 1) + 1
            }
            var frameFollowsAct = false
            /// Whether `event` is an act of speech other than plain saying, which a verb of saying
            /// after it can tell of.
            func isToldSpeechAct(_ event: (kind: FactKind, trigger: String, triggerIndex: Int)) -> Bool {
                event.kind.isSpeechAct && event.kind != .statement && kinds.firstStatement(in: sentence.tokens, after: event.triggerIndex) != nil
            }
            // A meeting told with who told of it and when ("Putin and Erdoğan discussed Ukraine in
            // a phone call, the Kremlin said on Tuesday"): the telling is a fact of its own on its
            // day, and the meeting, which nothing else dates, keeps being dated by it.
            var meetingAttribution: (trigger: Int, start: Int)?
            if let speech = classified, speech.kind.isSpeechAct,
               Self.isTrailingAttribution(sentence.tokens, at: speech.triggerIndex),
               let act = kinds.firstEventAct(in: sentence.tokens, from: 0, to: speech.triggerIndex) {
                let datedBefore = resolved[index].contains { $0.found.tokens.upperBound <= speech.triggerIndex }
                let datedAfter = resolved[index].contains { $0.found.tokens.lowerBound > speech.triggerIndex }
                if datedAfter && !datedBefore {
                    // "CNA paid $40 million, Bloomberg reported on Thursday": the report, on its
                    // day, tells of the act, a fact of its own done by then (below).
                    frameFollowsAct = true
                } else {
                    attribution = speech
                    classified = (act.kind, act.trigger, act.index)
                    if datedAfter { datedAttributionStart = attributionStart(speech.triggerIndex) }
                }
            }
            // A meeting told in a relative clause set off by commas ("Biden, who met Putin on
            // Wednesday, said the talks were good") is an aside of the remark the sentence is.
            if let event = classified, event.kind == .talks || event.kind == .summit,
               let open = sentence.tokens[..<event.triggerIndex].lastIndex(where: { $0.text == "," }),
               open + 1 < sentence.tokens.count, ["who", "which"].contains(sentence.tokens[open + 1].lower),
               let close = sentence.tokens[event.triggerIndex...].firstIndex(where: { $0.text == "," }),
               let frame = kinds.firstStatement(in: sentence.tokens, after: close), frame == close + 1 || frame == close + 2 {
                classified = (.statement, sentence.tokens[frame].lower, frame)
            }
            // "JBS said on Wednesday it had paid …": a date between the verb of saying and the act
            // dates the saying, so the sentence is the remark, and the act (below) is told in it.
            // So does a date that leads up to the verb of saying with no event between ("In a
            // statement on Monday, the company said it paid"), and a date after a verb of saying
            // that follows the act ("The company paid the hackers, its chief executive said on Wednesday").
            // So is a meeting told after the verb of saying with a date of its own after it ("The
            // White House said on Tuesday that Biden would meet Putin in Geneva on June 16").
            // And so does a request, a denial or an accusation told before a verb of saying with the
            // only date after it ("Hackers demanded a $70 million ransom, the company said on Sunday").
            if let event = classified, !event.kind.isSpoken || isToldSpeechAct(event)
                || (event.kind == .talks || event.kind == .summit) && resolved[index].contains(where: { $0.found.tokens.lowerBound > event.triggerIndex }) {
                // The first act told after the verb of saying, which need not be the one that gave
                // the kind ("said on Monday it had recovered the ransom paid by Colonial").
                if let frame = kinds.firstStatement(in: sentence.tokens), frame < event.triggerIndex,
                   case let act = min(event.triggerIndex, kinds.firstEventWord(in: sentence.tokens, after: frame) ?? event.triggerIndex),
                   resolved[index].contains(where: { $0.found.tokens.lowerBound > frame && $0.found.tokens.upperBound <= act })
                       || (!resolved[index].isEmpty && resolved[index].allSatisfy { date in
                           // A day or a span the saying took place in; "By June 3, JBS said all its
                           // plants were running" tells when the plants ran, not when JBS spoke.
                           if case .point = date.found.shape {} else if case .interval = date.found.shape {} else { return false }
                           return date.found.tokens.upperBound <= frame
                               && (kinds.firstEventWord(in: sentence.tokens, after: date.found.tokens.upperBound - 1).map { $0 >= act } ?? true)
                       }) {
                    classified = (.statement, sentence.tokens[frame].lower, frame)
                } else if !event.kind.isSpoken || isToldSpeechAct(event), let frame = kinds.firstStatement(in: sentence.tokens, after: event.triggerIndex), !resolved[index].isEmpty,
                          resolved[index].allSatisfy({ $0.found.tokens.lowerBound > frame }) {
                    classified = (.statement, sentence.tokens[frame].lower, frame)
                    frameFollowsAct = true
                }
            }
            // "Biden and Putin will meet on June 16, the White House said on Friday": the event at
            // its date, and the remark, a fact of its own, at its own.
            if attribution == nil, resolved[index].count > 1, let event = classified, !event.kind.isSpeechAct,
               let frame = kinds.firstStatement(in: sentence.tokens, after: event.triggerIndex), Self.isTrailingAttribution(sentence.tokens, at: frame),
               resolved[index].contains(where: { $0.found.tokens.upperBound <= frame }),
               resolved[index].contains(where: { $0.found.tokens.lowerBound > frame }) {
                attribution = (.statement, sentence.tokens[frame].lower, frame)
                datedAttributionStart = attributionStart(frame)
            }
            if attribution == nil, let event = classified, event.kind == .talks || event.kind == .summit,
               let frame = kinds.firstStatement(in: sentence.tokens, after: event.triggerIndex), Self.isTrailingAttribution(sentence.tokens, at: frame),
               resolved[index].contains(where: { $0.found.tokens.lowerBound > frame }) {
                meetingAttribution = (frame, attributionStart(frame))
            }
            // A sentence that gives a day for what it tells but has no word of the vocabulary
            // ("Colonial began to restart the pipeline on May 12") still reports something done
            // that day: an act of no known kind, for the reviewer to name. A month or a year
            // alone is more often background ("powers Congress granted in 2014").
            /// That act, for the words `range` of the sentence: the first day they give.
            func actOfNoKnownKind(in range: Range<Int>) -> (kind: FactKind, trigger: String, triggerIndex: Int)? {
                guard range.count >= 6, let day = resolved[index].first(where: { date in
                    guard range.contains(date.found.tokens.lowerBound) else { return false }
                    switch date.when {
                    case .point(let day): return day.isDay
                    case let .interval(from?, to?): return from.isDay && to.isDay && to.daysSinceEpoch - from.daysSinceEpoch <= 2
                    case .interval: return false
                    }
                }) else { return nil }
                return (.other, "REVIEW: no word of the vocabulary; the day it gives", day.found.tokens.lowerBound - range.lowerBound)
            }
            if classified == nil { classified = actOfNoKnownKind(in: sentence.tokens.indices) }
            guard let classified else { previousKind = nil; continue }
            previousKind = (classified.kind, sentence.paragraph)
            // (A verb of saying is looked for only where a quotation could go on from it.)
            if classified.kind.isSpoken || paragraphOpensQuotation[sentence.paragraph + 1] == true && kinds.firstStatement(in: sentence.tokens) != nil {
                remarkParagraph = sentence.paragraph
            }
            guard quoteText(sentence.text) != nil else { continue }

            /// The actors `tokens` name as the ones speaking.
            func speakers(in tokens: [DraftToken], kind: FactKind, trigger: Int) -> Set<Int> {
                Set(Self.roles(for: actors.find(in: tokens, skipping: []), kind: kind, trigger: trigger, tokens: tokens)
                    .filter { $0.role == .speaker }.map(\.actor))
            }

            /// The date of a fact drafted from `tokens` (the sentence, or one clause of it) and
            /// how it was found; nil when nothing can date it.
            func dating(_ tokens: [DraftToken], _ dated: [(found: FoundDate, when: DraftWhen)], kind: FactKind, trigger: Int,
                        quantities: [DraftQuantity], earlier: DraftDay?, joinedByAnd: Bool,
                        asides: [Range<Int>], isSpeakersDate: (FoundDate) -> Bool) -> (when: DraftWhen, said: String?, note: String, sure: String)? {
                // Of several dates, the one nearest the word that gave the kind is its date: in
                // "since Biden took office in January; they had spoken by phone in February", the call's.
                // A date in the possessive is the date of the noun after it: of the subject that
                // acts ("Thursday's attack crippled the network"), or of the word that gave the
                // kind, but not of something the act is done to ("meddled in last year's election").
                // Nor of a noun in a phrase the act is compared with or set beside ("continued
                // running Saturday as they did during Friday's cyberattack"): only the subject's,
                // opening the sentence, or the word that gave the kind's, right after it.
                let dated = dated.filter { candidate in
                    let last = candidate.found.tokens.upperBound - 1
                    guard tokens[last].isPossessive else { return true }
                    guard candidate.found.tokens.upperBound <= trigger else { return false }
                    let opensSentence = tokens[..<candidate.found.tokens.lowerBound].allSatisfy { !$0.isWord || ["the", "a", "an", "last", "this"].contains($0.lower) }
                    return opensSentence || trigger - candidate.found.tokens.upperBound <= 2
                }
                // A month or year the sentence narrows ("twice this year, in February and
                // September") is not the event's date when a date within it is there. (Compared
                // pairwise: a sentence drafted has at most DraftText.maximumSentenceTokens tokens.)
                let narrowest = dated.filter { candidate in !dated.contains { candidate.when.isCoarserThan($0.when) } }
                let nearest = narrowest.min { distance($0.found.tokens, from: trigger, in: tokens) < distance($1.found.tokens, from: trigger, in: tokens) }
                // A speech act, or an agreement, is not made after the article reporting it: a later
                // date it names ("will send written answers next week", "agreed to hold talks next
                // month") is what it speaks of, not when it was said;
                // so is a date after its verb that something is looked for by or told as yet to
                // come ("said it expected to restore the servers by Tuesday").
                let saidAhead = (kind.isSpeechAct || kind == .agreement) && nearest.map { first in
                    if first.found.tokens.lowerBound > trigger {
                        if case .by = first.found.shape { return true }
                        if dates.isFuture(Array(tokens[trigger..<first.found.tokens.lowerBound]), before: first.found.tokens.lowerBound - trigger) { return true }
                    }
                    // Its start, or the end of what held "by" a date.
                    guard let published = publication.day, published.isDay, let start = first.when.start ?? first.when.end else { return false }
                    return start.daysSinceEpoch > published.daysSinceEpoch
                } == true
                if let first = nearest, !saidAhead {
                    var when = first.when
                    let said = wordsOf(tokens, first.found.tokens)
                    var note = "date from \"\(said)\""
                    var sure = "high"
                    if first.found.isRelative, let speakersDay, isSpeakersDate(first.found) {
                        note += ", in a quotation: counted from the day of the story, \(speakersDay.edtf)"
                        sure = "medium"
                    } else if first.found.isRelative {
                        note += ", counted from the publication date"
                        sure = publication.isGuessed ? "low" : "medium"
                    }
                    // "a six-day outage" from a known start: the days it ran. "Two days later" is
                    // not how long anything lasted, but "for six days after the attack" is.
                    let lasting = quantities.first { quantity in
                        quantity.days != nil && !quantity.approximate
                            && (!(quantity.tokens.upperBound < tokens.count && offsetWords.contains(tokens[quantity.tokens.upperBound].lower))
                                || quantity.tokens.lowerBound > 0 && tokens[quantity.tokens.lowerBound - 1].lower == "for")
                    }
                    // "shut for five days until May 12": the days up to that day.
                    if case .by = first.found.shape, case .interval(nil, let end?) = when, end.isDay, end.qualifier.isEmpty,
                       let lasting, lasting.tokens.upperBound <= first.found.tokens.lowerBound, let days = lasting.days, days > 1, days <= 366 {
                        when = .interval(end.adding(days: -(days - 1)), end)
                        note += ", for the days it lasted"
                    }
                    if case .point(let day) = when, day.isDay, day.qualifier.isEmpty, let lasting, let days = lasting.days, days > 1, days <= 366 {
                        // Told before a date it ran until ("a five-day outage … before it restarted on
                        // May 12"), the date is its end, and the event before it, if it fits, its start.
                        // So is one told after the date, as what came before it: "restarted on May 12
                        // after a six-day shutdown".
                        let endsAtDate = lasting.tokens.upperBound <= first.found.tokens.lowerBound
                            ? tokens[lasting.tokens.upperBound..<first.found.tokens.lowerBound].contains { untilWords.contains($0.lower) }
                            : tokens[first.found.tokens.upperBound..<lasting.tokens.lowerBound].contains { $0.lower == "after" }
                        if endsAtDate {
                            var start = day.adding(days: -(days - 1))
                            if let previous = lastEvent?.when.start, previous.isDay,
                               (day.daysSinceEpoch - Int64(days)...day.daysSinceEpoch - 1).contains(previous.daysSinceEpoch) {
                                start = previous.unqualified
                            }
                            when = .interval(start, day)
                        } else {
                            when = .interval(day, day.adding(days: days - 1))
                        }
                        note += ", for the days it lasted"
                    }
                    return (when, said.count <= 200 ? said : nil, note, sure)
                }
                // The event just told: one dated earlier in the sentence, else in this paragraph or the one before.
                let told = earlier ?? lastEvent.flatMap { $0.paragraph >= sentence.paragraph - 1 ? $0.when.start : nil }
                // "Two days later", "the next day": counted from the event just told, when it gave a day.
                if let told, told.isDay, let (days, words) = firstMatch(tokens, daysAfter) {
                    let said = wordsOf(tokens, words)
                    // "The call came a week after the attack": what is told after "after" (or
                    // "before") is the day the event before it is counted from, so it lies the other way.
                    let countedFromIt = trigger >= words.upperBound && ["after", "before"].contains(tokens[words.upperBound - 1].lower)
                    return (.point(told.unqualified.adding(days: countedFromIt ? -days : days)), said,
                            "date from \"\(said)\", counted from the event before it, \(told.unqualified.edtf)\(countedFromIt ? ", which came that long after it" : "")", "medium")
                }
                // "later that week": within the week (month, year) of the event just told.
                if let told, let (period, words) = firstMatch(tokens, thatPeriod), let when = told.unqualified.within(period.0, period.1) {
                    let said = wordsOf(tokens, words)
                    return (when, said, "date from \"\(said)\", counted from the event before it, \(told.unqualified.edtf)", "medium")
                }
                // "spoke to Putin on Tuesday and proposed a summit": a second act, told in the same
                // breath with no words of when ("later that week" above), happened at the time of the first.
                if joinedByAnd, let earlier {
                    return (.point(earlier), nil, "no date of its own: a second act joined by \"and\" to one dated before it", "medium")
                }
                // "shortly after the attack" says more of when than "at the time" beside it.
                if let told, contains(tokens, sameTime), !contains(tokens, sinceThen) {
                    return (.point(told), nil, "no date of its own: told as happening with the event before it", "medium")
                }
                guard let published = publication.day else { return nil }
                // What comes after an event runs from it to the publication; an event told as yet
                // to come ("will meet on Monday") starts nothing that is already reported.
                let recent = told.flatMap { $0.isNotAfter(published) ? $0 : nil }
                let previous = lastEvent?.when.start.flatMap { $0.isNotAfter(published) ? $0 : nil }
                if let start = previous, starts(tokens, with: sequels) {
                    return (.interval(start.unqualified, published), nil, "no date of its own: after the event before it, by the publication date", "low")
                }
                if let start = previous, contains(tokens, sinceThen) {
                    return (.interval(start.unqualified, published), nil, "no date of its own: since the event before it, by the publication date", "low")
                }
                if isPerfect(tokens, auxiliaries: perfect, kind: kind, statement: kinds, skipping: asides) {
                    // What an attack told just before brought about ("production had been halted",
                    // "a ransom had been paid") was done after it.
                    if [.shutdown, .ransomPayment, .dataTheft].contains(kind), let recent, earlier == nil,
                       let attack = lastEvent, attack.kind == .attack, attack.paragraph >= sentence.paragraph - 1 {
                        return (.interval(recent.unqualified, published), nil, "REVIEW: told as already done, with no date; after the attack before it, by the publication date", "low")
                    }
                    return (.interval(nil, published), nil, "REVIEW: told as already done, with no date; bounded by the publication date", "low")
                }
                // A report or an accusation about an event told before it ("an attack attributed
                // to a group", "Bloomberg later reported that the company paid") came after that
                // event, by the time of writing. One whose words name no event ("According to the
                // President, these efforts can strengthen the region") is a remark like any other.
                if kind == .report || kind == .accusation, let recent, kinds.firstEventWord(in: tokens, after: -1) != nil {
                    return (.interval(recent.unqualified, published), nil, "REVIEW: no date of its own; about the event before it, by the publication date", "low")
                }
                // "He said …", or the same speaker named again ("“…,” Biden said"), right after a
                // remark dated by its own words goes on with it.
                if kind.isSpoken, let remark = lastDatedRemark, remark.sentence == index - 1,
                   tokens.first.map({ pronouns.contains($0.lower) }) == true || !remark.speakers.isDisjoint(with: speakers(in: tokens, kind: kind, trigger: trigger)) {
                    return (remark.when, nil, "no date of its own: the speaker of the sentence before, going on, \(remark.when.edtf)", "medium")
                }
                // A remark in the present tense ("The university says it paid", "They also say
                // most services are operating") is made as the text is written: the publication's day.
                if kind == .statement, trigger < tokens.count, presentSaying.contains(tokens[trigger].lower),
                   trigger == 0 || !notPresentAfter.contains(tokens[trigger - 1].lower), published.isDay {
                    return (.point(published), nil, "no date of its own: said in the present tense, as of the publication, \(published.edtf)", "medium")
                }
                if kind.isSpoken, let storyWhen {
                    return (storyWhen, nil, "no date of its own: taken as said at the time of the story, \(storyWhen.edtf)", "medium")
                }
                // A plain remark is not told as following the event before it: "CNA said in a
                // statement it had followed all laws" after a paragraph on sanctions of 2019.
                if let recent, kind != .statement {
                    return (.interval(recent.unqualified, published), nil, "REVIEW: no date of its own; after the event before it, by the publication date", "low")
                }
                return (.interval(nil, published), nil, "REVIEW: the text gives no date; bounded by the publication date", "low")
            }

            /// Drafts one fact from `tokens`, quoting `quote`; returns its date, or nil when nothing dates it.
            @discardableResult
            func draftFact(_ tokens: [DraftToken], quote: String, kind: FactKind, trigger: String, triggerIndex: Int, origin: String,
                           earlier: DraftDay? = nil, joinedByAnd: Bool = false, fixedDate: (when: DraftWhen, note: String, sure: String)? = nil,
                           asides: [Range<Int>] = [], keep: (DraftWhen) -> Bool = { _ in true }) -> DraftWhen? {
                // "Today" in a quotation is the speaker's day, not the day of publication: counted
                // from the day of the story, when the remarks were made ("“… rendered our system
                // inoperable today,” Riel said"), else left out. A date in an aside ("the attack,
                // which began on May 7, was …") is the aside's, not the fact's.
                let quoted = DraftText.quotedTokens(tokens)
                func isSpeakers(_ date: FoundDate) -> Bool { date.isRelative && date.tokens.allSatisfy { quoted[$0] } }
                // The remark itself is made on the speaker's day, whatever day its quotation names.
                let foundDates = dates.find(in: tokens).filter { date in
                    (speakersDay != nil && !kind.isSpoken || !isSpeakers(date))
                        && !asides.contains { $0.contains(date.tokens.lowerBound) && $0.contains(date.tokens.upperBound - 1) }
                }
                let anchor = DateAnchor(published: publication.day, nearbyYear: nearbyYears[index], future: dates.isFuture(tokens, before: foundDates.first?.tokens.lowerBound ?? tokens.count))
                let speakersAnchor = DateAnchor(published: speakersDay, nearbyYear: anchor.nearbyYear, future: anchor.future)
                // An act told between a count of days and its date is of the date itself.
                let dated = foundDates.map { date in date.counted != nil && date.tokens.contains(triggerIndex) ? date.uncounted : date }
                    .compactMap { date in (isSpeakers(date) ? speakersAnchor : anchor).resolve(date).map { (found: date, when: $0) } }
                let dateTokens = Set(foundDates.flatMap(\.wordsOfTime))
                let factQuantities = quantities.find(in: tokens, skipping: dateTokens)
                    .filter { ValidQuantityName.isValid($0.name) && $0.unit.count <= 40 }
                guard var date = fixedDate.map({ (when: $0.when, said: String?.none, note: $0.note, sure: $0.sure) })
                        ?? dating(tokens, dated, kind: kind, trigger: triggerIndex, quantities: factQuantities, earlier: earlier, joinedByAnd: joinedByAnd,
                                  asides: asides, isSpeakersDate: isSpeakers)
                else { return nil }
                // A date ingestion would refuse — an interval the text gives backwards ("from May 12
                // to May 7", "since 2030" in an article of 2021) — is left to the reviewer.
                if (try? ValidTime(parsing: date.when.edtf)) == nil {
                    guard let published = publication.day else { return nil }
                    date = (.interval(nil, published), nil, "REVIEW: the dates the text gives make no valid date; bounded by the publication date", "low")
                }
                // "After the event, by the publication" when both fall on one day is that day.
                if case let .interval(from?, to?) = date.when, from == to { date.when = .point(from) }
                guard keep(date.when) else { return nil }
                let named = actors.find(in: tokens, skipping: dateTokens)
                let involvement = roles(for: named, kind: kind, trigger: triggerIndex, tokens: tokens)
                let note = "line \(sentence.line)\(origin); \(kind.rawValue) from \"\(trigger)\"; \(date.note); sure: \(date.sure)"
                facts.append(DraftFact(id: factID(article: articleID, number: facts.count + 1), kind: kind, when: date.when, said: date.said,
                                       summary: summaryText(quote), actors: involvement, quantities: factQuantities, quote: quote, note: note))
                // "They spoke by phone in February and September": told of two dates joined by
                // "and", it happened twice — a fact on each.
                if let said = date.said, let used = dated.firstIndex(where: { wordsOf(tokens, $0.found.tokens) == said }), used + 1 < dated.count {
                    let next = dated[used + 1]
                    let between = tokens[dated[used].found.tokens.upperBound..<next.found.tokens.lowerBound]
                    if between.contains(where: { $0.lower == "and" }), between.allSatisfy({ ["and", "again", "then", ","].contains($0.lower) }), keep(next.when) {
                        let nextSaid = wordsOf(tokens, next.found.tokens)
                        let nextNote = "line \(sentence.line)\(origin); \(kind.rawValue) from \"\(trigger)\"; date from \"\(nextSaid)\", the second of two dates joined by \"and\"; sure: medium"
                        facts.append(DraftFact(id: factID(article: articleID, number: facts.count + 1), kind: kind, when: next.when, said: nextSaid,
                                               summary: summaryText(quote), actors: involvement, quantities: factQuantities, quote: quote, note: nextNote))
                    }
                }
                // An event its words date, in a calendar or from the event before ("two days later"),
                // is what the next ones count from.
                if !dated.isEmpty || date.said != nil, !kind.isSpeechAct { lastEvent = (date.when, sentence.paragraph, kind) }
                if !dated.isEmpty, kind.isSpoken, date.said != nil {
                    lastDatedRemark = (date.when, index, Set(involvement.filter { $0.role == .speaker }.map(\.actor)))
                }
                return date.when
            }

            let sentenceFact = facts.count
            // An aside's date is not the sentence's; an event the sentence tells after it
            // ("Colonial, which shut down on May 7, paid …") happened after the aside's day.
            // Except one that describes the event the sentence names by a noun and tells no act of
            // another kind: "the attack, which began on July 2, was carried out by REvil" dates the attack.
            let asides = Self.relativeAsides(in: sentence.tokens, around: classified.triggerIndex, actAt: kinds.reportsAnAct).filter { aside in
                guard KindClassifier.isNoun(classified.trigger), aside.lowerBound == classified.triggerIndex + classified.trigger.split(separator: " ").count + 1 else { return true }
                return kinds.classify(Array(sentence.tokens[aside])).map { $0.kind != classified.kind } ?? false
            }
            let asideDay = classified.kind.isSpoken ? nil : resolved[index].last { date in
                date.found.tokens.upperBound <= classified.triggerIndex && asides.contains { $0.contains(date.found.tokens.lowerBound) }
            }?.when.start?.unqualified
            // A remark that names an event with its date and tells of no act by a verb ("Russia has
            // denied involvement in the May 7 attack"): the date is the event's, a fact of its own
            // (below), and the remark is dated as one without a date of its own.
            // So does a report, a denial or the like whose subject names an event with its date
            // ("The attack on Dec. 13 was disclosed last week"); not a plain verb of saying, whose
            // subject is the one speaking ("The attack in May had raised the stakes").
            let toldByRemark = min(classified.triggerIndex + 1, sentenceClauses[0].upperBound)..<sentenceClauses[0].upperBound
            let remarkSubject = 0..<(classified.kind == .statement ? 0 : min(classified.triggerIndex, sentenceClauses[0].upperBound))
            let namedEvent: (event: (index: Int, kind: FactKind, trigger: String, date: Range<Int>), words: Range<Int>)? =
                classified.kind.isSpeechAct && !frameFollowsAct && attribution == nil
                && kinds.firstEventAct(in: sentence.tokens, from: toldByRemark.lowerBound, to: toldByRemark.upperBound) == nil
                ? [toldByRemark, remarkSubject].lazy.compactMap { words in
                    kinds.namedEventWithDate(in: sentence.tokens, from: words.lowerBound, to: words.upperBound, dates: found[index]).map { ($0, words) }
                }.first
                : nil
            // A date in a later clause that is a fact of another kind is that fact's, not this one's:
            // "said it would pay the ransom, which hackers demanded on Friday".
            let otherClausesDates = sentenceClauses.dropFirst().filter { clause in
                kinds.classify(Array(sentence.tokens[clause])).map { $0.kind != classified.kind } ?? false
            }.flatMap { clause in found[index].map(\.tokens).filter { clause.contains($0.lowerBound) } }
            guard let quote = quoteText(sentence.text),
                  let sentenceWhen = draftFact(sentence.tokens, quote: quote, kind: classified.kind, trigger: classified.trigger,
                                               triggerIndex: classified.triggerIndex, origin: "", earlier: asideDay,
                                               fixedDate: goesOnAcrossParagraphs ? quotationDay.map {
                                                   ($0, "a quotation going on from the paragraph before, whose relative words count from the publication date, \($0.edtf)", "medium")
                                               } : nil,
                                               asides: asides + (namedEvent.map { [$0.event.date] } ?? []) + otherClausesDates
                                                   + (datedAttributionStart.map { [$0..<sentence.tokens.count] } ?? []))
            else { continue }
            // A clause that reports something else, or at another time, is a fact of its own:
            // "…, while the United States had requested information, Moscow had asked …".
            var drafted: [(kind: FactKind, when: DraftWhen)] = [(classified.kind, sentenceWhen)]
            var draftedClauses: [Range<Int>] = []
            // Both quote the whole sentence, as a remark and the act it tells of do (below).
            // Its date is the one the remark names it with, not the remark's own beside it ("said
            // on Wednesday the attack began on May 6").
            if let (event, words) = namedEvent {
                let otherDates = found[index].map(\.tokens).filter { $0 != event.date && words.contains($0.lowerBound) }
                draftFact(Array(sentence.tokens[words]), quote: quote, kind: event.kind, trigger: event.trigger,
                          triggerIndex: event.index - words.lowerBound, origin: ", the event the remark names",
                          asides: otherDates.map { ($0.lowerBound - words.lowerBound)..<($0.upperBound - words.lowerBound) })
            }
            // So is an aside that reports an event: "the pipeline, which shut down on May 7, …"
            // (unless it opens a clause, drafted below).
            for aside in asides where !sentenceClauses.contains(where: { $0.lowerBound == aside.lowerBound }) {
                let tokens = Array(sentence.tokens[aside])
                guard let asideKind = kinds.classify(tokens), !KindClassifier.isNoun(asideKind.trigger),
                      let asideQuote = quoteText(textOf(tokens)) else { continue }
                let when = draftFact(tokens, quote: asideQuote, kind: asideKind.kind, trigger: asideKind.trigger,
                                     triggerIndex: asideKind.triggerIndex, origin: ", an aside") { when in
                    !(drafted[0].kind == asideKind.kind && drafted[0].when == when)
                }
                if let when { drafted.append((asideKind.kind, when)) }
            }
            for clause in sentenceClauses.dropFirst() {
                let tokens = Array(sentence.tokens[clause])
                // The quote leaves out the "and" that joins the clause on. A clause with a day of
                // its own tells an act of its own, of a known kind or not: "Antonov returned on
                // June 20, and Sullivan arrived back in Moscow on June 24", and so does a relative
                // clause with a subject of its own ("hackers sent them a decryption key, which they
                // started using over the weekend"); one without ("the attack, which began on May
                // 7") describes something of the sentence's.
                let opensRelative = Self.relativeWords.contains(sentence.tokens[clause.lowerBound].lower)
                let hasItsOwnSubject = clause.count > 1 && (subjectPronouns.contains(tokens[1].lower) || tokens[1].isCapitalized && tokens[1].isWord)
                guard let clauseKind = kinds.classify(tokens) ?? (opensRelative && !hasItsOwnSubject ? nil : actOfNoKnownKind(in: clause)),
                      let clauseQuote = quoteText(textOf(tokens.first?.lower == "and" ? Array(tokens.dropFirst()) : tokens)) else { continue }
                // After a remark, a clause that only names an event ("…, but details would be
                // decided as negotiations develop") goes on with what was said; so does one that
                // ends by saying who told it ("…, but would not resume shipments until the
                // ransomware was removed, according to the person"): the source of the remark.
                if classified.kind.isSpeechAct, KindClassifier.isNoun(clauseKind.trigger) { continue }
                if classified.kind.isSpeechAct, clauseKind.kind == .report, Self.isTrailingAttribution(tokens, at: clauseKind.triggerIndex) { continue }
                // A date told earlier in the sentence ("a cyber-attack in May …, an attack attributed
                // to a group") is the event the clause goes on from: the date itself, not the days
                // counted from it ("came two days after Biden spoke to Putin on Tuesday and proposed a summit").
                let before = resolved[index].last { $0.found.tokens.upperBound <= clause.lowerBound }
                var earlier = (before?.found.counted == nil ? before?.when : before.flatMap { anchor(index).resolve($0.found.uncounted) })?.start?.unqualified
                var joinedByAnd = sentence.tokens[clause.lowerBound].lower == "and" && kinds.reportsAnAct(sentence.tokens, at: clause.lowerBound + 1)
                // "Zakharova said a response was inevitable, and the ministry summoned the
                // ambassador": a second subject's act told in the same breath, with no date of
                // its own, happened on the day of the first clause.
                if !joinedByAnd, isSecondSubjectAct(sentence.tokens, clauseStart: clause.lowerBound, actAt: kinds.reportsAnAct) {
                    if earlier == nil, case .point(let day) = sentenceWhen, day.isDay { earlier = day.unqualified }
                    joinedByAnd = earlier != nil
                }
                let when = draftFact(tokens, quote: clauseQuote, kind: clauseKind.kind, trigger: clauseKind.trigger,
                                     triggerIndex: clauseKind.triggerIndex, origin: ", a clause", earlier: earlier, joinedByAnd: joinedByAnd) { when in
                    !(drafted[0].kind == clauseKind.kind && drafted[0].when == when)
                }
                if let when {
                    drafted.append((clauseKind.kind, when))
                    draftedClauses.append(clause)
                }
            }
            // What a remark tells of, an act by its verb ("Bloomberg reported that the company
            // transferred about $5 million"), is a fact of its own, dated by the words that tell it;
            // a date right after the remark's verb ("said on Wednesday it had paid") is the remark's.
            // The words that tell what was said: before a verb of saying that follows the act, else
            // after the verb up to the end of the first clause (none when the verb lies beyond it).
            let (toldStart, toldEnd) = frameFollowsAct ? (0, classified.triggerIndex) : (classified.triggerIndex + 1, sentenceClauses[0].upperBound)
            // A text with no day of its story bounds a remark without a date of its own by the
            // publication, as any undated fact ("Some researchers said Phoenix was linked to a gang
            // sanctioned in 2019").
            let remarkWhen: (when: DraftWhen, note: String, sure: String)? =
                storyWhen.map { ($0, "the remark, with no date of its own: taken as made at the time of the story, \($0.edtf)", "medium") }
                ?? publication.day.map { (.interval(nil, $0), "REVIEW: the remark, with no date of its own; bounded by the publication date", "low") }
            /// Dates the sentence's remark as one without a date of its own, when the date its
            /// words gave is that of the act drafted beside it.
            func dateAsUndatedRemark(_ remarkWhen: (when: DraftWhen, note: String, sure: String)) {
                facts[sentenceFact].when = remarkWhen.when
                facts[sentenceFact].said = nil
                facts[sentenceFact].note = "line \(sentence.line); \(classified.kind.rawValue) from \"\(classified.trigger)\"; \(remarkWhen.note); sure: \(remarkWhen.sure)"
                if lastDatedRemark?.sentence == index { lastDatedRemark = nil }
            }
            // Not one it only asks after ("wouldn't say how much was paid").
            if classified.kind.isSpeechAct, toldStart < toldEnd, !Self.questionWords.contains(sentence.tokens[toldStart].lower),
               let act = kinds.firstEventAct(in: sentence.tokens, from: toldStart, to: toldEnd)
                   ?? kinds.meetingWithItsDate(in: sentence.tokens, from: toldStart, to: toldEnd, dates: resolved[index].map(\.found))
                   ?? (frameFollowsAct ? kinds.firstSpeechAct(in: sentence.tokens, from: toldStart, to: toldEnd) : nil) {
                let datesBefore = resolved[index].last { $0.found.tokens.upperBound <= act.index }?.found.tokens.upperBound ?? 0
                let contentStart = max(toldStart, datesBefore)
                let content = Array(sentence.tokens[contentStart..<toldEnd])
                let actFact = facts.count
                // Days counted in what was said ("said Saturday that hackers attacked the city a
                // day earlier") count from the day of the remark, when its words give one.
                let remarkDay: DraftDay? = if case .point(let day) = sentenceWhen, day.isDay, firstMatch(content, daysAfter) != nil { day } else { nil }
                // An act of speech told by a later remark ("Hackers demanded a ransom, the company
                // said on Sunday") was made by the day of the remark, not necessarily on it.
                let toldSpeech: (when: DraftWhen, note: String, sure: String)? = if act.kind.isSpeechAct, frameFollowsAct, case .point(let day) = sentenceWhen, day.isDay {
                    (.interval(nil, day), "REVIEW: no date of its own; told by the remark after it, so made by \(day.edtf)", "low")
                } else { nil }
                draftFact(content, quote: quote, kind: act.kind, trigger: act.trigger, triggerIndex: act.index - contentStart,
                          origin: ", what was said", earlier: remarkDay, fixedDate: toldSpeech) { when in !(drafted[0].kind == act.kind && drafted[0].when == when) }
                // Told in a remark of an earlier day, an act with no date of its own was done by then.
                if facts.count > actFact, facts[actFact].said == nil, case .point(let remarkDay) = sentenceWhen, remarkDay.isDay,
                   let published = publication.day, remarkDay.daysSinceEpoch < published.daysSinceEpoch,
                   case let .interval(from, to?) = facts[actFact].when, to.unqualified == published.unqualified {
                    // From the event before it, unless that came after the remark ("FireEye said
                    // last Tuesday it had been hacked", after a paragraph on Saturday's breach).
                    let start = from.flatMap { $0.daysSinceEpoch <= remarkDay.daysSinceEpoch ? $0.unqualified : nil }
                    let when: DraftWhen = start.map { $0 == remarkDay ? .point(remarkDay) : .interval($0, remarkDay) } ?? .interval(nil, remarkDay)
                    facts[actFact].when = when
                    facts[actFact].note = facts[actFact].note.replacing("by the publication date", with: "by the day of the remark, \(remarkDay.edtf)")
                }
                // A remark whose only date comes after the act it tells of ("accused of deploying
                // the ransomware that crippled businesses over the July 4 weekend") was not made
                // then: the date is the act's, and the remark is dated as one without a date.
                if facts.count > actFact, let actSaid = facts[actFact].said, facts[sentenceFact].said == actSaid,
                   resolved[index].contains(where: { wordsOf(sentence.tokens, $0.found.tokens) == actSaid && $0.found.tokens.lowerBound > act.index }),
                   !resolved[index].contains(where: { wordsOf(sentence.tokens, $0.found.tokens) != actSaid }),
                   let remarkWhen {
                    dateAsUndatedRemark(remarkWhen)
                }
            }
            // A remark made at the time of the story about an act at another time is two facts: the
            // act at its own date ("Putin brought up a ransomware attack in May"), or bounded when
            // it has none ("The company said it had paid the ransom"), and the remark at the
            // story's day.
            let remarkFrame: Int? = {
                guard !classified.kind.isSpoken, let remarkWhen, remarkWhen.when != sentenceWhen,
                      let frame = kinds.firstStatement(in: sentence.tokens), frame < classified.triggerIndex,
                      !resolved[index].contains(where: { $0.found.tokens.lowerBound < frame })
                else { return nil }
                guard let said = facts[sentenceFact].said else { return frame }
                // The date is the act's when the act is named before it ("an attack in May"); right
                // after the remark's verb it is the remark's ("told customers on Friday to shut down").
                guard let event = kinds.firstEventWord(in: sentence.tokens, after: frame),
                      resolved[index].contains(where: { wordsOf(sentence.tokens, $0.found.tokens) == said && $0.found.tokens.lowerBound > event })
                else { return nil }
                return frame
            }()
            if let frame = remarkFrame, let remarkWhen {
                draftFact(sentence.tokens, quote: quote, kind: .statement, trigger: sentence.tokens[frame].lower, triggerIndex: frame,
                          origin: ", the remark", fixedDate: remarkWhen)
            }
            // A remark whose quotation tells an act with a day of its own ("“… our UK plant was
            // subject to a ransomware attack … on Friday evening. …,” said the spokesman") is two
            // facts quoting the same words, as a remark and the act it tells of by its own words
            // are: the act on that day, its weekday counted from the day the remarks were made,
            // and the remark on its own day.
            if classified.kind.isSpoken, let run = Self.quotationTellingADay(sentence.tokens, dates: resolved[index].map(\.found),
                                                                           resolvable: { !$0.isRelative || speakersDay != nil },
                                                                           notDone: notDone, isFuture: dates.isFuture) {
                let tokens = Array(sentence.tokens[run])
                let spokenOf = kinds.classify(tokens).flatMap { $0.kind.isSpoken ? nil : $0 } ?? actOfNoKnownKind(in: run).map { act in
                    (kind: act.kind, trigger: act.trigger, triggerIndex: act.triggerIndex)
                }
                let actFact = facts.count
                if let spokenOf {
                    draftFact(tokens, quote: quote, kind: spokenOf.kind, trigger: spokenOf.trigger, triggerIndex: spokenOf.triggerIndex,
                              origin: ", what the quotation tells") { when in !(drafted[0].kind == spokenOf.kind && drafted[0].when == when) }
                }
                // Its date is the act's, not the remark's ("“We were attacked on October 1,” Betts
                // said"), when the sentence names no other: the remark is dated as one without a date.
                let quoted = DraftText.quotedTokens(sentence.tokens)
                if facts.count > actFact, let said = facts[sentenceFact].said, facts[actFact].said == said,
                   resolved[index].allSatisfy({ $0.found.tokens.allSatisfy { quoted[$0] } }), let remarkWhen {
                    dateAsUndatedRemark(remarkWhen)
                }
            }
            // An act told before who told it, with no word of the vocabulary and a date of its own
            // ("The network came back online on Friday, officials said", "The hackers had been
            // inside the network since March, investigators said"), is a fact at that date, as one
            // with a verb of its kind is, and the attribution is the remark, dated as one without
            // a date of its own: not the act's date. Only when the verb of saying and its speaker
            // close the sentence ("In a statement late on Wednesday, JBS said it paid" is dated by
            // words leading up to the remark), and not an act the words before the date deny,
            // suppose or wish.
            if classified.kind == .statement, facts.count == sentenceFact + 1, resolved[index].count == 1, let remarkWhen,
               let said = facts[sentenceFact].said, case let date = resolved[index][0].found.tokens, wordsOf(sentence.tokens, date) == said,
               !DraftText.quotedTokens(sentence.tokens)[date.lowerBound], case let verb = classified.triggerIndex, date.upperBound <= verb,
               Self.isTrailingAttribution(sentence.tokens, at: verb), sentence.tokens[(verb + 1)...].count(where: \.isWord) <= 5,
               case let told = 0..<attributionStart(verb), told.count >= 6, told.contains(date.upperBound - 1),
               sentence.tokens[..<date.lowerBound].count(where: \.isWord) >= 3,
               !sentence.tokens[..<date.lowerBound].contains(where: { notDone.contains($0.lower) }) {
                let tokens = Array(sentence.tokens[told])
                let act = kinds.classify(tokens).flatMap { $0.kind.isSpoken ? nil : $0 }
                    ?? (.other, "REVIEW: no word of the vocabulary; the date it gives", date.lowerBound)
                draftFact(tokens, quote: quote, kind: act.kind, trigger: act.trigger, triggerIndex: act.triggerIndex, origin: ", what was told")
                if facts.count > sentenceFact + 1 {
                    dateAsUndatedRemark(remarkWhen)
                }
            }
            // An attribution that opens a clause drafted above ("…closed today, and the company
            // hopes to reopen them on Sunday") is that clause's fact already.
            let ownAttribution = attribution.flatMap { found in draftedClauses.contains { $0.contains(found.triggerIndex) } ? nil : found }
            if let attribution = ownAttribution, let start = datedAttributionStart {
                draftFact(Array(sentence.tokens[start...]), quote: quote, kind: attribution.kind, trigger: attribution.trigger,
                          triggerIndex: attribution.triggerIndex - start, origin: ", the attribution")
            } else if let attribution = ownAttribution, let remarkWhen {
                draftFact(sentence.tokens, quote: quote, kind: attribution.kind, trigger: attribution.trigger, triggerIndex: attribution.triggerIndex,
                          origin: ", the attribution", fixedDate: remarkWhen)
            }
            // The telling of a meeting, unless drafted already as the remark that tells it.
            if let meeting = meetingAttribution, !facts[sentenceFact...].contains(where: { $0.kind.isSpeechAct }) {
                draftFact(Array(sentence.tokens[meeting.start...]), quote: quote, kind: .statement, trigger: sentence.tokens[meeting.trigger].lower,
                          triggerIndex: meeting.trigger - meeting.start, origin: ", the attribution")
            }
            // With its other clauses drafted as facts of their own, the sentence's fact quotes its
            // first clause alone, when that holds the words that gave its kind, what they report
            // (not only "He also said that") and the words that dated it.
            let firstClause = sentenceClauses[0]
            if drafted.count > 1, firstClause.contains(classified.triggerIndex),
               sentence.tokens[(classified.triggerIndex + 1)..<firstClause.upperBound].count(where: \.isWord) >= 3,
               let firstQuote = quoteText(textOf(Array(sentence.tokens[firstClause]))),
               facts[sentenceFact].said.map({ firstQuote.contains($0) }) ?? true {
                facts[sentenceFact].quote = firstQuote
                facts[sentenceFact].summary = summaryText(firstQuote)
                // And only what the clause names: an amount or an actor of a later clause is
                // that clause's fact's ("Hackers attacked on May 7, and the company paid $4.4 million").
                let clause = Array(sentence.tokens[firstClause])
                facts[sentenceFact].quantities.removeAll { !firstClause.contains($0.tokens.lowerBound) }
                let clauseDates = Set(dates.find(in: clause).flatMap(\.wordsOfTime))
                facts[sentenceFact].actors = Self.roles(for: actors.find(in: clause, skipping: clauseDates), kind: classified.kind,
                                                        trigger: classified.triggerIndex - firstClause.lowerBound, tokens: clause)
            }
        }
        progress?(article.sentences.count, article.sentences.count)
        let yaml = DraftYAML.write(articleID: articleID, publication: publication, options: options, actors: actors.actors, facts: facts,
                                   tooLongLines: article.tooLongLines)
        // A draft that ingestion would refuse for its size is no draft: say so instead.
        guard yaml.utf8.count <= InputLimits.factFileBytes else {
            throw DraftError(description: "its draft of \(grouped(facts.count)) facts would be \(grouped(yaml.utf8.count)) bytes long; "
                + "\(InputFile.sizeLimit("a fact file", InputLimits.factFileBytes)); split the article")
        }
        return yaml
    }

    // MARK: - The article's metadata

    struct Publication {
        var day: DraftDay?
        var isGuessed: Bool
        /// Where the date's year came from when it is that of an event the text names, later than
        /// any year the text names (see ``knownEvents(in:lexicon:)``).
        var yearSource: String?
        var publisher: String?
        var publisherSource: String
        var title: String?
        var titleSource: String
        var dateSource: String
    }

    private static func publicationDate(options: DraftOptions, article: DraftText, dates: DraftDateReader,
                                        found: [[FoundDate]], explicitYears: [[Int]],
                                        eventYear: (year: Int, reason: String)?) throws(DraftError) -> Publication {
        var publication = Publication(day: nil, isGuessed: false, publisher: nil, publisherSource: "", title: nil, titleSource: "", dateSource: "")
        if let publisher = options.publisher { (publication.publisher, publication.publisherSource) = (publisher, "--publisher") }
        else if let publisher = article.headers["publisher"] { (publication.publisher, publication.publisherSource) = (publisher, "the Source: line") }
        else if let publisher = article.datelinePublisher { (publication.publisher, publication.publisherSource) = (publisher, "the dateline") }
        else if let publisher = article.bylinePublisher { (publication.publisher, publication.publisherSource) = (publisher, "the byline") }
        if let title = options.title { (publication.title, publication.titleSource) = (title, "--title") }
        else if let title = article.title { (publication.title, publication.titleSource) = (title, "the first line") }

        let latestYear = eventYear?.year ?? explicitYears.joined().max()
        // Whether a date without a year was given the year of a known event.
        var tookEventYear = false
        func calendarDay(_ tokens: [DraftToken]) -> DraftDay? {
            for date in dates.find(in: tokens) {
                guard case .point(let spec) = date.shape, case let .calendar(writtenYear, month, day) = spec else { continue }
                guard let year = writtenYear ?? latestYear else { continue }
                let candidate = DraftDay(year: year, month: month ?? 0, day: day ?? 0)
                if candidate.isValid {
                    if writtenYear == nil, eventYear != nil { tookEventYear = true }
                    return candidate
                }
            }
            return nil
        }
        if let text = options.published {
            let value: ValidTime
            do { value = try ValidTime(parsing: text) } catch {
                throw DraftError(description: "--published: \(error.description)", isUsage: true)
            }
            guard case .point(let point) = value.shape else {
                throw DraftError(description: "--published: \(text) is an interval; expected one date such as 2021-06-16", isUsage: true)
            }
            let qualifier = ["", "~", "?", "%"][Int(point.qualifier.rawValue)]
            publication.day = DraftDay(year: point.year, month: point.precision >= .month ? point.month : 0,
                                       day: point.precision >= .day ? point.day : 0, qualifier: qualifier)
            publication.dateSource = "--published"
        } else if let header = article.headers["published"], let day = calendarDay(DraftText.tokens(in: Substring(header))) ?? numericDay(header) {
            publication.day = day
            publication.dateSource = "the Published: line"
        } else if !article.datelineDate.isEmpty, let day = calendarDay(article.datelineDate) {
            publication.day = day
            publication.dateSource = "the dateline"
        } else if !article.bylineDate.isEmpty, let day = calendarDay(article.bylineDate) {
            // "NEW YORK, May 12 (Reuters)" under "May 13, 2021 2:41 AM UTC": the dateline's day is
            // the story's own, the byline's time often the next day in UTC; the byline gives the year.
            if let dateline = Self.datelineDay(article.datelineDate, dates: dates, byline: day) {
                publication.day = dateline
                publication.dateSource = "the dateline, with the byline's year"
            } else {
                publication.day = day
                publication.dateSource = "the byline"
            }
        } else if !article.publishedLine.isEmpty, let day = calendarDay(article.publishedLine) {
            publication.day = day
            publication.dateSource = "the line of its publication date"
        } else {
            // The latest date the text names, at day precision if it names one.
            var latest: DraftDay?
            var latestTookEventYear = false
            for (index, sentenceDates) in found.enumerated() {
                let year = explicitYears[index].last ?? latestYear
                for date in sentenceDates {
                    // A date something has run since ("Since 1866, Ritzau has distributed news")
                    // says only that the text is later.
                    let specs: [FoundDate.Spec]
                    switch date.shape {
                    case .since: specs = []
                    case .point(let spec), .by(let spec), .before(let spec), .after(let spec): specs = [spec]
                    case let .interval(from, to): specs = [from, to]
                    }
                    for case let .calendar(specYear, month, day) in specs {
                        guard let resolvedYear = specYear ?? year else { continue }
                        let candidate = DraftDay(year: resolvedYear, month: month ?? 0, day: day ?? 0)
                        guard candidate.isValid else { continue }
                        if let current = latest {
                            let later = candidate.daysSinceEpoch > current.daysSinceEpoch
                                || (candidate.daysSinceEpoch == current.daysSinceEpoch && candidate.isDay && !current.isDay)
                            if later { (latest, latestTookEventYear) = (candidate, specYear == nil && explicitYears[index].isEmpty && eventYear != nil) }
                        } else {
                            (latest, latestTookEventYear) = (candidate, specYear == nil && explicitYears[index].isEmpty && eventYear != nil)
                        }
                    }
                }
            }
            // Not before the year of its copyright line. (A year of a known event only fills in
            // dates that have none: a date with its year is the text's own.)
            var isCopyrightYear = false
            if let eventYear, eventYear.year == article.copyrightYear, latest.map({ $0.year < eventYear.year }) ?? true {
                (latest, latestTookEventYear, isCopyrightYear) = (DraftDay(year: eventYear.year), true, true)
            }
            guard let latest else {
                let names = eventYear != nil ? "names no date"
                    : explicitYears.joined().isEmpty ? "names no year, nor an event whose year is known"
                    : "names no date but those things have run since, nor an event whose year is known"
                let why = article.headers["published"] == nil ? "the text has no Published: line and \(names)"
                    : "its Published: line gives no date that can be read for certain (such as 2021-06-16 or June 16, 2021) and the text \(names)"
                throw DraftError(description: "cannot tell when the article was published: \(why); give --published DATE")
            }
            // A wire story, under a dateline ("GENEVA (Reuters) –"), is filed on the day of the
            // latest event it reports. Another story (a site's rewrite, a column) comes later,
            // most often the next day: that day, approximate; a month or a year, approximate.
            if isCopyrightYear {
                publication.day = DraftDay(year: latest.year, qualifier: "~")
                publication.dateSource = "its year, approximate"
            } else if latest.isDay, let today = dates.weekdayCalledToday(in: article.sentences.map(\.tokens)) {
                // "Stores have remained closed today, on Saturday, … hoping to have them re-open on
                // Sunday, July 4": the story is written on that weekday, the one nearest the
                // latest day it names (which may lie ahead of it).
                let back = (latest.weekday - today + 7) % 7
                let offset = back <= 3 ? -back : 7 - back
                publication.day = latest.adding(days: offset)
                publication.dateSource = "the \(DraftDay.weekdayNames[today - 1]) the text calls today, the one nearest the latest day it names"
            } else if article.datelinePublisher != nil {
                publication.day = latest
                publication.dateSource = "the latest date the text names, as a wire story under a dateline is filed that day"
            } else {
                var guessed = latest.isDay ? DraftDay(daysSinceEpoch: latest.daysSinceEpoch + 1) : latest
                guessed.qualifier = "~"
                publication.day = guessed
                publication.dateSource = latest.isDay ? "the day after the latest day the text names, approximate" : "the latest date the text names, approximate"
            }
            publication.isGuessed = true
            tookEventYear = latestTookEventYear
        }
        if tookEventYear, let eventYear {
            let namedYears = explicitYears.joined().max().map { "the latest year the text names is \($0)" } ?? "the text names no year"
            publication.yearSource = "\(namedYears); \(eventYear.year) is \(eventYear.reason)"
        }
        return publication
    }

    /// For each sentence, the latest year of the events with a known year (`[known-events]`), or
    /// of the offices taken (`[known-offices]`), it names; the name as the text writes it, and
    /// why that year; nil when it names none.
    static func knownEvents(in article: DraftText, lexicon: DraftLexicon) -> [(year: Int, name: String, reason: String)?] {
        func named(_ section: String, isOffice: Bool) -> [(year: Int, words: [String], isOffice: Bool)] {
            lexicon.phrases(section).compactMap { entry in Int(entry.key).map { (year: $0, words: entry.words, isOffice: isOffice) } }
        }
        let events = named("known-events", isOffice: false) + named("known-offices", isOffice: true)
        return article.sentences.map { sentence in
            let tokens = sentence.tokens
            var found: (year: Int, name: String, reason: String)?
            for start in tokens.indices {
                for event in events where event.year > (found?.year ?? Int.min) && DraftText.matches(event.words, tokens, at: start) {
                    let name = tokens[start..<(start + event.words.count)].map(\.text).joined(separator: " ")
                    let reason = event.isOffice ? "the year \(name) took office, the latest such year the text tells of"
                        : "the year of \(name), the latest event it names whose year is known"
                    found = (event.year, name, reason)
                }
            }
            return found
        }
    }

    /// The day a dateline's month and day without a year ("NEW YORK, May 12") stand for, given the
    /// byline's day: the same or up to two days before it, in its year or, across New Year, the
    /// year before; nil when the dateline gives no such day.
    static func datelineDay(_ dateline: [DraftToken], dates: DraftDateReader, byline: DraftDay) -> DraftDay? {
        guard byline.isDay, let found = dates.find(in: dateline).first, case .point(.calendar(nil, let month?, let day?)) = found.shape else { return nil }
        for year in [byline.year, byline.year - 1] {
            let candidate = DraftDay(year: year, month: month, day: day)
            guard candidate.isValid else { continue }
            if (0...2).contains(byline.daysSinceEpoch - candidate.daysSinceEpoch) { return candidate }
        }
        return nil
    }

    /// The day of a Published: line's date of day, month and year in numbers whose order the
    /// numbers make plain (`16/06/2021`, `06/16/2021`, `16.06.2021`). `06/07/2021` could be
    /// either: nil.
    static func numericDay(_ text: String) -> DraftDay? {
        let word = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        let parts = word.split(whereSeparator: { $0 == "/" || $0 == "." }).map { Int($0) }
        guard parts.count == 3, let first = parts[0], let second = parts[1], let year = parts[2], (1000...2999).contains(year) else { return nil }
        let (day, month): (Int, Int)
        if first > 12, second <= 12 { (day, month) = (first, second) }
        else if second > 12, first <= 12 { (day, month) = (second, first) }
        else if first == second { (day, month) = (first, first) }
        else { return nil }
        let candidate = DraftDay(year: year, month: month, day: day)
        return candidate.isValid ? candidate : nil
    }

    private static func articleIDFrom(publisher: String?, published: DraftDay?, title: String?) -> String {
        var parts: [String] = []
        if let publisher { parts.append(DraftActorReader.slug(publisher)) }
        if let published { parts.append(published.unqualified.edtf) }
        if let title {
            let words = DraftActorReader.slug(title).split(separator: "-").prefix(6)
            parts.append(words.joined(separator: "-"))
        }
        let id = parts.filter { !$0.isEmpty && $0 != "actor" }.joined(separator: "-")
        return id.isEmpty ? "draft-article" : String(id.prefix(90))
    }

    private static func factID(article: String, number: Int) -> String {
        let suffix = "-f" + (number < 10 ? "0" : "") + String(number)
        return String(article.prefix(100 - suffix.count)) + suffix
    }

    // MARK: - Sentences

    /// The quote: the sentence with its whitespace folded, at most 2,000 characters; nil when it
    /// holds a character a fact file cannot carry.
    private static func quoteText(_ sentence: Substring) -> String? {
        guard !sentence.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" }) else { return nil }
        var quote = foldWhitespace(String(sentence))
        if quote.count > 2000 {
            quote = String(quote.prefix(2000))
            while let last = quote.last, last != " " { quote.removeLast() }
            quote = quote.trimmingBlanks()
        }
        return quote.isEmpty ? nil : quote
    }

    /// The summary: the quote on one line, cut at a word to 200 characters.
    private static func summaryText(_ quote: String) -> String {
        var summary = quote
        if summary.count > 200 {
            summary = String(summary.prefix(199))
            while let last = summary.last, last != " " { summary.removeLast() }
            summary = summary.trimmingBlanks() + "…"
        }
        return summary
    }

    /// Whether the clause at `clauseStart` is ", and" with a subject of a few plain words and
    /// then an act by its verb: "…, and the ministry summoned …".
    static func isSecondSubjectAct(_ tokens: [DraftToken], clauseStart: Int, actAt: (_ tokens: [DraftToken], _ index: Int) -> Bool) -> Bool {
        guard clauseStart > 0, tokens[clauseStart - 1].text == ",", tokens[clauseStart].lower == "and" else { return false }
        let quoted = DraftText.quotedTokens(tokens)
        let end = min(clauseStart + 5, tokens.count)
        guard clauseStart + 2 < end else { return false }
        for act in (clauseStart + 2)..<end {
            let subject = tokens[(clauseStart + 1)..<act]
            guard subject.allSatisfy({ $0.isWord && !relativeWords.contains($0.lower) }), !quoted[act] else { return false }
            if actAt(tokens, act) { return true }
        }
        return false
    }

    /// The words in quotation marks, marks included, that tell of something done on a day they
    /// name: the run of quoted `tokens` holding the first such date of `dates` that is a day
    /// (`resolvable` says whether it can be resolved), with no word of `notDone` and nothing
    /// told as yet to come (`isFuture`) before it. Nil when the quotation names no such day.
    static func quotationTellingADay(_ tokens: [DraftToken], dates: [FoundDate], resolvable: (FoundDate) -> Bool,
                                     notDone: Set<String>, isFuture: ([DraftToken], Int) -> Bool) -> Range<Int>? {
        let quoted = DraftText.quotedTokens(tokens)
        guard let date = dates.first(where: { date in
            guard date.tokens.allSatisfy({ quoted[$0] }), date.counted == nil, resolvable(date),
                  case .point(let spec) = date.shape else { return false }
            switch spec {
            // Not "today": what a quotation tells of today is most often how things stand.
            case .calendar(_, _?, _?), .weekday: return true
            case .days(let days): return days < 0
            default: return false
            }
        }) else { return nil }
        let start = (0..<date.tokens.lowerBound).last { !quoted[$0] }.map { $0 + 1 } ?? 0
        let end = (date.tokens.upperBound..<tokens.count).first { !quoted[$0] } ?? tokens.count
        let before = Array(tokens[start..<date.tokens.lowerBound])
        guard !before.contains(where: { notDone.contains($0.lower) }), !isFuture(before, before.count) else { return nil }
        return start..<end
    }

    /// Whether the words at `trigger` attribute what comes before them, after a comma: ",
    /// Bloomberg News reported", ", according to Reuters", ", the company said".
    static func isTrailingAttribution(_ tokens: [DraftToken], at trigger: Int) -> Bool {
        let quoted = DraftText.quotedTokens(tokens)
        guard trigger >= 2, trigger < tokens.count, !quoted[trigger] else { return false }
        for comma in stride(from: trigger - 1, through: max(1, trigger - 5), by: -1) {
            if tokens[comma].text == "," { return true }
            guard tokens[comma].isWord, !relativeWords.contains(tokens[comma].lower) else { return false }
        }
        return false
    }

    /// Asides inside the clause of the word at `trigger`, not holding it: relative clauses set
    /// off by commas ("the attack, which began on May 7, was carried out by DarkSide": after the
    /// closing comma the clause goes on with its verb; after the trigger, up to the next comma or
    /// the end, whatever follows), and a name's description that tells an
    /// act of its own ("seized $6.1 million from Polyanin, a Russian national charged with
    /// attacks in Texas in 2019").
    static func relativeAsides(in tokens: [DraftToken], around trigger: Int, actAt: (_ tokens: [DraftToken], _ index: Int) -> Bool) -> [Range<Int>] {
        let quoted = DraftText.quotedTokens(tokens)
        var asides: [Range<Int>] = []
        var index = 1
        while index < tokens.count {
            defer { index += 1 }
            // ", a Russian national charged with …" after a name, up to the next comma or the end.
            if index >= 2, !quoted[index], tokens[index - 1].text == ",", tokens[index - 2].isCapitalized, ["a", "an"].contains(tokens[index].lower) {
                var end = (index + 1..<tokens.count).first { !quoted[$0] && (tokens[$0].text == "," || tokens[$0].text == ";") } ?? tokens.count
                while end > index + 1, !tokens[end - 1].isWord { end -= 1 }
                let description = index..<end
                if index > trigger, description.contains(where: { actAt(tokens, $0) }) { asides.append(description) }
                index = end
                continue
            }
            guard !quoted[index], tokens[index - 1].text == ",", ["which", "who", "whose"].contains(tokens[index].lower) else { continue }
            let closing = (index + 1..<tokens.count).first { !quoted[$0] && (tokens[$0].text == "," || tokens[$0].text == ";") }
            // After the act, one describes what the act was done to, up to the next comma or the
            // end, however the sentence goes on: "backed a minimum tax, which their finance
            // ministers had agreed earlier this month, and reaffirmed a goal".
            if index > trigger {
                var end = closing ?? tokens.count
                while end > index + 1, !tokens[end - 1].isWord { end -= 1 }
                asides.append(index..<end)
                index = end
                continue
            }
            guard let close = closing, close + 1 < tokens.count, tokens[close].text == "," else { continue }
            let next = close + 1
            guard !tokens[next].isCapitalized, !clauseOpeners.contains(tokens[next].lower), !relativeWords.contains(tokens[next].lower),
                  continuingVerbs.contains(tokens[next].lower) || actAt(tokens, next) else { continue }
            let aside = index..<close
            if !aside.contains(trigger) { asides.append(aside) }
            index = close
        }
        return asides
    }

    /// Verbs with which a clause goes on after an aside: "the attack, which …, was carried out".
    private static let continuingVerbs: Set<String> = ["was", "were", "is", "are", "has", "have", "had", "will", "would", "could", "can",
                                                       "did", "does", "said", "says", "told", "remains", "remained"]

    /// Words that open a clause of its own inside a subject: "and those who paid".
    static let relativeWords: Set<String> = ["that", "who", "which", "whose", "whom", "when", "where"]

    private static let clauseOpeners: Set<String> = ["while", "but", "whereas", "although", "though", "and", "an", "which", "after", "before"]
    /// Words that open a clause leaning on a main clause after it: "while A, B".
    private static let subordinators: Set<String> = ["while", "whereas", "although", "though"]

    /// The sentence's clauses as token ranges: cut before "while", "but" and the like when a
    /// comma or semicolon leads to them, before "but" and "while" anywhere, and before an "and"
    /// that goes straight on to a second act ("spoke to Putin on Tuesday and proposed a summit"),
    /// and, in a clause opened by "while" or kin, after the comma before its main clause's act,
    /// outside quotations. `actAt` tells whether the words at an index report an act by a verb.
    static func clauses(of tokens: [DraftToken], actAt: (_ tokens: [DraftToken], _ index: Int) -> Bool) -> [Range<Int>] {
        let quoted = DraftText.quotedTokens(tokens)
        var cuts: [Int] = []
        /// Whether the clause being read opened with "while" or kin: its main clause follows a comma.
        var inSubordinate = false
        for index in tokens.indices.dropFirst(2) where !quoted[index] {
            let lower = tokens[index].lower
            let afterPunctuation = tokens[index - 1].text == "," || tokens[index - 1].text == ";"
            let secondAct = lower == "and" && index + 1 < tokens.count && !quoted[index + 1] && actAt(tokens, index + 1)
            // "while the United States had requested information, Moscow had asked …": after the
            // comma, a subject and its act within a few words are the main clause.
            let mainClause = inSubordinate && afterPunctuation && !clauseOpeners.contains(lower)
                && (index + 1..<min(index + 5, tokens.count)).contains { !quoted[$0] && actAt(tokens, $0) }
            if (afterPunctuation && clauseOpeners.contains(lower)) || lower == "but" || lower == "while" || lower == "whereas" || secondAct || mainClause {
                if cuts.last.map({ index - $0 >= 4 }) ?? (index >= 4) {
                    cuts.append(index)
                    inSubordinate = subordinators.contains(lower)
                }
            }
        }
        var ranges: [Range<Int>] = []
        var start = 0
        for cut in cuts {
            ranges.append(start..<cut)
            start = cut
        }
        ranges.append(start..<tokens.count)
        // A clause is quoted without the comma that closes it.
        return ranges.map { range in
            var end = range.upperBound
            while end > range.lowerBound + 1, !tokens[end - 1].isWord, !"”\")".contains(tokens[end - 1].text) { end -= 1 }
            return range.lowerBound..<end
        }
    }

    /// The article's text from the first token to the last.
    private static func textOf(_ tokens: [DraftToken]) -> Substring {
        guard let first = tokens.first, let last = tokens.last else { return "" }
        return first.text.base[first.text.startIndex..<last.text.endIndex]
    }

    /// The text with Windows (`\r\n`) and old Mac (`\r`) line ends as `\n`, without a byte-order
    /// mark, and with the spaces of the web — no-break, thin, figure, ideographic — as plain
    /// spaces and Unicode's line and paragraph separators as `\n`: Swift takes `\r\n` for one
    /// character, so a text split at `\n` would otherwise be one line, and "May 6" with a no-break
    /// space would be one word. Quotes stay the article's words, as ingestion and the score
    /// compare them with whitespace folded.
    static func plainLayout(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\r") || $0 >= 0xC2 }) else { return text }
        var scalars = String.UnicodeScalarView()
        var previousWasReturn = false
        var changed = false
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == 0 && scalar == "\u{FEFF}" { changed = true; continue }
            if scalar == "\n" && previousWasReturn { previousWasReturn = false; continue }
            previousWasReturn = scalar == "\r"
            let plain: Unicode.Scalar
            switch scalar.value {
            case 0x0D, 0x2028, 0x2029: plain = "\n"
            case 0x20: plain = scalar
            case _ where scalar.properties.generalCategory == .spaceSeparator: plain = " "
            default: plain = scalar
            }
            changed = changed || plain != scalar
            scalars.append(plain)
        }
        return changed ? String(scalars) : text
    }

    /// How many tokens lie between `range` and the token at `index` (0 when it holds it), and
    /// farther still across a semicolon or a dash, which end a clause.
    private static func distance(_ range: Range<Int>, from index: Int, in tokens: [DraftToken]) -> Int {
        if range.contains(index) { return 0 }
        let between = index < range.lowerBound ? index + 1..<range.lowerBound : range.upperBound..<index
        let clauses = tokens[between].count { $0.text == ";" || $0.text == "—" || $0.text == "–" }
        return between.count + 1 + clauses * tokens.count
    }

    /// Words after a number of days that make it a distance in time, not a length: "two days later".
    private static let offsetWords: Set<String> = ["later", "after", "afterwards", "earlier", "before", "ago", "on"]
    /// Words between a length of time and a date that make the date its end.
    private static let untilWords: Set<String> = ["before", "until", "till", "when", "ended", "ending"]
    /// The words that open an indirect question after a verb of saying.
    private static let questionWords: Set<String> = ["how", "whether", "if", "who", "what", "why", "which"]

    private static func wordsOf(_ tokens: [DraftToken], _ range: Range<Int>) -> String {
        let first = tokens[range.lowerBound].text
        let last = tokens[range.upperBound - 1].text
        return foldWhitespace(String(first.base[first.startIndex..<last.endIndex]))
    }

    /// The value of the first phrase found in `tokens`, scanning left to right, and where it stands.
    private static func firstMatch<Value>(_ tokens: [DraftToken], _ phrases: [(Value, words: [String])]) -> (Value, Range<Int>)? {
        for start in tokens.indices {
            for (value, phrase) in phrases where start + phrase.count <= tokens.count && zip(phrase, tokens[start...]).allSatisfy({ $0 == $1.lower }) {
                return (value, start..<start + phrase.count)
            }
        }
        return nil
    }

    private static func contains(_ tokens: [DraftToken], _ phrases: [[String]]) -> Bool {
        tokens.indices.contains { start in
            phrases.contains { phrase in start + phrase.count <= tokens.count && zip(phrase, tokens[start...]).allSatisfy { $0 == $1.lower } }
        }
    }

    private static func starts(_ tokens: [DraftToken], with phrases: [[String]]) -> Bool {
        phrases.contains { phrase in
            phrase.count <= tokens.count && zip(phrase, tokens).allSatisfy { $0 == $1.lower }
        }
    }

    private static let modals: Set<String> = ["would", "could", "should", "might", "must", "will", "may", "can", "to"]
    private static let adverbs: Set<String> = ["been", "already", "not", "long", "also", "never", "ever", "previously", "repeatedly", "recently", "since", "reportedly", "allegedly", "yet", "now"]
    private static let irregularParticiples: Set<String> = ["said", "paid", "told", "made", "brought", "struck", "met", "taken", "stolen", "been", "done", "sent", "spent", "held", "led", "begun", "seen", "known", "given", "shown", "won", "lost", "hit", "shut", "put", "set", "cut", "sought", "thought", "caught", "fought", "bought", "heard", "kept", "left", "run", "become", "broken", "spoken", "written", "had", "gone", "come", "found", "got", "gotten", "drawn", "chosen", "frozen", "withdrawn"]

    /// Whether the sentence reports something already done ("has denied", "had requested"),
    /// before any plain verb of saying that frames it.
    private static func isPerfect(_ tokens: [DraftToken], auxiliaries: [[String]], kind: FactKind, statement: KindClassifier,
                                  skipping asides: [Range<Int>]) -> Bool {
        // In a remark, a perfect after "said" is what was said ("said it had been hit"), not the
        // remark's own time; in an event, it is the event's. In an aside it is the aside's: "backed
        // a minimum tax, which their ministers had agreed earlier this month".
        // And what an attribution after it told ("information has been compromised, Long said")
        // is what was said too: only the attribution's own words ("…, officials have said") tell
        // the remark's time.
        let frame = kind.isSpoken ? statement.firstStatement(in: tokens) : nil
        let limit = frame ?? tokens.count
        let start = frame.flatMap { frame in
            isTrailingAttribution(tokens, at: frame) ? tokens[..<frame].lastIndex { $0.text == "," } : nil
        } ?? 0
        let quoted = DraftText.quotedTokens(tokens)
        let auxiliary = Set(auxiliaries.filter { $0.count == 1 }.map { $0[0] })
        for index in tokens.indices where index >= start && index < limit && !quoted[index] && auxiliary.contains(tokens[index].lower)
            && !asides.contains(where: { $0.contains(index) }) {
            // "would have done" looks back from a supposition, not from the time of writing.
            if index > 0, modals.contains(tokens[index - 1].lower) { continue }
            var next = index + 1
            while next < tokens.count, adverbs.contains(tokens[next].lower) || tokens[next].lower.hasSuffix("ly") { next += 1 }
            if next < tokens.count, tokens[next].lower == "no" { return true }
            if next > index + 1, tokens[next - 1].lower == "been" { return true }
            guard next < tokens.count else { return false }
            let word = tokens[next].lower
            if word.hasSuffix("ed") || word.hasSuffix("en") || irregularParticiples.contains(word) { return true }
        }
        return false
    }

    /// The part each actor plays, by where it stands against the word that gave the kind.
    private static func roles(for found: [(actor: Int, tokens: Range<Int>)], kind: FactKind, trigger: Int, tokens: [DraftToken]) -> [(actor: Int, role: ActorRole)] {
        var result: [(actor: Int, role: ActorRole)] = []
        /// Whether the actor stands right before the verb of saying, or right after it.
        func speaks(_ item: (actor: Int, tokens: Range<Int>)) -> Bool {
            let before = item.tokens.upperBound <= trigger
            let previousWord = item.tokens.lowerBound > 0 ? tokens[item.tokens.lowerBound - 1].lower : ""
            return (before && trigger - item.tokens.upperBound <= 2) || ["said", "says", "told", "to", "by"].contains(previousWord) && !before
        }
        // The one beside the verb speaks, before a name that opens the sentence: in "“Russia is
        // to blame,” Biden said", Biden.
        let besideVerb = kind.isSpeechAct ? found.first(where: speaks)?.actor : nil
        for (position, item) in found.enumerated() where !result.contains(where: { $0.actor == item.actor }) {
            let before = item.tokens.upperBound <= trigger
            let previousWord = item.tokens.lowerBound > 0 ? tokens[item.tokens.lowerBound - 1].lower : ""
            let role: ActorRole
            switch kind {
            case .attack: role = before ? .attacker : .target
            case .ransomPayment: role = before ? .payer : (previousWord == "to" ? .recipient : .mentioned)
            case .summit, .talks: role = .participant
            case .dataTheft, .shutdown: role = before && position == 0 ? .subject : .mentioned
            case .statement, .denial, .accusation, .request, .proposal, .agreement, .report:
                if let besideVerb {
                    role = item.actor == besideVerb ? .speaker : .mentioned
                } else {
                    role = position == 0 && before ? .speaker : .mentioned
                }
            case .other: role = position == 0 ? .subject : .mentioned
            }
            result.append((item.actor, role))
        }
        // One speaker at most: a second "speaker" found before the verb is mentioned.
        var speakerSeen = false
        return result.map { entry in
            guard entry.role == .speaker else { return entry }
            defer { speakerSeen = true }
            return speakerSeen ? (entry.actor, .mentioned) : entry
        }
    }
}

extension FactKind {
    /// Kinds that are something said: undated, they take the story's day.
    var isSpoken: Bool {
        switch self {
        case .statement, .denial, .accusation, .request, .proposal, .agreement, .report, .talks, .summit: true
        case .attack, .ransomPayment, .shutdown, .dataTheft, .other: false
        }
    }

    /// Kinds that are an act of saying, made when they are reported at the latest; a meeting or
    /// an agreement may lie ahead.
    var isSpeechAct: Bool {
        switch self {
        case .statement, .denial, .accusation, .request, .proposal, .report: true
        case .agreement, .talks, .summit, .attack, .ransomPayment, .shutdown, .dataTheft, .other: false
        }
    }
}

/// Quantity names a fact file accepts: `a–z 0–9 -`, 1–40 characters.
enum ValidQuantityName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// Picks a sentence's kind from the lexicon's `kinds` file.
struct KindClassifier: Sendable {
    /// A phrase of a section and the kind it gives, with what the rules ask of it worked out once.
    private struct Entry: Sendable {
        let kind: FactKind
        let words: [String]
        /// The words as one string, as a draft's comment names them.
        let trigger: String
        /// Whether the phrase only names an event (``KindClassifier/isNoun(_:)``).
        let isNoun: Bool

        init(kind: FactKind, words: [String]) {
            self.kind = kind
            self.words = words
            trigger = words.joined(separator: " ")
            isNoun = KindClassifier.isNoun(trigger)
        }
    }

    private let sections: [[Entry]]
    /// The phrases of plain saying, by their first word: a sentence is searched for them at
    /// every word, so each word looks up the few that could start there.
    private let statementWords: [String: [[String]]]
    /// The event phrases of meetings told by a verb ("meet", "hold talks"), not a noun, by their
    /// first word.
    private let meetingVerbs: [String: [Entry]]
    private let negations: Set<String>
    private let hypotheticals: Set<String>
    /// Verbs that tell an event named by a noun took place: "the attack began on May 6".
    private let occurring: [[String]]
    /// Words that open, after an event's noun, the words that say whose or what event it was:
    /// "the summit of G7 leaders in June".
    private let qualifiers: Set<String>
    /// Words that end those words, opening a clause or a comparison of their own.
    private let qualifierStops: Set<String>
    /// The words of a meeting, talks when ministers or officials hold it (`[meetings]`,
    /// `[officials]`, `[leaders]`).
    private let meetingWords: Set<String>
    private let officials: Set<String>
    private let leaderTitles: [[String]]
    private let leadersTogether: [[String]]

    init(lexicon: DraftLexicon) {
        sections = ["speech-acts", "events", "statements"].map { section in
            lexicon.phrases(section).compactMap { entry in FactKind(rawValue: entry.key).map { Entry(kind: $0, words: entry.words) } }
        }
        statementWords = Dictionary(grouping: lexicon.phrases("statements").map(\.words).filter { !$0.isEmpty }, by: { $0[0] })
        meetingVerbs = Dictionary(grouping: (sections.count > 1 ? sections[1] : []).filter { entry in
            (entry.kind == .talks || entry.kind == .summit) && !entry.words.isEmpty && !entry.isNoun
        }, by: { $0.words[0] })
        negations = lexicon.words("negations")
        hypotheticals = lexicon.words("hypotheticals")
        occurring = lexicon.phrases("occurring").map(\.words)
        let qualifierWords = lexicon.phrases("event-qualifiers")
        qualifiers = Set(qualifierWords.filter { $0.key == "opens" }.map { $0.words.joined(separator: " ") })
        qualifierStops = Set(qualifierWords.filter { $0.key == "stop" }.map { $0.words.joined(separator: " ") })
        meetingWords = lexicon.words("meetings")
        officials = lexicon.words("officials")
        leaderTitles = lexicon.phrases("leaders").filter { $0.key == "one" }.map(\.words)
        leadersTogether = lexicon.phrases("leaders").filter { $0.key == "many" }.map(\.words)
    }

    /// Whether `tokens` name leaders together: two leaders' titles, or leaders in the plural.
    private func namesLeaders(_ tokens: [DraftToken]) -> Bool {
        var titles = 0
        for start in tokens.indices {
            if leadersTogether.contains(where: { match($0, tokens, at: start, anyCase: true) != nil }) { return true }
            if leaderTitles.contains(where: { match($0, tokens, at: start, anyCase: true) != nil }) { titles += 1 }
            if titles >= 2 { return true }
        }
        return false
    }

    /// Whether the words at `index` report anything: not when a supposition stands within four
    /// words before them ("if confirmed"), nor, for an event's words, a negation ("no ransom
    /// had been paid": the event did not happen).
    private func isReported(_ tokens: [DraftToken], at index: Int, isEvent: Bool) -> Bool {
        // A participle after an article or a possessive describes a thing, not an act: "the
        // recovered amount", "its stolen data".
        if isEvent, index > 0, Self.determiners.contains(tokens[index - 1].lower), tokens[index].lower.hasSuffix("ed") || tokens[index].lower.hasSuffix("en") {
            return false
        }
        return !tokens[max(0, index - 4)..<index].contains { hypotheticals.contains($0.lower) || (isEvent && negations.contains($0.lower)) }
    }

    private static let determiners: Set<String> = ["the", "a", "an", "its", "their", "his", "her", "our"]

    /// Matches `words` at `start`; `*` skips up to three tokens. Titles (`anyCase`) match
    /// capitalised as well.
    private func match(_ words: [String], _ tokens: [DraftToken], at start: Int, anyCase: Bool = false) -> Int? {
        // Verbs are written in lower case but for a sentence's first word: "States" in "United
        // States" is not the verb "states".
        guard start < tokens.count, anyCase || start == 0 || !tokens[start].isCapitalized else { return nil }
        var index = start
        var wordIndex = 0
        while wordIndex < words.count {
            let word = words[wordIndex]
            if word == "*" {
                // A phrase ends with a word, not with `*`; and at the sentence's end nothing follows.
                guard wordIndex + 1 < words.count, index < tokens.count else { return nil }
                let next = words[wordIndex + 1]
                guard let found = (index...min(index + 3, tokens.count - 1)).first(where: { tokens[$0].lower == next }) else { return nil }
                index = found + 1
                wordIndex += 2
                continue
            }
            guard index < tokens.count, tokens[index].lower == word else { return nil }
            index += 1
            wordIndex += 1
        }
        return index
    }

    /// Whether the words at `index` report an act by its verb ("proposed", "shut down"): a phrase
    /// of the speech acts or the events, not a noun that only names an event ("talks").
    func reportsAnAct(_ tokens: [DraftToken], at index: Int) -> Bool {
        sections.prefix(2).contains { section in
            section.contains { entry in
                !entry.isNoun && match(entry.words, tokens, at: index) != nil
            }
        }
    }

    /// The kind, the words that gave it and where they stand; nil when nothing reports an event.
    /// Events come before plain saying only when their verb is in the sentence; a noun alone
    /// ("the talks") does not outweigh "said".
    func classify(_ tokens: [DraftToken]) -> (kind: FactKind, trigger: String, triggerIndex: Int)? {
        let quoted = DraftText.quotedTokens(tokens)
        // Words inside a quotation are what someone said, not what happened: they count only
        // when nothing outside one reports anything.
        return classify(tokens, allowed: { !quoted[$0] }) ?? classify(tokens, allowed: { _ in true })
    }

    private func classify(_ tokens: [DraftToken], allowed: (Int) -> Bool) -> (kind: FactKind, trigger: String, triggerIndex: Int)? {
        guard !tokens.isEmpty else { return nil }
        // An attribution after what it tells ("…, the Kremlin said, in their sixth publicly
        // disclosed call") closes the report: an act of speech after it describes, it is not told.
        // Looked for once, when an act of speech is found.
        var closing: Int?
        func closingAttribution() -> Int {
            if let closing { return closing }
            let found = firstStatement(in: tokens).flatMap { Drafter.isTrailingAttribution(tokens, at: $0) ? $0 : nil } ?? tokens.count
            closing = found
            return found
        }
        for (sectionIndex, section) in sections.enumerated() {
            var best: (kind: FactKind, trigger: String, index: Int)?
            for entry in section where best == nil {
                if let start = tokens.indices.first(where: { start in
                    allowed(start) && match(entry.words, tokens, at: start) != nil && (sectionIndex != 0 || start < closingAttribution())
                        && isReported(tokens, at: start, isEvent: sectionIndex == 1)
                }) {
                    best = (entry.kind, entry.trigger, start)
                }
            }
            guard let best else { continue }
            // "He said that Moscow had asked …": what he said frames the act, so it is a statement.
            if sectionIndex == 0, let statement = firstStatement(in: tokens), statement < best.index, allowed(statement) {
                return (.statement, tokens[statement].lower, statement)
            }
            // An event named only by a noun, in a sentence that also says who said it, is a statement
            // — unless a verb of its taking place follows the noun ("the talks will resume on June
            // 20, officials said"): then it is told as happening, and who said so is its attribution.
            let nounEnd = best.index + best.trigger.split(separator: " ").count
            if sectionIndex == 1, Self.isNoun(best.trigger), !occurring.contains(where: { match($0, tokens, at: nounEnd) != nil }),
               let statement = firstStatement(in: tokens) {
                return (.statement, tokens[statement].lower, statement)
            }
            return (meetingKind(best.kind, trigger: best.trigger, at: best.index, in: tokens), best.trigger, best.index)
        }
        return nil
    }

    private static let eventNouns: Set<String> = ["summit", "talks", "negotiations", "consultations", "meeting", "attack", "attacks", "cyberattack", "cyber-attack", "ransomware attack", "hack", "hacking", "outage", "shutdown", "leak", "data theft", "data breach", "ransom payment", "payment of", "phone call"]

    static func isNoun(_ trigger: String) -> Bool { eventNouns.contains(trigger) }

    /// The first act an event verb reports in `tokens[start..<end]` ("transferred", "had paid"),
    /// outside quotation marks: not a noun that only names one, nor a meeting (what was said of
    /// talks is what was said), nor one a negation denies or a supposition puts forward.
    func firstEventAct(in tokens: [DraftToken], from start: Int, to end: Int) -> (index: Int, kind: FactKind, trigger: String)? {
        guard sections.count > 1, start < end else { return nil }
        let quoted = DraftText.quotedTokens(tokens)
        for index in start..<min(end, tokens.count) where !quoted[index] {
            for entry in sections[1] where !entry.kind.isSpoken && match(entry.words, tokens, at: index) != nil {
                let trigger = entry.trigger
                // "told customers to shut down": the aim of a request, not an act told.
                guard index == 0 || tokens[index - 1].lower != "to",
                      !entry.isNoun, isReported(tokens, at: index, isEvent: true) else { continue }
                return (index, entry.kind, trigger)
            }
        }
        return nil
    }

    /// The first act of speech other than plain saying ("demanded", "denied") in
    /// `tokens[start..<end]`, outside quotation marks: what a verb of saying after it tells of.
    func firstSpeechAct(in tokens: [DraftToken], from start: Int, to end: Int) -> (index: Int, kind: FactKind, trigger: String)? {
        guard !sections.isEmpty, start < end else { return nil }
        let quoted = DraftText.quotedTokens(tokens)
        for index in start..<min(end, tokens.count) where !quoted[index] {
            for entry in sections[0] where match(entry.words, tokens, at: index) != nil && isReported(tokens, at: index, isEvent: false) {
                return (index, entry.kind, entry.trigger)
            }
        }
        return nil
    }

    /// A meeting ministers or officials hold is talks, one of leaders a summit: `kind` as the
    /// sentence `tokens` tells it, its words at `index`. Officials who only tell of it after a
    /// verb of saying (", officials said") do not hold it.
    private func meetingKind(_ kind: FactKind, trigger: String, at index: Int, in tokens: [DraftToken]) -> FactKind {
        guard kind == .summit, meetingWords.contains(trigger) else { return kind }
        // The words before the attribution's comma, when a verb of saying follows the meeting.
        let attribution = firstStatement(in: tokens, after: index).map { frame in tokens[index..<frame].lastIndex { $0.text == "," } ?? frame }
        let told = tokens[..<(attribution ?? tokens.count)]
        return told.contains(where: { officials.contains($0.lower) }) && !namesLeaders(tokens) ? .talks : kind
    }

    /// The first meeting told by a verb in `tokens[start..<end]` with a date of its own right after
    /// its words ("would meet Putin in Geneva on June 16"): what a remark of another day tells of.
    /// A meeting told without one, or only named ("the talks had been frank"), is what was said, as
    /// ``firstEventAct(in:from:to:)`` has it.
    func meetingWithItsDate(in tokens: [DraftToken], from start: Int, to end: Int, dates: [FoundDate]) -> (index: Int, kind: FactKind, trigger: String)? {
        guard sections.count > 1, start < end else { return nil }
        let quoted = DraftText.quotedTokens(tokens)
        for index in start..<min(end, tokens.count) where !quoted[index] {
            for entry in meetingVerbs[tokens[index].lower] ?? [] {
                let trigger = entry.trigger
                // A verb of meeting ("meet", "hold talks"), not a noun that only names one, and a
                // date in its own words: within six words, with no comma or clause between.
                guard let after = match(entry.words, tokens, at: index), isReported(tokens, at: index, isEvent: true),
                      dates.contains(where: { date in
                          date.tokens.lowerBound >= after && date.tokens.lowerBound - after <= 6 && date.tokens.upperBound <= end
                              && !tokens[after..<date.tokens.lowerBound].contains { $0.text == "," || $0.lower == "that" || $0.lower == "and" }
                      }) else { continue }
                return (index, meetingKind(entry.kind, trigger: trigger, at: index, in: tokens), trigger)
            }
        }
        return nil
    }

    /// An event a remark names by a noun with a date of its own in `tokens[start..<end]`: the
    /// date before it ("the May 7 ransomware attack", "the June 16 summit") or right after it ("the
    /// attack on May 7"); its index, kind and trigger, and the tokens of its date. Not one a
    /// negation denies or a supposition puts forward, nor one inside quotation marks.
    func namedEventWithDate(in tokens: [DraftToken], from start: Int, to end: Int, dates: [FoundDate]) -> (index: Int, kind: FactKind, trigger: String, date: Range<Int>)? {
        guard sections.count > 1, start < end else { return nil }
        let quoted = DraftText.quotedTokens(tokens)
        for index in start..<min(end, tokens.count) where !quoted[index] {
            for entry in sections[1] where !entry.kind.isSpeechAct {
                let trigger = entry.trigger
                guard entry.isNoun, let after = match(entry.words, tokens, at: index), isReported(tokens, at: index, isEvent: true) else { continue }
                let attached = dates.first { date in
                    // A month or a day of the calendar, or a day of the week ("the attack on Friday").
                    guard case .point(let spec) = date.shape, date.counted == nil else { return false }
                    switch spec {
                    case .calendar(_, _?, _), .weekday, .days: break
                    default: return false
                    }
                    // Between an article and the noun, with at most one word before the noun
                    // ("the May 7 ransomware attack").
                    if date.tokens.upperBound <= index, date.tokens.lowerBound > start, index - date.tokens.upperBound <= 1,
                       tokens[date.tokens.upperBound..<index].allSatisfy(\.isWord), ["the", "a", "an"].contains(tokens[date.tokens.lowerBound - 1].lower) {
                        return true
                    }
                    // A possessive right before it, with at most one word between ("Friday's attack",
                    // "Sunday's ransomware attack").
                    if date.tokens.upperBound <= index, date.tokens.lowerBound >= start, index - date.tokens.upperBound <= 1,
                       tokens[date.tokens.upperBound..<index].allSatisfy(\.isWord),
                       tokens[date.tokens.upperBound - 1].isPossessive {
                        return true
                    }
                    // Right after it, "on" a day or "in" a month, or after a verb of its taking place
                    // ("the attack took place on May 7", "the attack began on Friday"), or after the
                    // words that say whose event it was ("a summit of Turkish and British leaders in March").
                    let dateAt = occurring.compactMap { match($0, tokens, at: after) }.first ?? after
                    // "on" a day or "in" a month, early or late in it ("took place late on Wednesday night").
                    var preposition = date.tokens.lowerBound
                    if ["late", "early"].contains(tokens[preposition].lower), preposition + 1 < date.tokens.upperBound { preposition += 1 }
                    guard date.tokens.upperBound <= end, ["on", "in"].contains(tokens[preposition].lower) else { return false }
                    return date.tokens.lowerBound == dateAt || isQualifier(tokens, from: after, to: date.tokens.lowerBound)
                }
                if let attached { return (index, entry.kind, trigger, attached.tokens) }
            }
        }
        return nil
    }

    /// Whether `tokens[start..<end]` only say whose or what an event named just before them was:
    /// a word of `[event-qualifiers]`, then up to eight names, words and commas that report
    /// nothing ("of Turkish, French, German and British leaders", "on Colonial Pipeline").
    private func isQualifier(_ tokens: [DraftToken], from start: Int, to end: Int) -> Bool {
        guard start < end, end - start <= 9, qualifiers.contains(tokens[start].lower) else { return false }
        return (start + 1..<end).allSatisfy { index in
            let token = tokens[index]
            guard token.isWord || token.text == ",", !Drafter.relativeWords.contains(token.lower), !qualifierStops.contains(token.lower) else { return false }
            return !sections.joined().contains { match($0.words, tokens, at: index) != nil }
        }
    }

    /// Where the first words that report or name an event stand after `index`.
    func firstEventWord(in tokens: [DraftToken], after index: Int) -> Int? {
        guard sections.count > 1, index + 1 < tokens.count else { return nil }
        return (index + 1..<tokens.count).first { start in sections[1].contains { match($0.words, tokens, at: start) != nil } }
    }

    /// Where the first plain verb of saying stands (after `index`, when given).
    func firstStatement(in tokens: [DraftToken], after index: Int = -1) -> Int? {
        tokens.indices.dropFirst(index + 1).first { start in
            statementWords[tokens[start].lower]?.contains { match($0, tokens, at: start) != nil } ?? false
        }
    }
}
