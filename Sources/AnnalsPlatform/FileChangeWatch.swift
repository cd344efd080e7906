#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for a file to be written by any process, without polling it: Linux's inotify reports
/// each write. Where inotify is not available (another system, or the limit on watches is
/// reached), ``wait(milliseconds:)`` simply sleeps, so a caller that reads after each wait
/// still sees every change, at worst a timeout late. One waiter at a time: its state is only the
/// descriptor, which ``wait(milliseconds:)`` drains.
public final class FileChangeWatch: @unchecked Sendable {
    private let descriptor: Int32

    /// Watches `path` for writes and for being closed after writing.
    public init(path: String) {
        #if os(Linux)
        let descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        if descriptor >= 0, inotify_add_watch(descriptor, path, UInt32(IN_MODIFY | IN_CLOSE_WRITE)) < 0 {
            close(descriptor)
            self.descriptor = -1
        } else {
            self.descriptor = descriptor
        }
        #else
        descriptor = -1
        #endif
    }

    /// Whether the file is watched; `false` means waits are plain sleeps.
    public var isWatching: Bool { descriptor >= 0 }

    /// Returns when the file has been written since the last wait, or after `milliseconds`,
    /// whichever comes first.
    public func wait(milliseconds: Int32) {
        guard descriptor >= 0 else {
            usleep(useconds_t(milliseconds) * 1_000)
            return
        }
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&request, 1, milliseconds)
        guard ready > 0 else { return }
        // Drain the notices: one read after this wait covers every write they report.
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
