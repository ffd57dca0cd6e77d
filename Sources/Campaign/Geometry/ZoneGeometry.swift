#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ControlZone {
    /// The zone's circle as a polygon for a map: `segments` positions at `radius` metres from the centre
    /// (spherical destination formula), counter-clockwise and closed as RFC 7946 §3.1.6 wants.
    public func polygon(segments: Int = 64) -> Polygon {
        let count = max(segments, 8)
        let radians = Double.pi / 180
        let angular = radius / Distance.earthRadius
        let phi1 = centre.latitude * radians
        let lambda1 = centre.longitude * radians
        var ring: [Coordinate] = []
        ring.reserveCapacity(count + 1)
        // Bearings run clockwise from north; walking them backwards gives a counter-clockwise ring.
        for step in 0..<count {
            let bearing = -Double(step) / Double(count) * 2 * Double.pi
            let phi2 = asin(sin(phi1) * cos(angular) + cos(phi1) * sin(angular) * cos(bearing))
            let lambda2 =
                lambda1 + atan2(sin(bearing) * sin(angular) * cos(phi1), cos(angular) - sin(phi1) * sin(phi2))
            ring.append(Coordinate(longitude: lambda2 / radians, latitude: phi2 / radians))
        }
        ring.append(ring[0])
        return Polygon(exterior: ring)
    }

    /// A box surely holding the whole zone, for pre-filtering what lies inside: padded by a metre so that a
    /// point at exactly the radius is not lost to rounding at the box's edge.
    public var boundingBox: BoundingBox { Distance.box(around: centre, metres: radius + 1) }

    /// 核心区 for the smaller radius, 管控区 for the larger (the campaign reports' 500 m and 1,000 m).
    public static func tierName(radius: Double, radii: [Double]) -> String {
        radius == radii.min() ? "核心管控区 core zone" : "管控区 control zone"
    }

    /// The zone with `code` (`<station>-<radius>`) among `zones`.
    public static func find(_ code: String, in zones: [ControlZone]) -> ControlZone? {
        zones.first { $0.code == code }
    }
}

/// Something with a place on the map that a zone may hold: a station today; enterprises, sites, open cases
/// and alerts as they arrive. `kind` says which (`station`, `enterprise`, …).
public struct LocatedThing: Sendable, Hashable, Codable {
    public var kind: String
    public var code: String
    public var name: String
    public var coordinate: Coordinate

    public init(kind: String, code: String, name: String, coordinate: Coordinate) {
        self.kind = kind
        self.code = code
        self.name = name
        self.coordinate = coordinate
    }
}

extension ControlZone {
    /// The things inside the zone with their distance from its centre in metres, nearest first.
    public func inside(_ things: [LocatedThing]) -> [(thing: LocatedThing, metres: Double)] {
        things.map { (thing: $0, metres: Distance.metres(centre, $0.coordinate)) }
            .filter { $0.metres <= radius }
            .sorted { ($0.metres, $0.thing.kind, $0.thing.code) < ($1.metres, $1.thing.kind, $1.thing.code) }
    }
}
