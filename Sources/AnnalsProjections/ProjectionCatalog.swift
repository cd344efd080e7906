import LMDB

/// What the store records about one projection: its version, which slot serves it, how far it
/// has applied the log, and any rebuild under way. Kept in the `projections` database, keyed by
/// the projection's name, and always written in the same transaction as the state it describes.
struct CatalogEntry: Sendable, Hashable {
    /// The version of the state in the active slot.
    var version: Int
    /// 0 or 1: which of the projection's two database slots serves readers.
    var activeSlot: UInt8
    /// The last log position the active slot has applied.
    var checkpoint: UInt64
    /// A rebuild into the other slot, when one is under way (or was interrupted).
    var rebuild: Rebuild?

    struct Rebuild: Sendable, Hashable {
        var version: Int
        var checkpoint: UInt64
    }

    var buildingSlot: UInt8 { 1 - activeSlot }

    // Layout, little-endian: version u32, active slot u8, checkpoint u64, has rebuild u8,
    // rebuild version u32, rebuild checkpoint u64 — 26 bytes.
    static let encodedSize = 26

    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.encodedSize)
        bytes.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: UInt32(version).littleEndian, toByteOffset: 0, as: UInt32.self)
            buffer[4] = activeSlot
            buffer.storeBytes(of: checkpoint.littleEndian, toByteOffset: 5, as: UInt64.self)
            if let rebuild {
                buffer[13] = 1
                buffer.storeBytes(of: UInt32(rebuild.version).littleEndian, toByteOffset: 14, as: UInt32.self)
                buffer.storeBytes(of: rebuild.checkpoint.littleEndian, toByteOffset: 18, as: UInt64.self)
            }
        }
        return bytes
    }

    init(version: Int, activeSlot: UInt8, checkpoint: UInt64, rebuild: Rebuild?) {
        self.version = version
        self.activeSlot = activeSlot
        self.checkpoint = checkpoint
        self.rebuild = rebuild
    }

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.encodedSize, bytes[4] <= 1, bytes[13] <= 1 else { return nil }
        version = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        activeSlot = bytes[4]
        checkpoint = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 5, as: UInt64.self))
        rebuild = bytes[13] == 1
            ? Rebuild(
                version: Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 14, as: UInt32.self))),
                checkpoint: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 18, as: UInt64.self)))
            : nil
    }
}
