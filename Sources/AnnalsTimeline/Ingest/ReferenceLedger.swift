import AnnalsDomain
import AnnalsPlatform
import AnnalsTimelineProjections

/// Checks, in bounded memory, the references an input makes to things defined earlier in the
/// same input: every correction or retraction must come after an assertion of its fact, and
/// no article may be defined twice.
///
/// Each definition and reference is noted as a fixed-size entry keyed by a 128-bit fingerprint
/// of the id. Entries collect in memory and, past a limit, are sorted and written to a temporary
/// file as a run; ``check()`` merges the runs and walks each id's entries in input order. Memory
/// is one run's worth of entries, however many facts the input holds.
final class ReferenceLedger {
    struct Entry: Comparable {
        var fingerprint0: UInt64
        var fingerprint1: UInt64
        /// The record's ordinal in the input, shifted left by 2, with the ``Kind`` in the low bits.
        var ordinalAndKind: UInt64
        /// The file index (high 32 bits) and line (low 32 bits) of the record.
        var location: UInt64
        /// For references: the offset of the fact id in ``referencedIDs``.
        var extra: UInt64

        static func < (a: Entry, b: Entry) -> Bool {
            (a.fingerprint0, a.fingerprint1, a.ordinalAndKind) < (b.fingerprint0, b.fingerprint1, b.ordinalAndKind)
        }

        var kind: Kind { Kind(rawValue: ordinalAndKind & 3) ?? .factDefinition }
        var ordinal: UInt64 { ordinalAndKind >> 2 }
    }

    enum Kind: UInt64 {
        case factDefinition = 0
        case factReference = 1
        case articleDefinition = 2
    }

    private let runLimit: Int
    private var entries: [Entry] = []
    private var runs: [(offset: Int, count: Int)] = []
    private var runFile: FileDescriptor?
    private var runBytes = 0
    /// Ids of references, for messages; only references not already satisfied by the store are kept.
    private var referencedIDs: [UInt8] = []
    private var hasChecks = false

    init(runLimit: Int = 1 << 20) {
        self.runLimit = runLimit
        entries.reserveCapacity(min(runLimit, 1 << 16))
    }

    private static func fingerprint(_ namespace: UInt8, _ id: String) -> (UInt64, UInt64) {
        // Two independently salted SipHash digests: 128 bits, so distinct ids never meet in practice.
        var first = Hasher()
        first.combine(namespace)
        first.combine(id)
        var second = Hasher()
        second.combine(namespace ^ 0xA5)
        second.combine(0x5bd1_e995 as UInt32)
        second.combine(id)
        return (UInt64(bitPattern: Int64(first.finalize())), UInt64(bitPattern: Int64(second.finalize())))
    }

    private static func pack(_ location: SourceLocation, fileIndex: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: fileIndex)) << 32 | UInt64(UInt32(clamping: location.line))
    }

    func noteAssertion(of fact: String, ordinal: UInt64, at location: SourceLocation, fileIndex: Int) throws {
        let fingerprint = Self.fingerprint(0, fact)
        try add(Entry(fingerprint0: fingerprint.0, fingerprint1: fingerprint.1, ordinalAndKind: ordinal << 2 | Kind.factDefinition.rawValue,
                      location: Self.pack(location, fileIndex: fileIndex), extra: 0))
    }

    /// A correction or retraction of `fact`, which the store does not have: an assertion must
    /// come earlier in the input.
    func noteReference(to fact: String, ordinal: UInt64, at location: SourceLocation, fileIndex: Int) throws {
        hasChecks = true
        let fingerprint = Self.fingerprint(0, fact)
        let offset = UInt64(referencedIDs.count)
        referencedIDs.append(UInt8(min(fact.utf8.count, 255)))
        referencedIDs.append(contentsOf: fact.utf8.prefix(255))
        try add(Entry(fingerprint0: fingerprint.0, fingerprint1: fingerprint.1, ordinalAndKind: ordinal << 2 | Kind.factReference.rawValue,
                      location: Self.pack(location, fileIndex: fileIndex), extra: offset))
    }

    func noteArticle(_ article: String, ordinal: UInt64, at location: SourceLocation, fileIndex: Int) throws {
        hasChecks = true
        let fingerprint = Self.fingerprint(1, article)
        try add(Entry(fingerprint0: fingerprint.0, fingerprint1: fingerprint.1, ordinalAndKind: ordinal << 2 | Kind.articleDefinition.rawValue,
                      location: Self.pack(location, fileIndex: fileIndex), extra: 0))
    }

    private func add(_ entry: Entry) throws {
        entries.append(entry)
        if entries.count >= runLimit { try writeRun() }
    }

    private func writeRun() throws {
        entries.sort()
        let file = try runFile ?? SpillError.anonymousFile(label: "annals-ledger")
        runFile = file
        let byteCount = entries.count * MemoryLayout<Entry>.stride
        let offset = runBytes
        let result = entries.withUnsafeBytes { bytes in Result { () throws(Errno) in try file.write(bytes, at: offset) } }
        if case .failure(let error) = result { throw SpillError.cannotWrite(error) }
        runs.append((runBytes, entries.count))
        runBytes += byteCount
        entries.removeAll(keepingCapacity: true)
    }

    /// The first problem in input order, as (ordinal, file index, line, message), or `nil`.
    /// `fileName` names the input file of an index, for messages that point at another record.
    func check(fileName: (Int) -> String) throws -> (ordinal: UInt64, fileIndex: Int, line: Int, message: String)? {
        guard hasChecks else { return nil }
        var worst: (ordinal: UInt64, fileIndex: Int, line: Int, message: String)?
        func report(_ entry: Entry, _ message: String) {
            guard worst == nil || entry.ordinal < worst?.ordinal ?? .max else { return }
            worst = (entry.ordinal, Int(entry.location >> 32), Int(UInt32(truncatingIfNeeded: entry.location)), message)
        }
        var groupKey: (UInt64, UInt64)?
        var earliestAssertion: UInt64?
        var firstArticle: Entry?
        try forEachSorted { entry in
            if groupKey.map({ $0 != (entry.fingerprint0, entry.fingerprint1) }) ?? true {
                groupKey = (entry.fingerprint0, entry.fingerprint1)
                earliestAssertion = nil
                firstArticle = nil
            }
            switch entry.kind {
            case .factDefinition:
                if earliestAssertion == nil { earliestAssertion = entry.ordinal }
            case .factReference:
                if earliestAssertion.map({ $0 >= entry.ordinal }) ?? true {
                    report(entry, "fact \(referencedID(at: entry.extra)) is not in the store and not asserted earlier in the input; a correction or retraction needs an earlier assertion")
                }
            case .articleDefinition:
                if let first = firstArticle {
                    let place = "\(fileName(Int(first.location >> 32))):\(UInt32(truncatingIfNeeded: first.location))"
                    report(entry, "this article is already defined at \(place); define each article once")
                } else {
                    firstArticle = entry
                }
            }
        }
        return worst
    }

    private func referencedID(at offset: UInt64) -> String {
        let start = Int(offset)
        guard start < referencedIDs.count else { return "?" }
        let length = Int(referencedIDs[start])
        return String(decoding: referencedIDs[(start + 1)..<min(start + 1 + length, referencedIDs.count)], as: UTF8.self)
    }

    /// Visits every entry in (fingerprint, ordinal) order, merging the runs on disk with the
    /// entries still in memory.
    private func forEachSorted(_ body: (Entry) throws -> Void) throws {
        entries.sort()
        guard !runs.isEmpty, let runFile else {
            for entry in entries { try body(entry) }
            return
        }
        var sources: [RunReader] = runs.map { RunReader(file: runFile, offset: $0.offset, count: $0.count) }
        sources.append(RunReader(memory: entries))
        var heads: [Entry?] = try sources.indices.map { try sources[$0].next() }
        while true {
            var best: Int?
            for index in heads.indices {
                guard let head = heads[index] else { continue }
                if let current = best, let bestEntry = heads[current], !(head < bestEntry) { continue }
                best = index
            }
            guard let chosen = best, let entry = heads[chosen] else { return }
            try body(entry)
            heads[chosen] = try sources[chosen].next()
        }
    }

    /// Reads one sorted run back in blocks.
    private struct RunReader {
        private let file: FileDescriptor?
        private var offset: Int
        private var remaining: Int
        private var block: [Entry] = []
        private var index = 0

        init(file: FileDescriptor, offset: Int, count: Int) {
            self.file = file
            self.offset = offset
            remaining = count
        }

        init(memory: [Entry]) {
            file = nil
            offset = 0
            remaining = 0
            block = memory
        }

        mutating func next() throws -> Entry? {
            if index < block.count {
                defer { index += 1 }
                return block[index]
            }
            guard remaining > 0, let file else { return nil }
            let count = min(remaining, 8192)
            block = [Entry](repeating: Entry(fingerprint0: 0, fingerprint1: 0, ordinalAndKind: 0, location: 0, extra: 0), count: count)
            let byteCount = count * MemoryLayout<Entry>.stride
            let start = offset
            let read = block.withUnsafeMutableBytes { buffer in Result { () throws(Errno) in try file.read(into: buffer, at: start) } }
            _ = try SpillError.checkRead(read, expected: byteCount)
            offset += byteCount
            remaining -= count
            index = 1
            return block[0]
        }
    }
}
