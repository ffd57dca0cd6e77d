import Campaign
import Foundation
import Ingest
import LantianTestSupport
import NIOConcurrencyHelpers
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// The alert service in the running application: a high value posted over HTTP is committed, evaluated
/// right after the commit, opened, dispatched and pushed; its repeat raises the counter; escalation and
/// offline follow an injected clock; webhooks are retried against a real local receiver.
@Suite("Alert service")
struct AlertServiceTests {
    /// The start of the hour before now (the writer refuses readings from the future).
    static var lastHour: Int64 { ChinaClock.hourStart(Int64(Date().timeIntervalSince1970)) - 3600 }

    static func post(_ app: Application, station: String, value: Double, at time: Int64) async throws {
        let rows: [[String: Any]] = [
            ["station": station, "time": ISO8601Time.format(time), "code": "a34004", "period": "hour", "value": value]
        ]
        try await app.signedIn().test(
            .POST, "api/v1/readings", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: rows))
        ) { response async throws in
            #expect(response.status == .ok)
        }
    }

    /// The next `count` notices of `stream`, or those that came before `seconds` passed.
    static func next(_ count: Int, of stream: AsyncStream<AlertNotice>, within seconds: Double = 10) async
        -> [AlertNotice]
    {
        let collected = NIOLockedValueBox<[AlertNotice]>([])
        let reader = Task {
            for await notice in stream {
                let done = collected.withLockedValue { notices in
                    notices.append(notice)
                    return notices.count >= count
                }
                if done { break }
            }
        }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, collected.withLockedValue({ $0.count }) < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        reader.cancel()
        return collected.withLockedValue { $0 }
    }

    @Test(arguments: TestDatabase.all)
    func aHighValueIsAlertedDispatchedAndPushedRightAfterItsCommit(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, metrics in
            let stream = app.alerts.hub.subscribe()
            let hour = Self.lastHour - 3600
            try await Self.post(app, station: "1001A", value: 180, at: hour)
            let notices = await Self.next(1, of: stream)
            // One notice: opened, already dispatched by the routing table.
            #expect(notices.map(\.event) == ["opened"])
            let alert = try #require(notices.last?.alert)
            #expect(alert.stationCode == "1001A" && alert.ruleID == "pm25-hour-high" && alert.value == 180)
            // To the grid worker, by name, of the demo grid the station stands in (白纸坊街道).
            #expect(alert.status == "dispatched" && alert.assigneePersonID != nil)
            #expect(alert.assigneeUnitCode == "TS-110102015" && alert.regionCode?.hasPrefix("110102015-G") == true)
            #expect(notices.last?.text.contains("万寿西宫") == true)
            // The deadline is an hour after dispatch.
            let stored = try #require(try await AlertRepository(database: app.db).alert(id: alert.id))
            #expect(stored.deadline == stored.dispatchedAt.map { $0 + 3600 })

            // The next hour still high: the same alert repeats, nothing new opens.
            try await Self.post(app, station: "1001A", value: 200, at: hour + 3600)
            let repeats = await Self.next(1, of: stream)
            #expect(repeats.map(\.event) == ["repeated"])
            #expect(repeats.first?.alert.id == alert.id && repeats.first?.alert.count == 2)
            #expect(try await AlertRepository(database: app.db).alerts().count == 1)

            let exposition = metrics.exposition()
            #expect(exposition.contains("lantian_alert_latency_seconds"))
            #expect(exposition.contains("lantian_alert_signals_total{kind=\"threshold\",outcome=\"opened\"} 1"))
        }
    }

    /// A clock the test moves by hand.
    final class TestClock: Sendable {
        let value: NIOLockedValueBox<Int64>
        init(_ start: Int64) { value = NIOLockedValueBox(start) }
        func advance(to time: Int64) { value.withLockedValue { $0 = time } }
        var now: @Sendable () -> Int64 { { [value] in value.withLockedValue { $0 } } }
    }

    @Test(arguments: TestDatabase.all)
    func unhandledAlertsClimbTheChainAndSilentStationsGoOffline(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true, services: false) { app, _, metrics in
            let t0 = try ISO8601Time.parse("2026-01-15T10:00:00+08:00").get()
            let clock = TestClock(t0)
            let service = AlertService(
                database: app.db, logger: app.logger, metrics: metrics.metricsFactory, now: clock.now)
            try await service.start()
            let stream = service.hub.subscribe()
            let reading = Reading(
                stationCode: "1005A", code: "a34004", period: .hour, time: t0 - 3600, value: 300, source: .http)
            _ = try await ReadingWriter(database: app.db).insert([[reading]], receivedAt: t0)
            await service.process(.init(readings: [reading], committedAt: .now))
            let opened = try #require(
                try await AlertRepository(database: app.db).openAlert(station: "1005A", rule: "pm25-hour-high"))
            #expect(opened.tier == .gridWorker && opened.deadline == t0 + 3600)

            // 59 minutes: nothing; 60: the township tier; 90: the contracting leader; 120: HQ.
            for (minutes, tier) in [
                (59, EscalationTier.gridWorker), (60, .townshipHead), (90, .contractingLeader), (120, .command),
            ] {
                clock.advance(to: t0 + Int64(minutes) * 60)
                await service.tick()
                #expect(
                    try await AlertRepository(database: app.db).alert(id: opened.id)?.tier == tier, "at \(minutes) min")
            }
            let escalated = try await AlertRepository(database: app.db).alert(id: opened.id)
            #expect(escalated?.assigneeUnitCode == BeijingDemo.commandUnitCode)
            let events = try await AlertRepository(database: app.db).events(alertID: opened.id).map(\.action)
            #expect(events == ["opened", "dispatched", "escalated", "escalated", "escalated"])

            // A station registered while the service runs is watched from the next tick on.
            let newcomer = Station(
                code: "NEW1", name: "新建微站", kind: .micro, coordinate: Coordinate(longitude: 116.47, latitude: 39.93),
                regionCode: "110105")
            try await OrganisationRepository(database: app.db).upsert(regions: [], units: [], stations: [newcomer])
            let early = Reading(stationCode: "NEW1", code: "a34004", period: .hour, time: t0, value: 300, source: .http)
            await service.process(.init(readings: [early], committedAt: .now))
            #expect(
                try await AlertRepository(database: app.db).openAlert(station: "NEW1", rule: "pm25-hour-high") == nil)
            await service.tick()
            let later = Reading(
                stationCode: "NEW1", code: "a34004", period: .hour, time: t0 + 3600, value: 300, source: .http)
            await service.process(.init(readings: [later], committedAt: .now))
            #expect(
                try await AlertRepository(database: app.db).openAlert(station: "NEW1", rule: "pm25-hour-high") != nil)

            // Handled in time, an alert no longer climbs.
            _ = try await service.perform(
                .handle, on: opened.id, by: .user("grid"), cause: .sourceStopped, note: "已制止焚烧")
            clock.advance(to: t0 + 10 * 3600)
            await service.tick()
            let late = try await AlertRepository(database: app.db).events(alertID: opened.id).map(\.action)
            #expect(late.filter { $0 == "escalated" }.count == 3)

            // Ten hours without data: every demo station and the newcomer are offline, once each.
            let offline = try await AlertRepository(database: app.db).alerts(.init(ruleID: "offline-60"))
            #expect(offline.count == 13 && Set(offline.map(\.stationCode)).count == 13)
            await service.tick()
            #expect(try await AlertRepository(database: app.db).alerts(.init(ruleID: "offline-60")).count == 13)

            // Everything was pushed, in order (the offline alerts escalate too, on their own timers).
            let pushed = await Self.next(1_000, of: stream, within: 2)
            #expect(
                pushed.filter { $0.alert.id == opened.id }.map(\.event) == [
                    "opened", "escalated", "escalated", "escalated", "handle",
                ])
            #expect(pushed.filter { $0.alert.kind == "offline" && $0.event == "opened" }.count == 13)
            #expect(pushed.filter { $0.event == "opened" }.allSatisfy { $0.alert.status == "dispatched" })
        }
    }

    @Test func webhooksAreRetriedUntilTheReceiverAnswers() async throws {
        let receiver = try await Application.make(.testing)
        let received = NIOLockedValueBox<[AlertNotice]>([])
        let attempts = NIOLockedValueBox(0)
        receiver.post("hook") { request async throws -> HTTPStatus in
            let attempt = attempts.withLockedValue {
                $0 += 1
                return $0
            }
            // Fails twice, then accepts.
            guard attempt > 2 else { return .serviceUnavailable }
            let notice = try request.content.decode(AlertNotice.self)
            received.withLockedValue { $0.append(notice) }
            return .noContent
        }
        receiver.http.server.configuration.hostname = "127.0.0.1"
        receiver.http.server.configuration.port = 0
        try receiver.server.start()
        defer { Task { try? await receiver.asyncShutdown() } }
        let port = try #require(receiver.http.server.shared.localAddress?.port)

        let sender = try await Application.make(.testing)
        let metrics = AppMetrics()
        let dispatcher = WebhookDispatcher(
            configuration: .init(urls: ["http://127.0.0.1:\(port)/hook"], attempts: 4, firstBackoff: .milliseconds(20)),
            client: sender.client, logger: sender.logger, metrics: metrics.metricsFactory)
        let signal = AlertSignal(
            ruleID: "pm25-hour-high", kind: .threshold, severity: .warning, stationCode: "1001A", code: "a34004",
            time: 1_766_000_000, value: 180, threshold: 115, message: "小时值 180 超过 115")
        let alert = Alert(signal: signal, id: "a-1", regionCode: "110102", openedAt: 1_766_000_100)
        await dispatcher.send(
            AlertNotice(
                event: "opened", alert: AlertJSON(alert, now: 1_766_000_100), text: "【高值】万寿西宫", at: 1_766_000_100))
        await dispatcher.idle()
        #expect(attempts.withLockedValue { $0 } == 3)
        #expect(received.withLockedValue { $0.map(\.alert.id) } == ["a-1"])
        let exposition = metrics.exposition()
        #expect(exposition.contains("lantian_alert_webhooks_total{outcome=\"retried\"} 2"))
        #expect(exposition.contains("lantian_alert_webhooks_total{outcome=\"delivered\"} 1"))
        try await sender.asyncShutdown()
        await receiver.server.shutdown()
    }
}
