import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

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
/// `index`; what they share is the queue.
final class RecordPipeline: @unchecked Sendable {
    private enum Item: Sendable {
        case record(InputRecord, fileIndex: Int, bytesRead: Int)
        case failure(InputError)
        case end
    }

    static let batchSize = 64

    private let stream: RecordStream
    private var queue: BatchQueue<[Item]>!
    /// The batch the consumer is taking records from, and the next one's index in it.
    private var current: [Item] = []
    private var index = 0

    var totalBytes: Int { stream.totalBytes }
    var files: [IngestInputFile] { stream.files }

    /// Starts parsing `stream`, at most about `capacity` records ahead of the consumer.
    init(_ stream: RecordStream, capacity: Int = 2048) {
        self.stream = stream
        queue = BatchQueue(capacity: max(capacity / Self.batchSize, 1), label: "annals.ingest.parser") { [self] queue in produce(into: queue) }
    }

    private func produce(into queue: BatchQueue<[Item]>) {
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
                guard queue.put(batch) else { return }
                batch = []
                batch.reserveCapacity(Self.batchSize)
            }
        }
        _ = queue.put(batch)
    }

    /// How many parsed batches wait for the consumer; tests wait for a full queue with it.
    var queuedBatches: Int { queue.queuedBatches }

    /// The next record, the index of its file and the bytes read so far; `nil` at the end.
    func next() throws(InputError) -> (record: InputRecord, fileIndex: Int, bytesRead: Int)? {
        if index == current.count {
            current = queue.take()
            index = 0
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
    func finish() { queue.finish() }
}
