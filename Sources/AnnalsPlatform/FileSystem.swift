#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The C functions by other names, for the types below whose methods share theirs.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, buffer, count) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }

/// What kind of thing a path names.
public enum FileKind: Sendable, Hashable, CustomStringConvertible {
    case regular, directory, fifo, socket, characterDevice, blockDevice, symbolicLink, other

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }

    /// "a file", "a directory", "a named pipe (FIFO)"…
    public var description: String {
        switch self {
        case .regular: "a file"
        case .directory: "a directory"
        case .fifo: "a named pipe (FIFO)"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .symbolicLink: "a symbolic link"
        case .other: "a special file"
        }
    }
}

/// What `stat` says of a file.
public struct FileStatus: Sendable, Hashable {
    public let kind: FileKind
    /// The size in bytes.
    public let size: Int
    /// The bytes the file occupies on its device: its allocated blocks, so a sparse region
    /// counts for nothing.
    public let allocatedBytes: Int
    /// The device and inode: two paths with equal identities name one file.
    public let identity: FileIdentity

    init(_ info: stat) {
        kind = FileKind(mode: info.st_mode)
        size = Int(info.st_size)
        allocatedBytes = Int(info.st_blocks) * 512  // st_blocks counts 512-byte units on every system
        identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// A file's device and inode.
public struct FileIdentity: Sendable, Hashable {
    public let device: UInt64
    public let inode: UInt64
}

/// How a path may be used, for ``FileSystem/check(_:may:)``.
public struct FileAccess: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let exists = FileAccess([])
    public static let read = FileAccess(rawValue: R_OK)
    public static let write = FileAccess(rawValue: W_OK)
    public static let execute = FileAccess(rawValue: X_OK)
}

/// Paths: their status, directories, removal, temporary files.
public enum FileSystem {
    /// The status of the file `path` names, following symbolic links (or not).
    public static func status(_ path: String, followingLinks: Bool = true) throws(Errno) -> FileStatus {
        var info = stat()
        let rc = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard rc == 0 else { throw Errno.current }
        return FileStatus(info)
    }

    /// Whether something exists at `path` (following links).
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The last component of `path`, trailing slashes aside: `annals.lmdb` for `./data/annals.lmdb/`.
    public static func lastComponent(of path: String) -> String {
        guard let last = path.split(separator: "/").last else { return path.isEmpty ? "" : "/" }
        return String(last)
    }

    /// Throws why `path` may not be used as `mode` asks, if it may not.
    public static func check(_ path: String, may mode: FileAccess) throws(Errno) {
        guard access(path, mode.rawValue) == 0 else { throw Errno.current }
    }

    /// Creates the directory `path` and any missing parents, like `mkdir -p`.
    public static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws(Errno) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, mode_t(mode)) != 0 && errno != EEXIST { throw Errno.current }
            prefix += "/"
        }
    }

    /// The names in directory `path`, without `.` and `..`, in no particular order.
    public static func directoryEntries(_ path: String) throws(Errno) -> [String] {
        guard let directory = opendir(path) else { throw Errno.current }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file (not a directory); a missing one is no error.
    public static func removeFile(_ path: String) {
        unlink(path)
    }

    /// Removes an empty directory.
    public static func removeDirectory(_ path: String) throws(Errno) {
        guard rmdir(path) == 0 else { throw Errno.current }
    }

    /// Removes `path` and, if it is a directory, everything in it, without following links.
    public static func removeTree(_ path: String) {
        guard let info = try? status(path, followingLinks: false) else { return }
        if info.kind == .directory {
            for name in (try? directoryEntries(path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The path a symbolic link at `path` holds, as written in the link (not resolved).
    public static func destinationOfSymbolicLink(_ path: String) throws(Errno) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: pointer.count) { readlink(path, $0, pointer.count - 1) } } ?? -1
        }
        guard count >= 0 else { throw Errno.current }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Renames `source` to `destination`, replacing a file there.
    public static func rename(_ source: String, to destination: String) throws(Errno) {
        guard systemRename(source, destination) == 0 else { throw Errno.current }
    }

    /// A new, empty directory under `parent` (the temporary directory unless given), named
    /// `label` and a unique suffix.
    public static func makeTemporaryDirectory(label: String, in parent: String = System.temporaryDirectory) throws(Errno) -> String {
        var template = Array("\(parent)/\(label).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp) }
        guard let made else { throw Errno.current }
        return String(cString: made)
    }

    /// A new file under `parent`, open for reading and writing and already unlinked: it goes
    /// when it is closed, or when the process dies.
    public static func makeAnonymousFile(label: String, in parent: String = System.temporaryDirectory) throws(Errno) -> FileDescriptor {
        var template = Array("\(parent)/\(label).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else { throw Errno.current }
        template.withUnsafeBufferPointer { buffer in if let base = buffer.baseAddress { unlink(base) } }
        return FileDescriptor(descriptor)
    }
}

/// An open file, closed when the value is released.
public final class FileDescriptor: @unchecked Sendable {
    /// The descriptor number; stays valid until the value is released.
    public let rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    deinit { close(rawValue) }

    /// Opens `path` for reading without ever blocking on it (a named pipe with no writer would
    /// block an ordinary open forever), then makes reads blocking again. A terminal opened this
    /// way never becomes the process's controlling terminal.
    public static func openForReading(_ path: String) throws(Errno) -> FileDescriptor {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard descriptor >= 0 else { throw Errno.current }
        let file = FileDescriptor(descriptor)
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return file
    }

    /// Opens (creating, truncating) `path` for writing.
    public static func create(_ path: String, mode: UInt32 = 0o644) throws(Errno) -> FileDescriptor {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw Errno.current }
        return FileDescriptor(descriptor)
    }

    /// Opens an existing `path` for writing, as it is: no creating, no truncating (a named pipe,
    /// a device). Opening a named pipe waits for a reader, as any writer to one does; a
    /// terminal opened this way never becomes the process's controlling terminal.
    public static func openForWriting(_ path: String) throws(Errno) -> FileDescriptor {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw Errno.current }
        return FileDescriptor(descriptor)
    }

    /// Opens an existing `path` for reading and writing.
    public static func openForUpdate(_ path: String) throws(Errno) -> FileDescriptor {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw Errno.current }
        return FileDescriptor(descriptor)
    }

    /// The open file's status.
    public func status() throws(Errno) -> FileStatus {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else { throw Errno.current }
        return FileStatus(info)
    }

    /// Reads up to `buffer.count` bytes at the current offset; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(rawValue, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw Errno.current }
        }
    }

    /// Fills `buffer` from `offset`, unless the file ends first; returns the bytes read.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(Errno) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let count = pread(rawValue, base + done, buffer.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw Errno.current
            }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Reads the whole file from its start (at most `limit` bytes are expected).
    public func readAll(sizeHint: Int) throws(Errno) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(sizeHint, 0))
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let result: Result<Int, Errno> = bytes.withUnsafeMutableBytes { buffer in
                do throws(Errno) { return .success(try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))) } catch { return .failure(error) }
            }
            let count = try result.get()
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Writes every byte of `bytes` at the current offset, retrying short writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        try writeAll(rawValue, bytes)
    }

    /// Writes every byte of `bytes` at `offset`.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(Errno) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = pwrite(rawValue, base + done, bytes.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw Errno.current
            }
            done += count
        }
    }

    /// Flushes the file's data to its device.
    public func synchronize() throws(Errno) {
        guard fsync(rawValue) == 0 else { throw Errno.current }
    }
}

/// Writes every byte of `bytes` to `descriptor` at its current offset, retrying short and
/// interrupted writes.
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
        let count = systemWrite(descriptor, base + done, bytes.count - done)
        if count < 0 {
            if errno == EINTR { continue }
            throw Errno.current
        }
        done += count
    }
}

/// Writes `bytes` to a standard stream, whole, retrying short writes; gives up quietly when the
/// reader has gone (a closed pipe) or the stream fails.
public func writeToStream(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    try? writeAll(descriptor, bytes)
}

/// Writes `text` as UTF-8 to a standard stream, whole; gives up quietly, as the bytes' version does.
public func writeToStream(_ descriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { writeToStream(descriptor, UnsafeRawBufferPointer($0)) }
}

/// The standard streams' descriptors.
public enum StandardStream {
    public static let input: Int32 = STDIN_FILENO
    public static let output: Int32 = STDOUT_FILENO
    public static let error: Int32 = STDERR_FILENO
}
