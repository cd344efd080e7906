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
    /// Every group, in key order (each dimension's value, then the next), copied out of the
    /// store with each value ready to show. ``forEachGroup(in:txn:_:)`` reads them in place.
    public func rows(in state: State, txn: borrowing Transaction) throws -> [DeclaredRow] {
        var rows: [DeclaredRow] = []
        try forEachGroup(in: state, txn: txn) { view in
            rows.append(row(view))
            return true
        }
        return rows
    }

    private func row(_ view: DeclaredGroupView) -> DeclaredRow {
        var group: [String?] = []
        group.reserveCapacity(definition.groupBy.count)
        view.forEachValue { group.append($0.isEmpty ? nil : String(decoding: $0, as: UTF8.self)) }
        let values = definition.measures.map { measure -> MeasureValue in
            switch measure.kind {
            case .count: return .count(view.count)
            case .first: return .date(view.first == .min ? nil : Self.dateText(view.first))
            case .last: return .date(view.last == .max ? nil : Self.dateText(before: view.last))
            case .facts:
                let limit = measure.limit ?? DeclaredDefinition.Measure.defaultFactLimit
                var ids: [String] = []
                ids.reserveCapacity(min(limit, factLimit))
                view.forEachFact { if ids.count < limit { ids.append(String(decoding: $0, as: UTF8.self)) } }
                return .facts(ids: ids, total: view.count)
            case .sum, .min, .max, .mean:
                var amounts: [Amount] = []
                view.forEachTotal(ofQuantity: quantities.firstIndex(of: measure.quantity ?? "") ?? 0) { amounts.append(Self.amount($0, measure: measure)) }
                return .amounts(amounts)
            }
        }
        return DeclaredRow(group: group, values: values)
    }

    /// A unit total as `measure` shows it: durations in the measure's unit (hours and months
    /// unless it says otherwise), other units as they are.
    private static func amount(_ total: UnitTotalView, measure: DeclaredDefinition.Measure) -> Amount {
        let value: ScaledDecimal = switch measure.kind {
        case .min: total.minimum
        case .max: total.maximum
        default: total.sum
        }
        // A mean and a duration's unit each divide; dividing once rounds once.
        var divisor: Int128 = measure.kind == .mean ? Int128(total.count) : 1
        let dimension = total.dimension
        var unit: String
        if let colon = dimension.firstIndex(of: UInt8(ascii: ":")) {
            // "currency:USD" shows as USD.
            unit = String(decoding: UnsafeRawBufferPointer(rebasing: dimension[(colon + 1)...]), as: UTF8.self)
        } else {
            let calendar = dimension.elementsEqual(Quantity.calendarTimeDimension.utf8)
            let shown = measure.unit.flatMap { $0.isCalendar == calendar ? $0 : nil } ?? (calendar ? .months : .hours)
            unit = shown.rawValue
            divisor *= Int128(shown.factor ?? 1)
        }
        let (quotient, exact) = value.divided(by: divisor, fractionDigits: 6)
        let isApproximate = switch measure.kind {
        case .min: total.minimumIsApproximate
        case .max: total.maximumIsApproximate
        default: total.approximate > 0
        }
        return Amount(value: quotient.description, unit: unit, isApproximate: isApproximate, isRounded: !exact, count: total.count)
    }

    /// The EDTF text of the second at `seconds`: a day when it is midnight UTC, else the time.
    static func dateText(_ seconds: Int64) -> String {
        let days = PeriodLabel.day(of: seconds)
        var text: [UInt8] = []
        text.reserveCapacity(20)
        PeriodLabel.appendDay(CivilDate.fromDaysSinceEpoch(days), to: &text)
        let second = seconds - days * 86_400
        if second != 0 {
            text.append(UInt8(ascii: "T"))
            appendZeroPadded(second / 3600, 2, to: &text)
            text.append(UInt8(ascii: ":"))
            appendZeroPadded(second / 60 % 60, 2, to: &text)
            text.append(UInt8(ascii: ":"))
            appendZeroPadded(second % 60, 2, to: &text)
            text.append(UInt8(ascii: "Z"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The last day (or minute, or second) a range ending just before `end` reaches.
    static func dateText(before end: Int64) -> String {
        if end % 86_400 == 0 { return dateText(end - 86_400) }
        return dateText(end % 60 == 0 ? end - 60 : end - 1)
    }
}
