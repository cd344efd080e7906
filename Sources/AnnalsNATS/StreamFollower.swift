import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import LMDB
import CNats

/// Builds and keeps current a replica of the log a JetStream stream carries: each message is
/// appended at the position its sequence names, with its recorded-at and chain hash, so the
/// replica's log is the original's byte for byte and `annals verify` ends on the same hash.
///
/// The replica is marked as one in the transaction that starts it: from then on it takes
/// events only from its stream (local ingest is refused), and every query works on it. It
/// reads the stream through an ordered consumer from the position after its head, applies up
/// to ``Options/messagesPerBatch`` messages per transaction, and catches its projections up
/// after each. A message that is not the event its place needs stops it with the message's
/// sequence; the replica keeps every event before that one.
public final class StreamFollower {
    public struct Options: Sendable {
        /// The stream's name.
        public var stream = StreamNames.standard
        /// Keep following after the stream's end; otherwise stop there.
        public var follow = true
        /// Messages applied in one write transaction at most.
        public var messagesPerBatch = 10_000
        /// How long failures that may pass are retried before giving up when not following.
        public var patienceSeconds = Backoff.patienceSeconds

        public init() {}
    }

    /// What a run did.
    public struct Report: Sendable, Hashable {
        /// Events appended in this run.
        public var applied: UInt64 = 0
        /// The replica's head when the run ended.
        public var head: UInt64 = 0
    }

    let store: TimelineStore
    let servers: NATSServers
    let options: Options

    public init(store: TimelineStore, servers: NATSServers, options: Options) {
        self.store = store
        self.servers = servers
        self.options = options
    }

    /// Follows the stream until its end (or, following, until `shouldStop` says so),
    /// reporting `progress(head, stream's end)` and each failure it retries.
    public func run(progress: (UInt64, UInt64) -> Void = { _, _ in }, retrying: (NATSError) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> Report {
        let start = try claimStore()
        var report = Report(applied: 0, head: start)
        var backoff = Backoff()
        var reached = false
        while !shouldStop() {
            do {
                let connection = try JetStreamConnection(servers: servers, name: "annals follow")
                reached = true
                guard let last = try connection.lastSequence(ofStream: options.stream) else {
                    // A follower may start before the publisher has created the stream: it waits.
                    guard options.follow else { throw ReplicationError.noStream(stream: options.stream, servers: servers.description) }
                    throw NATSError(operation: "reading stream \(options.stream) at \(servers)", detail: "there is no such stream yet", isTransient: true)
                }
                let head = try store.log.head()
                guard head <= last else {
                    throw ReplicationError.streamDiffers(stream: options.stream, sequence: last,
                                                        detail: "the stream ends at \(last), but the replica already holds \(head) events")
                }
                try checkStreamMatches(log: store.log, connection: connection, stream: options.stream, last: head)
                backoff.reset()
                if head == last && !options.follow { break }
                if try follow(from: head + 1, over: connection, progress: progress, shouldStop: shouldStop) { break }
            } catch let error as NATSError {
                // A single run that never reached the cluster is told so at once; a follower
                // started before its cluster waits for it.
                guard error.isTransient, reached || options.follow else { throw ReplicationError.failed(error) }
                try backoff.giveUp(on: error, after: options.follow ? nil : options.patienceSeconds)
                retrying(error)
            }
            backoff.wait()
        }
        report.head = try store.log.head()
        report.applied = report.head - start
        return report
    }

    /// Checks that the store is this stream's replica, or empty and so made one; its head.
    private func claimStore() throws -> UInt64 {
        let log = store.log
        let stream = options.stream
        return try store.environment.write { txn in
            let head = try log.head(in: txn)
            switch try log.replicaSource(in: txn) {
            case stream?:
                break
            case let other?:
                throw ReplicationError.replicaOfAnother(path: store.path, source: other, asked: stream)
            case nil:
                guard head == 0 else { throw ReplicationError.storeHasOwnEvents(path: store.path, head: head) }
                try log.markReplica(of: stream, in: txn)
            }
            return head
        }
    }

    /// Reads the stream from `position` through an ordered consumer and applies it; `true`
    /// when done, `false` to start again after a failure that may pass (thrown as a
    /// ``NATSError``).
    private func follow(from position: UInt64, over connection: JetStreamConnection,
                        progress: (UInt64, UInt64) -> Void, shouldStop: () -> Bool) throws -> Bool {
        var subscription: OpaquePointer?
        var code = jsErrCode(rawValue: 0)
        var settings = jsSubOptions()
        jsSubOptions_Init(&settings)
        let status = withCStrings([options.stream, StreamNames.subject(of: options.stream)]) { names in
            settings.Stream = names[0]
            settings.Ordered = true
            settings.Config.DeliverPolicy = js_DeliverByStartSequence
            settings.Config.OptStartSeq = position
            return js_SubscribeSync(&subscription, connection.context, names[1], nil, &settings, &code)
        }
        defer {
            if let subscription {
                natsSubscription_Unsubscribe(subscription)
                natsSubscription_Destroy(subscription)
            }
        }
        try check(status, "reading stream \(options.stream) at \(servers) from message \(position)", code: code)

        var batch: [StreamMessage] = []
        batch.reserveCapacity(options.messagesPerBatch)
        var pending: UInt64 = 0
        while !shouldStop() {
            var message: OpaquePointer?
            // Wait for the first message of a batch; take the rest as they are already here.
            let status = natsSubscription_NextMsg(&message, subscription, batch.isEmpty ? 1_000 : 1)
            if status == NATS_OK, let message {
                defer { natsMsg_Destroy(message) }
                var metadata: UnsafeMutablePointer<jsMsgMetaData>?
                try check(natsMsg_GetMetaData(&metadata, message), "reading message metadata from stream \(options.stream)")
                defer { jsMsgMetaData_Destroy(metadata) }
                let sequence = metadata?.pointee.Sequence.Stream ?? 0
                pending = metadata?.pointee.NumPending ?? 0
                batch.append(StreamMessage(sequence: sequence, body: JetStreamConnection.body(of: message),
                                           encodedRecord: MessageHeaders.encodedRecord(of: message)))
                if batch.count < options.messagesPerBatch && pending > 0 { continue }
            } else if status != NATS_TIMEOUT {
                try apply(&batch)
                throw NATSError(operation: "reading stream \(options.stream) at \(servers)", status: status)
            }
            let hadMessages = !batch.isEmpty
            let head = try apply(&batch)
            progress(head, head + pending)
            if !options.follow && pending == 0 {
                // Caught up with the stream as the consumer saw it, or quiet for a second:
                // done when the stream ends here.
                if hadMessages { return true }
                if let last = try connection.lastSequence(ofStream: options.stream), last <= head { return true }
            }
        }
        return true
    }

    /// Appends the batch's events and empties it; the head after.
    @discardableResult
    private func apply(_ batch: inout [StreamMessage]) throws -> UInt64 {
        defer { batch.removeAll(keepingCapacity: true) }
        guard !batch.isEmpty else { return try store.log.head() }
        do {
            return try store.appendStreamMessages(batch)
        } catch let problem as StreamMessageProblem {
            throw ReplicationError.invalidMessage(stream: options.stream, problem: problem)
        }
    }
}
