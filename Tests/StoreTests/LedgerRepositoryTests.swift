import Campaign
import FluentKit
import Foundation
import LantianTestSupport
import SQLKit
import Testing

@testable import Store

/// The ledger in the database on SQLite and PostgreSQL: registration with routing and numbers, the whole
/// workflow recorded step by step and audited, scopes and filters, duplicates, evidence, accountability,
/// and the conversion of an alert into a case, linked both ways.
@Suite("Ledger repository")
struct LedgerRepositoryTests {
    static let t0: Int64 = 1_790_000_000  // 2026-09-21 (Monday), China time
    static let today = CalendarDay("2026-09-28")!
    static let calendar: WorkingCalendar = {
        let text = try! String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("Resources/Calendar/china-holidays.csv"),
            encoding: .utf8)
        return try! WorkingCalendar.parse(csv: text)
    }()

    static let hq = LedgerActor(audit: .user("hq"), role: .command)
    static let officer = LedgerActor(audit: .user("officer"), role: .unitOfficer)
    static let supervisor = LedgerActor(audit: .user("supervisor"), role: .supervisor)

    static let place = CasePlacement(regionPath: ["110000", "110105", "110105024"], zoneIDs: ["1005A-core"])

    static func prepare(_ db: any Database) async throws {
        try await seedStations(db)
        try await OrganisationRepository(database: db).upsert(
            regions: [Region(code: "110105024", name: "麦子店街道", level: .township, parentCode: "110105")],
            units: [
                ResponsibleUnit(code: "U-MZD", name: "麦子店街道办事处", kind: .township, regionCode: "110105024"),
                ResponsibleUnit(code: "U-ZJW", name: "朝阳区住建委", kind: .department, regionCode: "110105"),
                ResponsibleUnit(code: "U-CG", name: "朝阳区城管委", kind: .department, regionCode: "110105"),
            ],
            stations: [])
    }

    static func draft(_ category: CaseCategory = .constructionDust, at point: Coordinate? = nil) -> CaseDraft {
        CaseDraft(
            source: .patrol, category: category, title: "工地未苫盖", description: "东侧土方裸露未苫盖，车辆带泥上路",
            address: "朝阳区麦子店街道某工地", location: point ?? Coordinate(longitude: 116.4614, latitude: 39.9371))
    }

    @Test(arguments: TestDatabase.all)
    func aCaseWalksFromRegistrationToTheRevisitAndEveryStepIsRecorded(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.prepare(db)
            let ledger = LedgerRepository(database: db)
            // Routing: dust → 住建委 with 城管 cooperating; otherwise the township.
            try await ledger.saveRoutingTable(
                CaseRoutingTable(routes: [
                    .init(
                        name: "工地扬尘", categories: [.constructionDust], unitCode: "U-ZJW", cooperatingUnits: ["U-CG"])
                ]), by: .user("hq"), at: Self.t0)
            let dust = try await ledger.create(
                Self.draft(), placement: Self.place, by: Self.hq, today: Self.today, calendar: Self.calendar,
                at: Self.t0)
            #expect(dust.responsibleUnitCode == "U-ZJW" && dust.cooperatingUnits == ["U-CG"])
            #expect(dust.number == "LT-2026-000001" && dust.state.status == .new)
            #expect(dust.regionCode == "110105024" && dust.zoneIDs == ["1005A-core"])
            let coal = try await ledger.create(
                Self.draft(.householdCoal, at: Coordinate(longitude: 116.47, latitude: 39.94)), placement: Self.place,
                by: Self.hq, today: Self.today, calendar: Self.calendar, at: Self.t0 + 1)
            #expect(coal.responsibleUnitCode == "U-MZD" && coal.number == "LT-2026-000002")

            // Assigned with 5 working days from Monday 2026-09-28: National Day closes 10-01…10-07 and Saturday
            // 10-10 is a make-up working day → 09-29, 09-30, 10-08, 10-09, 10-10.
            var item = try await ledger.perform(
                .assign, on: dust.id, by: Self.hq, note: nil, details: .init(deadline: .workingDays(5)),
                today: Self.today, calendar: Self.calendar, at: Self.t0 + 10)
            #expect(item.state.status == .assigned && item.state.deadline == CalendarDay("2026-10-10"))
            #expect(item.deadlineBasis?.hasPrefix("5 个工作日") == true)
            item = try await ledger.perform(
                .startRectifying, on: dust.id, by: Self.officer, note: "已签收", today: Self.today,
                calendar: Self.calendar, at: Self.t0 + 20)
            // Submitting needs evidence of this case.
            await #expect(throws: LedgerError.self) {
                try await ledger.perform(
                    .submit, on: dust.id, by: Self.officer, note: "已苫盖", evidence: ["nope"], today: Self.today,
                    calendar: Self.calendar, at: Self.t0 + 30)
            }
            let photo = CaseAttachment(
                id: "att-1", caseID: dust.id, fileName: "after.jpg", contentType: "image/jpeg", size: 1234,
                sha256: "00", width: 4000, height: 3000, hasThumbnail: true, uploadedBy: "user:officer",
                uploadedAt: Self.t0 + 25)
            try await ledger.addAttachment(photo, by: .user("officer"))
            item = try await ledger.perform(
                .submit, on: dust.id, by: Self.officer, note: "已全部苫盖，冲洗设施到位", evidence: ["att-1"],
                today: Self.today, calendar: Self.calendar, at: Self.t0 + 30)
            #expect(item.state.status == .submitted && item.state.handlerID == "user:officer")
            // The handler cannot verify; a supervisor can.
            do {
                _ = try await ledger.perform(
                    .close, on: dust.id, by: LedgerActor(audit: .user("officer"), role: .supervisor), note: "ok",
                    today: Self.today, calendar: Self.calendar, at: Self.t0 + 40)
                Issue.record("the handler verified their own work")
            } catch LedgerError.refused(let reason) {
                #expect(reason.contains("核查人不能是整改提交人"))
            }
            item = try await ledger.perform(
                .close, on: dust.id, by: Self.supervisor, note: "现场核查属实", today: Self.today,
                calendar: Self.calendar, at: Self.t0 + 50)
            #expect(item.state.status == .closed && item.state.revisitDue == CalendarDay("2026-10-28"))
            // The revisit finds it back: reopened as a rebound.
            item = try await ledger.perform(
                .revisitFailed, on: dust.id, by: Self.supervisor, note: "回访发现再次裸露",
                today: CalendarDay("2026-10-28")!, calendar: Self.calendar, at: Self.t0 + 60)
            #expect(item.state.status == .rectifying && item.state.rebounds == 1)

            let events = try await ledger.events(caseID: dust.id)
            #expect(
                events.map(\.action) == [
                    "created", "assign", "start_rectifying", "submit", "close", "revisit_failed",
                ])
            #expect(events[3].evidence == ["att-1"] && events[3].actor == "user:officer")
            #expect(events[4].fromStatus == .submitted && events[4].toStatus == .closed)
            let audit = try await AuditTrail.history(entity: "case", id: dust.id, on: db)
            #expect(
                audit.map(\.action) == [
                    "create", "assign", "start_rectifying", "attach", "submit", "close", "revisit_failed",
                ])
            guard case .intact = try await AuditTrail.verify(on: db) else {
                Issue.record("the audit trail is not intact")
                return
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func badDraftsNameEveryFieldAndWriteNothing(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.prepare(db)
            let ledger = LedgerRepository(database: db)
            var draft = Self.draft()
            draft.title = " "
            draft.location = nil
            draft.address = nil
            draft.responsibleUnitCode = "NOPE"
            draft.cooperatingUnits = ["U-CG", "GONE"]
            do {
                _ = try await ledger.create(
                    draft, placement: Self.place, by: Self.hq, today: Self.today, calendar: Self.calendar,
                    at: Self.t0)
                Issue.record("a bad draft was accepted")
            } catch LedgerError.invalid(let issues) {
                #expect(Set(issues.map(\.field)) == ["title", "location", "responsibleUnitCode", "cooperatingUnits"])
            }
            #expect(try await ledger.cases().total == 0)
            // A deadline in the past is refused and nothing is written either.
            var late = Self.draft()
            late.responsibleUnitCode = "U-MZD"
            late.deadline = .date(CalendarDay("2026-01-01")!)
            await #expect(throws: LedgerError.self) {
                try await ledger.create(
                    late, placement: Self.place, by: Self.hq, today: Self.today, calendar: Self.calendar, at: Self.t0)
            }
            #expect(try await ledger.cases().total == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func filtersScopesOverdueAndDuplicates(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.prepare(db)
            let ledger = LedgerRepository(database: db)
            var first = Self.draft()
            first.responsibleUnitCode = "U-ZJW"
            first.cooperatingUnits = ["U-CG"]
            first.deadline = .date(CalendarDay("2026-10-09")!)
            let a = try await ledger.create(
                first, placement: Self.place, by: Self.hq, today: Self.today, calendar: Self.calendar, at: Self.t0)
            var second = Self.draft(.cookingFumes, at: Coordinate(longitude: 116.40, latitude: 39.90))
            second.responsibleUnitCode = "U-MZD"
            let b = try await ledger.create(
                second, placement: CasePlacement(regionPath: ["110000", "110102"]), by: Self.hq, today: Self.today,
                calendar: Self.calendar, at: Self.t0 + 1)

            #expect(try await ledger.cases(.init(unitCode: "U-CG")).cases.map(\.id) == [a.id])
            #expect(try await ledger.cases(.init(unitCodes: ["U-MZD"])).cases.map(\.id) == [b.id])
            #expect(try await ledger.cases(.init(regionCodes: ["110105024"])).cases.map(\.id) == [a.id])
            #expect(try await ledger.cases(.init(regionCode: "110000")).total == 2)
            #expect(try await ledger.cases(.init(category: .cookingFumes)).cases.map(\.id) == [b.id])
            #expect(try await ledger.cases(.init(status: [.assigned])).cases.map(\.id) == [a.id])
            #expect(try await ledger.cases(.init(overdueOn: CalendarDay("2026-10-09")!)).total == 0)
            #expect(try await ledger.cases(.init(overdueOn: CalendarDay("2026-10-10")!)).cases.map(\.id) == [a.id])
            let page = try await ledger.cases(.init(limit: 1))
            #expect(page.total == 2 && page.cases.map(\.id) == [b.id])  // newest first

            // 30 m east of the first dust case: suggested as its duplicate; a cooking-fumes case is not.
            let near = Coordinate(longitude: 116.4614 + 0.00035, latitude: 39.9371)
            let suggestions = try await ledger.duplicates(of: near, category: .constructionDust)
            #expect(suggestions.map(\.caseID) == [a.id] && suggestions[0].metres > 25 && suggestions[0].metres < 35)
            #expect(try await ledger.duplicates(of: near, category: .cookingFumes).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAlertBecomesACaseLinkedBothWaysOrNotAtAll(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.prepare(db)
            let alerts = AlertRepository(database: db)
            _ = try await alerts.seedRulesIfEmpty(at: Self.t0)
            let signal = AlertSignal(
                ruleID: "pm25-hour-high", kind: .threshold, severity: .warning, stationCode: "1005A", code: "a34004",
                time: Self.t0, value: 180, threshold: 115, message: "小时值 180 超过 115")
            let recorded = try await alerts.record([signal], regionOf: { _ in "110105" }, at: Self.t0)
            let alertID = recorded[0].alert.id
            let ledger = LedgerRepository(database: db)
            var draft = Self.draft(.industrialEmission)
            draft.responsibleUnitCode = "U-MZD"
            draft.deadline = .workingDays(3)
            let (item, alert) = try await ledger.createFromAlert(
                alertID, draft: draft, placement: Self.place, by: Self.hq, today: Self.today,
                calendar: Self.calendar, at: Self.t0 + 5)
            #expect(item.alertID == alertID && item.source == .monitoringAlert && item.state.status == .assigned)
            #expect(alert.caseID == item.id && alert.status == .converted)
            #expect(try await alerts.alert(id: alertID)?.caseID == item.id)
            #expect(try await ledger.cases(.init(alertID: alertID)).cases.map(\.id) == [item.id])
            // Converting again is refused (the alert is closed as converted) and writes no second case.
            await #expect(throws: LedgerError.self) {
                try await ledger.createFromAlert(
                    alertID, draft: draft, placement: Self.place, by: Self.hq, today: Self.today,
                    calendar: Self.calendar, at: Self.t0 + 6)
            }
            #expect(try await ledger.cases().total == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func accountabilityRecordsLinkUnitsAndCases(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.prepare(db)
            let ledger = LedgerRepository(database: db)
            let item = try await ledger.create(
                Self.draft(), placement: Self.place, by: Self.hq, today: Self.today, calendar: Self.calendar,
                at: Self.t0)
            let record = AccountabilityRecord(
                id: "acc-1", kind: .summons, unitCode: "U-ZJW", subjectName: "张某（副主任）", caseIDs: [item.id],
                day: Self.today, issuedBy: "区攻坚办", documentNumber: "朝攻坚〔2026〕12号", summary: "工地扬尘反复未整改",
                createdBy: "user:hq", createdAt: Self.t0)
            try await ledger.addAccountability(record, by: .user("hq"))
            #expect(try await ledger.accountability(caseID: item.id) == [record])
            #expect(try await ledger.accountability(unitCode: "U-MZD").isEmpty)
            var bad = record
            bad.id = "acc-2"
            bad.kind = .threeWayInvestigation
            bad.caseIDs = ["missing"]
            bad.unitCode = "NOPE"
            do {
                try await ledger.addAccountability(bad, by: .user("hq"))
                Issue.record("a bad record was accepted")
            } catch LedgerError.invalid(let issues) {
                #expect(Set(issues.map(\.field)) == ["unitCode", "caseIDs"])
            }
            #expect(try await ledger.accountability().count == 1)
        }
    }
}

/// The inspection team's problem list: all rows or none, every bad row reported.
@Suite("Inspection list import")
struct InspectionListImportTests {
    static let header = "序号,问题,位置,责任单位,整改措施,整改时限,类别,配合单位\n"
    static let good =
        header
        + "1,工地东侧土方未苫盖,麦子店街道某工地,朝阳区住建委,立即苫盖并设置冲洗设施,5个工作日,施工扬尘,朝阳区城管委\n"
        + "2,\"餐馆油烟直排，群众反映强烈\",麦子店街道某餐馆,U-MZD,安装油烟净化器,2026年10月底前,餐饮油烟,\n"

    static func run(_ ledger: LedgerRepository, _ text: String, dryRun: Bool = false) async throws -> CaseImportSummary
    {
        try await ledger.importInspectionList(
            csv: text, batch: "第二轮督察", place: { _ in LedgerRepositoryTests.place }, by: LedgerRepositoryTests.hq,
            today: LedgerRepositoryTests.today, calendar: LedgerRepositoryTests.calendar, at: LedgerRepositoryTests.t0,
            dryRun: dryRun)
    }

    @Test(arguments: TestDatabase.all)
    func aGoodListIsRegisteredAndAssignedAndADryRunWritesNothing(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await LedgerRepositoryTests.prepare(db)
            let ledger = LedgerRepository(database: db)
            let dry = try await Self.run(ledger, Self.good, dryRun: true)
            #expect(dry.created == 2 && dry.dryRun)
            #expect(try await ledger.cases().total == 0)
            let summary = try await Self.run(ledger, Self.good)
            #expect(summary.created == 2 && summary.assigned == 2)
            #expect(summary.numbers == ["第二轮督察-1", "第二轮督察-2"])
            let cases = try await ledger.cases().cases.sorted { $0.number < $1.number }
            #expect(cases[0].responsibleUnitCode == "U-ZJW" && cases[0].cooperatingUnits == ["U-CG"])
            #expect(cases[0].state.deadline == CalendarDay("2026-10-10") && cases[0].category == .constructionDust)
            #expect(cases[1].state.deadline == CalendarDay("2026-10-31") && cases[1].source == .inspectionFeedback)
            #expect(cases[1].description == "餐馆油烟直排，群众反映强烈")
            // The same list again: every number is taken, nothing is added.
            do {
                _ = try await Self.run(ledger, Self.good)
                Issue.record("a list was imported twice")
            } catch let rejected as OrganisationImportRejected {
                #expect(rejected.problems.map(\.line) == [2, 3])
            }
            #expect(try await ledger.cases().total == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneBadRowStopsTheWholeListAndEveryBadRowIsNamed(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await LedgerRepositoryTests.prepare(db)
            let ledger = LedgerRepository(database: db)
            let bad =
                Self.good
                + "3,露天焚烧垃圾,某村,不存在的单位,立即清理,明天,露天焚烧,\n"
                + "1,重复序号,某处,U-MZD,整改,2026-12-31,其他,\n"
                + "4,,某处,U-MZD,整改,2026-01-01,魔法,\n"
            do {
                _ = try await Self.run(ledger, bad)
                Issue.record("a bad list was accepted")
            } catch let rejected as OrganisationImportRejected {
                let byLine = Dictionary(grouping: rejected.problems, by: \.line).mapValues { Set($0.map(\.column)) }
                #expect(byLine[4] == ["unit", "deadline"])
                #expect(byLine[5] == ["number"])
                #expect(byLine[6] == ["problem", "deadline", "category"])
                #expect(byLine[2] == nil && byLine[3] == nil)
            }
            #expect(try await ledger.cases().total == 0)
            // A missing column is named before any row is read.
            do {
                _ = try await Self.run(ledger, "序号,问题\n1,x\n")
                Issue.record("a list without its columns was accepted")
            } catch let rejected as OrganisationImportRejected {
                #expect(Set(rejected.problems.map(\.column)) == ["location", "unit", "measures", "deadline"])
            }
        }
    }
}
