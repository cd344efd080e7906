import AnnalsDomain
import AnnalsTimelineProjections

/// A strict JSON (RFC 8259) parser for one line of a JSON Lines input, producing an
/// ``InputNode`` tree. Refuses what JSON refuses — trailing commas, single quotes, raw control
/// characters in strings, lone surrogates, leading zeros — and anything nested deeper than a
/// record needs.
struct JSONParser {
    static let maximumDepth = 32

    private let bytes: UnsafeRawBufferPointer
    private let line: Int
    private var index = 0

    /// Parses `bytes` as exactly one JSON value; `line` is stamped on every node.
    static func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(JSONError) -> InputNode {
        var parser = JSONParser(bytes: bytes, line: line)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer, line: Int) {
        self.bytes = bytes
        self.line = line
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

    private mutating func value(depth: Int) throws(JSONError) -> InputNode {
        guard index < bytes.count else { throw failure("the line ends where a value should be: truncated JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
            return InputNode(value: .object(try object(depth: depth + 1)), line: line)
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
            return InputNode(value: .array(try array(depth: depth + 1)), line: line)
        case UInt8(ascii: "\""):
            return InputNode(value: .string(try string()), line: line)
        case UInt8(ascii: "t"):
            try literal("true")
            return InputNode(value: .bool(true), line: line)
        case UInt8(ascii: "f"):
            try literal("false")
            return InputNode(value: .bool(false), line: line)
        case UInt8(ascii: "n"):
            try literal("null")
            return InputNode(value: .null, line: line)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return InputNode(value: .number(try number()), line: line)
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

    private mutating func object(depth: Int) throws(JSONError) -> [(key: String, node: InputNode)] {
        index += 1
        var members: [(key: String, node: InputNode)] = []
        // A record's object has about ten fields, a nested one two to four: one allocation
        // instead of one per doubling.
        members.reserveCapacity(depth == 1 ? 12 : 4)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return members
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
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw failure("the line ends inside an object: truncated JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return members
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONError) -> [InputNode] {
        index += 1
        var elements: [InputNode] = []
        elements.reserveCapacity(4)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure("the line ends inside a list: truncated JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return elements
            default: throw failure("expected ',' or ']' in a list")
            }
        }
    }

    private mutating func string() throws(JSONError) -> String {
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
                if isASCII { return String(decoding: span, as: UTF8.self) }
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
