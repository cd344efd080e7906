import AnnalsTestSupport
import Testing

/// The reliability harnesses of tools/, in short runs: each is a separate program that kills,
/// races or damages real stores and reports what it found.
@Suite(.serialized, .timeLimit(.minutes(8))) struct HarnessTests {
    let harness = builtExecutable("annals-harness")

    @Test func crashedIngestsRebuildsAndCatchUpsLoseNothing() throws {
        let result = try runProcess(harness, ["crash", "--trials", "25"], timeout: 600)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains(", lost: 0, partial batches visible: 0\n"), "\(result.standardOutput)")
        #expect(result.standardOutput.hasSuffix("all checks passed\n"), "\(result.standardOutput)")
    }

    @Test func writersAndReadersInSeparateProcessesAgree() throws {
        let result = try runProcess(harness, ["concurrency", "--seconds", "3"], timeout: 300)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("1 reader killed, "), "\(result.standardOutput)")
        #expect(result.standardOutput.hasSuffix("all checks passed\n"), "\(result.standardOutput)")
    }

    @Test func flippedBytesAreReportedOrHarmless() throws {
        let result = try runProcess(harness, ["corruption", "--flips", "150"], timeout: 600)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains(", 0 undetected\n"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains(", undetected 0\n"), "\(result.standardOutput)")
    }
}
