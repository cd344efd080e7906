import AnnalsLog

/// How one kind of value is stored in a payload and shown in JSON: the single place that
/// says so for every field of that kind, in every record.
package struct FieldType<Value>: Sendable {
    let write: @Sendable (Value, inout PayloadWriter) -> Void
    let read: @Sendable (inout PayloadReader) throws(PayloadError) -> Value
    let json: @Sendable (Value) -> JSONValue
    /// The value a JSON rendering stands for, or `nil` when it is not one (the inverse of `json`).
    let parse: @Sendable (JSONValue) -> Value?
    /// Reads a stored value and writes its JSON (what `json` of `read` gives), without building
    /// either when the type knows how: the path export takes for every event.
    let transcode: @Sendable (inout PayloadReader, inout JSONWriter) throws(PayloadError) -> Void
    /// Steps over a stored value, refusing exactly what `read` refuses, without building it
    /// when the type knows how: the path of a fold that reads a payload in place.
    let skip: @Sendable (inout PayloadReader) throws(PayloadError) -> Void

    /// A field type; without `transcode`, a stored value is transcoded by reading it and writing
    /// its `json`; without `skip`, it is stepped over by reading it.
    init(
        write: @escaping @Sendable (Value, inout PayloadWriter) -> Void,
        read: @escaping @Sendable (inout PayloadReader) throws(PayloadError) -> Value,
        json: @escaping @Sendable (Value) -> JSONValue,
        parse: @escaping @Sendable (JSONValue) -> Value?,
        transcode: (@Sendable (inout PayloadReader, inout JSONWriter) throws(PayloadError) -> Void)? = nil,
        skip: (@Sendable (inout PayloadReader) throws(PayloadError) -> Void)? = nil
    ) {
        self.write = write
        self.read = read
        self.json = json
        self.parse = parse
        if let skip {
            self.skip = skip
        } else {
            self.skip = { (reader: inout PayloadReader) throws(PayloadError) in _ = try read(&reader) }
        }
        if let transcode {
            self.transcode = transcode
        } else {
            self.transcode = { (reader: inout PayloadReader, writer: inout JSONWriter) throws(PayloadError) in
                let value = try read(&reader)
                writer.value(json(value))
            }
        }
    }
}

/// One field of an event record: its name, its type, and where the value lives in the record.
///
/// A record's fields are listed once, in payload order (see ``EventRecord/fields``); the binary
/// encoding, the decoding, the JSON and the list of correctable fields all come from that list.
package struct RecordField<Record>: Sendable {
    let name: String
    let encode: @Sendable (Record, inout PayloadWriter) -> Void
    let decode: @Sendable (inout PayloadReader, inout Record) throws(PayloadError) -> Void
    let json: @Sendable (Record) -> JSONValue
    let parse: @Sendable (JSONValue, inout Record) -> Bool
    /// Reads the stored field and writes its JSON value (see ``FieldType/transcode``).
    let transcode: @Sendable (inout PayloadReader, inout JSONWriter) throws(PayloadError) -> Void
    /// Steps over the stored field (see ``FieldType/skip``).
    let skip: @Sendable (inout PayloadReader) throws(PayloadError) -> Void
    /// `"name":` as UTF-8, written before the value.
    let jsonKey: [UInt8]

    init<Value>(_ name: String, _ path: any WritableKeyPath<Record, Value> & Sendable, _ type: FieldType<Value>) {
        self.name = name
        transcode = type.transcode
        skip = type.skip
        var key = JSONWriter(capacity: name.utf8.count + 3)
        key.string(name)
        key.punctuation(":")
        jsonKey = key.take()
        if let offset = MemoryLayout<Record>.offset(of: path) {
            // A stored property, read and written at its offset: projecting a key path is a
            // runtime call, made for every field of every event encoded or decoded.
            encode = { record, writer in
                withUnsafePointer(to: record) { pointer in
                    type.write(UnsafeRawPointer(pointer).advanced(by: offset).assumingMemoryBound(to: Value.self).pointee, &writer)
                }
            }
            decode = { (reader, record) throws(PayloadError) in
                let value = try type.read(&reader)
                withUnsafeMutablePointer(to: &record) { pointer in
                    UnsafeMutableRawPointer(pointer).advanced(by: offset).assumingMemoryBound(to: Value.self).pointee = value
                }
            }
        } else {
            encode = { record, writer in type.write(record[keyPath: path], &writer) }
            decode = { (reader, record) throws(PayloadError) in record[keyPath: path] = try type.read(&reader) }
        }
        json = { record in type.json(record[keyPath: path]) }
        parse = { value, record in
            guard let parsed = type.parse(value) else { return false }
            record[keyPath: path] = parsed
            return true
        }
    }
}

/// A domain event's payload: a Swift value whose fields are described once, in payload order.
package protocol EventRecord: Sendable, Hashable {
    /// The event type that carries this record.
    static var eventType: EventTypeName { get }
    /// Every field, in the order the payload stores them.
    static var fields: [RecordField<Self>] { get }
    /// A value to decode into: every field is overwritten.
    static var blank: Self { get }
    /// The field naming what the event is about: the fact, actor or article.
    static var subjectField: String { get }
    /// The field naming the article the event comes from, when it comes from one.
    static var articleField: String? { get }
}

extension EventRecord {
    /// The payload bytes: each field in order, in Annals' compact binary encoding.
    package func encoded() -> [UInt8] {
        var writer = PayloadWriter(capacity: 256)
        encode(to: &writer)
        return writer.bytes
    }

    /// Writes the payload bytes in `scratch`, emptied first and its storage kept, for the
    /// caller to read there: for a writer of many records, which then allocates nothing per
    /// record, where ``encoded()`` makes an array of each.
    package func encode(into scratch: inout PayloadWriter) {
        scratch.removeAll()
        encode(to: &scratch)
    }

    private func encode(to writer: inout PayloadWriter) {
        // Through the buffer, not `for field in`: this generic code would copy each field,
        // retaining all of its closures, to call one.
        Self.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices { fields[index].encode(self, &writer) }
        }
    }

    /// Decodes a payload of this record type.
    init(payload: UnsafeRawBufferPointer) throws(PayloadError) {
        var reader = PayloadReader(payload)
        try self.init(reading: &reader)
        try reader.finish()
    }

    /// Reads the record's fields from `reader`, leaving it after the last one.
    init(reading reader: inout PayloadReader) throws(PayloadError) {
        try self.init(readingLeading: Self.fields.count, from: &reader)
    }

    /// Reads the record's first `count` fields from `reader`, leaving it after them and the
    /// other fields as in ``blank``: for a value stored as a record's leading fields.
    package init(readingLeading count: Int, from reader: inout PayloadReader) throws(PayloadError) {
        var record = Self.blank
        // Through the buffer, as `encoded()` does.
        try Self.fields.withUnsafeBufferPointer { (fields) throws(PayloadError) in
            for index in fields.indices.prefix(count) { try fields[index].decode(&reader, &record) }
        }
        self = record
    }

    /// Steps over every field of `payload` in order, refusing what decoding would refuse, and
    /// gives `visit` each field's index in ``fields`` and where its bytes lie: a record read in
    /// place, nothing built.
    static func forEachField(in payload: UnsafeRawBufferPointer, _ visit: (_ field: Int, _ bytes: Range<Int>) -> Void) throws(PayloadError) {
        var reader = PayloadReader(payload)
        try fields.withUnsafeBufferPointer { (fields) throws(PayloadError) in
            for index in fields.indices {
                let start = reader.offset
                try fields[index].skip(&reader)
                visit(index, start..<reader.offset)
            }
        }
        try reader.finish()
    }

    /// Decodes the payload of `event`, which must be of this record's type and schema version.
    init(decoding event: EventView) throws(PayloadError) {
        try self.init(payload: Self.payload(of: event))
    }

    /// The payload of `event`, refused unless the event is of this record's type and schema version.
    private static func payload(of event: EventView) throws(PayloadError) -> UnsafeRawBufferPointer {
        guard event.hasType(Self.eventType) else {
            throw .malformed("a \(event.type) event is not a \(Self.eventType) event")
        }
        guard event.schemaVersion == DomainEventType.schemaVersion else {
            throw .unsupportedSchema(type: event.type, version: event.schemaVersion)
        }
        return event.payload
    }

    /// Calls `body` with the fields of `event`'s payload read in place (see ``StoredFields``),
    /// refused as ``init(decoding:)`` refuses it, and returns its result: for a fold that needs
    /// a few of a record's fields as bytes, which decoding would make strings of.
    package static func withStoredFields<Result>(of event: EventView, _ body: (StoredFields) throws -> Result) throws -> Result {
        let payload = try payload(of: event)
        let count = fields.count
        return try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: count) { ranges in
            // Ranges of integers are trivial: nothing to deinitialize.
            try forEachField(in: payload) { field, bytes in ranges.initializeElement(at: field, to: bytes) }
            return try body(StoredFields(payload: payload, ranges: UnsafeBufferPointer(ranges)))
        }
    }

    /// The index in ``fields`` of the field called `name`, which the record must have.
    package static func fieldIndex(_ name: String) -> Int {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { preconditionFailure("\(eventType) has no field \(name)") }
        return index
    }

    /// Every field of the record as a JSON object, in payload order.
    var json: JSONValue {
        .object(Self.fields.map { ($0.name, $0.json(self)) })
    }

    /// The record a JSON object made by ``json`` stands for; `nil` when a field is missing,
    /// unknown or not of its type.
    init?(json: JSONValue) {
        guard case .success(let record) = Self.parse(json: json) else { return nil }
        self = record
    }

    /// The record a JSON object made by ``json`` stands for, or which member keeps it from
    /// being one.
    static func parse(json: JSONValue) -> Result<Self, RecordJSONProblem> {
        guard case .object(let members) = json else { return .failure(RecordJSONProblem(field: nil, problem: "is not a JSON object")) }
        if let unknown = members.first(where: { member in !fields.contains { $0.name == member.0 } }) {
            return .failure(RecordJSONProblem(field: unknown.0, problem: "is not a field of \(eventType) (\(fields.map(\.name).joined(separator: ", ")))"))
        }
        var record = Self.blank
        for field in fields {
            let values = members.filter { $0.0 == field.name }
            guard let value = values.first?.1 else { return .failure(RecordJSONProblem(field: field.name, problem: "is missing")) }
            guard values.count == 1 else { return .failure(RecordJSONProblem(field: field.name, problem: "appears more than once")) }
            guard field.parse(value, &record) else {
                return .failure(RecordJSONProblem(field: field.name, problem: "is not a valid value for this field: \(value.serialized().prefix(80))"))
            }
        }
        return .success(record)
    }
}

/// A payload's fields in place, each one's bytes as its record's field list stores it, checked
/// as decoding checks them; valid only while the payload's bytes are (see
/// ``EventRecord/withStoredFields(of:_:)``). Fields are picked by their index in the record's
/// ``EventRecord/fields``.
package struct StoredFields {
    private let payload: UnsafeRawBufferPointer
    private let ranges: UnsafeBufferPointer<Range<Int>>

    fileprivate init(payload: UnsafeRawBufferPointer, ranges: UnsafeBufferPointer<Range<Int>>) {
        self.payload = payload
        self.ranges = ranges
    }

    /// The stored bytes of fields `fields`, which follow each other in the payload.
    package subscript(fields: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: payload[ranges[fields.lowerBound].lowerBound..<ranges[fields.upperBound - 1].upperBound])
    }

    /// The UTF-8 of text field `field`.
    package func text(_ field: Int) throws(PayloadError) -> UnsafeRawBufferPointer {
        var reader = PayloadReader(self[field..<field + 1])
        return try reader.stringBytes()
    }

    /// The word of vocabulary field `field`.
    package func word<V: Vocabulary>(_ field: Int, as type: V.Type) throws(PayloadError) -> V {
        var reader = PayloadReader(self[field..<field + 1])
        return try reader.vocabulary(type)
    }
}

/// Why a JSON object is not a record: the member at fault (`nil` for the whole object) and
/// what is wrong with it.
package struct RecordJSONProblem: Error, Sendable, Hashable {
    package let field: String?
    package let problem: String
}

// MARK: The field types

extension FieldType where Value == String {
    /// UTF-8 text, length-prefixed.
    static let text = FieldType(
        write: { value, writer in writer.string(value) },
        read: { (reader) throws(PayloadError) in try reader.string() },
        json: { .string($0) },
        parse: { if case .string(let text) = $0 { text } else { nil } },
        transcode: { (reader, writer) throws(PayloadError) in writer.string(repairing: try reader.stringBytes()) },
        skip: { (reader) throws(PayloadError) in _ = try reader.stringBytes() })
}

extension FieldType where Value == String? {
    /// Text that may be absent: a presence byte, then the text.
    static let optionalText = FieldType(
        write: { value, writer in writer.optionalString(value) },
        read: { (reader) throws(PayloadError) in try reader.optionalString() },
        json: { $0.map { .string($0) } ?? .null },
        parse: {
            switch $0 {
            case .null: .some(nil)
            case .string(let text): .some(text)
            default: nil
            }
        },
        transcode: { (reader, writer) throws(PayloadError) in
            if let text = try reader.optionalStringBytes() { writer.string(repairing: text) } else { writer.raw("null") }
        },
        skip: { (reader) throws(PayloadError) in _ = try reader.optionalStringBytes() })
}

extension FieldType where Value: Vocabulary {
    /// A word of a closed vocabulary, stored as its name.
    static var word: FieldType {
        FieldType(
            write: { value, writer in writer.string(value.rawValue) },
            read: { (reader) throws(PayloadError) in try reader.vocabulary(Value.self) },
            json: { .string($0.rawValue) },
            parse: { if case .string(let text) = $0 { Value(rawValue: text) } else { nil } },
            transcode: { (reader, writer) throws(PayloadError) in
                writer.string(utf8: try reader.wordBytes(Value.self))
            })
    }
}

extension FieldType where Value == ValidTime {
    /// A valid time; EDTF text in JSON.
    static let validTime = FieldType(
        write: { value, writer in writer.validTime(value) },
        read: { (reader) throws(PayloadError) in try reader.validTime() },
        json: { .string($0.description) },
        parse: { if case .string(let text) = $0 { try? ValidTime(parsing: text) } else { nil } },
        transcode: { (reader, writer) throws(PayloadError) in
            // EDTF is plain ASCII with nothing to escape.
            let time = try reader.validTime()
            writer.punctuation("\"")
            time.writeEDTF(to: &writer)
            writer.punctuation("\"")
        })
}

extension FieldType where Value == [UInt8] {
    /// A SHA-256 digest: 32 raw bytes; lowercase hexadecimal in JSON.
    static let sha256 = FieldType(
        write: { value, writer in writer.raw(value) },
        read: { (reader) throws(PayloadError) in try reader.raw(32) },
        json: { .string(hexadecimal($0)) },
        parse: { if case .string(let text) = $0 { bytes(fromHexadecimal: text).flatMap { $0.count == 32 ? $0 : nil } } else { nil } },
        transcode: { (reader, writer) throws(PayloadError) in
            guard reader.bytes.count - reader.offset >= 32 else { throw .truncated }
            writer.hexadecimalString(UnsafeRawBufferPointer(rebasing: reader.bytes[reader.offset..<reader.offset + 32]))
            reader.offset += 32
        })
}

extension FieldType where Value == [ActorInvolvement] {
    /// The actors of a fact and their roles: `[{"actor", "role"}]` in JSON.
    static let involvements = FieldType(
        write: { value, writer in writer.actors(value) },
        read: { (reader) throws(PayloadError) in try reader.actors() },
        json: { .array($0.map { .object([("actor", .string($0.actor)), ("role", .string($0.role.rawValue))]) }) },
        parse: { value in
            guard case .array(let elements) = value else { return nil }
            var involvements: [ActorInvolvement] = []
            for element in elements {
                guard case .object(let members) = element, members.count == 2,
                      case .string(let actor)? = members.first(where: { $0.0 == "actor" })?.1,
                      case .string(let roleName)? = members.first(where: { $0.0 == "role" })?.1,
                      let role = ActorRole(rawValue: roleName)
                else { return nil }
                involvements.append(ActorInvolvement(actor: actor, role: role))
            }
            return involvements
        },
        transcode: { (reader, writer) throws(PayloadError) in
            let count = try reader.count(limit: 10_000)
            writer.punctuation("[")
            for index in 0..<count {
                if index > 0 { writer.punctuation(",") }
                writer.raw("{\"actor\":")
                writer.string(repairing: try reader.stringBytes())
                writer.raw(",\"role\":")
                writer.string(utf8: try reader.wordBytes(ActorRole.self))
                writer.punctuation("}")
            }
            writer.punctuation("]")
        },
        skip: { (reader) throws(PayloadError) in
            for _ in 0..<(try reader.count(limit: 10_000)) {
                _ = try reader.stringBytes()
                _ = try reader.vocabulary(ActorRole.self)
            }
        })
}

extension FieldType where Value == [Quantity] {
    /// Exact quantities with units: `[{"name", "value", "unit", "approximate"}]` in JSON, the
    /// value an exact decimal written as a JSON number.
    static let quantities = FieldType(
        write: { value, writer in writer.quantities(value) },
        read: { (reader) throws(PayloadError) in try reader.quantities() },
        json: { .array($0.map(\.json)) },
        parse: { value in
            guard case .array(let elements) = value else { return nil }
            var quantities: [Quantity] = []
            for element in elements {
                guard let quantity = Quantity(json: element) else { return nil }
                quantities.append(quantity)
            }
            return quantities
        },
        transcode: { (reader, writer) throws(PayloadError) in
            // Most facts have none: an empty list costs no array and no JSON value.
            let count = try reader.count(limit: 10_000)
            writer.punctuation("[")
            for index in 0..<count {
                if index > 0 { writer.punctuation(",") }
                writer.value(try reader.quantity().json)
            }
            writer.punctuation("]")
        },
        skip: { (reader) throws(PayloadError) in
            for _ in 0..<(try reader.count(limit: 10_000)) { _ = try reader.quantityParts() }
        })
}

extension FieldType where Value == FactFields {
    /// The fields a correction replaces: a presence mask (one bit per correctable field, in the
    /// order ``FactAssertion/fields`` lists them), then each present value; in JSON an object
    /// holding just the present fields.
    static let correctedFields = FieldType(
        write: { value, writer in
            var mask: UInt8 = 0
            for (bit, field) in FactFields.correctable.enumerated() where field.isPresent(value) { mask |= 1 << UInt8(bit) }
            writer.byte(mask)
            for field in FactFields.correctable where field.isPresent(value) { field.encode(value, &writer) }
        },
        read: { (reader) throws(PayloadError) in
            let mask = try reader.byte()
            guard mask >> UInt8(FactFields.correctable.count) == 0 else { throw .malformed("corrected-field mask \(mask)") }
            var fields = FactFields()
            for (bit, field) in FactFields.correctable.enumerated() where mask & (1 << UInt8(bit)) != 0 {
                try field.decode(&reader, &fields)
            }
            return fields
        },
        json: { value in
            .object(FactFields.correctable.filter { $0.isPresent(value) }.map { ($0.name, $0.json(value)) })
        },
        parse: { value in
            guard case .object(let members) = value else { return nil }
            var fields = FactFields()
            for (name, member) in members {
                guard let field = FactFields.correctable.first(where: { $0.name == name }), field.parse(member, &fields) else { return nil }
            }
            return fields
        })
}

/// One correctable field of a fact, seen from ``FactFields``, where it is optional: derived
/// from the entries of ``FactAssertion/fields`` that are marked correctable.
struct CorrectableField: Sendable {
    let name: String
    let isPresent: @Sendable (FactFields) -> Bool
    let encode: @Sendable (FactFields, inout PayloadWriter) -> Void
    let decode: @Sendable (inout PayloadReader, inout FactFields) throws(PayloadError) -> Void
    let json: @Sendable (FactFields) -> JSONValue
    let parse: @Sendable (JSONValue, inout FactFields) -> Bool

    init<Value>(_ name: String, _ path: any WritableKeyPath<FactFields, Value?> & Sendable, _ type: FieldType<Value>) {
        self.name = name
        isPresent = { $0[keyPath: path] != nil }
        encode = { fields, writer in if let value = fields[keyPath: path] { type.write(value, &writer) } }
        decode = { (reader, fields) throws(PayloadError) in fields[keyPath: path] = try type.read(&reader) }
        json = { fields in fields[keyPath: path].map(type.json) ?? .null }
        parse = { value, fields in
            guard let parsed = type.parse(value) else { return false }
            fields[keyPath: path] = parsed
            return true
        }
    }
}

extension RecordField where Record == FactAssertion {
    /// A fact field a correction may replace: `fieldsPath` is where ``FactFields`` keeps the
    /// replacement.
    static func correctable<Value>(
        _ name: String, _ path: any WritableKeyPath<FactAssertion, Value> & Sendable,
        _ fieldsPath: any WritableKeyPath<FactFields, Value?> & Sendable, _ type: FieldType<Value>
    ) -> (RecordField, CorrectableField) {
        (RecordField(name, path, type), CorrectableField(name, fieldsPath, type))
    }
}

// MARK: Helpers

func hexadecimal(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: text, as: UTF8.self)
}

func bytes(fromHexadecimal text: String) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
    var result: [UInt8] = []
    result.reserveCapacity(utf8.count / 2)
    var index = 0
    while index < utf8.count {
        guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
        result.append(high << 4 | low)
        index += 2
    }
    return result
}

extension ValidTime {
    /// Open at both ends: no date known. Only a placeholder for records being decoded.
    static let unknown = ValidTime(.interval(from: nil, to: nil))
}

/// Writes a domain event's payload as its record's JSON straight from the stored bytes, each
/// field by its type's ``FieldType/transcode``, and reads the fields that name what the event
/// is about and where it comes from.
package enum DomainPayloadTranscoder {
    /// What a noted field names.
    package enum Role { case subject, article }

    /// One record type's fields, ready to transcode without generic code on the way (a class,
    /// so that looking one up costs one reference count, not one per array it holds).
    private final class Entry: Sendable {
        let type: EventTypeName
        let keys: [[UInt8]]
        let transcoders: [@Sendable (inout PayloadReader, inout JSONWriter) throws(PayloadError) -> Void]
        let subjectIndex: Int
        let articleIndex: Int?

        init(type: EventTypeName, keys: [[UInt8]], transcoders: [@Sendable (inout PayloadReader, inout JSONWriter) throws(PayloadError) -> Void],
             subjectIndex: Int, articleIndex: Int?) {
            self.type = type
            self.keys = keys
            self.transcoders = transcoders
            self.subjectIndex = subjectIndex
            self.articleIndex = articleIndex
        }
    }

    private static let entries: [Entry] = DomainEventType.recordTypes.map { entry(for: $0) }

    private static func entry<Record: EventRecord>(for record: Record.Type) -> Entry {
        Entry(
            type: Record.eventType, keys: Record.fields.map(\.jsonKey), transcoders: Record.fields.map(\.transcode),
            subjectIndex: Record.fields.firstIndex { $0.name == Record.subjectField }!,
            articleIndex: Record.articleField.map { name in Record.fields.firstIndex { $0.name == name }! })
    }

    /// The entry of `event`'s type when it is a domain event of the current schema.
    private static func entry(for event: EventView) -> Entry? {
        guard event.schemaVersion == DomainEventType.schemaVersion else { return nil }
        return entries.first { event.hasType($0.type) }
    }

    /// Writes the JSON object of `event`'s payload, as its record's `json` would show it, to
    /// `writer`, handing `note` the text of the fields that name what the event is about and
    /// the article it comes from on the way (valid while `event` is); returns `true`. Returns
    /// `false`, having written nothing, when the event is not a domain event of the current
    /// schema or its payload does not decode.
    package static func transcode(_ event: EventView, into writer: inout JSONWriter,
                                  note: (Role, UnsafeRawBufferPointer) -> Void = { _, _ in }) -> Bool {
        guard let entry = entry(for: event) else { return false }
        let start = writer.count
        var reader = PayloadReader(event.payload)
        do throws(PayloadError) {
            writer.punctuation("{")
            try transcodeFields(entry, from: &reader, into: &writer, note: note)
            writer.punctuation("}")
            try reader.finish()
            return true
        } catch {
            writer.truncate(to: start)
            return false
        }
    }

    private static func transcodeFields(_ entry: Entry, from reader: inout PayloadReader, into writer: inout JSONWriter,
                                        note: (Role, UnsafeRawBufferPointer) -> Void) throws(PayloadError) {
        for index in entry.keys.indices {
            if index > 0 { writer.punctuation(",") }
            entry.keys[index].withUnsafeBytes { writer.raw($0) }
            let fieldStart = reader.offset
            try entry.transcoders[index](&reader, &writer)
            if index == entry.subjectIndex || index == entry.articleIndex {
                var text = PayloadReader(UnsafeRawBufferPointer(rebasing: reader.bytes[fieldStart..<reader.offset]))
                let bytes = try text.stringBytes()
                if index == entry.subjectIndex { note(.subject, bytes) }
                if index == entry.articleIndex { note(.article, bytes) }
            }
        }
    }
}
