#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Turns the paths given to `annals ingest` into the ordered list of input files: fact files
/// (`.yaml`, `.yml`) and JSON Lines files (`.jsonl`, `.ndjson`), directories searched
/// recursively in path order. An article text (`.txt`) stands for the fact file beside it.
enum IngestInputs {
    static func files(for paths: [String]) throws(InputError) -> [IngestInputFile] {
        guard !paths.isEmpty else { throw InputError(file: "annals ingest", line: nil, field: nil, message: "needs at least one file or directory") }
        var files: [IngestInputFile] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw InputError(file: path, line: nil, field: nil, message: InputFile.openProblem(errno)) }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let found = try searchDirectory(path)
                guard !found.isEmpty else {
                    throw InputError(file: path, line: nil, field: nil,
                                     message: "holds no inputs; expected fact files (.yaml, .yml) or JSON Lines files (.jsonl)")
                }
                files += found
            } else {
                files.append(try file(path, explicit: true))
            }
        }
        var seen: Set<String> = []
        return files.filter { seen.insert($0.path).inserted }
    }

    private static func file(_ path: String, explicit: Bool) throws(InputError) -> IngestInputFile {
        var info = stat()
        guard stat(path, &info) == 0 else { throw InputError(file: path, line: nil, field: nil, message: InputFile.openProblem(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw InputError(file: path, line: nil, field: nil, message: "is not a regular file") }
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return IngestInputFile(path: path, format: .yaml, size: Int(info.st_size))
        }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            return IngestInputFile(path: path, format: .jsonLines, size: Int(info.st_size))
        }
        if lower.hasSuffix(".txt") {
            let stem = String(path.dropLast(4))
            for candidate in [stem + ".yaml", stem + ".yml"] where access(candidate, R_OK) == 0 {
                return try file(candidate, explicit: explicit)
            }
            throw InputError(file: path, line: nil, field: nil, message: "is an article text with no fact file beside it (\(stem.split(separator: "/").last ?? "").yaml)")
        }
        throw InputError(file: path, line: nil, field: nil, message: "is not an input; expected a fact file (.yaml, .yml), a JSON Lines file (.jsonl) or an article text (.txt)")
    }

    private static func searchDirectory(_ path: String) throws(InputError) -> [IngestInputFile] {
        guard let directory = opendir(path) else { throw InputError(file: path, line: nil, field: nil, message: InputFile.openProblem(errno)) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            names.append(name)
        }
        var files: [IngestInputFile] = []
        for name in names.sorted() {
            let child = path.hasSuffix("/") ? path + name : path + "/" + name
            var info = stat()
            guard stat(child, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                files += try searchDirectory(child)
                continue
            }
            let lower = name.lowercased()
            guard lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") else {
                continue  // article texts are read through their fact files; other files are not inputs
            }
            files.append(try file(child, explicit: false))
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
