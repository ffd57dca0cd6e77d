import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `/api/v1/regions`, `/regions.geojson`, `/locate` and `/zones` as a client uses them, on the real
/// application with the Beijing demo, on both databases.
@Suite("Regions, locate and zones API")
struct RegionAPITests {
    struct ProblemsAnswer: Decodable {
        struct Body: Decodable {
            var status: Int
            var message: String
        }
        var error: Body
        var problems: [FieldProblem]
    }

    struct ImportAnswer: Decodable {
        var inserted: Int
        var updated: Int
        var unchanged: Int
        var dryRun: Bool
    }

    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String {
        #"{"type":"Polygon","coordinates":[[[\#(x0),\#(y0)],[\#(x1),\#(y0)],[\#(x1),\#(y1)],[\#(x0),\#(y1)],[\#(x0),\#(y0)]]]}"#
    }

    static func feature(_ code: String, _ level: String, _ parent: String, _ geometry: String) -> String {
        #"{"type":"Feature","properties":{"code":"\#(code)","name":"网格\#(code)","level":"\#(level)","parent":"\#(parent)"},"geometry":\#(geometry)}"#
    }

    static func collection(_ features: [String]) -> String {
        #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
    }

    @Test(arguments: TestDatabase.all)
    func demoStationsLieInTheirRegionsAndLocateFindsTheStreet(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let demo = try BeijingDemo.load(resourcesDirectory: app.directory.resourcesDirectory)
            let regions = try await RegionRepository(database: app.db).regions()
            let byCode = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0) })
            // Every demo region, down to the grids the demo organisation staffs, has its demo geometry.
            #expect(regions.allSatisfy { $0.isDemoGeometry && $0.boundary != nil })
            #expect(byCode["110106"]?.region.name == "丰台区")
            for station in demo.stations {
                // Every demo station lies inside its region's polygon
                let district = try #require(byCode[station.regionCode ?? ""], "\(station.code)")
                #expect(
                    district.boundary?.contains(station.coordinate) == true, "\(station.code) outside \(district.code)")
                // And locate puts it in a street of that district, inside the city, inside its own zones
                try await app.signedIn().test(
                    .GET, "api/v1/locate?lon=\(station.coordinate.longitude)&lat=\(station.coordinate.latitude)"
                ) { response async throws in
                    #expect(response.status == .ok)
                    let located = try JSONDecoder().decode(SpatialController.LocateResponse.self, from: response.body)
                    // The demo grid, its street, the station's district, the city.
                    #expect(located.chain.map(\.level) == ["grid", "township", "county", "city"], "\(station.code)")
                    #expect(located.chain.dropFirst(2).first?.code == station.regionCode)
                    #expect(located.chain.last?.code == BeijingDemo.cityCode)
                    #expect(located.chain.allSatisfy { $0.demo })
                    #expect(
                        Set(located.zones.filter { $0.stationCode == station.code }.map(\.id))
                            == ["\(station.code)-500", "\(station.code)-1000"])
                }
            }
            // A point outside Beijing is in no region
            try await app.signedIn().test(.GET, "api/v1/locate?lon=121.47&lat=31.23") { response async throws in
                let located = try JSONDecoder().decode(SpatialController.LocateResponse.self, from: response.body)
                #expect(located.region == nil && located.chain.isEmpty && located.zones.isEmpty)
            }
            // Bad coordinates are a 422 naming both
            try await app.signedIn().test(.GET, "api/v1/locate?lon=east&lat=95") { response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(answer.problems.map(\.field) == ["lon", "lat"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func zonesAreObjectsWithTheirContents(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // Given a micro station 300 m east of 东四 (1003A) and one 800 m north of it
            let near = Coordinate(longitude: 116.4174 + 300 / (111_320 * cos(39.9289 * .pi / 180)), latitude: 39.9289)
            let far = Coordinate(longitude: 116.4174, latitude: 39.9289 + 800 / 111_195)
            for (code, point) in [("MS-NEAR", near), ("MS-FAR", far)] {
                try await StationRepository(database: app.db).create(
                    Station(code: code, name: code, kind: .micro, coordinate: point), by: .system("test"))
            }
            try await app.signedIn().test(.GET, "api/v1/zones") { response async throws in
                let zones = try JSONDecoder().decode([SpatialController.ZoneResponse].self, from: response.body)
                #expect(zones.count == 24)
                #expect(zones.first?.id == "1001A-500")
                #expect(zones.first?.tier == "core")
                #expect(zones.dropFirst().first?.id == "1001A-1000")
                #expect(zones.allSatisfy { $0.boundary == nil && $0.contents == nil })
            }
            // The core zone holds 东四 itself and the near station; the control zone the far one too
            try await app.signedIn().test(.GET, "api/v1/zones/1003A-500") { response async throws in
                #expect(response.status == .ok)
                let zone = try JSONDecoder().decode(SpatialController.ZoneResponse.self, from: response.body)
                #expect(zone.stationName == "东四")
                #expect(zone.contents?.map(\.code) == ["1003A", "MS-NEAR"])
                #expect(abs((zone.contents?.last?.distance ?? 0) - 300) < 2)
                #expect(zone.boundary != nil)
            }
            try await app.signedIn().test(.GET, "api/v1/zones/1003A-1000") { response async throws in
                let zone = try JSONDecoder().decode(SpatialController.ZoneResponse.self, from: response.body)
                #expect(zone.contents?.map(\.code) == ["1003A", "MS-NEAR", "MS-FAR"])
                #expect(zone.contents?.allSatisfy { $0.kind == "station" } == true)
            }
            try await app.signedIn().test(.GET, "api/v1/zones/1003A-700") { response async throws in
                #expect(response.status == .notFound)
            }
            // Locate at the far station: in 1003A's control zone, not its core zone
            try await app.signedIn().test(.GET, "api/v1/locate?lon=\(far.longitude)&lat=\(far.latitude)") {
                response async throws in
                let located = try JSONDecoder().decode(SpatialController.LocateResponse.self, from: response.body)
                #expect(located.zones.map(\.id) == ["1003A-1000"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func createShowPatchAndTheirRefusals(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // A grid inside 东四街道, created: 201 with Location, audited
            let grid =
                #"{"code":"110101006-G9","name":"东四一网格","level":"grid","parentCode":"110101006","boundary":"#
                + Self.square(116.415, 39.925, 116.42, 39.93) + "}"
            try await app.signedIn().test(.POST, "api/v1/regions", beforeRequest: json(grid)) { response async throws in
                #expect(response.status == .created)
                #expect(response.headers.first(name: .location) == "/api/v1/regions/110101006-G9")
                let region = try JSONDecoder().decode(RegionResponse.self, from: response.body)
                #expect(region.levelName == "网格" && region.demo == false && region.boundary != nil)
            }
            #expect(try await AuditTrail.history(entity: "region", id: "110101006-G9", on: app.db).count == 1)
            // The cached index sees the new grid at once
            try await app.signedIn().test(.GET, "api/v1/locate?lon=116.4174&lat=39.9289") { response async throws in
                let located = try JSONDecoder().decode(SpatialController.LocateResponse.self, from: response.body)
                #expect(located.chain.map(\.code) == ["110101006-G9", "110101006", "110101", "110000"])
            }
            // The same code again: 409
            try await app.signedIn().test(.POST, "api/v1/regions", beforeRequest: json(grid)) { response async throws in
                #expect(response.status == .conflict)
            }
            // Every bad field at once: 422, Chinese first
            let bad =
                #"{"code":"a b","level":"village","parentCode":"nowhere","boundary":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.41,39.9],[116.41,39.91],[116.4,39.91]]]}}"#
            try await app.signedIn().test(.POST, "api/v1/regions", beforeRequest: json(bad)) { response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(Set(answer.problems.map(\.field)) == ["code", "name", "level", "parentCode", "boundary"])
                #expect(answer.problems.first { $0.field == "boundary" }?.message.contains("环未闭合") == true)
                for problem in answer.problems {
                    #expect(problem.message.unicodeScalars.first.map { $0.value >= 0x2E80 } == true, "\(problem)")
                }
            }
            // Show: with the boundary as GeoJSON; 404 for an unknown code
            try await app.signedIn().test(.GET, "api/v1/regions/110101") { response async throws in
                let region = try JSONDecoder().decode(RegionResponse.self, from: response.body)
                #expect(region.name == "东城区" && region.demo)
                guard case .object(let geometry) = region.boundary else {
                    Issue.record("no boundary")
                    return
                }
                #expect(geometry["type"] == .string("Polygon"))
            }
            try await app.signedIn().test(.GET, "api/v1/regions/999999") { response async throws in
                #expect(response.status == .notFound)
            }
            // Patch: rename, a level above the parent is 422, unknown code 404
            try await app.signedIn().test(
                .PATCH, "api/v1/regions/110101006-G9", beforeRequest: json(#"{"name":"东四网格1"}"#)
            ) {
                response async throws in
                #expect(response.status == .ok)
                let region = try JSONDecoder().decode(RegionResponse.self, from: response.body)
                #expect(region.name == "东四网格1")
            }
            try await app.signedIn().test(
                .PATCH, "api/v1/regions/110101006-G9", beforeRequest: json(#"{"level":"county"}"#)
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(answer.problems.map(\.field) == ["level"])
            }
            try await app.signedIn().test(.PATCH, "api/v1/regions/999999", beforeRequest: json(#"{"name":"x"}"#)) {
                response async throws in
                #expect(response.status == .notFound)
            }
            // Lists: flat by parent, the tree, and the map layer
            try await app.signedIn().test(.GET, "api/v1/regions?parent=110101") { response async throws in
                let regions = try JSONDecoder().decode([RegionResponse].self, from: response.body)
                #expect(regions.map(\.code) == ["110101006", "110101016"])
                #expect(regions.allSatisfy { $0.boundary == nil && $0.bbox?.count == 4 })
            }
            try await app.signedIn().test(.GET, "api/v1/regions?format=tree") { response async throws in
                let roots = try JSONDecoder().decode([RegionResponse].self, from: response.body)
                #expect(roots.map(\.code) == ["110000"])
                #expect(roots.first?.children?.count == 9)
                let dongcheng = roots.first?.children?.first { $0.code == "110101" }
                #expect(
                    dongcheng?.children?.first { $0.code == "110101006" }?.children?.map(\.code)
                        == ["110101006-G1", "110101006-G2", "110101006-G9"])
            }
            try await app.signedIn().test(.GET, "api/v1/regions?level=hamlet") { response async throws in
                #expect(response.status == .unprocessableEntity)
            }
            try await app.signedIn().test(.GET, "api/v1/regions.geojson?level=county") { response async throws in
                #expect(response.headers.contentType?.subType == "geo+json")
                let collection = try JSONDecoder().decode(Store.JSONValue.self, from: response.body)
                guard case .object(let object) = collection, case .array(let features) = object["features"] else {
                    Issue.record("not a FeatureCollection")
                    return
                }
                #expect(features.count == 9)
                for feature in features {
                    guard case .object(let f) = feature, case .object(let properties) = f["properties"] else {
                        continue
                    }
                    #expect(properties["demo"] == .bool(true))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func importIsAllOrNothing(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let good = Self.feature("110105008-G9", "grid", "110105008", Self.square(116.46, 39.93, 116.465, 39.94))
            let unclosed = Self.feature(
                "110105008-G2", "grid", "110105008",
                #"{"type":"Polygon","coordinates":[[[116.46,39.93],[116.465,39.93],[116.465,39.94],[116.46,39.94]]]}"#)
            let orphan = Self.feature("X-G3", "grid", "nowhere", Self.square(116.46, 39.93, 116.465, 39.94))
            _ = try await app.signedIn()  // its account is audited: make it before counting
            let auditBefore = try await AuditTrail.verify(on: app.db)
            // A file with two bad features: 422 naming both, nothing written
            try await app.signedIn().test(
                .POST, "api/v1/regions/import", beforeRequest: json(Self.collection([good, unclosed, orphan]))
            ) { response async throws in
                #expect(response.status == .unprocessableEntity)
                let answer = try JSONDecoder().decode(ProblemsAnswer.self, from: response.body)
                #expect(Set(answer.problems.map(\.field)) == ["features[1]", "features[2]"])
                #expect(answer.problems.contains { $0.message.contains("110105008-G2") && $0.message.contains("环未闭合") })
                #expect(answer.problems.contains { $0.message.contains("上级区域 nowhere 不存在") })
            }
            #expect(try await RegionRepository(database: app.db).region(code: "110105008-G9") == nil)
            #expect(try await AuditTrail.verify(on: app.db) == auditBefore)
            // Not a FeatureCollection: 400
            try await app.signedIn().test(.POST, "api/v1/regions/import", beforeRequest: json(#"{"type":"Point"}"#)) {
                response async throws in
                #expect(response.status == .badRequest)
            }
            // A dry run of the good one: 200, nothing written; then for real: 201
            try await app.signedIn().test(
                .POST, "api/v1/regions/import?dryRun=true", beforeRequest: json(Self.collection([good]))
            ) { response async throws in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(ImportAnswer.self, from: response.body)
                #expect(answer.inserted == 1 && answer.dryRun)
            }
            #expect(try await RegionRepository(database: app.db).region(code: "110105008-G9") == nil)
            try await app.signedIn().test(.POST, "api/v1/regions/import", beforeRequest: json(Self.collection([good])))
            {
                response async throws in
                #expect(response.status == .created)
                let answer = try JSONDecoder().decode(ImportAnswer.self, from: response.body)
                #expect(answer.inserted == 1 && answer.updated == 0 && !answer.dryRun)
            }
            #expect(try await AuditTrail.history(entity: "region", id: "110105008-G9", on: app.db).count == 1)
            // And locate sees the imported grid
            try await app.signedIn().test(.GET, "api/v1/locate?lon=116.462&lat=39.9365") { response async throws in
                let located = try JSONDecoder().decode(SpatialController.LocateResponse.self, from: response.body)
                #expect(located.region?.code == "110105008-G9")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theMapLayerIsAFeatureCollectionOfDemoGeometry(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            try await app.signedIn().test(.GET, "api/v1/regions.geojson?level=county") { response async throws in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "geo+json")
                let layer = try JSONDecoder().decode(Store.JSONValue.self, from: response.body)
                guard case .object(let root) = layer, case .array(let features)? = root["features"] else {
                    Issue.record("not a FeatureCollection: \(layer)")
                    return
                }
                #expect(root["type"]?.string == "FeatureCollection")
                let districts = try await RegionRepository(database: app.db).regions(.init(level: .county))
                #expect(features.count == districts.count && !features.isEmpty)
                for feature in features {
                    guard case .object(let object) = feature, case .object(let properties)? = object["properties"],
                        let geometry = object["geometry"]
                    else {
                        Issue.record("bad feature \(feature)")
                        continue
                    }
                    #expect(properties["demo"] == .bool(true))
                    #expect(properties["level"]?.string == "county")
                    #expect(properties["parent"]?.string == BeijingDemo.cityCode)
                    // The geometry reads back as a valid boundary
                    let boundary = try GeoJSON.boundary(geometry: geometry).get()
                    #expect(boundary.problems.isEmpty)
                }
            }
            // A bad level filter is a 422 naming it
            try await app.signedIn().test(.GET, "api/v1/regions.geojson?level=village") { response async throws in
                #expect(response.status == .unprocessableEntity)
            }
        }
    }

    @Test func zoneRadiiComeFromTheEnvironment() throws {
        #expect(try LantianConfiguration.resolve(environment: [:]).zoneRadii == [500, 1_000])
        let configured = try LantianConfiguration.resolve(environment: [
            "LANTIAN_ZONE_CORE_RADIUS": "300", "LANTIAN_ZONE_CONTROL_RADIUS": "2000",
        ])
        #expect(configured.zoneRadii == [300, 2_000])
        let error = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: [
                "LANTIAN_ZONE_CORE_RADIUS": "1000", "LANTIAN_ZONE_CONTROL_RADIUS": "abc",
            ])
        }
        #expect(error?.description.contains("LANTIAN_ZONE_CONTROL_RADIUS") == true, "\(error?.description ?? "")")
        let inverted = #expect(throws: ConfigurationError.self) {
            try LantianConfiguration.resolve(environment: [
                "LANTIAN_ZONE_CORE_RADIUS": "1000", "LANTIAN_ZONE_CONTROL_RADIUS": "500",
            ])
        }
        #expect(inverted?.description.contains("应小于") == true, "\(inverted?.description ?? "")")
    }

    private func json(_ body: String) -> (inout TestingHTTPRequest) throws -> Void {
        { request in
            request.headers.contentType = .json
            request.body = ByteBuffer(string: body)
        }
    }
}
