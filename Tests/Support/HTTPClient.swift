import Glibc

/// A plain HTTP/1.1 client on loopback, for testing `annals serve` without depending on a
/// networking library: one request per connection, the response read to its end.
public enum HTTPClient {
    public struct Response: Sendable {
        public let status: Int
        /// Header names in lower case.
        public let headers: [String: String]
        public let body: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends one request to 127.0.0.1:`port` and reads the whole response (`Connection: close`).
    public static func request(
        port: Int, _ path: String, method: String = "GET", headers: [String: String] = [:]
    ) throws -> Response {
        let connection = try Connection(port: port)
        defer { connection.close() }
        try connection.send(requestText(port: port, path, method: method, headers: headers))
        return try complete(connection.readToEnd())
    }

    /// A streaming request kept open until ``OpenStream/close()``, for event streams.
    public final class OpenStream {
        private let connection: Connection
        private var received: [UInt8] = []

        public init(port: Int, _ path: String, headers: [String: String] = [:]) throws {
            connection = try Connection(port: port)
            try connection.send(HTTPClient.requestText(port: port, path, method: "GET", headers: headers))
        }

        /// Reads until `until` holds for the response so far (its head, then its body with the
        /// chunked framing taken off); returns it. Throws when a minute passes first.
        public func read(until: (Response) -> Bool) throws -> Response {
            var clock = timespec()
            clock_gettime(CLOCK_MONOTONIC, &clock)
            let deadline = clock.tv_sec + 60
            while true {
                if let response = HTTPClient.partial(received), until(response) { return response }
                clock_gettime(CLOCK_MONOTONIC, &clock)
                guard clock.tv_sec < deadline, let chunk = try connection.read(), !chunk.isEmpty else {
                    throw Failure(description: "the stream ended or stalled before what was awaited: \(String(decoding: received, as: UTF8.self))")
                }
                received += chunk
            }
        }

        public func close() { connection.close() }
    }

    /// The response as far as it has arrived: nil until its head is complete; of a chunked body,
    /// only the chunks that arrived whole.
    static func partial(_ bytes: [UInt8]) -> Response? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        guard let head = try? parse(Array(bytes[..<end.upperBound])) else { return nil }
        var body: [UInt8] = []
        var rest = bytes[end.upperBound...]
        if head.headers["transfer-encoding"] == "chunked" {
            while let line = rest.firstRange(of: Array("\r\n".utf8)),
                  let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16), size > 0,
                  rest.distance(from: line.upperBound, to: rest.endIndex) >= size + 2 {
                let start = line.upperBound
                body += rest[start..<rest.index(start, offsetBy: size)]
                rest = rest[rest.index(start, offsetBy: size + 2)...]
            }
        } else {
            body = Array(rest)
        }
        return Response(status: head.status, headers: head.headers, body: String(decoding: body, as: UTF8.self))
    }

    static func requestText(port: Int, _ path: String, method: String, headers: [String: String]) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\n"
        var headers = headers
        if headers["Host"] == nil { headers["Host"] = "127.0.0.1:\(port)" }
        headers["Connection"] = "close"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return text + "\r\n"
    }

    /// A whole response: its head, and its body (chunked framing taken off).
    static func complete(_ bytes: [UInt8]) throws -> Response {
        guard let response = partial(bytes) else { throw Failure(description: "no complete response: \(String(decoding: bytes, as: UTF8.self))") }
        return response
    }

    /// The status and headers of a response's head (and whatever text follows it, as is).
    static func parse(_ bytes: [UInt8]) throws -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.firstRange(of: "\r\n\r\n") else { throw Failure(description: "no complete response: \(text)") }
        let head = text[..<split.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusWords = head.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else { throw Failure(description: "no status line: \(text)") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingPrefix(" ").description
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    final class Connection {
        private var descriptor: Int32

        init(port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
            // Reads give up after 30 s: a test that waits for nothing fails instead of hanging.
            var limit = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                let code = errno
                Glibc.close(descriptor)
                throw Failure(description: "cannot connect to 127.0.0.1:\(port) (errno \(code))")
            }
        }

        func send(_ text: String) throws {
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard written > 0 else { throw Failure(description: "write failed (errno \(errno))") }
                bytes = bytes.dropFirst(written)
            }
        }

        /// The next bytes, `[]` at the end of the stream; throws when nothing came in time.
        func read() throws -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw Failure(description: "nothing arrived in time (errno \(errno))") }
            return Array(buffer[..<count])
        }

        func readToEnd() throws -> [UInt8] {
            var all: [UInt8] = []
            while let chunk = try read(), !chunk.isEmpty { all += chunk }
            return all
        }

        func close() {
            if descriptor >= 0 { Glibc.close(descriptor) }
            descriptor = -1
        }
    }
}
