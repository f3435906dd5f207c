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
        return Int64(self.periodStart(containing: date).timeIntervalSince1970)
    }

    /// Whether the bucket starting at `bucket` counts toward the window ending at `now`.
    package func counts(bucket: Int64, at now: Date) -> Bool {
        if let length = self.rollingLength {
            let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
            return bucket + length / 60 > seconds - length && bucket <= seconds
        }
        return bucket == self.bucketStart(containing: now)
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

    private func periodStart(containing date: Date) -> Date {
        let component: Calendar.Component
        switch self {
        case .calendarWeek: component = .weekOfYear
        case .calendarMonth: component = .month
        default: component = .day
        }
        return Self.calendar.dateInterval(of: component, for: date)?.start ?? date
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
