import AnnalsLog
import AnnalsNATS
import AnnalsPlatform
import AnnalsTimeline
import ArgumentParser

/// The servers of a NATS cluster, parsed from `nats://HOST:PORT[,HOST:PORT…]`.
func parseServers(_ text: String, _ what: String) throws -> NATSServers {
    switch NATSServers.parse(text) {
    case .success(let servers): return servers
    case .failure(let problem):
        throw ValidationError("\(what) \(ArgumentValueError.shown(text)) \(problem.reason); expected nats://HOST:PORT[,HOST:PORT…]")
    }
}

func checkStreamName(_ name: String) throws {
    if let problem = StreamNames.problem(with: name) {
        throw ValidationError("--stream \(ArgumentValueError.shown(name)) \(problem)")
    }
}

/// `--replicas`: how many copies of a stream the cluster keeps.
func checkReplicas(_ replicas: Int) throws {
    guard (1...5).contains(replicas) else { throw ValidationError("--replicas needs a number of replicas from 1 to 5, got \(replicas)") }
}

/// Says on standard error that a failure is being waited out, once per kind of failure in a
/// row, so a long leader election is one line rather than one per retry.
final class RetryNotes {
    private var last: String?

    func note(_ error: NATSError) {
        let text = error.description
        guard text != last else { return }
        last = text
        Console.current.message("annals: note: \(text); retrying")
    }
}

/// `annals replicate --to nats://…`: the log into a JetStream stream, then what is appended.
struct ReplicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Publish the log into a NATS JetStream stream, one CloudEvent per event at stream sequence = log position, then keep publishing what is appended.",
        discussion: """
            The stream (created when missing, on file storage) holds each event as one message on subject annals.<stream>: \
            the event's CloudEvent as its body, its id as Nats-Msg-Id, and the position before it as \
            Nats-Expected-Last-Sequence, so JetStream stores it only in its place. It starts where the stream ends, after \
            checking that the stream's last message is this log's event; after any failure it backs off and starts \
            again from the first unacknowledged position. Stopped, or killed, and started again, it resumes without a \
            gap or a duplicate. See docs/SCALE-OUT.md.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(name: .customLong("to"), help: ArgumentHelp("The cluster's servers.", valueName: "nats://host:port[,host:port…]"))
    var servers: String
    @Option(help: ArgumentHelp("The stream's name (letters, digits, - and _).", valueName: "name"))
    var stream = StreamNames.standard
    @Option(help: ArgumentHelp("Copies the cluster keeps of a stream this command creates (1 to 5).", valueName: "count"),
            transform: ArgumentValue.positive("--replicas", "a number of replicas from 1 to 5"))
    var replicas = 1
    @Flag(help: "Stop once the log's head is acknowledged, instead of following new appends.") var once = false

    func validate() throws {
        _ = try parseServers(servers, "--to")
        try checkStreamName(stream)
        try checkReplicas(replicas)
    }

    func run() throws {
        let servers = try parseServers(servers, "--to")
        let store = try StoreAccess.openForReading(storeOptions)
        var options = LogPublisher.Options()
        options.stream = stream
        options.replicas = replicas
        options.follow = !once
        // Ctrl-C and SIGTERM end a follower; what it published is in the stream, and a restart
        // resumes from there.
        if !once { System.allowTerminationSignals() }
        let progress = ProgressDisplay(label: "replicating")
        let notes = RetryNotes()
        let report = try LogPublisher(store: store, servers: servers, options: options).run(
            progress: { progress.update(done: Int($0), total: Int($1)) },
            retrying: notes.note)
        progress.finish()
        Console.current.line("published \(grouped(Int(report.published))) events to stream \(stream) at \(servers); it ends at position \(report.streamHead)")
    }
}

/// `annals follow nats://…`: a replica store kept current from a stream.
struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Build and keep current a replica of the log a JetStream stream carries: same positions, recorded-at and head hash.",
        discussion: """
            The store (created when missing) becomes a replica of the stream: it takes events only from there, and every \
            query works on it. A message that is not the event its place needs stops the follower with its sequence; \
            the replica keeps every event before it. See docs/SCALE-OUT.md.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The cluster's servers.", valueName: "nats://host:port[,host:port…]"))
    var servers: String
    @Option(help: ArgumentHelp("The stream's name.", valueName: "name"))
    var stream = StreamNames.standard
    @Flag(help: "Stop at the stream's end, instead of following what is published after it.") var once = false

    func validate() throws {
        _ = try parseServers(servers, "the server list")
        try checkStreamName(stream)
    }

    func run() throws {
        let servers = try parseServers(servers, "the server list")
        let storeExisted = FileSystem.exists(storeOptions.path + "/data.mdb")
        let store = try StoreAccess.openForWriting(storeOptions)
        var options = StreamFollower.Options()
        options.stream = stream
        options.follow = !once
        if !once { System.allowTerminationSignals() }
        let progress = ProgressDisplay(label: "following")
        let notes = RetryNotes()
        let report: StreamFollower.Report
        do {
            report = try StreamFollower(store: store, servers: servers, options: options).run(
                progress: { progress.update(done: Int($0), total: Int($1)) },
                retrying: notes.note)
        } catch {
            progress.finish()
            StoreAccess.discardIfCreatedEmpty(store, existed: storeExisted)
            throw error
        }
        progress.finish()
        let hash = try store.log.headHash()
        Console.current.line("applied \(grouped(Int(report.applied))) events from stream \(stream) at \(servers); head \(report.head), hash \(hash)")
    }
}
