import Campaign
import Fluent
import Store
import Vapor

/// The public page's station table (`public.leaf`): the monitoring network at a glance. The query is testable
/// without rendering; the AQI beside each station comes from the open API.
enum HomePage {
    struct Model: Encodable, Sendable {
        struct StationRow: Encodable, Sendable {
            var code: String
            var name: String
            var kind: String
            var district: String
            var responsibleUnit: String
            var longitude: String
            var latitude: String
            var status: String
        }

        var title: String
        var demo: Bool
        var stationCount: Int
        var stations: [StationRow]
    }

    /// Gathers the page's data from the repositories.
    static func query(database: any Database, demo: Bool) async throws -> Model {
        let repository = OrganisationRepository(database: database)
        async let stations = repository.stations()
        async let regions = repository.regions()
        async let units = repository.units()
        let regionNames = Dictionary(uniqueKeysWithValues: try await regions.map { ($0.code, $0.name) })
        let unitNames = Dictionary(uniqueKeysWithValues: try await units.map { ($0.code, $0.name) })
        let rows = try await stations.map { station in
            Model.StationRow(
                code: station.code,
                name: station.name,
                kind: station.kind.displayName,
                district: station.regionCode.flatMap { regionNames[$0] } ?? "—",
                responsibleUnit: station.responsibleUnitCode.flatMap { unitNames[$0] } ?? "—",
                longitude: String(format: "%.4f", station.coordinate.longitude),
                latitude: String(format: "%.4f", station.coordinate.latitude),
                status: station.status.displayName
            )
        }
        return Model(title: "蓝天 · 生态环境攻坚指挥调度平台", demo: demo, stationCount: rows.count, stations: rows)
    }
}
