import Dispatch
import Synchronization

/// Work handed from a producer on a thread of its own to the consumer on the calling thread, in
/// batches, through a queue of bounded length: the producer runs at most `capacity` batches
/// ahead and waits for room; the consumer waits for the next batch. Batches cross whole, so the
/// threads meet once per batch rather than once per item.
///
/// How ingest parses its input, and export transcodes every other stretch of the log, while the
/// calling thread works on what comes before.
public final class BatchQueue<Batch: Sendable>: Sendable {
    /// Batches made and not yet taken, oldest first.
    private let ready = Mutex<[Batch]>([])
    /// A permit for each batch in `ready`.
    private let filled = DispatchSemaphore(value: 0)
    /// A permit for each batch `ready` still has room for.
    private let room = DispatchSemaphore(value: 0)
    private let closed = Atomic<Bool>(false)
    private let producing = DispatchGroup()

    /// Starts `produce` on a thread of its own; it hands each batch to ``put(_:)`` and returns
    /// when that says the consumer has finished, or when it has nothing more to make.
    public init(capacity: Int, label: String, produce: @escaping @Sendable (BatchQueue<Batch>) -> Void) {
        // Permits are given one at a time rather than as the semaphore's initial value:
        // libdispatch stops the process when a semaphore is released holding fewer permits
        // than it was made with, which `room` does whenever the consumer stops early.
        for _ in 0..<max(capacity, 1) { room.signal() }
        // A queue of its own runs on the overcommitting pool, which starts a thread when the
        // others are busy: the producer blocks whenever the queue is full.
        DispatchQueue(label: label).async(group: producing) { [self] in produce(self) }
    }

    /// Queues `batch` once there is room (the producer's side); `false`, queueing nothing, once
    /// the consumer has finished.
    public func put(_ batch: Batch) -> Bool {
        room.wait()
        guard !closed.load(ordering: .acquiring) else {
            room.signal()
            return false
        }
        ready.withLock { $0.append(batch) }
        filled.signal()
        return true
    }

    /// The oldest batch queued, once there is one (the consumer's side). The consumer takes only
    /// batches the producer will make.
    public func take() -> Batch {
        filled.wait()
        let batch = ready.withLock { $0.removeFirst() }
        room.signal()
        return batch
    }

    /// How many batches wait for the consumer.
    public var queuedBatches: Int { ready.withLock { $0.count } }

    /// Tells the producer to stop, early or at the end, and waits for it to return.
    public func finish() {
        closed.store(true, ordering: .releasing)
        room.signal()  // wakes the producer if it waits for room
        producing.wait()
    }
}
