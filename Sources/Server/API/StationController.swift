import Campaign
import Store
import Vapor

/// `GET /api/v1/stations` and `GET /api/v1/stations/{code}` (read-only until the registry issue adds writes).
struct StationController {
    struct StationResponse: Content {
        var code: String
        var name: String
        var kind: String
        var kindName: String
        var longitude: Double
        var latitude: Double
        var regionCode: String?
        var responsibleUnitCode: String?
        var status: String

        init(_ station: Station) {
            code = station.code
            name = station.name
            kind = station.kind.rawValue
            kindName = station.kind.displayName
            longitude = station.coordinate.longitude
            latitude = station.coordinate.latitude
            regionCode = station.regionCode
            responsibleUnitCode = station.responsibleUnitCode
            status = station.status.rawValue
        }
    }

    func register(on routes: any RoutesBuilder) {
        let stations = routes.grouped("stations")
        stations.get(use: list)
        stations.get(":code", use: show)
    }

    @Sendable func list(_ request: Request) async throws -> [StationResponse] {
        try await OrganisationRepository(database: request.db).stations().map(StationResponse.init)
    }

    @Sendable func show(_ request: Request) async throws -> StationResponse {
        let code = try request.parameters.require("code")
        guard let station = try await OrganisationRepository(database: request.db).station(code: code) else {
            throw Abort(.notFound, reason: "站点 \(code) 不存在 / no station with code \(code)")
        }
        return StationResponse(station)
    }
}
