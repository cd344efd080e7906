import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// An append-then-read-once byte buffer that stays in memory while small and moves to an
/// unlinked temporary file when it grows, so memory use stays bounded however large the input.
final class SpillBuffer {
    private let memoryLimit: Int
    /// How many bytes ``read(_:)`` hands over at a time from the file.
    private let readChunkSize: Int
    private var memory: [UInt8] = []
    private var file: FileDescriptor?
    private var written = 0

    init(memoryLimit: Int = 64 << 20, readChunkSize: Int = 4 << 20) {
        self.memoryLimit = memoryLimit
        self.readChunkSize = readChunkSize
    }

    var isEmpty: Bool { written == 0 && memory.isEmpty }

    /// Appends `count` bytes that `write` fills in place, so that a caller laying out many
    /// small items makes no array of each.
    func append(count: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) throws {
        let start = memory.count
        // Zeroing is the one way to grow an array's count before it is written; it costs a
        // pass over bytes that are about to be written anyway, but no allocation.
        memory.append(contentsOf: repeatElement(0, count: count))
        memory.withUnsafeMutableBytes { write(UnsafeMutableRawBufferPointer(rebasing: $0[start..<start + count])) }
        if memory.count >= memoryLimit { try spill() }
    }

    private func spill() throws {
        let file = try self.file ?? SpillError.anonymousFile(label: "annals-staging")
        self.file = file
        let offset = written
        let result = memory.withUnsafeBytes { bytes in Result { () throws(Errno) in try file.write(bytes, at: offset) } }
        if case .failure(let error) = result { throw SpillError.cannotWrite(error) }
        written += memory.count
        memory.removeAll(keepingCapacity: true)
    }

    /// Reads everything back, in order, in chunks.
    func read(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let file {
            var chunk = [UInt8](repeating: 0, count: readChunkSize)
            var offset = 0
            while offset < written {
                let wanted = min(chunk.count, written - offset)
                let start = offset
                let read = chunk.withUnsafeMutableBytes { buffer in
                    Result { () throws(Errno) in try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]), at: start) }
                }
                let count = try SpillError.checkRead(read, expected: wanted)
                try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                offset += count
            }
        }
        try memory.withUnsafeBytes { try body($0) }
    }
}

enum SpillError: Error, CustomStringConvertible {
    case cannotCreate(String, Errno)
    case cannotWrite(Errno)
    case cannotRead(Errno)

    var description: String {
        switch self {
        case let .cannotCreate(directory, error): "cannot create a temporary file in \(directory): \(error)"
        case let .cannotWrite(error): "cannot write a temporary file: \(error)"
        case let .cannotRead(error): "cannot read a temporary file: \(error)"
        }
    }

    /// A new temporary file for spilled bytes, already unlinked: nothing to clean up if the
    /// process dies.
    static func anonymousFile(label: String) throws(SpillError) -> FileDescriptor {
        let directory = System.temporaryDirectory
        do throws(Errno) { return try FileSystem.makeAnonymousFile(label: label, in: directory) } catch {
            throw .cannotCreate(directory, error)
        }
    }

    /// The bytes a read of a temporary file returned, which must be all `expected`: the file
    /// was written whole before, so a short read means the device lost it.
    static func checkRead(_ read: Result<Int, Errno>, expected: Int) throws(SpillError) -> Int {
        switch read {
        case .success(let count) where count == expected: count
        case .success: throw .cannotRead(.inputOutput)
        case .failure(let error): throw .cannotRead(error)
        }
    }
}
