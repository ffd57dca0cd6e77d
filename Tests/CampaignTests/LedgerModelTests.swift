import Foundation
import Testing

@testable import Campaign

/// The ledger's pure pieces beside the workflow: deadlines as people write them, drafts that name every bad
/// field, and the figures assessment reads.
@Suite("Ledger model")
struct LedgerModelTests {
    @Test(arguments: [
        ("2026-12-31", CaseDeadline.date(CalendarDay("2026-12-31")!)),
        ("2026年12月31日", .date(CalendarDay("2026-12-31")!)),
        ("2026年2月底前", .date(CalendarDay("2026-02-28")!)),
        ("2028年2月底", .date(CalendarDay("2028-02-29")!)),
        ("2026年10月8日前", .date(CalendarDay("2026-10-08")!)),
        ("15个工作日", .workingDays(15)),
        ("5 working days", .workingDays(5)),
    ])
    func deadlinesAsWritten(text: String, expected: CaseDeadline) {
        #expect(CaseDeadline(text) == expected)
    }

    @Test(arguments: ["", "明天", "立行立改", "2026-13-01", "2026年2月30日", "0个工作日", "400个工作日", "2026年13月底前"])
    func unreadableDeadlinesAreRefused(text: String) {
        #expect(CaseDeadline(text) == nil)
    }

    @Test func workingDaysResolveOnTheOfficialCalendarAndSayHow() throws {
        let calendar = WorkingCalendar(
            exceptions: [CalendarDay("2026-10-01")!: (.holiday, "国庆节"), CalendarDay("2026-10-10")!: (.workday, "调休")],
            publishedYears: [2026])
        let resolved = CaseDeadline.workingDays(2).resolve(from: CalendarDay("2026-09-30")!, calendar: calendar)
        // 10-01 is a holiday; Friday 10-02 is the first working day after 09-30, Monday 10-05 the second.
        #expect(resolved.day == CalendarDay("2026-10-05") && !resolved.provisional)
        #expect(resolved.basis.hasPrefix("2 个工作日（自 2026-09-30 起）"))
        let unpublished = CaseDeadline.workingDays(3).resolve(from: CalendarDay("2027-01-04")!, calendar: calendar)
        #expect(unpublished.provisional && unpublished.basis.contains("未公布"))
    }

    @Test func aDraftNamesEveryBadField() {
        var draft = CaseDraft(source: .patrol, category: .openBurning, title: "", description: " ")
        draft.location = Coordinate(longitude: 200, latitude: 10)
        draft.responsibleUnitCode = "U1"
        draft.cooperatingUnits = ["U1"]
        draft.measures = String(repeating: "措", count: 5_001)
        #expect(
            draft.problems.map(\.field) == ["title", "description", "measures", "location", "cooperatingUnits"])
        let good = CaseDraft(source: .patrol, category: .openBurning, title: "焚烧", description: "田间焚烧秸秆", address: "某村")
        #expect(good.problems.isEmpty)
    }

    static func item(
        _ id: String, unit: String, category: CaseCategory = .roadDust, created: String, status: CaseStatus,
        deadline: String?, closed: String? = nil, outcome: CaseOutcome? = nil, rebounds: Int = 0
    ) -> LedgerCase {
        LedgerCase(
            id: id, number: id, source: .patrol, category: category, title: id, description: id,
            responsibleUnitCode: unit,
            state: CaseState(
                status: status, deadline: deadline.flatMap(CalendarDay.init), outcome: outcome,
                closedOn: closed.flatMap(CalendarDay.init), rebounds: rebounds),
            createdAt: Int64(CalendarDay(created)!.start.timeIntervalSince1970) + 3_600, createdBy: "user:hq")
    }

    @Test func figuresPerUnitCategoryAndSource() {
        let cases = [
            Self.item(
                "a", unit: "U1", created: "2026-10-01", status: .closed, deadline: "2026-10-10", closed: "2026-10-05",
                outcome: .rectified),
            Self.item(
                "b", unit: "U1", created: "2026-10-01", status: .closed, deadline: "2026-10-10", closed: "2026-10-12",
                outcome: .rectified, rebounds: 1),
            Self.item(
                "c", unit: "U1", category: .cookingFumes, created: "2026-10-01", status: .rectifying,
                deadline: "2026-10-20"),
            Self.item("d", unit: "U2", created: "2026-10-02", status: .assigned, deadline: "2026-10-30"),
            Self.item(
                "e", unit: "U2", created: "2026-10-02", status: .closed, deadline: "2026-10-30", closed: "2026-10-03",
                outcome: .duplicate),
        ]
        let report = CaseStatistics.report(cases, on: CalendarDay("2026-10-25")!, unitNames: ["U1": "一街道"])
        #expect(report.overall.total == 5 && report.overall.open == 2 && report.overall.overdue == 1)
        #expect(report.overall.closed == 3 && report.overall.rectified == 2 && report.overall.rebounds == 1)
        let u1 = report.byUnit.first { $0.key == "U1" }!
        #expect(u1.name == "一街道" && u1.closedOnTimePercent == 50 && u1.meanDaysToClose == 7.5 && u1.overdue == 1)
        let u2 = report.byUnit.first { $0.key == "U2" }!
        #expect(u2.name == "U2" && u2.closedOnTimePercent == 100 && u2.meanDaysToClose == 1)
        // Most open first, then by key: one open case each.
        #expect(report.byCategory.map(\.key) == ["cooking_fumes", "dust_road"])
        #expect(report.bySource.map(\.total) == [5])
    }
}
