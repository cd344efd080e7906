import AnnalsDomain
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
            IngestCommand.self, TimelineCommand.self, ActorCommand.self, ActorsCommand.self, FactCommand.self, SourcesCommand.self, ChangesCommand.self,
            LogCommand.self, TailCommand.self, ExportCommand.self, ImportCommand.self, ReplicateCommand.self, FollowCommand.self, ReplayCommand.self, ProjectionsCommand.self, ProjectionCommand.self, VerifyCommand.self, StatsCommand.self,
            BackupCommand.self, ServeCommand.self, DraftCommand.self, ScoreDraftCommand.self, BenchCommand.self,
        ]
    )

    /// Declared here too, so `--store` may come before the subcommand's name as well as after it.
    @OptionGroup public var storeOptions: StoreOptions

    /// The release of the `annals` tool.
    public static let version = "0.1.0"

    public init() {}

    /// Parses `arguments` (without the program name), runs the command and returns the exit
    /// status. Every failure becomes one line on standard error: no stack traces, no usage dump.
    /// ``Console/message(_:)`` writes it, with any hidden character in it made visible.
    public static func execute(_ arguments: [String]) -> Int32 {
        let console = Console.current
        defer { console.flush() }
        if let unknown = unknownCommand(in: arguments) {
            console.message("annals: \(unknown) (see `annals help`)")
            return ExitCode.validationFailure.rawValue
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // Parsing and validation: our message for a bad value, else ArgumentParser's own, or
            // the help text it asked for.
            let status = exitCode(for: error)
            if status == .success {
                console.write(fullMessage(for: error) + "\n")
                return 0
            }
            let text = argumentValueError(in: error)?.description ?? message(for: error)
            console.message("annals: \(text) (see `annals help`)")
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
    /// ArgumentParser reports a value its transform refused as "The value 'x' is invalid for
    /// '--option <name>': …" around the transform's error; ours already names the option and the
    /// value, so it is shown alone. The error is found by reflection because ArgumentParser's
    /// error types are internal; should that ever fail, its own message is shown instead.
    static func argumentValueError(in value: Any, depth: Int = 0) -> ArgumentValueError? {
        if let found = value as? ArgumentValueError { return found }
        guard depth < 8 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = argumentValueError(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    /// "no command is called "frobnicate"; the commands are …" when the words that choose a
    /// command (`annals WORD`, `annals bench WORD`, `annals help WORD…`) name none. ArgumentParser
    /// would say "Unexpected argument", or for `help`, show the root's help and succeed.
    static func unknownCommand(in arguments: [String]) -> String? {
        var remaining = arguments[...]
        // Only the root's own options may come before the command's name.
        while let first = remaining.first, first.hasPrefix("-") {
            if first == "--store" { remaining = remaining.dropFirst(2) }
            else if first.hasPrefix("--store=") { remaining = remaining.dropFirst() }
            else { return nil }
        }
        var path = Array(remaining)
        var isHelp = false
        if path.first == "help" {
            isHelp = true
            path.removeFirst()
        }
        var subcommands = AnnalsCommand.configuration.subcommands
        var names: [String] = ["annals"]
        for word in path {
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            var known: [String] = []
            var next: [any ParsableCommand.Type]?
            for subcommand in subcommands {
                let name = subcommand._commandName
                known.append(name)
                if name == word { next = subcommand.configuration.subcommands }
            }
            guard let next else {
                let scope = names.count == 1 ? "the commands are" : "the commands of `\(names.joined(separator: " "))` are"
                return "no command is called \(ArgumentValueError.shown(word)); \(scope) \(known.joined(separator: ", "))"
            }
            // `annals bench ingest …`: what follows a command with no subcommands is its arguments.
            if next.isEmpty && !isHelp { return nil }
            subcommands = next
            names.append(word)
        }
        return nil
    }

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

/// A well-formed question the store cannot answer: an unknown article, a fact not yet asserted
/// at the position asked about. A query problem (status 1), not a mistake in the command line.
struct QueryFailure: CommandFailure {
    let description: String
    init(_ description: String) { self.description = description }
}
