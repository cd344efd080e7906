import HTTPTypes

/// A request's query string and path words, decoded strictly: a broken escape or bytes that are
/// not UTF-8 are refused with a message, never passed on half-decoded.
struct RequestParameters {
    /// The parameters in the order given, names and values decoded.
    let pairs: [(name: String, value: String)]

    /// Decodes `a=1&b=two+words&c=%C3%A9` (`+` is a space, as forms and `URLSearchParams` write it).
    init(query: String?) throws(RequestProblem) {
        var pairs: [(String, String)] = []
        for part in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue) = part.firstIndex(of: "=").map { (part[..<$0], part[part.index(after: $0)...]) } ?? (part, "")
            let name = try Self.decode(rawName, plusIsSpace: true, what: "a parameter's name")
            let value = try Self.decode(rawValue, plusIsSpace: true, what: "parameter \(name)")
            if pairs.contains(where: { $0.0 == name }) { throw RequestProblem(.badRequest, "parameter \(name) is given twice") }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// The value of `name`, if given.
    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// The parameters as command-line options (`from=2021` → `--from 2021`), refusing any not
    /// in `allowed`; `ignored` are the page's own (its script reads them) and are dropped.
    func options(allowed: [String], ignored: [String] = []) throws(RequestProblem) -> [String] {
        var arguments: [String] = []
        for (name, value) in pairs where !ignored.contains(name) {
            guard allowed.contains(name) else {
                let takes = allowed.isEmpty ? "takes no parameters" : "takes \(allowed.joined(separator: ", "))"
                throw RequestProblem(.badRequest, "unknown parameter \(ArgumentValueError.shown(name)); this address \(takes)")
            }
            arguments += ["--\(name)", value]
        }
        return arguments
    }

    /// Percent-decodes one path word or query part.
    static func decode(_ text: Substring, plusIsSpace: Bool, what: String) throws(RequestProblem) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw RequestProblem(.badRequest, "\(what) has a % not followed by two hexadecimal digits")
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw RequestProblem(.badRequest, "\(what) is not UTF-8 once decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
