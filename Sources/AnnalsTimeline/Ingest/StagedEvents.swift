import AnnalsDomain
import AnnalsLog
import AnnalsTimelineProjections

/// The events validation produced, waiting to be appended: encoded once in the first pass,
/// read back in the second, in bounded memory (see ``SpillBuffer``).
///
/// Each item is `u32 LE length ‖ body`; a body is `0x01` (the start of an article's batch) or
/// `0x00 ‖ id ‖ type ‖ schema version ‖ source ‖ correlation id ‖ causation id ‖ payload` in
/// ``PayloadWriter`` encoding.
final class StagedEvents {
    enum Item {
        case articleStart
        case event(NewEvent)
    }

    private let buffer = SpillBuffer()
    /// Items kept as they are while they fit the memory budget; serialised only beyond it.
    private var inMemory: [Item] = []
    private var inMemoryBytes = 0
    private let memoryBudget: Int
    private(set) var eventCount = 0
    private(set) var payloadBytes = 0

    init(memoryBudget: Int = 128 << 20) { self.memoryBudget = memoryBudget }

    func beginArticle() throws {
        if buffer.isEmpty && inMemoryBytes < memoryBudget {
            inMemory.append(.articleStart)
            return
        }
        try spillMemory()
        try buffer.append([1, 0, 0, 0, 1])
    }

    /// Moves what is held in memory to the spill buffer, in order, once the budget is reached.
    private func spillMemory() throws {
        guard !inMemory.isEmpty else { return }
        let items = inMemory
        inMemory = []
        for item in items {
            switch item {
            case .articleStart: try buffer.append([1, 0, 0, 0, 1])
            case .event(let event): try serialise(event)
            }
        }
    }

    func append(_ event: NewEvent) throws {
        eventCount += 1
        payloadBytes += event.payload.count
        if buffer.isEmpty && inMemoryBytes < memoryBudget {
            inMemory.append(.event(event))
            inMemoryBytes += event.payload.count + event.id.utf8.count + 96
            return
        }
        try spillMemory()
        try serialise(event)
    }

    private func serialise(_ event: NewEvent) throws {
        var writer = PayloadWriter(capacity: 64 + event.payload.count)
        writer.byte(0)
        writer.string(event.id)
        writer.string(event.type)
        writer.varint(UInt64(event.schemaVersion))
        writer.optionalString(event.metadata.source)
        writer.optionalString(event.metadata.correlationID)
        writer.optionalString(event.metadata.causationID)
        writer.varint(UInt64(event.payload.count))
        writer.raw(event.payload)
        let body = writer.bytes
        var length = UInt32(body.count).littleEndian
        try buffer.append(withUnsafeBytes(of: &length) { Array($0) } + body)
    }

    /// Reads every item back, in order.
    func forEach(_ body: (Item) throws -> Void) throws {
        for item in inMemory { try body(item) }
        var carry: [UInt8] = []
        try buffer.read { chunk in
            carry.append(contentsOf: chunk)
            var offset = 0
            try carry.withUnsafeBytes { bytes in
                while offset + 4 <= bytes.count {
                    let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    guard offset + 4 + length <= bytes.count else { break }
                    let item = UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 4 + length)])
                    try body(try Self.decode(item))
                    offset += 4 + length
                }
            }
            carry.removeFirst(offset)
        }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Item {
        var reader = PayloadReader(bytes)
        if try reader.byte() == 1 { return .articleStart }
        let id = try reader.string()
        let type = try reader.string()
        let schema = try reader.varint()
        let metadata = EventMetadata(source: try reader.optionalString(), correlationID: try reader.optionalString(), causationID: try reader.optionalString())
        let count = try reader.count(limit: Int.max)
        let payload = try reader.raw(count)
        try reader.finish()
        return .event(NewEvent(id: id, type: type, schemaVersion: UInt32(truncatingIfNeeded: schema), metadata: metadata, payload: payload))
    }
}
