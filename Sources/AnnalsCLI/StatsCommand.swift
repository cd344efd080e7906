import ArgumentParser
import LMDB

/// `annals stats`: the size and shape of every database in the store.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show the size of the store and of each database in it.")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let env = try Environment(path: storeOptions.path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        let console = Console.current
        let info = env.info()
        console.line("store     \(env.path)")
        console.line("map       \(formatBytes(info.usedBytes)) used of \(formatBytes(info.mapSize))")
        var rows = [["database", "entries", "depth", "pages", "bytes"]]
        let names = try env.read { txn in
            var names: [String] = []
            let main = try env.openDatabase(nil, create: false)
            try txn.forEach(in: main) { entry in
                names.append(String(decoding: entry.key, as: UTF8.self))
                return true
            }
            return names
        }
        for name in names {
            let database = try env.openDatabase(name, create: false)
            let stats = try env.read { try $0.statistics(of: database) }
            rows.append([name, "\(stats.entries)", "\(stats.depth)", "\(stats.totalPages)", formatBytes(stats.totalPages * stats.pageSize)])
        }
        console.write(renderTable(rows, rightAligned: [1, 2, 3, 4]))
    }
}
