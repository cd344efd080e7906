import AnnalsDomain
import AnnalsProjections
import LMDB

/// One group of a declared projection read in place from LMDB's bytes: what an embedding
/// program reads without a copy. Valid only inside the call that hands it out.
///
/// The bytes are an ``Aggregate`` as ``DeclaredProjection`` encodes it:
///
/// ```
/// varint, strings    the group's value of each dimension ("" where the fact had none)
/// varint             how many facts the group holds
/// signed, signed     the earliest start and the latest end of their valid times
/// varint             the byte length of the quantities that follow, so a reader can step over them
/// per measured quantity, in the definition's order:
///   varint           how many units
///   per unit, in dimension order:
///     string         the dimension ("currency:USD", "time")
///     varint, varint how many values, how many of them approximate
///     byte           1: every value equal to the minimum is approximate; 2: likewise the maximum
///     3 × decimal    sum, minimum, maximum (in the dimension's base unit)
/// varint, strings    the first fact ids in byte order, at most the projection's fact limit
/// ```
public struct DeclaredGroupView {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    /// How many facts the group holds.
    public let count: Int
    /// The earliest start of the group's facts' valid times (`Int64.min` when one is open).
    public let first: Int64
    /// The latest end (`Int64.max` when one is open).
    public let last: Int64
    @usableFromInline let quantitiesOffset: Int
    @usableFromInline let factsOffset: Int
    /// How many quantities the definition measures: ``forEachTotal(ofQuantity:_:)`` takes an
    /// index below it.
    public let quantityCount: Int

    /// Reads the layout once; `quantityCount` is how many quantities the definition measures.
    init(_ bytes: UnsafeRawBufferPointer, quantityCount: Int) throws(PayloadError) {
        self.bytes = bytes
        self.quantityCount = quantityCount
        var reader = PayloadReader(bytes)
        for _ in 0..<(try reader.count()) { _ = try reader.stringBytes() }
        count = Int(try reader.varint())
        first = try reader.signed()
        last = try reader.signed()
        let quantitiesLength = try reader.count()
        quantitiesOffset = reader.offset
        // The totals and the ids are read when asked for, each stopping at whatever it cannot
        // read; a reader of counts and dates steps over both.
        factsOffset = reader.offset + quantitiesLength
        guard factsOffset < bytes.count else { throw .truncated }
    }

    /// Calls `body` with the UTF-8 bytes of each dimension's value, in `group-by` order
    /// (empty where the facts had none).
    @inlinable public func forEachValue(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var reader = PayloadReader(bytes)
        // The layout was checked when the view was made.
        guard let values = try? reader.count() else { return }
        for _ in 0..<values {
            guard let value = try? reader.stringBytes() else { return }
            try body(value)
        }
    }

    /// Calls `body` with each unit's total of the `index`th measured quantity.
    @inlinable public func forEachTotal(ofQuantity index: Int, _ body: (UnitTotalView) throws -> Void) rethrows {
        precondition(index < quantityCount, "the definition measures \(quantityCount) quantities")
        var reader = PayloadReader(bytes)
        reader.offset = quantitiesOffset
        for _ in 0..<index {
            guard let units = try? reader.count() else { return }
            for _ in 0..<units { guard (try? Self.skipTotal(&reader)) != nil else { return } }
        }
        guard let units = try? reader.count() else { return }
        for _ in 0..<units {
            guard let total = try? Self.readTotal(&reader) else { return }
            try body(total)
        }
    }

    /// Calls `body` with the UTF-8 bytes of each listed fact id, in byte order.
    @inlinable public func forEachFact(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var reader = PayloadReader(bytes)
        reader.offset = factsOffset
        guard let facts = try? reader.count() else { return }
        for _ in 0..<facts {
            guard let fact = try? reader.stringBytes() else { return }
            try body(fact)
        }
    }

    /// Checks the parts a view reads only when asked for: exactly one list of totals per
    /// measured quantity, filling their length, then the listed ids, filling the rest. The fold
    /// checks before it changes a group; a read stops at whatever it cannot read.
    func checkWhole() throws(PayloadError) {
        var reader = PayloadReader(bytes)
        reader.offset = quantitiesOffset
        for _ in 0..<quantityCount {
            for _ in 0..<(try reader.count()) { try Self.skipTotal(&reader) }
        }
        guard reader.offset == factsOffset else { throw .malformed("quantities that do not fill their length") }
        for _ in 0..<(try reader.count()) { _ = try reader.stringBytes() }
        try reader.finish()
    }

    /// Steps over a unit's total, checking every part of it, its decimals included.
    @inlinable static func skipTotal(_ reader: inout PayloadReader) throws(PayloadError) {
        _ = try reader.stringBytes()
        _ = try reader.varint()
        _ = try reader.varint()
        guard try reader.byte() & ~3 == 0 else { throw .malformed("extreme flags") }
        for _ in 0..<3 { _ = try reader.scaledDecimal() }
    }

    @inlinable static func readTotal(_ reader: inout PayloadReader) throws(PayloadError) -> UnitTotalView {
        let dimension = try reader.stringBytes()
        let count = Int(try reader.varint())
        let approximate = Int(try reader.varint())
        let extremes = try reader.byte()
        guard extremes & ~3 == 0 else { throw .malformed("extreme flags \(extremes)") }
        // A measure shows one of the three decimals: each is decoded, and checked, when asked for.
        let decimals = reader.offset
        try reader.skipVarints(3 * UnitTotalView.varintsPerDecimal)
        return UnitTotalView(
            dimension: dimension, count: count, approximate: approximate,
            decimals: reader.bytesRead(since: decimals),
            minimumIsApproximate: extremes & 1 != 0, maximumIsApproximate: extremes & 2 != 0)
    }
}

/// One unit's total of a quantity in a group, read in place.
public struct UnitTotalView {
    /// The dimension's UTF-8 bytes: `currency:USD`, `time`, `calendar-time`, `count:sectors`.
    public let dimension: UnsafeRawBufferPointer
    /// How many values; how many of them approximate.
    public let count: Int
    public let approximate: Int
    /// The sum, the minimum and the maximum, one after another as stored.
    @usableFromInline let decimals: UnsafeRawBufferPointer
    @usableFromInline let minimumIsApproximate: Bool
    @usableFromInline let maximumIsApproximate: Bool

    /// A decimal is its high half, its low half and its exponent.
    @inlinable static var varintsPerDecimal: Int { 3 }

    @inlinable init(dimension: UnsafeRawBufferPointer, count: Int, approximate: Int, decimals: UnsafeRawBufferPointer,
                    minimumIsApproximate: Bool, maximumIsApproximate: Bool) {
        self.dimension = dimension
        self.count = count
        self.approximate = approximate
        self.decimals = decimals
        self.minimumIsApproximate = minimumIsApproximate
        self.maximumIsApproximate = maximumIsApproximate
    }

    var sum: ScaledDecimal { decimal(0) }
    var minimum: ScaledDecimal { decimal(1) }
    var maximum: ScaledDecimal { decimal(2) }

    /// The `index`th decimal, or zero when its bytes do not read as one (a damaged state, which
    /// `annals verify --projections` reports).
    private func decimal(_ index: Int) -> ScaledDecimal {
        var reader = PayloadReader(decimals)
        guard (try? reader.skipVarints(index * Self.varintsPerDecimal)) != nil, let value = try? reader.scaledDecimal() else { return .zero }
        return value
    }

    /// The sum as a significand and a power of ten, in the dimension's base unit (seconds,
    /// months, or the unit itself).
    public var sumParts: (significand: Int128, exponent: Int) {
        let sum = sum
        return (sum.significand, sum.exponent)
    }

    /// The total as the fold keeps it: all three decimals, read in one pass.
    var unitTotal: UnitTotal {
        var reader = PayloadReader(decimals)
        func next() -> ScaledDecimal { (try? reader.scaledDecimal()) ?? .zero }
        let (sum, minimum, maximum) = (next(), next(), next())
        return UnitTotal(dimension: String(decoding: dimension, as: UTF8.self), count: count, approximate: approximate, sum: sum,
                         minimum: minimum, minimumIsApproximate: minimumIsApproximate, maximum: maximum, maximumIsApproximate: maximumIsApproximate)
    }
}

extension DeclaredProjection {
    /// Calls `body` with every group in key order, read in place; `body` returns whether to go on.
    public func forEachGroup(in state: State, txn: borrowing Transaction, _ body: (DeclaredGroupView) throws -> Bool) throws {
        try txn.forEach(in: state.groups) { entry in
            try body(try view(entry.value))
        }
    }

    func view(_ bytes: UnsafeRawBufferPointer, checkingWhole: Bool = false) throws -> DeclaredGroupView {
        do {
            let view = try DeclaredGroupView(bytes, quantityCount: quantities.count)
            if checkingWhole { try view.checkWhole() }
            return view
        } catch {
            throw ProjectionError.damagedState(projection: name, what: "a group: \(error)")
        }
    }

    /// A group as the fold changes it: the one reading of the layout, copied out.
    func decodeAggregate(_ bytes: UnsafeRawBufferPointer) throws -> Aggregate {
        let view = try view(bytes, checkingWhole: true)
        var group: [String] = []
        view.forEachValue { group.append(String(decoding: $0, as: UTF8.self)) }
        var aggregate = Aggregate(group: group, count: view.count, first: view.first, last: view.last, quantities: [])
        for index in quantities.indices {
            var totals: [UnitTotal] = []
            view.forEachTotal(ofQuantity: index) { totals.append($0.unitTotal) }
            aggregate.quantities.append(totals)
        }
        view.forEachFact { aggregate.facts.append(String(decoding: $0, as: UTF8.self)) }
        return aggregate
    }
}
