import AnnalsDomain
import AnnalsLog
import AnnalsTimeline

/// Generates a realistic news corpus in Annals' JSON Lines input format, deterministically
/// from a seed and in constant memory, for benchmarks and tests.
///
/// Shaped like the seed articles: articles arrive in publication order over 20 years, each
/// with about eight facts whose quotes are verbatim sentences of its text; a Zipf-distributed
/// population of 10,000 actors with aliases; dates of mixed precision (days, months, years,
/// minutes, intervals, open intervals; some approximate or uncertain); quantities in
/// currencies, crypto-currencies, durations and counts. About 10% of facts are asserted again
/// by a later article (sometimes more precisely), 3% corrected and 1% retracted, always within
/// a bounded window of recent facts so memory does not grow with the corpus.
public struct CorpusGenerator {
    /// A projection file of the kind an analyst writes over a generated corpus: facts per kind
    /// per quarter from 2009 on, with the count, the sum of ransoms, the first and last dates
    /// and five fact ids — about 1,000 groups. The benchmarks rebuild it beside the timeline
    /// and read its groups.
    public static let benchmarkProjection = """
        name: bench-facts-by-kind-quarter
        filter: {period: 2009/2025}
        group-by: [kind, quarter]
        measures: [count, {sum: ransom}, first, last, {facts: 5}]
        """
    /// The name ``benchmarkProjection`` declares.
    public static let benchmarkProjectionName = "bench-facts-by-kind-quarter"

    public struct Options: Sendable {
        /// Fact records to write (first assertions and second sources).
        public var facts: Int
        public var seed: UInt64
        public var actors = 10_000
        public var factsPerArticle = 8
        public var firstYear = 2006
        public var years = 20
        /// Put before every article and fact id, so that corpora from different writers do not
        /// share ids (actors stay shared: they are the same people).
        public var idPrefix = ""

        public init(facts: Int, seed: UInt64 = 42) {
            self.facts = facts
            self.seed = seed
        }
    }

    /// What was written.
    public struct Summary: Sendable, Hashable {
        public var articles = 0
        public var facts = 0
        public var secondSources = 0
        public var corrections = 0
        public var retractions = 0
        public var aliasRecords = 0
        public var bytes = 0
    }

    private let options: Options
    private var random: SplitMix
    private let zipf: ZipfSampler
    private var declaredActors: Set<Int> = []
    /// Recent facts that later articles may assert again, correct or retract.
    private var recent: RingBuffer<RecentFact>
    private var nextFact = 0
    private var summary = Summary()

    private struct RecentFact {
        let id: Int
        let kind: FactKind
        let day: Int64
        var corrected = false
        var retracted = false
    }

    public init(_ options: Options) {
        self.options = options
        random = SplitMix(seed: options.seed)
        zipf = ZipfSampler(count: options.actors, exponent: 1.07)
        recent = RingBuffer(capacity: 50_000)
    }

    /// Writes the corpus, one line at a time, through `write`.
    public mutating func generate(_ write: (String) throws -> Void) rethrows -> Summary {
        let articleCount = max(1, (options.facts + options.factsPerArticle - 1) / options.factsPerArticle)
        let firstDay = Self.day(year: options.firstYear, month: 1, day: 1)
        let span = Double(Self.day(year: options.firstYear + options.years, month: 1, day: 1) - firstDay)
        var factsLeft = options.facts
        var article = 0
        while factsLeft > 0 {
            // Publication dates rise steadily, so article ids sort in arrival order.
            let published = firstDay + Int64(min(Double(article) / Double(articleCount), 1) * span)
            let count = max(1, min(factsLeft, options.factsPerArticle + Int(random.next() % 5) - 2))
            factsLeft -= count
            try writeArticle(number: article, published: published, factCount: count, write)
            article += 1
        }
        return summary
    }

    private mutating func writeArticle(number: Int, published: Int64, factCount: Int, _ write: (String) throws -> Void) rethrows {
        let publisher = Self.publishers[Int(random.next() % UInt64(Self.publishers.count))]
        let (year, month, day) = Self.civil(published)
        let articleID = "\(options.idPrefix)\(publisher.slug)-\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))-\(pad(number, 8))"
        var sentences: [String] = []
        var records: [String] = []
        var aliasRecords: [String] = []

        func actor(_ index: Int) -> String {
            if declaredActors.insert(index).inserted {
                aliasRecords.append(Self.aliasRecord(index))
                summary.aliasRecords += 1
            }
            return Self.actorID(index)
        }

        // Facts this article already mentions: it asserts, corrects or retracts each at most once.
        var mentioned: Set<Int> = []
        for _ in 0..<factCount {
            let roll = random.next() % 100
            if roll < 10, let earlier = recent.randomElement(using: &random), !earlier.retracted, mentioned.insert(earlier.id).inserted {
                // A second source for an earlier fact, sometimes with a sharper date.
                let quote = Self.sentence(kind: earlier.kind, factNumber: earlier.id, variant: 1, random: &random)
                sentences.append(quote)
                let when = Self.date(day: earlier.day, precision: random.next() % 2 == 0 ? .day : .month, random: &random)
                records.append(factRecord(article: articleID, fact: earlier.id, kind: earlier.kind, when: when, quote: quote,
                                          actors: [(actor(zipf.sample(&random)), "mentioned")]))
                summary.secondSources += 1
            } else {
                let kind = Self.kinds[Int(random.next() % UInt64(Self.kinds.count))]
                let factNumber = nextFact
                nextFact += 1
                // Most facts happened days before the report; some reach back years.
                let lag: Int64 = random.next() % 10 == 0 ? Int64(random.next() % 3_650) : Int64(random.exponential(mean: 9))
                let factDay = published - lag
                let quote = Self.sentence(kind: kind, factNumber: factNumber, variant: 0, random: &random)
                sentences.append(quote)
                let first = zipf.sample(&random)
                var second = zipf.sample(&random)
                if second == first { second = (first + 1) % options.actors }
                let roles = Self.roles(for: kind)
                records.append(factRecord(article: articleID, fact: factNumber, kind: kind, when: Self.randomWhen(day: factDay, random: &random),
                                          quote: quote, actors: [(actor(first), roles.0), (actor(second), roles.1)]))
                recent.append(RecentFact(id: factNumber, kind: kind, day: factDay))
                mentioned.insert(factNumber)
            }
            summary.facts += 1
        }
        if random.next() % 100 < 24, let index = recent.randomIndex(using: &random), !recent[index].corrected, !recent[index].retracted,
           !mentioned.contains(recent[index].id) {
            recent[index].corrected = true
            let fact = recent[index]
            let quote = "The report on fact \(fact.id) has been corrected after further checks."
            sentences.append(quote)
            let when = Self.date(day: fact.day + 1, precision: .day, random: &random)
            records.append(#"{"type":"correction","article":"\#(articleID)","fact":"\#(options.idPrefix)f-\#(fact.id)","fields":{"when":"\#(when)"},"reason":"A later filing gives the date as \#(when)","quote":"\#(quote)"}"#)
            summary.corrections += 1
        }
        if random.next() % 100 < 8, let index = recent.randomIndex(using: &random), !recent[index].retracted, !mentioned.contains(recent[index].id) {
            recent[index].retracted = true
            let quote = "An earlier report, fact \(recent[index].id), has been withdrawn."
            sentences.append(quote)
            records.append(#"{"type":"retraction","article":"\#(articleID)","fact":"\#(options.idPrefix)f-\#(recent[index].id)","reason":"The source withdrew the report","quote":"\#(quote)"}"#)
            summary.retractions += 1
        }
        let text = sentences.joined(separator: " ")
        let title = "\(publisher.name) report \(number): \(sentences.first?.prefix(60) ?? "")"
        let articleLine = #"{"type":"article","id":"\#(articleID)","title":"\#(Self.escape(String(title)))","publisher":"\#(publisher.name)","published":"\#(pad(year, 4))-\#(pad(month, 2))-\#(pad(day, 2))","text":"\#(Self.escape(text))"}"#
        summary.articles += 1
        for line in [articleLine] + aliasRecords + records {
            summary.bytes += line.utf8.count + 1
            try write(line + "\n")
        }
    }

    private mutating func factRecord(article: String, fact: Int, kind: FactKind, when: String, quote: String, actors: [(String, String)]) -> String {
        var line = #"{"type":"fact","article":"\#(article)","id":"\#(options.idPrefix)f-\#(fact)","kind":"\#(kind.rawValue)","when":"\#(when)","summary":"\#(Self.summary(kind: kind, fact: fact))","actors":["#
        line += actors.map { #"{"actor":"\#($0.0)","role":"\#($0.1)"}"# }.joined(separator: ",")
        line += "]"
        if random.next() % 100 < 30 { line += #","quantities":[\#(Self.quantity(kind: kind, random: &random))]"# }
        if random.next() % 100 < 40 { line += #","place":"\#(Self.places[Int(random.next() % UInt64(Self.places.count))])""# }
        line += #","quote":"\#(quote)"}"#
        return line
    }

    // MARK: Vocabulary

    private static let kinds: [FactKind] = [.attack, .ransomPayment, .shutdown, .dataTheft, .summit, .talks, .statement, .statement, .statement,
                                            .agreement, .denial, .accusation, .request, .proposal, .report, .report]
    private static let places = ["Geneva", "Washington", "Moscow", "Brussels", "the U.S. Southeast", "London", "Kyiv", "Beijing", "Berlin", "online"]
    private static let publishers: [(name: String, slug: String)] = [
        ("Reuters", "reuters"), ("Associated Press", "ap"), ("Agence France-Presse", "afp"), ("Bloomberg", "bloomberg"),
        ("The Record", "therecord"), ("BBC News", "bbc"), ("Deutsche Welle", "dw"), ("Kyodo News", "kyodo"),
    ]

    private static func roles(for kind: FactKind) -> (String, String) {
        switch kind {
        case .attack, .dataTheft: ("attacker", "target")
        case .ransomPayment: ("payer", "recipient")
        case .shutdown: ("subject", "mentioned")
        case .summit, .talks, .agreement: ("participant", "participant")
        case .statement, .denial, .report: ("speaker", "subject")
        case .accusation: ("speaker", "subject")
        case .request, .proposal: ("speaker", "recipient")
        case .other: ("subject", "mentioned")
        }
    }

    /// What happened, in a few words.
    private static func phrase(_ kind: FactKind) -> String {
        switch kind {
        case .attack: "a cyber-attack disrupts operations"
        case .ransomPayment: "a ransom is paid to the attackers"
        case .shutdown: "operations are shut down as a precaution"
        case .dataTheft: "attackers steal internal data"
        case .summit: "leaders meet for a summit"
        case .talks: "delegations hold talks"
        case .statement: "an official makes a statement"
        case .agreement: "the sides agree to start consultations"
        case .denial: "a government denies involvement"
        case .accusation: "officials blame a foreign group"
        case .request: "a government requests information"
        case .proposal: "a list of protected sectors is proposed"
        case .report: "a newspaper reports new details"
        case .other: "something else happens"
        }
    }

    private static func summary(kind: FactKind, fact: Int) -> String {
        let text = phrase(kind)
        return text.prefix(1).uppercased() + text.dropFirst() + " (fact \(fact))"
    }

    /// A sentence of an article, unique to the fact, that serves as its verbatim quote.
    private static func sentence(kind: FactKind, factNumber: Int, variant: Int, random: inout SplitMix) -> String {
        let openers = ["Officials said on the record that", "According to people familiar with the matter,", "In a statement released late in the day,",
                       "Speaking to reporters after the meeting,", "Documents reviewed by this newspaper show that", "A spokesperson confirmed that"]
        let opener = openers[Int(random.next() % UInt64(openers.count))]
        let tail = variant == 0 ? "and further details would follow in the coming days" : "again, as an earlier report had said"
        return "\(opener) \(phrase(kind)) \(tail) (ref. \(factNumber)-\(variant))."
    }

    private static func quantity(kind: FactKind, random: inout SplitMix) -> String {
        switch random.next() % 4 {
        case 0:
            let currency = ["USD", "EUR", "RUB", "GBP"][Int(random.next() % 4)]
            let millions = Double(random.next() % 900 + 10) / 10
            return #"{"name":"ransom","value":\#(Int(millions * 1_000_000)),"unit":"\#(currency)","approximate":\#(random.next() % 2 == 0)}"#
        case 1:
            return #"{"name":"duration","value":\#(Double(random.next() % 90 + 5) / 10),"unit":"\#(["h", "d", "min"][Int(random.next() % 3)])"}"#
        case 2:
            return #"{"name":"payment","value":\#(Double(random.next() % 5000) / 100),"unit":"\#(["BTC", "ETH"][Int(random.next() % 2)])","approximate":true}"#
        default:
            return #"{"name":"affected","value":\#(random.next() % 500 + 2),"unit":"\#(["people", "sectors", "systems"][Int(random.next() % 3)])"}"#
        }
    }

    /// A date around `day` with the mix of precisions news reports give.
    private static func randomWhen(day: Int64, random: inout SplitMix) -> String {
        let roll = random.next() % 100
        let precision: Precision = roll < 55 ? .day : roll < 75 ? .month : roll < 83 ? .year : roll < 88 ? .minute : roll < 98 ? .interval : .open
        var text = date(day: day, precision: precision, random: &random)
        if precision != .interval && precision != .open {
            let qualifier = random.next() % 100
            if qualifier < 10 { text += "~" } else if qualifier < 13 { text += "?" }
        }
        return text
    }

    private enum Precision { case year, month, day, minute, interval, open }

    private static func date(day: Int64, precision: Precision, random: inout SplitMix) -> String {
        let (y, m, d) = civil(day)
        switch precision {
        case .year: return pad(y, 4)
        case .month: return "\(pad(y, 4))-\(pad(m, 2))"
        case .day: return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        case .minute: return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(Int(random.next() % 24), 2)):\(pad(Int(random.next() % 60), 2))Z"
        case .interval:
            let (y2, m2, d2) = civil(day + Int64(random.next() % 20) + 1)
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))/\(pad(y2, 4))-\(pad(m2, 2))-\(pad(d2, 2))"
        case .open: return "\(pad(y, 4))-\(pad(m, 2))/.."
        }
    }

    // MARK: Actors

    private static let syllables = ["al", "be", "cor", "dan", "el", "fa", "gor", "han", "is", "jo", "ka", "lin", "mar", "nor", "os", "pe",
                                    "quin", "ro", "sa", "tor", "ul", "ve", "win", "xa", "yo", "zan"]

    static func actorID(_ index: Int) -> String { "actor-\(pad(index, 5))" }

    private static func actorName(_ index: Int) -> (name: String, kind: String) {
        var value = index &* 2_654_435_761 % 1_000_003
        func word() -> String {
            let a = syllables[value % syllables.count]
            let b = syllables[(value / 26) % syllables.count]
            value = value / 7 + 13
            return (a + b).prefix(1).uppercased() + (a + b).dropFirst()
        }
        switch index % 10 {
        case 0...5: return ("\(word()) \(word()) \(index)", "person")
        case 6, 7: return ("\(word()) Systems \(index)", "organisation")
        case 8: return ("The \(word()) Group \(index)", "group")
        default: return ("Republic of \(word()) \(index)", "country")
        }
    }

    private static func aliasRecord(_ index: Int) -> String {
        let (name, kind) = actorName(index)
        var aliases: [String] = []
        if kind == "person" {
            let words = name.split(separator: " ")
            aliases = ["Minister \(name)", "\(words.first?.prefix(1) ?? "X"). \(words.dropFirst().first ?? "") \(index)"]
        }
        if kind == "organisation" { aliases = ["\(name) Inc."] }
        return #"{"type":"alias","actor":"\#(actorID(index))","name":"\#(name)","kind":"\#(kind)","aliases":[\#(aliases.map { "\"\($0)\"" }.joined(separator: ","))]}"#
    }

    // MARK: Calendar and text helpers

    private static func day(year: Int, month: Int, day: Int) -> Int64 {
        CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    private static func civil(_ day: Int64) -> (Int, Int, Int) {
        let (y, m, d) = CivilDate.fromDaysSinceEpoch(day)
        return (Int(y), Int(m), Int(d))
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
