import AnnalsDomain
import AnnalsLog
import AnnalsTimelineProjections

/// The events validation produced, waiting to be appended: each laid out once, as the log will
/// record it (``StagedRecord``), back to back in one buffer that moves to a temporary file
/// beyond a memory budget (``SpillBuffer``), and lent back batch by batch, in place. Staging
/// and appending an event allocate nothing of its own.
///
/// Each item is `u32 LE length ‖ staged record`; a length of 0 marks the start of an article (a
/// record is never empty: its header alone is 64 bytes).
final class StagedEvents {
    private let buffer: SpillBuffer
    private(set) var eventCount = 0

    /// The item that starts an article: a zero length.
    private static let articleStartLength: UInt32 = 0
    private static let lengthSize = MemoryLayout<UInt32>.size

    init(memoryBudget: Int = 128 << 20, readChunkSize: Int = 4 << 20) {
        buffer = SpillBuffer(memoryLimit: memoryBudget, readChunkSize: readChunkSize)
    }

    func beginArticle() throws {
        try buffer.append(count: Self.lengthSize) { item in
            item.storeBytes(of: Self.articleStartLength.littleEndian, as: UInt32.self)
        }
    }

    /// Stages `event`, copying its bytes; `event` must be valid (``EventLog/problem(with:)`` is `nil`).
    func append(_ event: BorrowedEvent) throws {
        let size = StagedRecord.size(of: event)
        try buffer.append(count: Self.lengthSize + size) { item in
            item.storeBytes(of: UInt32(size).littleEndian, as: UInt32.self)
            StagedRecord.write(event, into: UnsafeMutableRawBufferPointer(rebasing: item[Self.lengthSize...]))
        }
        eventCount += 1
    }

    /// Lends the staged events back, in order, in batches of whole articles: a batch ends at
    /// the start of an article once it holds `limit` events or more, and at the end, so an
    /// article is never split. No batch is empty. The events are valid only inside `body`.
    func forEachBatch(limit: Int, _ body: ([BorrowedEvent]) throws -> Void) throws {
        // Where each record of the unfinished batch lies in the bytes being scanned: kept as
        // ranges, since those bytes move when a batch spans chunks of the spill file.
        var records: [Range<Int>] = []
        var events: [BorrowedEvent] = []
        // The unfinished batch's bytes, carried from one chunk to the next (and past the last,
        // the batch that ends with the staged events): a chunk is added to them when there
        // are any, and scanned where it lies when there are none.
        var pending: [UInt8] = []
        // How far into `pending` the items have been scanned.
        var scanned = 0

        func handOver(_ bytes: UnsafeRawBufferPointer) throws {
            guard !records.isEmpty else { return }
            for record in records { events.append(try StagedRecord.read(UnsafeRawBufferPointer(rebasing: bytes[record]))) }
            try body(events)
            events.removeAll(keepingCapacity: true)
            records.removeAll(keepingCapacity: true)
        }

        /// Scans `bytes` from `offset`, handing over every batch that ends in them; returns
        /// where the unfinished batch starts and where the scan stopped.
        func scan(_ bytes: UnsafeRawBufferPointer, from offset: Int) throws -> (batchStart: Int, scanned: Int) {
            var offset = offset
            var batchStart = 0
            while offset + Self.lengthSize <= bytes.count {
                let length = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                if length == Self.articleStartLength {
                    if records.count >= limit { try handOver(bytes) }
                    offset += Self.lengthSize
                    if records.isEmpty { batchStart = offset }
                    continue
                }
                let start = offset + Self.lengthSize
                let end = start + Int(length)
                guard end <= bytes.count else { break }
                records.append(start..<end)
                offset = end
            }
            return (batchStart, offset)
        }

        try buffer.read { chunk in
            let batchStart: Int
            if pending.isEmpty {
                let scan = try scan(chunk, from: 0)
                batchStart = scan.batchStart
                scanned = scan.scanned - batchStart
                pending.append(contentsOf: chunk[batchStart...])
            } else {
                pending.append(contentsOf: chunk)
                let scan = try pending.withUnsafeBytes { try scan($0, from: scanned) }
                batchStart = scan.batchStart
                scanned = scan.scanned - batchStart
                pending.removeFirst(batchStart)
            }
            for index in records.indices { records[index] = records[index].lowerBound - batchStart..<records[index].upperBound - batchStart }
        }
        try pending.withUnsafeBytes { try handOver($0) }
    }
}
