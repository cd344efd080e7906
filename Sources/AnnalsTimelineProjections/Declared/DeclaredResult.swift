import AnnalsDomain
import AnnalsLog
import AnnalsProjections
import LMDB

/// One group of a declared projection's result, with each measure's value ready to show.
public struct DeclaredRow: Sendable, Hashable {
    /// The group's value of each dimension, in `group-by` order; `nil` where the fact had none
    /// (no place, no actor in the filtered roles, an open start).
    public let group: [String?]
    /// One value per measure, in the definition's order.
    public let values: [MeasureValue]
}

/// A measure's value for one group.
public enum MeasureValue: Sendable, Hashable {
    case count(Int)
    /// Per unit (never added across units): sums, smallest, largest or means.
    case amounts([Amount])
    /// A date, as EDTF text: a day, or a time when the fact had one; `nil` when open.
    case date(String?)
    /// The first ids in id order, and how many facts the group holds.
    case facts(ids: [String], total: Int)
}

/// An exact amount in one unit.
public struct Amount: Sendable, Hashable {
    /// Plain decimal notation, exact unless `isRounded`.
    public let value: String
    public let unit: String
    /// Whether a value that went into it was approximate: any, for a sum or a mean; every
    /// value equal to it, for a minimum or a maximum.
    public let isApproximate: Bool
    /// Whether the value was rounded (a mean, or a duration in a larger unit) to six decimals.
    public let isRounded: Bool
    /// How many facts had a value in this unit.
    public let count: Int

    /// `~4400000 USD`, `3.5 h`.
    public var display: String { (isApproximate || isRounded ? "~" : "") + value + " " + unit }
}

extension DeclaredProjection {
    /// A group copied out of the store with each value ready to show.
    public func row(_ view: DeclaredGroupView) -> DeclaredRow {
        var group: [String?] = []
        group.reserveCapacity(definition.groupBy.count)
        view.forEachValue { group.append($0.isEmpty ? nil : String(decoding: $0, as: UTF8.self)) }
        let values = definition.measures.map { measure -> MeasureValue in
            switch measure.kind {
            case .count: return .count(view.count)
            case .first, .last:
                var text = ByteWriter(capacity: 24)
                return .date(Self.appendDate(measure.kind, of: view, to: &text) ? text.withBytes { String(decoding: $0, as: UTF8.self) } : nil)
            case .facts:
                let limit = measure.limit ?? DeclaredDefinition.Measure.defaultFactLimit
                var ids: [String] = []
                ids.reserveCapacity(min(limit, factLimit))
                view.forEachFact { if ids.count < limit { ids.append(String(decoding: $0, as: UTF8.self)) } }
                return .facts(ids: ids, total: view.count)
            case .sum, .min, .max, .mean:
                var amounts: [Amount] = []
                forEachAmount(of: measure, in: view) { amount in
                    var value = ByteWriter(capacity: 48)
                    amount.appendValue(to: &value)
                    amounts.append(Amount(value: value.withBytes { String(decoding: $0, as: UTF8.self) }, unit: amount.withUnit { String(decoding: $0, as: UTF8.self) },
                                          isApproximate: amount.isApproximate, isRounded: amount.isRounded, count: amount.count))
                }
                return .amounts(amounts)
            }
        }
        return DeclaredRow(group: group, values: values)
    }

    /// Calls `body` with each unit's amount of `measure` (a sum, minimum, maximum or mean) in
    /// `view`, as the measure shows it (``AmountView/init(_:kind:unit:)``).
    public func forEachAmount(of measure: DeclaredDefinition.Measure, in view: DeclaredGroupView, _ body: (AmountView) throws -> Void) rethrows {
        guard let index = quantityIndex(of: measure) else { return }
        try view.forEachTotal(ofQuantity: index) { try body(AmountView($0, kind: measure.kind, unit: measure.unit)) }
    }

    /// Where `measure`'s quantity is among the group's totals (``DeclaredGroupView/forEachTotal(ofQuantity:_:)``);
    /// `nil` for a measure of no quantity.
    public func quantityIndex(of measure: DeclaredDefinition.Measure) -> Int? {
        measure.quantity.flatMap { quantities.firstIndex(of: $0) }
    }

    /// The EDTF text of the second at `seconds`: a day when it is midnight UTC, else the time.
    static func dateText(_ seconds: Int64) -> String {
        var text = ByteWriter(capacity: 24)
        appendDate(seconds, to: &text)
        return text.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the group's first date (for `.first`) or its last (for `.last`) as EDTF text:
    /// a day, or a time when the fact had one. Returns `false`, appending nothing, when that
    /// end is open.
    public static func appendDate(_ end: DeclaredDefinition.Measure.Kind, of group: DeclaredGroupView, to text: inout ByteWriter) -> Bool {
        if end == .first {
            guard group.first != .min else { return false }
            appendDate(group.first, to: &text)
        } else {
            guard group.last != .max else { return false }
            appendDate(lastSecond(before: group.last), to: &text)
        }
        return true
    }

    /// Appends the EDTF text of the second at `seconds` to `text`: a day when it is midnight
    /// UTC, else the time.
    static func appendDate(_ seconds: Int64, to text: inout ByteWriter) {
        let days = PeriodLabel.day(of: seconds)
        PeriodLabel.appendDay(CivilDate.fromDaysSinceEpoch(days), to: &text)
        let second = Int(seconds - days * 86_400)
        if second != 0 {
            text.append(UInt8(ascii: "T"))
            text.paddedInteger(second / 3600, width: 2)
            text.append(UInt8(ascii: ":"))
            text.paddedInteger(second / 60 % 60, width: 2)
            text.append(UInt8(ascii: ":"))
            text.paddedInteger(second % 60, width: 2)
            text.append(UInt8(ascii: "Z"))
        }
    }

    /// The last day (or minute, or second) a range ending just before `end` reaches.
    static func dateText(before end: Int64) -> String {
        dateText(lastSecond(before: end))
    }

    private static func lastSecond(before end: Int64) -> Int64 {
        end % 86_400 == 0 ? end - 86_400 : end % 60 == 0 ? end - 60 : end - 1
    }
}

/// One unit's amount of a measure in a group, read in place: valid only inside the call that
/// hands it out.
public struct AmountView {
    /// Where the unit's name comes from.
    enum Unit {
        /// The part of the dimension after its colon (`USD` of `currency:USD`), in place.
        case named(UnsafeRawBufferPointer)
        /// A duration shown in this unit.
        case duration(QuantityUnit.DurationUnit)
    }

    let value: ScaledDecimal
    let unit: Unit
    /// Whether a value that went into it was approximate: any, for a sum or a mean; every
    /// value equal to it, for a minimum or a maximum.
    public let isApproximate: Bool
    /// Whether the value was rounded (a mean, or a duration in a larger unit) to six decimals.
    public let isRounded: Bool
    /// How many facts had a value in this unit.
    public let count: Int

    /// `total` as a measure of `kind` shows it: the sum, smallest, largest or mean value;
    /// durations in `unit` (hours and months unless given), other units as they are.
    public init(_ total: UnitTotalView, kind: DeclaredDefinition.Measure.Kind, unit durationUnit: QuantityUnit.DurationUnit?) {
        let value: ScaledDecimal = switch kind {
        case .min: total.minimum
        case .max: total.maximum
        default: total.sum
        }
        // A mean and a duration's unit each divide; dividing once rounds once.
        var divisor: Int128 = kind == .mean ? Int128(total.count) : 1
        let dimension = total.dimension
        if let colon = Self.colon(in: dimension) {
            // "currency:USD" shows as USD.
            unit = .named(UnsafeRawBufferPointer(rebasing: dimension[(colon + 1)...]))
        } else {
            let calendar = dimension.elementsEqual(Quantity.calendarTimeDimension.utf8)
            let shown = durationUnit.flatMap { $0.isCalendar == calendar ? $0 : nil } ?? (calendar ? .months : .hours)
            unit = .duration(shown)
            divisor *= Int128(shown.factor ?? 1)
        }
        let (quotient, exact) = value.divided(by: divisor, fractionDigits: 6)
        self.value = quotient
        isRounded = !exact
        isApproximate = switch kind {
        case .min: total.minimumIsApproximate
        case .max: total.maximumIsApproximate
        default: total.approximate > 0
        }
        count = total.count
    }

    /// Where the colon of `currency:USD` is: a plain loop, as a unit is read for every group.
    private static func colon(in dimension: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index < dimension.count {
            if dimension[index] == UInt8(ascii: ":") { return index }
            index += 1
        }
        return nil
    }

    /// Appends the value in plain decimal notation: `4400000`, `3.5`.
    public func appendValue(to text: inout ByteWriter) { value.appendText(to: &text) }

    /// Calls `body` with the UTF-8 bytes of the unit's name: `USD`, `h`, `sectors`.
    public func withUnit<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch unit {
        case .named(let bytes): return try body(bytes)
        case .duration(let duration):
            var symbol = duration.rawValue
            return try symbol.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }
}
