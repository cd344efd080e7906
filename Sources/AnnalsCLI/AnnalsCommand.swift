import AnnalsLog
import AnnalsProjections
import AnnalsTimeline
import ArgumentParser

/// The `annals` command line: the root command and its subcommands.
public struct AnnalsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "annals",
        abstract: "An embedded, bitemporal timeline store for facts reported in the news.",
        discussion: "Start with `annals ingest seeds`, then `annals timeline`. The store is ./annals.lmdb unless --store or $ANNALS_STORE say otherwise.",
        version: "annals \(AnnalsCommand.version) (log format \(EventLog.formatVersion))",
        subcommands: [
            IngestCommand.self, TimelineCommand.self, ActorCommand.self, ActorsCommand.self, FactCommand.self, SourcesCommand.self,
            LogCommand.self, ReplayCommand.self, ProjectionsCommand.self, VerifyCommand.self, StatsCommand.self,
            BackupCommand.self, BenchCommand.self,
        ]
    )

    /// Declared here too, so `--store` may come before the subcommand's name as well as after it.
    @OptionGroup public var storeOptions: StoreOptions

    /// The release of the `annals` tool.
    public static let version = "0.1.0"

    public init() {}

    /// Parses `arguments` (without the program name), runs the command and returns the exit
    /// status. Every failure becomes one line on standard error: no stack traces, no usage dump.
    public static func execute(_ arguments: [String]) -> Int32 {
        let console = Console.current
        defer { console.flush() }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // Parsing and validation: ArgumentParser's own message, or the help text it asked for.
            let status = exitCode(for: error)
            if status == .success {
                console.write(fullMessage(for: error) + "\n")
                return 0
            }
            console.message("annals: \(message(for: error)) (see `annals help`)")
            return status.rawValue
        }
        do {
            try command.run()
            return 0
        } catch {
            console.flush()
            // `annals help <command>` parses as ArgumentParser's help command, which asks for
            // its text by throwing.
            if exitCode(for: error) == .success {
                console.write(fullMessage(for: error) + "\n")
                return 0
            }
            switch StoreAccess.failure(for: error) ?? error {
            case let failure as any CommandFailure:
                console.message("annals: \(failure.description)")
                return failure.exitStatus
            case let input as InputError:
                console.message("annals: \(input.description)")
                return 65  // EX_DATAERR: the input is wrong, not the invocation
            case let described as any CustomStringConvertible:
                console.message("annals: \(described.description)")
                return 1
            default:
                console.message("annals: \(String(describing: error))")
                return 1
            }
        }
    }
}

extension AnnalsCommand {
    /// Runs `arguments` as `annals` would, with recorded-at times from `clock` (tests pin it).
    public static func execute(_ arguments: [String], clock: @escaping @Sendable () -> Timestamp) -> Int32 {
        StoreAccess.$clock.withValue(clock) { execute(arguments) }
    }
}

/// An error a command reports to the user as one line, with its own exit status.
public protocol CommandFailure: Error, CustomStringConvertible {
    var exitStatus: Int32 { get }
}

extension CommandFailure {
    public var exitStatus: Int32 { 1 }
}
