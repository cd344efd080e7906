import AnnalsDomain
import AnnalsLog
import AnnalsTimeline
import HTTPTypes
import Hummingbird
import LMDB
import NIOCore
import ServiceLifecycle
import Synchronization

extension QueryServer {
    /// At most this many events go into one write of a stream that is catching up.
    static let eventsPerWrite = 1_000

    /// `/api/events`: Server-Sent Events, one `appended` event per log event after the start,
    /// its id the log position and its data the event as `annals log --format jsonl` writes it.
    ///
    /// The stream starts after `Last-Event-ID` (a reconnecting client), else after `?after=`,
    /// else at the head: a page passes the position its data reached, so nothing appended
    /// between drawing the page and opening the stream is missed. Another process appends;
    /// the stream notices by reading the head every ``pollInterval``, which costs one read
    /// transaction, and it ends when the server stops.
    func events(_ request: Request) throws -> Response {
        let parameters = try RequestParameters(query: request.uri.query)
        _ = try parameters.options(allowed: Self.parameters(of: "/api/events"))
        let head = try store.log.head()
        var start = head
        if let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let position = UInt64(lastEventID) else {
                throw RequestProblem(.badRequest, "Last-Event-ID needs a log position, got \(ArgumentValueError.shown(lastEventID))")
            }
            start = position
        } else if let after = parameters["after"] {
            start = try ArgumentValue.position("after")(after)
        }
        guard start <= head else { throw RequestProblem(.notFound, "after \(start) is beyond the log's head (\(head))") }

        var headers = Self.commonHeaders
        headers[.contentType] = "text/event-stream; charset=utf-8"
        let body = ResponseBody { [self, start] writer in
            openStreams.withLock { $0 += 1 }
            defer { openStreams.withLock { $0 -= 1 } }
            // A reconnecting client waits a second; the comment sends the headers at once.
            try await writer.write(ByteBuffer(string: "retry: 1000\n: following the log after position \(start)\n\n"))
            var last = start
            var quietLooks = 0
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let (text, through, full) = try appended(after: last)
                if through > last {
                    try await writer.write(ByteBuffer(string: text))
                    last = through
                    quietLooks = 0
                    if full { continue }
                } else {
                    quietLooks += 1
                    if quietLooks >= Self.keepAliveEvery {
                        try await writer.write(ByteBuffer(string: ": still following\n\n"))
                        quietLooks = 0
                    }
                }
                try? await Task.sleep(for: Self.pollInterval)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The events after `position`, at most ``eventsPerWrite``, as stream text; the last
    /// position included, and whether more may follow at once.
    private func appended(after position: UInt64) throws -> (text: String, through: UInt64, full: Bool) {
        var text = ""
        var through = position
        var count = 0
        try store.environment.read { txn in
            guard try store.log.head(in: txn) > position else { return }
            try store.log.forEach(in: txn, positions: (position + 1)...UInt64.max) { event in
                text += "id: \(event.position)\nevent: appended\ndata: \(DomainEventDescription.json(event).serialized())\n\n"
                through = event.position
                count += 1
                return count < Self.eventsPerWrite
            }
        }
        return (text, through, count == Self.eventsPerWrite)
    }
}
