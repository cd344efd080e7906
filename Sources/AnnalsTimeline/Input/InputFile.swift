#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading input files whole, with the checks every input gets: it exists, is a regular file,
/// is readable, is not too big, is not empty, is UTF-8 and holds no NUL byte.
enum InputFile {
    static func readText(path: String, displayPath: String, maximumBytes: Int) throws(InputError) -> String {
        var bytes = try readBytes(path: path, displayPath: displayPath, maximumBytes: maximumBytes)
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

    static func readBytes(path: String, displayPath: String, maximumBytes: Int) throws(InputError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError(file: displayPath, line: nil, field: nil, message: openProblem(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw InputError(file: displayPath, line: nil, field: nil, message: openProblem(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: displayPath, line: nil, field: nil, message: "is not a regular file")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw InputError(file: displayPath, line: nil, field: nil, message: "is \(info.st_size) bytes; at most \(maximumBytes) are read")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
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

    static func openProblem(_ code: Int32) -> String {
        switch code {
        case ENOENT: "does not exist"
        case EACCES: "cannot be read: permission denied"
        case EISDIR: "is a directory"
        default: "cannot be opened: \(String(cString: strerror(code)))"
        }
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
