/// Writes event payloads in Annals' compact binary encoding: unsigned LEB128 varints for
/// lengths and counts, zig-zag varints for signed numbers, length-prefixed UTF-8 strings.
/// The encoding of a value is deterministic, so equal records have equal bytes — which is how
/// re-ingesting the same input is recognised as unchanged.
package struct PayloadWriter {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Forgets what was written, keeping the storage for the next payload.
    package mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    package mutating func byte(_ value: UInt8) { bytes.append(value) }

    package mutating func varint(_ value: UInt64) {
        Self.varintBytes(value) { bytes.append($0) }
    }

    /// Gives the bytes of `value` as an unsigned LEB128 varint, in order: seven bits each, the
    /// lowest first, the high bit set on every byte but the last. The one description of the
    /// varint layout; writers into other buffers use it too.
    @inlinable @inline(__always)
    package static func varintBytes(_ value: UInt64, _ emit: (UInt8) -> Void) {
        var value = value
        while value >= 0x80 {
            emit(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        emit(UInt8(value))
    }

    /// Writes `value` as a varint at `offset` of `buffer`, which must have room for
    /// ``varintCount(_:)`` bytes there, and moves `offset` past it.
    @inlinable
    package static func varint(_ value: UInt64, into buffer: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        varintBytes(value) { byte in
            buffer[offset] = byte
            offset += 1
        }
    }

    /// How many bytes ``varintBytes(_:_:)`` gives for `value`: one per seven significant bits, at least one.
    @inlinable
    package static func varintCount(_ value: UInt64) -> Int {
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    package mutating func signed(_ value: Int64) {
        varint(Self.zigZag(value))
    }

    /// `value` as the unsigned number a signed varint stores: zig-zag, so that numbers near
    /// zero, either side, take few bytes.
    package static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    package mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// A string given as its UTF-8, length-prefixed as ``string(_:)`` writes it.
    package mutating func string(utf8: UnsafeRawBufferPointer) {
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    package mutating func optionalString(_ text: String?) {
        if let text {
            byte(1)
            string(text)
        } else {
            byte(0)
        }
    }

    package mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    package mutating func raw(_ data: UnsafeRawBufferPointer) { bytes.append(contentsOf: data) }

    mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }
}

/// Reads what ``PayloadWriter`` wrote, checking every length against the bytes that remain, so
/// a damaged or hostile payload produces an error, never a crash or an endless loop.
@usableFromInline package struct PayloadReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    /// How far the reader has read.
    @usableFromInline package var offset = 0

    @inlinable @usableFromInline package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    @inlinable @inline(__always) @usableFromInline package mutating func byte() throws(PayloadError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Inlined where rows and index values are read, since most varints there (position
    /// deltas, lengths, counts) fit in one byte.
    @inlinable @inline(__always) @usableFromInline package mutating func varint() throws(PayloadError) -> UInt64 {
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        return try multiByteVarint()
    }

    @inlinable mutating func multiByteVarint() throws(PayloadError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64, shift < 63 || next <= 1 else { throw .malformed("a varint overflows 64 bits") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// The bytes read since offset `start`, in place.
    @inlinable @usableFromInline package func bytesRead(since start: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// Steps over `count` varints, checking only that they end within the payload: for values
    /// a reader may never ask for, checked in full by whatever reads them.
    @inlinable @usableFromInline package mutating func skipVarints(_ count: Int) throws(PayloadError) {
        var left = count
        var index = offset
        // Eight bytes at a time: a varint ends at each byte whose high bit is clear. A group's
        // totals are nine varints in some fifteen bytes, skipped for every unit of every group.
        while left > 0 && bytes.count - index >= 8, let base = bytes.baseAddress {
            var ends = ~base.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian & 0x8080_8080_8080_8080
            let found = ends.nonzeroBitCount
            if found < left {
                left -= found
                index += 8
                continue
            }
            // The last varint ends in this word: at its `left`th end.
            for _ in 1..<left { ends &= ends &- 1 }
            offset = index + ends.trailingZeroBitCount / 8 + 1
            return
        }
        while left > 0 {
            guard index < bytes.count else { throw .truncated }
            if bytes[index] < 0x80 { left -= 1 }
            index += 1
        }
        offset = index
    }

    @inlinable @inline(__always) @usableFromInline package mutating func signed() throws(PayloadError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inlinable @inline(__always) @usableFromInline package mutating func count(limit: Int = 1 << 20) throws(PayloadError) -> Int {
        let value = try varint()
        guard value <= UInt64(limit), value <= UInt64(bytes.count - offset) else { throw Self.excessiveCount(value) }
        return Int(value)
    }

    /// The error of a count too large, made out of line so that ``count(limit:)``, read for
    /// every list in every group and row, inlines to a few instructions.
    @usableFromInline @inline(never) static func excessiveCount(_ value: UInt64) -> PayloadError {
        .malformed("a count of \(value) exceeds the payload")
    }

    /// A number of things kept elsewhere (not elements that follow in this payload), at most
    /// `maximum`.
    mutating func tally(atMost maximum: UInt64) throws(PayloadError) -> Int {
        let value = try varint()
        guard value <= maximum, value <= UInt64(Int.max) else { throw .malformed("a count of \(value) where at most \(maximum) can be") }
        return Int(value)
    }

    package mutating func string() throws(PayloadError) -> String {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw .truncated }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
        offset += Int(length)
        // Payloads were written from Swift strings and are covered by the log's hash chain;
        // decoding repairs (never trusts) a damaged byte, so no separate validation pass.
        return String(decoding: slice, as: UTF8.self)
    }

    /// A string's UTF-8, in place.
    @inlinable @inline(__always) @usableFromInline package mutating func stringBytes() throws(PayloadError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw .truncated }
        defer { offset += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
    }

    /// An optional string's UTF-8, in place.
    mutating func optionalStringBytes() throws(PayloadError) -> UnsafeRawBufferPointer? {
        switch try byte() {
        case 0: return nil
        case 1: return try stringBytes()
        case let flag: throw .malformed("presence flag \(flag)")
        }
    }

    /// Steps over a vocabulary word.
    mutating func skipWord() throws(PayloadError) { _ = try stringBytes() }

    /// A string compared in place against `candidates`' UTF-8 bytes: the index of the match.
    mutating func word(matching candidates: [[UInt8]]) throws(PayloadError) -> Int? {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw .truncated }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
        offset += Int(length)
        // Byte by byte through pointers: the generic `elementsEqual` cost more than the rest of
        // a fact's in-place reading, and words are a few bytes long.
        return candidates.firstIndex { candidate in
            candidate.count == slice.count && candidate.withUnsafeBufferPointer { candidate in
                var index = 0
                while index < slice.count, candidate[index] == slice[index] { index += 1 }
                return index == slice.count
            }
        }
    }

    package mutating func optionalString() throws(PayloadError) -> String? {
        switch try byte() {
        case 0: return nil
        case 1: return try string()
        case let flag: throw .malformed("presence flag \(flag)")
        }
    }

    mutating func bool() throws(PayloadError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let flag: throw .malformed("boolean \(flag)")
        }
    }

    package mutating func raw(_ count: Int) throws(PayloadError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw .truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    package func finish() throws(PayloadError) {
        guard isAtEnd else { throw .malformed("\(bytes.count - offset) bytes left over") }
    }
}

/// A payload that does not decode as its event type and schema version say it should.
public enum PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated
    case malformed(String)
    case unsupportedSchema(type: String, version: UInt32)

    public var description: String {
        switch self {
        case .truncated: "the payload ends too early"
        case .malformed(let reason): "the payload is malformed: \(reason)"
        case let .unsupportedSchema(type, version): "\(type) schema version \(version) is newer than this annals understands"
        }
    }
}
