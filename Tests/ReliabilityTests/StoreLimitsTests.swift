import AnnalsLog
import AnnalsTestSupport
import Foundation
import LMDB
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
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("annals: open \(store): the data file is truncated: it holds 24576 bytes (6 pages), but the root of "), "\(result.standardError)")
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
        #expect(result.status == 1)
        #expect(result.standardError == "annals: open \(notAStore): \(notAStore)/data.mdb is not an LMDB data file (MDB_INVALID: File is not an LMDB file)\n")
    }

    @Test func aStoreTheUserCannotReadSaysSo() throws {
        let store = try seededStore()
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"), getuid() == 0 else { return }  // needs root to act as another user
        chmod(store, 0o700)
        let result = try runProcess("/usr/sbin/runuser", ["-u", "nobody", "--", annals, "--store", store, "timeline"])
        #expect(result.status == 1)
        #expect(result.standardError == "annals: cannot open the store at \(store): permission denied\n")
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
