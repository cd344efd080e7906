import AnnalsLog

/// The CloudEvents 1.0 form of the log's events: structured mode, JSON format, one event per
/// line. `annals export` and `annals tail --format cloudevents` write it, `annals import` reads
/// it back; docs/QUERIES.md shows an example. Every attribute name, the type and source naming,
/// and which event field each attribute carries are said here and nowhere else.
///
/// | attribute         | holds                                                              |
/// |-------------------|--------------------------------------------------------------------|
/// | `id`              | the event id                                                       |
/// | `source`          | `urn:annals:article:ID` for an article's events, else `urn:annals:store:NAME` |
/// | `type`            | `org.annals.` + the event type (`org.annals.fact.asserted`)         |
/// | `time`            | recorded-at, RFC 3339 in UTC with microseconds                     |
/// | `subject`         | the fact, actor or article the event is about                      |
/// | `datacontenttype` | `application/json` when `data` holds the payload's record          |
/// | `data`            | the payload's record as JSON (domain events)                       |
/// | `data_base64`     | the payload's bytes, for any other event                           |
/// | `position`        | extension: the position in the log                                 |
/// | `schemaversion`   | extension: the payload's schema version                            |
/// | `chainhash`       | extension: the record's chain hash, 64 hexadecimal digits          |
/// | `origin`, `correlationid`, `causationid` | extensions: the event's metadata, when set  |
public enum CloudEventForm {
    public static let specVersion = "1.0"
    /// Event types become reverse-DNS names under this prefix.
    public static let typePrefix = "org.annals."
    /// The content type of `data` when it holds a record.
    public static let jsonContentType = "application/json"

    /// The members of an event's JSON object, in the order they are written.
    public enum Member: Int, CaseIterable, Sendable {
        case specversion, id, source, type, time, subject, datacontenttype
        case position, schemaversion, chainhash, origin, correlationid, causationid
        case data, dataBase64

        /// The member's name: the attribute's, or `data` / `data_base64` for the payload.
        public var name: String {
            switch self {
            case .specversion: "specversion"
            case .id: "id"
            case .source: "source"
            case .type: "type"
            case .time: "time"
            case .subject: "subject"
            case .datacontenttype: "datacontenttype"
            case .position: "position"
            case .schemaversion: "schemaversion"
            case .chainhash: "chainhash"
            case .origin: "origin"
            case .correlationid: "correlationid"
            case .causationid: "causationid"
            case .data: "data"
            case .dataBase64: "data_base64"
            }
        }

        /// The member named `name`.
        public init?(name: String) {
            guard let member = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = member
        }
    }

    /// The CloudEvents type of an event type.
    public static func cloudEventType(_ eventType: String) -> String { typePrefix + eventType }

    /// The event type a CloudEvents type names, or `nil` when it is not one of this form's.
    public static func eventType(_ cloudEventType: String) -> String? {
        guard cloudEventType.hasPrefix(typePrefix), cloudEventType.utf8.count > typePrefix.utf8.count else { return nil }
        return String(cloudEventType.dropFirst(typePrefix.count))
    }

    /// What an event's `source` names.
    enum Source {
        /// The article the event comes from: `urn:annals:article:ID`.
        case article
        /// The store, by its directory's name, for an event that comes from no article.
        case store

        var prefix: String {
            switch self {
            case .article: "urn:annals:article:"
            case .store: "urn:annals:store:"
            }
        }
    }

    /// Appends the `source` URI naming `name` as `kind`, as a JSON string, to `json`: the name
    /// with every byte but RFC 3986's unreserved characters percent-encoded, so any id makes a
    /// valid URI (plain ASCII, with nothing to escape).
    static func appendSource(_ kind: Source, name: UnsafeRawBufferPointer, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        json.append(contentsOf: kind.prefix.utf8)
        let hex: StaticString = "0123456789ABCDEF"
        hex.withUTF8Buffer { hex in
            for byte in name {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                    json.append(byte)
                default:
                    json.append(UInt8(ascii: "%"))
                    json.append(hex[Int(byte >> 4)])
                    json.append(hex[Int(byte & 0xF)])
                }
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}

/// Writes events in the ``CloudEventForm``, straight from the stored bytes: domain payloads are
/// transcoded to JSON field by field into the output, without building records or JSON
/// values. One writer serves a whole export; reuse it.
public struct CloudEventWriter: ~Copyable {
    /// A domain payload's JSON, made before the attributes since it names the event's subject
    /// and article.
    private var data = JSONWriter(capacity: 1024)
    private var source: [UInt8] = []
    /// The article whose source URI `source` holds: events of one article come one after another.
    private var sourceArticle: [UInt8]?
    private let storeSource: [UInt8]
    /// Events of one batch share their recorded-at: its text is made once.
    private var lastTime = Timestamp(microsecondsSinceEpoch: .min)
    private var lastTimeText: [UInt8] = []

    /// A writer for the events of the store whose directory is named `storeName`.
    public init(storeName: String) {
        var name = storeName
        var source: [UInt8] = []
        name.withUTF8 { CloudEventForm.appendSource(.store, name: UnsafeRawBufferPointer($0), to: &source) }
        storeSource = source
    }

    /// Writes `event` as one JSON object (no newline) to `output`: its payload as its record's
    /// JSON when it is a domain event whose payload decodes, else as Base64.
    public mutating func write(_ event: EventView, to output: inout JSONWriter) {
        var subject: UnsafeRawBufferPointer?
        var article: UnsafeRawBufferPointer?
        data.reset()
        let isRecord = DomainPayloadTranscoder.transcode(event, into: &data) { role, bytes in
            switch role {
            case .subject: subject = bytes
            case .article: article = bytes
            }
        }
        // A payload that stopped decoding part-way names nothing.
        if !isRecord { (subject, article) = (nil, nil) }
        output.punctuation("{")
        Self.member(.specversion, to: &output, first: true)
        output.string(CloudEventForm.specVersion)
        Self.member(.id, to: &output)
        output.string(repairing: event.idBytes)
        Self.member(.source, to: &output)
        if let article {
            if sourceArticle.map({ previous in !previous.withUnsafeBytes { Self.equal($0, article) } }) ?? true {
                sourceArticle = Array(article)
                source.removeAll(keepingCapacity: true)
                CloudEventForm.appendSource(.article, name: article, to: &source)
            }
            source.withUnsafeBytes { output.raw($0) }
        } else {
            storeSource.withUnsafeBytes { output.raw($0) }
        }
        Self.member(.type, to: &output)
        output.string(prefix: Self.typePrefix, repairing: event.typeBytes)
        Self.member(.time, to: &output)
        if event.recordedAt != lastTime {
            lastTime = event.recordedAt
            var time = JSONWriter(capacity: 32)
            time.string(lastTime.description)
            lastTimeText = time.take()
        }
        lastTimeText.withUnsafeBytes { output.raw($0) }
        if let subject {
            Self.member(.subject, to: &output)
            output.string(repairing: subject)
        }
        if isRecord {
            Self.member(.datacontenttype, to: &output)
            output.string(CloudEventForm.jsonContentType)
        }
        Self.member(.position, to: &output)
        output.integer(event.position)
        Self.member(.schemaversion, to: &output)
        output.integer(UInt64(event.schemaVersion))
        Self.member(.chainhash, to: &output)
        output.hexadecimalString(event.chainHash)
        if !event.sourceBytes.isEmpty {
            Self.member(.origin, to: &output)
            output.string(repairing: event.sourceBytes)
        }
        if !event.correlationIDBytes.isEmpty {
            Self.member(.correlationid, to: &output)
            output.string(repairing: event.correlationIDBytes)
        }
        if !event.causationIDBytes.isEmpty {
            Self.member(.causationid, to: &output)
            output.string(repairing: event.causationIDBytes)
        }
        if isRecord {
            Self.member(.data, to: &output)
            data.withBytes { output.raw($0) }
        } else {
            Self.member(.dataBase64, to: &output)
            output.base64String(event.payload)
        }
        output.punctuation("}")
    }

    private static let typePrefix = Array(CloudEventForm.typePrefix.utf8)

    /// Whether two runs of bytes are equal, compared a word at a time: ids are a few dozen bytes.
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var index = 0
        while index + 8 <= a.count {
            guard a.loadUnaligned(fromByteOffset: index, as: UInt64.self) == b.loadUnaligned(fromByteOffset: index, as: UInt64.self) else { return false }
            index += 8
        }
        while index < a.count {
            guard a[index] == b[index] else { return false }
            index += 1
        }
        return true
    }

    /// `,"name":` for each member, made once from ``CloudEventForm/Member``.
    private static let memberKeys: [[UInt8]] = CloudEventForm.Member.allCases.map { member in
        var key = JSONWriter(capacity: 24)
        key.punctuation(",")
        key.string(member.name)
        key.punctuation(":")
        return key.take()
    }

    @inline(__always)
    private static func member(_ member: CloudEventForm.Member, to output: inout JSONWriter, first: Bool = false) {
        memberKeys[member.rawValue].withUnsafeBytes { key in
            output.raw(first ? UnsafeRawBufferPointer(rebasing: key.dropFirst()) : key)
        }
    }
}
