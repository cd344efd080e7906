import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import CNats
import LMDB
import Synchronization

/// Publishes a store's log into a JetStream stream, one CloudEvent per event, so that the
/// stream's sequence of each event is its position in the log.
///
/// Each message carries the event id as `Nats-Msg-Id` and expects the stream's last sequence
/// to be the position before its own: JetStream stores it only in that place. Publishing is
/// asynchronous, up to ``Options/inFlight`` messages ahead of the acknowledgements; after any
/// failure (a refused publish, a timeout, a leader election) the publisher waits, asks the
/// stream where it ends, checks that its last message is the log's event at that position,
/// and publishes again from the next one. Stopped or killed and started again, it does the
/// same, so no event is left out or stored twice.
public final class LogPublisher {
    public struct Options: Sendable {
        /// The stream's name.
        public var stream = StreamNames.standard
        /// Copies of the stream the cluster keeps when the publisher creates it.
        public var replicas = 1
        /// Publishes not yet acknowledged at most.
        public var inFlight = 4_096
        /// After the head, keep publishing what is appended; otherwise stop once the head is
        /// acknowledged.
        public var follow = true
        /// How long failures that may pass are retried before giving up when not following
        /// (a follower retries for as long as it runs).
        public var patienceSeconds = Backoff.patienceSeconds

        public init() {}
    }

    /// What a run did.
    public struct Report: Sendable, Hashable {
        /// Events the stream acknowledged in this run.
        public var published: UInt64 = 0
        /// The stream's last sequence when the run ended: the last position acknowledged.
        public var streamHead: UInt64 = 0
        /// Times the publisher went back to the first unacknowledged position.
        public var restarts = 0
    }

    let store: TimelineStore
    let servers: NATSServers
    let options: Options
    private let acknowledgements = Acknowledgements()

    public init(store: TimelineStore, servers: NATSServers, options: Options) {
        self.store = store
        self.servers = servers
        self.options = options
    }

    /// Runs until the head is acknowledged (or, following, until `shouldStop` says so),
    /// reporting `progress(acknowledged, head)` and each failure it retries.
    public func run(progress: (UInt64, UInt64) -> Void = { _, _ in }, retrying: (NATSError) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> Report {
        var restarts = 0
        var backoff = Backoff()
        var connection: JetStreamConnection?
        var started: UInt64?
        let watch = options.follow ? FileChangeWatch(path: store.path + "/data.mdb") : nil
        // Each publishing run starts the acknowledgements at the stream's end, so the highest
        // acknowledged position is where the stream ends now.
        func report() -> Report {
            let head = acknowledgements.highest
            return Report(published: head - min(started ?? head, head), streamHead: head, restarts: restarts)
        }
        while !shouldStop() {
            do {
                let current = try connection ?? connect()
                connection = current
                let last = try current.ensureStream(options.stream, replicas: options.replicas)
                try checkStreamMatches(last: last, connection: current)
                if started == nil { started = last }
                if try publish(from: last + 1, over: current, progress: progress, watch: watch, shouldStop: shouldStop) {
                    return report()
                }
                // A publish failed: start again from where the stream ends.
                restarts += 1
                let failure = acknowledgements.failure ?? NATSError(operation: "publishing", detail: "unacknowledged")
                try throwUnlessTransient(failure, backoff: backoff)
                retrying(failure)
            } catch let error as NATSError {
                // A single run that never reached the cluster is told so at once; a follower
                // started before its cluster waits for it.
                if started == nil && !options.follow { throw ReplicationError.failed(error) }
                try throwUnlessTransient(error, backoff: backoff)
                retrying(error)
                // A connection whose context lost track of its publishes is started afresh.
                connection = nil
            }
            backoff.wait()
        }
        return report()
    }

    private func connect() throws(NATSError) -> JetStreamConnection {
        var jetStreamOptions = jsOptions()
        jsOptions_Init(&jetStreamOptions)
        jetStreamOptions.PublishAsync.MaxPending = Int64(options.inFlight)
        jetStreamOptions.PublishAsync.AckHandler = acknowledgementHandler
        jetStreamOptions.PublishAsync.AckHandlerClosure = Unmanaged.passUnretained(acknowledgements).toOpaque()
        // A full window waits for acknowledgements rather than failing at once.
        jetStreamOptions.PublishAsync.StallWait = 10_000
        return try JetStreamConnection(servers: servers, name: "annals replicate", options: jetStreamOptions)
    }

    private func throwUnlessTransient(_ error: NATSError, backoff: Backoff) throws {
        let mayPass = error.isTransient || error.code == NATSError.wrongLastSequence
        guard mayPass else { throw ReplicationError.failed(error) }
        try backoff.giveUp(on: error, after: options.follow ? nil : options.patienceSeconds)
    }

    private func checkStreamMatches(last: UInt64, connection: JetStreamConnection) throws {
        let head = try store.log.head()
        guard last <= head else { throw ReplicationError.streamAhead(stream: options.stream, streamHead: last, logHead: head) }
        try AnnalsNATS.checkStreamMatches(log: store.log, connection: connection, stream: options.stream, last: last)
    }

    /// Publishes from `position` on; `true` when done (the head acknowledged and not
    /// following, or told to stop), `false` after a failure.
    private func publish(from position: UInt64, over connection: JetStreamConnection, progress: (UInt64, UInt64) -> Void,
                         watch: FileChangeWatch?, shouldStop: () -> Bool) throws -> Bool {
        acknowledgements.reset(acknowledged: position - 1)
        var next = position
        var message = MessageBuilder(stream: options.stream, storeName: FileSystem.lastComponent(of: store.path),
                                     maximumPayload: connection.maximumPayload)
        while true {
            let head = try store.log.head()
            if next <= head {
                let last = min(head, next + UInt64(Self.eventsPerRead) - 1)
                let published = try store.environment.read { txn in
                    var published = next
                    try store.log.forEach(in: txn, positions: next...last) { event in
                        guard message.publish(event, over: connection) else { return false }
                        published = event.position + 1
                        return !acknowledgements.hasFailed
                    }
                    return published
                }
                next = published
                progress(acknowledgements.highest, head)
                if next <= last || acknowledgements.hasFailed {
                    if let failure = message.failure { acknowledgements.fail(failure) }
                    drain(connection)
                    try throwOnMismatch()
                    return false
                }
                continue
            }
            // Everything read is published: wait for its acknowledgements.
            let status = connection.waitForAsynchronousPublishes(milliseconds: 10_000)
            if status != NATS_OK { acknowledgements.fail(NATSError(operation: "waiting for acknowledgements", status: status)) }
            if acknowledgements.hasFailed || acknowledgements.highest != head {
                if !acknowledgements.hasFailed {
                    acknowledgements.fail(NATSError(operation: "waiting for acknowledgements", detail: "\(head - acknowledgements.highest) publishes went unanswered",
                                                    isTransient: true))
                }
                drain(connection)
                try throwOnMismatch()
                return false
            }
            progress(head, head)
            guard let watch, !shouldStop() else { return true }
            watch.wait(milliseconds: 1_000)
            if shouldStop() { return true }
        }
    }

    /// JetStream stored an event out of its place: the stream no longer says what the log does.
    private func throwOnMismatch() throws {
        if let mismatch = acknowledgements.mismatch {
            throw ReplicationError.sequenceMismatch(stream: options.stream, position: mismatch.position, sequence: mismatch.sequence)
        }
    }

    /// Lets the library finish with the publishes in flight (their failures are reported to
    /// the handler) and frees those it still holds.
    private func drain(_ connection: JetStreamConnection) {
        _ = connection.waitForAsynchronousPublishes(milliseconds: 5_000)
        var pending = natsMsgList()
        if js_PublishAsyncGetPendingList(&pending, connection.context) == NATS_OK {
            natsMsgList_Destroy(&pending)
        }
    }

    /// Events read from the log in one transaction.
    static let eventsPerRead = 1_024
}

/// Makes each event's message and hands it to the client library.
private struct MessageBuilder: ~Copyable {
    let subject: [CChar]
    let stream: [CChar]
    var writer: CloudEventWriter
    var body = JSONWriter(capacity: 4_096)
    /// Header values as C strings, rebuilt for each message.
    var text: [CChar] = []
    /// The record header's text, rebuilt for each message.
    var recordText = ByteWriter(capacity: 4_096)
    /// The largest message the server takes.
    let maximumPayload: Int
    var failure: NATSError?

    init(stream: String, storeName: String, maximumPayload: Int) {
        self.maximumPayload = maximumPayload
        subject = Array(StreamNames.subject(of: stream).utf8CString)
        self.stream = Array(stream.utf8CString)
        writer = CloudEventWriter(storeName: storeName)
    }

    /// Publishes `event` asynchronously; `false` when the library refused it (``failure``).
    mutating func publish(_ event: EventView, over connection: JetStreamConnection) -> Bool {
        body.reset()
        writer.write(event, to: &body)
        var message: OpaquePointer?
        var status = body.withBytes { bytes in
            subject.withUnsafeBufferPointer { subject in
                natsMsg_Create(&message, subject.baseAddress, nil, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
            }
        }
        if status == NATS_OK { status = setHeader(message, MessageHeaders.messageID, event.idBytes) }
        if status == NATS_OK {
            var position = String(event.position - 1)
            status = position.withUTF8 { setHeader(message, MessageHeaders.expectedLastSequence, UnsafeRawBufferPointer($0)) }
        }
        if status == NATS_OK {
            status = stream.withUnsafeBufferPointer { natsMsgHeader_Set(message, MessageHeaders.expectedStream, $0.baseAddress) }
        }
        if status == NATS_OK { status = natsMsgHeader_Set(message, MessageHeaders.contentType, MessageHeaders.structuredCloudEvent) }
        if status == NATS_OK {
            status = MessageHeaders.setRecord(event.record, on: message, bodyCount: body.count, maximumPayload: maximumPayload, scratch: &recordText)
        }
        if status == NATS_OK {
            // The library owns the message from here, and gives it to the acknowledgement handler.
            status = js_PublishMsgAsync(connection.context, &message, nil)
        }
        guard status == NATS_OK else {
            natsMsg_Destroy(message)
            failure = NATSError(operation: "publishing position \(event.position)", status: status)
            return false
        }
        return true
    }

    /// Sets header `name` to `value`'s bytes.
    private mutating func setHeader(_ message: OpaquePointer?, _ name: String, _ value: UnsafeRawBufferPointer) -> natsStatus {
        text.removeAll(keepingCapacity: true)
        text.append(contentsOf: value.lazy.map { CChar(bitPattern: $0) })
        text.append(0)
        return text.withUnsafeBufferPointer { natsMsgHeader_Set(message, name, $0.baseAddress) }
    }
}

/// What the stream has acknowledged, written by the client library's thread.
final class Acknowledgements: Sendable {
    private struct State {
        var highest: UInt64 = 0
        var failure: NATSError?
        var mismatch: (position: UInt64, sequence: UInt64)?
    }

    private let state = Mutex(State())

    /// The highest position acknowledged.
    var highest: UInt64 { state.withLock { $0.highest } }
    var failure: NATSError? { state.withLock { $0.failure } }
    var hasFailed: Bool { state.withLock { $0.failure != nil || $0.mismatch != nil } }
    var mismatch: (position: UInt64, sequence: UInt64)? { state.withLock { $0.mismatch } }

    func reset(acknowledged: UInt64) {
        state.withLock { $0 = State(highest: acknowledged) }
    }

    func fail(_ error: NATSError) {
        state.withLock { state in
            if state.failure == nil { state.failure = error }
        }
    }

    /// One publish's outcome: stored at `sequence`, or refused.
    func record(position: UInt64, sequence: UInt64?, error: NATSError?) {
        state.withLock { state in
            if let error {
                if state.failure == nil { state.failure = error }
                return
            }
            guard let sequence else { return }
            if sequence != position {
                if state.mismatch == nil { state.mismatch = (position, sequence) }
                return
            }
            // Acknowledgements after a failure belong to publishes that will be made again.
            if state.failure == nil { state.highest = max(state.highest, sequence) }
        }
    }
}

/// The client library calls this, on its own thread, for each asynchronous publish's outcome.
private let acknowledgementHandler: jsPubAckHandler = { _, message, acknowledgement, failure, closure in
    guard let closure else { return }
    let acknowledgements = Unmanaged<Acknowledgements>.fromOpaque(closure).takeUnretainedValue()
    var value: UnsafePointer<CChar>?
    var position: UInt64 = 0
    if natsMsgHeader_Get(message, MessageHeaders.expectedLastSequence, &value) == NATS_OK, let value, let before = UInt64(String(cString: value)) {
        position = before + 1
    }
    let error = failure.map { failure in
        let detail = failure.pointee.ErrText.map { String(cString: $0) } ?? String(cString: natsStatus_GetText(failure.pointee.Err))
        let transient = [NATS_TIMEOUT, NATS_NO_RESPONDERS, NATS_CONNECTION_CLOSED].contains(failure.pointee.Err)
        return NATSError(operation: "publishing position \(position)", detail: detail, code: Int(failure.pointee.ErrCode.rawValue), isTransient: transient)
    }
    acknowledgements.record(position: position, sequence: acknowledgement?.pointee.Sequence, error: error)
    natsMsg_Destroy(message)
}
