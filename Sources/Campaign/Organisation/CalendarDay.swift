import AirQuality
import Foundation

/// A day on the campaign's calendar (China Standard Time, UTC+8, no daylight saving), written `YYYY-MM-DD`.
///
/// Grid assignments and leader contracts run from day to day; a duty shift runs between instants.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// China Standard Time: the campaign's days begin at 00:00 in Beijing.
    public static let chinaOffset: TimeInterval = 8 * 3600

    /// `nil` unless `text` is a real date written `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day in China on which `instant` falls.
    public init(containing instant: Date) {
        let shifted = Int((instant.timeIntervalSince1970 + Self.chinaOffset).rounded(.down))
        let days = shifted >= 0 ? shifted / 86_400 : (shifted - 86_399) / 86_400
        (year, month, day) = Self.civil(fromDays: days)
    }

    /// Noon UTC of this day: how a day is bound for a `DATE` column. Noon, so that a database converting
    /// the instant in any session time zone (UTC−12 to UTC+12) lands on the same date.
    public var storedDate: Date {
        Date(timeIntervalSince1970: TimeInterval(Self.days(year, month, day)) * 86_400 + 43_200)
    }

    /// The day a `DATE` column's value stands for.
    public init(stored date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        (year, month, day) = Self.civil(fromDays: days)
    }

    /// 00:00 of this day in China.
    public var start: Date {
        Date(timeIntervalSince1970: TimeInterval(Self.days(year, month, day)) * 86_400 - Self.chinaOffset)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a date written YYYY-MM-DD"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (`AirQuality.CivilCalendar`).
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        Int(CivilCalendar.daysFromEpoch(year: year, month: month, day: day))
    }

    /// The inverse of `days(_:_:_:)`.
    static func civil(fromDays count: Int) -> (Int, Int, Int) {
        CivilCalendar.civil(fromDays: Int64(count))
    }
}

/// A run of days, both ends included; an open end runs on until changed.
public struct DayRange: Sendable, Hashable {
    public var from: CalendarDay?
    public var through: CalendarDay?

    public init(from: CalendarDay?, through: CalendarDay?) {
        self.from = from
        self.through = through
    }

    public func contains(_ day: CalendarDay) -> Bool {
        (from.map { $0 <= day } ?? true) && (through.map { day <= $0 } ?? true)
    }
}
