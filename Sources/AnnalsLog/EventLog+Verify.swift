import LMDB

/// The outcome of ``EventLog/verify(progress:)``.
public struct VerificationReport: Sendable, Hashable {
    /// The first place where the stored log disagrees with itself.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The position of the first damaged or inconsistent record.
        public let position: UInt64
        public let reason: String

        public init(position: UInt64, reason: String) {
            self.position = position
            self.reason = reason
        }

        public var description: String { "position \(position): \(reason)" }
    }

    /// How many records were checked before stopping (all of them when intact).
    public let eventsChecked: UInt64
    /// The chain hash of the last record checked.
    public let headHash: ChainHash
    /// The first problem found, or `nil` when the log is intact.
    public let problem: Problem?

    public var isIntact: Bool { problem == nil }
}

extension EventLog {
    /// Walks the whole log in one snapshot and checks, for every record: that positions run
    /// 1, 2, 3 … without gaps, that the record is well formed, that recorded-at never goes
    /// backwards, that the hash chain recomputes, and that the id index maps its id to it; then
    /// that the id index holds nothing else. Reports the first position where anything disagrees.
    ///
    /// - Parameter progress: called now and then with (records checked, head).
    public func verify(progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerificationReport {
        try environment.read { txn in
            let head = try self.head(in: txn)
            var expected: UInt64 = 1
            var chain = ChainHash.genesis
            var previousTime = Int64.min

            func report(_ position: UInt64, _ reason: String) -> VerificationReport {
                VerificationReport(eventsChecked: expected - 1, headHash: chain, problem: .init(position: position, reason: reason))
            }

            do {
                let problem: VerificationReport? = try txn.withCursor(on: records) { cursor in
                    var entry = try cursor.first()
                    while let current = entry {
                        guard current.key.count == 8, let position = current.key.bigEndianUInt64 else {
                            return report(expected, "a log key is \(current.key.count) bytes long instead of 8")
                        }
                        guard position == expected else {
                            return report(expected, position > expected
                                ? "position \(expected) is missing; the next record is at \(position)"
                                : "a record is out of order (key \(position) after \(expected - 1))")
                        }
                        if let reason = RecordLayout.structuralProblem(current.value, expectedPosition: position) {
                            return report(position, reason)
                        }
                        let view = try EventView(record: current.value, key: position)
                        let time = view.recordedAt.microsecondsSinceEpoch
                        guard time >= previousTime else {
                            return report(position, "recorded-at \(view.recordedAt) is earlier than the previous record's")
                        }
                        let recomputed = ChainHash.of(UnsafeRawBufferPointer(rebasing: current.value[RecordLayout.hashSize...]), after: chain)
                        guard recomputed == ChainHash(view.chainHash) else {
                            return report(position, "the chain hash does not match the record's contents: the record was altered")
                        }
                        guard String(validating: view.idBytes, as: UTF8.self) != nil, String(validating: view.typeBytes, as: UTF8.self) != nil else {
                            return report(position, "the record's id or type is not valid UTF-8")
                        }
                        let indexed = try txn.get(view.idBytes, in: ids)
                        guard let indexed, indexed.count == 8, let indexedPosition = indexed.bigEndianUInt64 else {
                            return report(position, "the id index has no entry for id \(String(reflecting: view.id))")
                        }
                        guard indexedPosition == position else {
                            return report(position, "the id index maps id \(String(reflecting: view.id)) to position \(indexedPosition)")
                        }
                        chain = recomputed
                        previousTime = time
                        expected += 1
                        if expected % 65_536 == 0 { progress?(expected - 1, head) }
                        entry = try cursor.next()
                    }
                    return nil
                }
                if let problem { return problem }
                let indexed = try txn.statistics(of: ids).entries
                if UInt64(indexed) != expected - 1 {
                    return try strayIndexEntry(in: txn, records: expected - 1, chain: chain)
                        ?? report(expected, "the id index holds \(indexed) entries for \(expected - 1) records")
                }
            } catch let error as LMDBError {
                return report(expected, "the store could not be read here (\(error)): its pages are damaged")
            }
            progress?(expected - 1, head)
            return VerificationReport(eventsChecked: expected - 1, headHash: chain, problem: nil)
        }
    }

    /// Finds an id index entry that points at no record with that id, once all `records` were
    /// found intact; the report counts the records before the position it names as intact.
    private func strayIndexEntry(in txn: borrowing Transaction, records: UInt64, chain: ChainHash) throws -> VerificationReport? {
        var stray: VerificationReport.Problem?
        try txn.forEach(in: ids) { entry in
            let id = String(decoding: entry.key, as: UTF8.self)
            guard entry.value.count == 8, let position = entry.value.bigEndianUInt64 else {
                stray = .init(position: 0, reason: "the id index entry for \(String(reflecting: id)) is not a position")
                return false
            }
            guard let view = try self.view(at: position, in: txn) else {
                stray = .init(position: position, reason: "the id index maps id \(String(reflecting: id)) to position \(position), beyond the log's head")
                return false
            }
            if !view.idBytes.elementsEqual(entry.key) {
                stray = .init(position: position, reason: "the id index maps id \(String(reflecting: id)) to position \(position), which holds another event")
                return false
            }
            return true
        }
        return stray.map { VerificationReport(eventsChecked: min(records, max($0.position, 1) - 1), headHash: chain, problem: $0) }
    }
}
