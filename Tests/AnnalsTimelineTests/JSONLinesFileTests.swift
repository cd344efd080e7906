import AnnalsTestSupport
@testable import AnnalsTimeline
import Foundation
import Testing

/// The reader takes a file a megabyte at a time and finds each line's end in what it holds:
/// lines of every length, across the reads, come out whole, numbered, and in order.
@Suite struct JSONLinesFileTests {
    @Test func linesAcrossReadsComeOutWholeAndNumbered() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("lines.jsonl")
        // 3 MiB of lines from 0 to 4,999 bytes, blank lines and runs of spaces between them,
        // and a last line with no newline.
        var expected: [(text: String, number: Int)] = []
        var text = ""
        var number = 0
        var length = 0
        while text.utf8.count < 3 << 20 {
            number += 1
            if number % 7 == 0 {
                text += number % 2 == 0 ? "\n" : "  \t\r\n"
                continue
            }
            let line = "x" + String(repeating: "y", count: length)
            expected.append((line, number))
            text += line + "\n"
            length = (length * 31 + 17) % 5_000
        }
        number += 1
        expected.append(("last", number))
        text += "last"
        try text.write(toFile: path, atomically: false, encoding: .utf8)

        let file = try JSONLinesFile(path: path, displayPath: "lines.jsonl")
        var seen: [(text: String, number: Int)] = []
        while let (line, lineNumber) = try file.nextNonBlankLine() {
            seen.append((String(decoding: line, as: UTF8.self), lineNumber))
        }
        #expect(seen.count == expected.count)
        #expect(seen.map(\.number) == expected.map(\.number))
        #expect(seen.map(\.text) == expected.map(\.text))
        #expect(file.bytesConsumed == text.utf8.count)
    }
}
