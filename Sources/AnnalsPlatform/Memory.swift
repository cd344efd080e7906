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
