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
        Self.copy(piece.count, from: base, to: storage + written)
        written += piece.count
    }

    /// Copies `count` bytes from `source` to `target` (which do not overlap). Ids, units, cells
    /// and the like, mostly under 17 bytes: two overlapping words instead of a call to memmove,
    /// both loaded before either is stored.
    @inlinable @inline(__always)
    public static func copy(_ count: Int, from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        if count >= 8 && count <= 16 {
            let (head, tail) = (source.loadUnaligned(as: UInt64.self), source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            let (head, tail) = (source.loadUnaligned(as: UInt32.self), source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        } else if count > 0 {
            target.copyMemory(from: source, byteCount: count)
        }
    }

    @inlinable @inline(__always)
    public mutating func append(_ piece: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(piece)) }

    /// Text written in the code.
    @inlinable @inline(__always)
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Appends `count` bytes that `fill` writes in place (it must write all of them).
    @inlinable
    public mutating func appendFilling(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        guard count > 0 else { return }
        reserve(count)
        fill(UnsafeMutableRawBufferPointer(start: storage + written, count: count))
        written += count
    }

    /// `count` copies of `byte` (padding).
    @inlinable
    public mutating func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        let target = storage + written
        if repeats >= 8 && repeats <= 16 {
            // A table's padding: two overlapping words instead of a call to memset.
            let word = UInt64(byte) &* 0x0101_0101_0101_0101
            target.storeBytes(of: word, as: UInt64.self)
            target.storeBytes(of: word, toByteOffset: repeats - 8, as: UInt64.self)
        } else if repeats < 8 {
            for offset in 0..<repeats { target.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self) }
        } else {
            target.initializeMemory(as: UInt8.self, repeating: byte, count: repeats)
        }
        written += repeats
    }

    /// An unsigned integer in decimal, written without a String in between.
    public mutating func integer(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // The digits are counted first, then made from the right in place.
        var digits = 1
        var bound: UInt64 = 10
        while digits < 20 && value >= bound {
            digits += 1
            bound &*= 10
        }
        appendDigits(value, count: digits)
    }

    /// The last `count` decimal digits of `value`, zeros in front where it has fewer: made two
    /// at a time from the right, in place.
    private mutating func appendDigits(_ value: UInt64, count: Int) {
        reserve(count)
        var rest = value
        var index = written + count
        while index - written >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100)
            rest /= 100
            index -= 2
            storeDigitPair(pair, at: index)
        }
        if index > written {
            storage.storeBytes(of: UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10), toByteOffset: index - 1, as: UInt8.self)
        }
        written += count
    }

    /// `data` in lowercase hexadecimal, two digits a byte, each pair looked up whole.
    public mutating func appendHexadecimal(_ data: UnsafeRawBufferPointer) {
        reserve(2 * data.count)
        let pairs = UnsafeRawPointer(Self.hexadecimalPairs.utf8Start)
        for (index, byte) in data.enumerated() {
            storage.storeBytes(of: pairs.loadUnaligned(fromByteOffset: 2 * Int(byte), as: UInt16.self), toByteOffset: written + 2 * index, as: UInt16.self)
        }
        written += 2 * data.count
    }

    /// `00`, `01` … `ff`, one after another.
    private static let hexadecimalPairs: StaticString = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

    /// `00`, `01` … `99`, one after another.
    @usableFromInline static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// A signed integer in decimal.
    public mutating func integer(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        integer(value.magnitude)
    }

    /// An integer in decimal with leading zeros to `width` digits (dates, times); a negative
    /// one has its sign before the zeros.
    @inlinable
    public mutating func paddedInteger(_ value: Int, width: Int) {
        // Months, days, hours, minutes and seconds, and years: one or two pairs of digits.
        if width == 2 && value >= 0 && value < 100 {
            reserve(2)
            storeDigitPair(value, at: written)
            written += 2
        } else if width == 4 && value >= 0 && value < 10_000 {
            reserve(4)
            storeDigitPair(value / 100, at: written)
            storeDigitPair(value % 100, at: written + 2)
            written += 4
        } else {
            anyPaddedInteger(value, width: width)
        }
    }

    /// The two digits of `pair` (below 100) at byte `offset`, looked up whole.
    @inlinable @inline(__always)
    mutating func storeDigitPair(_ pair: Int, at offset: Int) {
        let pairs = UnsafeRawPointer(Self.digitPairs.utf8Start)
        storage.storeBytes(of: pairs.loadUnaligned(fromByteOffset: 2 * pair, as: UInt16.self), toByteOffset: offset, as: UInt16.self)
    }

    @usableFromInline
    mutating func anyPaddedInteger(_ value: Int, width: Int) {
        // As many digits as the width, in place.
        if value >= 0 && width > 0 && width <= 18 {
            var limit = 10
            for _ in 1..<width { limit &*= 10 }
            if value < limit {
                appendDigits(UInt64(value), count: width)
                return
            }
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
