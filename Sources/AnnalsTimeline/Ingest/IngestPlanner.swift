import AnnalsLog
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

    /// Actors declared by the input so far: their kind, and the names the input gave them.
    private var declaredActors: [String: ActorKind] = [:]
    /// Names (keys) the input has given to actors, and whose they are.
    private var inputNameOwners: [String: String] = [:]
    private var currentBatchArticle: String?

    private struct CachedArticle {
        let text: FoldedText
        var asserted: Set<String> = []
        var corrected: Set<String> = []
        var retracted: Set<String> = []
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
        if let problem = try ledger.check() {
            throw InputError(file: pipeline.files[problem.fileIndex].path, line: problem.line, field: nil, message: problem.message)
        }
    }

    private func plan(_ record: InputRecord, fileIndex: Int, states: ProjectionStates, txn: borrowing Transaction) throws {
        let location = record.location
        if let article = record.article, article != currentBatchArticle {
            currentBatchArticle = article
            try staged.beginArticle()
        }
        let metadata = EventMetadata(source: location.description, correlationID: record.article)
        switch record {
        case let .article(article, _):
            try ledger.noteArticle(article.id, ordinal: ordinal, at: location, fileIndex: fileIndex)
            counts.articles += 1
            try stage(DomainEventID.article(article.id), DomainEventType.articleRecorded, article.encoded(), metadata, location,
                      what: "article \(article.id)", field: "id", txn: txn)
            remember(article.id, CachedArticle(text: FoldedText(article.text)))

        case let .actor(declaration, _):
            try planActor(declaration, location: location, metadata: metadata, states: states, txn: txn)

        case let .fact(fact, _):
            var cached = try article(fact.article, citedAt: location, states: states, txn: txn)
            guard cached.asserted.insert(fact.fact).inserted else {
                throw location.error("id", "fact \(fact.fact) is asserted twice by article \(fact.article)")
            }
            guard cached.text.contains(fact.quote) else { throw location.error("quote", QuoteCheck.notFound(fact.quote, in: "article \(fact.article)")) }
            try checkActors(fact.actors, field: "actors", location: location, states: states, txn: txn)
            articles[fact.article] = cached
            try ledger.noteAssertion(of: fact.fact, ordinal: ordinal, at: location, fileIndex: fileIndex)
            counts.facts += 1
            try stage(DomainEventID.assertion(article: fact.article, fact: fact.fact), DomainEventType.factAsserted, fact.encoded(),
                      EventMetadata(source: location.description, correlationID: fact.article, causationID: DomainEventID.article(fact.article)),
                      location, what: "fact \(fact.fact) of article \(fact.article)", field: "id", txn: txn)

        case let .correction(correction, _):
            var cached = try article(correction.article, citedAt: location, states: states, txn: txn)
            guard cached.corrected.insert(correction.fact).inserted else {
                throw location.error("fact", "fact \(correction.fact) is corrected twice by article \(correction.article)")
            }
            if let quote = correction.quote, !cached.text.contains(quote) {
                throw location.error("quote", QuoteCheck.notFound(quote, in: "article \(correction.article)"))
            }
            if let actors = correction.fields.actors { try checkActors(actors, field: "fields.actors", location: location, states: states, txn: txn) }
            articles[correction.article] = cached
            try requireFact(correction.fact, location: location, fileIndex: fileIndex, states: states, txn: txn)
            counts.corrections += 1
            try stage(DomainEventID.correction(article: correction.article, fact: correction.fact), DomainEventType.factCorrected,
                      correction.encoded(), EventMetadata(source: location.description, correlationID: correction.article, causationID: DomainEventID.article(correction.article)),
                      location, what: "the correction of fact \(correction.fact) by article \(correction.article)", field: "fact", txn: txn)

        case let .retraction(retraction, _):
            var cached = try article(retraction.article, citedAt: location, states: states, txn: txn)
            guard cached.retracted.insert(retraction.fact).inserted else {
                throw location.error("fact", "fact \(retraction.fact) is retracted twice by article \(retraction.article)")
            }
            if let quote = retraction.quote, !cached.text.contains(quote) {
                throw location.error("quote", QuoteCheck.notFound(quote, in: "article \(retraction.article)"))
            }
            articles[retraction.article] = cached
            try requireFact(retraction.fact, location: location, fileIndex: fileIndex, states: states, txn: txn)
            counts.retractions += 1
            try stage(DomainEventID.retraction(article: retraction.article, fact: retraction.fact), DomainEventType.factRetracted,
                      retraction.encoded(), EventMetadata(source: location.description, correlationID: retraction.article, causationID: DomainEventID.article(retraction.article)),
                      location, what: "the retraction of fact \(retraction.fact) by article \(retraction.article)", field: "fact", txn: txn)
        }
    }

    /// Stages an event, unless the store already holds one with this id: then the bytes must
    /// match, because events are immutable.
    private func stage(_ id: String, _ type: EventTypeName, _ payload: [UInt8], _ metadata: EventMetadata, _ location: SourceLocation,
                       what: String, field: String, txn: borrowing Transaction) throws {
        if let position = try store.log.position(ofID: id, in: txn) {
            guard let existing = try store.log.view(at: position, in: txn), existing.payload.elementsEqual(payload) else {
                throw location.error(field, "\(what) differs from what the store recorded at position \(position); events are immutable, so record the change as a correction")
            }
            counts.unchanged += 1
            return
        }
        try staged.append(NewEvent(id: id, type: type.description, schemaVersion: DomainEventType.schemaVersion, metadata: metadata, payload: payload))
    }

    // MARK: Articles

    private func remember(_ id: String, _ article: CachedArticle) {
        if articles.updateValue(article, forKey: id) == nil {
            articleOrder.append(id)
            if articleOrder.count > Self.articleCacheLimit {
                articles.removeValue(forKey: articleOrder.removeFirst())
            }
        }
    }

    /// The cached article a record cites, loading it from the store when needed.
    private func article(_ id: String, citedAt location: SourceLocation, states: ProjectionStates, txn: borrowing Transaction) throws -> CachedArticle {
        if let cached = articles[id] { return cached }
        guard let summaryBytes = try txn.get(id, in: states.sources.articles) else {
            throw location.error("article", "article \(id) is not recorded: its record must come before the records that cite it, or be in the store already")
        }
        let summary = try ArticleSummary(decoding: summaryBytes)
        guard let event = try store.log.view(at: summary.position, in: txn) else {
            throw location.error("article", "article \(id) is indexed but its event at position \(summary.position) is missing; run `annals verify`")
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
        if let kind = declaredActors[id] { return kind }
        return try txn.get(id, in: states.actors.directory).map { try ActorRecord(decoding: $0).kind }
    }

    private func checkActors(_ actors: [ActorInvolvement], field: String, location: SourceLocation, states: ProjectionStates, txn: borrowing Transaction) throws {
        for (index, involvement) in actors.enumerated() where try actorKind(involvement.actor, states: states, txn: txn) == nil {
            throw location.error("\(field)[\(index)].actor", "actor \(involvement.actor) is not declared; declare it under actors (YAML) or in an alias record (JSON Lines), or ingest it first")
        }
    }

    /// The actor whose name `key` is, in the input so far or the store.
    private func owner(ofName key: String, states: ProjectionStates, txn: borrowing Transaction) throws -> String? {
        if let owner = inputNameOwners[key] { return owner }
        return try ActorsProjection.owner(ofNameKey: key, in: states.actors, txn: txn)?.actor
    }

    private func planActor(_ declaration: ActorDeclaration, location: SourceLocation, metadata: EventMetadata, states: ProjectionStates, txn: borrowing Transaction) throws {
        let id = declaration.id
        let known = try actorKind(id, states: states, txn: txn)
        if let known, let kind = declaration.kind, kind != known {
            throw location.error("kind", "actor \(id) is already a \(known); an actor's kind does not change")
        }
        var names: [(field: String, name: String)] = declaration.aliases.enumerated().map { ("aliases[\($0.offset)]", $0.element) }
        if let name = declaration.name { names.insert(("name", name), at: 0) }
        if known == nil {
            guard let name = declaration.name else { throw location.error("name", "is missing; a new actor needs a name") }
            guard let kind = declaration.kind else { throw location.error("kind", "is missing; a new actor needs a kind (\(ActorKind.allCases.map(\.rawValue).joined(separator: ", ")))") }
            for key in [ActorName.key(id), ActorName.key(name)] {
                if let other = try owner(ofName: key, states: states, txn: txn), other != id {
                    throw location.error("name", "\(String(reflecting: name)) already names actor \(other)")
                }
            }
            declaredActors[id] = kind
            inputNameOwners[ActorName.key(id)] = id
            inputNameOwners[ActorName.key(name)] = id
            counts.actorEvents += 1
            try stage(DomainEventID.actor(id), DomainEventType.actorNamed, ActorNaming(actor: id, name: name, kind: kind).encoded(),
                      metadata, location, what: "actor \(id)", field: "id", txn: txn)
            names.removeFirst()
        } else if declaredActors[id] == nil, let known {
            declaredActors[id] = known
        }
        for (field, name) in names {
            let key = ActorName.key(name)
            let owner = try owner(ofName: key, states: states, txn: txn)
            if owner == id { continue }
            if let owner {
                throw location.error(field, "\(String(reflecting: name)) already names actor \(owner); a name belongs to one actor")
            }
            inputNameOwners[key] = id
            counts.actorEvents += 1
            try stage(DomainEventID.alias(actor: id, alias: name), DomainEventType.actorAliased, ActorAliasing(actor: id, alias: name).encoded(),
                      metadata, location, what: "alias \(String(reflecting: name)) of actor \(id)", field: "aliases", txn: txn)
        }
    }
}
