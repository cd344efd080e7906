import AnnalsDomain
import AnnalsLog
import AnnalsPlatform
import AnnalsProjections
import LMDB

/// What ``TimelineStore/importCloudEvents(path:displayPath:progress:)`` did.
public struct ImportReport: Sendable {
    /// Events the file holds.
    public var events = 0
    /// Of those, events the store already held, identical.
    public var alreadyPresent = 0
    /// Of those, events appended.
    public var appended = 0
    /// The positions appended.
    public var positions: ClosedRange<UInt64>?
    /// The log's head and its chain hash after the import.
    public var head: UInt64 = 0
    public var headHash: ChainHash = .genesis
    public var catchUp: CatchUpReport?
}

extension TimelineStore {
    /// Events per call into the log while importing: all of them go into one transaction.
    static let importBatch = 4_096

    /// Reads a file of events in the ``CloudEventForm`` (as `annals export` writes it) and
    /// reproduces them in the log: same positions, same recorded-at, same chain hashes.
    ///
    /// Each line must follow the one before it, and its content must reproduce its `chainhash`
    /// from the hash before it, so a changed, missing or reordered line is found. Events the
    /// store already holds at the same position, identical, are skipped; the rest are appended.
    /// The whole file is imported in one write transaction: the first problem throws an
    /// ``InputError`` naming the line and attribute, and leaves the store exactly as it was.
    /// Then the projections catch up, unless `catchingUp` is `false` (a bulk load that catches
    /// up once at its end, or a copy only the log of which matters).
    @discardableResult
    public func importCloudEvents(path: String, displayPath: String? = nil, catchingUp: Bool = true,
                                  progress: ((Int, Int) -> Void)? = nil) throws -> ImportReport {
        let shown = displayPath ?? path
        var importer = CloudEventsImporter(log: log, file: try JSONLinesFile(path: path, displayPath: shown), progress: progress)
        try environment.write { txn in
            // A write that fills the map runs again from the start once the map has grown.
            if importer.hasStarted { importer = CloudEventsImporter(log: log, file: try JSONLinesFile(path: path, displayPath: shown), progress: progress) }
            try importer.run(in: txn)
        }
        progress?(importer.file.totalBytes, importer.file.totalBytes)
        var report = importer.report
        if catchingUp && report.appended > 0 { report.catchUp = try catchUp() }
        return report
    }
}

/// One import: reads the file's lines and writes the new events within the caller's transaction.
private struct CloudEventsImporter {
    let log: EventLog
    let file: JSONLinesFile
    let progress: ((Int, Int) -> Void)?
    var report = ImportReport()
    /// One parser for every line, so that each builds its tree where the last one's was.
    private var parser = JSONParser()
    /// The position, previous chain hash and previous recorded-at the next line must have.
    private var expected: (position: UInt64, hash: ChainHash, time: Timestamp?)?
    private var batch: [RecordedEvent] = []
    private var batchLines: [Int] = []
    /// Whether ``run(in:)`` was called: the file is read once per importer.
    private(set) var hasStarted = false

    init(log: EventLog, file: JSONLinesFile, progress: ((Int, Int) -> Void)?) {
        self.log = log
        self.file = file
        self.progress = progress
        batch.reserveCapacity(TimelineStore.importBatch)
    }

    mutating func run(in txn: borrowing Transaction) throws {
        hasStarted = true
        // A replica's log is its stream's: an import would make it another.
        if let source = try log.replicaSource(in: txn) { throw EventLogError.replica(path: log.environment.path, source: source) }
        let head = try log.head(in: txn)
        while let (line, number) = try file.nextNonBlankLine() {
            do {
                try take(line, number: number, head: head, in: txn)
            } catch {
                // The events still waiting come from earlier lines: a problem among them is the
                // first one, so they are written (and checked) before this line's is reported.
                try appendBatch(in: txn)
                throw error
            }
        }
        try appendBatch(in: txn)
        guard report.events > 0 else { throw InputError(file: file.displayPath, line: nil, field: nil, message: "holds no events") }
        if report.appended > 0, let end = expected?.position {
            report.positions = (end - UInt64(report.appended))...(end - 1)
        }
        report.head = try log.head(in: txn)
        report.headHash = try log.chainHash(at: report.head, in: txn) ?? .genesis
    }

    /// Checks one line against the line before it and the store, and queues its event when the
    /// store does not hold it yet.
    private mutating func take(_ line: ArraySlice<UInt8>, number: Int, head: UInt64, in txn: borrowing Transaction) throws {
        let shown = file.displayPath
        let decoded: Result<RecordedEvent, InputError> = line.withUnsafeBytes { bytes in
            do throws(InputError) { return .success(try CloudEventDecoder.decode(bytes, line: number, file: shown, parser: &parser)) } catch { return .failure(error) }
        }
        let recorded = try decoded.get()
        let problem = { (field: String?, message: String) in InputError(file: shown, line: number, field: field, message: message) }
        if expected == nil {
            guard recorded.position <= head + 1 else {
                throw problem("position", "is \(recorded.position), but the store's log ends at \(head): the file lacks the events from position \(head + 1)")
            }
            let before = recorded.position - 1
            let previous = before == 0 ? nil : try log.view(at: before, in: txn)
            expected = (recorded.position, previous.map { ChainHash($0.chainHash) } ?? .genesis, previous?.recordedAt)
        }
        guard let next = expected else { return }
        guard recorded.position == next.position else {
            throw problem("position", "is \(recorded.position); expected \(next.position), the position after the line before")
        }
        if let time = next.time, recorded.recordedAt < time {
            throw problem("time", "is \(recorded.recordedAt), earlier than the event before it (\(time)); recorded-at never goes backwards")
        }
        if recorded.position <= head {
            // Already in the store: the line must be intact, and the store's event the same. (A
            // new event's hash is checked as the log writes it.)
            let computed = EventLog.chainHash(of: recorded.event, position: recorded.position, recordedAt: recorded.recordedAt, after: next.hash)
            guard computed == recorded.chainHash else { throw problem("chainhash", Self.hashMismatch(expected: recorded.chainHash, computed: computed)) }
            let stored = try log.view(at: recorded.position, in: txn)
            guard let stored, ChainHash(stored.chainHash) == computed else {
                throw problem(nil, "the store holds a different event at position \(recorded.position) (id \(String(reflecting: stored?.id ?? "")), the file's is \(String(reflecting: recorded.event.id))): the store's log is not a prefix of the file's")
            }
            report.alreadyPresent += 1
        } else {
            batch.append(recorded)
            batchLines.append(number)
            if batch.count >= TimelineStore.importBatch {
                try appendBatch(in: txn)
                progress?(file.bytesConsumed, file.totalBytes)
            }
        }
        report.events += 1
        expected = (next.position + 1, recorded.chainHash, recorded.recordedAt)
    }

    /// Writes the queued events; they leave the queue whether or not they could be written (a
    /// failure aborts the whole import).
    private mutating func appendBatch(in txn: borrowing Transaction) throws {
        guard !batch.isEmpty else { return }
        defer {
            batch.removeAll(keepingCapacity: true)
            batchLines.removeAll(keepingCapacity: true)
        }
        do {
            try log.appendRecorded(batch, in: txn)
        } catch let problem as RecordedEventProblem {
            throw Self.importError(problem, file: file.displayPath, batch: batch, lines: batchLines)
        } catch EventLogError.invalidEvent(let index, _, let field, let problem) {
            throw InputError(file: file.displayPath, line: batchLines[index], field: CloudEventDecoder.memberName(ofEventField: field), message: problem)
        }
        report.appended += batch.count
    }

    private static func hashMismatch(expected: ChainHash, computed: ChainHash) -> String {
        "is \(expected), but the event's content gives \(computed): the line was changed, or the lines before it are not the ones it followed"
    }

    private static func importError(_ problem: RecordedEventProblem, file: String, batch: [RecordedEvent], lines: [Int]) -> InputError {
        func line(of position: UInt64) -> Int? {
            batch.firstIndex { $0.position == position }.map { lines[$0] }
        }
        switch problem {
        case let .hashMismatch(position, expected, computed):
            return InputError(file: file, line: line(of: position), field: "chainhash", message: hashMismatch(expected: expected, computed: computed))
        case let .idPresent(id, position, existing):
            return InputError(file: file, line: line(of: position), field: "id",
                              message: "\(String(reflecting: id)) is already in the log, at position \(existing), with other content")
        case let .notNext(position, _), let .recordedBefore(position, _, _):
            return InputError(file: file, line: line(of: position), field: "position", message: problem.description)
        case let .malformed(position, _):
            return InputError(file: file, line: line(of: position), field: nil, message: problem.description)
        }
    }
}

/// Reads one line of the ``CloudEventForm`` back into the event it was written from.
enum CloudEventDecoder {
    typealias Member = CloudEventForm.Member

    static func decode(_ bytes: UnsafeRawBufferPointer, line: Int, file: String) throws(InputError) -> RecordedEvent {
        var parser = JSONParser()
        return try decode(bytes, line: line, file: file, parser: &parser)
    }

    /// Reads one line as ``decode(_:line:file:)`` does, with the `parser` that read the lines
    /// before it.
    static func decode(_ bytes: UnsafeRawBufferPointer, line: Int, file: String, parser: inout JSONParser) throws(InputError) -> RecordedEvent {
        func problem(_ field: String?, _ message: String) -> InputError { InputError(file: file, line: line, field: field, message: message) }
        let node = try JSONLinesFile.parse(bytes, line: line, file: file, parser: &parser)
        guard case .object(let members) = node.value else {
            throw problem(nil, "is \(node.kindDescription); expected a CloudEvent, a JSON object")
        }
        var values: [Member: InputNode] = [:]
        for (key, value) in members {
            // Other attributes (extensions of other producers) are no part of an Annals event.
            guard let member = Member(name: key) else { continue }
            guard values.updateValue(value, forKey: member) == nil else { throw problem(key, "appears more than once") }
            if case .null = value.value { values[member] = nil }
        }
        func text(_ member: Member, required: Bool = true) throws(InputError) -> String? {
            guard let node = values[member] else {
                if required { throw problem(member.name, "is missing; every line of an export has it") }
                return nil
            }
            guard case .string(let text) = node.value else { throw problem(member.name, "is \(node.kindDescription); expected text") }
            return text
        }
        func number(_ member: Member, range: ClosedRange<UInt64>) throws(InputError) -> UInt64 {
            guard let node = values[member] else { throw problem(member.name, "is missing; every line of an export has it") }
            guard case .number(let digits) = node.value, let value = UInt64(digits), range.contains(value) else {
                throw problem(member.name, "is \(Self.shown(node)); expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }

        let specVersion = try text(.specversion)!
        guard specVersion == CloudEventForm.specVersion else {
            throw problem(Member.specversion.name, "is \(String(reflecting: specVersion)); expected \"\(CloudEventForm.specVersion)\" (CloudEvents 1.0)")
        }
        let id = try text(.id)!
        guard try !text(.source)!.isEmpty else { throw problem(Member.source.name, "is empty; expected a URI-reference") }
        let cloudType = try text(.type)!
        guard let type = CloudEventForm.eventType(cloudType) else {
            throw problem(Member.type.name, "is \(String(reflecting: cloudType)); expected an Annals event type, \(CloudEventForm.typePrefix)…")
        }
        let timeText = try text(.time)!
        guard let recordedAt = Timestamp(iso8601: timeText), timeText.contains("T") else {
            throw problem(Member.time.name, "is \(String(reflecting: timeText)); expected an RFC 3339 time such as 2021-05-07T12:00:00.000000Z")
        }
        let position = try number(.position, range: 1...UInt64(Int64.max))
        let schemaVersion = UInt32(try number(.schemaversion, range: 0...UInt64(UInt32.max)))
        let hashText = try text(.chainhash)!
        guard let chainHash = ChainHash(hexadecimal: hashText) else {
            throw problem(Member.chainhash.name, "is \(String(reflecting: hashText)); expected 64 hexadecimal digits")
        }
        let metadata = EventMetadata(source: try text(.origin, required: false), correlationID: try text(.correlationid, required: false),
                                     causationID: try text(.causationid, required: false))

        let payload: [UInt8]
        switch (values[.data], values[.dataBase64]) {
        case (_?, _?):
            throw problem(Member.data.name, "and data_base64 are both present; an event has one or the other")
        case (nil, nil):
            throw problem(Member.data.name, "is missing; expected the payload in data or data_base64")
        case (nil, _?):
            let encoded = try text(.dataBase64)!
            guard let bytes = Base64.decode(encoded) else { throw problem(Member.dataBase64.name, "is not Base64 (RFC 4648, with padding)") }
            payload = bytes
        case (let data?, nil):
            let contentType = try text(.datacontenttype, required: false) ?? CloudEventForm.jsonContentType
            guard Self.isJSON(contentType) else {
                throw problem(Member.datacontenttype.name, "is \(String(reflecting: contentType)); Annals keeps a payload given in data as JSON (application/json)")
            }
            guard schemaVersion == DomainEventType.schemaVersion, let encoded = DomainEventType.payload(type: type, json: JSONValue(data)) else {
                throw problem(Member.data.name, "holds JSON, but a \(type) event of schema version \(schemaVersion) keeps its payload as bytes; expected data_base64")
            }
            switch encoded {
            case .success(let bytes): payload = bytes
            case .failure(let fault): throw problem(fault.field.map { "data.\($0)" } ?? "data", fault.problem)
            }
        }
        let event = NewEvent(id: id, type: type, schemaVersion: schemaVersion, metadata: metadata, payload: payload)
        if let fault = EventLog.problem(with: event) { throw problem(memberName(ofEventField: fault.field), fault.problem) }
        return RecordedEvent(position: position, recordedAt: recordedAt, event: event, chainHash: chainHash)
    }

    /// The member that carries an event field ``EventLog/problem(with:)`` names.
    static func memberName(ofEventField field: String) -> String {
        switch field {
        case "source": Member.origin.name
        case "correlation id": Member.correlationid.name
        case "causation id": Member.causationid.name
        case "payload": Member.data.name
        default: field
        }
    }

    /// Whether a content type declares JSON: `*/json` or `*/*+json`, parameters aside.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = String(contentType.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }).lowercased()
        guard let slash = mediaType.firstIndex(of: "/") else { return false }
        let subtype = mediaType[mediaType.index(after: slash)...]
        return subtype == "json" || subtype.hasSuffix("+json")
    }

    private static func shown(_ node: InputNode) -> String {
        if case .number(let text) = node.value { return text }
        return node.kindDescription
    }
}
