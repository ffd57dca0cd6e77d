import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// Every route the application registers × every role (and no sign-in at all): allowed (2xx or a 4xx about
/// the input), denied (403), signed out (401) — driven by the routes registered in the app, so a route
/// without an entry in `RouteAccess.table` fails here. Scoped roles meet items outside their scope as 404.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Caller: Hashable, CustomStringConvertible {
        case anonymous
        case role(Role)

        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case .role(let role): role.rawValue
            }
        }
    }

    enum Expected: Equatable {
        case allowed, unauthorized, forbidden
    }

    static let callers: [Caller] = [.anonymous] + Role.allCases.map(Caller.role)

    static func expected(_ rule: RouteAccess.Rule, for caller: Caller) -> Expected {
        switch (rule, caller) {
        case (.open, _): .allowed
        // A page sends the anonymous to the sign-in page (303), not a 401.
        case (.page, .anonymous): .allowed
        case (.page(let permissions), .role(let role)):
            permissions.contains { RolePermissions.role(role, may: $0) } ? .allowed : .forbidden
        case (_, .anonymous): .unauthorized
        case (.signedIn, .role): .allowed
        case (.permission(let permission), .role(let role)):
            RolePermissions.role(role, may: permission) ? .allowed : .forbidden
        }
    }

    /// Two counties with a unit each; a township with a grid under the first; one station in each county; a
    /// grid worker for the township.
    struct Fixture {
        var gridPerson = UUID()
        var otherPerson = UUID()

        func seed(_ app: Application) async throws {
            let regions = [
                Region(code: "R0", name: "市", level: .city),
                Region(code: "R1", name: "甲区", level: .county, parentCode: "R0"),
                Region(code: "R1a", name: "甲区一街道", level: .township, parentCode: "R1"),
                Region(code: "R1a-G", name: "甲区一街道第一网格", level: .grid, parentCode: "R1a"),
                Region(code: "R2", name: "乙区", level: .county, parentCode: "R0"),
            ]
            let units = [
                ResponsibleUnit(code: "U1", name: "甲区政府", kind: .county, regionCode: "R1"),
                ResponsibleUnit(code: "U2", name: "乙区政府", kind: .county, regionCode: "R2"),
            ]
            let stations = [
                Station(
                    code: "S-IN", name: "甲站", kind: .national, coordinate: Coordinate(longitude: 116.4, latitude: 39.9),
                    regionCode: "R1a-G", responsibleUnitCode: "U1"),
                Station(
                    code: "S-OUT", name: "乙站", kind: .national,
                    coordinate: Coordinate(longitude: 116.5, latitude: 39.8), regionCode: "R2",
                    responsibleUnitCode: "U2"),
            ]
            try await OrganisationRepository(database: app.db).upsert(
                regions: regions, units: units, stations: stations)
            let people = PeopleRepository(database: app.db)
            try await people.create(Person(id: gridPerson, name: "网格员甲", unitCode: "U1"), by: .system("test"))
            try await people.create(Person(id: otherPerson, name: "乙区干部", unitCode: "U2"), by: .system("test"))
            try await people.assign(
                GridAssignment(personID: gridPerson, regionCode: "R1a", level: .first), by: .system("test"))
        }

        func token(_ app: Application, _ role: Role) async throws -> String {
            switch role {
            case .unitOfficer, .factorySupervisor: try await makeToken(app, role: role, unit: "U1")
            case .gridWorker: try await makeToken(app, role: role, person: gridPerson)
            default: try await makeToken(app, role: role)
            }
        }
    }

    /// A concrete path for a route pattern: in-scope codes for parameters, a fresh UUID for ids.
    static func concretePath(_ route: Route) -> String {
        var previous = ""
        let parts = route.path.map { component -> String in
            defer { if case .constant(let text) = component { previous = text } }
            switch component {
            case .constant(let text): return text
            case .parameter(let name) where name == "code":
                switch previous {
                case "stations": return "S-IN"
                case "units": return "U1"
                default: return "R1"
                }
            case .parameter: return UUID().uuidString
            case .anything, .catchall: return "x"
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    @Test func everyRegisteredRouteHasExactlyOneRuleAndNoRuleIsStale() async throws {
        try await withLantian(on: .sqlite, prepare: false) { app, _, _ in
            let registered = Set(app.routes.all.map { RouteAccess.key(method: $0.method, path: $0.path) })
            let missing = registered.subtracting(RouteAccess.table.keys)
            let stale = Set(RouteAccess.table.keys).subtracting(registered)
            #expect(missing.isEmpty, "routes without an access rule: \(missing.sorted())")
            #expect(stale.isEmpty, "rules for routes that do not exist: \(stale.sorted())")
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyRouteTimesEveryRole(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            let fixture = Fixture()
            try await fixture.seed(app)
            var tokens: [Role: String] = [:]
            for role in Role.allCases { tokens[role] = try await fixture.token(app, role) }
            try await makeToken(app, role: .public, username: "matrix-login", password: "matrix password")
            let routes = app.routes.all.sorted {
                RouteAccess.key(method: $0.method, path: $0.path) < RouteAccess.key(method: $1.method, path: $1.path)
            }
            var checked = 0
            for route in routes {
                let key = RouteAccess.key(method: route.method, path: route.path)
                let rule = try #require(RouteAccess.rule(for: route), "\(key) has no rule")
                for caller in Self.callers {
                    let expected = Self.expected(rule, for: caller)
                    var headers: HTTPHeaders = ["Content-Type": "application/json"]
                    if case .role(let role) = caller {
                        // Revoking spends a token: give that route a token of its own.
                        let token =
                            key == "DELETE /api/v1/auth/token" ? try await fixture.token(app, role) : tokens[role]!
                        headers.bearerAuthorization = BearerAuthorization(token: token)
                    }
                    var body = ByteBuffer(string: key == "POST /api/v1/readings" ? "[]" : "{}")
                    if key == "POST /login" {
                        // The login form's own double-submit token and a real account: the sign-in goes through.
                        headers.contentType = .urlEncodedForm
                        headers.replaceOrAdd(name: .cookie, value: "\(LoginPage.loginCSRFCookie)=t0k3n")
                        body = ByteBuffer(string: "username=matrix-login&password=matrix%20password&csrf=t0k3n")
                    }
                    let sendsBody = [HTTPMethod.POST, .PATCH, .PUT].contains(route.method)
                    // The live stream is asked to end at once, or an allowed caller would wait forever.
                    let path = Self.concretePath(route) + (key == "GET /api/v1/alerts/stream" ? "?seconds=0" : "")
                    try await app.testing().test(
                        route.method, path, headers: headers, body: sendsBody ? body : nil
                    ) { response async in
                        let status = response.status.code
                        switch expected {
                        case .unauthorized:
                            #expect(status == 401, "\(key) as \(caller): \(status), expected 401")
                        case .forbidden:
                            #expect(status == 403, "\(key) as \(caller): \(status), expected 403")
                        case .allowed:
                            #expect(
                                status != 401 && status != 403 && status < 500,
                                "\(key) as \(caller): \(status) \(response.body.string.prefix(200)), expected allowed")
                        }
                    }
                    checked += 1
                }
            }
            #expect(checked == routes.count * Self.callers.count)
            #expect(checked > 400)
        }
    }

    @Test(arguments: TestDatabase.all)
    func scopedRolesSeeOnlyTheirItemsAndOthersAsUnknown(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            let fixture = Fixture()
            try await fixture.seed(app)
            let officer = try app.signedIn(token: try await fixture.token(app, .unitOfficer))
            let grid = try app.signedIn(token: try await fixture.token(app, .gridWorker))
            let hq = try app.signedIn(token: try await fixture.token(app, .command))
            let unassigned = try app.signedIn(token: try await makeToken(app, role: .gridWorker))

            func codes(_ tester: SignedInTester) async throws -> [String] {
                var codes: [String] = []
                try await tester.test(.GET, "api/v1/stations") { response async throws in
                    #expect(response.status == .ok)
                    codes = try JSONDecoder().decode([StationController.StationResponse].self, from: response.body).map(
                        \.code)
                }
                return codes
            }
            #expect(try await codes(hq) == ["S-IN", "S-OUT"])
            #expect(try await codes(officer) == ["S-IN"])
            // The grid worker answers for the township R1a; the station stands in a grid below it.
            #expect(try await codes(grid) == ["S-IN"])
            #expect(try await codes(unassigned) == [])

            for tester in [officer, grid] {
                try await tester.test(.GET, "api/v1/stations/S-IN") { #expect($0.status == .ok) }
                try await tester.test(.GET, "api/v1/stations/S-OUT") { response async in
                    #expect(response.status == .notFound)
                    #expect(response.body.string.contains("S-OUT 不存在"))
                }
                try await tester.test(.GET, "api/v1/stations/S-OUT/readings") { #expect($0.status == .notFound) }
                try await tester.test(.GET, "api/v1/stations/S-IN/readings") { #expect($0.status == .ok) }
            }
            let patch: (inout TestingHTTPRequest) throws -> Void = { request in
                request.headers.contentType = .json
                request.body = ByteBuffer(string: #"{"name":"改名"}"#)
            }
            try await officer.test(.PATCH, "api/v1/stations/S-OUT", beforeRequest: patch) {
                #expect($0.status == .notFound)
            }
            try await officer.test(.PATCH, "api/v1/stations/S-IN", beforeRequest: patch) { #expect($0.status == .ok) }
            // Handing the station to another unit would take it out of scope.
            try await officer.test(
                .PATCH, "api/v1/stations/S-IN",
                beforeRequest: { request in
                    request.headers.contentType = .json
                    request.body = ByteBuffer(string: #"{"responsibleUnitCode":"U2"}"#)
                }
            ) { response async in
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("responsibleUnitCode"))
            }
            // Units and people: the officer's unit and its people; the grid worker the people of their grids.
            func names(_ tester: SignedInTester, _ path: String, _ key: String) async throws -> [String] {
                var names: [String] = []
                try await tester.test(.GET, path) { response async throws in
                    #expect(response.status == .ok)
                    let items = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                    names = (items ?? []).compactMap { $0[key] as? String }
                }
                return names
            }
            #expect(try await names(hq, "api/v1/units", "code") == ["U1", "U2"])
            #expect(try await names(officer, "api/v1/units", "code") == ["U1"])
            #expect(try await names(officer, "api/v1/people", "name") == ["网格员甲"])
            #expect(try await names(grid, "api/v1/people", "name") == ["网格员甲"])
            #expect(try await names(hq, "api/v1/people", "name").count == 2)
            try await officer.test(.GET, "api/v1/units/U2") { #expect($0.status == .notFound) }
            try await officer.test(.GET, "api/v1/units/U1") { #expect($0.status == .ok) }
            try await officer.test(.GET, "api/v1/people/\(fixture.otherPerson)") { #expect($0.status == .notFound) }
            try await grid.test(.GET, "api/v1/people/\(fixture.otherPerson)") { #expect($0.status == .notFound) }
            try await grid.test(.GET, "api/v1/people/\(fixture.gridPerson)") { #expect($0.status == .ok) }
            try await hq.test(.GET, "api/v1/people/\(fixture.otherPerson)") { #expect($0.status == .ok) }
            // Zones around control stations follow the station's scope.
            let officerZones = try await names(officer, "api/v1/zones", "stationCode")
            #expect(!officerZones.isEmpty && officerZones.allSatisfy { $0 == "S-IN" })
            #expect(Set(try await names(hq, "api/v1/zones", "stationCode")) == ["S-IN", "S-OUT"])
            let outZone = try #require(try await names(hq, "api/v1/zones", "id").first { $0.hasPrefix("S-OUT") })
            try await officer.test(.GET, "api/v1/zones/\(outZone)") { #expect($0.status == .notFound) }
            try await hq.test(.GET, "api/v1/zones/\(outZone)") { #expect($0.status == .ok) }
            // A grid worker may read but not change.
            try await grid.test(.PATCH, "api/v1/stations/S-IN", beforeRequest: patch) {
                #expect($0.status == .forbidden)
            }
        }
    }
}
