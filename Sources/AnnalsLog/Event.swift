import AnnalsPlatform

/// Where an event came from and how it relates to others. Every field is optional; an empty
/// string is stored as absent.
public struct EventMetadata: Sendable, Hashable {
    /// What produced the event: a file, a feed, a program.
    public var source: String?
    /// Groups events that belong to one operation (all events of one ingested article, say).
    public var correlationID: String?
    /// The id of the event that caused this one.
    public var causationID: String?

    public init(source: String? = nil, correlationID: String? = nil, causationID: String? = nil) {
        self.source = source.flatMap { $0.isEmpty ? nil : $0 }
        self.correlationID = correlationID.flatMap { $0.isEmpty ? nil : $0 }
        self.causationID = causationID.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// An event to append. The log assigns its position and recorded-at time at commit.
public struct NewEvent: Sendable, Hashable {
    /// The idempotency key: appending an id that is already in the log appends nothing and
    /// reports the existing position. 1 to 255 bytes of UTF-8.
    public var id: String
    /// The event's type name, 1 to 255 bytes of UTF-8.
    public var type: String
    /// The version of the payload's schema for this type.
    public var schemaVersion: UInt32
    public var metadata: EventMetadata
    /// The event's data, opaque to the log.
    public var payload: [UInt8]

    public init(id: String, type: String, schemaVersion: UInt32 = 1, metadata: EventMetadata = EventMetadata(), payload: [UInt8]) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.payload = payload
    }
}

/// An event to append whose fields are bytes someone else owns, so that a writer holding many
/// events (an ingest's staged ones) can append them without making a ``NewEvent`` of each.
/// The log copies the bytes into the record it writes and keeps no reference to them; the
/// view is valid only while their owner keeps them.
///
/// The text fields are UTF-8. An empty `source`, `correlationID` or `causationID` is absent, as
/// in ``EventMetadata``.
public struct BorrowedEvent {
    public var id: UnsafeRawBufferPointer
    public var type: UnsafeRawBufferPointer
    public var schemaVersion: UInt32
    public var source: UnsafeRawBufferPointer
    public var correlationID: UnsafeRawBufferPointer
    public var causationID: UnsafeRawBufferPointer
    public var payload: UnsafeRawBufferPointer

    public init(
        id: UnsafeRawBufferPointer, type: UnsafeRawBufferPointer, schemaVersion: UInt32, source: UnsafeRawBufferPointer,
        correlationID: UnsafeRawBufferPointer, causationID: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.source = source
        self.correlationID = correlationID
        self.causationID = causationID
        self.payload = payload
    }

    /// A copy that owns its fields.
    public func copy() -> NewEvent {
        NewEvent(
            id: String(decoding: id, as: UTF8.self), type: String(decoding: type, as: UTF8.self), schemaVersion: schemaVersion,
            metadata: EventMetadata(
                source: String(decoding: source, as: UTF8.self), correlationID: String(decoding: correlationID, as: UTF8.self),
                causationID: String(decoding: causationID, as: UTF8.self)),
            payload: Array(payload))
    }
}

extension NewEvent {
    /// Calls `body` with the event's fields lent as bytes, valid only inside `body`: how the
    /// log encodes and checks a ``NewEvent`` and a ``BorrowedEvent`` the same way.
    @inline(__always)
    public func withBorrowed<Result>(_ body: (BorrowedEvent) throws -> Result) rethrows -> Result {
        try BorrowedEvent.withUTF8(of: id) { id in
            try BorrowedEvent.withUTF8(of: type) { type in
                try BorrowedEvent.withUTF8(of: metadata.source) { source in
                    try BorrowedEvent.withUTF8(of: metadata.correlationID) { correlationID in
                        try BorrowedEvent.withUTF8(of: metadata.causationID) { causationID in
                            try payload.withUnsafeBytes { payload in
                                try body(BorrowedEvent(
                                    id: id, type: type, schemaVersion: schemaVersion, source: source, correlationID: correlationID,
                                    causationID: causationID, payload: payload))
                            }
                        }
                    }
                }
            }
        }
    }
}

extension BorrowedEvent {
    /// Lends the UTF-8 of `text` in place, as a text field of a borrowed event takes it: no
    /// bytes (an absent field) for `nil`. Native strings are contiguous, so nothing is copied.
    @inline(__always)
    public static func withUTF8<Result>(of text: String?, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        guard var text else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

/// An event an append takes: one that lends its fields as bytes, so that checking and
/// encoding are written once for both kinds.
protocol AppendableEvent {
    func withBorrowed<Result>(_ body: (BorrowedEvent) throws -> Result) rethrows -> Result
}

extension NewEvent: AppendableEvent {}

extension BorrowedEvent: AppendableEvent {
    @inline(__always)
    func withBorrowed<Result>(_ body: (BorrowedEvent) throws -> Result) rethrows -> Result { try body(self) }
}

/// An event read from the log, copied out of the store.
public struct Event: Sendable, Hashable {
    /// The event's place in the log: 1, 2, 3, … without gaps.
    public let position: UInt64
    public let id: String
    public let type: String
    public let schemaVersion: UInt32
    /// The transaction time: when the log committed the event.
    public let recordedAt: Timestamp
    public let metadata: EventMetadata
    public let payload: [UInt8]
    /// The record's hash, chaining it to every record before it (32 bytes of SHA-256).
    public let chainHash: [UInt8]

    public init(
        position: UInt64, id: String, type: String, schemaVersion: UInt32, recordedAt: Timestamp,
        metadata: EventMetadata, payload: [UInt8], chainHash: [UInt8]
    ) {
        self.position = position
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.metadata = metadata
        self.payload = payload
        self.chainHash = chainHash
    }
}

/// An event read in place from the store, without copying: valid only inside the transaction
/// (or the replay callback) that produced it. Call ``copy()`` to keep it.
public struct EventView {
    /// The whole stored record.
    public let record: UnsafeRawBufferPointer

    /// Checks the record's structure, so that no accessor can read outside it.
    init(record: UnsafeRawBufferPointer, key position: UInt64) throws(EventLogError) {
        if let reason = RecordLayout.structuralProblem(record, expectedPosition: position) {
            throw EventLogError.corruptRecord(position: position, reason: reason)
        }
        self.record = record
    }

    @inline(__always)
    private func length(_ offset: Int) -> Int { Int(record[offset]) }

    @inline(__always)
    private func field(at start: Int, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: record[start..<start + count])
    }

    public var position: UInt64 { UInt64(littleEndian: record.loadUnaligned(fromByteOffset: RecordLayout.positionOffset, as: UInt64.self)) }
    public var recordedAt: Timestamp {
        Timestamp(microsecondsSinceEpoch: Int64(littleEndian: record.loadUnaligned(fromByteOffset: RecordLayout.recordedAtOffset, as: Int64.self)))
    }
    public var schemaVersion: UInt32 { UInt32(littleEndian: record.loadUnaligned(fromByteOffset: RecordLayout.schemaVersionOffset, as: UInt32.self)) }
    /// The 32-byte chain hash.
    public var chainHash: UnsafeRawBufferPointer { field(at: 0, count: RecordLayout.hashSize) }

    public var idBytes: UnsafeRawBufferPointer { field(at: RecordLayout.headerSize, count: length(RecordLayout.idLengthOffset)) }
    public var typeBytes: UnsafeRawBufferPointer {
        field(at: RecordLayout.headerSize + length(RecordLayout.idLengthOffset), count: length(RecordLayout.typeLengthOffset))
    }
    private var metadataStart: Int {
        RecordLayout.headerSize + length(RecordLayout.idLengthOffset) + length(RecordLayout.typeLengthOffset)
    }
    public var sourceBytes: UnsafeRawBufferPointer { field(at: metadataStart, count: length(RecordLayout.sourceLengthOffset)) }
    public var correlationIDBytes: UnsafeRawBufferPointer {
        field(at: metadataStart + length(RecordLayout.sourceLengthOffset), count: length(RecordLayout.correlationLengthOffset))
    }
    public var causationIDBytes: UnsafeRawBufferPointer {
        field(at: metadataStart + length(RecordLayout.sourceLengthOffset) + length(RecordLayout.correlationLengthOffset),
              count: length(RecordLayout.causationLengthOffset))
    }
    /// The payload, in place.
    public var payload: UnsafeRawBufferPointer {
        let start = metadataStart + length(RecordLayout.sourceLengthOffset) + length(RecordLayout.correlationLengthOffset)
            + length(RecordLayout.causationLengthOffset)
        return field(at: start, count: record.count - start)
    }

    public var id: String { String(decoding: idBytes, as: UTF8.self) }
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }
    public var metadata: EventMetadata {
        EventMetadata(
            source: String(decoding: sourceBytes, as: UTF8.self),
            correlationID: String(decoding: correlationIDBytes, as: UTF8.self),
            causationID: String(decoding: causationIDBytes, as: UTF8.self))
    }

    /// The event's fields in place, as an append takes them.
    public var borrowed: BorrowedEvent {
        BorrowedEvent(
            id: idBytes, type: typeBytes, schemaVersion: schemaVersion, source: sourceBytes, correlationID: correlationIDBytes,
            causationID: causationIDBytes, payload: payload)
    }

    /// Whether the event's type is `name`, compared in place.
    public func hasType(_ name: EventTypeName) -> Bool {
        name.matches(typeBytes)
    }

    /// A copy that outlives the transaction.
    public func copy() -> Event {
        Event(
            position: position, id: id, type: type, schemaVersion: schemaVersion, recordedAt: recordedAt,
            metadata: metadata, payload: Array(payload), chainHash: Array(chainHash))
    }
}

/// An event type name kept as bytes, for comparing against stored records without decoding them.
public struct EventTypeName: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let bytes: [UInt8]

    public init(_ name: String) { bytes = Array(name.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    public func matches(_ other: UnsafeRawBufferPointer) -> Bool {
        // Asked of every event by every projection, so compared by the C library rather than
        // byte by byte through a sequence's iterator.
        guard other.count == bytes.count else { return false }
        guard let otherStart = other.baseAddress, !bytes.isEmpty else { return true }
        return bytes.withUnsafeBytes { Memory.equal($0.baseAddress!, otherStart, count: bytes.count) }
    }
}

extension EventView {
    /// A view of arbitrary bytes as a record at `position`, checked as a stored one would be:
    /// the entry point of the event decoder's fuzz target.
    @_spi(Fuzzing)
    public static func checked(record: UnsafeRawBufferPointer, position: UInt64) throws(EventLogError) -> EventView {
        try EventView(record: record, key: position)
    }
}
