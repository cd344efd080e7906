import AnnalsDomain
import AnnalsLog
import LMDB

/// One message of a stream that carries a log, one event per message in the
/// ``CloudEventForm``: its sequence in the stream, its body and, when the log's own publisher
/// sent it, the event's log record beside the body.
public struct StreamMessage: Sendable, Hashable {
    /// The header that carries the event's log record (docs/FORMAT.md), in ``Base64``, beside
    /// the CloudEvent: a replica stores those bytes as they are, where it would otherwise parse
    /// the CloudEvent and encode the record again. Other readers of the stream can ignore it.
    public static let recordHeader = "Annals-Record"

    /// The stream's sequence number, which is the event's position in the log it carries.
    public var sequence: UInt64
    /// The message's data: one CloudEvent as a JSON object.
    public var body: [UInt8]
    /// The ``recordHeader``'s value, when the message has one.
    public var encodedRecord: [UInt8]?

    public init(sequence: UInt64, body: [UInt8], encodedRecord: [UInt8]? = nil) {
        self.sequence = sequence
        self.body = body
        self.encodedRecord = encodedRecord
    }
}

/// A stream message that is not the event its place in the log needs.
public struct StreamMessageProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message's sequence in the stream.
    public let sequence: UInt64
    /// The CloudEvents attribute, or the header, at fault, when the problem is in one.
    public let field: String?
    public let problem: String

    public init(sequence: UInt64, field: String?, problem: String) {
        self.sequence = sequence
        self.field = field
        self.problem = problem
    }

    public var description: String {
        "message \(sequence)" + (field.map { ": \($0)" } ?? "") + " " + problem
    }
}

extension TimelineStore {
    /// Appends the events `messages` carry, in one write transaction, each at the position its
    /// sequence names, with the recorded-at and chain hash it carries: how a replica follows a
    /// stream that another store's log was published into.
    ///
    /// The messages must continue the log: the first at the position after the head, each
    /// following the one before, every event reproducing its chain hash. When one does not,
    /// the messages before it are appended and a ``StreamMessageProblem`` naming its sequence
    /// is thrown; nothing of it or after it is written. The projections catch up after.
    ///
    /// - Returns: the log's head after the append.
    @discardableResult
    public func appendStreamMessages(_ messages: [StreamMessage]) throws -> UInt64 {
        var records: [[UInt8]] = []
        records.reserveCapacity(messages.count)
        var failure: StreamMessageProblem?
        for message in messages {
            do {
                records.append(try message.logRecord())
            } catch {
                failure = error
                break
            }
        }
        let start = try log.head()
        var head = start
        while !records.isEmpty {
            do {
                head = try environment.write { txn in try log.appendRecords(records, in: txn) }
                break
            } catch let problem as RecordedEventProblem {
                // Nothing was written: write what comes before the record at fault, report it.
                // Records are appended in order from the position after the head.
                let index = min(max(Int(clamping: problem.position &- start &- 1), 0), records.count - 1)
                let message = messages[index]
                failure = StreamMessageProblem(sequence: message.sequence, field: problem.attribute(carriedWhole: message.encodedRecord != nil),
                                               problem: problem.description)
                records.removeSubrange(index...)
            }
        }
        if head > start { try catchUp() }
        if let failure { throw failure }
        return head
    }
}

extension StreamMessage {
    /// The log record of the event the message carries, checked against its place in the
    /// stream (the record's position must be the message's sequence) and, for a domain event,
    /// its payload against its type: the record header's bytes when the message has one, else
    /// the record its CloudEvent describes. Its chain hash is checked as it is appended.
    public func logRecord() throws(StreamMessageProblem) -> [UInt8] {
        guard let encodedRecord else { return try recordedEvent().record }
        func problem(_ text: String) -> StreamMessageProblem {
            StreamMessageProblem(sequence: sequence, field: Self.recordHeader, problem: text)
        }
        guard let record = encodedRecord.withUnsafeBytes({ Base64.decode($0) }) else {
            throw problem("is not Base64 (RFC 4648, with padding)")
        }
        let fault: StreamMessageProblem? = record.withUnsafeBytes { bytes in
            do throws(EventLogError) {
                return try EventLog.withView(ofRecord: bytes, position: sequence) { view in
                    DomainEventType.payloadProblem(of: view).map { problem("holds a record its event type cannot read: \($0)") }
                }
            } catch {
                guard case let .corruptRecord(_, reason) = error else { return problem(error.description) }
                return problem("is not a log record at position \(sequence): \(reason)")
            }
        }
        if let fault { throw fault }
        return record
    }

    /// The event the message's CloudEvent describes, checked against its place in the stream:
    /// its `position` must be the message's sequence.
    public func recordedEvent() throws(StreamMessageProblem) -> RecordedEvent {
        let decoded: Result<RecordedEvent, InputError> = body.withUnsafeBytes { bytes in
            do throws(InputError) { return .success(try CloudEventDecoder.decode(bytes, line: 1, file: "message")) } catch { return .failure(error) }
        }
        let recorded: RecordedEvent
        switch decoded {
        case .success(let event): recorded = event
        case .failure(let error): throw StreamMessageProblem(sequence: sequence, field: error.field, problem: error.message)
        }
        guard recorded.position == sequence else {
            throw StreamMessageProblem(sequence: sequence, field: CloudEventForm.Member.position.name,
                                       problem: "is \(recorded.position); a stream that carries a log holds each event at the sequence equal to its position")
        }
        return recorded
    }
}

extension RecordedEventProblem {
    /// The position of the event at fault.
    var position: UInt64 {
        switch self {
        case let .notNext(position, _), let .recordedBefore(position, _, _), let .hashMismatch(position, _, _), let .idPresent(_, position, _),
             let .malformed(position, _): position
        }
    }

    /// Where the message at fault says what is wrong: the record header when it carried its
    /// record whole, else the CloudEvents attribute.
    func attribute(carriedWhole: Bool) -> String {
        if carriedWhole { return StreamMessage.recordHeader }
        return switch self {
        case .notNext: CloudEventForm.Member.position.name
        case .recordedBefore: CloudEventForm.Member.time.name
        case .hashMismatch: CloudEventForm.Member.chainhash.name
        case .idPresent: CloudEventForm.Member.id.name
        case .malformed: CloudEventForm.Member.data.name
        }
    }
}
