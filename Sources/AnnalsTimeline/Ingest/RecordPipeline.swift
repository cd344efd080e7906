import AnnalsDomain
import AnnalsTimelineProjections
import Dispatch
import Synchronization

/// Reads and parses the input on a second thread while validation consumes records on the
/// calling one, through a bounded queue: parsing JSON and checking fields is half of the first
/// pass, and the two halves need not wait for each other.
///
/// Records cross in batches, so the threads meet once per ``batchSize`` records rather than
/// once per record; a failure or the end travels in the batch after the records before it, so
/// the consumer sees everything in input order.
///
/// `@unchecked Sendable`: once the producer starts, it alone uses `stream` (apart from
/// `totalBytes` and `files`, which never change) and the consumer alone uses `current` and
/// `index`; what they share is a `Mutex`, an `Atomic` and semaphores.
final class RecordPipeline: @unchecked Sendable {
    private enum Item {
        case record(InputRecord, fileIndex: Int, bytesRead: Int)
        case failure(InputError)
        case end
    }

    static let batchSize = 64

    private let stream: RecordStream
    /// Batches parsed and not yet taken, oldest first.
    private let ready = Mutex<[[Item]]>([])
    /// A permit for each batch in `ready`.
    private let filled = DispatchSemaphore(value: 0)
    /// A permit for each batch `ready` still has room for.
    private let room = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let producing = DispatchGroup()
    /// The batch the consumer is taking records from, and the next one's index in it.
    private var current: [Item] = []
    private var index = 0

    var totalBytes: Int { stream.totalBytes }
    var files: [IngestInputFile] { stream.files }

    /// Starts parsing `stream`, at most about `capacity` records ahead of the consumer.
    init(_ stream: RecordStream, capacity: Int = 2048) {
        self.stream = stream
        // Permits are given one at a time rather than as the semaphore's initial value:
        // libdispatch stops the process when a semaphore is released holding fewer permits
        // than it was made with, which `room` does whenever the consumer stops early.
        for _ in 0..<max(capacity / Self.batchSize, 1) { room.signal() }
        // A queue of its own runs on the overcommitting pool, which starts a thread when the
        // others are busy: the producer blocks whenever the queue is full.
        DispatchQueue(label: "annals.ingest.parser").async(group: producing) { [self] in produce() }
    }

    private func produce() {
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        while true {
            let item: Item
            do {
                item = try stream.next().map { .record($0, fileIndex: stream.currentFileIndex, bytesRead: stream.bytesRead) } ?? .end
            } catch {
                item = .failure(error)
            }
            batch.append(item)
            guard case .record = item else { break }
            if batch.count == Self.batchSize {
                guard hand(batch) else { return }
                batch = []
                batch.reserveCapacity(Self.batchSize)
            }
        }
        _ = hand(batch)
    }

    /// Queues `batch` once there is room; `false`, queueing nothing, once the consumer has stopped.
    private func hand(_ batch: [Item]) -> Bool {
        room.wait()
        guard !stopped.load(ordering: .acquiring) else { return false }
        ready.withLock { $0.append(batch) }
        filled.signal()
        return true
    }

    /// How many parsed batches wait for the consumer; tests wait for a full queue with it.
    var queuedBatches: Int { ready.withLock { $0.count } }

    /// The next record, the index of its file and the bytes read so far; `nil` at the end.
    func next() throws(InputError) -> (record: InputRecord, fileIndex: Int, bytesRead: Int)? {
        if index == current.count {
            filled.wait()
            current = ready.withLock { $0.removeFirst() }
            index = 0
            room.signal()
        }
        let item = current[index]
        index += 1
        switch item {
        case let .record(record, fileIndex, bytesRead): return (record, fileIndex, bytesRead)
        case .failure(let error): throw error
        case .end: return nil
        }
    }

    /// Stops the producer, early or at the end, and waits for it to return.
    func finish() {
        stopped.store(true, ordering: .releasing)
        room.signal()  // wakes the producer if it waits for room
        producing.wait()
    }
}
