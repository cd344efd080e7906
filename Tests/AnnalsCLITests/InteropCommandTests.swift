import AnnalsTestSupport
import Foundation
import Testing

/// `annals export` and `annals import` on the seeds: the copy answers as the original does and
/// ends on the same head hash; what goes wrong is one line, and the store is left as it was.
@Suite struct InteropCommandTests {
    let directory = TemporaryDirectory()

    private func headHashLine(_ cli: CLI) -> String {
        let verify = cli.run("verify")
        #expect(verify.status == 0, "\(verify.error)")
        return String(verify.output.split(separator: "(").first ?? "")
    }

    @Test func theSeedsExportedAndImportedAreTheSameStore() throws {
        let original = CLI.seeded(in: directory)
        let file = directory.appending("seeds.jsonl")
        let export = original.run("export", file)
        #expect(export.status == 0, "\(export.error)")
        #expect(export.output == "exported 83 events (positions 1–83) to \(file)\n")
        #expect(export.error == "")

        // Standard output, and tail's CloudEvents, are the very same lines.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(original.run("export").output == text)
        #expect(original.run("export", "-").output == text)
        #expect(original.run("tail", "--format", "cloudevents").output == text)
        #expect(original.run("export", "--from", "80").output == text.split(separator: "\n").suffix(4).joined(separator: "\n") + "\n")

        let copy = CLI(store: directory.appending("copy"))
        let hash = headHashLine(original)
        let imported = copy.run("import", file)
        #expect(imported.status == 0, "\(imported.error)")
        let headHash = hash.replacingOccurrences(of: "log intact: 83 events, head hash ", with: "").trimmingCharacters(in: .whitespaces)
        #expect(imported.output == "imported 83 events at positions 1–83\nhead 83, hash \(headHash)\n")
        #expect(headHashLine(copy) == hash)
        #expect(copy.run("timeline", "--limit", "1000").output == original.run("timeline", "--limit", "1000").output)
        #expect(copy.run("log", "--limit", "1000").output == original.run("log", "--limit", "1000").output)

        let again = copy.run("import", file, "--format", "json")
        #expect(again.status == 0)
        #expect(again.output == #"{"events":83,"already_present":83,"appended":0,"positions":null,"head":83,"head_hash":"\#(headHash)"}"# + "\n")
        #expect(copy.run("import", file).output == "nothing new: the store already holds all 83 events of the file\nhead 83, hash \(headHash)\n")
    }

    @Test func aDamagedFileChangesNothingAndNamesItsLine() throws {
        let original = CLI.seeded(in: directory)
        let file = directory.appending("seeds.jsonl")
        #expect(original.run("export", file).status == 0)
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let line = try #require(lines.firstIndex { $0.contains("colonial-pipeline-attack") && $0.contains("fact.asserted") }) + 1
        lines[line - 1] = lines[line - 1].replacingOccurrences(of: "2021-05", with: "2021-04")
        let damaged = directory.appending("damaged.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: damaged, atomically: true, encoding: .utf8)

        let copy = CLI(store: directory.appending("copy"))
        #expect(copy.run("import", file).status == 0)
        for store in [copy, CLI(store: directory.appending("empty"))] {
            let before = dataFileBytes(store.store)
            let result = store.run("import", damaged)
            #expect(result.status == 65)
            #expect(result.output == "")
            #expect(result.error.hasPrefix("annals: \(damaged):\(line): chainhash: is "), "\(result.error)")
            #expect(result.error.hasSuffix(": the line was changed, or the lines before it are not the ones it followed\n"))
            #expect(dataFileBytes(store.store) == before)
        }
    }

    /// A named pipe or a device (`/dev/null`, a terminal) is written into, not replaced: the
    /// temporary file and rename that keep a regular file whole would put a file in its place.
    @Test func aPipeIsWrittenIntoNotReplaced() throws {
        let cli = CLI.seeded(in: directory)
        let pipe = directory.appending("pipe")
        #expect(mkfifo(pipe, 0o600) == 0)
        // Holding the pipe open for writing keeps the reader's open from blocking and its reads
        // from ending before the export is done, whether or not the export opens the pipe.
        let holder = open(pipe, O_RDWR)
        #expect(holder >= 0)
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let descriptor = open(pipe, O_RDONLY)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while descriptor >= 0 {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                bytes += chunk[..<count]
            }
            if descriptor >= 0 { close(descriptor) }
            received.bytes = bytes
            done.signal()
        }
        let export = cli.run("export", pipe)
        close(holder)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(export.status == 0, "\(export.error)")
        #expect(export.output == "exported 83 events (positions 1–83) to \(pipe)\n")
        var status = stat()
        #expect(lstat(pipe, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "the pipe was replaced")
        #expect(String(decoding: received.bytes, as: UTF8.self) == cli.run("export").output)
        // A directory is no place for an export: one line, nothing written.
        let refused = cli.run("export", directory.path)
        #expect(refused.status == 64)
        #expect(refused.error == "annals: cannot write \(directory.path): it is a directory; export writes a file, a named pipe or a character device\n")
    }

    @Test func badArgumentsAndPlacesAreOneLineEach() {
        let cli = CLI.seeded(in: directory)
        let cases: [([String], Int32, String)] = [
            (["export", "--from", "85"], 1, "annals: --from 85 is beyond the log's head (83)\n"),
            (["export", "--format", "jsonl"], 64, "annals: --format needs one of cloudevents; got jsonl (see `annals help`)\n"),
            (["export", directory.appending("missing/out.jsonl")], 64,
             "annals: cannot create \(directory.appending("missing/out.jsonl")): No such file or directory\n"),
            (["import", directory.appending("nothing.jsonl")], 65, "annals: \(directory.appending("nothing.jsonl")): does not exist\n"),
            (["import"], 64, "annals: Missing expected argument '<file>' (see `annals help`)\n"),
        ]
        for (arguments, status, message) in cases {
            let before = dataFileBytes(cli.store)
            let result = cli.run(arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.error == message, "\(arguments)")
            #expect(dataFileBytes(cli.store) == before, "\(arguments)")
        }
        // A failed export leaves no partial file behind.
        #expect(!FileManager.default.fileExists(atPath: directory.appending("missing")))
    }
}

/// What a reader thread took from a pipe, handed back once it signals.
private final class Received: @unchecked Sendable {
    var bytes: [UInt8] = []
}
