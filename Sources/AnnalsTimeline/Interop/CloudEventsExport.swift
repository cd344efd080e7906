import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import LMDB

/// What ``TimelineStore/exportCloudEvents(from:progress:_:)`` wrote.
public struct ExportReport: Sendable, Hashable {
    /// Events written.
    public var events = 0
    /// The positions written; `nil` when none was.
    public var positions: ClosedRange<UInt64>?
    /// The log's head in the snapshot exported.
    public var head: UInt64 = 0
}

extension TimelineStore {
    /// The events transcoded as one stretch, and handed to `write` at once: about a mebibyte
    /// of lines.
    static let exportChunkEvents = 2_048

    /// Writes the log's events from `position` on in the ``CloudEventForm``, one JSON object
    /// and a newline per event, as of one head. `write` receives the text a stretch of
    /// ``exportChunkEvents`` events at a time, in order, valid only during the call, and
    /// returns `false` to stop early (a reader that went away).
    ///
    /// Transcoding is the work, and it runs on two threads: this one takes the even stretches
    /// and writes every stretch, a helper transcodes the odd ones in a read snapshot of its
    /// own. Records never change once written, so both snapshots hold the same events up to
    /// the head read first.
    ///
    /// - Throws: ``ExportError/beyondHead(from:head:)`` when `position` is more than one past
    ///   the head.
    @discardableResult
    public func exportCloudEvents(from position: UInt64 = 1, progress: ((Int, Int) -> Void)? = nil,
                                  _ write: (UnsafeRawBufferPointer) throws -> Bool) throws -> ExportReport {
        var report = ExportReport()
        report.head = try log.head()
        let start = max(position, 1)
        guard start <= report.head + 1 else { throw ExportError.beyondHead(from: start, head: report.head) }
        let total = Int(report.head + 1 - start)
        guard total > 0 else { return report }
        let chunks = ExportChunks(start: start, head: report.head)
        let storeName = FileSystem.lastComponent(of: path)
        // The helper runs ahead by two finished stretches at most, and one being made.
        let helper = chunks.count > 1
            ? BatchQueue<Result<[UInt8], any Error>>(capacity: 2, label: "annals.export") { [self] queue in
                transcodeOddChunks(chunks, storeName: storeName, into: queue)
            }
            : nil
        defer { helper?.finish() }
        try environment.read { txn in
            var writer = CloudEventWriter(storeName: storeName)
            var text = JSONWriter(capacity: Self.exportChunkBytesEstimate)
            for index in 0..<chunks.count {
                let positions = chunks.positions(index)
                let keepGoing: Bool
                if index % 2 == 0 {
                    text.reset()
                    try transcode(positions, in: txn, writer: &writer, into: &text)
                    keepGoing = try text.withBytes(write)
                } else {
                    let lines = try helper!.take().get()
                    keepGoing = try lines.withUnsafeBytes(write)
                }
                report.events += positions.count
                progress?(report.events, total)
                if !keepGoing { break }
            }
        }
        if report.events > 0 { report.positions = start...(start + UInt64(report.events) - 1) }
        return report
    }

    /// The room a stretch's text needs at first: lines are about 700 bytes.
    private static let exportChunkBytesEstimate = exportChunkEvents * 768

    /// The helper's part of an export: the odd stretches of `chunks`, in order, each handed to
    /// `queue` whole, or the error that stopped it.
    private func transcodeOddChunks(_ chunks: ExportChunks, storeName: String, into queue: BatchQueue<Result<[UInt8], any Error>>) {
        do {
            try environment.read { txn in
                var writer = CloudEventWriter(storeName: storeName)
                var text = JSONWriter(capacity: Self.exportChunkBytesEstimate)
                for index in stride(from: 1, to: chunks.count, by: 2) {
                    text.reset()
                    try transcode(chunks.positions(index), in: txn, writer: &writer, into: &text)
                    guard queue.put(.success(text.bytes)) else { return }
                }
            }
        } catch {
            _ = queue.put(.failure(error))
        }
    }

    /// Appends the CloudEvents of the events at `positions`, a line each, to `text`.
    private func transcode(_ positions: ClosedRange<UInt64>, in txn: borrowing Transaction, writer: inout CloudEventWriter,
                           into text: inout JSONWriter) throws {
        try log.forEach(in: txn, positions: positions) { event in
            writer.write(event, to: &text)
            text.punctuation("\n")
            return true
        }
    }
}

/// The stretches an export cuts the positions `start...head` into, ``TimelineStore/exportChunkEvents`` each.
private struct ExportChunks: Sendable {
    let start: UInt64
    let head: UInt64

    var count: Int { Int((head + 1 - start + UInt64(TimelineStore.exportChunkEvents) - 1) / UInt64(TimelineStore.exportChunkEvents)) }

    func positions(_ index: Int) -> ClosedRange<UInt64> {
        let first = start + UInt64(index) * UInt64(TimelineStore.exportChunkEvents)
        return first...min(first + UInt64(TimelineStore.exportChunkEvents) - 1, head)
    }
}

/// Why an export could not start.
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first position asked for is past the head (more than one past: the head + 1 is an
    /// empty export, as a follower waiting for the next event would start).
    case beyondHead(from: UInt64, head: UInt64)

    public var description: String {
        switch self {
        case let .beyondHead(from, head): "--from \(from) is beyond the log's head (\(head))"
        }
    }
}
