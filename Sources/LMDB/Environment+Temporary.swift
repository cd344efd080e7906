import AnnalsPlatform

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
        let parent = System.temporaryDirectory
        let directory: String
        do throws(Errno) { directory = try FileSystem.makeTemporaryDirectory(label: label, in: parent) } catch {
            throw LMDBError(code: .init(rawValue: error.code), operation: "create a temporary directory in \(parent)", subject: .directory(parent))
        }
        // The files may be unlinked while the environment is still open: they go when it closes.
        defer {
            FileSystem.removeFile(directory + "/data.mdb")
            FileSystem.removeFile(directory + "/lock.mdb")
            try? FileSystem.removeDirectory(directory)
        }
        return try body(try Environment(path: directory, configuration: configuration))
    }
}
