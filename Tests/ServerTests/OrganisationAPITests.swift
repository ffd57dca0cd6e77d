import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// Units, people, grid assignments, contracts, rosters and the responsible chain over real HTTP, on both
/// databases, with the Beijing demo (and its synthetic organisation) seeded.
@Suite("Organisation API")
struct OrganisationAPITests {
    @Test(arguments: TestDatabase.all)
    func unitsAndPeopleStatusCodes(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // 201 with a location
            try await app.signedIn().test(
                .POST, "api/v1/units",
                beforeRequest: json(#"{"code":"BJ-FGW","name":"市发改委","kind":"department","parentCode":"BJ-HQ"}"#)
            ) { response async throws in
                #expect(response.status == .created)
                #expect(response.headers.first(name: .location) == "/api/v1/units/BJ-FGW")
                let unit = try JSONDecoder().decode(OrganisationJSON.Unit.self, from: response.body)
                #expect(unit.kindName == "职能部门")
            }
            // 409 for a taken code, 422 naming every bad field, 404 for an unknown unit
            try await app.signedIn().test(
                .POST, "api/v1/units", beforeRequest: json(#"{"code":"BJ-FGW","name":"又一个","kind":"department"}"#)
            ) { response async throws in
                #expect(response.status == .conflict)
            }
            try await app.signedIn().test(
                .POST, "api/v1/units", beforeRequest: json(#"{"code":"坏 code","kind":"factory","parentCode":"NOPE"}"#)
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(try Self.fields(response) == ["name", "kind", "code", "parentCode"])
            }
            try await app.signedIn().test(.GET, "api/v1/units/NOPE") { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.signedIn().test(.PATCH, "api/v1/units/BJ-FGW", beforeRequest: json(#"{"name":"市发展改革委"}"#)) {
                response async throws in
                #expect(response.status == .ok)
                #expect(try JSONDecoder().decode(OrganisationJSON.Unit.self, from: response.body).name == "市发展改革委")
            }
            try await app.signedIn().test(.GET, "api/v1/units?kind=task_group") { response async throws in
                let units = try JSONDecoder().decode([OrganisationJSON.Unit].self, from: response.body)
                #expect(units.count == 3)
            }

            // People: 201, then 422 for a bad phone and an unknown unit, 404, 204, 404 again
            var id = ""
            try await app.signedIn().test(
                .POST, "api/v1/people",
                beforeRequest: json(#"{"name":"测试员","phone":"138-0000-9999","unitCode":"BJ-FGW","title":"科员"}"#)
            ) { response async throws in
                #expect(response.status == .created)
                id = try JSONDecoder().decode(OrganisationJSON.Person.self, from: response.body).id.uuidString
            }
            try await app.signedIn().test(
                .POST, "api/v1/people", beforeRequest: json(#"{"name":"坏","phone":"12345","unitCode":"NOPE"}"#)
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(try Self.fields(response) == ["phone", "unitCode"])
                #expect(response.body.string.contains("电话“12345”格式无效"))
            }
            try await app.signedIn().test(.PATCH, "api/v1/people/\(id)", beforeRequest: json(#"{"name":null}"#)) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
            }
            try await app.signedIn().test(.GET, "api/v1/people?unit=BJ-FGW") { response async throws in
                let people = try JSONDecoder().decode([OrganisationJSON.Person].self, from: response.body)
                #expect(people.map(\.name) == ["测试员"])
            }
            try await app.signedIn().test(.DELETE, "api/v1/people/\(id)") { response async throws in
                #expect(response.status == .noContent)
            }
            try await app.signedIn().test(.GET, "api/v1/people/\(id)") { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.signedIn().test(.GET, "api/v1/people/not-a-uuid") { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func gridsContractsRostersAndTheChain(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let demo = DemoOrganisation()
            let worker = demo.people.first { $0.title == "网格员" }!
            // The demo seeded grid workers on the demo streets
            try await app.signedIn().test(.GET, "api/v1/assignments?region=110105024-G1") { response async throws in
                let assignments = try JSONDecoder().decode([OrganisationJSON.Assignment].self, from: response.body)
                #expect(assignments.map(\.level) == [2, 3])
                #expect(assignments.last?.personId == worker.id)
            }
            // 409: the same grid twice; 422: level 2 on a street
            try await app.signedIn().test(
                .POST, "api/v1/assignments",
                beforeRequest: json(#"{"personId":"\#(worker.id)","regionCode":"110105024-G1","level":3}"#)
            ) { response async throws in
                #expect(response.status == .conflict)
            }
            try await app.signedIn().test(
                .POST, "api/v1/assignments",
                beforeRequest: json(
                    #"{"personId":"\#(worker.id)","regionCode":"110105024","level":2,"endsOn":"2026-13-01"}"#)
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(try Self.fields(response) == ["endsOn", "regionCode"])
            }
            var assignmentID = ""
            try await app.signedIn().test(
                .POST, "api/v1/assignments",
                beforeRequest: json(#"{"personId":"\#(worker.id)","regionCode":"110105024-G2","level":3}"#)
            ) { response async throws in
                #expect(response.status == .created)
                assignmentID = try JSONDecoder().decode(OrganisationJSON.Assignment.self, from: response.body).id
                    .uuidString
            }
            try await app.signedIn().test(.DELETE, "api/v1/assignments/\(assignmentID)") { response async throws in
                #expect(response.status == .noContent)
            }
            try await app.signedIn().test(.DELETE, "api/v1/assignments/\(assignmentID)") { response async throws in
                #expect(response.status == .notFound)
            }

            // Contracts: 422 for a district where a street is needed, 201, PATCH, DELETE
            let leader = demo.contracts[0].leaderID
            try await app.signedIn().test(
                .POST, "api/v1/contracts",
                beforeRequest: json(
                    #"{"leaderId":"\#(leader)","townshipCodes":["110105"],"startsOn":"2026-02-01","endsOn":"2026-01-01"}"#
                )
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(try Self.fields(response) == ["endsOn", "townshipCodes"])
            }
            var contractID = ""
            try await app.signedIn().test(
                .POST, "api/v1/contracts",
                beforeRequest: json(#"{"leaderId":"\#(leader)","townshipCodes":["110105008"],"startsOn":"2026-06-01"}"#)
            ) { response async throws in
                #expect(response.status == .created)
                contractID = try JSONDecoder().decode(OrganisationJSON.Contract.self, from: response.body).id.uuidString
            }
            try await app.signedIn().test(
                .PATCH, "api/v1/contracts/\(contractID)", beforeRequest: json(#"{"endsOn":"2026-12-31","note":"年度分包"}"#)
            ) { response async throws in
                #expect(response.status == .ok)
                let contract = try JSONDecoder().decode(OrganisationJSON.Contract.self, from: response.body)
                #expect(contract.endsOn == "2026-12-31")
            }
            try await app.signedIn().test(.GET, "api/v1/contracts?township=110105008") { response async throws in
                #expect(try JSONDecoder().decode([OrganisationJSON.Contract].self, from: response.body).count == 2)
            }
            try await app.signedIn().test(.DELETE, "api/v1/contracts/\(contractID)") { response async throws in
                #expect(response.status == .noContent)
            }

            // Rosters: a shift for the street, an overlapping one refused (409), a backwards one (422)
            let officer = demo.people.first { $0.title == "街道工委书记" }!
            let shift = #"{"personId":"\#(officer.id)","regionCode":"110105024","role":"leader","#
            try await app.signedIn().test(
                .POST, "api/v1/rosters",
                beforeRequest: json(
                    shift + #""startsAt":"2030-01-01T08:00:00+08:00","endsAt":"2030-01-02T08:00:00+08:00"}"#)
            ) { response async throws in
                #expect(response.status == .created)
            }
            try await app.signedIn().test(
                .POST, "api/v1/rosters",
                beforeRequest: json(
                    shift + #""startsAt":"2030-01-02T07:00:00+08:00","endsAt":"2030-01-02T09:00:00+08:00"}"#)
            ) { response async throws in
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("已有值班"))
            }
            try await app.signedIn().test(
                .POST, "api/v1/rosters",
                beforeRequest: json(
                    #"{"personId":"\#(officer.id)","regionCode":"110105024","role":"boss","startsAt":"2030-01-05T08:00:00+08:00","endsAt":"2030-01-05T07:00:00+08:00"}"#
                )
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(try Self.fields(response) == ["role", "endsAt"])
            }
            // On duty for a grid of the street then: the street's leader (the HQ roster is this week's, not 2030's)
            try await app.signedIn().test(
                .GET, "api/v1/rosters/on-duty?region=110105024-G1&at=2030-01-01T12:00:00%2B08:00"
            ) {
                response async throws in
                let shifts = try JSONDecoder().decode([OrganisationJSON.Shift].self, from: response.body)
                #expect(shifts.map(\.personId) == [officer.id])
                #expect(shifts.first?.roleName == "带班领导")
            }
            try await app.signedIn().test(.GET, "api/v1/rosters/on-duty?region=nowhere") { response async throws in
                #expect(response.status == .notFound)
            }
            try await app.signedIn().test(.GET, "api/v1/rosters?at=yesterday") { response async throws in
                #expect(response.status == .unprocessableEntity)
            }

            // The chain for a demo grid now: grid workers, the street's heads, the district leader, the HQ on duty
            try await app.signedIn().test(.GET, "api/v1/regions/110105024-G1/responsible") { response async throws in
                #expect(response.status == .ok)
                let chain = try JSONDecoder().decode(OrganisationJSON.Chain.self, from: response.body)
                #expect(
                    chain.chain.map(\.role) == [
                        "grid_worker", "grid_worker", "grid_worker", "township_head", "township_head",
                        "contracting_leader",
                        "on_duty", "on_duty",
                    ])
                #expect(chain.chain.map(\.gridLevel).prefix(3) == [3, 2, 1])
                #expect(chain.chain.last?.dutyRoleName == "带班领导")
            }
            try await app.signedIn().test(.GET, "api/v1/regions/nowhere/responsible") { response async throws in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func csvImportsOverHTTP(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let units = "code,name,kind,region,parent\nBJ-GAJ,市公安局交管局,department,,BJ-HQ\n"
            try await app.signedIn().test(.POST, "api/v1/units/import", beforeRequest: csv(units)) {
                response async throws in
                #expect(response.status == .ok)
                let summary = try JSONDecoder().decode(OrganisationJSON.ImportSummary.self, from: response.body)
                #expect(summary.created == 1)
            }
            let people = """
                name,phone,unit,title,grid,grid_level
                新网格员,138-0000-8888,BJ-GAJ,网格员,110105024-G2,3
                坏电话,8888,BJ-GAJ,网格员,,
                没单位,138-0000-8889,NOPE,网格员,,
                """
            try await app.signedIn().test(.POST, "api/v1/people/import", beforeRequest: csv(people)) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
                #expect(try Self.fields(response) == ["line[3].phone", "line[4].unit"])
            }
            try await app.signedIn().test(.GET, "api/v1/people?unit=BJ-GAJ") { response async throws in
                #expect(try JSONDecoder().decode([OrganisationJSON.Person].self, from: response.body).isEmpty)
            }
            let good = people.split(separator: "\n").prefix(2).joined(separator: "\n")
            try await app.signedIn().test(.POST, "api/v1/people/import?dryRun=true", beforeRequest: csv(good)) {
                response async throws in
                let summary = try JSONDecoder().decode(OrganisationJSON.ImportSummary.self, from: response.body)
                #expect(summary.dryRun && summary.created == 1 && summary.assignmentsCreated == 1)
            }
            try await app.signedIn().test(.POST, "api/v1/people/import", beforeRequest: csv(good)) {
                response async throws in
                #expect(response.status == .ok)
            }
            try await app.signedIn().test(.GET, "api/v1/people?unit=BJ-GAJ") { response async throws in
                #expect(try JSONDecoder().decode([OrganisationJSON.Person].self, from: response.body).count == 1)
            }
            try await app.signedIn().test(.POST, "api/v1/people/import", beforeRequest: json(#"{"name":"x"}"#)) {
                response async throws in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDemoOrganisationIsSeededOnceAndAudited(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let demo = DemoOrganisation()
            // Seeding again (as a restart does) adds nothing
            try await BeijingDemo.load(resourcesDirectory: app.directory.resourcesDirectory).seed(
                database: app.db, resourcesDirectory: app.directory.resourcesDirectory)
            let people = try await PeopleRepository(database: app.db).people()
            #expect(people.count == demo.people.count)
            #expect(people.allSatisfy { $0.phone?.hasPrefix("138-0000-") == true })
            #expect(Set(people.map(\.name)).count == people.count)
            // This week's roster: 7 days × (带班领导 + 值班员) at the HQ, and someone on duty now
            let now = Date()
            let onDuty = try await DutyRoster(database: app.db).onDuty(regionCode: "110105024-G1", at: now)
            #expect(Set(onDuty.map(\.role)) == [.leader, .officer])
            #expect(try await DutyRoster(database: app.db).shifts(regionCode: BeijingDemo.cityCode).count == 14)
            let history = try await AuditTrail.history(
                entity: "person", id: demo.people[0].id.uuidString.lowercased(), on: app.db)
            #expect(history.map(\.actor) == ["system:demo"])
            #expect(try await AuditTrail.verify(on: app.db).isIntact)
        }
    }

    static func fields(_ response: TestingHTTPResponse) throws -> [String] {
        struct Body: Decodable { var problems: [FieldProblem]? }
        return try JSONDecoder().decode(Body.self, from: response.body).problems?.map(\.field) ?? []
    }

    private func json(_ body: String) -> (inout TestingHTTPRequest) throws -> Void {
        { request in
            request.headers.contentType = .json
            request.body = ByteBuffer(string: body)
        }
    }

    private func csv(_ body: String) -> (inout TestingHTTPRequest) throws -> Void {
        { request in
            request.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            request.body = ByteBuffer(string: body)
        }
    }
}
