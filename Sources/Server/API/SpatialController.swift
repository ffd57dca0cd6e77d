import Campaign
import Store
import Vapor

/// Where a point lies (`GET /api/v1/locate`) and the zones around national and provincial stations
/// (`GET /api/v1/zones`, `GET /api/v1/zones/{id}`), each zone a first-class object with an id
/// `<station>-<radius>`, e.g. `1001A-500`.
struct SpatialController {
    let spatial: SpatialService

    func register(on routes: any RoutesBuilder) {
        routes.get("locate", use: locate)
        let zones = routes.grouped("zones")
        zones.get(use: listZones)
        zones.get(":id", use: showZone)
    }

    struct RegionSummary: Content {
        var code: String
        var name: String
        var level: String
        var levelName: String
        var demo: Bool

        init(_ mapped: MappedRegion) {
            code = mapped.code
            name = mapped.region.name
            level = mapped.region.level.rawValue
            levelName = mapped.region.level.displayName
            demo = mapped.isDemoGeometry
        }
    }

    struct ZoneResponse: Content {
        struct Thing: Content {
            var kind: String
            var code: String
            var name: String
            var longitude: Double
            var latitude: Double
            /// Metres from the zone's station.
            var distance: Double
        }
        var id: String
        var name: String
        var tier: String
        var radius: Double
        var stationCode: String
        var stationName: String
        var stationKind: String
        var longitude: Double
        var latitude: Double
        /// GeoJSON Polygon approximating the circle; only on `GET /zones/{id}`.
        var boundary: Store.JSONValue?
        /// What lies inside, nearest first; only on `GET /zones/{id}`.
        var contents: [Thing]?

        init(_ zone: ControlZone, station: Station, radii: [Double]) {
            id = zone.code
            name =
                "\(station.name)\(ControlZone.tierName(radius: zone.radius, radii: radii).split(separator: " ")[0])"
                + "（\(Int(zone.radius)) 米）"
            tier = zone.radius == radii.min() ? "core" : "control"
            radius = zone.radius
            stationCode = station.code
            stationName = station.name
            stationKind = station.kind.rawValue
            longitude = zone.centre.longitude
            latitude = zone.centre.latitude
        }
    }

    struct LocateResponse: Content {
        var longitude: Double
        var latitude: Double
        /// The smallest region holding the point, if any.
        var region: RegionSummary?
        /// That region and each one above it, smallest first (grid, township, county, city).
        var chain: [RegionSummary]
        /// Zones holding the point, with its distance from their station.
        var zones: [ZoneHit]
    }

    struct ZoneHit: Content {
        var id: String
        var name: String
        var tier: String
        var stationCode: String
        var distance: Double
    }

    /// `GET /locate?lon=&lat=`
    @Sendable func locate(_ request: Request) async throws -> LocateResponse {
        var problems: [FieldProblem] = []
        func coordinate(_ key: String, _ chinese: String, _ range: ClosedRange<Double>) -> Double {
            guard let text = request.query[String.self, at: key] else {
                problems.append(FieldProblem(field: key, message: "\(chinese)必填 / \(key) is required"))
                return 0
            }
            guard let value = Double(text), value.isFinite, range.contains(value) else {
                problems.append(
                    FieldProblem(
                        field: key,
                        message: "\(chinese)应为 \(Int(range.lowerBound))–\(Int(range.upperBound)) 之间的数 / \(key) must be "
                            + "a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))"))
                return 0
            }
            return value
        }
        let point = Coordinate(
            longitude: coordinate("lon", "经度", -180...180), latitude: coordinate("lat", "纬度", -90...90))
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        let chain = try await spatial.locate(point, on: request.db)
        let radii = spatial.zoneRadii
        let hits = try await spatial.zones(on: request.db).compactMap { zone, station -> ZoneHit? in
            let metres = Distance.metres(zone.centre, point)
            guard metres <= zone.radius else { return nil }
            let response = ZoneResponse(zone, station: station, radii: radii)
            return ZoneHit(
                id: response.id, name: response.name, tier: response.tier, stationCode: station.code, distance: metres)
        }
        return LocateResponse(
            longitude: point.longitude, latitude: point.latitude, region: chain.first.map(RegionSummary.init),
            chain: chain.map(RegionSummary.init), zones: hits)
    }

    /// `GET /zones`
    @Sendable func listZones(_ request: Request) async throws -> [ZoneResponse] {
        let radii = spatial.zoneRadii
        return try await spatial.zones(on: request.db, scope: request.accessScope).map {
            ZoneResponse($0.zone, station: $0.station, radii: radii)
        }
    }

    /// `GET /zones/{id}`: the zone, its circle as a GeoJSON Polygon, and what lies inside.
    @Sendable func showZone(_ request: Request) async throws -> ZoneResponse {
        let id = try request.parameters.require("id")
        // A zone around a station outside the caller's scope is unknown to them (404).
        guard
            let found = try await spatial.zones(on: request.db, scope: request.accessScope).first(where: {
                $0.zone.code == id
            })
        else {
            throw Abort(
                .notFound,
                reason: "管控区 \(id) 不存在（编号为 站点编码-半径，如 1001A-500）/ no zone \(id) (ids are <station>-<radius>)")
        }
        let zone = found.zone
        var response = ZoneResponse(zone, station: found.station, radii: spatial.zoneRadii)
        response.boundary = GeoJSON.geometry(Boundary(polygons: [zone.polygon()]))
        var things = try await spatial.contents(of: zone, on: request.db)
        // Cases inside the zone only as the caller's ledger scope shows them (a case the case list would hide
        // stays hidden here too).
        if request.accessScope != .all {
            let ledger = LedgerRepository(database: request.db)
            var visible: [(thing: LocatedThing, metres: Double)] = []
            for entry in things {
                guard entry.thing.kind == "case" else {
                    visible.append(entry)
                    continue
                }
                if let item = try await ledger.case(id: entry.thing.code),
                    request.user?.may(.casesRead) == true, LedgerController.shows(item, request)
                {
                    visible.append(entry)
                }
            }
            things = visible
        }
        response.contents = things.map { thing, metres in
            ZoneResponse.Thing(
                kind: thing.kind, code: thing.code, name: thing.name, longitude: thing.coordinate.longitude,
                latitude: thing.coordinate.latitude, distance: (metres * 10).rounded() / 10)
        }
        return response
    }
}
