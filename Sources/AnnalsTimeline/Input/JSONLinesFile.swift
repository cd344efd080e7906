import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// Streams the records of a JSON Lines input, one line at a time, in bounded memory: the
/// buffer holds one read chunk plus the longest line.
final class JSONLinesFile {
    static let maximumLineBytes = InputLimits.lineBytes
    private static let chunkSize = 1 << 20

    let displayPath: String
    /// The file's size, for progress.
    let totalBytes: Int
    private(set) var bytesConsumed = 0
    private(set) var lineNumber = 0
    private var recordsRead = 0

    private let file: FileDescriptor
    /// One parser for every line, so that each builds its tree where the last one's was.
    private var parser = JSONParser()
    private var buffer: [UInt8] = []
    private var start = 0
    private var endOfFile = false

    init(path: String, displayPath: String) throws(InputError) {
        self.displayPath = displayPath
        let (file, size) = try InputFile.openRegularFile(path: path, displayPath: displayPath)
        guard size > 0 else { throw InputError(file: displayPath, line: nil, field: nil, message: "is empty") }
        self.file = file
        totalBytes = size
        buffer.reserveCapacity(Self.chunkSize * 2)
    }

    /// The next non-blank line's record, or `nil` at the end of the file.
    func next() throws(InputError) -> InputRecord? {
        if let (line, number) = try nextNonBlankLine() {
            recordsRead += 1
            let outcome: Result<InputRecord, InputError> = line.withUnsafeBytes { bytes in
                do throws(InputError) { return .success(try Self.record(bytes, line: number, file: displayPath, parser: &parser)) } catch { return .failure(error) }
            }
            return try outcome.get()
        }
        if recordsRead == 0 {
            throw InputError(file: displayPath, line: nil, field: nil, message: "holds no records")
        }
        return nil
    }

    /// The next line that holds more than spaces, tabs and a carriage return, without its
    /// newline, and its number; `nil` at the end of the file.
    func nextNonBlankLine() throws(InputError) -> (ArraySlice<UInt8>, Int)? {
        while let (line, number) = try nextLine() {
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { return (line, number) }
        }
        return nil
    }

    private func nextLine() throws(InputError) -> (ArraySlice<UInt8>, Int)? {
        while true {
            if let newline = Self.firstNewline(in: buffer, from: start) {
                let line = buffer[start..<newline]
                bytesConsumed += newline + 1 - start
                start = newline + 1
                lineNumber += 1
                return (line, lineNumber)
            }
            if endOfFile {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                bytesConsumed += buffer.count - start
                start = buffer.count
                lineNumber += 1
                return (line, lineNumber)
            }
            guard buffer.count - start < Self.maximumLineBytes else {
                throw InputError(file: displayPath, line: lineNumber + 1, field: nil, message: "is longer than \(Self.maximumLineBytes) bytes; a line holds one record")
            }
            try refill()
        }
    }

    /// The index of the first newline at or after `start`, found by the C library's `memchr`.
    private static func firstNewline(in buffer: [UInt8], from start: Int) -> Int? {
        buffer.withUnsafeBytes { bytes in
            guard start < bytes.count, let base = bytes.baseAddress,
                  let found = Memory.first(UInt8(ascii: "\n"), in: base + start, count: bytes.count - start) else { return nil }
            return base.distance(to: found)
        }
    }

    private func refill() throws(InputError) {
        buffer.removeSubrange(0..<start)
        start = 0
        let previous = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunkSize))
        let file = self.file
        let read = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(Errno) in try file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[previous...])) }
        }
        let count: Int
        switch read {
        case .success(let done): count = done
        case .failure(let error): throw InputError(file: displayPath, line: nil, field: nil, message: "could not be read: \(error)")
        }
        buffer.removeLast(Self.chunkSize - count)
        if count == 0 { endOfFile = true }
    }

    /// Parses one line as JSON; a NUL byte or a syntax error is a problem of the line.
    static func parse(_ bytes: UnsafeRawBufferPointer, line: Int, file: String) throws(InputError) -> InputNode {
        var parser = JSONParser()
        return try parse(bytes, line: line, file: file, parser: &parser)
    }

    /// Parses one line as ``parse(_:line:file:)`` does, with the `parser` that read the lines
    /// before it.
    static func parse(_ bytes: UnsafeRawBufferPointer, line: Int, file: String, parser: inout JSONParser) throws(InputError) -> InputNode {
        if bytes.contains(0) {
            throw InputError(file: file, line: line, field: nil, message: "contains a NUL byte; expected UTF-8 text")
        }
        do {
            return try parser.parse(bytes, line: line)
        } catch {
            throw InputError(file: file, line: line, field: nil, message: "column \(error.column): \(error.message)")
        }
    }

    // The fields each record type may have.
    private static let articleFields = ["type", "id", "title", "publisher", "published", "url", "text"]
    private static let aliasFields = ["type", "actor", "name", "kind", "aliases"]
    private static let factFields = ["type", "article"] + RecordDecoder.factFields
    private static let correctionFields = ["type", "article"] + RecordDecoder.correctionFields
    private static let retractionFields = ["type", "article"] + RecordDecoder.retractionFields

    /// Decodes one line into a record.
    static func record(_ bytes: UnsafeRawBufferPointer, line: Int, file: String) throws(InputError) -> InputRecord {
        var parser = JSONParser()
        return try record(bytes, line: line, file: file, parser: &parser)
    }

    /// Decodes one line into a record as ``record(_:line:file:)`` does, with the `parser` that
    /// read the lines before it.
    static func record(_ bytes: UnsafeRawBufferPointer, line: Int, file: String, parser: inout JSONParser) throws(InputError) -> InputRecord {
        let node = try parse(bytes, line: line, file: file, parser: &parser)
        guard case .object(let members) = node.value else {
            throw InputError(file: file, line: line, field: nil, message: "is \(node.kindDescription); expected a JSON object with a \"type\"")
        }
        guard let typeNode = members.node(named: "type") else {
            throw InputError(file: file, line: line, field: "type", message: "is missing; expected one of article, alias, fact, correction, retraction")
        }
        guard case .string(let type) = typeNode.value else {
            throw InputError(file: file, line: line, field: "type", message: "is \(typeNode.kindDescription); expected one of article, alias, fact, correction, retraction")
        }
        let location = SourceLocation(file: file, line: line)
        switch type {
        case "article":
            let reader = try ObjectReader(node, file: file, path: "", allowed: Self.articleFields)
            guard let textNode = reader.present("text") else { throw reader.error("text", "is missing; an article record carries its full text") }
            guard case .string(let text) = textNode.value else { throw reader.error("text", "is \(textNode.kindDescription); expected text") }
            return .article(try RecordDecoder.article(reader, text: text, textField: "text", location: location), location)
        case "alias":
            let reader = try ObjectReader(node, file: file, path: "", allowed: Self.aliasFields)
            return .actor(try RecordDecoder.actor(reader, idField: "actor"), location)
        case "fact":
            let reader = try ObjectReader(node, file: file, path: "", allowed: Self.factFields)
            return .fact(try RecordDecoder.fact(reader, article: try reader.identifier("article")), location)
        case "correction":
            let reader = try ObjectReader(node, file: file, path: "", allowed: Self.correctionFields)
            return .correction(try RecordDecoder.correction(reader, article: try reader.identifier("article")), location)
        case "retraction":
            let reader = try ObjectReader(node, file: file, path: "", allowed: Self.retractionFields)
            return .retraction(try RecordDecoder.retraction(reader, article: try reader.identifier("article")), location)
        default:
            throw InputError(file: file, line: line, field: "type", message: "\(shown(type)) is not a record type; expected one of article, alias, fact, correction, retraction")
        }
    }
}
