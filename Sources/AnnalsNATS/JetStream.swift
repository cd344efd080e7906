import CNats

/// A problem NATS or its JetStream layer reported, with what Annals was doing at the time.
public struct NATSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done: "connecting to nats://127.0.0.1:4222", "creating stream ANNALS".
    public let operation: String
    /// The client library's account of the failure.
    public let detail: String
    /// JetStream's error code when the server sent one (10071 is "wrong last sequence").
    public let code: Int
    /// Whether the failure may pass by itself: no server reachable for the moment, a timeout,
    /// or a cluster electing a leader. Callers back off and try again.
    public let isTransient: Bool

    public init(operation: String, detail: String, code: Int = 0, isTransient: Bool = false) {
        self.operation = operation
        self.detail = detail
        self.code = code
        self.isTransient = isTransient
    }

    init(operation: String, status: natsStatus, code: jsErrCode = jsErrCode(rawValue: 0)) {
        var detail = String(cString: natsStatus_GetText(status))
        // The last error of this thread often says more ("no responders", the server's text).
        var lastStatus = NATS_OK
        if let last = nats_GetLastError(&lastStatus), lastStatus == status {
            let text = String(cString: last)
            if !text.isEmpty && text != detail { detail = text }
        }
        let transientStatuses = [NATS_TIMEOUT, NATS_NO_SERVER, NATS_NO_RESPONDERS, NATS_CONNECTION_CLOSED, NATS_STALE_CONNECTION,
                                 NATS_NOT_YET_CONNECTED, NATS_IO_ERROR, NATS_CONNECTION_DISCONNECTED]
        let transientCodes: Set<UInt32> = [JSClusterNotAvailErr.rawValue, JSClusterNoPeersErr.rawValue, JSStreamOfflineErr.rawValue]
        self.init(operation: operation, detail: detail, code: Int(code.rawValue),
                  isTransient: transientStatuses.contains(status) || transientCodes.contains(code.rawValue))
    }

    public var description: String {
        "\(operation): \(detail)" + (code == 0 ? "" : " (JetStream error \(code))")
    }

    /// JetStream refused a publish whose expected last sequence was not the stream's.
    public static let wrongLastSequence = Int(JSStreamWrongLastSequenceErr.rawValue)
    /// JetStream has no stream of that name.
    public static let streamNotFound = Int(JSStreamNotFoundErr.rawValue)
}

/// Throws a ``NATSError`` unless `status` is `NATS_OK`.
@inline(__always)
func check(_ status: natsStatus, _ operation: @autoclosure () -> String, code: jsErrCode = jsErrCode(rawValue: 0)) throws(NATSError) {
    guard status != NATS_OK else { return }
    throw NATSError(operation: operation(), status: status, code: code)
}

/// Where a stream lives: the servers of one NATS cluster, as `nats://HOST:PORT[,HOST:PORT…]`.
public struct NATSServers: Sendable, Hashable, CustomStringConvertible {
    /// Each server's URL, `nats://HOST:PORT`.
    public let urls: [String]

    /// Parses `nats://HOST:PORT[,HOST:PORT…]` (each part may repeat the scheme; the port
    /// defaults to 4222); `nil` with the reason when the text is not of that form.
    public static func parse(_ text: String) -> Result<NATSServers, NATSAddressProblem> {
        guard text.hasPrefix("nats://") else { return .failure(NATSAddressProblem("does not start with nats://")) }
        var urls: [String] = []
        for part in text.dropFirst("nats://".count).split(separator: ",", omittingEmptySubsequences: false) {
            let address = part.hasPrefix("nats://") ? part.dropFirst("nats://".count) : part
            guard !address.isEmpty else { return .failure(NATSAddressProblem("has an empty server between commas")) }
            var host = Substring(address), port = "4222"
            if let colon = address.lastIndex(of: ":"), !address.hasSuffix("]") {
                host = address[..<colon]
                port = String(address[address.index(after: colon)...])
            }
            guard let number = Int(port), (1...65_535).contains(number), port.allSatisfy(\.isASCII) else {
                return .failure(NATSAddressProblem("has port \(String(reflecting: port)); expected a number from 1 to 65535"))
            }
            let hostCharacters = host.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || ".-_[]:".unicodeScalars.contains($0)) }
            guard !host.isEmpty, hostCharacters else {
                return .failure(NATSAddressProblem("has host \(String(reflecting: String(host))); expected a name or an address"))
            }
            urls.append("nats://\(host):\(number)")
        }
        return .success(NATSServers(urls: urls))
    }

    public var description: String { "nats://" + urls.map { $0.dropFirst("nats://".count) }.joined(separator: ",") }
}

/// Why a text is not a list of NATS servers.
public struct NATSAddressProblem: Error, Sendable, Hashable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A stream name JetStream accepts and Annals uses: letters, digits, `-` and `_`.
public enum StreamNames {
    /// The stream `annals replicate` and `annals follow` use when none is named.
    public static let standard = "ANNALS"

    /// Why `name` cannot name a stream, or `nil` when it can.
    public static func problem(with name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= 64 else { return "must be 1 to 64 characters long" }
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) else {
            return "may hold only letters, digits, - and _"
        }
        return nil
    }

    /// The one subject the stream of that name holds, every event on it: order is the stream's.
    public static func subject(of stream: String) -> String { "annals.\(stream)" }
}

/// A connection to a NATS cluster and its JetStream context. Not shared between threads
/// except as the client library allows (publishing and its acknowledgement callbacks).
final class JetStreamConnection {
    let connection: OpaquePointer
    let context: OpaquePointer
    let servers: NATSServers

    /// Connects to `servers`, reconnecting without end when a server goes away; `options`
    /// configures the JetStream context (asynchronous publishing's limits and callbacks).
    init(servers: NATSServers, name: String, options: jsOptions? = nil) throws(NATSError) {
        self.servers = servers
        var natsOptions: OpaquePointer?
        try check(natsOptions_Create(&natsOptions), "preparing a NATS connection")
        defer { natsOptions_Destroy(natsOptions) }
        let operation = "connecting to \(servers)"
        try check(withCStrings(servers.urls) { natsOptions_SetServers(natsOptions, $0, Int32(servers.urls.count)) }, operation)
        try check(natsOptions_SetName(natsOptions, name), operation)
        try check(natsOptions_SetTimeout(natsOptions, 2_000), operation)
        try check(natsOptions_SetMaxReconnect(natsOptions, -1), operation)
        try check(natsOptions_SetReconnectWait(natsOptions, 250), operation)
        var connection: OpaquePointer?
        try check(natsConnection_Connect(&connection, natsOptions), operation)
        var jetStreamOptions = options ?? jsOptions()
        if options == nil { jsOptions_Init(&jetStreamOptions) }
        var context: OpaquePointer?
        let status = natsConnection_JetStream(&context, connection, &jetStreamOptions)
        guard status == NATS_OK, let connection, let context else {
            natsConnection_Destroy(connection)
            throw NATSError(operation: operation, status: status)
        }
        self.connection = connection
        self.context = context
    }

    deinit {
        jsCtx_Destroy(context)
        natsConnection_Destroy(connection)
    }

    /// The state of stream `name`: its last sequence, or `nil` when there is no such stream.
    func lastSequence(ofStream name: String) throws(NATSError) -> UInt64? {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(rawValue: 0)
        let status = js_GetStreamInfo(&info, context, name, nil, &code)
        defer { jsStreamInfo_Destroy(info) }
        if status == NATS_NOT_FOUND || Int(code.rawValue) == NATSError.streamNotFound { return nil }
        try check(status, "reading the state of stream \(name) at \(servers)", code: code)
        return info?.pointee.State.LastSeq ?? 0
    }

    /// Creates stream `name` holding its one subject, with `replicas` copies on file storage,
    /// unless it exists. Returns its last sequence.
    func ensureStream(_ name: String, replicas: Int) throws(NATSError) -> UInt64 {
        if let last = try lastSequence(ofStream: name) { return last }
        var config = jsStreamConfig()
        jsStreamConfig_Init(&config)
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(rawValue: 0)
        let strings = [name, "An Annals log: one CloudEvent per event, stream sequence = log position", StreamNames.subject(of: name)]
        let status = withCStrings(strings) { strings in
            config.Name = strings[0]
            config.Description = strings[1]
            config.Subjects = strings + 2
            config.SubjectsLen = 1
            config.Storage = js_FileStorage
            config.Replicas = Int64(replicas)
            // Two minutes (JetStream's default), in nanoseconds: positions, not this window, keep
            // a resend from being stored twice.
            config.Duplicates = 120_000_000_000
            return js_AddStream(&info, context, &config, nil, &code)
        }
        defer { jsStreamInfo_Destroy(info) }
        // Another process may have created it in the meantime.
        if Int(code.rawValue) == Int(JSStreamNameExistErr.rawValue), let last = try lastSequence(ofStream: name) { return last }
        try check(status, "creating stream \(name) (\(replicas) \(replicas == 1 ? "replica" : "replicas")) at \(servers)", code: code)
        return info?.pointee.State.LastSeq ?? 0
    }

    /// The body of the message at `sequence` in stream `name`.
    func messageBody(stream name: String, sequence: UInt64) throws(NATSError) -> [UInt8] {
        var message: OpaquePointer?
        var code = jsErrCode(rawValue: 0)
        let status = js_GetMsg(&message, context, name, sequence, nil, &code)
        defer { natsMsg_Destroy(message) }
        try check(status, "reading message \(sequence) of stream \(name) at \(servers)", code: code)
        return Self.body(of: message)
    }

    /// Waits up to `milliseconds` for every asynchronous publish in flight to be answered.
    func waitForAsynchronousPublishes(milliseconds: Int64) -> natsStatus {
        var wait = jsPubOptions()
        jsPubOptions_Init(&wait)
        wait.MaxWait = milliseconds
        return js_PublishAsyncComplete(context, &wait)
    }

    /// The largest message, headers and body, the server takes.
    var maximumPayload: Int { Int(natsConnection_GetMaxPayload(connection)) }

    /// A copy of a message's data.
    static func body(of message: OpaquePointer?) -> [UInt8] {
        let count = Int(natsMsg_GetDataLength(message))
        guard count > 0, let data = natsMsg_GetData(message) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }
}

/// Calls `body` with C strings of `strings`, one after another in one array, valid during the
/// call: what the client library's lists of names take.
func withCStrings<Result>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    let encoded = strings.map { Array($0.utf8CString) }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: max(1, encoded.reduce(0) { $0 + $1.count })) { characters in
        withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: max(1, strings.count)) { pointers in
            var offset = 0
            for (index, string) in encoded.enumerated() {
                let start = characters.baseAddress! + offset
                string.withUnsafeBufferPointer { start.initialize(from: $0.baseAddress!, count: $0.count) }
                pointers[index] = UnsafePointer(start)
                offset += string.count
            }
            return body(pointers.baseAddress!)
        }
    }
}
