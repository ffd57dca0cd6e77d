import Testing

@testable import Campaign

@Suite("Ledger case workflow")
struct CaseWorkflowTests {
    static let today = CalendarDay("2026-09-28")!
    static let officer = CaseActor(id: "u-officer", role: .unitOfficer)
    static let supervisor = CaseActor(id: "u-supervisor", role: .supervisor)
    static let hq = CaseActor(id: "u-hq", role: .command)
    static let grid = CaseActor(id: "u-grid", role: .gridWorker)

    static func run(_ steps: [CaseStep], from state: CaseState = CaseState()) throws(CaseTransitionError) -> CaseState {
        var state = state
        for step in steps { state = try CaseWorkflow.apply(step, to: state, on: today) }
        return state
    }

    static let deadline = CalendarDay("2026-10-12")!
    static let assigned: [CaseStep] = [CaseStep(.assign, by: hq, deadline: deadline)]
    static let submitted: [CaseStep] =
        assigned + [
            CaseStep(.startRectifying, by: officer),
            CaseStep(.submit, by: officer, note: "裸土已全部苫盖，洒水降尘", evidence: ["photo-1"]),
        ]

    @Test func theWholeLifecycleToClosingAndARevisit() throws {
        let closed = try Self.run(Self.submitted + [CaseStep(.close, by: Self.supervisor)])
        #expect(closed.status == .closed && closed.outcome == .rectified && closed.handlerID == "u-officer")
        #expect(closed.closedOn == Self.today && closed.revisitDue == CalendarDay("2026-10-28"))
        let revisited = try CaseWorkflow.apply(CaseStep(.revisitPassed, by: Self.grid), to: closed, on: Self.today)
        #expect(revisited.status == .closed && revisited.revisitDue == nil)
    }

    @Test func aFailedRevisitReopensTheCaseAsARebound() throws {
        let closed = try Self.run(Self.submitted + [CaseStep(.close, by: Self.supervisor)])
        let rebound = try CaseWorkflow.apply(
            CaseStep(.revisitFailed, by: Self.grid, note: "苫盖网被揭开，再次起尘"), to: closed, on: Self.today)
        #expect(rebound.status == .rectifying && rebound.rebounds == 1 && rebound.outcome == nil)
        // It goes round again and closes a second time.
        let again = try Self.run(
            [
                CaseStep(.submit, by: Self.officer, note: "重新苫盖并加装喷淋", evidence: ["photo-2"]),
                CaseStep(.close, by: Self.hq),
            ], from: rebound)
        #expect(again.status == .closed && again.rebounds == 1)
    }

    @Test(arguments: [
        // steps after `submitted`, the refusal's words
        ([CaseStep(.close, by: officer)], "督查或指挥部"),  // a unit officer cannot verify
        ([CaseStep(.close, by: CaseActor(id: "u-officer", role: .supervisor))], "不能是整改提交人"),  // the handler
        ([CaseStep(.returnForRectification, by: supervisor)], "说明原因"),
        ([CaseStep(.submit, by: officer, note: "x", evidence: ["p"])], "仅限整改中"),
        ([CaseStep(.startRectifying, by: officer)], "仅限已交办"),
        ([CaseStep(.revisitPassed, by: grid)], "仅限已销号"),
        ([CaseStep(.closeNotFixed, by: supervisor, note: "已协调", outcome: .rectified)], "需注明原因"),
        ([CaseStep(.closeNotFixed, by: officer, note: "已协调", outcome: .duplicate)], "督查或指挥部"),
    ])
    func illegalStepsAreRefusedWithAReason(steps: [CaseStep], words: String) {
        do {
            _ = try Self.run(Self.submitted + steps)
            Issue.record("the step was allowed")
        } catch {
            #expect(error.reason.contains(words), "\(error.reason)")
            #expect(error.reason.hasPrefix("案件当前为「"))
        }
    }

    @Test func submittingNeedsAReportAndEvidence() {
        let start = Self.assigned + [CaseStep(.startRectifying, by: Self.officer)]
        #expect(throws: CaseTransitionError.self) {
            try Self.run(start + [CaseStep(.submit, by: Self.officer, note: "已整改")])
        }
        #expect(throws: CaseTransitionError.self) {
            try Self.run(start + [CaseStep(.submit, by: Self.officer, note: " ", evidence: ["p"])])
        }
    }

    @Test func returnedWorkIsSubmittedAgainAndVerifiedBySomeoneElse() throws {
        let returned = try Self.run(
            Self.submitted + [CaseStep(.returnForRectification, by: Self.supervisor, note: "照片未显示全部区域")])
        #expect(returned.status == .rectifying)
        let closed = try Self.run(
            [
                CaseStep(.submit, by: Self.officer, note: "补充全景照片", evidence: ["photo-3"]),
                CaseStep(.close, by: Self.supervisor),
            ], from: returned)
        #expect(closed.status == .closed)
    }

    @Test func anHonestCloseWithoutAFixHasNoRevisit() throws {
        let closed = try Self.run(
            Self.assigned + [
                CaseStep(.closeNotFixed, by: Self.hq, note: "属相邻县辖区，已移交", outcome: .notOurResponsibility)
            ])
        #expect(closed.status == .closed && closed.outcome == .notOurResponsibility && closed.revisitDue == nil)
    }

    @Test func extensionsAreRequestedByTheUnitAndGrantedByHQ() throws {
        let requested = try Self.run(Self.assigned + [CaseStep(.requestExtension, by: Self.officer, note: "需协调产权单位")])
        #expect(requested.extensionRequested)
        #expect(throws: CaseTransitionError.self) {
            try CaseWorkflow.apply(
                CaseStep(.grantExtension, by: Self.supervisor, deadline: CalendarDay("2026-10-20")), to: requested,
                on: Self.today)
        }
        #expect(throws: CaseTransitionError.self) {  // not later than the old deadline
            try CaseWorkflow.apply(
                CaseStep(.grantExtension, by: Self.hq, deadline: Self.deadline), to: requested, on: Self.today)
        }
        let granted = try CaseWorkflow.apply(
            CaseStep(.grantExtension, by: Self.hq, deadline: CalendarDay("2026-10-20")), to: requested, on: Self.today)
        #expect(granted.deadline == CalendarDay("2026-10-20") && !granted.extensionRequested)
        #expect(throws: CaseTransitionError.self) {  // nothing requested any more
            try CaseWorkflow.apply(
                CaseStep(.grantExtension, by: Self.hq, deadline: CalendarDay("2026-10-30")), to: granted, on: Self.today
            )
        }
    }

    @Test(arguments: [("2026-10-12", false), ("2026-10-13", true)])
    func overdueAfterTheDeadlineUnlessClosed(day: String, overdue: Bool) throws {
        let open = try Self.run(Self.assigned)
        #expect(open.isOverdue(on: CalendarDay(day)!) == overdue)
        let closed = try Self.run(Self.submitted + [CaseStep(.close, by: Self.supervisor)])
        #expect(!closed.isOverdue(on: CalendarDay(day)!))
    }

    @Test func aDeadlineOnWorkingDaysAcrossNationalDay() throws {
        // "5 个工作日内整改" assigned on 2025-09-30: the eight-day holiday does not count.
        let calendar = WorkingCalendar(
            exceptions: Dictionary(
                uniqueKeysWithValues: (1...8).map {
                    (CalendarDay(String(format2025: $0))!, (WorkingCalendar.Kind.holiday, "国庆节"))
                }
                    + [
                        (CalendarDay("2025-09-28")!, (.workday, "调休")), (CalendarDay("2025-10-11")!, (.workday, "调休")),
                    ]), publishedYears: [2025])
        let deadline = calendar.adding(workingDays: 5, to: CalendarDay("2025-09-30")!).day
        #expect(deadline == CalendarDay("2025-10-14"))
        let state = try CaseWorkflow.apply(
            CaseStep(.assign, by: Self.hq, deadline: deadline), to: CaseState(), on: CalendarDay("2025-09-30")!)
        #expect(state.deadline == CalendarDay("2025-10-14"))
        #expect(throws: CaseTransitionError.self) {  // a deadline in the past
            try CaseWorkflow.apply(
                CaseStep(.assign, by: Self.hq, deadline: CalendarDay("2025-09-29")), to: CaseState(),
                on: CalendarDay("2025-09-30")!)
        }
    }
}

extension String {
    /// `2025-10-0d`.
    fileprivate init(format2025 day: Int) { self = "2025-10-0\(day)" }
}
