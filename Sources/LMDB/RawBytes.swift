/// A value that can lend its bytes to LMDB as a key or a value without being copied.
///
/// Conformances are provided for byte arrays and slices, raw buffers, strings (their UTF-8)
/// and fixed-width unsigned integers (big-endian, so that keys sort in numeric order).
public protocol RawBytes {
    /// Calls `body` with the bytes of this value; the buffer is valid only inside `body`.
    func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R
}

extension UnsafeRawBufferPointer: RawBytes {
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(self)
    }
}

extension UnsafeMutableRawBufferPointer: RawBytes {
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(self))
    }
}

extension Array: RawBytes where Element == UInt8 {
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // `withUnsafeBytes` is rethrows, not typed; route the typed error through a Result.
        let result: Result<R, E> = withUnsafeBytes { bytes in
            do throws(E) { return .success(try body(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension ArraySlice: RawBytes where Element == UInt8 {
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { bytes in
            do throws(E) { return .success(try body(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension String: RawBytes {
    /// The UTF-8 bytes of the string, without a terminating NUL.
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = self  // `withUTF8` needs a mutable value; native strings are not copied.
        let result: Result<R, E> = copy.withUTF8 { utf8 in
            do throws(E) { return .success(try body(UnsafeRawBufferPointer(utf8))) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension Substring: RawBytes {
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = self
        let result: Result<R, E> = copy.withUTF8 { utf8 in
            do throws(E) { return .success(try body(UnsafeRawBufferPointer(utf8))) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension UInt64: RawBytes {
    /// The eight big-endian bytes of the integer, so that keys sort in numeric order.
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var bigEndian = self.bigEndian
        return try Swift.withUnsafeBytes(of: &bigEndian) { bytes throws(E) in try body(bytes) }
    }
}

extension UInt32: RawBytes {
    /// The four big-endian bytes of the integer, so that keys sort in numeric order.
    @inlinable
    public func withRawBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var bigEndian = self.bigEndian
        return try Swift.withUnsafeBytes(of: &bigEndian) { bytes throws(E) in try body(bytes) }
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a big-endian `UInt64` from the first eight bytes, or `nil` when there are fewer.
    @inlinable
    public var bigEndianUInt64: UInt64? {
        guard count >= 8 else { return nil }
        return UInt64(bigEndian: loadUnaligned(as: UInt64.self))
    }
}
