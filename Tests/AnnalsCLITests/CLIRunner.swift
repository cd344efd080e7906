import AnnalsCLI
import AnnalsLog
import AnnalsTestSupport
import Foundation
import Synchronization
import Testing

/// What one in-process run of `annals` printed and returned.
struct CLIResult {
    let status: Int32
    let output: String
    let error: String
}

/// Runs `annals` commands in this process against one store, with a pinned clock, capturing
/// standard output and standard error exactly as a user would see them.
struct CLI {
    let store: String
    /// Recorded-at times advance one second per clock reading, from 2026-01-02T03:04:05Z.
    private let ticks = Ticks()

    final class Ticks: Sendable {
        let count = Atomic<Int64>(0)
    }

    init(store: String) { self.store = store }

    @discardableResult
    func run(_ arguments: String..., errorIsTerminal: Bool = false) -> CLIResult {
        run(arguments, errorIsTerminal: errorIsTerminal)
    }

    @discardableResult
    func run(_ arguments: [String], errorIsTerminal: Bool = false) -> CLIResult {
        let output = Mutex("")
        let error = Mutex("")
        let console = Console(
            output: { text in output.withLock { $0 += text } },
            error: { text in error.withLock { $0 += text } },
            errorIsTerminal: errorIsTerminal)
        let start = Timestamp(iso8601: "2026-01-02T03:04:05Z")?.microsecondsSinceEpoch ?? 0
        let ticks = self.ticks
        let status = Console.$current.withValue(console) {
            AnnalsCommand.execute(["--store", store] + arguments) {
                Timestamp(microsecondsSinceEpoch: start + ticks.count.add(1_000_000, ordering: .relaxed).newValue)
            }
        }
        return CLIResult(status: status, output: output.withLock { $0 }, error: error.withLock { $0 })
    }
}

/// The repository's seed corpus.
let seedsDirectory = repositoryRoot + "/seeds"

extension CLI {
    /// A store at `directory/store` holding the seed corpus.
    static func seeded(in directory: TemporaryDirectory) -> CLI {
        let cli = CLI(store: directory.appending("store"))
        let ingest = cli.run("ingest", seedsDirectory)
        #expect(ingest.status == 0, "\(ingest.error)")
        return cli
    }
}

/// The bytes of a store's data file, to prove a failed command changed nothing.
func dataFileBytes(_ store: String) -> Data {
    (try? Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))) ?? Data()
}

/// Compares `actual` with the golden file `name`; with ANNALS_UPDATE_GOLDEN=1 in the
/// environment, rewrites the file instead.
func matchesGolden(_ actual: String, _ name: String) -> (Bool, String) {
    let path = repositoryRoot + "/Tests/AnnalsCLITests/Golden/" + name
    if ProcessInfo.processInfo.environment["ANNALS_UPDATE_GOLDEN"] == "1" {
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        return (true, "")
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        return (false, "no golden file \(name); run with ANNALS_UPDATE_GOLDEN=1 to create it")
    }
    return (expected == actual, "\(name) differs:\n--- expected\n\(expected)\n--- actual\n\(actual)")
}
