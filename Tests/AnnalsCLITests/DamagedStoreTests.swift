import AnnalsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The store every damaged-store case starts from: one article with a fact, ingested and
/// caught up. Its own text (not the bad-input table's) so other tables can change theirs.
private let storedFactFile = """
    article:
      id: damage-article
      title: A damaged store
      publisher: Test Wire
      published: 2021-06-16
    actors:
      - id: biden
        name: Joe Biden
        kind: person
    facts:
      - id: summit
        kind: summit
        when: 2021-06-16
        summary: The leaders meet
        actors:
          - { actor: biden, role: participant }
        quote: The leaders met in Geneva.

    """
private let storedText = "The leaders met in Geneva. The talks lasted 3.5 hours.\n"

/// A second article, so that ingesting it has something to append.
private let newFactFile = """
    article:
      id: damage-article-2
      title: Talks
      publisher: Test Wire
      published: 2021-06-17
    facts:
      - id: talks
        kind: talks
        when: 2021-06-16
        summary: The talks last 3.5 hours
        quote: The talks lasted 3.5 hours.

    """

/// The data file of the seeded store, built once and copied into each case's directory.
private let seededDataFile: Data = {
    let directory = TemporaryDirectory()
    try? storedFactFile.write(toFile: directory.appending("stored.yaml"), atomically: true, encoding: .utf8)
    try? storedText.write(toFile: directory.appending("stored.txt"), atomically: true, encoding: .utf8)
    let result = CLI(store: directory.appending("store")).run("ingest", directory.appending("stored.yaml"))
    precondition(result.status == 0, "the seeded store could not be built: \(result.error)")
    return dataFileBytes(directory.appending("store"))
}()

/// One way of damaging a store on disk.
enum Damage: Sendable, CustomStringConvertible {
    /// No damage: the mistake is in the command.
    case none
    /// `data.mdb` cut to this many bytes (0: empty).
    case truncate(Int)
    /// `data.mdb` replaced by this many seeded random bytes.
    case randomBytes(Int)
    /// `data.mdb` replaced by an empty directory.
    case dataFileIsADirectory
    /// Python code run with `env` (python-lmdb, the store opened), `txn` (a write transaction),
    /// and `meta`, `log` and `ids` (the log's databases).
    case python(String)
    /// These bytes written at these offsets of `data.mdb`.
    case patch([(offset: Int, bytes: [UInt8])])
    /// The store directory, then `data.mdb`, with the mode given, as another user sees them.
    case directoryMode(mode_t)
    case dataFileMode(mode_t)

    var description: String {
        switch self {
        case .none: "no damage"
        case .truncate(let size): "data.mdb truncated to \(size) bytes"
        case .randomBytes(let count): "data.mdb replaced by \(count) random bytes"
        case .dataFileIsADirectory: "data.mdb is a directory"
        case .python(let code): "python: \(code)"
        case .patch(let patches): "data.mdb patched at \(patches.map(\.offset))"
        case .directoryMode(let mode): "store directory mode \(String(mode, radix: 8))"
        case .dataFileMode(let mode): "data.mdb mode \(String(mode, radix: 8))"
        }
    }

    /// Whether the case must run as a user other than the store's owner (for permissions).
    var needsAnotherUser: Bool {
        switch self {
        case .directoryMode, .dataFileMode: true
        default: false
        }
    }

    func apply(to store: String) throws {
        let dataFile = store + "/data.mdb"
        switch self {
        case .none:
            break
        case .truncate(let size):
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataFile))
            try handle.truncate(atOffset: UInt64(size))
            try handle.close()
        case .randomBytes(let count):
            var generator = SeededGenerator(seed: 1211)
            try Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).write(to: URL(fileURLWithPath: dataFile))
        case .dataFileIsADirectory:
            try FileManager.default.removeItem(atPath: dataFile)
            try FileManager.default.createDirectory(atPath: dataFile, withIntermediateDirectories: false)
        case .python(let code):
            let script = """
                import lmdb, struct
                env = lmdb.open(\(String(reflecting: store)), max_dbs=300)
                meta, log, ids = env.open_db(b"meta"), env.open_db(b"log"), env.open_db(b"ids")
                with env.begin(write=True) as txn:
                """ + "\n" + code.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
            let result = try runProcess(systemPython, ["-c", script])
            #expect(result.status == 0, "python: \(result.standardError)")
        case .patch(let patches):
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dataFile)))
            for (offset, replacement) in patches { bytes.replaceSubrange(offset..<(offset + replacement.count), with: replacement) }
            try Data(bytes).write(to: URL(fileURLWithPath: dataFile))
        case .directoryMode(let mode):
            chmod(store, mode)
        case .dataFileMode(let mode):
            chmod(dataFile, mode)
        }
    }
}

/// One damaged store and one command run on it.
struct DamagedStore: Sendable, CustomTestStringConvertible {
    let label: String
    let damage: Damage
    /// The command, with `$STORE` for the store directory and `$DIR` for a directory holding
    /// `new.yaml` (a second article) and `stored.yaml` (the store's own).
    let arguments: [String]
    /// The store as `--store` names it (a mistake may name its data file instead).
    let storeArgument: String
    /// The one line `annals` must print, `$STORE` standing for the store directory.
    let message: String
    let status: Int32

    var testDescription: String { "\(label): annals \(arguments.joined(separator: " "))" }

    init(_ label: String, _ damage: Damage, _ arguments: [String], store: String = "$STORE", message: String, status: Int32 = 3) {
        self.label = label
        self.damage = damage
        self.arguments = arguments
        storeArgument = store
        self.message = message
        self.status = status
    }
}

private let emptyMessage = "$STORE/data.mdb is empty (0 bytes): it was truncated, or the process creating it stopped before writing it; the store is damaged: restore it from a backup"
private let notLMDBMessage = "$STORE/data.mdb is not an LMDB data file; the store is damaged: restore it from a backup"
private let directoryMessage = "$STORE/data.mdb is a directory, not a data file; the store is damaged: restore it from a backup"
private let notADirectoryMessage = "$STORE/data.mdb is a file, not a store directory"
private let indexMessage = "the id index holds $ENTRIES entries, but the log holds $HEAD events; the store is damaged, so nothing was written: `annals verify` names where"
/// The truncation message, `$FREE` standing for the page of the free-page database's root.
private func truncatedMessage(_ size: Int) -> String {
    let pages = size / 4096
    return "$STORE/data.mdb is truncated: it holds \(size) bytes (\(pages) page\(pages == 1 ? "" : "s")), but the root of the free-page database is page $FREE; the store is damaged: restore it from a backup"
}

let damagedStores: [DamagedStore] = [
    // An empty data file: never a new store, whatever the command.
    DamagedStore("empty data file", .truncate(0), ["log"], message: emptyMessage),
    DamagedStore("empty data file", .truncate(0), ["verify"], message: emptyMessage),
    DamagedStore("empty data file", .truncate(0), ["timeline"], message: emptyMessage),
    DamagedStore("empty data file", .truncate(0), ["stats"], message: emptyMessage),
    DamagedStore("empty data file", .truncate(0), ["ingest", "$DIR/new.yaml"], message: emptyMessage),
    DamagedStore("empty data file", .truncate(0), ["replay"], message: emptyMessage),
    DamagedStore("empty data file", .truncate(0), ["backup", "$DIR/backup"], message: emptyMessage),

    // Truncated: too short for the trees its meta page names, or for a meta page at all.
    DamagedStore("truncated to the meta pages", .truncate(8192), ["timeline"], message: truncatedMessage(8192)),
    DamagedStore("truncated to the meta pages", .truncate(8192), ["verify"], message: truncatedMessage(8192)),
    DamagedStore("truncated to the meta pages", .truncate(8192), ["ingest", "$DIR/new.yaml"], message: truncatedMessage(8192)),
    DamagedStore("truncated inside the second meta page", .truncate(4196), ["log"], message: truncatedMessage(4196)),
    DamagedStore("truncated inside the first meta page", .truncate(100), ["projections"], message: notLMDBMessage),

    // Not LMDB's bytes at all.
    DamagedStore("random bytes", .randomBytes(64 << 10), ["timeline"], message: notLMDBMessage),
    DamagedStore("random bytes", .randomBytes(64 << 10), ["ingest", "$DIR/new.yaml"], message: notLMDBMessage),
    DamagedStore("random bytes", .randomBytes(64 << 10), ["verify"], message: notLMDBMessage),
    DamagedStore("both meta pages' magic damaged", .patch([(16, [0, 0, 0, 0]), (4096 + 16, [0, 0, 0, 0])]), ["stats"], message: notLMDBMessage),
    DamagedStore("a data format from another LMDB", .patch([(20, [2, 0, 0, 0]), (4096 + 20, [2, 0, 0, 0])]), ["timeline"],
                 message: "$STORE/data.mdb was written by an incompatible LMDB version; the store is damaged: restore it from a backup"),

    // Something other than a data file where it belongs, or a store path that is no directory.
    DamagedStore("data.mdb is a directory", .dataFileIsADirectory, ["log"], message: directoryMessage),
    DamagedStore("data.mdb is a directory", .dataFileIsADirectory, ["ingest", "$DIR/new.yaml"], message: directoryMessage),
    DamagedStore("--store names the data file", .none, ["timeline"], store: "$STORE/data.mdb", message: notADirectoryMessage, status: 1),
    DamagedStore("--store names the data file", .none, ["ingest", "$DIR/new.yaml"], store: "$STORE/data.mdb", message: notADirectoryMessage, status: 1),
    DamagedStore("--store names the data file", .none, ["ingest", "--dry-run", "$DIR/new.yaml"], store: "$STORE/data.mdb", message: notADirectoryMessage, status: 1),
    DamagedStore("--store names the data file", .none, ["verify"], store: "$STORE/data.mdb", message: notADirectoryMessage, status: 1),
    DamagedStore("--store names the data file", .none, ["backup", "$DIR/backup"], store: "$STORE/data.mdb", message: notADirectoryMessage, status: 1),

    DamagedStore("a backup into the store itself", .none, ["backup", "$STORE"],
                 message: "$STORE already holds a data.mdb; choose an empty directory for the backup", status: 1),

    // The log's format version.
    DamagedStore("a newer format", .python(#"txn.put(b"format-version", b"2", db=meta)"#), ["actors"],
                 message: "$STORE uses log format 2, but this annals reads formats up to 1; upgrade annals to open it", status: 1),
    DamagedStore("a newer format", .python(#"txn.put(b"format-version", b"2", db=meta)"#), ["replay"],
                 message: "$STORE uses log format 2, but this annals reads formats up to 1; upgrade annals to open it", status: 1),
    DamagedStore("format version 0", .python(#"txn.put(b"format-version", b"0", db=meta)"#), ["timeline"],
                 message: "the format version of $STORE is \"0\", which is not a version Annals writes; the store is damaged: restore it from a backup"),
    DamagedStore("format version 0", .python(#"txn.put(b"format-version", b"0", db=meta)"#), ["ingest", "$DIR/new.yaml"],
                 message: "the format version of $STORE is \"0\", which is not a version Annals writes; the store is damaged: restore it from a backup"),
    DamagedStore("format version garbage", .python(#"txn.put(b"format-version", b"1\xff!", db=meta)"#), ["log"],
                 message: "the format version of $STORE is \"1\u{FFFD}!\", which is not a version Annals writes; the store is damaged: restore it from a backup"),
    DamagedStore("format version missing", .python(#"txn.delete(b"format-version", db=meta)"#), ["stats"],
                 message: "the format version of $STORE is missing, but the store holds log records; the store is damaged: restore it from a backup"),

    // An id index that disagrees with the log: appending would duplicate or lose events.
    // The fact's entry (the last id): ingesting its file again would append it a second time.
    DamagedStore("an id index entry deleted", .python("c = txn.cursor(db=ids)\nc.last()\ntxn.delete(c.key(), db=ids)"),
                 ["ingest", "$DIR/stored.yaml"], message: indexMessage.replacingOccurrences(of: "$ENTRIES", with: "$HEAD-1")),
    DamagedStore("an id index entry deleted", .python("c = txn.cursor(db=ids)\nc.first()\ntxn.delete(c.key(), db=ids)"),
                 ["ingest", "$DIR/new.yaml"], message: indexMessage.replacingOccurrences(of: "$ENTRIES", with: "$HEAD-1")),
    DamagedStore("an extra id index entry", .python(#"txn.put(b"bogus-id", struct.pack(">Q", 2), db=ids)"#),
                 ["ingest", "$DIR/new.yaml"], message: indexMessage.replacingOccurrences(of: "$ENTRIES", with: "$HEAD+1")),
    DamagedStore("an extra id index entry", .python(#"txn.put(b"bogus-id", struct.pack(">Q", 2), db=ids)"#), ["verify"],
                 message: "the log is damaged at position 2: the id index maps id \"bogus-id\" to position 2, which holds another event (1 event before it is intact)"),
    DamagedStore("a log record cut short", .python("c = txn.cursor(db=log)\nc.last()\ntxn.put(c.key(), c.value()[:40], db=log)"), ["log"],
                 message: "the log record at position $HEAD is damaged: the record is 40 bytes, shorter than the 64-byte header; `annals verify` names where"),

    DamagedStore("a damaged catalog entry", .python(#"txn.put(b"timeline", b"\x01\x02", db=env.open_db(b"projections", txn=txn))"#), ["timeline"],
                 message: "the catalog entry of projection timeline is damaged; `annals replay --projection timeline` rebuilds the projection"),

    // Permissions, as a user other than the store's owner sees them.
    DamagedStore("store directory without permission", .directoryMode(0o700), ["timeline"],
                 message: "cannot read the store at $STORE: permission denied on $STORE", status: 1),
    DamagedStore("store directory without permission", .directoryMode(0o700), ["ingest", "$DIR/new.yaml"],
                 message: "cannot open the store at $STORE: permission denied on $STORE or its files", status: 1),
    DamagedStore("data file without permission", .dataFileMode(0o600), ["log"],
                 message: "cannot read the store at $STORE: permission denied on $STORE/data.mdb", status: 1),
]

@Suite struct DamagedStoreTests {
    @Test(arguments: damagedStores)
    func aDamagedStoreGetsOneClearLineAndIsLeftAsItWas(_ damaged: DamagedStore) throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try seededDataFile.write(to: URL(fileURLWithPath: store + "/data.mdb"))
        let inputs = directory.appending("inputs")
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        try storedFactFile.write(toFile: inputs + "/stored.yaml", atomically: true, encoding: .utf8)
        try storedText.write(toFile: inputs + "/stored.txt", atomically: true, encoding: .utf8)
        try newFactFile.write(toFile: inputs + "/new.yaml", atomically: true, encoding: .utf8)
        try storedText.write(toFile: inputs + "/new.txt", atomically: true, encoding: .utf8)
        let head = try logHead(store)

        try damaged.damage.apply(to: store)
        let freeRoot = newestFreeRoot(store)
        let before = dataFileBytes(store)
        let arguments = damaged.arguments.map { $0.replacingOccurrences(of: "$DIR", with: inputs).replacingOccurrences(of: "$STORE", with: store) }
        let storeArgument = damaged.storeArgument.replacingOccurrences(of: "$STORE", with: store)
        let result: CLIResult
        if damaged.damage.needsAnotherUser && getuid() == 0 {
            guard let other = try runAsNobody(["--store", storeArgument] + arguments, directory: directory) else { return }
            result = other
        } else {
            result = CLI(store: storeArgument).run(arguments)
        }
        let expected = damaged.message.replacingOccurrences(of: "$STORE", with: store)
            .replacingOccurrences(of: "$HEAD-1", with: String(head - 1)).replacingOccurrences(of: "$HEAD+1", with: String(head + 1))
            .replacingOccurrences(of: "$HEAD", with: String(head)).replacingOccurrences(of: "$FREE", with: String(freeRoot))
        #expect(result.error == "annals: \(expected)\n")
        #expect(result.status == damaged.status)
        #expect(result.output == "")
        #expect(dataFileBytes(store) == before, "the data file changed")
        #expect(!FileManager.default.fileExists(atPath: inputs + "/backup/data.mdb"), "a backup was written")
    }

    /// The seeded store's head, read before the damage.
    private func logHead(_ store: String) throws -> Int {
        let result = CLI(store: store).run("stats", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        return try #require(object?["events"] as? Int)
    }

    /// The root page of the free-page database in the newer of the meta pages the data file
    /// holds whole (LMDB 0.9's layout: a meta page's transaction id at byte 144, the free
    /// database's root at byte 80); 0 when it holds none.
    private func newestFreeRoot(_ store: String) -> UInt64 {
        let bytes = [UInt8](dataFileBytes(store))
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
        let whole = [0, 4096].filter { $0 + 152 <= bytes.count }
        guard let newest = whole.max(by: { u64($0 + 144) < u64($1 + 144) }) else { return 0 }
        return u64(newest + 80)
    }

    /// Runs the built `annals` as user `nobody`, who may enter `directory` but owns nothing in
    /// it; `nil` (and the case passes vacuously) where `runuser` is missing.
    private func runAsNobody(_ arguments: [String], directory: TemporaryDirectory) throws -> CLIResult? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else { return nil }
        chmod(directory.path, 0o755)
        chmod(directory.appending("inputs"), 0o755)
        let result = try runProcess("/usr/sbin/runuser", ["-u", "nobody", "--", builtExecutable("annals")] + arguments)
        return CLIResult(status: result.status, output: result.standardOutput, error: result.standardError)
    }
}

/// Commands that only look at the store: none of them may write to its data file.
let lookingCommands: [[String]] = [
    ["log"], ["log", "--format", "json"], ["verify"], ["verify", "--projections"], ["stats"], ["projections"],
    ["backup", "$DIR/backup"], ["timeline"], ["actors"], ["actor", "Joe Biden"], ["fact", "summit"], ["sources"],
    ["replay", "--to", "1"], ["replay", "--to", "3", "--projection", "timeline"], ["replay", "--check"], ["replay", "--check", "--projection", "actors"],
]

@Suite struct ReadOnlyCommandTests {
    @Test(arguments: lookingCommands)
    func aCommandThatOnlyLooksLeavesTheDataFileByteForByte(_ command: [String]) throws {
        let directory = TemporaryDirectory()
        let store = directory.appending("store")
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try seededDataFile.write(to: URL(fileURLWithPath: store + "/data.mdb"))
        let before = dataFileBytes(store)
        let result = CLI(store: store).run(command.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) })
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error == "")
        #expect(dataFileBytes(store) == before, "the data file changed")
    }
}
