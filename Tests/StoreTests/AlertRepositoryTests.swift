import Campaign
import FluentKit
import LantianTestSupport
import SQLKit
import Testing

@testable import Store

/// Alerts in the database on SQLite and PostgreSQL: one open alert per station and rule, repeats,
/// the handling steps with their events and audit entries, re-arming, and the handling statistics.
@Suite("Alert repository")
struct AlertRepositoryTests {
    static let t0: Int64 = 1_766_000_000

    static func signal(_ station: String, _ value: Double, at time: Int64 = t0, rule: String = "pm25-hour-high")
        -> AlertSignal
    {
        AlertSignal(
            ruleID: rule, kind: .threshold, severity: .warning, stationCode: station, code: "a34004", time: time,
            value: value, threshold: 115, message: "小时值 \(value) 超过 115")
    }

    static func prepared(_ db: any Database) async throws -> AlertRepository {
        try await seedStations(db)
        let repository = AlertRepository(database: db)
        #expect(try await repository.seedRulesIfEmpty(at: t0) == StandardAlertRules.all.count)
        #expect(try await repository.seedRulesIfEmpty(at: t0) == 0)  // only once
        return repository
    }

    static let region: @Sendable (String) -> String? = { $0 == "1005A" ? "110105" : "110102" }

    @Test(arguments: TestDatabase.all)
    func rulesRoundTripAndAreValidatedAndAudited(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = try await Self.prepared(db)
            #expect(try await repository.rules() == StandardAlertRules.all.sorted { $0.id < $1.id })
            var rule = StandardAlertRules.all[0]
            rule.condition = .threshold(code: "a34004", period: .hour, limit: 150, zoneLimit: 115)
            try await repository.save(rule, by: .user("hq"), at: Self.t0)
            #expect(try await repository.rules().first { $0.id == rule.id } == rule)
            let history = try await AuditTrail.history(entity: "alert_rule", id: rule.id, on: db)
            #expect(history.map(\.action) == ["update"])
            rule.condition = .threshold(code: "a34004", period: .hour, limit: -1, zoneLimit: nil)
            rule.id = "bad id!"
            await #expect(throws: AlertStoreError.self) {
                try await repository.save(rule, by: .user("hq"), at: Self.t0)
            }
            do {
                try await repository.save(rule, by: .user("hq"), at: Self.t0)
            } catch let AlertStoreError.invalidRule(problems) {
                #expect(problems.count == 2)  // the limit and the id
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneOpenAlertPerStationAndRuleThatRepeatsAndReArms(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = try await Self.prepared(db)
            let first = try await repository.record(
                [Self.signal("1001A", 130), Self.signal("1005A", 120)], regionOf: Self.region, at: Self.t0 + 5)
            #expect(first.map(\.isNew) == [true, true])
            #expect(first[1].alert.regionCode == "110105")
            let again = try await repository.record(
                [Self.signal("1001A", 180, at: Self.t0 + 3600), Self.signal("1001A", 125, at: Self.t0 + 7200)],
                regionOf: Self.region, at: Self.t0 + 7205)
            #expect(again.map(\.isNew) == [false, false])
            let open = try #require(try await repository.openAlert(station: "1001A", rule: "pm25-hour-high"))
            #expect(open.id == first[0].alert.id)
            #expect(
                (open.count, open.value, open.peak, open.firstTime, open.lastTime) == (
                    3, 125, 180, Self.t0, Self.t0 + 7200
                ))
            // A second open alert for the same station and rule is refused by the schema itself.
            let sql = try #require(db as? any SQLDatabase)
            await #expect(throws: (any Error).self) {
                try await sql.raw(
                    """
                    INSERT INTO alerts (id, rule_id, station_code, kind, severity, status, message, first_time, last_time,
                        count, opened_at, tier)
                    VALUES ('dup', 'pm25-hour-high', '1001A', 'threshold', 'warning', 'open', 'x', 0, 0, 1, 0, 0)
                    """
                ).run()
            }

            // Handle it to closing; the next signal opens a new alert.
            let id = open.id
            _ = try await repository.dispatch(
                id, personID: "p-grid", unitCode: "U-XC", deadline: Self.t0 + 3600 + 10, by: .system("routing"),
                at: Self.t0 + 10)
            _ = try await repository.perform(.acknowledge, on: id, by: .user("grid"), at: Self.t0 + 100)
            _ = try await repository.perform(
                .handle, on: id, by: .user("grid"), at: Self.t0 + 900, cause: .sourceStopped, note: "工地裸土已苫盖")
            _ = try await repository.perform(.verify, on: id, by: .user("inspector"), at: Self.t0 + 1200)
            let closed = try await repository.perform(.close, on: id, by: .user("inspector"), at: Self.t0 + 1300)
            #expect(closed.status == .closed && closed.closedAt == Self.t0 + 1300)
            #expect(try await repository.openAlert(station: "1001A", rule: "pm25-hour-high") == nil)
            let rearmed = try await repository.record(
                [Self.signal("1001A", 140, at: Self.t0 + 10_800)], regionOf: Self.region, at: Self.t0 + 10_805)
            #expect(rearmed.first?.isNew == true && rearmed.first?.alert.id != id)

            let events = try await repository.events(alertID: id)
            #expect(events.map(\.action) == ["opened", "dispatched", "acknowledge", "handle", "verify", "close"])
            #expect(events[1].actor == "system:routing" && events[1].personID == "p-grid")
            // People's steps are in the audit trail; the system's are events only.
            let audited = try await AuditTrail.history(entity: "alert", id: id, on: db)
            #expect(audited.map(\.action) == ["acknowledge", "handle", "verify", "close"])
            #expect(try await AuditTrail.verify(on: db).isIntact)
        }
    }

    @Test(arguments: TestDatabase.all)
    func illegalStepsAreRefusedWithAReasonAndChangeNothing(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = try await Self.prepared(db)
            let id = try await repository.record([Self.signal("1001A", 130)], regionOf: Self.region, at: Self.t0)[0]
                .alert.id
            func refusal(_ body: () async throws -> Alert) async -> String? {
                do {
                    _ = try await body()
                    return nil
                } catch let AlertStoreError.refused(reason) {
                    return reason
                } catch {
                    return "\(error)"
                }
            }
            #expect(
                await refusal { try await repository.perform(.acknowledge, on: id, by: .user("grid"), at: Self.t0) }?
                    .contains("不能签收") == true)
            _ = try await repository.dispatch(
                id, personID: nil, unitCode: "U-XC", deadline: Self.t0 + 3600, by: .system("routing"), at: Self.t0)
            #expect(
                await refusal {
                    try await repository.perform(.handle, on: id, by: .user("grid"), at: Self.t0, cause: nil, note: "x")
                }?.contains("原因") == true)
            _ = try await repository.perform(
                .handle, on: id, by: .user("grid"), at: Self.t0 + 60, cause: .explained, note: "风向突变")
            #expect(
                await refusal { try await repository.perform(.verify, on: id, by: .user("grid"), at: Self.t0 + 70) }?
                    .contains("核实人不能是处置人") == true)
            #expect(
                await refusal {
                    try await repository.perform(.convertToCase, on: id, by: .user("hq"), at: Self.t0 + 70)
                }?.contains("caseID") == true)
            #expect(
                await refusal { try await repository.perform(.close, on: "nope", by: .user("hq"), at: Self.t0) }?
                    .contains("不存在") == true)
            let alert = try #require(try await repository.alert(id: id))
            #expect(alert.status == .handled && alert.handledBy == "user:grid")
            // Returned to the handler, handled again, then converted into a case.
            _ = try await repository.perform(
                .returnToHandler, on: id, by: .user("inspector"), at: Self.t0 + 80, note: "未附照片")
            _ = try await repository.perform(
                .handle, on: id, by: .user("grid"), at: Self.t0 + 90, cause: .sourceStopped, note: "已制止")
            let converted = try await repository.perform(
                .convertToCase, on: id, by: .user("hq"), at: Self.t0 + 100, caseID: "AJ-2026-0001")
            #expect(converted.status == .converted && converted.caseID == "AJ-2026-0001")
            #expect(try await repository.openAlert(station: "1001A", rule: "pm25-hour-high") == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func filtersScopesAndHandlingStatistics(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = try await Self.prepared(db)
            let recorded = try await repository.record(
                [
                    Self.signal("1001A", 130), Self.signal("1006A", 140), Self.signal("1005A", 150),
                    Self.signal("CEMS1", 160, rule: "pm10-hour-high"),
                ],
                regionOf: { $0 == "1005A" || $0 == "CEMS1" ? "110105" : "110102" }, at: Self.t0)
            let ids = recorded.map(\.alert.id)
            // Xicheng's two alerts: acknowledged after 5 and 15 minutes, handled after 20 and 80 minutes.
            for (index, (ack, handle)) in [(300, 1200), (900, 4800)].enumerated() {
                let id = ids[index]
                _ = try await repository.dispatch(
                    id, personID: nil, unitCode: "U-XC", deadline: Self.t0 + 3600, by: .system("routing"), at: Self.t0)
                _ = try await repository.perform(.acknowledge, on: id, by: .user("grid"), at: Self.t0 + Int64(ack))
                _ = try await repository.perform(
                    .handle, on: id, by: .user("grid"), at: Self.t0 + Int64(handle), cause: .sourceStopped, note: "已处理")
            }
            _ = try await repository.dispatch(
                ids[2], personID: nil, unitCode: "U-CY", deadline: Self.t0 + 3600, by: .system("routing"), at: Self.t0)
            _ = try await repository.escalate(
                ids[2], to: .townshipHead, personID: "p-head", unitCode: nil, at: Self.t0 + 3600)

            #expect(try await repository.alerts(.init(regionCodes: ["110102"])).count == 2)
            #expect(try await repository.alerts(.init(regionCodes: [])).isEmpty)
            #expect(try await repository.alerts(.init(unitCodes: ["U-CY"])).map(\.id) == [ids[2]])
            #expect(try await repository.alerts(.init(statuses: [.open])).map(\.stationCode) == ["CEMS1"])
            #expect(try await repository.alerts(.init(ruleID: "pm10-hour-high")).count == 1)
            #expect(try await repository.alerts(.init(stationCode: "1006A")).count == 1)
            #expect(try await repository.alerts(.init(from: Self.t0 + 1)).isEmpty)
            #expect(try await repository.awaitingHandling().map(\.id) == [ids[2]])
            let escalated = try #require(try await repository.alert(id: ids[2]))
            #expect(
                escalated.tier == .townshipHead && escalated.assigneePersonID == "p-head"
                    && escalated.assigneeUnitCode == "U-CY")

            let figures = try await repository.statistics(from: Self.t0, to: Self.t0 + 1, now: Self.t0 + 7200)
            let xicheng = try #require(figures.first { $0.unitCode == "U-XC" })
            #expect((xicheng.count, xicheng.acknowledged, xicheng.handled, xicheng.overdue) == (2, 2, 2, 1))
            #expect(xicheng.medianSecondsToAcknowledge == 600)
            #expect(xicheng.p90SecondsToHandle == 1200 + 0.9 * 3600)
            let chaoyang = try #require(figures.first { $0.unitCode == "U-CY" })
            #expect((chaoyang.count, chaoyang.handled, chaoyang.overdue) == (1, 0, 1))  // unhandled past its deadline
            #expect(figures.contains { $0.unitCode == nil && $0.count == 1 })  // never dispatched
        }
    }
}
