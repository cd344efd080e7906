import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// A strict JSON (RFC 8259) parser for one line of a JSON Lines input, producing an
/// ``InputNode`` tree. Refuses what JSON refuses — trailing commas, single quotes, raw control
/// characters in strings, lone surrogates, leading zeros — and anything nested deeper than a
/// record needs.
///
/// A reader of many lines keeps one parser, whose ``InputTreeBuilder`` then builds every line
/// in the storage the earlier lines sized.
struct JSONParser {
    static let maximumDepth = 32

    /// The text being parsed; empty between calls, so that no pointer outlives its bytes.
    private var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    private var line = 0
    private var index = 0
    private var tree = InputTreeBuilder()
    /// The last string each of a few member names had, for ``shared(_:member:)``.
    private var lastValues: [(member: String, value: String)] = []
    /// How many member names ``lastValues`` remembers: more than a record has.
    private static let rememberedMembers = 16
    /// The strings ``shared(_:member:)`` looks at: longer than a Swift string holds inline (so
    /// there is an allocation to share) and no longer than an id may be (texts are not kept
    /// alive and compared for nothing).
    private static let sharedStringBytes = 16...255

    /// Parses `bytes` as exactly one JSON value; `line` is stamped on every node.
    static func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(JSONError) -> InputNode {
        var parser = JSONParser()
        return try parser.parse(bytes, line: line)
    }

    /// Parses `bytes` as exactly one JSON value, as ``parse(_:line:)`` does, building it where
    /// this parser built the last one when no node of that one is left.
    mutating func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(JSONError) -> InputNode {
        self.bytes = bytes
        self.line = line
        index = 0
        tree.startDocument()
        defer { self.bytes = UnsafeRawBufferPointer(start: nil, count: 0) }
        skipWhitespace()
        let root = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the JSON value") }
        return tree.root(root, line: line)
    }

    private func failure(_ message: String) -> JSONError {
        JSONError(column: index + 1, message: message)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONError) -> InputNodeStorage.Content {
        guard index < bytes.count else { throw failure("the line ends where a value should be: truncated JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
            return .object(try object(depth: depth + 1))
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
            return .array(try array(depth: depth + 1))
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw failure("unexpected character \(describe(bytes[index])); expected a JSON value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              word.withUTF8Buffer({ expected in expected.elementsEqual(bytes[index..<index + count]) })
        else { throw failure("unexpected text; expected \(word)") }
        index += count
    }

    /// The string of `text` (ASCII) as the value of member `member`: the string that member
    /// had last, on this line or an earlier one, when its bytes are the same. Lines repeat
    /// values — every fact of an article names the article — and a shared string is one
    /// allocation fewer for each.
    private mutating func shared(_ text: UnsafeRawBufferPointer, member: String) -> String {
        guard let slot = lastValues.firstIndex(where: { $0.member == member }) else {
            let made = String(decoding: text, as: UTF8.self)
            if lastValues.count < Self.rememberedMembers { lastValues.append((member, made)) }
            return made
        }
        var last = lastValues[slot].value
        let isRepeated = last.utf8.count == text.count && last.withUTF8 { utf8 in Memory.equal(utf8.baseAddress!, text.baseAddress!, count: text.count) }
        if isRepeated { return last }
        let made = String(decoding: text, as: UTF8.self)
        lastValues[slot].value = made
        return made
    }

    /// Reads an object's members into the tree; returns where they were stored.
    private mutating func object(depth: Int) throws(JSONError) -> Range<Int> {
        index += 1
        let members = tree.mark
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return tree.close(from: members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the line ends inside an object: truncated JSON") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a quoted field name") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure(index < bytes.count ? "expected ':' after a field name" : "the line ends inside an object: truncated JSON")
            }
            index += 1
            skipWhitespace()
            let member = index < bytes.count && bytes[index] == UInt8(ascii: "\"") ? .string(try string(member: key)) : try value(depth: depth)
            tree.add(key: key, member, line: line)
            skipWhitespace()
            guard index < bytes.count else { throw failure("the line ends inside an object: truncated JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return tree.close(from: members)
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    /// Reads a list's elements into the tree; returns where they were stored.
    private mutating func array(depth: Int) throws(JSONError) -> Range<Int> {
        index += 1
        let elements = tree.mark
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return tree.close(from: elements)
        }
        while true {
            skipWhitespace()
            let element = try value(depth: depth)
            tree.add(key: "", element, line: line)
            skipWhitespace()
            guard index < bytes.count else { throw failure("the line ends inside a list: truncated JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return tree.close(from: elements)
            default: throw failure("expected ',' or ']' in a list")
            }
        }
    }

    /// Reads a string; the value of object member `member`, when it is one.
    private mutating func string(member: String? = nil) throws(JSONError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes — decode the span directly. Plain ASCII is skipped sixteen
        // bytes at a time; each other byte is looked at here.
        var isASCII = true
        while true {
            index += jsonPlainRun(bytes, from: index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let span = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // ASCII is valid UTF-8 as it stands.
                if isASCII {
                    if let member, Self.sharedStringBytes.contains(span.count) { return shared(span, member: member) }
                    return String(decoding: span, as: UTF8.self)
                }
                guard let text = String(validating: span, as: UTF8.self) else { throw JSONError(column: start + 1, message: "a string is not valid UTF-8") }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("a raw control character in a string; write it as an escape") }
            isASCII = false
            index += 1
        }
        guard index < bytes.count else { throw failure("the line ends inside a string: truncated JSON") }
        var scratch = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: scratch, as: UTF8.self) else { throw JSONError(column: start + 1, message: "a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("a lone UTF-16 surrogate in a \\u escape")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("a lone UTF-16 surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw failure("a lone UTF-16 surrogate in a \\u escape")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw failure("an invalid \\u escape") }
                    scratch.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    throw failure("an invalid escape \\\(describe(escape))")
                }
            default:
                if byte < 0x20 { throw failure("a raw control character in a string; write it as an escape") }
                scratch.append(byte)
                index += 1
            }
        }
        throw failure("the line ends inside a string: truncated JSON")
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("the line ends inside a \\u escape: truncated JSON") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("an invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(JSONError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("a number has a leading zero") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs digits after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs digits in its exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard index - start <= 100 else { throw failure("a number is longer than 100 characters") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}

/// Where and why a line is not valid JSON.
struct JSONError: Error, Sendable {
    let column: Int
    let message: String
}
