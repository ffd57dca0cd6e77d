import Campaign
import FluentKit

/// A kind of thing with a place on the map, found by bounding box; zones ask every source for what lies
/// in their box, then keep what lies within the radius.
///
/// Stations, open alerts and open ledger cases are the sources today. Enterprises and demolition sites add a
/// source each when they arrive (an indexed box query on their coordinates) and join
/// `LocatedThings.sources`; nothing else changes.
public protocol LocatedThingSource: Sendable {
    /// `station`, `enterprise`, `site`, `case`, `alert`.
    var kind: String { get }
    func things(in box: BoundingBox, on database: any Database) async throws -> [LocatedThing]
}

public enum LocatedThings {
    /// Every source a zone's contents come from.
    public static let sources: [any LocatedThingSource] = [
        StationLocations(), OpenAlertLocations(), OpenCaseLocations(),
    ]

    /// Everything the sources hold within `box`.
    public static func things(in box: BoundingBox, on database: any Database) async throws -> [LocatedThing] {
        var result: [LocatedThing] = []
        for source in sources { result += try await source.things(in: box, on: database) }
        return result
    }
}

/// Stations, any kind and status, by their registered coordinates.
public struct StationLocations: LocatedThingSource {
    public var kind: String { "station" }

    public init() {}

    public func things(in box: BoundingBox, on database: any Database) async throws -> [LocatedThing] {
        try await DB.Station.query(on: database)
            .filter(\.$longitude >= box.minLongitude).filter(\.$longitude <= box.maxLongitude)
            .filter(\.$latitude >= box.minLatitude).filter(\.$latitude <= box.maxLatitude)
            .sort(\.$id).all()
            .map {
                LocatedThing(
                    kind: kind, code: $0.id ?? "", name: $0.name,
                    coordinate: Coordinate(longitude: $0.longitude, latitude: $0.latitude))
            }
    }
}
