import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import CNats
import LMDB

/// Ingests through a stream: a writer on any machine validates its input against its own
/// replica of the stream, then publishes the new events, each expecting the stream's last
/// sequence to be the position before its own. When another writer published first, the
/// expectation fails; the writer catches its replica up, plans again (events whose ids the
/// stream now holds drop out, so a retry never stores one twice) and publishes what is left.
/// Then its replica follows the stream past its own events, as every replica does.
///
/// Each article's events are published in order, one after another; a writer that another one
/// overtakes halfway through an article publishes the rest after the other's events, so a
/// reader of the stream may see an article's events apart, never out of order or twice.
public final class StreamWriter {
    /// What an ingest through the stream did.
    public struct Report: Sendable, Hashable {
        /// Events this writer published.
        public var published = 0
        /// Times another writer got there first and the writer planned again.
        public var conflicts = 0
        /// The replica's head after following the stream past the published events.
        public var head: UInt64 = 0
    }

    let store: TimelineStore
    let servers: NATSServers
    let stream: String

    public init(store: TimelineStore, servers: NATSServers, stream: String) {
        self.store = store
        self.servers = servers
        self.stream = stream
    }

    /// Validates the files at `paths` against the replica and publishes their new events.
    /// A problem in the input throws before anything is published.
    public func ingest(paths: [String], retrying: (NATSError) -> Void = { _ in }) throws -> Report {
        var report = Report()
        var backoff = Backoff()
        var followerOptions = StreamFollower.Options()
        followerOptions.stream = stream
        followerOptions.follow = false
        let follower = StreamFollower(store: store, servers: servers, options: followerOptions)
        while true {
            // Everything the stream holds first: the plan is checked against it.
            _ = try follower.run(retrying: retrying)
            let articles = try store.plannedEvents(paths: paths)
            if articles.isEmpty { break }
            do {
                let connection = try JetStreamConnection(servers: servers, name: "annals ingest")
                let outcome = try publish(articles, over: connection)
                report.published += outcome.published
                guard outcome.overtaken else { break }
                report.conflicts += 1
            } catch let error as NATSError {
                guard error.isTransient else { throw ReplicationError.failed(error) }
                try backoff.giveUp(on: error, after: Backoff.patienceSeconds)
                retrying(error)
                backoff.wait()
            }
        }
        report.head = try follower.run(retrying: retrying).head
        return report
    }

    /// Publishes `articles` after the replica's head, one synchronous publish per event: how
    /// many the stream stored, and whether another writer got there first (its event where this
    /// one expected to follow, or this event's id already in the stream), after which the
    /// writer follows the stream and plans again. Each publish waits for its answer, so no
    /// message is sent after one that was not stored. Throws any other failure.
    private func publish(_ articles: [[NewEvent]], over connection: JetStreamConnection) throws -> (published: Int, overtaken: Bool) {
        let log = store.log
        let head = try log.head()
        var position = head
        var chain = try log.headHash()
        // One recorded-at for the whole ingest, after the event before it, as a local append has.
        let now = Timestamp.now()
        var recordedAt = now
        if head > 0, let previous = try log.event(at: head)?.recordedAt, previous >= now {
            recordedAt = Timestamp(microsecondsSinceEpoch: previous.microsecondsSinceEpoch + 1)
        }
        let storeName = FileSystem.lastComponent(of: store.path)
        let subject = StreamNames.subject(of: stream)
        var published = 0
        for article in articles {
            for event in article {
                position += 1
                let record = try Self.cloudEvent(of: event, position: position, recordedAt: recordedAt, after: chain, storeName: storeName)
                chain = record.chainHash
                var headers = [
                    (MessageHeaders.messageID, event.id),
                    (MessageHeaders.expectedLastSequence, String(position - 1)),
                    (MessageHeaders.expectedStream, stream),
                    (MessageHeaders.contentType, MessageHeaders.structuredCloudEvent),
                ]
                if MessageHeaders.carriesRecord(bodyCount: record.body.count, recordCount: record.bytes.count, maximumPayload: connection.maximumPayload) {
                    headers.append((MessageHeaders.record, record.bytes.withUnsafeBytes { Base64.encoded($0) }))
                }
                let stored: (sequence: UInt64, duplicate: Bool)
                do {
                    stored = try connection.publishSynchronously(record.body, subject: subject, headers: headers,
                                                                 operation: "publishing position \(position) to stream \(stream)")
                } catch {
                    // Another writer's event holds the place this one expected to follow.
                    if error.code == NATSError.wrongLastSequence { return (published, true) }
                    throw error
                }
                // JetStream answers a message id it holds with that message's sequence and
                // stores nothing: another writer sent this event first. The next message would
                // find the sequence it expects and follow a record that is not its own.
                guard !stored.duplicate, stored.sequence == position else { return (published, true) }
                published += 1
            }
        }
        return (published, false)
    }
}

extension StreamWriter {
    /// The CloudEvent of `event` recorded at `position` and `recordedAt` after `previous`, its
    /// log record and its chain hash. (Kept out of line: inlined into its caller it crashes the
    /// 6.3.1 optimiser.)
    @inline(never)
    static func cloudEvent(of event: NewEvent, position: UInt64, recordedAt: Timestamp, after previous: ChainHash,
                           storeName: String) throws -> (chainHash: ChainHash, body: [UInt8], bytes: [UInt8]) {
        // Each publish waits for the stream: a writer per event costs nothing beside it.
        let record = try EventLog.withRecord(of: event, position: position, recordedAt: recordedAt, after: previous) { view in
            var writer = CloudEventWriter(storeName: storeName)
            var body = JSONWriter(capacity: 4_096)
            writer.write(view, to: &body)
            return (body.take(), Array(view.record))
        }
        return (record.chainHash, record.result.0, record.result.1)
    }
}

extension JetStreamConnection {
    /// Publishes one message and waits for JetStream's answer: the sequence it stored the
    /// message at, or, for a message id it already holds, that message's sequence (`duplicate`).
    func publishSynchronously(_ body: [UInt8], subject: String, headers: [(String, String)],
                              operation: String) throws(NATSError) -> (sequence: UInt64, duplicate: Bool) {
        var message: OpaquePointer?
        let created = body.withUnsafeBytes { bytes in
            natsMsg_Create(&message, subject, nil, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        try check(created, operation)
        defer { natsMsg_Destroy(message) }
        for (name, value) in headers {
            try check(natsMsgHeader_Set(message, name, value), operation)
        }
        var acknowledgement: UnsafeMutablePointer<jsPubAck>?
        var code = jsErrCode(rawValue: 0)
        let status = js_PublishMsg(&acknowledgement, context, message, nil, &code)
        defer { jsPubAck_Destroy(acknowledgement) }
        try check(status, operation, code: code)
        guard let acknowledgement else { throw NATSError(operation: operation, detail: "no acknowledgement", isTransient: true) }
        return (acknowledgement.pointee.Sequence, acknowledgement.pointee.Duplicate)
    }
}
