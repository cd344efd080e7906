#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Environment {
    /// Runs `body` with a new environment in a directory of its own under `$TMPDIR` (else
    /// `/tmp`), and removes the directory and its files when `body` returns or throws.
    ///
    /// For scratch work that must not touch another environment's files: the environment is
    /// opened with ``Flags/noSync`` (nothing in it needs to survive a crash) unless the
    /// configuration says otherwise. `body` must not keep the environment beyond its return.
    public static func withTemporary<R>(
        label: String = "lmdb-scratch", configuration: Configuration = Configuration(flags: [.noThreadLocalStorage, .noSync]),
        _ body: (Environment) throws -> R
    ) throws -> R {
        let parent = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(parent)/\(label).XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw LMDBError(code: .init(rawValue: errno), operation: "create a temporary directory in \(parent)", subject: .directory(parent))
        }
        let directory = String(cString: made)
        // The files may be unlinked while the environment is still open: they go when it closes.
        defer {
            unlink(directory + "/data.mdb")
            unlink(directory + "/lock.mdb")
            rmdir(directory)
        }
        return try body(try Environment(path: directory, configuration: configuration))
    }
}
