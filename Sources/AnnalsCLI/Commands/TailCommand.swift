import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import ArgumentParser
import LMDB

/// `annals tail [--from POS] [--follow] [--type TYPE…] [--format table|jsonl|cloudevents]`
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the log's events from a position; with --follow, keep printing them as any process appends.",
        discussion: "Stopped and started again with --from one past the last position printed, it prints every event exactly once.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Start at this position (default 1, the first event).", valueName: "position"),
            transform: ArgumentValue.position("--from"))
    var from: UInt64 = 1
    @Flag(help: "After the head, wait for new events and print them as they are appended; Ctrl-C stops.") var follow = false
    @Option(name: .customLong("type"), parsing: .unconditionalSingleValue, help: ArgumentHelp("Only events of this type (repeatable): fact.asserted, article.recorded, ….", valueName: "type"))
    var types: [String] = []
    @OptionGroup var formatOptions: FormatOptions

    /// At most this many events are read in one transaction and written out together.
    static let eventsPerRead = 4_096
    /// How long a follower waits for a write before it looks at the head anyway.
    static let longestWait: Int32 = 1_000

    func validate() throws {
        if let empty = types.first(where: { $0.allSatisfy(\.isWhitespace) }) {
            throw ValidationError("--type needs an event type like fact.asserted, got \(ArgumentValueError.shown(empty))")
        }
    }

    func run() throws {
        try formatOptions.require([.table, .jsonl, .cloudevents])
        let store = try StoreAccess.openForReading(storeOptions)
        let console = Console.current
        let typeNames = types.isEmpty ? nil : types.map { EventTypeName($0) }
        // Ctrl-C, SIGTERM and a closed pipe (`| head`) end a follower, whatever signal mask it
        // inherited. (A background job of a non-interactive shell has SIGINT ignored, by POSIX
        // convention, as for any program; SIGTERM still ends it.)
        if follow { System.allowTerminationSignals() }
        // Opened before the first read, so that no write after that read goes unnoticed.
        let watch = follow ? FileChangeWatch(path: store.path + "/data.mdb") : nil
        var cloudEvents = CloudEventWriter(storeName: FileSystem.lastComponent(of: store.path))
        var next = max(from, 1)
        let head = try store.log.head()
        guard next <= head + 1 else {
            throw QueryFailure("--from \(from) is beyond the log's head (\(head)); --from \(head + 1) starts with the next event appended")
        }
        while true {
            let (examined, head) = try printEvents(from: next, types: typeNames, store: store, console: console, cloudEvents: &cloudEvents)
            // Each read's events go out together, so a reader downstream sees them at once.
            console.flush()
            next = examined + 1
            if next <= head { continue }
            guard let watch else { return }
            watch.wait(milliseconds: Self.longestWait)
        }
    }

    /// Prints the events from `position` on, up to ``eventsPerRead``; the last position it
    /// looked at and the head it saw.
    private func printEvents(from position: UInt64, types: [EventTypeName]?, store: TimelineStore, console: Console,
                             cloudEvents: inout CloudEventWriter) throws -> (examined: UInt64, head: UInt64) {
        var line = JSONWriter(capacity: 4096)
        return try store.environment.read { txn in
            let head = try store.log.head(in: txn)
            guard position <= head else { return (position - 1, head) }
            let last = min(head, position + UInt64(Self.eventsPerRead) - 1)
            try store.log.forEach(in: txn, positions: position...last, types: types) { event in
                switch formatOptions.format {
                case .jsonl: console.line(DomainEventDescription.json(event).serialized())
                case .cloudevents:
                    line.reset()
                    cloudEvents.write(event, to: &line)
                    console.line(line.withBytes { String(decoding: $0, as: UTF8.self) })
                default:
                    let number = String(event.position)
                    console.line(TerminalText.visible(String(repeating: " ", count: max(0, 8 - number.count)) + number + "  \(event.recordedAt)  \(event.type)  "
                        + "\(truncate(event.id, 48))  \(truncate(DomainEventDescription.summary(event), 70))"))
                }
                return true
            }
            return (last, head)
        }
    }
}
