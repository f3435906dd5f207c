package import Foundation

/// The period a ``SpendLimit`` counts spend over: rolling (the last hour, 24 hours, week or
/// 30 days) or calendar (the current UTC day, ISO week starting Monday, or month).
///
/// Spend is kept in buckets. A calendar window is one bucket, its period. A rolling window has 60
/// buckets of a sixtieth of its length (1 minute for `1h`, 24 minutes for `24h`, 2.8 hours for
/// `1w`, 12 hours for `1m`); a bucket counts while any part of it is in the window, so spend
/// leaves a rolling window up to one bucket late: the limit errs toward refusing, never toward
/// overspending.
package enum LimitWindow: String, Sendable, Hashable, CaseIterable {
    case rollingHour = "1h"
    case rollingDay = "24h"
    case rollingWeek = "1w"
    case rollingMonth = "1m"
    case calendarDay = "day"
    case calendarWeek = "week"
    case calendarMonth = "month"

    /// The accepted spellings, for error messages.
    package static let names = allCases.map(\.rawValue).joined(separator: ", ")

    /// Rolling windows' length in seconds; `nil` for calendar windows.
    var rollingLength: Int64? {
        switch self {
        case .rollingHour: return 3_600
        case .rollingDay: return 86_400
        case .rollingWeek: return 7 * 86_400
        case .rollingMonth: return 30 * 86_400
        case .calendarDay, .calendarWeek, .calendarMonth: return nil
        }
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The start (seconds since 1970) of the bucket that `date`'s spend goes into.
    package func bucketStart(containing date: Date) -> Int64 {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        if let length = self.rollingLength {
            let step = length / 60
            return seconds - ((seconds % step) + step) % step
        }
        // UTC calendar periods by integer arithmetic: this runs on every check.
        let days = Self.floorDivide(seconds, 86_400)
        switch self {
        case .calendarWeek:
            // 1970-01-01 was a Thursday: Monday is 3 days earlier.
            return (days - Self.floorMod(days + 3, 7)) * 86_400
        case .calendarMonth:
            let (year, month, _) = Self.civil(fromDays: days)
            return Self.days(year: year, month: month, day: 1) * 86_400
        default:
            return days * 86_400
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
        value - Self.floorDivide(value, divisor) * divisor
    }

    /// Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = Self.floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The inverse (`days_from_civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = Self.floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whether the bucket starting at `bucket` counts toward the window ending at `now`.
    package func counts(bucket: Int64, at now: Date) -> Bool {
        self.countedBuckets(at: now).contains(bucket)
    }

    /// The starts of the buckets that count toward the window ending at `now`: computed once per
    /// check, so that summing a limit's buckets is integer comparisons only.
    package func countedBuckets(at now: Date) -> ClosedRange<Int64> {
        if let length = self.rollingLength {
            let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
            // A bucket counts while any part of it is in the window: it ends after `seconds − length`.
            return (seconds - length - length / 60 + 1)...seconds
        }
        let start = self.bucketStart(containing: now)
        return start...start
    }

    /// When the current period ends (calendar windows), or when the oldest spend leaves
    /// (rolling windows, roughly): for the 402's message.
    package func resetDescription(at now: Date) -> String {
        switch self {
        case .rollingHour: return "spend older than 1 hour stops counting"
        case .rollingDay: return "spend older than 24 hours stops counting"
        case .rollingWeek: return "spend older than 7 days stops counting"
        case .rollingMonth: return "spend older than 30 days stops counting"
        case .calendarDay, .calendarWeek, .calendarMonth:
            let end = self.periodEnd(containing: now)
            return "the limit resets at \(end.formatted(.iso8601))"
        }
    }

    private func periodEnd(containing date: Date) -> Date {
        let component: Calendar.Component
        switch self {
        case .calendarWeek: component = .weekOfYear
        case .calendarMonth: component = .month
        default: component = .day
        }
        return Self.calendar.dateInterval(of: component, for: date)?.end ?? date
    }
}
