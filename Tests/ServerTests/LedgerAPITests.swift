import Campaign
import Foundation
import LantianTestSupport
import NIOCore
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `/api/v1/cases` through the application on the demo organisation, SQLite and PostgreSQL: a patrol find
/// walks from the grid worker's phone to a verified close and a rebound, each step by the role that owns
/// it; evidence uploads are checked for size and type; scopes hide other grids' cases; statistics and
/// accountability; an alert converted into a case, linked both ways.
@Suite("Ledger API")
struct LedgerAPITests {
    static let headers: HTTPHeaders = ["Content-Type": "application/json"]
    /// Inside 亚运村街道第1网格 (demo geometry).
    static let inGrid1 = (lon: 116.393, lat: 39.986)
    static let png = Array(
        Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )!)

    static func json(_ value: Any) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: value))
    }

    static func detail(_ response: TestingHTTPResponse) throws -> CaseDetailJSON {
        try JSONDecoder().decode(CaseDetailJSON.self, from: response.body)
    }

    /// A multipart/form-data body with one file field.
    static func multipart(_ bytes: [UInt8], name: String, type: String) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "lantian-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: \(type)\r\n\r\n"
        )
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return (["Content-Type": "multipart/form-data; boundary=\(boundary)"], body)
    }

    static func gridWorker(_ grid: String) -> UUID {
        DemoOrganisation().assignments.first { $0.regionCode == grid && $0.level == .third }!.personID
    }

    static func attachmentFiles(_ app: Application) -> Int {
        let directory = app.ledger.attachmentsDirectory
        let enumerator = FileManager.default.enumerator(atPath: directory)
        return (enumerator?.allObjects as? [String] ?? []).filter { !$0.hasSuffix(".thumb.png") && $0.contains("/") }
            .count
    }

    @Test(arguments: TestDatabase.all)
    func aPatrolFindWalksToClosureWithTheRightPeopleAtEachStep(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let grid1 = try app.signedIn(
                token: try await makeToken(app, role: .gridWorker, person: Self.gridWorker("110105024-G1")))
            let grid2 = try app.signedIn(
                token: try await makeToken(app, role: .gridWorker, person: Self.gridWorker("110105024-G2")))
            let officer = try app.signedIn(token: try await makeToken(app, role: .unitOfficer, unit: "TS-110105024"))
            let dispatcher = try app.signedIn(token: try await makeToken(app, role: .dispatcher))
            let supervisor = try app.signedIn(token: try await makeToken(app, role: .supervisor))
            let hq = try await app.signedIn()

            // Every missing or bad field is named (the dispatcher may set a deadline, so it is checked too).
            try await dispatcher.test(
                .POST, "api/v1/cases", headers: Self.headers,
                body: try Self.json(["source": "rumour", "category": "dust", "longitude": 116.39, "deadline": "soon"])
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                for field in ["source", "category", "location", "deadline", "title", "description"] {
                    #expect(response.body.string.contains(field), "\(field) not named")
                }
            }
            // Registering is theirs; deciding the unit and the deadline (交办) or publishing is not.
            try await grid1.test(
                .POST, "api/v1/cases", headers: Self.headers,
                body: try Self.json([
                    "source": "patrol", "category": "cooking_fumes", "title": "x", "description": "x", "address": "某处",
                    "responsibleUnitCode": "TS-110105008", "workingDays": 1, "isPublic": true,
                ])
            ) { response async throws in
                #expect(response.status == .forbidden)
                for field in ["responsibleUnitCode", "workingDays", "isPublic"] {
                    #expect(response.body.string.contains(field), "\(field) not named")
                }
            }
            // The grid worker registers what they found on patrol; region, grid and unit are filled in.
            var id = ""
            try await grid1.test(
                .POST, "api/v1/cases", headers: Self.headers,
                body: try Self.json([
                    "source": "patrol", "category": "cooking_fumes", "title": "餐馆油烟直排",
                    "description": "某餐馆未安装油烟净化设施，油烟直排", "longitude": Self.inGrid1.lon, "latitude": Self.inGrid1.lat,
                ])
            ) { response async throws in
                #expect(response.status == .created)
                let detail = try Self.detail(response)
                id = detail.case.id
                #expect(detail.case.regionCode == "110105024-G1" && detail.case.regionPath.contains("110105024"))
                #expect(detail.case.responsibleUnitCode == "TS-110105024" && detail.case.status == "new")
                #expect(detail.case.number.hasPrefix("LT-") && detail.events.map(\.action) == ["created"])
                #expect(response.headers.first(name: .location) == "/api/v1/cases/\(id)")
            }
            // The grid worker may not assign; the dispatcher does, with five working days.
            try await grid1.test(
                .POST, "api/v1/cases/\(id)/assign", headers: Self.headers, body: try Self.json(["workingDays": 5])
            ) { response async throws in
                #expect(response.status == .forbidden)
            }
            try await dispatcher.test(
                .POST, "api/v1/cases/\(id)/assign", headers: Self.headers, body: try Self.json(["workingDays": 5])
            ) { response async throws in
                #expect(response.status == .ok)
                let detail = try Self.detail(response)
                #expect(detail.case.status == "assigned" && detail.case.deadline != nil)
                #expect(detail.case.deadlineBasis?.contains("5 个工作日") == true)
            }
            // Scope: the other grid's worker does not see it at all.
            try await grid2.test(.GET, "api/v1/cases/\(id)") { response async throws in
                #expect(response.status == .notFound)
            }
            try await grid2.test(.GET, "api/v1/cases") { response async throws in
                #expect(try JSONDecoder().decode(CaseListJSON.self, from: response.body).total == 0)
            }
            try await officer.test(.GET, "api/v1/cases/\(id)") { response async throws in
                #expect(try Self.detail(response).allowedActions == ["start_rectifying", "request_extension"])
            }
            // Asking for more time proposes no date: only assign and grant_extension set one.
            try await officer.test(
                .POST, "api/v1/cases/\(id)/request_extension", headers: Self.headers,
                body: try Self.json(["note": "设备到货需时", "deadline": "2026-12-31"])
            ) { response async throws in
                #expect(response.status == .unprocessableEntity && response.body.string.contains("deadline"))
            }
            try await officer.test(.POST, "api/v1/cases/\(id)/start_rectifying") { response async throws in
                #expect(response.status == .ok)
            }
            // Evidence: too large, not a photo, a lie about its type — refused, nothing kept; a PNG kept.
            let filesBefore = Self.attachmentFiles(app)  // the demo ledger's reports
            let big = [UInt8](repeating: 0xFF, count: app.ledger.maxAttachmentBytes + 1)
            let (bigHeaders, bigBody) = Self.multipart([0xFF, 0xD8, 0xFF] + big, name: "big.jpg", type: "image/jpeg")
            try await officer.test(.POST, "api/v1/cases/\(id)/attachments", headers: bigHeaders, body: bigBody) {
                response async throws in
                #expect(response.status == .payloadTooLarge)
                #expect(response.body.string.contains("超过上限"))
            }
            let (textHeaders, textBody) = Self.multipart(Array("not a photo".utf8), name: "x.jpg", type: "image/jpeg")
            try await officer.test(.POST, "api/v1/cases/\(id)/attachments", headers: textHeaders, body: textBody) {
                response async throws in
                #expect(response.status == .unsupportedMediaType)
            }
            let (lieHeaders, lieBody) = Self.multipart(Self.png, name: "x.pdf", type: "application/pdf")
            try await officer.test(.POST, "api/v1/cases/\(id)/attachments", headers: lieHeaders, body: lieBody) {
                response async throws in
                #expect(response.status == .unsupportedMediaType)
            }
            // A photo that is not one (a JPEG cut in the middle of its scan): refused with the reason.
            let truncated = try Array(
                Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("images/truncated.jpg")))
            let (cutHeaders, cutBody) = Self.multipart(truncated, name: "cut.jpg", type: "image/jpeg")
            try await officer.test(.POST, "api/v1/cases/\(id)/attachments", headers: cutHeaders, body: cutBody) {
                response async throws in
                #expect(response.status == .unprocessableEntity && response.body.string.contains("照片无法读取"))
            }
            #expect(Self.attachmentFiles(app) == filesBefore)
            // A large phone-style photo: kept, with its size and an upright thumbnail.
            let photo = try Array(
                Data(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("images/large-420.jpg")))
            let (photoHeaders, photoBody) = Self.multipart(photo, name: "现场.jpg", type: "image/jpeg")
            try await officer.test(.POST, "api/v1/cases/\(id)/attachments", headers: photoHeaders, body: photoBody) {
                response async throws in
                #expect(response.status == .created)
                let json = try JSONDecoder().decode(AttachmentJSON.self, from: response.body)
                #expect(json.width == 1024 && json.height == 768 && json.contentType == "image/jpeg")
                let thumbnail = try #require(json.thumbnailURL)
                try await officer.test(.GET, String(thumbnail.dropFirst())) { response async throws in
                    #expect(response.status == .ok && response.headers.contentType == .png)
                    // PNG signature, then IHDR: 320 × 240.
                    let bytes = Array(response.body.readableBytesView)
                    #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                    #expect(bytes.count > 24 && Array(bytes[16..<24]) == [0, 0, 1, 64, 0, 0, 0, 240])
                }
            }
            #expect(Self.attachmentFiles(app) == filesBefore + 1)
            var attachment = ""
            let (pngHeaders, pngBody) = Self.multipart(Self.png, name: "../整改后.png", type: "image/png")
            try await officer.test(.POST, "api/v1/cases/\(id)/attachments", headers: pngHeaders, body: pngBody) {
                response async throws in
                #expect(response.status == .created)
                let json = try JSONDecoder().decode(AttachmentJSON.self, from: response.body)
                attachment = json.id
                #expect(json.fileName == "整改后.png" && json.size == Int64(Self.png.count))
            }
            #expect(Self.attachmentFiles(app) == filesBefore + 2)
            try await grid2.test(.GET, "api/v1/attachments/\(attachment)") { response async throws in
                #expect(response.status == .notFound)
            }
            try await officer.test(.GET, "api/v1/attachments/\(attachment)") { response async throws in
                #expect(response.status == .ok && Array(response.body.readableBytesView) == Self.png)
                #expect(response.headers.contentType == .png)
            }
            // Submit needs the report and evidence; then the officer cannot close it, the supervisor can.
            try await officer.test(.POST, "api/v1/cases/\(id)/submit", headers: Self.headers, body: try Self.json([:]))
            {
                response async throws in
                #expect(response.status == .conflict && response.body.string.contains("整改报告"))
            }
            try await officer.test(
                .POST, "api/v1/cases/\(id)/submit", headers: Self.headers,
                body: try Self.json(["note": "已责令安装油烟净化器并投入使用", "evidence": [attachment]])
            ) { response async throws in
                #expect(response.status == .ok)
                #expect(try Self.detail(response).case.status == "submitted")
            }
            try await officer.test(.POST, "api/v1/cases/\(id)/close") { response async throws in
                #expect(response.status == .forbidden)
            }
            try await supervisor.test(.GET, "api/v1/cases/\(id)") { response async throws in
                #expect(Set(try Self.detail(response).allowedActions) == ["return", "close", "close_not_fixed"])
            }
            try await supervisor.test(
                .POST, "api/v1/cases/\(id)/close", headers: Self.headers, body: try Self.json(["note": "现场核查，净化器运行正常"])
            ) { response async throws in
                #expect(response.status == .ok)
                let detail = try Self.detail(response)
                #expect(detail.case.status == "closed" && detail.case.outcome == "rectified")
                #expect(
                    detail.events.map(\.action) == ["created", "assign", "start_rectifying", "submit", "close"])
                #expect(detail.events[3].evidence == [attachment])
            }
            try await hq.test(.GET, "api/v1/cases/statistics") { response async throws in
                let report = try JSONDecoder().decode(CaseStatisticsReport.self, from: response.body)
                // The demo ledger has cases of its own; this unit's closed one is ours.
                let unit = report.byUnit.first { $0.key == "TS-110105024" }
                #expect(unit?.closed == 1 && unit?.closedOnTimePercent == 100 && unit?.meanDaysToClose == 0)
            }
            // Forty days on, the revisit is due; it finds the fumes back: a rebound, and overdue.
            let later = app.ledger.now + 40 * 86_400
            app.ledger.setClock { later }
            try await supervisor.test(.GET, "api/v1/cases?revisitDue=true") { response async throws in
                #expect(try JSONDecoder().decode(CaseListJSON.self, from: response.body).cases.map(\.id).contains(id))
            }
            try await supervisor.test(
                .POST, "api/v1/cases/\(id)/revisit_failed", headers: Self.headers,
                body: try Self.json(["note": "回访发现净化器已拆除"])
            ) { response async throws in
                let detail = try Self.detail(response)
                #expect(detail.case.status == "rectifying" && detail.case.rebounds == 1 && detail.case.overdue)
            }
            try await hq.test(.GET, "api/v1/cases?overdue=true&category=cooking_fumes&unit=TS-110105024") {
                response async throws in
                #expect(try JSONDecoder().decode(CaseListJSON.self, from: response.body).cases.map(\.id).contains(id))
            }
            try await hq.test(.GET, "api/v1/cases?overdue=true&status=closed") { response async throws in
                #expect(try JSONDecoder().decode(CaseListJSON.self, from: response.body).total == 0)
            }
            // Accountability: recorded by HQ, seen by the unit, not by a grid worker.
            try await hq.test(
                .POST, "api/v1/accountability", headers: Self.headers,
                body: try Self.json([
                    "kind": "summons", "unitCode": "TS-110105024", "caseIDs": [id], "issuedBy": "区攻坚办",
                    "summary": "餐饮油烟问题整改后反弹",
                ])
            ) { response async throws in
                #expect(response.status == .created)
            }
            try await officer.test(.GET, "api/v1/accountability?case=\(id)") { response async throws in
                #expect(try JSONDecoder().decode([AccountabilityJSON].self, from: response.body).count == 1)
            }
            try await grid1.test(.GET, "api/v1/accountability") { response async throws in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAlertBecomesACaseInOneStep(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let alertID = try await AlertAPITests.raiseAlert(app)
            let hq = try await app.signedIn()
            var caseID = ""
            try await hq.test(
                .POST, "api/v1/alerts/\(alertID)/convert_to_case", headers: Self.headers,
                body: try Self.json([
                    "category": "industrial_emission", "description": "万寿西宫高值，排查周边工业源", "workingDays": 3,
                ])
            ) { response async throws in
                #expect(response.status == .created)
                let detail = try Self.detail(response)
                caseID = detail.case.id
                #expect(detail.case.alertID == alertID && detail.case.source == "monitoring_alert")
                #expect(detail.case.status == "assigned" && detail.case.title.contains("万寿西宫"))
                #expect(detail.case.longitude == 116.3621)
            }
            try await hq.test(.GET, "api/v1/alerts/\(alertID)") { response async throws in
                #expect(response.body.string.contains(caseID) && response.body.string.contains("converted"))
            }
            try await hq.test(.GET, "api/v1/cases?alert=\(alertID)") { response async throws in
                #expect(try JSONDecoder().decode(CaseListJSON.self, from: response.body).cases.map(\.id) == [caseID])
            }
            // Converted once: a second conversion is refused and creates nothing.
            try await hq.test(
                .POST, "api/v1/alerts/\(alertID)/convert_to_case", headers: Self.headers,
                body: try Self.json(["category": "industrial_emission", "description": "再次"])
            ) { response async throws in
                #expect(response.status == .conflict)
            }
            try await hq.test(.GET, "api/v1/cases?alert=\(alertID)") { response async throws in
                #expect(try JSONDecoder().decode(CaseListJSON.self, from: response.body).total == 1)
            }
        }
    }
}

extension LedgerAPITests {
    @Test(arguments: TestDatabase.all)
    func theDemoLedgerShowsEveryStateOnce(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, configuration, metrics in
            let hq = try await app.signedIn()
            try await hq.test(.GET, "api/v1/cases") { response async throws in
                let list = try JSONDecoder().decode(CaseListJSON.self, from: response.body)
                #expect(list.total == DemoLedger.seeds.count)
                #expect(Set(list.cases.map(\.status)) == ["new", "rectifying", "submitted", "closed"])
                #expect(list.cases.contains { $0.overdue } && list.cases.contains { $0.revisitDue != nil })
                #expect(list.cases.allSatisfy { $0.responsibleUnitCode?.hasPrefix("TS-") == true })
            }
            // Seeding again (a restart) adds nothing.
            try await DemoLedger.seed(app)
            try await hq.test(.GET, "api/v1/cases") { response async throws in
                #expect(
                    try JSONDecoder().decode(CaseListJSON.self, from: response.body).total == DemoLedger.seeds.count)
            }
        }
    }
}
