/// Working days on China's official calendar: Monday to Friday, except the public holidays (放假), plus
/// the make-up working days (调休上班) that fall on a weekend — as the State Council publishes them each
/// November for the next year (`Resources/Calendar/china-holidays.csv`). Deadlines "within N working
/// days" (N 个工作日内) are counted on it.
public struct WorkingCalendar: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// 放假: no work, whatever the weekday.
        case holiday
        /// 调休上班: work, whatever the weekday.
        case workday
    }

    /// The days that differ from the weekday rule, with their names (春节, 国庆节调休…).
    public let exceptions: [CalendarDay: (kind: Kind, name: String)]
    /// The years whose arrangement is known; other years count weekends only (`isProvisional`).
    public let publishedYears: Set<Int>

    public init(exceptions: [CalendarDay: (kind: Kind, name: String)], publishedYears: Set<Int>) {
        self.exceptions = exceptions
        self.publishedYears = publishedYears
    }

    public static func == (lhs: WorkingCalendar, rhs: WorkingCalendar) -> Bool {
        lhs.publishedYears == rhs.publishedYears
            && lhs.exceptions.mapValues { "\($0.kind.rawValue)|\($0.name)" }
                == rhs.exceptions.mapValues { "\($0.kind.rawValue)|\($0.name)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(publishedYears)
        hasher.combine(exceptions.count)
    }

    /// Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday).
    public static func weekday(_ day: CalendarDay) -> Int {
        let days = CalendarDay.days(day.year, day.month, day.day)
        return ((days % 7) + 7 + 3) % 7 + 1
    }

    public func isWorkingDay(_ day: CalendarDay) -> Bool {
        if let exception = exceptions[day] { return exception.kind == .workday }
        return Self.weekday(day) <= 5
    }

    /// Whether `day` falls in a year whose arrangement was not known (weekends only were counted).
    public func isProvisional(_ day: CalendarDay) -> Bool { !publishedYears.contains(day.year) }

    /// The day that ends "within `count` working days" of `start`: the count starts on the working day
    /// after `start` (the day of assignment does not count); `provisional` when any day counted lies in
    /// a year whose holidays were not yet published.
    public func adding(workingDays count: Int, to start: CalendarDay) -> (day: CalendarDay, provisional: Bool) {
        var day = start
        var provisional = false
        var remaining = max(0, count)
        while remaining > 0 {
            day = day.adding(days: 1)
            if isProvisional(day) { provisional = true }
            if isWorkingDay(day) { remaining -= 1 }
        }
        return (day, provisional)
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(after start: CalendarDay, through end: CalendarDay) -> Int {
        var day = start
        var count = 0
        while day < end {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }

    /// A problem in a calendar file, with its line.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "第 \(line) 行 / line \(line): \(message)" }
    }

    /// Reads `year,date,kind,name` lines (`#` comments and the header skipped); every bad line is named.
    public static func parse(csv text: String) throws(WorkingCalendarError) -> WorkingCalendar {
        var exceptions: [CalendarDay: (kind: Kind, name: String)] = [:]
        var years: Set<Int> = []
        var problems: [Problem] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            let number = index + 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("year,") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else {
                problems.append(Problem(line: number, message: "应为 4 列 year,date,kind,name / expected 4 columns"))
                continue
            }
            guard let year = Int(fields[0]) else {
                problems.append(Problem(line: number, message: "年份“\(fields[0])”无效 / bad year"))
                continue
            }
            guard let day = CalendarDay(fields[1]), day.year == year else {
                problems.append(
                    Problem(line: number, message: "日期“\(fields[1])”无效或不在 \(year) 年 / bad date, or not in \(year)"))
                continue
            }
            guard let kind = Kind(rawValue: fields[2]) else {
                problems.append(
                    Problem(
                        line: number, message: "类型“\(fields[2])”应为 holiday 或 workday / kind must be holiday or workday")
                )
                continue
            }
            if exceptions[day] != nil {
                problems.append(Problem(line: number, message: "\(fields[1]) 重复 / duplicate date"))
                continue
            }
            let weekend = weekday(day) >= 6
            if kind == .workday && !weekend {
                problems.append(
                    Problem(line: number, message: "\(fields[1]) 是工作日，无需调休上班 / already a weekday working day"))
                continue
            }
            exceptions[day] = (kind, fields[3])
            years.insert(year)
        }
        guard problems.isEmpty else { throw WorkingCalendarError(problems: problems) }
        return WorkingCalendar(exceptions: exceptions, publishedYears: years)
    }
}

public struct WorkingCalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [WorkingCalendar.Problem]
    public var description: String {
        "节假日文件有 \(problems.count) 处错误 / \(problems.count) problem(s) in the holiday file: "
            + problems.map(\.description).joined(separator: "; ")
    }
}

extension CalendarDay {
    /// A day from its parts, which the caller has checked (civil arithmetic).
    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDay {
        let (year, month, day) = Self.civil(fromDays: Self.days(self.year, self.month, self.day) + days)
        return CalendarDay(year: year, month: month, day: day)
    }
}
