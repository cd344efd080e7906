import AnnalsDomain
import AnnalsTimelineProjections

extension JSONValue {
    /// Parses one JSON text (RFC 8259), numbers kept as written.
    init(parsing text: String) throws(JSONError) {
        var text = text
        let result: Result<InputNode, JSONError> = text.withUTF8 { utf8 in
            do throws(JSONError) { return .success(try JSONParser.parse(UnsafeRawBufferPointer(utf8), line: 1)) } catch { return .failure(error) }
        }
        self.init(try result.get())
    }

    init(_ node: InputNode) {
        switch node.value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let text): self = .number(text)
        case .string(let text), .scalar(let text, _): self = .string(text)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members): self = .object(members.map { ($0.key, JSONValue($0.node)) })
        }
    }
}
