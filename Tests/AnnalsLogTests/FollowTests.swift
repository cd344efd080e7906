import AnnalsLog
import AnnalsTestSupport
import Dispatch
import Glibc
import LMDB
import Synchronization
import Testing

/// `EventLog.events(from:)`: catch up, then follow what is appended; stopped and resumed one past
/// the last event handled, every event exactly once, in order, however slow the consumer.
@Suite(.timeLimit(.minutes(2))) struct FollowTests {
    let directory = TemporaryDirectory()

    @Test func aConsumerStoppedAndResumedSeesEveryEventOnceWhileAWriterAppends() async throws {
        let log = try EventLog(environment: try Environment(path: directory.path))
        try log.append((1...300).map { event("early-\($0)") })
        let total = UInt64(300 + 40 * 25)
        // Another thread appends 40 batches of 25 while the consumer reads.
        let writer = DispatchWorkItem {
            for batch in 0..<40 {
                _ = try? log.append((0..<25).map { event("late-\(batch)-\($0)") })
                usleep(2_000)
            }
        }
        DispatchQueue.dedicated("writer").async(execute: writer)

        var seen: [UInt64] = []
        // A slow consumer that stops part-way through what the writer appends.
        for try await event in log.events(from: 1) {
            seen.append(event.position)
            if seen.count % 50 == 0 { try await Task.sleep(for: .milliseconds(3)) }
            if event.position == 700 { break }
        }
        #expect(seen == Array(1...700))
        // Resumed one past the last event handled, until the head once the writer is done.
        for try await event in log.events(from: (seen.last ?? 0) + 1) {
            seen.append(event.position)
            if event.position == total { break }
        }
        writer.wait()
        #expect(seen == Array(1...total))
        #expect(try log.head() == total)
    }

    @Test func withoutFollowTheSequenceEndsAtTheHeadAndKeepsToItsTypes() async throws {
        let log = try EventLog(environment: try Environment(path: directory.path))
        try log.append((1...600).map { event("e\($0)", type: $0 % 3 == 0 ? "test.third" : "test.other") })
        var positions: [UInt64] = []
        for try await event in log.events(from: 2, types: ["test.third"], follow: false) {
            #expect(event.type == "test.third")
            positions.append(event.position)
        }
        #expect(positions == Array(stride(from: 3, through: 600, by: 3)))
        var none = 0
        for try await _ in log.events(from: 601, follow: false) { none += 1 }
        #expect(none == 0)
    }

    @Test func aCancelledFollowerEnds() async throws {
        let log = try EventLog(environment: try Environment(path: directory.path))
        try log.append([event("only")])
        let follower = Task {
            var count = 0
            for try await _ in log.events(from: 1) { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(100))
        follower.cancel()
        await #expect(throws: CancellationError.self) { try await follower.value }
    }
}
