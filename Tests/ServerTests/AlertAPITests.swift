import Campaign
import Foundation
import Ingest
import LantianTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `/api/v1/alerts` and `/api/v1/alert-rules` through the application, on SQLite and PostgreSQL, and the
/// live stream over a real socket.
@Suite("Alerts API")
struct AlertAPITests {
    static func json(_ value: Any) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: value))
    }

    static let headers: HTTPHeaders = ["Content-Type": "application/json"]

    /// A dispatched alert at 1001A (a high value posted two hours ago).
    static func raiseAlert(_ app: Application) async throws -> String {
        let stream = app.alerts.hub.subscribe()
        try await AlertServiceTests.post(app, station: "1001A", value: 190, at: AlertServiceTests.lastHour - 3600)
        let notices = await AlertServiceTests.next(1, of: stream)
        return try #require(notices.first { $0.event == "opened" }?.alert.id)
    }

    @Test(arguments: TestDatabase.all)
    func theWholeHandlingThroughTheAPI(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let id = try await Self.raiseAlert(app)
            let tester = try await app.signedIn()
            try await tester.test(.GET, "api/v1/alerts?status=dispatched&station=1001A") { response async throws in
                #expect(response.status == .ok)
                let alerts = try JSONDecoder().decode([AlertJSON].self, from: response.body)
                #expect(alerts.map(\.id) == [id])
                #expect(alerts.first?.statusName == "已派发" && alerts.first?.kindName == "高值")
            }
            try await tester.test(.GET, "api/v1/alerts?status=closed") { response async throws in
                #expect(try JSONDecoder().decode([AlertJSON].self, from: response.body).isEmpty)
            }
            try await tester.test(.GET, "api/v1/alerts?status=bogus&from=yesterday&limit=0") { response async throws in
                #expect(response.status == .unprocessableEntity)
                let body = response.body.string
                #expect(body.contains("status") && body.contains("from") && body.contains("limit"))
            }
            // Handling needs a cause and a note: both named.
            try await tester.test(.POST, "api/v1/alerts/\(id)/handle", headers: Self.headers, body: try Self.json([:]))
            { response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("cause") && response.body.string.contains("note"))
            }
            // Close before it is verified: refused with the reason.
            try await tester.test(.POST, "api/v1/alerts/\(id)/close") { response async throws in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("不能办结"))
            }
            // Verified and closed by a supervisor: the verifier is someone other than the handler.
            let supervisor = try app.signedIn(token: try await makeToken(app, role: .supervisor))
            try await supervisor.test(.POST, "api/v1/alerts/\(id)/verify") { response async throws in
                #expect(response.status == .conflict)  // nothing handled yet
            }
            let steps: [(String, [String: String], SignedInTester)] = [
                ("acknowledge", [:], tester), ("handle", ["cause": "source_stopped", "note": "工地未苫盖裸土，已责令整改"], tester),
                ("verify", [:], supervisor), ("close", ["note": "复核浓度已回落"], supervisor),
            ]
            for (step, body, caller) in steps {
                try await caller.test(
                    .POST, "api/v1/alerts/\(id)/\(step)", headers: Self.headers, body: try Self.json(body)
                ) {
                    response async throws in
                    #expect(response.status == .ok, "\(step): \(response.body.string)")
                }
            }
            try await tester.test(.GET, "api/v1/alerts/\(id)") { response async throws in
                #expect(response.status == .ok)
                let detail = try JSONDecoder().decode(AlertController.AlertDetail.self, from: response.body)
                #expect(detail.alert.status == "closed" && detail.alert.cause == "source_stopped")
                #expect(
                    detail.events.map(\.action) == ["opened", "dispatched", "acknowledge", "handle", "verify", "close"])
            }
            // An open alert is among the things in the zone around its station (written just after the commit).
            try await AlertServiceTests.post(app, station: "1006A", value: 200, at: AlertServiceTests.lastHour - 3600)
            #expect(
                try await eventually {
                    (try? await AlertRepository(database: app.db).openAlert(station: "1006A", rule: "pm25-hour-high"))
                        != nil
                })
            try await tester.test(.GET, "api/v1/zones/1006A-500") { response async throws in
                #expect(response.status == .ok)
                let zone = try JSONDecoder().decode(SpatialController.ZoneResponse.self, from: response.body)
                let alerts = zone.contents?.filter { $0.kind == "alert" } ?? []
                #expect(alerts.count == 1 && alerts.first?.name.contains("官园") == true, "\(zone.contents ?? [])")
            }
            try await tester.test(.GET, "api/v1/alerts/nope") { response async throws in
                #expect(response.status == .notFound)
            }
            try await tester.test(.GET, "api/v1/alerts/statistics") { response async throws in
                #expect(response.status == .ok)
                let figures = try JSONDecoder().decode([AlertHandlingStatistics].self, from: response.body)
                // Each alert's grid worker's street office: 1001A's (handled) and 1006A's (still open).
                #expect(figures.map(\.unitCode) == ["TS-110102004", "TS-110102015"])
                #expect(figures.last?.handled == 1 && figures.last?.overdue == 0)
                #expect(figures.first?.handled == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func reassignAndConvertToACase(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let id = try await Self.raiseAlert(app)
            let tester = try await app.signedIn()
            try await tester.test(
                .POST, "api/v1/alerts/\(id)/dispatch", headers: Self.headers, body: try Self.json(["unitCode": "NOPE"])
            ) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
            }
            try await tester.test(
                .POST, "api/v1/alerts/\(id)/dispatch", headers: Self.headers,
                body: try Self.json(["unitCode": BeijingDemo.commandUnitCode, "note": "区县无人签收，改派指挥部"])
            ) { response async throws in
                #expect(response.status == .ok)
                #expect(
                    try JSONDecoder().decode(AlertJSON.self, from: response.body).assigneeUnitCode
                        == BeijingDemo.commandUnitCode)
            }
            // Converted into a ledger case (LedgerAPITests follows the case).
            try await tester.test(
                .POST, "api/v1/alerts/\(id)/convert_to_case", headers: Self.headers,
                body: try Self.json(["category": "other", "description": "区县无法处置，转台账"])
            ) {
                response async throws in
                #expect(response.status == .created)
                #expect(try JSONDecoder().decode(CaseDetailJSON.self, from: response.body).case.alertID == id)
            }
            try await tester.test(.GET, "api/v1/alerts/\(id)") { response async throws in
                #expect(response.body.string.contains("\"converted\""))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func rulesAreEditedAsData(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let tester = try await app.signedIn()
            var rules: [AlertRule] = []
            try await tester.test(.GET, "api/v1/alert-rules") { response async throws in
                rules = try JSONDecoder().decode([AlertRule].self, from: response.body)
            }
            #expect(rules.count == StandardAlertRules.all.count)
            var rule = try #require(rules.first { $0.id == "pm25-hour-high" })
            rule.condition = .threshold(code: "a34004", period: .hour, limit: 250, zoneLimit: nil)
            try await tester.test(
                .PUT, "api/v1/alert-rules/pm25-hour-high", headers: Self.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(rule))
            ) {
                response async throws in
                #expect(response.status == .ok)
            }
            // The engine took it: 190 is no longer above the limit.
            let stream = app.alerts.hub.subscribe()
            try await AlertServiceTests.post(app, station: "1001A", value: 190, at: AlertServiceTests.lastHour - 3600)
            #expect(await AlertServiceTests.next(1, of: stream, within: 1).isEmpty)
            rule.condition = .threshold(code: "a34004", period: .hour, limit: -3, zoneLimit: nil)
            try await tester.test(
                .PUT, "api/v1/alert-rules/pm25-hour-high", headers: Self.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(rule))
            ) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("limit 必须为正数"))
            }
            try await tester.test(
                .PUT, "api/v1/alert-rules/other", headers: Self.headers,
                body: ByteBuffer(data: try JSONEncoder().encode(rule))
            ) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
            }
        }
    }

    /// Reads raw bytes from a socket (the event stream as a browser's EventSource gets it).
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = NIOLockedValueBox("")
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            text.withLockedValue { $0 += String(buffer: buffer) }
        }
    }

    @Test func theStreamPushesAlertsAsServerSentEvents() async throws {
        try await withLantian(on: .sqlite, demo: true) { app, _, _ in
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            try await app.server.start()
            let port = try #require(app.http.server.shared.localAddress?.port)
            let collector = Collector()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
                }
                .connect(host: "127.0.0.1", port: port).get()
            let token = try await makeToken(app, role: .dispatcher)
            try await channel.writeAndFlush(
                ByteBuffer(
                    string: "GET /api/v1/alerts/stream HTTP/1.1\r\nHost: lantian\r\nAccept: text/event-stream\r\n"
                        + "Authorization: Bearer \(token)\r\n\r\n"))
            #expect(try await eventually { app.alerts.hub.subscriberCount == 1 })
            try await AlertServiceTests.post(app, station: "1001A", value: 190, at: AlertServiceTests.lastHour - 3600)
            #expect(try await eventually { collector.text.withLockedValue { $0.contains("\"event\":\"opened\"") } })
            let text = collector.text.withLockedValue { $0 }
            #expect(text.contains("text/event-stream"))
            #expect(text.contains("event: alert\ndata: {"))
            #expect(text.contains("万寿西宫"))
            try await channel.close()
            // The next keep-alive (every 5 s) finds the client gone and ends the subscription.
            #expect(try await eventually(within: .seconds(15)) { app.alerts.hub.subscriberCount == 0 })
            await app.server.shutdown()
        }
    }

    @Test(arguments: TestDatabase.all)
    func scopedRolesSeeAndHandleOnlyTheirAlerts(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // 1001A (西城, 白纸坊街道) and 1005A (朝阳, 农展馆街道) both read high.
            let stream = app.alerts.hub.subscribe()
            for station in ["1001A", "1005A"] {
                try await AlertServiceTests.post(
                    app, station: station, value: 190, at: AlertServiceTests.lastHour - 3600)
            }
            let opened = await AlertServiceTests.next(2, of: stream)
            let xicheng = try #require(opened.first { $0.alert.stationCode == "1001A" }?.alert)
            let chaoyang = try #require(opened.first { $0.alert.stationCode == "1005A" }?.alert)
            // The alert went by name to a grid worker of the grid the station stands in.
            let workerID = try #require(xicheng.assigneePersonID)
            #expect(xicheng.regionCode?.hasPrefix("110102015-G") == true)

            let worker = try app.signedIn(
                token: try await makeToken(app, role: .gridWorker, person: UUID(uuidString: workerID)))
            let officer = try app.signedIn(token: try await makeToken(app, role: .unitOfficer, unit: "GOV-110105"))
            let auditor = try app.signedIn(token: try await makeToken(app, role: .auditor))
            func ids(_ tester: SignedInTester) async throws -> Set<String> {
                var ids: Set<String> = []
                try await tester.test(.GET, "api/v1/alerts") { response async throws in
                    #expect(response.status == .ok)
                    ids = Set(try JSONDecoder().decode([AlertJSON].self, from: response.body).map(\.id))
                }
                return ids
            }
            #expect(try await ids(worker) == [xicheng.id])
            #expect(try await ids(officer) == [chaoyang.id])
            #expect(try await ids(auditor) == [xicheng.id, chaoyang.id])
            // Out of scope is unknown (404), not forbidden: ids do not leak.
            try await worker.test(.GET, "api/v1/alerts/\(chaoyang.id)") { #expect($0.status == .notFound) }
            try await worker.test(.POST, "api/v1/alerts/\(chaoyang.id)/acknowledge") { #expect($0.status == .notFound) }
            try await officer.test(.GET, "api/v1/alerts/\(xicheng.id)") { #expect($0.status == .notFound) }
            // Each handles their own; the auditor may read but not act.
            try await worker.test(.POST, "api/v1/alerts/\(xicheng.id)/acknowledge") { #expect($0.status == .ok) }
            try await officer.test(.POST, "api/v1/alerts/\(chaoyang.id)/acknowledge") { #expect($0.status == .ok) }
            try await auditor.test(.POST, "api/v1/alerts/\(chaoyang.id)/verify") { #expect($0.status == .forbidden) }
            // The audit trail names the people.
            let history = try await AuditTrail.history(entity: "alert", id: xicheng.id, on: app.db)
            #expect(history.map(\.actor).allSatisfy { $0.hasPrefix("user:grid_worker-") })
            // The statistics follow the scope too.
            try await officer.test(.GET, "api/v1/alerts/statistics") { response async throws in
                let figures = try JSONDecoder().decode([AlertHandlingStatistics].self, from: response.body)
                #expect(figures.reduce(0) { $0 + $1.count } == 1)
            }
        }
    }
}
