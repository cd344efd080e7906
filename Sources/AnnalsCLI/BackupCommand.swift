import ArgumentParser
import LMDB

/// `annals backup DIR`: a compacted, consistent copy of the store, taken while it is in use.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the store into a new directory, compacted, while it stays in use.")

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The directory to create; it must not hold a store already.", valueName: "dir"))
    var directory: String

    func run() throws {
        let env = try Environment(path: storeOptions.path, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        try env.copy(to: directory)
        let copy = try Environment(path: directory, configuration: .init(flags: [.readOnly, .noThreadLocalStorage]))
        Console.current.line("backed up \(env.path) to \(directory) (\(formatBytes(copy.info().usedBytes)))")
    }
}
