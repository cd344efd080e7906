import AnnalsTestSupport
import Foundation
import Testing

/// The log on a NATS JetStream stream, on a real three-server cluster on 127.0.0.1:
/// `annals replicate` publishes it with stream sequence = log position, `annals follow` builds
/// a replica with the same head hash, through kills of the stream's leader and of the publisher.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ReplicationTests {
    let directory = TemporaryDirectory()
    let annals = builtExecutable("annals")
    let corpus = builtExecutable("annals-corpus")

    private func run(_ arguments: String...) throws -> ProcessResult {
        try runProcess(annals, arguments, timeout: 240)
    }

    /// `verify`'s line with the head hash; with `required` false, "" when there is none yet (a
    /// store being created).
    private func headHash(_ store: String, required: Bool = true) throws -> String {
        let verified = try run("--store", store, "verify")
        if required { #expect(verified.status == 0, "\(verified.standardError)") }
        // "log intact: N events, head hash H", without the pages checked (projections are laid
        // out by the batches that built them).
        let line = verified.standardOutput.split(separator: "\n").first { $0.hasPrefix("log intact") } ?? ""
        return String(line.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
    }

    /// A corpus of `facts` generated facts, in JSON Lines.
    private func generate(facts: Int, named name: String) throws -> String {
        let input = directory.appending("\(name).jsonl")
        #expect(try runProcess(corpus, ["--facts", String(facts), "--output", input]).status == 0)
        return input
    }

    /// A store holding `facts` generated facts.
    private func store(facts: Int, named name: String) throws -> String {
        let input = try generate(facts: facts, named: name)
        let store = directory.appending(name)
        let ingested = try run("--store", store, "ingest", "--bulk", input)
        #expect(ingested.status == 0, "\(ingested.standardError)")
        return store
    }

    private func seededStore() throws -> String {
        let store = directory.appending("primary")
        let ingested = try run("--store", store, "ingest", repositoryRoot + "/seeds")
        #expect(ingested.status == 0, "\(ingested.standardError)")
        return store
    }

    private func background(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: annals)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitUntil(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func replicateThenFollowGivesTheSameLogAndAnswersForTheSeeds() throws {
        let cluster = try NATSCluster()
        let primary = try seededStore()
        let published = try run("--store", primary, "replicate", "--to", cluster.urls, "--replicas", "3", "--once")
        #expect(published.status == 0, "\(published.standardError)")
        #expect(published.standardOutput == "published 83 events to stream ANNALS at \(cluster.urls); it ends at position 83\n")
        let replica = directory.appending("replica")
        let followed = try run("--store", replica, "follow", cluster.urls, "--once")
        #expect(followed.status == 0, "\(followed.standardError)")
        #expect(followed.standardOutput.hasPrefix("applied 83 events from stream ANNALS at \(cluster.urls); head 83, hash "))
        #expect(try headHash(replica) == headHash(primary))
        #expect(try headHash(replica).hasPrefix("log intact: 83 events"))
        // Each message carries its CloudEvent, and its log record beside it: the record's
        // position and chain hash are the CloudEvent's.
        for sequence: UInt64 in [1, 42, 83] {
            let stored = try cluster.storedMessage(sequence)
            #expect(stored.headers["Nats-Msg-Id"] != nil && stored.headers["content-type"] == "application/cloudevents+json")
            let event = try #require(try JSONSerialization.jsonObject(with: stored.body) as? [String: Any])
            let record = try #require(stored.headers["Annals-Record"].flatMap { Data(base64Encoded: $0) })
            #expect(record.count > 64)
            #expect(record.subdata(in: 32..<40).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) } == sequence)
            #expect(event["position"] as? Int == Int(sequence))
            #expect(record.prefix(32).map { String(format: "%02x", $0) }.joined() == event["chainhash"] as? String)
            #expect(stored.headers["Nats-Msg-Id"] == event["id"] as? String)
        }
        // The replica answers every query as the primary does, as of any position too.
        for query in [["timeline", "--format", "json"], ["actor", "Colonial Pipeline", "--format", "json"], ["timeline", "--as-of", "36", "--format", "json"]] {
            let fromPrimary = try runProcess(annals, ["--store", primary] + query)
            let fromReplica = try runProcess(annals, ["--store", replica] + query)
            #expect(fromPrimary.status == 0 && fromReplica.standardOutput == fromPrimary.standardOutput, "\(query)")
        }
        // Once more changes nothing on either side: the stream holds each event once.
        #expect(try run("--store", primary, "replicate", "--to", cluster.urls, "--once").standardOutput.hasPrefix("published 0 events"))
        #expect(try run("--store", replica, "follow", cluster.urls, "--once").standardOutput.hasPrefix("applied 0 events"))
        #expect(cluster.streamState(askingServer: 1).map { [$0.lastSequence, $0.messages] } == [83, 83])
        // A replica takes events only from its stream.
        let before = try headHash(replica)
        let article = try directory.write("""
            article:
              id: local-article
              title: A local article
              publisher: Example Wire
              published: 2021-06-20
            facts:
              - id: local-fact
                kind: report
                when: 2021-06-20
                summary: Something local happened
                quote: 'Something local happened'
            """, to: "local.yaml")
        _ = try directory.write("Something local happened.\n", to: "local.txt")
        let refused = try run("--store", replica, "ingest", article)
        #expect(refused.status == 1)
        #expect(refused.standardError == "annals: \(replica) is a replica of stream ANNALS; its log takes events only from that stream\n")
        #expect(try headHash(replica) == before)
        let exported = directory.appending("primary.cloudevents")
        #expect(try run("--store", primary, "export", exported).status == 0)
        let imported = try run("--store", replica, "import", exported)
        #expect(imported.status == 1)
        #expect(imported.standardError == refused.standardError)
        // And a store of its own does not become one.
        let other = try run("--store", primary, "follow", cluster.urls, "--once")
        #expect(other.status == 1)
        #expect(other.standardError == "annals: \(primary) holds 83 events of its own; a replica starts as an empty store\n")
    }

    @Test func aFollowerKeepsUpWithAPublisherThatKeepsUpWithIngest() throws {
        let cluster = try NATSCluster()
        let primary = try seededStore()
        let replica = directory.appending("replica")
        let publisher = try background(["--store", primary, "replicate", "--to", cluster.urls, "--replicas", "3"])
        let follower = try background(["--store", replica, "follow", cluster.urls])
        defer {
            for process in [publisher, follower] where process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
        #expect(try run("--store", primary, "ingest", try generate(facts: 500, named: "more")).status == 0)
        let primaryHash = try headHash(primary)
        #expect(waitUntil { (try? headHash(replica, required: false)) == primaryHash }, "the replica never reached the primary's head")
        // SIGTERM ends both cleanly.
        publisher.terminate()
        follower.terminate()
        publisher.waitUntilExit()
        follower.waitUntilExit()
        #expect(try headHash(replica) == primaryHash)
    }

    @Test func aHundredThousandEventsGoThroughKillsOfTheLeaderAndOfThePublisher() throws {
        let cluster = try NATSCluster()
        let primary = try store(facts: 75_000, named: "primary")
        let head = try headHash(primary)
        let events = UInt64(head.split(separator: " ")[2].filter { $0 != "," }) ?? 0
        #expect(events >= 100_000)
        var publisher = try background(["--store", primary, "replicate", "--to", cluster.urls, "--replicas", "3"])
        defer { if publisher.isRunning { publisher.terminate(); publisher.waitUntilExit() } }
        // Killed while it publishes, then started again: it resumes where the stream ends.
        #expect(waitUntil { (cluster.streamState(askingServer: 1)?.lastSequence ?? 0) > 5_000 })
        kill(publisher.processIdentifier, SIGKILL)
        publisher.waitUntilExit()
        publisher = try background(["--store", primary, "replicate", "--to", cluster.urls, "--replicas", "3"])
        // The stream's leader killed while it publishes: the other two elect another and go on.
        var leader = 0
        #expect(waitUntil {
            guard let state = cluster.streamState(askingServer: 1), state.lastSequence > 30_000, let current = state.leader else { return false }
            leader = current
            return true
        })
        cluster.kill(server: leader)
        let survivor = leader == 1 ? 2 : 1
        #expect(waitUntil(seconds: 180) { cluster.streamState(askingServer: survivor)?.lastSequence == events }, "the stream never reached the log's head")
        publisher.terminate()
        publisher.waitUntilExit()
        let state = cluster.streamState(askingServer: survivor)
        #expect(state?.messages == events, "every position once: no gap, no duplicate")
        // A follower reading the surviving servers checks sequence = position for every message.
        let replica = directory.appending("replica")
        let followed = try runProcess(annals, ["--store", replica, "follow", cluster.urls(without: leader), "--once"], timeout: 240)
        #expect(followed.status == 0, "\(followed.standardError)")
        #expect(try headHash(replica) == head, "\(followed.standardOutput)\(followed.standardError)")
    }

    @Test func aMessageThatIsNotAnEventStopsTheFollowerWithItsSequence() throws {
        let cluster = try NATSCluster()
        let primary = try seededStore()
        #expect(try run("--store", primary, "replicate", "--to", cluster.urls, "--once").status == 0)
        let replica = directory.appending("replica")
        #expect(try run("--store", replica, "follow", cluster.urls, "--once").status == 0)
        let before = try headHash(replica)
        try cluster.publishRaw("not an event", subject: "annals.ANNALS")
        let stopped = try run("--store", replica, "follow", cluster.urls, "--once")
        #expect(stopped.status == 1)
        #expect(stopped.standardError.hasPrefix("annals: stream ANNALS, message 84 "), "\(stopped.standardError)")
        #expect(stopped.standardError.split(separator: "\n").count == 1)
        #expect(try headHash(replica) == before)
        // The publisher, too, finds that the stream no longer carries its log.
        let refused = try run("--store", primary, "replicate", "--to", cluster.urls, "--once")
        #expect(refused.status == 1)
        #expect(refused.standardError == "annals: stream ANNALS holds 84 events but the log only 83: the stream carries another log\n")
    }

    @Test func twoWritersIngestingViaTheStreamAtOnceEndWithIdenticalStores() throws {
        let cluster = try NATSCluster()
        let primary = try seededStore()
        let replicated = try run("--store", primary, "replicate", "--to", cluster.urls, "--replicas", "3", "--once")
        #expect(replicated.status == 0, "\(replicated.standardError)")
        let fixtures = repositoryRoot + "/Tests/Fixtures/draft/"
        let inputs = [["101_jbs_ransom.yaml", "103_cna_ransom.yaml"], ["104_hse_conti.yaml", "106_colonial_recovery.yaml"]]
        let writers = try zip(["first", "second"], inputs).map { name, files in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: annals)
            process.arguments = ["--store", directory.appending(name), "ingest", "--via", cluster.urls] + files.map { fixtures + $0 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for writer in writers {
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        // Each writer's store follows the stream; past the other's events, they are the same log.
        for name in ["first", "second"] {
            let followed = try run("--store", directory.appending(name), "follow", cluster.urls, "--once")
            #expect(followed.status == 0, "\(name): \(followed.standardError)")
        }
        let first = try headHash(directory.appending("first")), second = try headHash(directory.appending("second"))
        #expect(first == second)
        #expect(first.hasPrefix("log intact: 190 events"), "\(first)")
        let state = cluster.streamState(askingServer: 1)
        #expect(state.map { [$0.lastSequence, $0.messages] } == [190, 190])
        // The same input again publishes nothing: the stream holds every record.
        let again = try run("--store", directory.appending("first"), "ingest", "--via", cluster.urls, fixtures + "104_hse_conti.yaml")
        #expect(again.standardOutput == "nothing new: stream ANNALS already holds every record; the replica's head is 190\n", "\(again.standardError)")
        // A bad input publishes nothing either.
        let bad = try directory.write("article: [\n", to: "bad.yaml")
        let refused = try run("--store", directory.appending("second"), "ingest", "--via", cluster.urls, bad)
        #expect(refused.status == 65)
        #expect(cluster.streamState(askingServer: 1)?.lastSequence == 190)
        // And the primary, which published the seeds, finds the stream carries more than its log.
        let primaryAgain = try run("--store", primary, "replicate", "--to", cluster.urls, "--once")
        #expect(primaryAgain.standardError == "annals: stream ANNALS holds 190 events but the log only 83: the stream carries another log\n")
    }

    /// Writers racing with the same articles: whichever stores an event first keeps it, the
    /// others find its id taken (or their expected sequence gone), plan again and drop it.
    @Test func writersSendingTheSameArticlesAtOnceStoreEachEventOnce() throws {
        let cluster = try NATSCluster()
        let primary = try seededStore()
        let replicated = try run("--store", primary, "replicate", "--to", cluster.urls, "--replicas", "3", "--once")
        #expect(replicated.status == 0, "\(replicated.standardError)")
        let fixtures = repositoryRoot + "/Tests/Fixtures/draft/"
        let inputs = [["101_jbs_ransom.yaml", "103_cna_ransom.yaml"], ["103_cna_ransom.yaml", "104_hse_conti.yaml"],
                      ["101_jbs_ransom.yaml", "104_hse_conti.yaml", "106_colonial_recovery.yaml"]]
        let names = ["one", "two", "three"]
        let writers = try zip(names, inputs).map { name, files in
            try background(["--store", directory.appending(name), "ingest", "--via", cluster.urls] + files.map { fixtures + $0 })
        }
        for writer in writers {
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        for name in names {
            let followed = try run("--store", directory.appending(name), "follow", cluster.urls, "--once")
            #expect(followed.status == 0, "\(name): \(followed.standardError)")
        }
        let hashes = try names.map { try headHash(directory.appending($0)) }
        #expect(Set(hashes).count == 1)
        #expect(hashes[0].hasPrefix("log intact: 190 events"), "\(hashes[0])")
        #expect(cluster.streamState(askingServer: 1).map { [$0.lastSequence, $0.messages] } == [190, 190])
    }

    @Test func theReplicationBenchmarkReportsEachPhaseAndCleansUp() throws {
        let cluster = try NATSCluster()
        let result = try run("bench", "replicate", "--to", cluster.urls, "--facts", "300", "--replicas", "1", "--format", "json",
                             "--scratch", directory.path)
        #expect(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["workload"] as? String == "replicate")
        #expect(report["replicas"] as? Int == 1)
        #expect((report["events"] as? Int ?? 0) > 300)
        for phase in ["cluster_async_publish", "replicate", "local_ingest", "follow"] {
            #expect(((report[phase] as? [String: Any])?["events_per_second"] as? Int ?? 0) > 0, "\(phase)")
        }
        // The streams it made are gone.
        let streams = try runProcess(systemPython, ["-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())",
                                                    "http://127.0.0.1:" + (try String(contentsOfFile: cluster.directory.appending("n1.monitor"), encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines) + "/jsz"])
        #expect(streams.standardOutput.contains("\"streams\": 0"), "\(streams.standardOutput)")
    }

    @Test func badAddressesAndNamesAreRefusedBeforeAnythingHappens() throws {
        let store = try seededStore()
        let cases: [([String], String)] = [
            (["replicate", "--to", "http://127.0.0.1:4222"], "annals: --to http://127.0.0.1:4222 does not start with nats://; expected nats://HOST:PORT[,HOST:PORT…] (see `annals help`)\n"),
            (["replicate", "--to", "nats://127.0.0.1:99999"], "annals: --to nats://127.0.0.1:99999 has port \"99999\"; expected a number from 1 to 65535; expected nats://HOST:PORT[,HOST:PORT…] (see `annals help`)\n"),
            (["replicate", "--to", "nats://a:1,,b:2"], "annals: --to \"nats://a:1,,b:2\" has an empty server between commas; expected nats://HOST:PORT[,HOST:PORT…] (see `annals help`)\n"),
            (["replicate", "--to", "nats://127.0.0.1:4222", "--stream", "a.b"], "annals: --stream a.b may hold only letters, digits, - and _ (see `annals help`)\n"),
            (["replicate", "--to", "nats://127.0.0.1:4222", "--replicas", "7"], "annals: --replicas needs a number of replicas from 1 to 5, got 7 (see `annals help`)\n"),
            (["follow", "nats://127.0.0.1:4222", "--stream", ""], "annals: --stream \"\" must be 1 to 64 characters long (see `annals help`)\n"),
        ]
        for (arguments, message) in cases {
            let result = try runProcess(annals, ["--store", store] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.standardError == message, "\(arguments)")
        }
        // No server there: one line, status 1, and no store left behind by follow.
        let unreachable = try run("--store", directory.appending("nowhere"), "follow", "nats://127.0.0.1:1", "--once")
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.hasPrefix("annals: connecting to nats://127.0.0.1:1: "), "\(unreachable.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("nowhere/data.mdb")))
    }
}
