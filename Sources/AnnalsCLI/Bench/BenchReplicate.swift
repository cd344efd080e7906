import AnnalsDomain
import AnnalsLog
import AnnalsNATS
import AnnalsPlatform
import AnnalsTimeline
import ArgumentParser

/// `annals bench replicate --to nats://…`
struct BenchReplicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Replicate a corpus into a JetStream stream and follow it into a replica, against the cluster's own asynchronous publishing and local ingest in the same run.",
        discussion: "Uses streams of its own (deleted afterwards) on the cluster given; see docs/SCALE-OUT.md.")

    @OptionGroup var corpusOptions: CorpusOptions
    @Option(name: .customLong("to"), help: ArgumentHelp("The cluster's servers.", valueName: "nats://host:port[,host:port…]"))
    var servers: String
    @Option(help: ArgumentHelp("Copies of each stream (1 to 5, default 3).", valueName: "count"),
            transform: ArgumentValue.positive("--replicas", "a number of replicas from 1 to 5"))
    var replicas = 3
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        _ = try parseServers(servers, "--to")
        try checkReplicas(replicas)
    }

    func run() throws {
        try formatOptions.require([.table, .json])
        let servers = try parseServers(servers, "--to")
        let scratch = try BenchScratch(under: corpusOptions.scratch, keep: corpusOptions.keep)
        defer { scratch.remove() }
        let (corpus, _) = try corpusOptions.corpus(in: scratch)
        let started = System.monotonicSeconds()
        let store = try TimelineStore(path: scratch.appending("primary"), options: TimelineStore.Options())
        let progress = IngestProgress()
        try store.ingest(paths: [corpus], options: IngestOptions(eventsPerBatch: 10_000)) { progress.update($0) }
        progress.finish()
        let ingestSeconds = System.monotonicSeconds() - started
        let events = Int(try store.log.head())

        let suffix = String(System.processID)
        let baselineSeconds = try PublishBaseline.measure(store: store, servers: servers, stream: "ANNALS_BENCH_RAW_\(suffix)", replicas: replicas)
        let stream = "ANNALS_BENCH_\(suffix)"
        defer { try? PublishBaseline.deleteStream(stream, servers: servers) }
        var publishing = LogPublisher.Options()
        publishing.stream = stream
        publishing.replicas = replicas
        publishing.follow = false
        var mark = System.monotonicSeconds()
        _ = try LogPublisher(store: store, servers: servers, options: publishing).run()
        let replicateSeconds = System.monotonicSeconds() - mark
        var following = StreamFollower.Options()
        following.stream = stream
        following.follow = false
        let replica = try TimelineStore(path: scratch.appending("replica"), options: TimelineStore.Options())
        mark = System.monotonicSeconds()
        _ = try StreamFollower(store: replica, servers: servers, options: following).run()
        let followSeconds = System.monotonicSeconds() - mark
        guard try replica.log.headHash() == store.log.headHash() else {
            throw QueryFailure("the replica's head hash differs from the primary's; this is a bug in Annals")
        }

        func rate(_ seconds: Double) -> Int { Int(Double(events) / max(seconds, 1e-9)) }
        let console = Console.current
        if formatOptions.format == .json {
            console.line(JSONValue.object([
                ("workload", "replicate"), ("events", .integer(events)), ("replicas", .integer(replicas)),
                ("cluster_async_publish", .object([("seconds", .number(format3(baselineSeconds))), ("events_per_second", .integer(rate(baselineSeconds)))])),
                ("replicate", .object([("seconds", .number(format3(replicateSeconds))), ("events_per_second", .integer(rate(replicateSeconds)))])),
                ("local_ingest", .object([("seconds", .number(format3(ingestSeconds))), ("events_per_second", .integer(rate(ingestSeconds)))])),
                ("follow", .object([("seconds", .number(format3(followSeconds))), ("events_per_second", .integer(rate(followSeconds)))])),
                ("replicate_ratio_to_cluster", .number(format3(baselineSeconds / max(replicateSeconds, 1e-9)))),
                ("follow_ratio_to_local_ingest", .number(format3(ingestSeconds / max(followSeconds, 1e-9)))),
            ]).serialized())
            return
        }
        var rows = [["", "SECONDS", "EVENTS/S", "RATIO"]]
        rows.append(["cluster: asynchronous publish, same messages", format3(baselineSeconds), grouped(rate(baselineSeconds)), "1.000×"])
        rows.append(["annals replicate", format3(replicateSeconds), grouped(rate(replicateSeconds)), format3(baselineSeconds / max(replicateSeconds, 1e-9)) + "×"])
        rows.append(["local ingest, durable", format3(ingestSeconds), grouped(rate(ingestSeconds)), "1.000×"])
        rows.append(["annals follow, into an empty replica", format3(followSeconds), grouped(rate(followSeconds)), format3(ingestSeconds / max(followSeconds, 1e-9)) + "×"])
        console.write("replicate: \(grouped(events)) events, \(replicas) \(replicas == 1 ? "replica" : "replicas") at \(servers); same head hash\n\n")
        console.write(renderTable(rows, rightAligned: [1, 2, 3]) + "\n")
    }
}
