import AnnalsDomain
import AnnalsTimelineProjections

@_spi(Fuzzing) import AnnalsLog

/// Entry points of the fuzz targets (`Fuzz/`): every reader of untrusted bytes — stored
/// records and payloads, JSON Lines records, YAML fact files — fed whatever the fuzzer makes.
/// Each must return or throw, never crash or hang.
@_spi(Fuzzing)
public enum FuzzEntryPoints {
    /// Decodes `bytes` as a log record and its payload as every domain event type, and as the
    /// values the built-in projections store.
    public static func decodeStoredBytes(_ bytes: UnsafeRawBufferPointer) {
        let position = bytes.count >= 40 ? UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self)) : 1
        if let view = try? EventView.checked(record: bytes, position: position) {
            _ = view.id
            _ = view.type
            _ = view.metadata
            _ = try? ArticleRecord(view)
            _ = try? ActorNaming(view)
            _ = try? ActorAliasing(view)
            _ = try? FactAssertion(view)
            _ = try? FactCorrection(view)
            _ = try? FactRetraction(view)
            _ = try? FactEvent(view)
            // The timeline folds a first assertion read in place: that reading must accept
            // exactly the payloads decoding accepts.
            if view.hasType(DomainEventType.factAsserted), view.schemaVersion == DomainEventType.schemaVersion {
                let inPlace = (try? FactAssertionView(view)) != nil
                let decoded = (try? FactAssertion(view)) != nil
                precondition(inPlace == decoded, "a fact.asserted payload read in place \(inPlace ? "accepted" : "refused") but decoded \(decoded ? "accepted" : "refused")")
            }
            _ = DomainEventDescription.summary(view).count
            _ = DomainEventDescription.json(view).serialized().count
        }
        _ = try? ActorRecord(decoding: bytes)
        _ = try? ArticleSummary(decoding: bytes)
        _ = try? FactRow(decoding: bytes, firstPosition: 1, position: 1)
        _ = try? Lifespans.decode(bytes)
        _ = TimelineIndexKey(bytes, hasRoles: true)
        _ = TimelineIndexKey(bytes, hasRoles: false)
        _ = BucketSummary(bytes)
    }

    /// Parses `bytes` as one line of a JSON Lines input.
    public static func parseJSONLine(_ bytes: UnsafeRawBufferPointer) {
        _ = try? JSONLinesFile.record(bytes, line: 1, file: "fuzz.jsonl")
    }

    /// Parses `bytes` as a YAML fact file whose article text is a fixed paragraph.
    public static func parseFactFile(_ bytes: UnsafeRawBufferPointer) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let article = "The leaders met in Geneva. The talks lasted 3.5 hours. Putin brought up a ransomware cyber-attack in May."
        _ = try? YAMLFactFile.records(yaml: text, path: "fuzz.yaml", displayPath: "fuzz.yaml") { _, _ in article }
    }

    /// Parses `bytes` as a valid-time expression and a decimal, as input fields are.
    public static func parseFields(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? ValidTime(parsing: text)
        _ = try? ExactDecimal(parsing: text)
        _ = Timestamp(iso8601: text)
    }
}
