import AnnalsDomain
import AnnalsTimelineProjections

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let (descriptor, size) = try openRegularFile(path: path, displayPath: displayPath)
        defer { close(descriptor) }
        guard size <= maximumBytes else {
            throw InputError(file: displayPath, line: nil, field: nil, message: "is \(grouped(size)) bytes long; \(sizeLimit(what, maximumBytes))")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base + offset, buffer.count - offset)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw InputError(file: displayPath, line: nil, field: nil, message: "could not be read: \(String(cString: strerror(errno)))") }
            offset += count
        }
        return bytes
    }

    /// Opens `path` for reading if it is a regular file, and returns the descriptor and the
    /// file's size. Never blocks: a named pipe opened the ordinary way waits for a writer
    /// forever, so the file is opened non-blocking and looked at before anything is read.
    static func openRegularFile(path: String, displayPath: String) throws(InputError) -> (descriptor: Int32, size: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard descriptor >= 0 else { throw InputError(file: displayPath, line: nil, field: nil, message: openProblem(errno, path: path)) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw InputError(file: displayPath, line: nil, field: nil, message: openProblem(code, path: path))
        }
        if let problem = notRegularProblem(info.st_mode) {
            close(descriptor)
            throw InputError(file: displayPath, line: nil, field: nil, message: problem)
        }
        // Regular files ignore O_NONBLOCK; cleared all the same, so no read can ever see EAGAIN.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, Int(info.st_size))
    }

    /// What is at `path` (following links), when it is not a regular file: `nil` for a regular
    /// file, otherwise the problem to report, as ``openRegularFile(path:displayPath:)`` would.
    static func regularFileProblem(path: String) -> (problem: String?, size: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (openProblem(errno, path: path), 0) }
        return (notRegularProblem(info.st_mode), Int(info.st_size))
    }

    /// Why a file of this mode cannot be read as input; `nil` for a regular file.
    static func notRegularProblem(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "is a directory, not a regular file"
        case S_IFIFO: "is a named pipe (FIFO), not a regular file"
        case S_IFSOCK: "is a socket, not a regular file"
        case S_IFCHR: "is a character device, not a regular file"
        case S_IFBLK: "is a block device, not a regular file"
        default: "is not a regular file"
        }
    }

    /// Why `path` could not be opened or looked at, after a call failed with `code`.
    /// "a fact file has at most 16,777,216 bytes (16 MiB)".
    static func sizeLimit(_ what: String, _ bytes: Int) -> String {
        "\(what) has at most \(grouped(bytes)) bytes (\(bytes >> 20) MiB)"
    }

    static func openProblem(_ code: Int32, path: String) -> String {
        switch code {
        case ENOENT:
            if let target = symbolicLinkTarget(path) { return "is a symbolic link to \(target), which does not exist" }
            return "does not exist"
        case ELOOP: return "is a symbolic link that leads back to itself (a loop of links)"
        case ENOTDIR: return "does not exist: a part of the path is not a directory"
        case EACCES: return "cannot be read: permission denied"
        case EISDIR: return "is a directory, not a regular file"
        case ENXIO:
            // Opening a socket, or a device with no driver behind it.
            var info = stat()
            if stat(path, &info) == 0, let problem = notRegularProblem(info.st_mode) { return problem }
            return "cannot be opened: \(String(cString: strerror(code)))"
        default: return "cannot be opened: \(String(cString: strerror(code)))"
        }
    }

    /// The target `path` names when it is itself a symbolic link.
    static func symbolicLinkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: pointer.count) { readlink(path, $0, pointer.count - 1) } } ?? -1
        }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
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
