/// Bytes written one piece after another into one owned buffer: appending checks only the
/// capacity, with no array's uniqueness and bounds checks on the way, since an export or a
/// rendered table appends thousands of small pieces. ``JSONWriter`` writes through one.
public struct ByteWriter: ~Copyable {
    @usableFromInline var storage: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var written = 0

    /// The number of bytes written so far.
    public var count: Int { written }

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        storage = .allocate(byteCount: self.capacity, alignment: 1)
    }

    deinit { storage.deallocate() }

    /// The bytes written so far, in place.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage, count: count))
    }

    /// The bytes written from `start` on, in place: valid until the next write.
    public func bytes(from start: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + min(max(start, 0), count), count: count - min(max(start, 0), count))
    }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// Forgets what was written, keeping the buffer's capacity.
    public mutating func reset() { written = 0 }

    /// Drops what was written after the first `count` bytes.
    public mutating func truncate(to count: Int) { written = min(written, max(count, 0)) }

    /// Hands out the bytes written and starts empty.
    public mutating func take() -> [UInt8] {
        defer { written = 0 }
        return bytes
    }

    @inlinable @inline(__always)
    mutating func reserve(_ extra: Int) {
        if written + extra > capacity { grow(to: written + extra) }
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let larger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 1)
        larger.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = larger
        capacity = newCapacity
    }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        storage.storeBytes(of: byte, toByteOffset: written, as: UInt8.self)
        written += 1
    }

    @inlinable @inline(__always)
    public mutating func append(_ piece: UnsafeRawBufferPointer) {
        guard let base = piece.baseAddress, piece.count > 0 else { return }
        reserve(piece.count)
        (storage + written).copyMemory(from: base, byteCount: piece.count)
        written += piece.count
    }

    @inlinable @inline(__always)
    public mutating func append(_ piece: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(piece)) }

    /// Text written in the code.
    @inlinable @inline(__always)
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// `count` copies of `byte` (padding).
    @inlinable
    public mutating func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        (storage + written).initializeMemory(as: UInt8.self, repeating: byte, count: repeats)
        written += repeats
    }

    /// An unsigned integer in decimal, written without a String in between.
    public mutating func integer(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Twenty digits hold any UInt64; they are made from the right, in a scratch buffer.
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { digits in
            var value = value
            var index = digits.count
            while value > 0 {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            append(UnsafeRawBufferPointer(rebasing: digits[index...]))
        }
    }

    /// A signed integer in decimal.
    public mutating func integer(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        integer(value.magnitude)
    }

    /// An integer in decimal with leading zeros to `width` digits (dates, times); a negative
    /// one has its sign before the zeros.
    public mutating func paddedInteger(_ value: Int, width: Int) {
        // Months, days, hours, minutes and seconds: two digits, written at once.
        if width == 2 && value >= 0 && value < 100 {
            reserve(2)
            storage.storeBytes(of: UInt8(ascii: "0") + UInt8(value / 10), toByteOffset: written, as: UInt8.self)
            storage.storeBytes(of: UInt8(ascii: "0") + UInt8(value % 10), toByteOffset: written + 1, as: UInt8.self)
            written += 2
            return
        }
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        append(repeating: UInt8(ascii: "0"), count: width - digits)
        integer(UInt64(value.magnitude))
    }
}
