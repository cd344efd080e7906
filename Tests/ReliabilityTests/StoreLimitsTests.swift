import AnnalsLog
import AnnalsTestSupport
import Dispatch
import Foundation
import LMDB
import Synchronization
import Testing

/// The store under resource limits and in odd states on disk, through the real `annals` binary.
@Suite(.timeLimit(.minutes(4))) struct StoreLimitsTests {
    let directory = TemporaryDirectory()
    let annals = builtExecutable("annals")
    let corpus = builtExecutable("annals-corpus")

    private func generate(_ facts: Int) throws -> String {
        let path = directory.appending("corpus-\(facts).jsonl")
        let result = try runProcess(corpus, ["--facts", String(facts), "--output", path])
        #expect(result.status == 0)
        return path
    }

    @Test func aFullStoreStopsIngestionClearlyKeepsWhatWasCommittedAndResumesLater() throws {
        let input = try generate(2000)
        let store = directory.appending("store")
        let capped = try runProcess(annals, ["--store", store, "ingest", "--batch", "200", input], environment: ["ANNALS_MAX_STORE_BYTES": "1048576"])
        #expect(capped.status == 1)
        #expect(capped.standardError.hasPrefix("annals: write to \(store): the store reached its size limit of 1048576 bytes (MDB_MAP_FULL"), "\(capped.standardError)")
        #expect(capped.standardError.split(separator: "\n").count == 1)
        let verified = try runProcess(annals, ["--store", store, "verify"])
        #expect(verified.status == 0, "\(verified.standardError)")
        let committed = try runProcess(annals, ["--store", store, "stats", "--format", "json"])
        let head = (try JSONSerialization.jsonObject(with: Data(committed.standardOutput.utf8)) as? [String: Any])?["events"] as? Int ?? -1
        #expect(head > 0, "some batches fit before the limit")
        // Without the limit the next run completes what is missing, and only that.
        let resumed = try runProcess(annals, ["--store", store, "ingest", "--format", "json", input])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(resumed.standardOutput.utf8)) as? [String: Any])
        let total = try runProcess(annals, ["--store", store, "stats", "--format", "json"])
        let finalHead = (try JSONSerialization.jsonObject(with: Data(total.standardOutput.utf8)) as? [String: Any])?["events"] as? Int ?? -1
        #expect(report["first_position"] as? Int == head + 1)
        #expect(finalHead == head + (report["events_appended"] as? Int ?? 0))
        let checked = try runProcess(annals, ["--store", store, "verify", "--projections"])
        #expect(checked.status == 0, "\(checked.standardError)")
    }

    /// A child that may not write files past `bytes` (`RLIMIT_FSIZE`, with `SIGXFSZ` ignored so
    /// the write fails instead of killing it): the data file cannot grow, as on a full disk,
    /// without needing a full disk or privileges.
    private func runWithFileSizeLimit(_ bytes: Int, _ arguments: [String]) throws -> ProcessResult {
        try runProcess(systemPython, ["-c", """
            import os, resource, signal, sys
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (\(bytes), \(bytes)))
            os.execv(sys.argv[1], sys.argv[1:])
            """, annals] + arguments)
    }

    private func head(_ store: String) throws -> Int {
        let stats = try runProcess(annals, ["--store", store, "stats", "--format", "json"])
        return (try JSONSerialization.jsonObject(with: Data(stats.standardOutput.utf8)) as? [String: Any])?["events"] as? Int ?? -1
    }

    @Test func aFullDiskStopsIngestionSayingWhatIsCommittedAndTheSameIngestResumes() throws {
        let input = try generate(2000)
        let store = directory.appending("store")
        let full = try runWithFileSizeLimit(1 << 20, ["--store", store, "ingest", "--batch", "200", input])
        let committed = try head(store)
        #expect(committed > 0, "some batches fit before the file stopped growing")
        #expect(full.status == 1)
        // LMDB reports a write the limit cut short as EIO, and one starting at the limit as EFBIG.
        let messages = ["a write to it came up short", "this process may not write files that large"].map {
            "annals: cannot write to \(store)/data.mdb: the disk is full, or the file may not grow (\($0)); positions 1–\(committed) are committed and safe, and running the same ingest again resumes after them\n"
        }
        #expect(messages.contains(full.standardError), "\(full.standardError)")
        let verified = try runProcess(annals, ["--store", store, "verify"])
        #expect(verified.status == 0, "\(verified.standardError)")
        let resumed = try runProcess(annals, ["--store", store, "ingest", "--format", "json", input])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(resumed.standardOutput.utf8)) as? [String: Any])
        #expect(report["first_position"] as? Int == committed + 1)
        #expect(try head(store) == committed + (report["events_appended"] as? Int ?? 0))
        #expect(try runProcess(annals, ["--store", store, "verify", "--projections"]).status == 0)
    }

    @Test func aFullDiskBeforeAnythingIsCommittedSaysTheStoreIsAsItWas() throws {
        let store = try seededStore()
        let before = try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))
        let seeded = try head(store)
        let input = try generate(300)
        // Below the file's size: the first commit needs pages past the limit.
        let full = try runWithFileSizeLimit(16384, ["--store", store, "ingest", input])
        #expect(full.status == 1)
        #expect(full.standardError.hasPrefix("annals: cannot write to \(store)/data.mdb: the disk is full, or the file may not grow ("), "\(full.standardError)")
        #expect(full.standardError.hasSuffix("); nothing was committed, and the store is as it was\n"), "\(full.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb")).prefix(8192) == before.prefix(8192), "the meta pages are unchanged")
        #expect(try head(store) == seeded)
    }

    @Test func aBackupThatFillsTheDiskLeavesNoPartialCopy() throws {
        let store = try seededStore()
        let backup = directory.appending("backup")
        let full = try runWithFileSizeLimit(16384, ["--store", store, "backup", backup])
        #expect(full.status == 1)
        #expect(full.standardError.hasPrefix("annals: cannot write to \(backup)/data.mdb: the disk is full, or the file may not grow ("), "\(full.standardError)")
        #expect(full.standardError.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: backup))
    }

    /// A process creating a store makes its data file and writes the first pages a moment
    /// later; processes opening the store in that moment wait for them rather than calling an
    /// empty file damaged.
    @Test func processesThatOpenAFreshStoreTogetherNeverCallItDamaged() throws {
        let seeds = repositoryRoot + "/seeds"
        for round in 0..<4 {
            let store = directory.appending("fresh-\(round)")
            // One writer: two ingests racing can legitimately refuse to check their input against
            // projections the other has just outrun.
            let commands: [[String]] = [["ingest", seeds], ["log"], ["timeline"], ["verify"], ["stats"], ["projections"]]
            let results = Mutex<[Int: ProcessResult]>([:])
            DispatchQueue.concurrentPerform(iterations: commands.count) { index in
                let result = try? runProcess(annals, ["--store", store] + commands[index])
                results.withLock { $0[index] = result }
            }
            for (index, command) in commands.enumerated() {
                let result = try #require(results.withLock { $0[index] })
                if command[0] == "ingest" {
                    #expect(result.status == 0, "round \(round): \(command): \(result.standardError)")
                } else {
                    // A reader may come before the store exists, or before its log does.
                    let early = ["annals: there is no store at \(store)\n", "annals: \(store) is not an Annals store: it holds no log yet\n"]
                    #expect(result.status == 0 || (result.status == 1 && early.contains(result.standardError)),
                            "round \(round): \(command): \(result.status) \(result.standardError)")
                }
            }
            #expect(try head(store) > 0)
        }
    }

    @Test func anInvalidSizeLimitIsRefused() throws {
        let result = try runProcess(annals, ["--store", directory.appending("store"), "ingest", repositoryRoot + "/seeds"], environment: ["ANNALS_MAX_STORE_BYTES": "lots"])
        #expect(result.status == 64)
        #expect(result.standardError == "annals: ANNALS_MAX_STORE_BYTES=lots is not a size in bytes of at least 65536\n")
    }

    private func seededStore() throws -> String {
        let store = directory.appending("store")
        #expect(try runProcess(annals, ["--store", store, "ingest", repositoryRoot + "/seeds"]).status == 0)
        return store
    }

    @Test func aTruncatedDataFileIsReportedNotMapped() throws {
        let store = try seededStore()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store + "/data.mdb"))
        try handle.truncate(atOffset: 8192 * 3)
        try handle.close()
        for command in [["timeline"], ["verify"], ["log"]] {
            let result = try runProcess(annals, ["--store", store] + command)
            #expect(result.status == 3)
            #expect(result.standardError.hasPrefix("annals: \(store)/data.mdb is truncated: it holds 24576 bytes (6 pages), but the root of "), "\(result.standardError)")
            #expect(result.standardError.hasSuffix("; the store is damaged: restore it from a backup\n"), "\(result.standardError)")
            #expect(!result.wasSignalled)
        }
    }

    @Test func aLockFileLeftBehindIsRecoveredFrom() throws {
        let store = try seededStore()
        // A crashed process's lock file, garbled: LMDB reinitialises it when no process holds it.
        try Data(repeating: 0xAB, count: 8192).write(to: URL(fileURLWithPath: store + "/lock.mdb"))
        let result = try runProcess(annals, ["--store", store, "verify"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("log intact: 83 events"))
    }

    @Test func aDirectoryThatIsNotAStoreIsNamedAsSuch() throws {
        let notAStore = directory.appending("photos")
        try FileManager.default.createDirectory(atPath: notAStore, withIntermediateDirectories: true)
        try Data("not an LMDB file at all".utf8).write(to: URL(fileURLWithPath: notAStore + "/data.mdb"))
        let result = try runProcess(annals, ["--store", notAStore, "timeline"])
        #expect(result.status == 3)
        #expect(result.standardError == "annals: \(notAStore)/data.mdb is not an LMDB data file; the store is damaged: restore it from a backup\n")
    }

    @Test func aStoreTheUserCannotReadSaysSo() throws {
        let store = try seededStore()
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"), getuid() == 0 else { return }  // needs root to act as another user
        chmod(store, 0o700)
        let result = try runProcess("/usr/sbin/runuser", ["-u", "nobody", "--", annals, "--store", store, "timeline"])
        #expect(result.status == 1)
        #expect(result.standardError == "annals: cannot read the store at \(store): permission denied on \(store)\n")
    }

    @Test func aNodeFlagLMDBWouldFollowIsNamedByVerifyAndStopsOtherCommandsWithOneLine() throws {
        let store = try seededStore()
        let file = URL(fileURLWithPath: store + "/data.mdb")
        var bytes = [UInt8](try Data(contentsOf: file))
        // The first log record stored in its node (not on overflow pages): its node's flags are 0.
        let layout = StructureCheck.check(store)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func position(_ node: Int) -> UInt64 { bytes[(node + 8)..<(node + 16)].reduce(0) { $0 << 8 | UInt64($1) } }
        var target: (page: Int, index: Int, node: Int, firstPosition: UInt64)?
        for (page, info) in layout.pages.sorted(by: { $0.key < $1.key }) where info.database == EventLog.DatabaseName.records && info.isLeaf {
            let nodes = (0..<((info.lower - 16) / 2)).map { page * layout.pageSize + u16(page * layout.pageSize + 16 + 2 * $0) }
            if let index = nodes.firstIndex(where: { u16($0 + 4) == 0 }), target.map({ position(nodes[0]) < $0.firstPosition }) ?? true {
                target = (page, index, nodes[index], position(nodes[0]))
            }
        }
        let damage = try #require(target)
        // Marked as holding duplicates in a log without them, the node would lead LMDB into a
        // duplicates cursor that does not exist.
        bytes[damage.node + 4] |= 0x04
        try Data(bytes).write(to: file)
        let report = "annals: the store's file is damaged: the log's page \(damage.page) (positions from \(damage.firstPosition)) is damaged: node \(damage.index) has the duplicates flag in a database without duplicates; restore from a backup\n"

        let verified = try runProcess(annals, ["--store", store, "verify"])
        #expect(verified.status == 3)
        #expect(verified.standardError == report)
        #expect(try Data(contentsOf: file) == Data(bytes), "verify changes nothing")
        let replayed = try runProcess(annals, ["--store", store, "replay"])
        #expect(!replayed.wasSignalled)
        #expect(replayed.status == 3)
        #expect(replayed.standardError == "annals: stopped by SIGSEGV (a memory fault) while using the store; its file is probably damaged: `annals verify` names where\n")
        // The replay's unfinished rebuild is set aside as after any interruption; the damage is still named.
        #expect(try runProcess(annals, ["--store", store, "verify"]).standardError == report)
    }
}
