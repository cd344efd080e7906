import AnnalsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input the bad-input table cannot hold as bytes: named pipes, sockets, devices, symbolic
/// links. `prepare` makes it in the case's directory, after the plain files are written.
struct SpecialInput: Sendable, CustomTestStringConvertible {
    let label: String
    let files: [String: [UInt8]]
    let prepare: @Sendable (String) throws -> Void
    let arguments: [String]
    /// The expected message, with `$DIR` standing for the case's directory.
    let message: String
    let status: Int32

    var testDescription: String { label }

    init(_ label: String, files: [String: [UInt8]] = [:], arguments: [String] = ["ingest", "$DIR"], message: String, status: Int32 = 65,
         prepare: @escaping @Sendable (String) throws -> Void) {
        self.label = label
        self.files = files
        self.arguments = arguments
        self.message = message
        self.status = status
        self.prepare = prepare
    }
}

/// A fact file whose article text is whatever `prepare` puts at `bad.txt`.
private let factFileOnly: [String: [UInt8]] = ["bad.yaml": Array(goodFactFile.utf8)]

private func fifo(_ path: String) throws {
    guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

private func link(_ path: String, to target: String) throws {
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
}

/// A listening Unix-domain socket's file at `path` (the socket is closed; the file stays).
private func socketFile(_ path: String) throws {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw POSIXError(.ENAMETOOLONG) }
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (index, byte) in bytes.enumerated() { buffer[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

let specialInputs: [SpecialInput] = [
    SpecialInput("article text that is a named pipe", files: factFileOnly,
                 message: "$DIR/bad.txt: is a named pipe (FIFO), not a regular file") { try fifo($0 + "/bad.txt") },
    SpecialInput("fact file that is a named pipe, in a directory",
                 message: "$DIR/bad.yaml: is a named pipe (FIFO), not a regular file") { try fifo($0 + "/bad.yaml") },
    SpecialInput("JSON Lines file that is a named pipe, named on the command line", arguments: ["ingest", "$DIR/bad.jsonl"],
                 message: "$DIR/bad.jsonl: is a named pipe (FIFO), not a regular file") { try fifo($0 + "/bad.jsonl") },
    SpecialInput("article text named on the command line whose fact file is a named pipe", files: ["bad.txt": Array(goodText.utf8)],
                 arguments: ["ingest", "$DIR/bad.txt"],
                 message: "$DIR/bad.yaml: is a named pipe (FIFO), not a regular file") { try fifo($0 + "/bad.yaml") },
    SpecialInput("JSON Lines file that is a socket",
                 message: "$DIR/s.jsonl: is a socket, not a regular file") { try socketFile($0 + "/s.jsonl") },
    SpecialInput("article text that is a character device", files: factFileOnly,
                 message: "$DIR/bad.txt: is a character device, not a regular file") { try link($0 + "/bad.txt", to: "/dev/zero") },
    SpecialInput("article text that is a directory", files: factFileOnly,
                 message: "$DIR/bad.txt: is a directory, not a regular file") { try FileManager.default.createDirectory(atPath: $0 + "/bad.txt", withIntermediateDirectories: false) },
    SpecialInput("JSON Lines file named on the command line that is a character device", arguments: ["ingest", "/dev/null"],
                 message: "/dev/null: is a character device, not a regular file") { _ in },
    SpecialInput("dangling JSON Lines link in a directory", files: ["good.jsonl": Array(#"{"type":"alias","actor":"x","name":"X","kind":"person"}"#.utf8)],
                 message: "$DIR/lost.jsonl: is a symbolic link to missing.jsonl, which does not exist") { try link($0 + "/lost.jsonl", to: "missing.jsonl") },
    SpecialInput("dangling fact file link in a directory", files: ["bad.txt": Array(goodText.utf8)],
                 message: "$DIR/bad.yaml: is a symbolic link to elsewhere/bad.yaml, which does not exist") { try link($0 + "/bad.yaml", to: "elsewhere/bad.yaml") },
    SpecialInput("dangling link named on the command line", arguments: ["ingest", "$DIR/lost.yaml"],
                 message: "$DIR/lost.yaml: is a symbolic link to gone.yaml, which does not exist") { try link($0 + "/lost.yaml", to: "gone.yaml") },
    SpecialInput("dangling article text link", files: factFileOnly,
                 message: "$DIR/bad.txt: is a symbolic link to missing.txt, which does not exist") { try link($0 + "/bad.txt", to: "missing.txt") },
    SpecialInput("fact file link that points at itself",
                 message: "$DIR/bad.yaml: is a symbolic link that leads back to itself (a loop of links)") { try link($0 + "/bad.yaml", to: "bad.yaml") },
]

/// Runs `arguments` against a store holding the good fact file, after `setUp` has made the
/// case's directory; checks one line, the status, nothing on standard output and an unchanged store.
private func expectRefusal(files: [String: [UInt8]], prepare: (String) throws -> Void, arguments: [String], message: String, status: Int32) throws {
    let directory = TemporaryDirectory()
    let store = directory.appending("store")
    let cli = CLI(store: store)
    let good = directory.appending("good")
    try FileManager.default.createDirectory(atPath: good, withIntermediateDirectories: true)
    try goodFactFile.write(toFile: good + "/good.yaml", atomically: true, encoding: .utf8)
    try goodText.write(toFile: good + "/good.txt", atomically: true, encoding: .utf8)
    #expect(cli.run("ingest", good).status == 0)

    let caseDirectory = directory.appending("case")
    try FileManager.default.createDirectory(atPath: caseDirectory, withIntermediateDirectories: true)
    for (name, bytes) in files {
        try Data(bytes).write(to: URL(fileURLWithPath: caseDirectory + "/" + name))
    }
    try prepare(caseDirectory)
    // Should a reader block on a named pipe after all, open its write end once: the blocked
    // open returns and the test fails instead of hanging the suite.
    let release = DispatchWorkItem {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: caseDirectory)) ?? [] {
            let descriptor = open(caseDirectory + "/" + name, O_WRONLY | O_NONBLOCK)
            if descriptor >= 0 { close(descriptor) }
        }
    }
    DispatchQueue.dedicated("release").asyncAfter(deadline: .now() + 60, execute: release)
    defer { release.cancel() }
    let before = dataFileBytes(store)
    let result = cli.run(arguments.map { $0.replacingOccurrences(of: "$DIR", with: caseDirectory) })
    #expect(result.error == "annals: " + message.replacingOccurrences(of: "$DIR", with: caseDirectory) + "\n")
    #expect(result.status == status)
    #expect(result.output == "")
    // Compared outside #expect: on a mismatch, #expect would diff two data files byte by byte.
    let unchanged = dataFileBytes(store) == before
    #expect(unchanged, "the store changed")
}

@Suite struct SpecialInputTests {
    @Test(arguments: specialInputs)
    func specialFileGetsOneClearLineAndChangesNothing(_ input: SpecialInput) throws {
        try expectRefusal(files: input.files, prepare: input.prepare, arguments: input.arguments, message: input.message, status: input.status)
    }

    /// `a -> .` and `b -> .` once made the walk visit 2^depth paths; each real directory is
    /// walked once, so the seed-like input is read once.
    @Test func linksBackToAWalkedDirectoryAreNotFollowedAgain() throws {
        let directory = TemporaryDirectory()
        let input = directory.appending("input")
        try FileManager.default.createDirectory(atPath: input + "/sub", withIntermediateDirectories: true)
        try goodFactFile.write(toFile: input + "/sub/good.yaml", atomically: true, encoding: .utf8)
        try goodText.write(toFile: input + "/sub/good.txt", atomically: true, encoding: .utf8)
        try link(input + "/a", to: ".")
        try link(input + "/b", to: ".")
        try link(input + "/sub/up", to: "..")
        try link(input + "/sub/again", to: input + "/sub")
        let cli = CLI(store: directory.appending("store"))
        let result = cli.run("ingest", input)
        #expect(result.error == "")
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("read 1 articles, 1 facts, 0 corrections, 0 retractions (370 B)\nappended 4 events at positions 1–4\n"))
    }
}
