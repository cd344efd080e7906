import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsTimeline
import ArgumentParser
import LMDB

/// `annals export [--from POS] [FILE|-]`: the log as CloudEvents, one per line.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log as CloudEvents 1.0 in JSON Lines, one event per line, for annals import or any CloudEvents consumer.",
        discussion: """
            Each line is a structured-mode CloudEvent: id, source, type org.annals.<type>, time (recorded-at), \
            subject, data (the payload as JSON) and the extensions position, schemaversion and chainhash. \
            The events come from one snapshot of the log. A FILE is written whole or not at all; a named pipe or character device (such as /dev/null) is written into as it is.
            """)

    /// The formats `annals export` writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case cloudevents
    }

    @OptionGroup var storeOptions: StoreOptions
    @Option(parsing: .unconditional, help: ArgumentHelp("Start at this position (default 1, the first event).", valueName: "position"),
            transform: ArgumentValue.position("--from"))
    var from: UInt64 = 1
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Output format: cloudevents (the default and only one).", valueName: "format"),
            transform: ArgumentValue.choice("--format"))
    var format: Format = .cloudevents
    @Argument(help: ArgumentHelp("Write to this file instead of standard output (- is standard output).", valueName: "file"))
    var file: String?

    func validate() throws {
        if file == "" { throw ValidationError("annals export needs a file name or -, got \"\"") }
    }

    func run() throws {
        let store = try StoreAccess.openForReading(storeOptions)
        let toStandardOutput = file == nil || file == "-"
        let output = toStandardOutput ? ExportDestination.standardOutput : try ExportDestination.file(file!)
        // Standard output goes through the console (which tests capture), a file straight out.
        var lines = BufferedOutput(openDescriptor: output.descriptor)
        let console = Console.current
        let progress = ProgressDisplay(label: "exporting")
        let report: ExportReport
        do {
            report = try store.exportCloudEvents(from: from, progress: { progress.update(done: $0, total: $1) }) { chunk in
                if toStandardOutput {
                    console.write(bytes: chunk)
                    return true
                }
                lines.write(chunk)
                return !lines.hasFailed
            }
            if toStandardOutput { console.flush() } else { try lines.flush() }
        } catch let error as Errno {
            progress.finish()
            output.abandon()
            if toStandardOutput && error == .brokenPipe { return }
            throw UsageFailure("cannot write \(output.shownName): \(error)")
        } catch let error as ExportError {
            progress.finish()
            output.abandon()
            throw QueryFailure(error.description)
        } catch {
            progress.finish()
            output.abandon()
            throw error
        }
        progress.finish()
        try output.complete()
        if !toStandardOutput {
            let positions = report.positions.map { "positions \($0.lowerBound)–\($0.upperBound)" } ?? "no events"
            Console.current.line(TerminalText.visible("exported \(grouped(report.events)) events (\(positions)) to \(output.shownName)"))
        }
    }
}

/// Where an export goes: standard output; a file written under a temporary name and renamed
/// into place only when complete, so that a failed export leaves no partial file; or a named
/// pipe or character device (`/dev/null`, a terminal) that already exists, written into as it
/// is, since a rename would put a file in its place.
private struct ExportDestination {
    let descriptor: Int32
    let shownName: String
    private let file: FileDescriptor?
    private let temporaryPath: String?
    private let finalPath: String?

    static let standardOutput = ExportDestination(descriptor: StandardStream.output, shownName: "standard output", file: nil, temporaryPath: nil, finalPath: nil)

    static func file(_ path: String) throws -> ExportDestination {
        if let existing = try? FileSystem.status(path), existing.kind != .regular {
            guard existing.kind == .fifo || existing.kind == .characterDevice else {
                throw UsageFailure("cannot write \(path): it is \(existing.kind); export writes a file, a named pipe or a character device")
            }
            do throws(Errno) {
                let file = try FileDescriptor.openForWriting(path)
                return ExportDestination(descriptor: file.rawValue, shownName: path, file: file, temporaryPath: nil, finalPath: nil)
            } catch {
                throw UsageFailure("cannot write \(path): \(error)")
            }
        }
        let temporary = path + ".partial-\(System.processID)"
        do throws(Errno) {
            let file = try FileDescriptor.create(temporary)
            return ExportDestination(descriptor: file.rawValue, shownName: path, file: file, temporaryPath: temporary, finalPath: path)
        } catch {
            throw UsageFailure("cannot create \(path): \(error)")
        }
    }

    func complete() throws {
        guard let temporaryPath, let finalPath else { return }
        do throws(Errno) {
            try file?.synchronize()
            try FileSystem.rename(temporaryPath, to: finalPath)
        } catch {
            abandon()
            throw UsageFailure("cannot write \(finalPath): \(error)")
        }
    }

    func abandon() {
        if let temporaryPath { FileSystem.removeTree(temporaryPath) }
    }
}

/// `annals import FILE`: reproduce a log from its CloudEvents export.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Reproduce a log from a CloudEvents file written by annals export: same positions, recorded-at and head hash.",
        discussion: """
            Into an empty store it writes every event; into a store that holds the file's first events \
            it appends the rest, so importing twice changes nothing. Every line must reproduce its \
            chainhash: a changed, missing or reordered line is reported with its line number, and the \
            store is left exactly as it was.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("A CloudEvents JSON Lines file, as annals export writes.", valueName: "file"))
    var file: String
    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        if file.isEmpty { throw ValidationError("annals import needs the path of a file, got \"\"") }
    }

    func run() throws {
        try formatOptions.require([.table, .json])
        let storeExisted = FileSystem.exists(storeOptions.path + "/data.mdb")
        let store = try StoreAccess.openForWriting(storeOptions)
        let progress = ProgressDisplay(label: "importing", unit: "bytes", minimumTotal: 1 << 20)
        let report: ImportReport
        do {
            report = try StoreAccess.ingesting(into: store) {
                try store.importCloudEvents(path: file) { progress.update(done: $0, total: $1) }
            }
        } catch {
            progress.finish()
            StoreAccess.discardIfCreatedEmpty(store, existed: storeExisted)
            throw error
        }
        progress.finish()
        let console = Console.current
        if formatOptions.format == .json {
            console.line(JSONValue.object([
                ("events", .integer(report.events)), ("already_present", .integer(report.alreadyPresent)),
                ("appended", .integer(report.appended)),
                ("positions", report.positions.map { .array([.integer($0.lowerBound), .integer($0.upperBound)]) } ?? .null),
                ("head", .integer(report.head)), ("head_hash", .string(report.headHash.description)),
            ]).serialized())
            return
        }
        if let positions = report.positions {
            var line = "imported \(grouped(report.appended)) events at positions \(positions.lowerBound)–\(positions.upperBound)"
            if report.alreadyPresent > 0 { line += "; \(grouped(report.alreadyPresent)) were already in the store" }
            console.line(line)
        } else {
            console.line("nothing new: the store already holds all \(grouped(report.events)) events of the file")
        }
        console.line("head \(report.head), hash \(report.headHash)")
    }
}
