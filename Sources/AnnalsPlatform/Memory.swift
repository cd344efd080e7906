import CAllocator
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte comparisons and searches done by the C library's vectorised routines. Inlinable: they
/// sit on the hottest paths (index keys, quote search), where a call through a module boundary
/// would cost more than the work.
public enum Memory {
    /// Whether the `count` bytes at `a` equal those at `b`.
    @inlinable
    public static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    /// The first of the `count` bytes at `start` that equals `byte`, or `nil`.
    @inlinable
    public static func first(_ byte: UInt8, in start: UnsafeRawPointer, count: Int) -> UnsafeRawPointer? {
        UnsafeRawPointer(memchr(start, Int32(byte), count))
    }
}

extension Memory {
    /// Has the C library's allocator keep freed memory for the process's next allocations
    /// instead of handing it back to the kernel at each `free`: blocks up to 4 MiB come from the
    /// heap rather than their own mappings, and up to 16 MiB of freed heap stays mapped.
    ///
    /// Without it a query that builds a few hundred KiB of output (a table of a thousand groups)
    /// gets fresh pages from the kernel every time it runs — one page fault per 4 KiB, about a
    /// quarter of a 1,000-group `projection show` in a long-running process such as `annals
    /// serve` or the benchmarks. A process setting, so the executable makes it, never a library.
    /// Returns whether the allocator has such settings (glibc does).
    @discardableResult
    public static func keepFreedHeapForReuse() -> Bool {
        annals_keep_freed_heap(4 << 20, 16 << 20) != 0
    }
}
