import Campaign
import Foundation
import LantianTestSupport
import NIOCore
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// Open311 GeoReport v2 under `/open311/v2` on the demo, SQLite and PostgreSQL: services, the form-encoded
/// create with its API key, and the public reads — which never show the complainant or internal notes —
/// following the case through the ledger to closed.
@Suite("Open311 GeoReport v2")
struct Open311Tests {
    static let form: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
    static let json: HTTPHeaders = ["Content-Type": "application/json"]

    static func encode(_ fields: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(
            string: fields.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }.joined(separator: "&"))
    }

    static func array(_ response: TestingHTTPResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
    }

    static let complaint: [(String, String)] = [
        ("api_key", LantianConfiguration.demoOpen311Key), ("service_code", "cooking_fumes"),
        ("lat", "39.986"), ("long", "116.393"), ("address_string", "亚运村街道某小区底商"),
        ("description", "楼下餐馆油烟直排，熏得开不了窗"), ("first_name", "晓红"), ("last_name", "李"),
        ("email", "lixh@example.com"), ("phone", "13900001111"),
        ("media_url", "https://photos.example.com/fumes/1.jpg"),
    ]

    @Test(arguments: TestDatabase.all)
    func aComplaintGoesInOverOpen311AndComesBackWithoutItsPrivateFields(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let tester = try app.testing()
            try await tester.test(.GET, "open311/v2/services.json") { response async throws in
                #expect(response.status == .ok)
                let services = try Self.array(response)
                #expect(services.count == CaseCategory.allCases.count)
                let fumes = try #require(services.first { $0["service_code"] as? String == "cooking_fumes" })
                #expect(fumes["service_name"] as? String == "餐饮油烟" && fumes["metadata"] as? Bool == false)
                #expect(fumes["type"] as? String == "realtime" && fumes["group"] as? String == "大气")
            }
            try await tester.test(.GET, "open311/v2/services/cooking_fumes.json") { response async throws in
                #expect(response.status == .ok && response.body.string.contains("\"attributes\":[]"))
            }
            try await tester.test(.GET, "open311/v2/services/unicorns.json") { response async throws in
                #expect(response.status == .notFound)
                #expect(try Self.array(response).first?["code"] as? Int == 404)
            }
            // No key, a wrong key: 403 in GeoReport's error format, nothing created.
            for key in [nil, "not-the-key"] {
                var fields = Self.complaint.filter { $0.0 != "api_key" }
                if let key { fields.append(("api_key", key)) }
                try await tester.test(.POST, "open311/v2/requests.json", headers: Self.form, body: Self.encode(fields))
                {
                    response async throws in
                    #expect(response.status == .forbidden)
                    #expect(try Self.array(response).first?["description"] as? String != nil)
                }
            }
            // Every bad field named.
            try await tester.test(
                .POST, "open311/v2/requests.json", headers: Self.form,
                body: Self.encode([
                    ("api_key", LantianConfiguration.demoOpen311Key), ("service_code", "noise"), ("lat", "north"),
                    ("media_url", "ftp://x"),
                ])
            ) { response async throws in
                #expect(response.status == .badRequest)
                let text = try Self.array(response).compactMap { $0["description"] as? String }.joined(separator: "\n")
                for field in ["service_code", "lat", "description", "media_url"] {
                    #expect(text.contains(field), "\(field) not named in \(text)")
                }
            }
            var requestID = ""
            try await tester.test(
                .POST, "open311/v2/requests.json", headers: Self.form, body: Self.encode(Self.complaint)
            ) { response async throws in
                #expect(response.status == .created)
                let created = try #require(try Self.array(response).first)
                requestID = try #require(created["service_request_id"] as? String)
                #expect(created["service_notice"] as? String != nil)
            }
            // HQ sees the case with the complainant; it was placed and routed like any case.
            let hq = try await app.signedIn()
            var caseID = ""
            try await hq.test(.GET, "api/v1/cases?source=public_complaint&category=cooking_fumes") {
                response async throws in
                let list = try JSONDecoder().decode(CaseListJSON.self, from: response.body)
                let item = try #require(list.cases.first { $0.number == requestID })
                caseID = item.id
                #expect(item.isPublic && item.reporterName == "李晓红")
                #expect(item.reporterContact == "13900001111 / lixh@example.com")
                #expect(item.regionCode == "110105024-G1" && item.responsibleUnitCode == "TS-110105024")
            }
            // The public reads: no complainant, no phone, no e-mail — anywhere in the answer.
            for path in ["open311/v2/requests.json", "open311/v2/requests/\(requestID).json"] {
                try await tester.test(.GET, path) { response async throws in
                    #expect(response.status == .ok)
                    let text = response.body.string
                    for secret in ["13900001111", "lixh@example.com", "晓红", "reporter", "email", "phone"] {
                        #expect(!text.contains(secret), "\(path) shows \(secret)")
                    }
                    let request = try #require(
                        try Self.array(response).first { $0["service_request_id"] as? String == requestID })
                    #expect(
                        request["status"] as? String == "open" && request["service_code"] as? String == "cooking_fumes")
                    #expect((request["status_notes"] as? String)?.hasPrefix("已受理") == true)
                    #expect(request["lat"] as? Double == 39.986 && request["long"] as? Double == 116.393)
                    // The photo link is its own field, as GeoReport has it, not folded into the description.
                    #expect(request["media_url"] as? String == "https://photos.example.com/fumes/1.jpg")
                    #expect(request["description"] as? String == "楼下餐馆油烟直排，熏得开不了窗")
                }
            }
            // Internal cases are not public: the demo's patrol find is unknown here.
            try await tester.test(.GET, "open311/v2/requests/LT-2026-000001.json") { response async throws in
                #expect(response.status == .notFound)
            }
            try await tester.test(.GET, "open311/v2/requests.json?status=closed") { response async throws in
                #expect(try Self.array(response).allSatisfy { $0["status"] as? String == "closed" })
            }
            try await tester.test(.GET, "open311/v2/requests.json?start_date=yesterday") { response async throws in
                #expect(response.status == .badRequest)
            }

            // Through the ledger to closed: the public sees it assigned, then closed.
            let officer = try app.signedIn(token: try await makeToken(app, role: .unitOfficer, unit: "TS-110105024"))
            let supervisor = try app.signedIn(token: try await makeToken(app, role: .supervisor))
            try await hq.test(
                .POST, "api/v1/cases/\(caseID)/assign", headers: Self.json,
                body: ByteBuffer(string: #"{"workingDays": 3, "note": "内部批注：请重点督办"}"#)
            ) { response async throws in
                #expect(response.status == .ok)
            }
            try await tester.test(.GET, "open311/v2/requests/\(requestID).json") { response async throws in
                let request = try #require(try Self.array(response).first)
                #expect((request["status_notes"] as? String)?.contains("已交办亚运村街道办事处（演示）") == true)
                #expect(request["expected_datetime"] as? String != nil)
                #expect(!response.body.string.contains("内部批注"))
            }
            try await officer.test(.POST, "api/v1/cases/\(caseID)/start_rectifying") { response async throws in
                #expect(response.status == .ok)
            }
            let png = LedgerAPITests.png
            let (headers, body) = LedgerAPITests.multipart(png, name: "after.png", type: "image/png")
            var evidence = ""
            try await officer.test(.POST, "api/v1/cases/\(caseID)/attachments", headers: headers, body: body) {
                response async throws in
                evidence = try JSONDecoder().decode(AttachmentJSON.self, from: response.body).id
            }
            try await officer.test(
                .POST, "api/v1/cases/\(caseID)/submit", headers: Self.json,
                body: ByteBuffer(string: #"{"note": "已安装油烟净化器", "evidence": ["\#(evidence)"]}"#)
            ) { response async throws in
                #expect(response.status == .ok)
            }
            try await supervisor.test(.POST, "api/v1/cases/\(caseID)/close") { response async throws in
                #expect(response.status == .ok)
            }
            try await tester.test(.GET, "open311/v2/requests.json?status=closed&service_code=cooking_fumes") {
                response async throws in
                let request = try #require(
                    try Self.array(response).first { $0["service_request_id"] as? String == requestID })
                #expect(request["status"] as? String == "closed")
                #expect((request["status_notes"] as? String)?.hasPrefix("已整改到位") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyRefusalIsInGeoReportsFormatAndNamesWhatIsWrong(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, metrics in
            let tester = try app.testing()
            let repository = LedgerRepository(database: app.db)
            let before = try await repository.cases(.init(source: .publicComplaint)).total
            // Given a window longer than 90 days, or ending before it starts: 400 naming the dates.
            for query in [
                "start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00",
                "start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z",
            ] {
                try await tester.test(.GET, "open311/v2/requests.json?\(query)") { response async throws in
                    #expect(response.status == .badRequest, "\(query)")
                    let text = try Self.array(response).compactMap { $0["description"] as? String }.joined()
                    #expect(text.contains("end_date"), "\(text)")
                }
            }
            // Empty optional arguments are the same as absent ones (GeoReport's "Optional Arguments").
            try await tester.test(.GET, "open311/v2/requests.json?start_date=&end_date=&status=&service_code=") {
                response async throws in
                #expect(response.status == .ok)
            }
            try await tester.test(.GET, "open311/v2/requests.json?status=open,closed&service_code=water,soil") {
                response async throws in
                #expect(response.status == .ok)
            }
            try await tester.test(.GET, "open311/v2/requests.json?status=pending") { response async throws in
                #expect(response.status == .badRequest)
                #expect(try Self.array(response).first?["description"] as? String != nil)
            }
            // A resource or format the server does not have: still GeoReport's error array, not Lantian's.
            try await tester.test(.GET, "open311/v2/tokens/123.json") { response async throws in
                #expect(response.status == .notFound)
                #expect(try Self.array(response).first?["code"] as? Int == 404)
            }
            // An e-mail and a phone that are neither: named, nothing created.
            var fields = Self.complaint.filter { $0.0 != "email" && $0.0 != "phone" }
            fields += [("email", "lixh at example"), ("phone", "call me")]
            try await tester.test(.POST, "open311/v2/requests.json", headers: Self.form, body: Self.encode(fields)) {
                response async throws in
                #expect(response.status == .badRequest)
                let text = try Self.array(response).compactMap { $0["description"] as? String }.joined(separator: "\n")
                #expect(text.contains("email") && text.contains("phone"), "\(text)")
            }
            #expect(try await repository.cases(.init(source: .publicComplaint)).total == before)
            #expect(metrics.exposition().contains("lantian_open311_refused_total{status=\"400\"}"))
        }
    }

    @Test func namesAreWrittenAsTheirLanguageWritesThem() {
        #expect(Open311Controller.fullName(first: "晓红", last: "李") == "李晓红")
        #expect(Open311Controller.fullName(first: "John", last: "Smith") == "John Smith")
        #expect(Open311Controller.fullName(first: nil, last: "Smith") == "Smith")
        #expect(Open311Controller.looksLikePhone("+86 139-0000-1111") && !Open311Controller.looksLikePhone("12"))
        #expect(Open311Controller.looksLikeEmail("a@b.cn") && !Open311Controller.looksLikeEmail("a@b"))
    }

    @Test func keysComeFromTheEnvironmentAndTheDemoHasOne() throws {
        let configured = try LantianConfiguration.resolve(
            environment: ["LANTIAN_OPEN311_API_KEYS": "0123456789abcdef-one, 0123456789abcdef-two"])
        #expect(configured.effectiveOpen311Keys == ["0123456789abcdef-one", "0123456789abcdef-two"])
        #expect(try LantianConfiguration.resolve(environment: [:]).effectiveOpen311Keys.isEmpty)
        #expect(
            try LantianConfiguration.resolve(environment: [:], overrides: .init(demo: true)).effectiveOpen311Keys == [
                LantianConfiguration.demoOpen311Key
            ])
        #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: ["LANTIAN_OPEN311_API_KEYS": "short"])
        }
    }
}
