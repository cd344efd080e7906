// Child processes for the multi-process tests and the reliability harnesses: each subcommand
// does one thing to a store and reports on standard output, so a test can run several at once,
// kill them, and check what they acknowledged.
import AnnalsLog
import ArgumentParser


struct Harness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annals-harness",
        abstract: "Drives a store from a separate process for tests.",
        subcommands: [AppendEvents.self, CrashChild.self, CrashHarness.self, WriterRole.self, ReaderRole.self, ConcurrencyHarness.self, CorruptionHarness.self])
}

/// Appends numbered events in batches; prints one line per committed batch.
struct AppendEvents: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "append")

    @Option var store: String
    @Option(help: "Prefix of every event id, unique per writer.") var writer: String
    @Option var batches: Int = 10
    @Option var batchSize: Int = 100
    @Option(help: "Payload bytes per event.") var payloadSize: Int = 64

    func run() throws {
        let log = try EventLog(path: store, durability: .bulk)
        for batch in 0..<batches {
            let events = (0..<batchSize).map { index in
                NewEvent(
                    id: "\(writer)-\(batch * batchSize + index)", type: "harness.appended",
                    metadata: EventMetadata(source: writer),
                    payload: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: payloadSize))
            }
            let result = try log.append(events)
            announce("committed \(batch) \(result.appendedPositions.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "none")")
        }
        try log.flush()
    }
}

Harness.main()
