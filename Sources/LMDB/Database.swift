import CLMDB

/// A handle to a named database (a B+tree) inside an ``Environment``.
///
/// Handles are opened with ``Environment/openDatabase(_:flags:create:)``, stay valid for the
/// environment's lifetime and may be shared between threads and transactions. Dropping a
/// database with ``Transaction/drop(_:)`` invalidates its handle.
public struct Database: Sendable, Hashable, CustomStringConvertible {
    /// The database's name, or `nil` for the environment's unnamed main database.
    public let name: String?
    /// The flags the database was opened with.
    public let flags: DatabaseFlags
    @usableFromInline let dbi: MDB_dbi

    init(name: String?, flags: DatabaseFlags, dbi: MDB_dbi) {
        self.name = name
        self.flags = flags
        self.dbi = dbi
    }

    public var description: String { name ?? "(main)" }
}

/// Options fixed when a database is created.
public struct DatabaseFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Compare keys from their last byte to their first. The corresponding C constant is `MDB_REVERSEKEY`.
    public static let reverseKey = DatabaseFlags(rawValue: UInt32(MDB_REVERSEKEY))
    /// Allow several sorted values per key. The corresponding C constant is `MDB_DUPSORT`.
    public static let duplicateSort = DatabaseFlags(rawValue: UInt32(MDB_DUPSORT))
    /// Keys are native-endian `UInt32` or `size_t` integers. The corresponding C constant is `MDB_INTEGERKEY`.
    public static let integerKey = DatabaseFlags(rawValue: UInt32(MDB_INTEGERKEY))
    /// With ``duplicateSort``, all values of a key have one size. The corresponding C constant is `MDB_DUPFIXED`.
    public static let duplicateFixed = DatabaseFlags(rawValue: UInt32(MDB_DUPFIXED))
    /// With ``duplicateSort``, values are native-endian integers. The corresponding C constant is `MDB_INTEGERDUP`.
    public static let integerDuplicate = DatabaseFlags(rawValue: UInt32(MDB_INTEGERDUP))
    /// With ``duplicateSort``, compare values from their last byte. The corresponding C constant is `MDB_REVERSEDUP`.
    public static let reverseDuplicate = DatabaseFlags(rawValue: UInt32(MDB_REVERSEDUP))
}

/// How a write treats an existing key.
public struct PutFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with ``LMDBError/Code/keyExists`` when the key is already present. `MDB_NOOVERWRITE`.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// In a ``DatabaseFlags/duplicateSort`` database, fail when the key/value pair exists. `MDB_NODUPDATA`.
    public static let noDuplicateData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
    /// Append at the end of the database; fails with ``LMDBError/Code/keyExists`` when the key
    /// does not sort after every existing key. Much faster for sequential loads. `MDB_APPEND`.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// Like ``append`` for the values of one key in a duplicate-sorted database. `MDB_APPENDDUP`.
    public static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
}

/// One key/value pair read in place from the memory map.
///
/// Both buffers point into LMDB's pages: they are valid until the transaction ends or the next
/// write in it, and must not be written to. Copy what must outlive that (``keyBytes``,
/// ``valueBytes``).
public struct Entry {
    public let key: UnsafeRawBufferPointer
    public let value: UnsafeRawBufferPointer

    @inlinable
    public init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        self.key = key
        self.value = value
    }

    /// A copy of the key.
    public var keyBytes: [UInt8] { Array(key) }
    /// A copy of the value.
    public var valueBytes: [UInt8] { Array(value) }
}

/// Key bounds for iterating a database in either direction.
public struct KeyRange: Sendable, Hashable {
    /// One end of a range.
    public struct Bound: Sendable, Hashable {
        public var key: [UInt8]
        public var isInclusive: Bool

        public init(_ key: [UInt8], inclusive: Bool = true) {
            self.key = key
            self.isInclusive = inclusive
        }

        public init(_ key: some RawBytes, inclusive: Bool = true) {
            self.key = key.withRawBytes { Array($0) }
            self.isInclusive = inclusive
        }
    }

    /// The lowest key, or `nil` for the start of the database.
    public var lower: Bound?
    /// The highest key, or `nil` for the end of the database.
    public var upper: Bound?

    public init(lower: Bound? = nil, upper: Bound? = nil) {
        self.lower = lower
        self.upper = upper
    }

    /// Every key.
    public static let all = KeyRange()

    /// Keys from `lower` (inclusive) up to `upper` (exclusive).
    public static func from(_ lower: some RawBytes, upTo upper: some RawBytes) -> KeyRange {
        KeyRange(lower: Bound(lower), upper: Bound(upper, inclusive: false))
    }

    /// Keys from `lower` through `upper`, both inclusive.
    public static func from(_ lower: some RawBytes, through upper: some RawBytes) -> KeyRange {
        KeyRange(lower: Bound(lower), upper: Bound(upper))
    }

    /// Keys that begin with `prefix`.
    public static func prefix(_ prefix: some RawBytes) -> KeyRange {
        let bytes = prefix.withRawBytes { Array($0) }
        // The smallest key greater than every key with this prefix: drop trailing 0xFF bytes and
        // increment the last remaining one. An all-0xFF prefix has no upper bound.
        var upper = bytes
        while let last = upper.last, last == 0xFF { upper.removeLast() }
        guard !upper.isEmpty else { return KeyRange(lower: Bound(bytes)) }
        upper[upper.count - 1] += 1
        return KeyRange(lower: Bound(bytes), upper: Bound(upper, inclusive: false))
    }
}

/// The direction of an iteration.
public enum IterationDirection: Sendable {
    case forward
    case backward
}
