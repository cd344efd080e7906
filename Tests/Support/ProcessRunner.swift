import Foundation

/// The outcome of a child process run to completion.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
    /// Whether the process was killed by a signal rather than exiting.
    public let wasSignalled: Bool
}

/// Runs `executable` with `arguments` and waits for it, capturing both output streams.
///
/// A child still running after `timeout` seconds is killed, so a hung child fails its test
/// instead of stalling the suite.
public func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    standardInput: String? = nil, timeout: Double = 300
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
    try input.fileHandleForWriting.close()
    // Drain both pipes at once so a chatty child cannot block on a full pipe.
    let errorOutput = DataBox()
    let group = DispatchGroup()
    DispatchQueue.dedicated("standard error").async(group: group) { errorOutput.data = err.fileHandleForReading.readDataToEndOfFile() }
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.dedicated("watchdog").asyncAfter(deadline: .now() + timeout, execute: watchdog)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    watchdog.cancel()
    let errData = errorOutput.data
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outData, as: UTF8.self),
        standardError: String(decoding: errData, as: UTF8.self),
        wasSignalled: process.terminationReason == .uncaughtSignal)
}

/// Written by one thread before `DispatchGroup.wait` returns on another, which orders the accesses.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// The system Python, which has Debian's `python3-lmdb`; a `python3` earlier on `PATH` may not.
public let systemPython = "/usr/bin/python3"

/// A child process that runs alongside a test until ``finish()`` closes its standard input.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Starts `executable` and waits until it prints a line equal to `readyLine`.
    public init(_ executable: String, _ arguments: [String], readyLine: String = "ready") throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        let reader = output.fileHandleForReading
        while true {
            let byte = reader.readData(ofLength: 1)
            guard let first = byte.first else { throw BackgroundProcessError.exitedBeforeReady(readyLine) }
            if first == UInt8(ascii: "\n") {
                if String(decoding: line, as: UTF8.self) == readyLine { return }
                line.removeAll()
            } else {
                line.append(first)
            }
        }
    }

    /// Closes the child's standard input and waits for it to exit; returns its exit status.
    @discardableResult
    public func finish() throws -> Int32 {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

public enum BackgroundProcessError: Error {
    case exitedBeforeReady(String)
}

/// The path of an executable built beside the test bundle (`annals`, `annals-harness`).
public func builtExecutable(_ name: String) -> String {
    let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
    // On Linux the test binary is `<build dir>/<Package>PackageTests.xctest`; elsewhere it may
    // be nested in a bundle. Walk up until the executable is found.
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    return name
}

/// The repository's root directory, found from this source file's location.
public let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
