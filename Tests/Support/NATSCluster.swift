import Foundation

/// A NATS JetStream cluster on 127.0.0.1, started by `tools/nats-cluster` (free ports, a store
/// folder per server) and stopped by pid when the value is released.
public final class NATSCluster: @unchecked Sendable {
    public let directory: TemporaryDirectory
    /// `nats://127.0.0.1:P1,127.0.0.1:P2,…`
    public let urls: String
    public let servers: Int
    private let script = repositoryRoot + "/tools/nats-cluster"

    public init(servers: Int = 3) throws {
        directory = TemporaryDirectory("annals-nats")
        self.servers = servers
        let started = try runProcess("/bin/bash", [script, "start", directory.path, String(servers)], timeout: 60)
        guard started.status == 0 else { throw NATSClusterError.failedToStart(started.standardError) }
        urls = started.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The client URL of server `number` (1-based) alone.
    public func url(ofServer number: Int) -> String {
        let port = (try? String(contentsOfFile: directory.appending("n\(number).port"), encoding: .utf8)) ?? ""
        return "nats://127.0.0.1:" + port.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The URLs of every server but `number`.
    public func urls(without number: Int) -> String {
        "nats://" + (1...servers).filter { $0 != number }.map { url(ofServer: $0).dropFirst("nats://".count) }.joined(separator: ",")
    }

    /// What server `number`'s monitoring endpoint says of `stream`: its leader's number and its
    /// last sequence and message count, or `nil` when it does not answer.
    public func streamState(_ stream: String = "ANNALS", askingServer number: Int) -> (leader: Int?, lastSequence: UInt64, messages: UInt64)? {
        guard let port = try? String(contentsOfFile: directory.appending("n\(number).monitor"), encoding: .utf8),
              let url = URL(string: "http://127.0.0.1:\(port.trimmingCharacters(in: .whitespacesAndNewlines))/jsz?streams=true") else { return nil }
        let result = try? runProcess(systemPython, ["-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())", url.absoluteString], timeout: 10)
        guard let text = result?.standardOutput, let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        for account in json["account_details"] as? [[String: Any]] ?? [] {
            for detail in account["stream_detail"] as? [[String: Any]] ?? [] where detail["name"] as? String == stream {
                let state = detail["state"] as? [String: Any] ?? [:]
                let leader = ((detail["cluster"] as? [String: Any])?["leader"] as? String).flatMap { Int($0.dropFirst()) }
                return (leader, (state["last_seq"] as? NSNumber)?.uint64Value ?? 0, (state["messages"] as? NSNumber)?.uint64Value ?? 0)
            }
        }
        return nil
    }

    /// The pid of server `number`.
    public func pid(ofServer number: Int) -> Int32? {
        (try? String(contentsOfFile: directory.appending("n\(number).pid"), encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Kills server `number` outright.
    public func kill(server number: Int) {
        if let pid = pid(ofServer: number) { Foundation.kill(pid, SIGKILL) }
    }

    /// Publishes `body` on `subject` with the plain NATS protocol (no JetStream headers), as a
    /// foreign producer would.
    public func publishRaw(_ body: String, subject: String, server number: Int = 1) throws {
        let port = url(ofServer: number).split(separator: ":").last.map(String.init) ?? ""
        let result = try runProcess(systemPython, ["-c", """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.recv(4096)
            body = sys.argv[3].encode()
            s.sendall(b'CONNECT {"verbose":false}\\r\\nPUB ' + sys.argv[2].encode() + b' ' + str(len(body)).encode() + b'\\r\\n' + body + b'\\r\\nPING\\r\\n')
            reply = b''
            while b'PONG' not in reply:
                reply += s.recv(4096)
            """, port, subject, body], timeout: 30)
        guard result.status == 0 else { throw NATSClusterError.failedToPublish(result.standardError) }
    }

    /// The message stream `stream` stores at `sequence`, asked of server `number` through
    /// JetStream's message-get API with the plain protocol: its headers (name → value) and body.
    public func storedMessage(_ sequence: UInt64, stream: String = "ANNALS", server number: Int = 1) throws -> (headers: [String: String], body: Data) {
        let port = url(ofServer: number).split(separator: ":").last.map(String.init) ?? ""
        let result = try runProcess(systemPython, ["-c", """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.recv(4096)
            request = ('{"seq":%s}' % sys.argv[3]).encode()
            s.sendall(b'CONNECT {"verbose":false,"headers":true}\\r\\nSUB _INBOX.annals 1\\r\\nPUB $JS.API.STREAM.MSG.GET.' + sys.argv[2].encode()
                      + b' _INBOX.annals ' + str(len(request)).encode() + b'\\r\\n' + request + b'\\r\\n')
            data = b''
            while True:
                data += s.recv(65536)
                start = data.find(b'MSG _INBOX.annals ')
                if start < 0: continue
                end = data.find(b'\\r\\n', start)
                if end < 0: continue
                size = int(data[start:end].split()[-1])
                if len(data) >= end + 2 + size:
                    sys.stdout.write(data[end + 2:end + 2 + size].decode())
                    break
            """, port, stream, String(sequence)], timeout: 30)
        guard result.status == 0,
              let reply = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
              let message = reply["message"] as? [String: Any],
              let body = (message["data"] as? String).flatMap({ Data(base64Encoded: $0) })
        else { throw NATSClusterError.failedToRead(result.standardOutput + result.standardError) }
        var headers: [String: String] = [:]
        if let block = (message["hdrs"] as? String).flatMap({ Data(base64Encoded: $0) }) {
            // "NATS/1.0", then a "Name: value" line each.
            for line in String(decoding: block, as: UTF8.self).components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return (headers, body)
    }

    deinit {
        _ = try? runProcess("/bin/bash", [script, "stop", directory.path], timeout: 30)
    }
}

public enum NATSClusterError: Error {
    case failedToStart(String)
    case failedToPublish(String)
    case failedToRead(String)
}
