import AnnalsPlatform
import AnnalsTestSupport
import Foundation
import Testing

@Suite struct BufferedOutputTests {
    @Test func writesEverythingInOrderAcrossItsCapacity() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("out.txt")
        var output = BufferedOutput(try FileDescriptor.create(path), capacity: 7)
        var expected = ""
        for index in 0..<100 {
            output.write("line \(index)\n")
            expected += "line \(index)\n"
        }
        #expect(output.count == expected.utf8.count)
        try output.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
    }

    @Test func aFailedWriteIsThrownByFlush() throws {
        // Every write to /dev/full fails with ENOSPC; the output holds on to the first failure.
        var output = BufferedOutput(try FileDescriptor.create("/dev/full"), capacity: 4)
        output.write("more than four bytes")
        output.write("and more")
        #expect(throws: Errno.noSpace) { try output.flush() }
    }

    @Test func nothingBufferedMeansNothingToThrow() throws {
        var output = BufferedOutput(try FileDescriptor.create("/dev/full"))
        try output.flush()
        #expect(output.count == 0)
    }
}

@Suite struct FileSystemTests {
    @Test func aSymbolicLinkGivesItsDestinationAsWritten() throws {
        let directory = TemporaryDirectory()
        let link = directory.appending("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../somewhere/missing")
        #expect(try FileSystem.destinationOfSymbolicLink(link) == "../somewhere/missing")
        #expect(try FileSystem.status(link, followingLinks: false).kind == .symbolicLink)
        #expect(throws: Errno.noSuchFile) { try FileSystem.status(link) }
    }

    @Test func aFileThatIsNoLinkHasNoDestination() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("plain")
        try "x".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: Errno.invalidArgument) { try FileSystem.destinationOfSymbolicLink(path) }
    }

    @Test func aSparseFileOccupiesLessThanItsSize() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("sparse")
        let file = try FileDescriptor.create(path)
        let byte: [UInt8] = [1]
        try byte.withUnsafeBytes { try file.write($0, at: 64 << 20) }
        let status = try file.status()
        #expect(status.size == (64 << 20) + 1)
        #expect(status.allocatedBytes > 0)
        #expect(status.allocatedBytes < 1 << 20)
    }
}
