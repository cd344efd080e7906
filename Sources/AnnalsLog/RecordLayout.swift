/// The byte layout of one log record (format version 1). `docs/FORMAT.md` is the reference;
/// keep the two in step.
///
/// ```
/// offset size  field
///      0   32  chain hash: SHA-256(previous record's chain hash ‖ bytes 32..<end of this record)
///     32    8  position, UInt64 little-endian (equal to the record's key)
///     40    8  recorded-at, Int64 little-endian, microseconds since 1970-01-01T00:00:00Z
///     48    4  schema version, UInt32 little-endian
///     52    4  payload length, UInt32 little-endian
///     56    1  id length (1...255)
///     57    1  type length (1...255)
///     58    1  source length (0...255)
///     59    1  correlation id length (0...255)
///     60    1  causation id length (0...255)
///     61    3  reserved, zero
///     64       id, type, source, correlation id, causation id (UTF-8, back to back), then the payload
/// ```
///
/// Fixed offsets let replay read any field in place without parsing the ones before it.
enum RecordLayout {
    static let hashSize = 32
    static let positionOffset = 32
    static let recordedAtOffset = 40
    static let schemaVersionOffset = 48
    static let payloadLengthOffset = 52
    static let idLengthOffset = 56
    static let typeLengthOffset = 57
    static let sourceLengthOffset = 58
    static let correlationLengthOffset = 59
    static let causationLengthOffset = 60
    static let reservedOffset = 61
    static let headerSize = 64
    static let maximumFieldLength = 255

    /// The record size for `event`; the event must have passed validation.
    @inline(__always)
    static func size(of event: BorrowedEvent) -> Int {
        headerSize + event.id.count + event.type.count + event.source.count + event.correlationID.count + event.causationID.count
            + event.payload.count
    }

    /// Writes `event` into `buffer` (exactly ``size(of:)`` bytes), all but the chain hash.
    @inline(__always)
    static func encode(_ event: BorrowedEvent, position: UInt64, recordedAt: Timestamp, into buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: position.littleEndian, toByteOffset: positionOffset, as: UInt64.self)
        buffer.storeBytes(of: recordedAt.microsecondsSinceEpoch.littleEndian, toByteOffset: recordedAtOffset, as: Int64.self)
        buffer.storeBytes(of: event.schemaVersion.littleEndian, toByteOffset: schemaVersionOffset, as: UInt32.self)
        buffer.storeBytes(of: UInt32(event.payload.count).littleEndian, toByteOffset: payloadLengthOffset, as: UInt32.self)
        buffer[reservedOffset] = 0
        buffer[reservedOffset + 1] = 0
        buffer[reservedOffset + 2] = 0
        var offset = headerSize
        offset = put(event.id, lengthAt: idLengthOffset, into: buffer, at: offset)
        offset = put(event.type, lengthAt: typeLengthOffset, into: buffer, at: offset)
        offset = put(event.source, lengthAt: sourceLengthOffset, into: buffer, at: offset)
        offset = put(event.correlationID, lengthAt: correlationLengthOffset, into: buffer, at: offset)
        offset = put(event.causationID, lengthAt: causationLengthOffset, into: buffer, at: offset)
        UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + event.payload.count]).copyMemory(from: event.payload)
    }

    @inline(__always)
    private static func put(_ text: UnsafeRawBufferPointer, lengthAt lengthOffset: Int, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        buffer[lengthOffset] = UInt8(text.count)
        UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + text.count]).copyMemory(from: text)
        return offset + text.count
    }

    /// Computes the record's chain hash from its predecessor's, stores it in the first 32
    /// bytes, and returns it.
    @inline(__always)
    static func seal(_ buffer: UnsafeMutableRawBufferPointer, after previous: ChainHash) -> ChainHash {
        // The hash field is the one place the predecessor's hash can sit right before the body,
        // so the whole input is contiguous and hashes in one pass.
        previous.store(into: buffer)
        let hash = ChainHash(digestOf: UnsafeRawBufferPointer(buffer))
        hash.store(into: buffer)
        return hash
    }

    /// Why `record` cannot be a well-formed record at `expectedPosition`, or `nil` when it can.
    /// Checks only structure (sizes, lengths, reserved bytes, position), never the hash.
    static func structuralProblem(_ record: UnsafeRawBufferPointer, expectedPosition: UInt64) -> String? {
        guard record.count >= headerSize else {
            return "the record is \(record.count) bytes, shorter than the \(headerSize)-byte header"
        }
        let position = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: positionOffset, as: UInt64.self))
        guard position == expectedPosition else {
            return "the record says it is at position \(position)"
        }
        let idLength = Int(record[idLengthOffset])
        let typeLength = Int(record[typeLengthOffset])
        guard idLength > 0 else { return "the record has an empty id" }
        guard typeLength > 0 else { return "the record has an empty type" }
        guard record[reservedOffset] == 0, record[reservedOffset + 1] == 0, record[reservedOffset + 2] == 0 else {
            return "the record's reserved header bytes are not zero"
        }
        let payloadLength = Int(UInt32(littleEndian: record.loadUnaligned(fromByteOffset: payloadLengthOffset, as: UInt32.self)))
        let expectedSize = headerSize + idLength + typeLength + Int(record[sourceLengthOffset])
            + Int(record[correlationLengthOffset]) + Int(record[causationLengthOffset]) + payloadLength
        guard expectedSize == record.count else {
            return "the record's field lengths add up to \(expectedSize) bytes, but it holds \(record.count)"
        }
        return nil
    }
}

/// An event laid out ahead of its append exactly as the log will record it (``RecordLayout``),
/// its position, recorded-at time and chain hash left zero: how a writer that holds many events
/// before appending them (an ingest staging its whole input) keeps each in one run of bytes,
/// encoded by the code that encodes records, and lends it back to
/// ``EventLog/append(borrowing:expectingHead:)`` without decoding anything.
public enum StagedRecord {
    /// The bytes ``write(_:into:)`` lays `event` out in; `event` must be valid
    /// (``EventLog/problem(with:)`` is `nil`).
    public static func size(of event: BorrowedEvent) -> Int { RecordLayout.size(of: event) }

    /// Lays `event` out in `buffer`, exactly ``size(of:)`` bytes.
    public static func write(_ event: BorrowedEvent, into buffer: UnsafeMutableRawBufferPointer) {
        RecordLayout.encode(event, position: 0, recordedAt: Timestamp(microsecondsSinceEpoch: 0), into: buffer)
        ChainHash.genesis.store(into: buffer)
    }

    /// The event in `bytes`, which ``write(_:into:)`` wrote, lent in place. The layout is
    /// checked first (staged bytes may have been to a temporary file and back), so damaged
    /// bytes throw ``EventLogError/corruptRecord(position:reason:)`` rather than let a field
    /// be read outside them.
    public static func read(_ bytes: UnsafeRawBufferPointer) throws(EventLogError) -> BorrowedEvent {
        try EventView(record: bytes, key: 0).borrowed
    }
}

/// A SHA-256 chain hash, held inline (no allocation).
public struct ChainHash: Sendable, Hashable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The hash that precedes the first record: 32 zero bytes.
    public static let genesis = ChainHash(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Reads a hash from the first 32 bytes of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        words = (
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
    }

    /// SHA-256 of `previous` followed by `body`.
    @inline(__always)
    public static func of(_ body: UnsafeRawBufferPointer, after previous: ChainHash) -> ChainHash {
        previous.withBytes { previous in ChainHash(digestOf: previous, then: body) }
    }

    /// The SHA-256 digest of `first` followed by `second`, hashed straight into the words.
    @inline(__always)
    init(digestOf first: UnsafeRawBufferPointer, then second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) {
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { SHA256Hash.hash(first, then: second, into: $0) }
    }

    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = words
        return try Swift.withUnsafeBytes(of: &copy) { try body($0) }
    }

    func store(into buffer: UnsafeMutableRawBufferPointer) {
        withBytes { buffer.copyMemory(from: $0) }
    }

    public static func == (lhs: ChainHash, rhs: ChainHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The hash written as 64 hexadecimal digits (either case); `nil` for anything else.
    public init?(hexadecimal text: some StringProtocol) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for character in text.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
            if bytes.count > 32 { return nil }
        }
        guard bytes.count == 32, high == nil else { return nil }
        self = bytes.withUnsafeBytes { ChainHash($0) }
    }

    /// The hash as 64 lowercase hexadecimal digits.
    public var description: String {
        withBytes { bytes in
            let digits = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            text.reserveCapacity(64)
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
