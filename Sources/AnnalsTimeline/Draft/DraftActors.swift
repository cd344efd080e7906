import AnnalsDomain
import AnnalsTimelineProjections

/// An actor a draft names: one the store already holds, or one the drafter proposes.
struct DraftActor: Sendable {
    let id: String
    var name: String
    var kind: ActorKind
    /// Other names the text uses for it (for a proposed actor).
    var aliases: [String] = []
    /// Whether the store already holds it (so the draft need not declare it).
    let isKnown: Bool
    /// Why its kind was guessed so, for the reviewer.
    var kindReason: String = ""
}

/// Finds the actors a sentence names: names the store knows under any alias, countries, and
/// capitalised names the lexicon's `actors` file helps classify.
struct DraftActorReader: Sendable {
    private let titles: [[String]]
    private let countries: [(name: String, words: [String])]
    private let groupWords: Set<String>
    private let organisationWords: Set<String>
    private let notNames: Set<String>
    private let placeWords: Set<String> = ["in", "at", "near", "outside", "inside"]

    /// Every actor found so far, by id, in order of first mention.
    private(set) var actors: [DraftActor] = []
    /// Folded name → index into `actors`.
    private var byName: [String: Int] = [:]
    /// Id → index into `actors`.
    private var byID: [String: Int] = [:]
    /// A person's surname, folded → the first person found with it.
    private var personBySurname: [String: Int] = [:]
    /// The next number to try after an id already taken, per id: names that make one slug are
    /// numbered in one step each, however many there are.
    private var nextSuffix: [String: Int] = [:]
    /// Store names (folded) → (id, display name, kind).
    private let known: [String: (id: String, name: String, kind: ActorKind)]
    private let knownIDs: Set<String>

    init(lexicon: DraftLexicon, knownActors: [ActorRecord]) {
        titles = lexicon.phrases("person-titles").map(\.words).sorted { $0.count > $1.count }
        countries = lexicon.phrases("countries").map { ($0.key, $0.words) }.sorted { $0.words.count > $1.words.count }
        groupWords = lexicon.words("group-words")
        organisationWords = lexicon.words("organisation-words")
        notNames = lexicon.words("not-names")
        var known: [String: (String, String, ActorKind)] = [:]
        for actor in knownActors {
            for name in [actor.id, actor.name] + actor.aliases { known[ActorName.key(name)] = (actor.id, actor.name, actor.kind) }
        }
        self.known = known
        knownIDs = Set(knownActors.map(\.id))
    }

    /// Whether the tokens at `start` are `words`; the last may carry a possessive ("Russia’s").
    private func matches(_ words: [String], _ tokens: [DraftToken], at start: Int) -> Bool {
        guard start >= 0, start + words.count <= tokens.count else { return false }
        for (offset, word) in words.enumerated() {
            let token = tokens[start + offset].lower
            guard token == word || (offset == words.count - 1 && token.utf8.count > word.utf8.count && token.utf8.starts(with: word.utf8)
                                    && Self.withoutPossessive(Substring(token)) == word) else { return false }
        }
        return true
    }

    /// A name's text without a possessive: "Russia’s" → "Russia".
    private static func withoutPossessive(_ word: Substring) -> Substring {
        for suffix in ["’s", "'s", "’", "'"] where word.hasSuffix(suffix) { return word.dropLast(suffix.count) }
        return word
    }

    /// Whether a word is never a name by itself: one of the lexicon's, a contraction of one
    /// ("We’re", "It’s", "Don’t"), or an adjective made with a hyphen ("Brazilian-owned",
    /// "Miami-based", "Russia-linked").
    private func isNotName(_ lower: String) -> Bool {
        if notNames.contains(lower) { return true }
        if let hyphen = lower.lastIndex(of: "-"), ["owned", "based", "linked", "backed", "led", "born", "run", "made"].contains(lower[lower.index(after: hyphen)...]) {
            return true
        }
        let plain = lower.replacing("’", with: "'")
        for ending in ["'re", "'m", "'ll", "'ve", "'d", "'s", "n't"] where plain.hasSuffix(ending) {
            let base = String(plain.dropLast(ending.count))
            if notNames.contains(base) || ending == "n't" { return true }
        }
        return false
    }

    /// The actors named in a sentence, each with the index of its first and last token.
    mutating func find(in tokens: [DraftToken], skipping taken: Set<Int>) -> [(actor: Int, tokens: Range<Int>)] {
        var found: [(Int, Range<Int>)] = []
        var index = 0
        while index < tokens.count {
            // Countries first: "the United States", "U.S.".
            if let country = countries.first(where: { matches($0.words, tokens, at: index) }),
               tokens[index].isCapitalized || tokens[index].lower.first?.isLetter == false {
                let end = index + country.words.count
                // "U.S. President Joe Biden": a country before a title qualifies the title.
                if titles.contains(where: { matches($0, tokens, at: end) }) == false || country.words.count > 1 {
                    // The store may know the country under the name the text uses ("Great Britain").
                    let written = tokens[index..<end].map { String(Self.withoutPossessive($0.text)) }.joined(separator: " ")
                    if let store = known[ActorName.key(written)] {
                        found.append((actor(knownID: store.id, name: store.name, kind: store.kind, key: ActorName.key(written)), index..<end))
                    } else {
                        found.append((actor(named: country.name, kind: .country, reason: "a country"), index..<end))
                    }
                }
                index = end
                continue
            }
            guard tokens[index].isCapitalized, !taken.contains(index) else { index += 1; continue }
            // A run of capitalised words, with "of" between them: U.S. Homeland Security Department.
            var end = index
            while end < tokens.count, !taken.contains(end),
                  tokens[end].isCapitalized || (tokens[end].lower == "of" && end + 1 < tokens.count && tokens[end + 1].isCapitalized && end > index) {
                end += 1
                if end > index, Self.withoutPossessive(tokens[end - 1].text).count != tokens[end - 1].text.count { break }
            }
            // A group named by a capitalised word and what it is: "DarkSide hackers", "REvil gang".
            if end < tokens.count, end > index, groupWords.contains(tokens[end].lower), !tokens[end].isCapitalized { end += 1 }
            defer { index = end }
            var first = index
            var isPerson = false
            // A title before the name makes it a person: President Joe Biden, Russian President Vladimir Putin.
            var scan = index
            while scan < end {
                if let title = titles.first(where: { matches($0, tokens, at: scan) }) {
                    first = scan + title.count
                    isPerson = true
                    scan = first
                } else {
                    scan += 1
                }
            }
            if !isPerson, first > 0, titles.contains(where: { matches($0, tokens, at: first - $0.count) }) { isPerson = true }
            while first < end, isNotName(tokens[first].lower) { first += 1 }
            guard first < end else { continue }
            let words = tokens[first..<end].map { String(Self.withoutPossessive($0.text)) }
            let name = words.joined(separator: " ")
            let key = ActorName.key(name)
            guard !name.isEmpty, name.count <= ActorName.maximumLength else { continue }
            if let existing = byName[key] {
                found.append((existing, first..<end))
                continue
            }
            if let store = known[key] {
                found.append((actor(knownID: store.id, name: store.name, kind: store.kind, key: key), first..<end))
                continue
            }
            // A surname of a person already found: "Biden" after "Joe Biden".
            if words.count == 1, let person = personBySurname[key] {
                if !actors[person].isKnown, !actors[person].aliases.contains(name) { actors[person].aliases.append(name) }
                byName[key] = person
                found.append((person, first..<end))
                continue
            }
            // A place, not an actor: in Geneva, at Villa La Grange.
            if first > 0, placeWords.contains(tokens[first - 1].lower) { continue }
            // A lone capitalised word opening the sentence is as likely a common word ("Officials
            // said"); it is taken for a name only before a lower-case word and when it is not a
            // plural ("Putin denied", "Microsoft said").
            if !tokens[..<first].contains(where: \.isWord), words.count == 1, !isPerson {
                let lower = tokens[first].lower
                let beforeVerb = end < tokens.count && tokens[end].isWord && !tokens[end].isCapitalized
                guard beforeVerb, !lower.hasSuffix("s") || organisationWords.contains(lower) else { continue }
            }
            let lowerWords = Set(tokens[first..<end].map { String(Self.withoutPossessive(Substring($0.lower))) })
            let kind: ActorKind
            let reason: String
            if isPerson {
                (kind, reason) = (.person, "a title before the name")
            } else if !lowerWords.isDisjoint(with: groupWords) {
                (kind, reason) = (.group, "a word of a group in the name")
            } else if !lowerWords.isDisjoint(with: organisationWords) {
                (kind, reason) = (.organisation, "a word of an organisation in the name")
            } else if words.count >= 2, words.count <= 3, words.allSatisfy({ $0.allSatisfy { $0.isLetter || $0 == "-" || $0 == "." } }) {
                (kind, reason) = (.person, "two or three capitalised words")
            } else {
                (kind, reason) = (.organisation, "no sign of a person, a country or a group")
            }
            found.append((actor(named: name, kind: kind, reason: reason), first..<end))
        }
        return found
    }

    private mutating func actor(knownID id: String, name: String, kind: ActorKind, key: String) -> Int {
        if let index = byID[id] {
            byName[key] = index
            return index
        }
        append(DraftActor(id: id, name: name, kind: kind, isKnown: true))
        byName[key] = actors.count - 1
        return actors.count - 1
    }

    private mutating func actor(named name: String, kind: ActorKind, reason: String) -> Int {
        let key = ActorName.key(name)
        if let existing = byName[key] { return existing }
        if let store = known[key] { return actor(knownID: store.id, name: store.name, kind: store.kind, key: key) }
        var id = Self.slug(name)
        let base = id
        var suffix = nextSuffix[base] ?? 2
        while knownIDs.contains(id) || byID[id] != nil || known[ActorName.key(id)] != nil {
            id = "\(base)-\(suffix)"
            suffix += 1
        }
        nextSuffix[base] = suffix
        append(DraftActor(id: id, name: name, kind: kind, isKnown: false, kindReason: reason))
        byName[key] = actors.count - 1
        return actors.count - 1
    }

    /// Adds `actor` to those found, and to the indexes by id and by a person's surname.
    private mutating func append(_ actor: DraftActor) {
        actors.append(actor)
        byID[actor.id] = actors.count - 1
        if actor.kind == .person, let surname = ActorName.key(actor.name).split(separator: " ").last.map(String.init), personBySurname[surname] == nil {
            personBySurname[surname] = actors.count - 1
        }
    }

    /// An id from a name: lower-case ASCII letters and digits joined by `-`, at most 60 characters.
    static func slug(_ text: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash, !slug.isEmpty { slug += "-" }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
            if slug.count >= 60 { break }
        }
        return slug.isEmpty ? "actor" : slug
    }
}
