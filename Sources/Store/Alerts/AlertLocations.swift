import Campaign
import FluentKit
import SQLKit

/// Open alerts, at their station's coordinates: what a zone around a control station holds includes the
/// alerts being handled inside it.
public struct OpenAlertLocations: LocatedThingSource {
    public var kind: String { "alert" }

    public init() {}

    public func things(in box: BoundingBox, on database: any Database) async throws -> [LocatedThing] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let rows = try await sql.raw(
            """
            SELECT a.id, a.kind, s.name, s.longitude, s.latitude FROM alerts a
            JOIN stations s ON s.code = a.station_code
            WHERE a.status NOT IN ('closed','converted')
                AND s.longitude >= \(bind: box.minLongitude) AND s.longitude <= \(bind: box.maxLongitude)
                AND s.latitude >= \(bind: box.minLatitude) AND s.latitude <= \(bind: box.maxLatitude)
            ORDER BY a.opened_at, a.id
            """
        ).all()
        return try rows.map { row in
            let kind = AlertConditionKind(rawValue: try row.decode(column: "kind", as: String.self))
            return LocatedThing(
                kind: self.kind, code: try row.decode(column: "id", as: String.self),
                name: "\(try row.decode(column: "name", as: String.self))·\(kind?.displayName ?? "预警")",
                coordinate: Coordinate(
                    longitude: try row.decode(column: "longitude", as: Double.self),
                    latitude: try row.decode(column: "latitude", as: Double.self)))
        }
    }
}
