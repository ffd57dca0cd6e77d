import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `/api/v1/stations` as a client uses it, on the real application and both databases.
@Suite("Station registry API")
struct StationAPITests {
    typealias StationJSON = StationController.StationResponse

    static let password = "0123456789abcdef01234567"
    static let newStation = """
        {"code":"BJM001","name":"西城微站1","kind":"micro","longitude":116.36,"latitude":39.91,
         "regionCode":"110102","responsibleUnitCode":"GOV-110102",
         "hj212":{"mn":"MICRO-BJM001","password":"\(password)","protocols":["2017"],"crcPolicy":"modbus","tolerant":false},
         "pollutants":[{"code":"a34004","unit":"µg/m³"},{"code":"a34002","unit":"ug/m3"}]}
        """

    @Test(arguments: TestDatabase.all)
    func createShowListAndPatch(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // When a micro station is registered
            try await app.signedIn().test(.POST, "api/v1/stations", beforeRequest: json(Self.newStation)) {
                response async throws in
                // Then it is created, located, and shown without its password
                #expect(response.status == .created)
                #expect(response.headers.first(name: .location) == "/api/v1/stations/BJM001")
                let station = try JSONDecoder().decode(StationJSON.self, from: response.body)
                #expect(station.kindName == "微站")
                #expect(station.statusName == "运行")
                #expect(station.hj212?.mn == "MICRO-BJM001")
                #expect(station.hj212?.protocols == ["2017"])
                #expect(station.hj212?.crcPolicy == "modbus")
                #expect(station.hj212?.tolerant == false)
                #expect(station.hj212?.passwordSet == true)
                #expect(station.pollutants.map(\.code) == ["a34002", "a34004"])
                #expect(station.pollutants.map(\.name) == ["PM10", "PM2.5"])
            }

            // And it is listed with the filters that match it, not with the others
            try await app.signedIn().test(.GET, "api/v1/stations?kind=micro&region=110102") { response async throws in
                let stations = try JSONDecoder().decode([StationJSON].self, from: response.body)
                #expect(stations.map(\.code) == ["BJM001"])
            }
            try await app.signedIn().test(.GET, "api/v1/stations?kind=national&status=active") {
                response async throws in
                let stations = try JSONDecoder().decode([StationJSON].self, from: response.body)
                #expect(stations.count == 12)
                #expect(stations.allSatisfy { $0.hj212?.mn.hasPrefix("BJDEMO") == true })
            }

            // When only its status and CRC policy are patched
            let patch = #"{"status":"maintenance","hj212":{"crcPolicy":"either"}}"#
            try await app.signedIn().test(.PATCH, "api/v1/stations/BJM001", beforeRequest: json(patch)) {
                response async throws in
                #expect(response.status == .ok)
                let station = try JSONDecoder().decode(StationJSON.self, from: response.body)
                #expect(station.status == "maintenance")
                #expect(station.hj212?.crcPolicy == "either")
                #expect(station.hj212?.mn == "MICRO-BJM001")
                #expect(station.name == "西城微站1")
                #expect(station.pollutants.count == 2)
            }
            // Then the stored password is the one first given
            let stored = try await StationRepository(database: app.db).station(code: "BJM001")
            #expect(stored?.hj212?.password == Self.password)

            // And a patch can clear the region and replace the pollutants
            let clear = #"{"regionCode":null,"pollutants":[{"code":"a21005","unit":"mg/m3"}]}"#
            try await app.signedIn().test(.PATCH, "api/v1/stations/BJM001", beforeRequest: json(clear)) {
                response async throws in
                let station = try JSONDecoder().decode(StationJSON.self, from: response.body)
                #expect(station.regionCode == nil)
                #expect(station.responsibleUnitCode == "GOV-110102")
                #expect(station.pollutants.map(\.code) == ["a21005"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePasswordNeverAppearsInAnyResponse(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            var bodies: [String] = []
            let tester = try await app.signedIn()
            try await tester.test(.POST, "api/v1/stations", beforeRequest: json(Self.newStation)) {
                bodies.append($0.body.string)
            }
            try await tester.test(.GET, "api/v1/stations/BJM001") { bodies.append($0.body.string) }
            try await tester.test(.GET, "api/v1/stations") { bodies.append($0.body.string) }
            try await tester.test(.PATCH, "api/v1/stations/BJM001", beforeRequest: json(#"{"name":"改名"}"#)) {
                bodies.append($0.body.string)
            }
            // A refused create or patch must not echo it either
            try await tester.test(.POST, "api/v1/stations", beforeRequest: json(Self.newStation)) {
                #expect($0.status == .conflict)
                bodies.append($0.body.string)
            }
            let badPatch = #"{"latitude":100,"hj212":{"password":"\#(Self.password)x;"}}"#
            try await tester.test(.PATCH, "api/v1/stations/BJM001", beforeRequest: json(badPatch)) {
                #expect($0.status == .unprocessableEntity)
                bodies.append($0.body.string)
            }
            #expect(bodies.count == 6)
            for body in bodies {
                #expect(!body.contains(Self.password), "\(body)")
                #expect(!body.contains(BeijingDemo.devicePassword), "\(body)")
                #expect(!body.contains("\"password\""), "\(body)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBadStationIsRefusedWithEveryBadField(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            let body = """
                {"code":"","kind":"tower","longitude":"east","latitude":95,"status":"broken","regionCode":"404",
                 "hj212":{"mn":"has space","protocols":["2030"],"crcPolicy":"crc32"},
                 "pollutants":[{"code":"a99999","unit":"ug/m3"},{"code":"a34004","unit":"C"},{"unit":"ug/m3"}]}
                """
            try await app.signedIn().test(.POST, "api/v1/stations", beforeRequest: json(body)) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(answer.error.status == 422)
                #expect(answer.error.code == "unprocessable_entity")
                #expect(
                    Set(answer.problems.map(\.field)) == [
                        "code", "name", "kind", "longitude", "latitude", "status", "regionCode", "hj212.mn",
                        "hj212.password", "hj212.protocols", "hj212.crcPolicy", "pollutants[0]", "pollutants[1]",
                        "pollutants[2].code",
                    ])
                #expect(answer.problems.count == 14, "\(answer.problems)")
                for problem in answer.problems {
                    #expect(problem.message.unicodeScalars.first.map { $0.value >= 0x2E80 } == true, "\(problem)")
                }
            }
            // Nothing was written
            try await app.signedIn().test(.GET, "api/v1/stations") { response async in
                #expect(response.body.string == "[]")
            }
            // A list filter that means nothing is named too
            try await app.signedIn().test(.GET, "api/v1/stations?kind=tower") { response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(answer.problems.map(\.field) == ["kind"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func takenCodesAndMNsConflictAndUnknownStationsAreNotFound(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // The code of a demo station
            let sameCode = #"{"code":"1001A","name":"重复","kind":"micro","longitude":116,"latitude":40}"#
            try await app.signedIn().test(.POST, "api/v1/stations", beforeRequest: json(sameCode)) { response async in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("站点编码 1001A 已存在"))
            }
            // The MN of a demo station's logger, on create and on patch
            let mn = BeijingDemo.mn(forStationCode: "1003A")
            let sameMN = """
                {"code":"X1","name":"同 MN","kind":"micro","longitude":116,"latitude":40,"hj212":{"mn":"\(mn)","password":"p"}}
                """
            try await app.signedIn().test(.POST, "api/v1/stations", beforeRequest: json(sameMN)) { response async in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("已被站点 1003A 使用"))
            }
            let patch = #"{"hj212":{"mn":"\#(mn)"}}"#
            try await app.signedIn().test(.PATCH, "api/v1/stations/1001A", beforeRequest: json(patch)) {
                response async in
                #expect(response.status == .conflict)
            }
            try await app.signedIn().test(.PATCH, "api/v1/stations/NOPE", beforeRequest: json(#"{"name":"x"}"#)) {
                response async in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains(#""code":"not_found""#))
            }
            try await app.signedIn().test(.GET, "api/v1/stations/NOPE") { response async in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPatchCannotChangeTheCodeOrNullARequiredField(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let patch = #"{"code":"9999A","name":null,"hj212":{"password":null}}"#
            try await app.signedIn().test(.PATCH, "api/v1/stations/1001A", beforeRequest: json(patch)) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(answer.problems.map(\.field) == ["code", "name", "hj212.password"])
            }
            // Removing the identity is allowed
            try await app.signedIn().test(.PATCH, "api/v1/stations/1001A", beforeRequest: json(#"{"hj212":null}"#)) {
                response async throws in
                #expect(response.status == .ok)
                let station = try JSONDecoder().decode(StationJSON.self, from: response.body)
                #expect(station.hj212 == nil)
            }
        }
    }

    // MARK: Helpers

    struct ProblemsAnswer: Decodable {
        struct Body: Decodable {
            var status: Int
            var code: String
            var message: String
        }
        var error: Body
        var problems: [FieldProblem]
    }

    private func json(_ body: String) -> (inout TestingHTTPRequest) throws -> Void {
        { request in
            request.headers.contentType = .json
            request.body = ByteBuffer(string: body)
        }
    }
}
