import AnnalsDomain
import AnnalsTimelineProjections

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and parses the input on a second thread while validation consumes records on the
/// calling one, through a bounded queue: parsing JSON and checking fields is half of the first
/// pass, and the two halves need not wait for each other.
///
/// `@unchecked Sendable`: every field the two threads share is read and written only with
/// `mutex` held.
final class RecordPipeline: @unchecked Sendable {
    private enum Item {
        case record(InputRecord, fileIndex: Int, bytesRead: Int)
        case failure(InputError)
        case end
    }

    private let stream: RecordStream
    private let capacity: Int
    private var items: [Item] = []
    private var head = 0
    private var stopped = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var producer = pthread_t()

    var totalBytes: Int { stream.totalBytes }
    var files: [IngestInputFile] { stream.files }

    init(_ stream: RecordStream, capacity: Int = 2048) {
        self.stream = stream
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&producer, nil, { context in
            guard let context else { return nil }
            Unmanaged<RecordPipeline>.fromOpaque(context).takeRetainedValue().produce()
            return nil
        }, context)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    private func produce() {
        while true {
            let item: Item
            do {
                item = try stream.next().map { .record($0, fileIndex: stream.currentFileIndex, bytesRead: stream.bytesRead) } ?? .end
            } catch {
                item = .failure(error)
            }
            pthread_mutex_lock(mutex)
            while items.count - head >= capacity && !stopped { pthread_cond_wait(changed, mutex) }
            let keepGoing = !stopped
            if keepGoing { items.append(item) }
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            guard keepGoing, case .record = item else { return }
        }
    }

    /// The next record, the index of its file and the bytes read so far; `nil` at the end.
    func next() throws(InputError) -> (record: InputRecord, fileIndex: Int, bytesRead: Int)? {
        pthread_mutex_lock(mutex)
        while head == items.count { pthread_cond_wait(changed, mutex) }
        let item = items[head]
        head += 1
        if head >= 4096 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        switch item {
        case let .record(record, fileIndex, bytesRead): return (record, fileIndex, bytesRead)
        case .failure(let error): throw error
        case .end: return nil
        }
    }

    /// Stops the producer, early or at the end, and waits for its thread to exit.
    func finish() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        pthread_join(producer, nil)
    }
}
