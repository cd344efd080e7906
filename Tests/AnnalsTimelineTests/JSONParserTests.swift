@testable import AnnalsDomain
@testable import AnnalsTimeline
import Testing

private func parse(_ text: String) throws(JSONError) -> InputNode {
    try parse(bytes: Array(text.utf8))
}

private func parse(bytes: [UInt8]) throws(JSONError) -> InputNode {
    let result: Result<InputNode, JSONError> = bytes.withUnsafeBytes { buffer in
        do throws(JSONError) { return .success(try JSONParser.parse(buffer, line: 1)) } catch { return .failure(error) }
    }
    return try result.get()
}

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesKeepingNumbersAsWritten() throws {
        let node = try parse(#" {"a": [1, -2.50e3, true, null, "x\"y\u00e9\ud83d\ude00\n"], "b": {}} "#)
        guard case .object(let members) = node.value, members.count == 2, case .array(let items) = members[0].node.value else {
            Issue.record("unexpected shape")
            return
        }
        #expect(members.map(\.key) == ["a", "b"])
        guard case .number(let first) = items[0].value, case .number(let second) = items[1].value,
              case .bool(true) = items[2].value, case .null = items[3].value, case .string(let text) = items[4].value
        else {
            Issue.record("unexpected items")
            return
        }
        #expect(first == "1")
        #expect(second == "-2.50e3")
        #expect(text == "x\"yé😀\n")
    }

    /// Strings are skipped sixteen plain bytes at a time: whatever the length and wherever the
    /// one byte that needs a look sits, the string reads the same, or fails at that byte.
    @Test func stringsOfEveryLengthWithOneByteToLookAtAnywhere() throws {
        func string(_ bytes: [UInt8]) throws(JSONError) -> String? {
            guard case .string(let text) = try parse(bytes: Array("\"".utf8) + bytes + Array("\"".utf8)).value else { return nil }
            return text
        }
        for length in 0...40 {
            let plain = Array(repeating: UInt8(ascii: "a"), count: length)
            #expect(try string(plain) == String(repeating: "a", count: length))
            for position in 0...length {
                let before = Array(plain[..<position]), after = Array(plain[position...])
                let text = String(decoding: before, as: UTF8.self) + "é" + String(decoding: after, as: UTF8.self)
                #expect(try string(before + Array("é".utf8) + after) == text)
                #expect(try string(before + Array(#"\""#.utf8) + after) == String(decoding: before + [UInt8(ascii: "\"")] + after, as: UTF8.self))
                let control = #expect(throws: JSONError.self) { try string(before + [0x01] + after) }
                #expect(control?.column == position + 2)
                let invalid = #expect(throws: JSONError.self) { try string(before + [0xFF] + after) }
                #expect(invalid?.message == "a string is not valid UTF-8")
            }
        }
    }

    /// One parser reads a file's lines and shares a member's value with the line before when
    /// the bytes are the same: each line still reads as its own text, whether a value repeats,
    /// differs in one byte at the same length, or moves to another member.
    @Test func valuesRepeatedFromLineToLineReadAsEachLineWritesThem() throws {
        let lines = [
            #"{"article": "reuters-2021-05-08-pipeline", "id": "f-1"}"#,
            #"{"article": "reuters-2021-05-08-pipeline", "id": "f-2"}"#,
            #"{"article": "reuters-2021-05-08-pipelinf", "id": "f-3"}"#,
            #"{"id": "reuters-2021-05-08-pipelinf", "article": "reuters-2021-06-16-geneva-talks"}"#,
            #"{"article": "reuters-2021-06-16-geneva-talks", "id": ["reuters-2021-06-16-geneva-talks"]}"#,
        ]
        var parser = JSONParser()
        var read: [String] = []
        for (index, line) in lines.enumerated() {
            let node = try Array(line.utf8).withUnsafeBytes { bytes throws(JSONError) in try parser.parse(bytes, line: index + 1) }
            guard case .object(let members) = node.value else {
                Issue.record("line \(index + 1) is not an object")
                return
            }
            for member in members {
                switch member.node.value {
                case .string(let text): read.append("\(member.key)=\(text)")
                case .array(let elements): read += elements.compactMap { if case .string(let text) = $0.value { "\(member.key)[]=\(text)" } else { nil } }
                default: Issue.record("unexpected value of \(member.key)")
                }
            }
        }
        #expect(read == [
            "article=reuters-2021-05-08-pipeline", "id=f-1",
            "article=reuters-2021-05-08-pipeline", "id=f-2",
            "article=reuters-2021-05-08-pipelinf", "id=f-3",
            "id=reuters-2021-05-08-pipelinf", "article=reuters-2021-06-16-geneva-talks",
            "article=reuters-2021-06-16-geneva-talks", "id[]=reuters-2021-06-16-geneva-talks",
        ])
    }

    @Test(arguments: [
        (#"{"a": 1"#, "the line ends inside an object: truncated JSON"),
        (#"{"a": "unterminated"#, "the line ends inside a string: truncated JSON"),
        (#"{"a": [1, 2,]}"#, "unexpected character ']'; expected a JSON value"),
        (#"{'a': 1}"#, "expected a quoted field name"),
        (#"{"a": 01}"#, "a number has a leading zero"),
        (#"{"a": "\ud83d"}"#, #"a lone UTF-16 surrogate in a \u escape"#),
        (#"{"a": "\x"}"#, #"an invalid escape \'x'"#),
        ("{\"a\": \"tab\there\"}", "a raw control character in a string; write it as an escape"),
        (#"{"a": 1} {"b": 2}"#, "unexpected text after the JSON value"),
        (#"{"a": tru}"#, "unexpected text; expected true"),
        (#"{"a": 1.}"#, "a number needs digits after '.'"),
        (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "nested more than 32 levels deep"),
    ])
    func refusesWhatJSONRefuses(_ text: String, _ message: String) {
        let error = #expect(throws: JSONError.self) { try parse(text) }
        #expect(error?.message == message)
    }
}
