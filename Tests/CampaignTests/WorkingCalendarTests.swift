import Foundation
import Testing

@testable import Campaign

/// Working-day deadlines on the official calendar file of the repository (2025 and 2026 as published
/// by the State Council), across the long holidays and their make-up working days.
@Suite("Working calendar")
struct WorkingCalendarTests {
    static let calendar: WorkingCalendar = {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        let text = try! String(
            contentsOf: root.appendingPathComponent("Resources/Calendar/china-holidays.csv"), encoding: .utf8)
        return try! WorkingCalendar.parse(csv: text)
    }()

    static func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    @Test func theFileHoldsEveryPublishedDay() {
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 holidays = 28, 5 make-up days; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33, 6 make-up days.
        let byYear = Dictionary(grouping: Self.calendar.exceptions, by: { $0.key.year })
        #expect(byYear[2025]?.filter { $0.value.kind == .holiday }.count == 28)
        #expect(byYear[2025]?.filter { $0.value.kind == .workday }.count == 5)
        #expect(byYear[2026]?.filter { $0.value.kind == .holiday }.count == 33)
        #expect(byYear[2026]?.filter { $0.value.kind == .workday }.count == 6)
        #expect(Self.calendar.publishedYears == [2025, 2026])
    }

    @Test(arguments: [
        ("2025-09-29", true),  // Monday
        ("2025-09-28", true),  // Sunday, 国庆调休上班
        ("2025-10-01", false),  // 国庆节
        ("2025-10-08", false),  // 国庆节、中秋节 (the eighth day)
        ("2025-10-11", true),  // Saturday, 调休上班
        ("2025-10-12", false),  // Sunday
        ("2026-02-14", true),  // Saturday, 春节调休上班
        ("2026-02-23", false),  // 春节 (Monday)
        ("2026-01-04", true),  // Sunday, 元旦调休上班
        ("2027-10-01", true),  // not published: a Friday counts as working (provisional)
    ])
    func workingDays(date: String, working: Bool) {
        #expect(Self.calendar.isWorkingDay(Self.day(date)) == working)
    }

    @Test(arguments: [
        // assigned, working days, deadline, provisional
        ("2025-09-30", 5, "2025-10-14", false),  // 10/9, 10/10, 10/11 (Sat, make-up), 10/13, 10/14
        ("2025-09-26", 1, "2025-09-28", false),  // Friday → the make-up Sunday
        ("2025-09-26", 3, "2025-09-30", false),  // 9/28 (Sun, make-up), 9/29, 9/30
        ("2025-09-26", 4, "2025-10-09", false),  // … then the eight-day holiday
        ("2026-02-13", 2, "2026-02-24", false),  // 2/14 (Sat, make-up), then 春节 to 2/23
        ("2026-09-18", 10, "2026-10-09", false),  // across 9/20 (Sun, make-up) and 中秋, 国庆
        ("2026-12-30", 3, "2027-01-04", true),  // 12/31, then 2027 weekends only
        ("2026-03-02", 0, "2026-03-02", false),
    ])
    func deadlines(assigned: String, count: Int, deadline: String, provisional: Bool) {
        let result = Self.calendar.adding(workingDays: count, to: Self.day(assigned))
        #expect(result.day == Self.day(deadline))
        #expect(result.provisional == provisional)
        #expect(Self.calendar.workingDays(after: Self.day(assigned), through: result.day) == count)
    }

    @Test func weekdays() {
        #expect(WorkingCalendar.weekday(Self.day("1970-01-01")) == 4)  // Thursday
        #expect(WorkingCalendar.weekday(Self.day("2025-10-01")) == 3)  // Wednesday
        #expect(WorkingCalendar.weekday(Self.day("2026-02-14")) == 6)  // Saturday
        #expect(Self.day("2024-02-28").adding(days: 2) == Self.day("2024-03-01"))  // leap year
        #expect(Self.day("2026-01-01").adding(days: -1) == Self.day("2025-12-31"))
    }

    @Test func everyBadLineIsNamed() {
        let text = """
            year,date,kind,name
            2025,2025-10-01,holiday,国庆节
            2025,2025-13-01,holiday,坏日期
            2025,2025-10-01,holiday,重复
            2025,2025-10-09,workday,周四无需调休
            2025,2025-10-11,rest,类型错
            2025,2026-01-01,holiday,年份不符
            2025,2025-10-12
            """
        do {
            _ = try WorkingCalendar.parse(csv: text)
            Issue.record("a bad file was accepted")
        } catch {
            #expect(error.problems.map(\.line) == [3, 4, 5, 6, 7, 8])
            #expect(error.description.contains("第 4 行") && error.description.contains("重复"))
        }
    }
}
