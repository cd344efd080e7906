import AnnalsDomain
import AnnalsLog
import LMDB

/// One message of a stream that carries a log, one event per message in the
/// ``CloudEventForm``: its sequence in the stream and its body.
public struct StreamMessage: Sendable, Hashable {
    /// The stream's sequence number, which is the event's position in the log it carries.
    public var sequence: UInt64
    /// The message's data: one CloudEvent as a JSON object.
    public var body: [UInt8]

    public init(sequence: UInt64, body: [UInt8]) {
        self.sequence = sequence
        self.body = body
    }
}

/// A stream message that is not the event its place in the log needs.
public struct StreamMessageProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message's sequence in the stream.
    public let sequence: UInt64
    /// The CloudEvents attribute at fault, when the problem is in one.
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
        var events: [RecordedEvent] = []
        events.reserveCapacity(messages.count)
        var failure: StreamMessageProblem?
        for message in messages {
            do {
                events.append(try message.recordedEvent())
            } catch {
                failure = error
                break
            }
        }
        var head = try log.head()
        while !events.isEmpty {
            do {
                head = try log.appendRecorded(events)
                break
            } catch let problem as RecordedEventProblem {
                // Nothing was written: write what comes before the event at fault, report it.
                let position = problem.position
                failure = StreamMessageProblem(sequence: position, field: problem.attribute, problem: problem.description)
                events.removeSubrange(events.firstIndex { $0.position >= position }.map { $0..<events.count } ?? events.indices)
            }
        }
        if head > 0 { try catchUp() }
        if let failure { throw failure }
        return head
    }
}

extension StreamMessage {
    /// The event the message carries, checked against its place in the stream: its
    /// `position` must be the message's sequence.
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
        case let .notNext(position, _), let .recordedBefore(position, _, _), let .hashMismatch(position, _, _), let .idPresent(_, position, _): position
        }
    }

    /// The CloudEvents attribute of the event at fault.
    var attribute: String {
        switch self {
        case .notNext: CloudEventForm.Member.position.name
        case .recordedBefore: CloudEventForm.Member.time.name
        case .hashMismatch: CloudEventForm.Member.chainhash.name
        case .idPresent: CloudEventForm.Member.id.name
        }
    }
}
