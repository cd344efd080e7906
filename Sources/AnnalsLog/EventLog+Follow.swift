import AnnalsPlatform
import Dispatch
import LMDB

extension EventLog {
    /// The log's events from `position` on, in order; with `follow`, then each event any process
    /// appends, as it is committed, until the task is cancelled.
    ///
    /// A consumer that records the position of the last event it handled and starts again from
    /// the next one sees every event exactly once. The sequence reads at most
    /// ``FollowedEvents/eventsPerRead`` events at a time, only when its consumer has taken the
    /// previous ones, so a slow consumer never makes it hold more. Waiting for new events costs
    /// nothing while the log is quiet: it waits on the data file's writes (inotify), looking at
    /// the head at least every ``FollowedEvents/longestWait`` milliseconds.
    public func events(from position: UInt64 = 1, types: [EventTypeName]? = nil, follow: Bool = true) -> FollowedEvents {
        FollowedEvents(log: self, start: max(position, 1), types: types, follow: follow)
    }
}

/// The events of ``EventLog/events(from:types:follow:)``.
public struct FollowedEvents: AsyncSequence, Sendable {
    public typealias Element = Event

    /// The most events one read of the log takes (and the sequence holds).
    public static let eventsPerRead = 256
    /// The longest a follower waits before it looks at the head anyway, and so how long a
    /// cancelled follower may take to end.
    public static let longestWait: Int32 = 250

    let log: EventLog
    let start: UInt64
    let types: [EventTypeName]?
    let follow: Bool

    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self, nextPosition: start, watch: follow ? FileChangeWatch(path: log.environment.path + "/data.mdb") : nil)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let sequence: FollowedEvents
        /// The next position to read.
        var nextPosition: UInt64
        /// Created with the iterator, before its first read, so no later write goes unnoticed.
        let watch: FileChangeWatch?
        var buffer: [Event] = []
        var index = 0

        public mutating func next() async throws -> Event? {
            while true {
                if index < buffer.count {
                    index += 1
                    return buffer[index - 1]
                }
                try Task.checkCancellation()
                let (events, examined, head) = try read()
                buffer = events
                index = 0
                nextPosition = examined + 1
                if !buffer.isEmpty || nextPosition <= head { continue }
                guard let watch else { return nil }
                // The wait blocks a thread, so it runs outside the concurrency runtime's pool,
                // and on a queue of its own: those run on the overcommitting pool, which starts
                // a thread when the others are busy, where the global queue, as wide as the
                // machine has cores, could leave the wait queued behind other blocked work.
                await withCheckedContinuation { (resumed: CheckedContinuation<Void, Never>) in
                    DispatchQueue(label: "annals.follow.wait").async {
                        watch.wait(milliseconds: FollowedEvents.longestWait)
                        resumed.resume()
                    }
                }
            }
        }

        /// Up to ``FollowedEvents/eventsPerRead`` positions from `nextPosition`, owned; the last
        /// position looked at and the head seen.
        private func read() throws -> (events: [Event], examined: UInt64, head: UInt64) {
            let log = sequence.log
            return try log.environment.read { txn in
                let head = try log.head(in: txn)
                guard nextPosition <= head else { return ([], nextPosition - 1, head) }
                let last = Swift.min(head, nextPosition + UInt64(FollowedEvents.eventsPerRead) - 1)
                var events: [Event] = []
                try log.forEach(in: txn, positions: nextPosition...last, types: sequence.types) { event in
                    events.append(event.copy())
                    return true
                }
                return (events, last, head)
            }
        }
    }
}
