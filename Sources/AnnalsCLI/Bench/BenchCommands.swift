import AnnalsCorpus
import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import AnnalsTimelineProjections
import ArgumentParser
import LMDB

/// `annals bench`: benchmarks on this machine and this data, each beside raw LMDB doing the
/// same writes or reads in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark ingestion, replay, queries and drafting on this machine, each beside a baseline doing the same work.",
        discussion: """
            Each benchmark works in a scratch directory (removed afterwards unless --keep) and never \
            touches the store named by --store. With --facts it generates a corpus shaped like news \
            (see tools/generate-corpus); with --input it uses yours.
            """,
        subcommands: [BenchIngest.self, BenchReplay.self, BenchQuery.self, BenchDraft.self, BenchReplicate.self])
}

/// Where a benchmark's corpus comes from.
struct CorpusOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Generate a corpus of this many facts (10000, 100k, 1M).", valueName: "n")) var facts: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Use this JSON Lines file instead of a generated corpus.", valueName: "file")) var input: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Seed of the generated corpus (default 42).", valueName: "seed"),
            transform: ArgumentValue.position("--seed", "a whole number from 0")) var seed: UInt64 = 42
    @Option(parsing: .unconditional, help: ArgumentHelp("Put the scratch directory here (default $TMPDIR or /tmp).", valueName: "dir")) var scratch: String?
    @Flag(help: "Keep the scratch directory (corpus and stores) afterwards.") var keep = false

    func validate() throws {
        if facts != nil && input != nil { throw ValidationError("give --facts or --input, not both") }
        if let facts, parseFactCount(facts) == nil {
            throw ValidationError("--facts needs a positive count like 10000, 100k or 1M, got \(ArgumentValueError.shown(facts))")
        }
        if input == "" { throw ValidationError("--input needs the path of a JSON Lines file, got \"\"") }
        if scratch == "" { throw ValidationError("--scratch needs a directory path, got \"\"") }
    }

    /// The corpus file: the given one, or a generated one in `scratch`.
    func corpus(in scratch: BenchScratch) throws -> (path: String, facts: Int?) {
        if let input { return (input, nil) }
        let count = facts.flatMap(parseFactCount) ?? 100_000
        let path = scratch.appending("corpus.jsonl")
        let summary = try generateCorpus(facts: count, seed: seed, to: path)
        return (path, summary.facts)
    }
}

/// `10000`, `100k`, `1M` → the count.
func parseFactCount(_ text: String) -> Int? {
    let lower = text.lowercased()
    let value: Int?
    // Multiplied with overflow reported: "9999999999999999999k" is refused, not a crash.
    let scaled = { (digits: Substring, factor: Int) -> Int? in
        Int(digits).flatMap { number in
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
    }
    if lower.hasSuffix("k") { value = scaled(lower.dropLast(), 1_000) }
    else if lower.hasSuffix("m") { value = scaled(lower.dropLast(), 1_000_000) }
    else { value = Int(lower) }
    return value.flatMap { $0 > 0 ? $0 : nil }
}

/// Builds a store from a corpus (bulk), for the replay and query benchmarks.
func buildStore(at path: String, from corpus: String) throws -> TimelineStore {
    var options = TimelineStore.Options()
    options.durability = .bulk
    let store = try TimelineStore(path: path, options: options)
    let appending = ProgressDisplay(label: "building the store")
    try store.ingest(paths: [corpus]) { phase in
        if case let .appending(done, total) = phase { appending.update(done: done, total: total) }
    }
    appending.finish()
    return store
}

/// `annals bench ingest`
struct BenchIngest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Ingest a corpus into a fresh store: throughput, batch latency, disk and memory, against raw LMDB puts.")

    @OptionGroup var corpusOptions: CorpusOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Events per write transaction (default 10000).", valueName: "events"),
            transform: ArgumentValue.positive("--batch", "a positive number of events")) var batch: Int = 10_000
    @Flag(help: "Flush every commit (the default).") var durable = false
    @Flag(help: "Flush once at the end.") var bulk = false
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if durable && bulk { throw ValidationError("choose --durable or --bulk, not both") }
    }

    func run() throws {
        try formatOptions.require([.table, .json])
        let scratch = try BenchScratch(under: corpusOptions.scratch, keep: corpusOptions.keep)
        defer { scratch.remove() }
        let (corpus, _) = try corpusOptions.corpus(in: scratch)
        let durability: Durability = bulk ? .bulk : .durable
        var options = TimelineStore.Options()
        options.durability = durability
        let store = try TimelineStore(path: scratch.appending("annals"), options: options)

        let sampler = MemorySampler()
        let progress = IngestProgress()
        let report = try store.ingest(paths: [corpus], options: IngestOptions(eventsPerBatch: batch)) { progress.update($0) }
        progress.finish()
        let memory = sampler.stop()
        let disk = diskBytes(scratch.appending("annals/data.mdb"))
        let raw = try RawLMDBTwin.writeLog(of: store.log, to: scratch.appending("raw"), batch: batch, durable: durability == .durable)
        let rawDisk = diskBytes(scratch.appending("raw/data.mdb"))

        let events = report.eventsAppended
        let latency = Percentiles(report.batchSeconds)
        let rawLatency = Percentiles(raw.batchSeconds)
        let megabytes = Double(report.inputBytes) / 1_048_576
        let result = BenchIngestResult(
            events: events, facts: report.records.facts, inputBytes: report.inputBytes, batch: batch,
            durability: durability == .durable ? "durable" : "bulk",
            seconds: report.seconds, validateSeconds: report.validateSeconds, appendSeconds: report.appendSeconds,
            projectSeconds: report.projectSeconds, rawSeconds: raw.seconds, latency: latency, rawLatency: rawLatency,
            diskBytes: disk, rawDiskBytes: rawDisk, peakResident: memory.resident, peakAnonymous: memory.anonymous,
            megabytesPerSecond: megabytes / max(report.seconds, 1e-9))
        let console = Console.current
        if formatOptions.format == .json {
            console.line(result.json.serialized())
        } else {
            console.write(result.table)
        }
    }
}

struct BenchIngestResult {
    let events: Int
    let facts: Int
    let inputBytes: Int
    let batch: Int
    let durability: String
    let seconds: Double
    let validateSeconds: Double
    let appendSeconds: Double
    let projectSeconds: Double
    let rawSeconds: Double
    let latency: Percentiles
    let rawLatency: Percentiles
    let diskBytes: Int
    let rawDiskBytes: Int
    let peakResident: Int
    let peakAnonymous: Int
    let megabytesPerSecond: Double

    func rate(_ seconds: Double) -> Double { Double(events) / max(seconds, 1e-9) }

    var json: JSONValue {
        .object([
            ("workload", "ingest"), ("events", .integer(events)), ("facts", .integer(facts)), ("input_bytes", .integer(inputBytes)),
            ("batch", .integer(batch)), ("durability", .string(durability)),
            ("seconds", .number(format3(seconds))), ("events_per_second", .number(String(Int(rate(seconds))))),
            ("mb_per_second", .number(format3(megabytesPerSecond))),
            ("phases", .object([
                ("validate_seconds", .number(format3(validateSeconds))), ("append_seconds", .number(format3(appendSeconds))),
                ("project_seconds", .number(format3(projectSeconds))),
            ])),
            ("append_events_per_second", .number(String(Int(rate(appendSeconds))))),
            ("batch_latency_ms", .object([("p50", .number(format3(latency.p50 * 1000))), ("p99", .number(format3(latency.p99 * 1000))), ("max", .number(format3(latency.max * 1000)))])),
            ("bytes_on_disk", .integer(diskBytes)), ("bytes_per_event", .number(format3(Double(diskBytes) / Double(max(events, 1))))),
            ("peak_rss_bytes", .integer(peakResident)), ("peak_anonymous_bytes", .integer(peakAnonymous)),
            ("raw_lmdb", .object([
                ("seconds", .number(format3(rawSeconds))), ("events_per_second", .number(String(Int(rate(rawSeconds))))),
                ("batch_latency_ms", .object([("p50", .number(format3(rawLatency.p50 * 1000))), ("p99", .number(format3(rawLatency.p99 * 1000))), ("max", .number(format3(rawLatency.max * 1000)))])),
                ("bytes_per_event", .number(format3(Double(rawDiskBytes) / Double(max(events, 1))))),
            ])),
            ("ratio_to_raw_lmdb", .number(format3(rawSeconds / max(seconds, 1e-9)))),
            ("append_ratio_to_raw_lmdb", .number(format3(rawSeconds / max(appendSeconds, 1e-9)))),
        ])
    }

    var table: String {
        var text = "ingest: \(grouped(events)) events (\(grouped(facts)) facts, \(formatBytes(inputBytes)) of JSON Lines), batches of \(grouped(batch)), \(durability)\n\n"
        var rows = [["", "SECONDS", "EVENTS/S", "VS RAW LMDB"]]
        rows.append(["annals, whole ingest", format3(seconds), grouped(Int(rate(seconds))), String(format3(rawSeconds / max(seconds, 1e-9))) + "×"])
        rows.append(["  validate", format3(validateSeconds), "", ""])
        rows.append(["  append to the log", format3(appendSeconds), grouped(Int(rate(appendSeconds))), String(format3(rawSeconds / max(appendSeconds, 1e-9))) + "×"])
        rows.append(["  update projections", format3(projectSeconds), "", ""])
        rows.append(["raw LMDB, same puts", format3(rawSeconds), grouped(Int(rate(rawSeconds))), "1.000×"])
        text += renderTable(rows, rightAligned: [1, 2, 3]) + "\n"
        text += "throughput      \(format3(megabytesPerSecond)) MB/s of input\n"
        text += "batch commits   p50 \(format3(latency.p50 * 1000)) ms, p99 \(format3(latency.p99 * 1000)) ms, max \(format3(latency.max * 1000)) ms"
        text += " (raw LMDB: p50 \(format3(rawLatency.p50 * 1000)) ms, p99 \(format3(rawLatency.p99 * 1000)) ms)\n"
        text += "disk            \(formatBytes(diskBytes)), \(Int(Double(diskBytes) / Double(max(events, 1)))) bytes per event with projections"
        text += " (the log alone through raw LMDB: \(Int(Double(rawDiskBytes) / Double(max(events, 1)))))\n"
        text += "peak memory     \(formatBytes(peakResident)) resident, of which \(formatBytes(peakAnonymous)) anonymous (the rest is the store's mapped pages)\n"
        return text
    }
}

/// `annals bench replay`
struct BenchReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Rebuild every built-in projection and a declared one from a log, against a raw LMDB scan of the same log.")

    @OptionGroup var corpusOptions: CorpusOptions
    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        try formatOptions.require([.table, .json])
        let scratch = try BenchScratch(under: corpusOptions.scratch, keep: corpusOptions.keep)
        defer { scratch.remove() }
        let (corpus, _) = try corpusOptions.corpus(in: scratch)
        let path = scratch.appending("annals")
        // A declared projection beside the built-in ones: defined in the store first, then run
        // by the store opened again (a store runs the declared projections it finds on opening).
        do {
            let built = try buildStore(at: path, from: corpus)
            try built.define(try ProjectionFile(yaml: CorpusGenerator.benchmarkProjection, file: "bench"))
        }
        var options = TimelineStore.Options()
        options.durability = .bulk
        let store = try TimelineStore(path: path, options: options)
        let head = try store.log.head()
        let scan = try RawLMDBTwin.scanLog(at: scratch.appending("annals"))
        var decodeChecksum: UInt64 = 0
        let (_, decodeSeconds) = try timed {
            try store.log.replay { event in
                decodeChecksum &+= event.position &+ UInt64(event.payload.count)
                return true
            }
        }
        var reports: [RebuildReport] = []
        let (_, rebuildSeconds) = try timed {
            for name in TimelineStore.builtInProjectionNames {
                let display = ProgressDisplay(label: "rebuilding \(name)")
                reports += try store.projections.rebuild([name]) { display.update(done: Int($0), total: Int($1)) }
                display.finish()
            }
        }
        let declaredName = CorpusGenerator.benchmarkProjectionName
        let display = ProgressDisplay(label: "rebuilding \(declaredName)")
        let declared = try store.projections.rebuild([declaredName]) { display.update(done: Int($0), total: Int($1)) }
        display.finish()
        let rate = { (seconds: Double) in Double(head) / max(seconds, 1e-9) }
        // The declared projection's rate as a share of the timeline's, both over the same log.
        let timelineSeconds = reports.first { $0.name == "timeline" }?.seconds ?? 0
        let declaredSeconds = declared.first?.seconds ?? 0
        let declaredShare = timelineSeconds / max(declaredSeconds, 1e-9)
        let (groups, show, inPlace) = try DeclaredReadTimes.measure(declaredName, in: store)
        let micros = { (seconds: Double) in format3(seconds * 1e6) }
        let console = Console.current
        if formatOptions.format == .json {
            console.line(JSONValue.object([
                ("workload", "replay"), ("events", .integer(head)),
                ("rebuild_seconds", .number(format3(rebuildSeconds))), ("rebuild_events_per_second", .number(String(Int(rate(rebuildSeconds))))),
                ("projections", .array(reports.map { report in
                    .object([("name", .string(report.name)), ("events_applied", .integer(report.eventsApplied)), ("seconds", .number(format3(report.seconds))),
                             ("events_per_second", .number(String(Int(rate(report.seconds)))))])
                })),
                ("declared", .object([
                    ("name", .string(declaredName)), ("seconds", .number(format3(declaredSeconds))),
                    ("events_per_second", .number(String(Int(rate(declaredSeconds))))), ("ratio_to_timeline", .number(format3(declaredShare))),
                    ("groups", .integer(groups)),
                    ("show_us", .object([("p50", .number(micros(show.p50))), ("p99", .number(micros(show.p99))), ("max", .number(micros(show.max)))])),
                    ("in_place_us", .object([("p50", .number(micros(inPlace.p50))), ("p99", .number(micros(inPlace.p99))), ("max", .number(micros(inPlace.max)))])),
                ])),
                ("decode_seconds", .number(format3(decodeSeconds))), ("decode_events_per_second", .number(String(Int(rate(decodeSeconds))))),
                ("raw_scan_seconds", .number(format3(scan.seconds))), ("raw_scan_events_per_second", .number(String(Int(rate(scan.seconds))))),
                ("ratio_to_raw_scan", .number(format3(scan.seconds / max(rebuildSeconds, 1e-9)))),
            ]).serialized())
            return
        }
        var rows = [["", "EVENTS APPLIED", "SECONDS", "LOG EVENTS/S", "VS RAW SCAN"]]
        for report in reports {
            rows.append(["rebuild \(report.name)", grouped(Int(report.eventsApplied)), format3(report.seconds), grouped(Int(rate(report.seconds))),
                         format3(scan.seconds / max(report.seconds, 1e-9)) + "×"])
        }
        rows.append(["rebuild every built-in", "", format3(rebuildSeconds), grouped(Int(rate(rebuildSeconds))), format3(scan.seconds / max(rebuildSeconds, 1e-9)) + "×"])
        for report in declared {
            rows.append(["rebuild declared \(report.name)", grouped(Int(report.eventsApplied)), format3(report.seconds), grouped(Int(rate(report.seconds))),
                         format3(scan.seconds / max(report.seconds, 1e-9)) + "×"])
        }
        rows.append(["decode the log (envelopes)", "", format3(decodeSeconds), grouped(Int(rate(decodeSeconds))), format3(scan.seconds / max(decodeSeconds, 1e-9)) + "×"])
        rows.append(["raw LMDB scan of the log", "", format3(scan.seconds), grouped(Int(rate(scan.seconds))), "1.000×"])
        console.line("replay: a log of \(grouped(Int(head))) events\n")
        console.write(renderTable(rows, rightAligned: [1, 2, 3, 4]))
        console.line("\nthe declared projection rebuilds at \(format3(declaredShare))× the timeline's events per second")
        console.line("reading its \(grouped(groups)) groups, \(DeclaredReadTimes.reads) times each way:")
        console.line("  `annals projection show`, its table written out (counted, not printed): "
            + "p50 \(micros(show.p50)) µs, p99 \(micros(show.p99)) µs, max \(micros(show.max)) µs")
        console.line("  in place, every value touched (the store's answer, as a program reads it): "
            + "p50 \(micros(inPlace.p50)) µs, p99 \(micros(inPlace.p99)) µs, max \(micros(inPlace.max)) µs")
    }

}

/// How long reading a declared projection's groups takes, two ways.
enum DeclaredReadTimes {
    /// How many times the groups are read each way.
    static let reads = 1000

    /// Reads the groups of declared projection `name` `times` times each way: as `annals
    /// projection show` does, every group written out as its table short of the terminal (the
    /// bytes are counted); and in place, every value touched, as an embedding program reads them.
    static func measure(_ name: String, in store: TimelineStore, times: Int = reads) throws -> (groups: Int, show: Percentiles, inPlace: Percentiles) {
        var groups = 0
        var showLatencies: [Double] = []
        for _ in 0..<times {
            let (shown, seconds) = try timed {
                var written = 0
                var rendering = DeclaredRendering(format: .table) { written += $0.count }
                try store.readDeclared(name, into: &rendering)
                rendering.finish()
                return (rendering.groupCount, written)
            }
            groups = shown.0
            blackHole(shown.1)
            showLatencies.append(seconds)
        }
        var inPlaceLatencies: [Double] = []
        for _ in 0..<times {
            let (touched, seconds) = try timed {
                var touched = 0
                try store.forEachDeclaredGroup(name) { group in
                    group.forEachValue { touched &+= $0.count }
                    touched &+= group.count &+ Int(truncatingIfNeeded: group.first &+ group.last)
                    if group.quantityCount > 0 { group.forEachTotal(ofQuantity: 0) { touched &+= $0.dimension.count &+ Int(truncatingIfNeeded: $0.sumParts.significand) } }
                    group.forEachFact { touched &+= $0.count }
                    return true
                }
                return touched
            }
            blackHole(touched)
            inPlaceLatencies.append(seconds)
        }
        return (groups, Percentiles(showLatencies), Percentiles(inPlaceLatencies))
    }
}

/// `annals bench query`
struct BenchQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "As-of timeline queries (pages of 20) at random positions and periods, against raw LMDB reads of the same pages; each declared projection's groups read whole.")

    @OptionGroup var corpusOptions: CorpusOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("How many queries of each kind (default 10000).", valueName: "n"), transform: ArgumentValue.positive("--queries"))
    var queries: Int = 10_000
    @Option(parsing: .unconditional, help: ArgumentHelp("Entries per page (default 20).", valueName: "n"), transform: ArgumentValue.positive("--limit"))
    var limit: Int = 20
    @Option(help: ArgumentHelp("Query this existing store (read only) instead of building one from a corpus.", valueName: "store"))
    var existing: String?
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if existing != nil && (corpusOptions.facts != nil || corpusOptions.input != nil) {
            throw ValidationError("give --existing or a corpus (--facts, --input), not both")
        }
    }

    func run() throws {
        try formatOptions.require([.table, .json])
        let scratch = try BenchScratch(under: corpusOptions.scratch, keep: corpusOptions.keep)
        defer { scratch.remove() }
        let store: TimelineStore
        if let existing {
            var options = TimelineStore.Options()
            options.readOnly = true
            store = try TimelineStore(path: existing, options: options)
        } else {
            let (corpus, _) = try corpusOptions.corpus(in: scratch)
            store = try buildStore(at: scratch.appending("annals"), from: corpus)
        }
        let head = try store.log.head()
        var random = SplitMix(seed: corpusOptions.seed)
        let months = (2006..<2026).flatMap { year in (1...12).map { month in "\(year)-\(month < 10 ? "0" : "")\(month)" } }
        var asOfLatencies: [Double] = []
        var headLatencies: [Double] = []
        var rawLatencies: [Double] = []
        var rows = 0
        let display = ProgressDisplay(label: "querying", unit: "queries", minimumTotal: 1000)
        for index in 0..<queries {
            let from = months[Int(random.next() % UInt64(months.count))]
            let period = try ValidTime(parsing: from)
            let position = 1 + random.next() % head
            // A page as an embedding program reads it: each fact's row in place, its summary touched.
            let readPage = { (query: TimelineQuery) throws -> Int in
                try store.readTimeline(query) { page in
                    var touched = 0
                    for row in page.rows { touched &+= try row.fact.summaryBytes().count }
                    blackHole(touched)
                    return page.rows.count
                }
            }
            let (asOf, asOfSeconds) = try timed { try readPage(TimelineQuery(from: period, asOf: .position(position), limit: limit)) }
            let (now, headSeconds) = try timed { try readPage(TimelineQuery(from: period, limit: limit)) }
            rows += asOf + now
            asOfLatencies.append(asOfSeconds)
            headLatencies.append(headSeconds)
            rawLatencies.append(try rawPage(store, from: period.start))
            display.update(done: index + 1, total: queries)
        }
        display.finish()
        // Each declared projection the store runs, read whole as `annals projection show` does.
        var declared: [(name: String, groups: Int, show: Percentiles, inPlace: Percentiles)] = []
        for projection in store.declared.projections {
            let times = try DeclaredReadTimes.measure(projection.name, in: store)
            declared.append((projection.name, times.groups, times.show, times.inPlace))
        }
        let asOfPercentiles = Percentiles(asOfLatencies)
        let headPercentiles = Percentiles(headLatencies)
        let raw = Percentiles(rawLatencies)
        let console = Console.current
        func micros(_ seconds: Double) -> String { format3(seconds * 1e6) }
        if formatOptions.format == .json {
            func object(_ p: Percentiles) -> JSONValue {
                .object([("p50_us", .number(micros(p.p50))), ("p99_us", .number(micros(p.p99))), ("max_us", .number(micros(p.max)))])
            }
            console.line(JSONValue.object([
                ("workload", "query"), ("events", .integer(head)), ("queries", .integer(queries)), ("page", .integer(limit)),
                ("rows_returned", .integer(rows)), ("as_of", object(asOfPercentiles)), ("current", object(headPercentiles)),
                ("raw_lmdb_page", object(raw)), ("ratio_to_raw_p50", .number(format3(raw.p50 / max(asOfPercentiles.p50, 1e-12)))),
                ("declared", .array(declared.map { reads in
                    .object([("name", .string(reads.name)), ("groups", .integer(reads.groups)), ("show", object(reads.show)), ("in_place", object(reads.inPlace))])
                })),
            ]).serialized())
            return
        }
        console.line("query: \(grouped(queries)) pages of \(limit) from a random month, over a log of \(grouped(Int(head))) events\n")
        var table = [["", "P50 µs", "P99 µs", "MAX µs"]]
        table.append(["as of a random position", micros(asOfPercentiles.p50), micros(asOfPercentiles.p99), micros(asOfPercentiles.max)])
        table.append(["as of now", micros(headPercentiles.p50), micros(headPercentiles.p99), micros(headPercentiles.max)])
        table.append(["raw LMDB: seek and read \(limit) index entries", micros(raw.p50), micros(raw.p99), micros(raw.max)])
        for reads in declared {
            table.append(["projection show \(reads.name) (\(grouped(reads.groups)) groups)", micros(reads.show.p50), micros(reads.show.p99), micros(reads.show.max)])
            table.append(["  its groups read in place", micros(reads.inPlace.p50), micros(reads.inPlace.p99), micros(reads.inPlace.max)])
        }
        console.write(renderTable(table, rightAligned: [1, 2, 3]))
    }

    /// The raw cost of the same page: one read transaction, one seek into the timeline index,
    /// `limit` entries read — no filtering, no decoding, no fetching of facts.
    private func rawPage(_ store: TimelineStore, from start: Int64) throws -> Double {
        let timeline = try store.environment.read { txn in TimelineProjection.Reader(try store.projections.state(of: TimelineProjection(), in: txn)) }
        let (_, seconds) = try timed {
            try store.environment.read { txn in
                blackHole(try timeline.rawEntryBytes(from: start, count: limit, txn: txn))
            }
        }
        return seconds
    }
}

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole(_ value: Int) {
    if value == .min { Console.current.message("") }
}
