/// A wall-clock time in Asia/Shanghai. China uses a fixed UTC+08:00 offset with no daylight saving
/// time (none since 1991), so the conversion to and from an instant is pure arithmetic.
public struct ChinaDateTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public static let offsetSeconds: Int64 = 8 * 3600

    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// Nil for a date or time that does not exist (month 13, 31 April, hour 25, …).
    /// Hour 24 is accepted only as 24:00:00 and normalised to 00:00 of the next day.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
            (0...24).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            hour < 24 || (minute == 0 && second == 0)
        else { return nil }
        let days = CivilCalendar.daysFromEpoch(year: year, month: month, day: day)
        self.init(secondsSinceEpoch: days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Self.offsetSeconds)
    }

    /// The Beijing wall-clock time of a Unix instant.
    public init(secondsSinceEpoch: Int64) {
        let local = secondsSinceEpoch + Self.offsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = Int(local - days * 86_400)
        (year, month, day) = CivilCalendar.civil(fromDays: days)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64 {
        CivilCalendar.daysFromEpoch(year: year, month: month, day: day) * 86_400
            + Int64(hour * 3600 + minute * 60 + second) - Self.offsetSeconds
    }

    public func adding(seconds: Int64) -> ChinaDateTime {
        ChinaDateTime(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    public static func < (lhs: ChinaDateTime, rhs: ChinaDateTime) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// ISO 8601 with the explicit offset, e.g. `2017-07-07T16:00:00+08:00`.
    public var iso8601: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))+08:00"
    }

    public var description: String { iso8601 }

    /// The calendar date in Beijing.
    public var date: CivilDate { CivilDate(year: year, month: month, day: day) }

    /// Parses ISO 8601 (`2026-03-01`, `2026-03-01T01:00`, `2026-03-01 01:00:00`, with an optional
    /// `Z` or `±hh:mm` offset; without an offset the time is Beijing time) and the HJ 212 form
    /// `YYYYMMDDhhmmss` (always Beijing time). Returns nil for anything else.
    public static func parse(_ text: Substring) -> ChinaDateTime? {
        TimeParser.parse(text)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A calendar date (in Beijing when it labels data).
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// 00:00 Beijing time at the start of the date.
    public var start: ChinaDateTime {
        ChinaDateTime(
            secondsSinceEpoch: CivilCalendar.daysFromEpoch(year: year, month: month, day: day) * 86_400
                - ChinaDateTime.offsetSeconds)
    }

    public var description: String {
        String(start.iso8601.prefix(10))
    }
}

/// An hour labelled by its **end**, as GB 3095 and HJ 663 label hourly means: hour 01 of a day
/// is 00:00–01:00 and hour 24 is 23:00–24:00 (STANDARDS §2.5 [S2]).
public struct HourLabel: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The day the hour belongs to.
    public let date: CivilDate
    /// 1 … 24.
    public let hour: Int

    /// The hour that ends at `end` (a whole hour): 2026-03-01T00:00 is hour 24 of 2026-02-28.
    public init(endingAt end: ChinaDateTime) {
        let start = end.adding(seconds: -3600)
        self.date = start.date
        self.hour = start.hour + 1
    }

    /// HJ 212 `DataTime` of hourly data (CN 2061) is the **start** of the period (HJ 212-2017
    /// DataTime rule, STANDARDS §4.5 [T]: `DataTime=20160801080000` covers 08:00–09:00). GB 3095 labels the
    /// same mean by its end, 09:00: the label is the DataTime plus one hour.
    public init(hj212DataTime start: ChinaDateTime) {
        self.init(endingAt: start.adding(seconds: 3600))
    }

    /// The end of the hour (the GB 3095 label as an instant).
    public var end: ChinaDateTime { date.start.adding(seconds: Int64(hour) * 3600) }
    /// The start of the hour (HJ 212 DataTime).
    public var start: ChinaDateTime { date.start.adding(seconds: Int64(hour - 1) * 3600) }

    public static func < (lhs: HourLabel, rhs: HourLabel) -> Bool { lhs.end < rhs.end }

    public var description: String { "\(date) \(hour < 10 ? "0" : "")\(hour)" }
}

/// Proleptic Gregorian day arithmetic, shared by the China clock here and the calendar days of `Campaign`.
public enum CivilCalendar {
    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 (H. Hinnant's `days_from_civil`).
    public static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Inverse of `daysFromEpoch` (`civil_from_days`).
    public static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}

enum TimeParser {
    static func parse(_ raw: Substring) -> ChinaDateTime? {
        let text = Array(raw.trimmingSpaces.utf8)
        if text.count == 14, text.allSatisfy(isDigit) {  // HJ 212 YYYYMMDDhhmmss
            return ChinaDateTime(
                year: number(text, 0, 4), month: number(text, 4, 2), day: number(text, 6, 2),
                hour: number(text, 8, 2), minute: number(text, 10, 2), second: number(text, 12, 2))
        }
        guard text.count >= 10, isDigits(text, 0, 4), text[4] == dash, isDigits(text, 5, 2), text[7] == dash,
            isDigits(text, 8, 2)
        else { return nil }
        let (year, month, day) = (number(text, 0, 4), number(text, 5, 2), number(text, 8, 2))
        var hour = 0
        var minute = 0
        var second = 0
        var index = 10
        if index < text.count, text[index] == UInt8(ascii: "T") || text[index] == UInt8(ascii: " ") {
            guard text.count >= index + 6, isDigits(text, index + 1, 2), text[index + 3] == colon,
                isDigits(text, index + 4, 2)
            else { return nil }
            hour = number(text, index + 1, 2)
            minute = number(text, index + 4, 2)
            index += 6
            if index < text.count, text[index] == colon {
                guard isDigits(text, index + 1, 2) else { return nil }
                second = number(text, index + 1, 2)
                index += 3
                if index < text.count, text[index] == UInt8(ascii: ".") {  // fractional seconds: dropped
                    index += 1
                    while index < text.count, isDigit(text[index]) { index += 1 }
                }
            }
        }
        var offset: Int64 = ChinaDateTime.offsetSeconds
        if index < text.count {
            if text[index] == UInt8(ascii: "Z"), index + 1 == text.count {
                offset = 0
            } else if text[index] == UInt8(ascii: "+") || text[index] == dash, text.count == index + 6,
                isDigits(text, index + 1, 2), text[index + 3] == colon, isDigits(text, index + 4, 2)
            {
                let magnitude = Int64(number(text, index + 1, 2) * 3600 + number(text, index + 4, 2) * 60)
                offset = text[index] == dash ? -magnitude : magnitude
            } else {
                return nil
            }
        }
        guard let wall = ChinaDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        // `wall` read the digits as Beijing time; correct for the offset actually written.
        return wall.adding(seconds: ChinaDateTime.offsetSeconds - offset)
    }

    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isDigits(_ text: [UInt8], _ start: Int, _ count: Int) -> Bool {
        start + count <= text.count && text[start..<(start + count)].allSatisfy(isDigit)
    }
    private static func number(_ text: [UInt8], _ start: Int, _ count: Int) -> Int {
        text[start..<(start + count)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
