import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import LMDB

/// Articles and the facts each one asserts, corrects or retracts.
///
/// - `articles`: article id → ``ArticleSummary``.
/// - `facts`: article id ‖ 0x00 ‖ fact id ‖ 0x00 ‖ action (`a`sserts, `c`orrects, `r`etracts) → position (8 bytes BE).
public struct SourcesProjection: Projection {
    public struct State: Sendable {
        let articles: Database
        let facts: Database
    }

    public let name = "sources"
    public let version = 1
    public let eventTypes = [DomainEventType.articleRecorded] + DomainEventType.factEvents
    public let databaseNames = ["articles", "facts"]

    public init() {}

    /// The length of a `facts` key, for checking ids against LMDB's key limit before an append.
    package static func factKeyBytes(article: String, fact: String) -> Int {
        factKeyBytes(articleBytes: article.utf8.count, factBytes: fact.utf8.count)
    }

    private static func factKeyBytes(articleBytes: Int, factBytes: Int) -> Int { articleBytes + factBytes + 3 }

    /// Calls `body` with the key of `fact`'s entry under `article` for `action`, made on the
    /// stack: the article, a zero byte, the fact, a zero byte, the action's byte.
    static func withFactKey<Result>(article: UnsafeRawBufferPointer, fact: UnsafeRawBufferPointer, action: FactAction,
                                    _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let count = factKeyBytes(articleBytes: article.count, factBytes: fact.count)
        return try withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { key in
            let base = key.baseAddress!
            if let source = article.baseAddress { base.copyMemory(from: source, byteCount: article.count) }
            base.storeBytes(of: 0, toByteOffset: article.count, as: UInt8.self)
            if let source = fact.baseAddress { (base + article.count + 1).copyMemory(from: source, byteCount: fact.count) }
            base.storeBytes(of: 0, toByteOffset: count - 2, as: UInt8.self)
            base.storeBytes(of: action.rawValue, toByteOffset: count - 1, as: UInt8.self)
            return try body(UnsafeRawBufferPointer(key))
        }
    }

    /// Where the article's id is in its record's one field list.
    private static let articleID = ArticleRecord.fieldIndex("id")

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(articles: databases["articles"], facts: databases["facts"])
    }

    /// What an article does to a fact; the raw value is the `facts` key's last byte.
    public enum FactAction: UInt8, Sendable {
        case asserts = 0x61, corrects = 0x63, retracts = 0x72

        /// The verb, as listings print it.
        public var word: String {
            switch self {
            case .asserts: "asserts"
            case .corrects: "corrects"
            case .retracts: "retracts"
            }
        }
    }

    /// The article recorded under `id`.
    package static func article(_ id: String, in state: State, txn: borrowing Transaction) throws -> ArticleSummary? {
        try txn.get(id, in: state.articles).map { try ArticleSummary(decoding: $0) }
    }

    /// Calls `body` with every recorded article, in id order.
    package static func forEachArticle(in state: State, txn: borrowing Transaction, _ body: (ArticleSummary) throws -> Void) throws {
        try txn.forEach(in: state.articles) { entry in
            try body(try ArticleSummary(decoding: entry.value))
            return true
        }
    }

    /// The facts article `id` asserts, corrects and retracts, by fact id, with the position of each event.
    package static func facts(ofArticle id: String, in state: State, txn: borrowing Transaction) throws -> [(fact: String, action: FactAction, position: UInt64)] {
        var facts: [(fact: String, action: FactAction, position: UInt64)] = []
        try txn.forEach(in: state.facts, range: .prefix(Array(id.utf8) + [0])) { entry in
            let rest = entry.key.dropFirst(id.utf8.count + 1)
            guard rest.count >= 3, let action = rest.last.flatMap(FactAction.init(rawValue:)), let position = entry.value.bigEndianUInt64 else {
                throw ProjectionError.damagedState(projection: "sources", what: "a fact of article \(String(reflecting: id))")
            }
            facts.append((String(decoding: rest.dropLast(2), as: UTF8.self), action, position))
            return true
        }
        return facts
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        if event.hasType(DomainEventType.articleRecorded) {
            // Read in place: the summary is the record's leading fields as they are, and the
            // text, most of the record, is never copied.
            try ArticleRecord.withStoredFields(of: event) { fields in
                let summary = ArticleSummary.Layout(leadingFields: fields[0..<ArticleSummary.recordFieldCount], position: event.position,
                                                    recordedAt: event.recordedAt)
                try withLaidOut(summary) { summary in
                    _ = try txn.insert(summary, forKey: try fields.text(Self.articleID), in: state.articles)
                }
            }
        } else {
            // Only the article and the fact matter here: read in place, the rest left undecoded
            // (a record that does not decode whole is the timeline's to refuse, and `verify`'s).
            try FactEvent.withSubject(of: event) { kind, article, fact in
                let action: FactAction = switch kind {
                case .asserted: .asserts
                case .corrected: .corrects
                case .retracted: .retracts
                }
                try Self.withFactKey(article: article, fact: fact, action: action) { key in
                    try txn.put(event.position, forKey: key, in: state.facts)
                }
            }
        }
    }
}

/// An article's metadata and where the log holds it (its text is in the log's event). Stored as
/// the article record's fields before its text, as the record's payload stores them (see
/// ``ArticleRecord``'s field list), then the position (varint) and recorded-at (zig-zag varint).
public struct ArticleSummary: Sendable, Hashable {
    public let id: String
    public let title: String
    public let publisher: String
    public let published: ValidTime
    public let url: String?
    public let contentHash: [UInt8]
    /// The position of the `article.recorded` event.
    public let position: UInt64
    public let recordedAt: Timestamp

    /// How many of the article record's fields, from the first, a summary keeps: all but the text.
    static let recordFieldCount = ArticleRecord.fieldIndex("text")

    /// A summary as the projection stores it, made from the stored fields of the article's record.
    struct Layout: ByteLayout {
        /// The record's first ``recordFieldCount`` fields, as its payload stores them.
        let leadingFields: UnsafeRawBufferPointer
        let position: UInt64
        let recordedAt: Timestamp

        func append(to bytes: inout some KeySink) {
            bytes.append(contentsOf: leadingFields)
            bytes.appendVarint(position)
            bytes.appendSigned(recordedAt.microsecondsSinceEpoch)
        }
    }

    package init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        let article = try ArticleRecord(readingLeading: Self.recordFieldCount, from: &reader)
        id = article.id
        title = article.title
        publisher = article.publisher
        published = article.published
        url = article.url
        contentHash = article.contentHash
        position = try reader.varint()
        recordedAt = Timestamp(microsecondsSinceEpoch: try reader.signed())
        try reader.finish()
    }
}
