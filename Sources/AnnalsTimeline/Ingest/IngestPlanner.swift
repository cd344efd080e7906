import AnnalsDomain
import AnnalsLog
import AnnalsTimelineProjections
import LMDB

/// Pass one of an ingest: reads every record, checks it against the store's snapshot and the
/// records before it, and stages the events it produces. Nothing is written to the store; the
/// first problem stops the ingest with its file, line and field.
final class IngestPlanner {
    struct Counts: Sendable, Hashable {
        var articles = 0
        var facts = 0
        var corrections = 0
        var retractions = 0
        var actorEvents = 0
        /// Records whose events the store already holds, byte for byte.
        var unchanged = 0
    }

    let store: TimelineStore
    let staged = StagedEvents()
    private(set) var counts = Counts()
    private let ledger = ReferenceLedger()
    private var ordinal: UInt64 = 0

    /// Recently seen articles: their folded text and what they have asserted, corrected and
    /// retracted, for quote and duplicate checks. Bounded; see ``articleCacheLimit``.
    private var articles: [String: CachedArticle] = [:]
    private var articleOrder: [String] = []
    static let articleCacheLimit = 1024

    /// Actors declared by the input so far: their kind, and how many names (display name and
    /// aliases) they have in the store and the input together.
    private var declaredActors: [String: DeclaredActor] = [:]
    /// Names (keys) the input has given to actors, and whose they are.
    private var inputNameOwners: [String: NameOwner] = [:]
    private var currentBatchArticle: String?
    private var lastArticleEventID: (article: String, id: String)?
    /// Where each staged event's payload, id and source are written before they are copied
    /// into ``staged``: reused, so that staging allocates nothing per event.
    private var payloadScratch = PayloadWriter(capacity: 4096)
    private var idScratch: [UInt8] = []
    private var sourceScratch: [UInt8] = []

    private struct DeclaredActor {
        let kind: ActorKind
        var names: Int
    }

    /// The actor a name (by its key) belongs to, and the name as that actor has it.
    private struct NameOwner {
        let actor: String
        let name: String
    }

    /// A class, changed in place through the dictionary's reference: changing a value in a
    /// dictionary goes through an accessor that cost two allocations per record.
    private final class CachedArticle {
        let text: FoldedText
        /// Room for a few facts from the start: grown from empty, the set reallocates at the
        /// first, second, fourth and seventh fact of every article.
        var asserted = Set<String>(minimumCapacity: 8)
        var corrected: Set<String> = []
        var retracted: Set<String> = []

        init(text: FoldedText) { self.text = text }
    }

    init(store: TimelineStore) {
        self.store = store
    }

    /// Validates and stages every record of `stream` against `txn`'s snapshot.
    func plan(_ stream: RecordStream, states: ProjectionStates, txn: borrowing Transaction, progress: ((Int, Int) -> Void)?) throws {
        let pipeline = RecordPipeline(stream)
        defer { pipeline.finish() }
        var sinceProgress = 0
        var bytesRead = 0
        while let (record, fileIndex, read) = try pipeline.next() {
            ordinal += 1
            bytesRead = read
            try plan(record, fileIndex: fileIndex, states: states, txn: txn)
            sinceProgress += 1
            if sinceProgress == 4096 {
                sinceProgress = 0
                progress?(bytesRead, pipeline.totalBytes)
            }
        }
        progress?(pipeline.totalBytes, pipeline.totalBytes)
        if let problem = try ledger.check(fileName: { pipeline.files[$0].path }) {
            throw InputError(file: pipeline.files[problem.fileIndex].path, line: problem.line, field: nil, message: problem.message)
        }
    }

    private func plan(_ record: InputRecord, fileIndex: Int, states: ProjectionStates, txn: borrowing Transaction) throws {
        let location = record.location
        if let article = record.article, article != currentBatchArticle {
            currentBatchArticle = article
            try staged.beginArticle()
        }
        switch record {
        case let .article(article, _):
            try requireKey(bytes: article.id.utf8.count, of: "the sources projection's article key", location: location)
            try ledger.noteArticle(article.id, ordinal: ordinal, at: location, fileIndex: fileIndex)
            counts.articles += 1
            try stage(.article(article.id), DomainEventType.articleRecorded, article, correlationID: record.article, causationID: nil, location,
                      what: "article \(article.id)", field: "id", txn: txn)
            remember(article.id, CachedArticle(text: FoldedText(article.text)))

        case let .actor(declaration, _):
            try planActor(declaration, location: location, correlationID: record.article, states: states, txn: txn)

        case let .fact(fact, _):
            try withArticle(fact.article, citedAt: location, states: states, txn: txn) { cached in
                guard cached.asserted.insert(fact.fact).inserted else {
                    throw location.error("id", "fact \(fact.fact) is asserted twice by article \(fact.article)")
                }
                guard cached.text.contains(fact.quote) else { throw location.error("quote", QuoteCheck.notFound(fact.quote, in: "article \(fact.article)")) }
            }
            try checkActors(fact.actors, field: "actors", location: location, states: states, txn: txn)
            try requireFactKeys(article: fact.article, fact: fact.fact, actors: fact.actors, location: location)
            try ledger.noteAssertion(of: fact.fact, ordinal: ordinal, at: location, fileIndex: fileIndex)
            counts.facts += 1
            try stage(.assertion(article: fact.article, fact: fact.fact), DomainEventType.factAsserted, fact,
                      correlationID: fact.article, causationID: articleEventID(fact.article), location, what: "fact \(fact.fact) of article \(fact.article)", field: "id", txn: txn)

        case let .correction(correction, _):
            try withArticle(correction.article, citedAt: location, states: states, txn: txn) { cached in
                guard cached.corrected.insert(correction.fact).inserted else {
                    throw location.error("fact", "fact \(correction.fact) is corrected twice by article \(correction.article)")
                }
                if let quote = correction.quote, !cached.text.contains(quote) {
                    throw location.error("quote", QuoteCheck.notFound(quote, in: "article \(correction.article)"))
                }
            }
            if let actors = correction.fields.actors { try checkActors(actors, field: "fields.actors", location: location, states: states, txn: txn) }
            try requireFactKeys(article: correction.article, fact: correction.fact, actors: correction.fields.actors ?? [], location: location)
            try requireFact(correction.fact, location: location, fileIndex: fileIndex, states: states, txn: txn)
            counts.corrections += 1
            try stage(.correction(article: correction.article, fact: correction.fact), DomainEventType.factCorrected, correction,
                      correlationID: correction.article, causationID: articleEventID(correction.article), location, what: "the correction of fact \(correction.fact) by article \(correction.article)", field: "fact", txn: txn)

        case let .retraction(retraction, _):
            try withArticle(retraction.article, citedAt: location, states: states, txn: txn) { cached in
                guard cached.retracted.insert(retraction.fact).inserted else {
                    throw location.error("fact", "fact \(retraction.fact) is retracted twice by article \(retraction.article)")
                }
                if let quote = retraction.quote, !cached.text.contains(quote) {
                    throw location.error("quote", QuoteCheck.notFound(quote, in: "article \(retraction.article)"))
                }
            }
            try requireFactKeys(article: retraction.article, fact: retraction.fact, actors: [], location: location)
            try requireFact(retraction.fact, location: location, fileIndex: fileIndex, states: states, txn: txn)
            counts.retractions += 1
            try stage(.retraction(article: retraction.article, fact: retraction.fact), DomainEventType.factRetracted, retraction,
                      correlationID: retraction.article, causationID: articleEventID(retraction.article), location, what: "the retraction of fact \(retraction.fact) by article \(retraction.article)", field: "fact", txn: txn)
        }
    }

    /// Stages an event, unless the store already holds one with this id: then the bytes must
    /// match, because events are immutable. Its source is `location`.
    ///
    /// The log's own check comes first, so that an event the log would refuse is refused here,
    /// with the record's place, and never halfway through an append.
    private func stage(_ id: DomainEventID.Spelling, _ type: EventTypeName, _ payload: some EventRecord, correlationID: String?, causationID: String?,
                       _ location: SourceLocation, what: @autoclosure () -> String, field: @autoclosure () -> String, txn: borrowing Transaction) throws {
        payload.encode(into: &payloadScratch)
        id.write(into: &idScratch)
        Self.eventSource(location, into: &sourceScratch)
        // Every field is lent in place, so the event lives only in here; staging copies it.
        try idScratch.withUnsafeBytes { id in
            try sourceScratch.withUnsafeBytes { source in
                try payloadScratch.bytes.withUnsafeBytes { payload in
                    try type.bytes.withUnsafeBytes { type in
                        try BorrowedEvent.withUTF8(of: correlationID) { correlationID in
                            try BorrowedEvent.withUTF8(of: causationID) { causationID in
                                let event = BorrowedEvent(
                                    id: id, type: type, schemaVersion: DomainEventType.schemaVersion, source: source, correlationID: correlationID,
                                    causationID: causationID, payload: payload)
                                try stage(event, location, what: what(), field: field(), txn: txn)
                            }
                        }
                    }
                }
            }
        }
    }

    private func stage(_ event: BorrowedEvent, _ location: SourceLocation, what: @autoclosure () -> String, field: @autoclosure () -> String,
                       txn: borrowing Transaction) throws {
        if let problem = EventLog.problem(with: event) {
            throw location.error(field(), "\(what()) makes an event the log cannot hold: its \(problem)")
        }
        if let position = try store.log.position(ofID: event.id, in: txn) {
            guard let existing = try store.log.view(at: position, in: txn) else {
                throw IngestError.eventMissing(id: String(decoding: event.id, as: UTF8.self), position: position, citedAt: location)
            }
            guard existing.payload.elementsEqual(event.payload) else {
                throw location.error(field(), "\(what()) differs from what the store recorded at position \(position); events are immutable, so record the change as a correction")
            }
            counts.unchanged += 1
            return
        }
        try staged.append(event)
    }

    /// Writes the source of the events made from the record at `location` into `source`,
    /// emptied first: `file:line` (``SourceLocation/appendDescription(to:)``), with no string
    /// made per record. A location too long for the log is cut as ``eventSource(_:)`` cuts it.
    static func eventSource(_ location: SourceLocation, into source: inout [UInt8]) {
        source.removeAll(keepingCapacity: true)
        location.appendDescription(to: &source)
        if source.count > EventLog.maximumFieldBytes {
            source.removeAll(keepingCapacity: true)
            source.append(contentsOf: eventSource(location).utf8)
        }
    }

    /// `source` is descriptive (re-ingesting compares payloads only), so a location too long
    /// for the log keeps its end, the file name and line, after a `…` marking the cut, and the
    /// cut falls between characters.
    static func eventSource(_ location: SourceLocation) -> String {
        let full = location.description
        guard full.utf8.count > EventLog.maximumFieldBytes else { return full }
        let marker = "…"
        var budget = EventLog.maximumFieldBytes - marker.utf8.count
        var start = full.endIndex
        while start > full.startIndex {
            let previous = full.index(before: start)
            let width = full.utf8.distance(from: previous, to: start)
            guard width <= budget else { break }
            budget -= width
            start = previous
        }
        return marker + full[start...]
    }

    // MARK: Projection keys

    /// Every key the built-in projections derive from the ids of a fact event must fit LMDB's
    /// key limit. Ids are at most ``Identifier/maximumLength`` bytes, which keeps these keys far
    /// below it; checked all the same, so that a wider id rule cannot fail halfway through an append.
    private func requireFactKeys(article: String, fact: String, actors: [ActorInvolvement], location: SourceLocation) throws {
        try requireKey(bytes: TimelineProjection.longestKeyBytes(fact: fact, actor: "").fact, of: "the timeline projection's fact key", location: location)
        try requireKey(bytes: SourcesProjection.factKeyBytes(article: article, fact: fact), of: "the sources projection's key", location: location)
        for involvement in actors {
            try requireKey(bytes: TimelineProjection.longestKeyBytes(fact: fact, actor: involvement.actor).actor,
                           of: "the timeline projection's per-actor key", location: location)
        }
    }

    /// Refuses an id that makes a key of `bytes` longer than LMDB holds; the checks run for
    /// every record, so the message is made only when one fails.
    private func requireKey(bytes: Int, of what: @autoclosure () -> String, location: SourceLocation) throws {
        guard bytes > InputLimits.keyBytes else { return }
        throw location.error("id", "makes \(what()) \(bytes) bytes long; LMDB holds keys of at most \(InputLimits.keyBytes) bytes")
    }

    // MARK: Articles

    /// The id of `article`'s event, which every record of the article cites: made once per
    /// article, as the records of one article come together.
    private func articleEventID(_ article: String) -> String {
        if let last = lastArticleEventID, last.article == article { return last.id }
        let id = DomainEventID.article(article)
        lastArticleEventID = (article, id)
        return id
    }

    private func remember(_ id: String, _ article: CachedArticle) {
        if articles.updateValue(article, forKey: id) == nil {
            articleOrder.append(id)
            if articleOrder.count > Self.articleCacheLimit {
                articles.removeValue(forKey: articleOrder.removeFirst())
            }
        }
    }

    /// Calls `body` with the cached article a record cites, loaded from the store when needed.
    private func withArticle(_ id: String, citedAt location: SourceLocation, states: ProjectionStates, txn: borrowing Transaction,
                             _ body: (CachedArticle) throws -> Void) throws {
        try body(try articles[id] ?? loadArticle(id, citedAt: location, states: states, txn: txn))
    }

    private func loadArticle(_ id: String, citedAt location: SourceLocation, states: ProjectionStates, txn: borrowing Transaction) throws -> CachedArticle {
        guard let summary = try SourcesProjection.article(id, in: states.sources, txn: txn) else {
            throw location.error("article", "article \(id) is not recorded: its record must come before the records that cite it, or be in the store already")
        }
        guard let event = try store.log.view(at: summary.position, in: txn) else {
            throw IngestError.articleEventMissing(article: id, position: summary.position, citedAt: location)
        }
        let article = CachedArticle(text: FoldedText(try ArticleRecord(event).text))
        remember(id, article)
        return article
    }

    // MARK: Facts

    private func requireFact(_ fact: String, location: SourceLocation, fileIndex: Int, states: ProjectionStates, txn: borrowing Transaction) throws {
        if try TimelineProjection.Reader(states.timeline).firstPosition(ofFact: fact, txn: txn) != nil { return }
        try ledger.noteReference(to: fact, ordinal: ordinal, at: location, fileIndex: fileIndex)
    }

    // MARK: Actors

    private func actorKind(_ id: String, states: ProjectionStates, txn: borrowing Transaction) throws -> ActorKind? {
        if let actor = declaredActors[id] { return actor.kind }
        return try ActorsProjection.record(id, in: states.actors, txn: txn)?.kind
    }

    private func checkActors(_ actors: [ActorInvolvement], field: String, location: SourceLocation, states: ProjectionStates, txn: borrowing Transaction) throws {
        for (index, involvement) in actors.enumerated() where try actorKind(involvement.actor, states: states, txn: txn) == nil {
            throw location.error("\(field)[\(index)].actor", "actor \(involvement.actor) is not declared; declare it under actors (YAML) or in an alias record (JSON Lines), or ingest it first")
        }
    }

    /// The actor whose name `key` is, in the input so far or the store, and how it has the name.
    private func owner(ofName key: String, states: ProjectionStates, txn: borrowing Transaction) throws -> NameOwner? {
        if let owner = inputNameOwners[key] { return owner }
        guard let actor = try ActorsProjection.owner(ofNameKey: key, in: states.actors, txn: txn)?.actor else { return nil }
        let record = try ActorsProjection.record(actor, in: states.actors, txn: txn)
        let spelled = record.flatMap { record in ([record.id, record.name] + record.aliases).first { ActorName.key($0) == key } }
        return NameOwner(actor: actor, name: spelled ?? key)
    }

    /// Why `name` cannot be given to another actor than `owner`'s, in one sentence that says
    /// which name it clashes with when the spelling differs.
    private func clash(_ name: String, with owner: NameOwner) -> String {
        guard owner.name != name else { return "\(shown(name)) already names actor \(owner.actor); a name belongs to one actor" }
        let which = owner.name == owner.actor ? "the id of actor \(owner.actor)" : "a name of actor \(owner.actor)"
        return "\(shown(name)) is taken: it matches \(shown(owner.name)), \(which), as names are compared ignoring case, spacing and Unicode form; a name belongs to one actor"
    }

    private func planActor(_ declaration: ActorDeclaration, location: SourceLocation, correlationID: String?, states: ProjectionStates, txn: borrowing Transaction) throws {
        let id = declaration.id
        var actor = try declaredActor(id, states: states, txn: txn)
        if let known = actor?.kind, let kind = declaration.kind, kind != known {
            throw location.error("kind", "actor \(id) is already a \(known); an actor's kind does not change")
        }
        let isNew = actor == nil
        if isNew {
            guard let name = declaration.name else { throw location.error("name", "is missing; a new actor needs a name") }
            guard let kind = declaration.kind else { throw location.error("kind", "is missing; a new actor needs a kind (\(ActorKind.allCases.map(\.rawValue).joined(separator: ", ")))") }
            // The id is a name of its actor too: `annals actor tester` finds actor tester.
            let idKey = try unclaimedKey(id, field: "id", of: id, location: location, states: states, txn: txn)
            let nameKey = try unclaimedKey(name, field: "name", of: id, location: location, states: states, txn: txn)
            actor = DeclaredActor(kind: kind, names: 1)
            inputNameOwners[idKey] = NameOwner(actor: id, name: id)
            inputNameOwners[nameKey] = NameOwner(actor: id, name: name)
            counts.actorEvents += 1
            try stage(.actor(id), DomainEventType.actorNamed, ActorNaming(actor: id, name: name, kind: kind),
                      correlationID: correlationID, causationID: nil, location, what: "actor \(id)", field: "id", txn: txn)
        }
        guard var actor else { return }
        defer { declaredActors[id] = actor }
        // A known actor's display name, given again or anew, is one more of its names.
        if !isNew, let name = declaration.name {
            try planAlias(name, field: "name", of: id, actor: &actor, location: location, correlationID: correlationID, states: states, txn: txn)
        }
        for (index, alias) in declaration.aliases.enumerated() {
            try planAlias(alias, field: "aliases[\(index)]", of: id, actor: &actor, location: location, correlationID: correlationID, states: states, txn: txn)
        }
    }

    /// The lookup key of `text`, a name that new actor `id` takes: refused when it is too long
    /// or another actor has it already.
    private func unclaimedKey(_ text: String, field: String, of id: String, location: SourceLocation, states: ProjectionStates, txn: borrowing Transaction) throws -> String {
        let key = ActorName.key(text)
        try requireNameKey(key, of: text, field: field, location: location)
        if let other = try owner(ofName: key, states: states, txn: txn), other.actor != id {
            throw location.error(field, clash(text, with: other))
        }
        return key
    }

    /// Stages `name` as an alias of known actor `id`, unless the actor has it already. `field`
    /// names where the declaration gives it, and is made only for a message.
    private func planAlias(_ name: String, field: @autoclosure () -> String, of id: String, actor: inout DeclaredActor, location: SourceLocation,
                           correlationID: String?, states: ProjectionStates, txn: borrowing Transaction) throws {
        let key = ActorName.key(name)
        // Before the key is looked up: LMDB refuses to look up a key longer than it holds.
        try requireNameKey(key, of: name, field: field(), location: location)
        let owner = try owner(ofName: key, states: states, txn: txn)
        // A name the actor has already (its display name given again, say) makes no event.
        if owner?.actor == id { return }
        if let owner { throw location.error(field(), clash(name, with: owner)) }
        let eventID = DomainEventID.Spelling.alias(actor: id, aliasKey: key)
        if eventID.utf8Count > EventLog.maximumFieldBytes {
            let prefix = DomainEventID.alias(actor: id, alias: "")
            let length = key.utf8.count == name.utf8.count ? "is \(key.utf8.count) bytes long in UTF-8" : "is \(key.utf8.count) bytes long in UTF-8 once folded for lookup"
            throw location.error(field(), "\(shown(name)) \(length); an alias of actor \(id) may be at most \(EventLog.maximumFieldBytes - prefix.utf8.count), so that its event id (\(prefix)<alias>) fits in \(EventLog.maximumFieldBytes) bytes")
        }
        guard actor.names < InputLimits.namesPerActor else {
            throw location.error(field(), "\(shown(name)) would be one name too many: actor \(id) already has \(grouped(actor.names)) names (its display name and aliases), the most an actor may have")
        }
        actor.names += 1
        inputNameOwners[key] = NameOwner(actor: id, name: name)
        counts.actorEvents += 1
        try stage(eventID, DomainEventType.actorAliased, ActorAliasing(actor: id, alias: name),
                  correlationID: correlationID, causationID: nil, location, what: "alias \(shown(name)) of actor \(id)", field: field(), txn: txn)
    }

    /// The actor as the input has declared it so far, or as the store holds it.
    private func declaredActor(_ id: String, states: ProjectionStates, txn: borrowing Transaction) throws -> DeclaredActor? {
        if let actor = declaredActors[id] { return actor }
        guard let record = try ActorsProjection.record(id, in: states.actors, txn: txn) else { return nil }
        return DeclaredActor(kind: record.kind, names: 1 + record.aliases.count)
    }

    /// A name's lookup key is a key of the actors projection, so it must fit LMDB's limit.
    private func requireNameKey(_ key: String, of name: String, field: @autoclosure () -> String, location: SourceLocation) throws {
        guard key.utf8.count > InputLimits.keyBytes else { return }
        throw location.error(field(), "\(shown(name)) is \(key.utf8.count) bytes long once folded for lookup; a name may be at most \(InputLimits.keyBytes), the longest key LMDB holds")
    }
}
