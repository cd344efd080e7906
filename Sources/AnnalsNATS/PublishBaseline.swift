import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import CNats
import LMDB

/// What the cluster itself does with a log's messages, as the baseline of `annals bench
/// replicate`: the same CloudEvent bodies and record headers published asynchronously to a
/// stream of their own, with as many in flight as ``LogPublisher`` allows, but without the
/// headers that keep each message in its place and without checking any acknowledgement's
/// sequence.
public enum PublishBaseline {
    /// Publishes every event of `store`'s log to a new stream `stream` (`replicas` copies) and
    /// waits for every acknowledgement; the seconds it took. The stream is deleted after.
    public static func measure(store: TimelineStore, servers: NATSServers, stream: String, replicas: Int) throws -> Double {
        var options = jsOptions()
        jsOptions_Init(&options)
        options.PublishAsync.MaxPending = Int64(LogPublisher.Options().inFlight)
        options.PublishAsync.StallWait = 10_000
        let connection = try JetStreamConnection(servers: servers, name: "annals bench", options: options)
        _ = try connection.ensureStream(stream, replicas: replicas)
        defer { _ = js_DeleteStream(connection.context, stream, nil, nil) }
        let subject = StreamNames.subject(of: stream)
        var writer = CloudEventWriter(storeName: FileSystem.lastComponent(of: store.path))
        var body = JSONWriter(capacity: 4_096)
        var recordText = ByteWriter(capacity: 4_096)
        let maximumPayload = connection.maximumPayload
        let started = System.monotonicSeconds()
        var failure: natsStatus = NATS_OK
        try store.environment.read { txn in
            try store.log.forEach(in: txn, positions: 1...UInt64.max) { event in
                body.reset()
                writer.write(event, to: &body)
                var message: OpaquePointer?
                failure = body.withBytes { bytes in
                    natsMsg_Create(&message, subject, nil, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
                }
                if failure == NATS_OK {
                    failure = MessageHeaders.setRecord(event.record, on: message, bodyCount: body.count, maximumPayload: maximumPayload, scratch: &recordText)
                }
                // The library owns a message it takes.
                if failure == NATS_OK { failure = js_PublishMsgAsync(connection.context, &message, nil) }
                if failure != NATS_OK { natsMsg_Destroy(message) }
                return failure == NATS_OK
            }
        }
        try check(failure, "publishing to stream \(stream) at \(servers)")
        try check(connection.waitForAsynchronousPublishes(milliseconds: 60_000), "waiting for acknowledgements from stream \(stream)")
        return System.monotonicSeconds() - started
    }

    /// Deletes stream `stream`, as a benchmark does with the streams it made.
    public static func deleteStream(_ stream: String, servers: NATSServers) throws {
        let connection = try JetStreamConnection(servers: servers, name: "annals bench")
        var code = jsErrCode(rawValue: 0)
        try check(js_DeleteStream(connection.context, stream, nil, &code), "deleting stream \(stream)", code: code)
    }
}
