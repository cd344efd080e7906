import AnnalsTestSupport
@testable import AnnalsTimeline
import Foundation
import Testing

/// The parsing thread hands records over in batches; what the consumer sees must be exactly
/// what reading the input on one thread gives, in order, whatever the batch boundaries.
@Suite struct RecordPipelineTests {
    /// A JSON Lines file of `count` actor declarations; the line `badLine`, if any, is not JSON.
    private func writeActors(_ count: Int, to path: String, badLine: Int? = nil) throws -> IngestInputFile {
        var text = ""
        for index in 1...count {
            text += index == badLine ? "{\"type\":\n" : "{\"type\":\"alias\",\"actor\":\"actor-\(index)\",\"name\":\"Actor \(index)\",\"kind\":\"person\"}\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return IngestInputFile(path: path, format: .jsonLines, size: text.utf8.count)
    }

    /// Waits until the producer has filled the queue's `batches` and must wait for room, so that
    /// what follows reads from a full queue.
    private func waitUntilFull(_ pipeline: RecordPipeline, batches: Int) {
        while pipeline.queuedBatches < batches { Thread.sleep(forTimeInterval: 0.001) }
    }

    private struct Seen: Equatable {
        let line: Int
        let file: String
        let fileIndex: Int
        let bytesRead: Int
    }

    @Test func recordsArriveInInputOrderWithTheirFilesAndProgress() throws {
        let directory = TemporaryDirectory()
        // Counts that are not multiples of the batch size, so batches straddle the files.
        let files = [try writeActors(1000, to: directory.appending("a.jsonl")), try writeActors(301, to: directory.appending("b.jsonl"))]

        var expected: [Seen] = []
        let direct = RecordStream(files: files)
        while let record = try direct.next() {
            expected.append(Seen(line: record.location.line, file: record.location.file, fileIndex: direct.currentFileIndex, bytesRead: direct.bytesRead))
        }

        var seen: [Seen] = []
        let pipeline = RecordPipeline(RecordStream(files: files), capacity: 4 * RecordPipeline.batchSize)
        defer { pipeline.finish() }
        waitUntilFull(pipeline, batches: 4)
        while let (record, fileIndex, bytesRead) = try pipeline.next() {
            seen.append(Seen(line: record.location.line, file: record.location.file, fileIndex: fileIndex, bytesRead: bytesRead))
        }
        #expect(seen.count == 1301)
        #expect(expected.count == 1301)
        let firstDifference = zip(seen, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "record \((firstDifference?.offset ?? 0) + 1) differs")
    }

    @Test func aParseFailureArrivesAfterEveryRecordBeforeIt() throws {
        let directory = TemporaryDirectory()
        let file = try writeActors(1000, to: directory.appending("a.jsonl"), badLine: 777)
        let pipeline = RecordPipeline(RecordStream(files: [file]), capacity: 4 * RecordPipeline.batchSize)
        defer { pipeline.finish() }
        waitUntilFull(pipeline, batches: 4)
        var lines: [Int] = []
        var failure: InputError?
        do throws(InputError) {
            while let (record, _, _) = try pipeline.next() { lines.append(record.location.line) }
        } catch {
            failure = error
        }
        #expect(lines.count == 776)
        #expect(lines.enumerated().first { $0.element != $0.offset + 1 }?.element == nil)
        #expect(failure?.file == file.path)
        #expect(failure?.line == 777)
    }

    /// The consumer stops at its first record while the producer, far ahead, waits for room in
    /// the queue: finishing must release it rather than wait for it forever.
    @Test func stoppingEarlyReleasesAProducerWaitingForRoom() throws {
        let directory = TemporaryDirectory()
        let file = try writeActors(20_000, to: directory.appending("a.jsonl"))
        let pipeline = RecordPipeline(RecordStream(files: [file]), capacity: RecordPipeline.batchSize)
        waitUntilFull(pipeline, batches: 1)
        let first = try pipeline.next()
        #expect(first?.record.location.line == 1)
        // The room the consumer made is taken again: the producer now waits for more.
        waitUntilFull(pipeline, batches: 1)
        pipeline.finish()
    }
}
