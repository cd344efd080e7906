import AnnalsDomain
import AnnalsTimelineProjections

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-then-read-once byte buffer that stays in memory while small and moves to an
/// unlinked temporary file when it grows, so memory use stays bounded however large the input.
final class SpillBuffer {
    private let memoryLimit: Int
    private var memory: [UInt8] = []
    private var file: Int32 = -1
    private var written = 0

    init(memoryLimit: Int = 64 << 20) { self.memoryLimit = memoryLimit }

    deinit { if file >= 0 { close(file) } }

    var isEmpty: Bool { written == 0 && memory.isEmpty }

    func append(_ bytes: [UInt8]) throws {
        memory.append(contentsOf: bytes)
        if memory.count >= memoryLimit { try spill() }
    }

    private func spill() throws {
        if file < 0 {
            let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array("\(directory)/annals-staging.XXXXXX".utf8CString)
            file = template.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return -1 }
                return mkstemp(base)
            }
            guard file >= 0 else { throw SpillError.cannotCreate(directory, errno) }
            template.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress { unlink(base) }  // nothing to clean up if the process dies
            }
        }
        try memory.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                guard let base = bytes.baseAddress else { return }
                let count = pwrite(file, base + offset, bytes.count - offset, off_t(written + offset))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw SpillError.cannotWrite(errno) }
                offset += count
            }
        }
        written += memory.count
        memory.removeAll(keepingCapacity: true)
    }

    /// Reads everything back, in order, in chunks.
    func read(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if file >= 0 {
            var chunk = [UInt8](repeating: 0, count: 4 << 20)
            var offset = 0
            while offset < written {
                let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return -1 }
                    return pread(file, base, min(buffer.count, written - offset), off_t(offset))
                }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw SpillError.cannotRead(errno) }
                try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                offset += count
            }
        }
        try memory.withUnsafeBytes { try body($0) }
    }
}

enum SpillError: Error, CustomStringConvertible {
    case cannotCreate(String, Int32)
    case cannotWrite(Int32)
    case cannotRead(Int32)

    var description: String {
        switch self {
        case let .cannotCreate(directory, code): "cannot create a temporary file in \(directory): \(String(cString: strerror(code)))"
        case let .cannotWrite(code): "cannot write a temporary file: \(String(cString: strerror(code)))"
        case let .cannotRead(code): "cannot read a temporary file: \(String(cString: strerror(code)))"
        }
    }
}
