import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// One input file, in the order it will be read.
struct IngestInputFile: Sendable, Hashable {
    enum Format: Sendable, Hashable {
        case yaml
        case jsonLines
    }

    let path: String
    let format: Format
    let size: Int
}

/// Turns the paths given to an ingest into the ordered list of input files: fact files
/// (`.yaml`, `.yml`) and JSON Lines files (`.jsonl`, `.ndjson`), directories searched
/// recursively in path order. An article text (`.txt`) stands for the fact file beside it.
///
/// Each real directory is walked once, however many links lead back to it, so a directory
/// holding `a -> .` is searched once rather than along every path the links spell.
enum IngestInputs {
    static func files(for paths: [String]) throws(InputError) -> [IngestInputFile] {
        var files: [IngestInputFile] = []
        var walked: Set<FileIdentity> = []
        for path in paths {
            let status = try Self.status(path)
            if status.kind == .directory {
                // A directory given twice, or inside one given earlier, adds nothing new.
                guard walked.insert(status.identity).inserted else { continue }
                let found = try searchDirectory(path, walked: &walked)
                guard !found.isEmpty else {
                    throw InputError(file: path, line: nil, field: nil,
                                     message: "holds no inputs; expected fact files (.yaml, .yml) or JSON Lines files (.jsonl)")
                }
                files += found
            } else {
                files.append(try file(path))
            }
        }
        var seen: Set<String> = []
        return files.filter { seen.insert($0.path).inserted }
    }

    /// What `path` names, following links; a problem with it is an input error.
    private static func status(_ path: String) throws(InputError) -> FileStatus {
        do throws(Errno) {
            return try FileSystem.status(path)
        } catch {
            throw InputError(file: path, line: nil, field: nil, message: InputFile.openProblem(error, path: path))
        }
    }

    private static func isInputName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
    }

    private static func file(_ path: String) throws(InputError) -> IngestInputFile {
        let (problem, size) = InputFile.regularFileProblem(path: path)
        if let problem { throw InputError(file: path, line: nil, field: nil, message: problem) }
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return IngestInputFile(path: path, format: .yaml, size: size)
        }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            return IngestInputFile(path: path, format: .jsonLines, size: size)
        }
        if lower.hasSuffix(".txt") {
            let stem = String(path.dropLast(4))
            // Anything at the fact file's path is meant as the fact file; a problem with it is reported.
            for candidate in [stem + ".yaml", stem + ".yml"] where (try? FileSystem.status(candidate, followingLinks: false)) != nil {
                return try file(candidate)
            }
            throw InputError(file: path, line: nil, field: nil, message: "is an article text with no fact file beside it (\(stem.split(separator: "/").last ?? "").yaml)")
        }
        throw InputError(file: path, line: nil, field: nil, message: "is not an input; expected a fact file (.yaml, .yml), a JSON Lines file (.jsonl) or an article text (.txt)")
    }

    /// The inputs under `root` in path order, depth first, skipping hidden names and
    /// directories already in `walked`.
    private static func searchDirectory(_ root: String, walked: inout Set<FileIdentity>) throws(InputError) -> [IngestInputFile] {
        var files: [IngestInputFile] = []
        // Paths still to visit, the next one last; a directory's entries replace it in place,
        // so the order is the recursive walk's without its recursion.
        var pending: [(path: String, isDirectory: Bool)] = [(root, true)]
        while let (path, isDirectory) = pending.popLast() {
            guard isDirectory else {
                files.append(try file(path))
                continue
            }
            let names: [String]
            do throws(Errno) {
                names = try FileSystem.directoryEntries(path).filter { !$0.hasPrefix(".") }
            } catch {
                throw InputError(file: path, line: nil, field: nil, message: InputFile.openProblem(error, path: path))
            }
            var children: [(path: String, isDirectory: Bool)] = []
            for name in names.sorted() {
                let child = path.hasSuffix("/") ? path + name : path + "/" + name
                let status: FileStatus
                do throws(Errno) { status = try FileSystem.status(child) } catch {
                    // A broken link named like an input was meant to be read; others are not inputs.
                    if isInputName(name) { throw InputError(file: child, line: nil, field: nil, message: InputFile.openProblem(error, path: child)) }
                    continue
                }
                if status.kind == .directory {
                    if walked.insert(status.identity).inserted { children.append((child, true)) }
                } else if isInputName(name) {
                    // Article texts are read through their fact files; other files are not inputs.
                    children.append((child, false))
                }
            }
            pending += children.reversed()
        }
        return files
    }
}

/// The records of every input file, in order, streamed: a fact file is read whole (it is
/// small), a JSON Lines file a line at a time.
final class RecordStream {
    let files: [IngestInputFile]
    /// Bytes of all files, for progress.
    let totalBytes: Int
    private var fileIndex = 0
    private var pending: [InputRecord] = []
    private var pendingIndex = 0
    private var lines: JSONLinesFile?
    private var finishedBytes = 0

    init(files: [IngestInputFile]) {
        self.files = files
        totalBytes = files.reduce(0) { $0 + $1.size }
    }

    /// Bytes read so far.
    var bytesRead: Int { finishedBytes + (lines?.bytesConsumed ?? 0) }

    /// The index of the file the last record came from.
    private(set) var currentFileIndex = 0

    func next() throws(InputError) -> InputRecord? {
        while true {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            if let reader = lines {
                if let record = try reader.next() { return record }
                finishedBytes += files[fileIndex - 1].size
                lines = nil
            }
            guard fileIndex < files.count else { return nil }
            let file = files[fileIndex]
            currentFileIndex = fileIndex
            fileIndex += 1
            switch file.format {
            case .yaml:
                pending = try YAMLFactFile.records(path: file.path, displayPath: file.path)
                pendingIndex = 0
                finishedBytes += file.size
            case .jsonLines:
                pending = []
                pendingIndex = 0
                lines = try JSONLinesFile(path: file.path, displayPath: file.path)
            }
        }
    }
}
