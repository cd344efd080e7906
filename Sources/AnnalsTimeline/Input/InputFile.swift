import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// Reading input files whole, with the checks every input gets: it exists, is a regular file,
/// is readable, is not too big, is not empty, is UTF-8 and holds no NUL byte.
enum InputFile {
    /// The file's text; `what` names the kind of file for the size limit's message ("a fact file").
    static func readText(path: String, displayPath: String, maximumBytes: Int, what: String) throws(InputError) -> String {
        var bytes = try readBytes(path: path, displayPath: displayPath, maximumBytes: maximumBytes, what: what)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return try text(from: bytes, displayPath: displayPath)
    }

    /// Decodes UTF-8, refusing NUL bytes and invalid sequences with the line they are on.
    static func text(from bytes: [UInt8], displayPath: String, firstLine: Int = 1) throws(InputError) -> String {
        guard !bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) else {
            throw InputError(file: displayPath, line: nil, field: nil, message: "is empty")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw InputError(file: displayPath, line: firstLine + line(of: nul, in: bytes) - 1, field: nil, message: "contains a NUL byte; expected UTF-8 text")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: displayPath, line: firstLine + firstInvalidUTF8Line(bytes) - 1, field: nil, message: "is not valid UTF-8")
        }
        return text
    }

    static func readBytes(path: String, displayPath: String, maximumBytes: Int, what: String) throws(InputError) -> [UInt8] {
        let (file, size) = try openRegularFile(path: path, displayPath: displayPath)
        guard size <= maximumBytes else {
            throw InputError(file: displayPath, line: nil, field: nil, message: "is \(grouped(size)) bytes long; \(sizeLimit(what, maximumBytes))")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        let read = bytes.withUnsafeMutableBytes { buffer in Result { () throws(Errno) in try file.read(into: buffer, at: 0) } }
        switch read {
        case .success(let count):
            // A file that shrank since it was looked at is read as it now is.
            bytes.removeLast(size - count)
        case .failure(let error):
            throw InputError(file: displayPath, line: nil, field: nil, message: "could not be read: \(error)")
        }
        return bytes
    }

    /// Opens `path` for reading if it is a regular file, and returns the open file and its
    /// size. Never blocks: a named pipe opened the ordinary way waits for a writer forever, so
    /// the file is opened without waiting (``FileDescriptor/openForReading(_:)``) and looked at
    /// before anything is read.
    static func openRegularFile(path: String, displayPath: String) throws(InputError) -> (file: FileDescriptor, size: Int) {
        let file: FileDescriptor
        let status: FileStatus
        do throws(Errno) {
            file = try FileDescriptor.openForReading(path)
            status = try file.status()
        } catch {
            throw InputError(file: displayPath, line: nil, field: nil, message: openProblem(error, path: path))
        }
        if let problem = notRegularProblem(status.kind) {
            throw InputError(file: displayPath, line: nil, field: nil, message: problem)
        }
        return (file, status.size)
    }

    /// What is at `path` (following links), when it is not a regular file: `nil` for a regular
    /// file, otherwise the problem to report, as ``openRegularFile(path:displayPath:)`` would.
    static func regularFileProblem(path: String) -> (problem: String?, size: Int) {
        do throws(Errno) {
            let status = try FileSystem.status(path)
            return (notRegularProblem(status.kind), status.size)
        } catch {
            return (openProblem(error, path: path), 0)
        }
    }

    /// Why a file of this kind cannot be read as input; `nil` for a regular file.
    static func notRegularProblem(_ kind: FileKind) -> String? {
        switch kind {
        case .regular: nil
        case .directory: "is a directory, not a regular file"
        case .fifo: "is a named pipe (FIFO), not a regular file"
        case .socket: "is a socket, not a regular file"
        case .characterDevice: "is a character device, not a regular file"
        case .blockDevice: "is a block device, not a regular file"
        case .symbolicLink, .other: "is not a regular file"
        }
    }

    /// "a fact file has at most 16,777,216 bytes (16 MiB)", "… 65,536 bytes (64 KiB)": the limit
    /// in the largest binary unit that divides it.
    static func sizeLimit(_ what: String, _ bytes: Int) -> String {
        let shown: String? = bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes >= 1024 && bytes % 1024 == 0 ? "\(bytes >> 10) KiB" : nil
        return "\(what) has at most \(grouped(bytes)) bytes" + (shown.map { " (\($0))" } ?? "")
    }

    /// Why `path` could not be opened or looked at, after a call failed with `error`.
    static func openProblem(_ error: Errno, path: String) -> String {
        switch error {
        case .noSuchFile:
            if let target = symbolicLinkTarget(path) { return "is a symbolic link to \(target), which does not exist" }
            return "does not exist"
        case .tooManyLinks: return "is a symbolic link that leads back to itself (a loop of links)"
        case .notDirectory: return "does not exist: a part of the path is not a directory"
        case .accessDenied: return "cannot be read: permission denied"
        case .isDirectory: return "is a directory, not a regular file"
        case .noSuchDeviceOrAddress:
            // Opening a socket, or a device with no driver behind it.
            if let status = try? FileSystem.status(path), let problem = notRegularProblem(status.kind) { return problem }
            return "cannot be opened: \(error)"
        default: return "cannot be opened: \(error)"
        }
    }

    /// The target `path` names when it is itself a symbolic link.
    static func symbolicLinkTarget(_ path: String) -> String? {
        guard let status = try? FileSystem.status(path, followingLinks: false), status.kind == .symbolicLink else { return nil }
        return try? FileSystem.destinationOfSymbolicLink(path)
    }

    static func line(of index: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<index].count { $0 == UInt8(ascii: "\n") }
    }

    /// The line of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}
