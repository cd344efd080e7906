import ArgumentParser

/// The `annals` command line: the root command and its subcommands.
public struct AnnalsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "annals",
        abstract: "An embedded, bitemporal timeline store for facts reported in the news.",
        subcommands: [StatsCommand.self, BackupCommand.self]
    )

    /// Declared here too, so `--store` may come before the subcommand's name as well as after it.
    @OptionGroup public var storeOptions: StoreOptions

    public init() {}

    /// Parses `arguments` (without the program name), runs the command and returns the exit
    /// status. Every failure becomes one line on standard error: no stack traces, no usage dump.
    public static func execute(_ arguments: [String]) -> Int32 {
        let console = Console.current
        defer { console.flush() }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                // --help and --version print their text and succeed.
                console.write(fullMessage(for: error) + "\n")
                return 0
            }
            console.flush()
            if let commandError = error as? any CommandFailure {
                console.message("annals: \(commandError.description)")
                return commandError.exitStatus
            }
            let text = message(for: error)
            console.message("annals: \(text.isEmpty ? String(describing: error) : text)")
            return status.rawValue
        }
    }
}

/// An error a command reports to the user as one line, with its own exit status.
public protocol CommandFailure: Error, CustomStringConvertible {
    var exitStatus: Int32 { get }
}

extension CommandFailure {
    public var exitStatus: Int32 { 1 }
}
