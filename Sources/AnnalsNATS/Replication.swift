import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import CNats
import LMDB

/// The headers each message of a log's stream carries, and what they hold. Said once, for the
/// publisher that writes them and the readers that check them.
enum MessageHeaders {
    /// JetStream's duplicate detection: the event id.
    static let messageID = "Nats-Msg-Id"
    /// JetStream stores the message only when the stream's last sequence is this: the position
    /// before the event's, so that stream sequence = log position.
    static let expectedLastSequence = "Nats-Expected-Last-Sequence"
    /// JetStream stores the message only in the stream of this name.
    static let expectedStream = "Nats-Expected-Stream"
    /// The CloudEvents NATS binding's structured mode: the body is one CloudEvent in JSON.
    static let contentType = "content-type"
    static let structuredCloudEvent = "application/cloudevents+json"
    /// The event's log record in Base64, beside the CloudEvent, for replicas to store as it is.
    static let record = StreamMessage.recordHeader

    /// Room left for the other headers and the protocol's framing when deciding whether a
    /// record fits beside its body.
    private static let framingAllowance = 1_024

    /// Whether a message with a `bodyCount`-byte body can carry a `recordCount`-byte record in
    /// its header and stay within the `maximumPayload` the server takes. One that cannot goes
    /// without it; its CloudEvent alone describes the event.
    static func carriesRecord(bodyCount: Int, recordCount: Int, maximumPayload: Int) -> Bool {
        bodyCount + Base64.encodedCount(of: recordCount) + framingAllowance <= maximumPayload
    }

    /// Sets `message`'s ``record`` header to `record` in Base64 when it fits beside the body;
    /// `scratch` holds the text.
    static func setRecord(_ record: UnsafeRawBufferPointer, on message: OpaquePointer?, bodyCount: Int, maximumPayload: Int,
                          scratch: inout ByteWriter) -> natsStatus {
        guard carriesRecord(bodyCount: bodyCount, recordCount: record.count, maximumPayload: maximumPayload) else { return NATS_OK }
        scratch.reset()
        Base64.encode(record, to: &scratch)
        scratch.append(0)
        return scratch.withBytes { natsMsgHeader_Set(message, Self.record, $0.baseAddress?.assumingMemoryBound(to: CChar.self)) }
    }

    /// A copy of `message`'s ``record`` header, when it has one.
    static func encodedRecord(of message: OpaquePointer?) -> [UInt8]? {
        var value: UnsafePointer<CChar>?
        guard natsMsgHeader_Get(message, Self.record, &value) == NATS_OK, let value else { return nil }
        var count = 0
        while value[count] != 0 { count += 1 }
        return Array(UnsafeRawBufferPointer(start: value, count: count))
    }
}

/// Why replication to or from a stream stopped.
public enum ReplicationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stream holds more events than the store's log: it carries another log, or the store
    /// lost events.
    case streamAhead(stream: String, streamHead: UInt64, logHead: UInt64)
    /// The stream's message at `sequence` is not the log's event at that position.
    case streamDiffers(stream: String, sequence: UInt64, detail: String)
    /// A message of the stream is not the event its sequence needs; the replica holds every
    /// event before it.
    case invalidMessage(stream: String, problem: StreamMessageProblem)
    /// The stream does not exist.
    case noStream(stream: String, servers: String)
    /// The store that should follow the stream holds events of its own.
    case storeHasOwnEvents(path: String, head: UInt64)
    /// The store follows another stream.
    case replicaOfAnother(path: String, source: String, asked: String)
    /// JetStream stored an event at a sequence other than its position.
    case sequenceMismatch(stream: String, position: UInt64, sequence: UInt64)
    /// A failure that did not pass while it was retried.
    case unavailable(NATSError, seconds: Int)
    /// A failure that retrying cannot mend.
    case failed(NATSError)

    public var description: String {
        switch self {
        case let .streamAhead(stream, streamHead, logHead):
            "stream \(stream) holds \(streamHead) events but the log only \(logHead): the stream carries another log"
        case let .streamDiffers(stream, sequence, detail):
            "message \(sequence) of stream \(stream) is not the log's event at position \(sequence) (\(detail)): the stream carries another log"
        case let .invalidMessage(stream, problem):
            "stream \(stream), \(problem)"
        case let .noStream(stream, servers):
            "there is no stream \(stream) at \(servers)"
        case let .storeHasOwnEvents(path, head):
            "\(path) holds \(head) events of its own; a replica starts as an empty store"
        case let .replicaOfAnother(path, source, asked):
            "\(path) is a replica of \(source), not of \(asked)"
        case let .sequenceMismatch(stream, position, sequence):
            "stream \(stream) stored the event at position \(position) as message \(sequence)"
        case let .unavailable(error, seconds):
            "\(error), for \(seconds) s of retrying"
        case let .failed(error):
            error.description
        }
    }
}

/// How a follower or publisher waits after a failure that may pass: twice as long each time,
/// from a quarter of a second up to four, never a busy retry.
struct Backoff {
    static let first = 250
    static let longest = 4_000
    /// How long a single run (not a follower) retries failures that may pass before giving up.
    static let patienceSeconds = 60
    private(set) var milliseconds = Backoff.first
    /// When the failures began (monotonic seconds), for giving up after a while.
    private var failingSince: Double?

    /// Waits, and lengthens the next wait.
    mutating func wait() {
        if failingSince == nil { failingSince = System.monotonicSeconds() }
        System.sleep(.milliseconds(milliseconds))
        milliseconds = min(milliseconds * 2, Self.longest)
    }

    /// Seconds since the first failure of the current run of them.
    var secondsFailing: Int {
        failingSince.map { Int(System.monotonicSeconds() - $0) } ?? 0
    }

    /// Throws ``ReplicationError/unavailable(_:seconds:)`` for `error` once failures have
    /// lasted `patienceSeconds` (`nil`: retry for as long as the caller runs).
    func giveUp(on error: NATSError, after patienceSeconds: Int?) throws {
        if let patienceSeconds, secondsFailing >= patienceSeconds {
            throw ReplicationError.unavailable(error, seconds: secondsFailing)
        }
    }

    mutating func reset() {
        milliseconds = Self.first
        failingSince = nil
    }
}

/// The event a stream's last message carries must be the log's at that position.
func checkStreamMatches(log: EventLog, connection: JetStreamConnection, stream: String, last: UInt64) throws {
    guard last > 0 else { return }
    let body = try connection.messageBody(stream: stream, sequence: last)
    let recorded: RecordedEvent
    do {
        recorded = try StreamMessage(sequence: last, body: body).recordedEvent()
    } catch {
        throw ReplicationError.invalidMessage(stream: stream, problem: error)
    }
    let stored = try log.environment.read { txn in try log.chainHash(at: last, in: txn) }
    guard stored == recorded.chainHash else {
        throw ReplicationError.streamDiffers(stream: stream, sequence: last,
                                             detail: "chain hash \(recorded.chainHash), the log's \(stored.map(\.description) ?? "none")")
    }
}
