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
    /// Every group, in key order (each dimension's value, then the next).
    public func rows(in state: State, txn: borrowing Transaction) throws -> [DeclaredRow] {
        var rows: [DeclaredRow] = []
        try txn.forEach(in: state.groups) { entry in
            rows.append(row(try decodeAggregate(entry.value)))
            return true
        }
        return rows
    }

    /// The number of groups.
    public func groupCount(in state: State, txn: borrowing Transaction) throws -> Int {
        try txn.statistics(of: state.groups).entries
    }

    private func row(_ aggregate: Aggregate) -> DeclaredRow {
        let group = aggregate.group.map { $0.isEmpty ? nil : $0 }
        let values = definition.measures.map { measure -> MeasureValue in
            switch measure.kind {
            case .count: return .count(aggregate.count)
            case .first: return .date(aggregate.first == .min ? nil : Self.dateText(aggregate.first))
            case .last: return .date(aggregate.last == .max ? nil : Self.dateText(before: aggregate.last))
            case .facts:
                let limit = measure.limit ?? DeclaredDefinition.Measure.defaultFactLimit
                return .facts(ids: aggregate.facts.prefix(limit).map { String(decoding: $0, as: UTF8.self) }, total: aggregate.count)
            case .sum, .min, .max, .mean:
                let index = quantities.firstIndex(of: measure.quantity ?? "") ?? 0
                return .amounts(aggregate.quantities[index].map { Self.amount($0, measure: measure) })
            }
        }
        return DeclaredRow(group: group, values: values)
    }

    /// A unit total as `measure` shows it: durations in the measure's unit (hours and months
    /// unless it says otherwise), other units as they are.
    private static func amount(_ total: UnitTotal, measure: DeclaredDefinition.Measure) -> Amount {
        let value: ScaledDecimal = switch measure.kind {
        case .min: total.minimum
        case .max: total.maximum
        default: total.sum
        }
        // A mean and a duration's unit each divide; dividing once rounds once.
        var divisor: Int128 = measure.kind == .mean ? Int128(total.count) : 1
        var unit = String(total.dimension.drop { $0 != ":" }.dropFirst())
        if total.dimension == "time" || total.dimension == "calendar-time" {
            let calendar = total.dimension == "calendar-time"
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
        let date = CivilDate.fromDaysSinceEpoch(days)
        let day = "\(zeroPadded(date.year, 4))-\(zeroPadded(date.month, 2))-\(zeroPadded(date.day, 2))"
        let second = seconds - days * 86_400
        guard second != 0 else { return day }
        return day + "T\(zeroPadded(second / 3600, 2)):\(zeroPadded(second / 60 % 60, 2)):\(zeroPadded(second % 60, 2))Z"
    }

    /// The last day (or minute, or second) a range ending just before `end` reaches.
    static func dateText(before end: Int64) -> String {
        if end % 86_400 == 0 { return String(dateText(end - 86_400)) }
        return dateText(end % 60 == 0 ? end - 60 : end - 1)
    }
}
