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
        package let articles: Database
        package let facts: Database
    }

    public let name = "sources"
    public let version = 1
    public let eventTypes = [DomainEventType.articleRecorded] + DomainEventType.factEvents
    public let databaseNames = ["articles", "facts"]

    public init() {}

    /// The `facts` key: article id ‖ 0x00 ‖ fact id ‖ 0x00 ‖ action.
    package static func factKey(article: String, fact: String, action: UInt8) -> [UInt8] {
        Array(article.utf8) + [0] + Array(fact.utf8) + [0, action]
    }

    public func makeState(_ databases: ProjectionDatabases) throws -> State {
        State(articles: databases["articles"], facts: databases["facts"])
    }

    public func apply(_ event: EventView, to state: State, in txn: borrowing Transaction) throws {
        if event.hasType(DomainEventType.articleRecorded) {
            let article = try ArticleRecord(event)
            let summary = ArticleSummary(
                id: article.id, title: article.title, publisher: article.publisher, published: article.published, url: article.url,
                contentHash: article.contentHash, position: event.position, recordedAt: event.recordedAt)
            _ = try txn.insert(summary.encoded(), forKey: article.id, in: state.articles)
        } else if let factEvent = try FactEvent(event) {
            let action: UInt8 = switch factEvent {
            case .asserted: UInt8(ascii: "a")
            case .corrected: UInt8(ascii: "c")
            case .retracted: UInt8(ascii: "r")
            }
            try txn.put(event.position, forKey: Self.factKey(article: factEvent.article, fact: factEvent.fact, action: action), in: state.facts)
        }
    }
}

/// An article's metadata and where the log holds it (its text is in the log's event).
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

    func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 128)
        writer.string(id)
        writer.string(title)
        writer.string(publisher)
        writer.validTime(published)
        writer.optionalString(url)
        writer.raw(contentHash)
        writer.varint(position)
        writer.signed(recordedAt.microsecondsSinceEpoch)
        return writer.bytes
    }

    init(id: String, title: String, publisher: String, published: ValidTime, url: String?, contentHash: [UInt8], position: UInt64, recordedAt: Timestamp) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.published = published
        self.url = url
        self.contentHash = contentHash
        self.position = position
        self.recordedAt = recordedAt
    }

    package init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(bytes)
        id = try reader.string()
        title = try reader.string()
        publisher = try reader.string()
        published = try reader.validTime()
        url = try reader.optionalString()
        contentHash = try reader.raw(32)
        position = try reader.varint()
        recordedAt = Timestamp(microsecondsSinceEpoch: try reader.signed())
        try reader.finish()
    }
}
