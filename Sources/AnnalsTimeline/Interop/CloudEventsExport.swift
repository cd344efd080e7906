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
    /// The events `write` is handed at a time: about a mebibyte of lines.
    static let exportChunkBytes = 1 << 20

    /// Writes the log's events from `position` on in the ``CloudEventForm``, one JSON object
    /// and a newline per event, from one read snapshot. `write` receives the text about a
    /// mebibyte at a time, valid only during the call, and returns `false` to stop early (a
    /// reader that went away).
    ///
    /// - Throws: ``ExportError/beyondHead(from:head:)`` when `position` is more than one past
    ///   the head.
    @discardableResult
    public func exportCloudEvents(from position: UInt64 = 1, progress: ((Int, Int) -> Void)? = nil,
                                  _ write: (UnsafeRawBufferPointer) throws -> Bool) throws -> ExportReport {
        var report = ExportReport()
        try environment.read { txn in
            report.head = try log.head(in: txn)
            let start = max(position, 1)
            guard start <= report.head + 1 else { throw ExportError.beyondHead(from: start, head: report.head) }
            let total = Int(report.head + 1 - start)
            var writer = CloudEventWriter(storeName: FileSystem.lastComponent(of: path))
            var text = JSONWriter(capacity: Self.exportChunkBytes + (Self.exportChunkBytes >> 1))
            var stopped = false
            try log.forEach(in: txn, positions: start...UInt64.max) { event in
                writer.write(event, to: &text)
                text.punctuation("\n")
                report.events += 1
                guard text.count >= Self.exportChunkBytes else { return true }
                stopped = try !text.withBytes(write)
                text.reset()
                progress?(report.events, total)
                return !stopped
            }
            if !stopped && text.count > 0 { _ = try text.withBytes(write) }
            if report.events > 0 { report.positions = start...(start + UInt64(report.events) - 1) }
        }
        return report
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
