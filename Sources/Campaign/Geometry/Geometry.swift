#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An axis-aligned box in longitude/latitude degrees.
public struct BoundingBox: Sendable, Hashable {
    public var minLongitude: Double
    public var minLatitude: Double
    public var maxLongitude: Double
    public var maxLatitude: Double

    public init(minLongitude: Double, minLatitude: Double, maxLongitude: Double, maxLatitude: Double) {
        self.minLongitude = minLongitude
        self.minLatitude = minLatitude
        self.maxLongitude = maxLongitude
        self.maxLatitude = maxLatitude
    }

    public init?(_ points: some Sequence<Coordinate>) {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        self.init(
            minLongitude: first.longitude, minLatitude: first.latitude, maxLongitude: first.longitude,
            maxLatitude: first.latitude)
        while let point = iterator.next() { include(point) }
    }

    public mutating func include(_ point: Coordinate) {
        minLongitude = min(minLongitude, point.longitude)
        maxLongitude = max(maxLongitude, point.longitude)
        minLatitude = min(minLatitude, point.latitude)
        maxLatitude = max(maxLatitude, point.latitude)
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(
            minLongitude: min(minLongitude, other.minLongitude), minLatitude: min(minLatitude, other.minLatitude),
            maxLongitude: max(maxLongitude, other.maxLongitude), maxLatitude: max(maxLatitude, other.maxLatitude))
    }

    @inlinable public func contains(_ point: Coordinate) -> Bool {
        point.longitude >= minLongitude && point.longitude <= maxLongitude && point.latitude >= minLatitude
            && point.latitude <= maxLatitude
    }

    public func intersects(_ other: BoundingBox) -> Bool {
        minLongitude <= other.maxLongitude && other.minLongitude <= maxLongitude && minLatitude <= other.maxLatitude
            && other.minLatitude <= maxLatitude
    }

    var centre: Coordinate {
        Coordinate(longitude: (minLongitude + maxLongitude) / 2, latitude: (minLatitude + maxLatitude) / 2)
    }
}

/// A polygon as GeoJSON has it (RFC 7946 §3.1.6): an exterior ring and holes, each closed (first position
/// repeated last), exterior counter-clockwise and holes clockwise.
public struct Polygon: Sendable, Hashable, Codable {
    public var rings: [[Coordinate]]

    public init(rings: [[Coordinate]]) {
        self.rings = rings
    }

    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.rings = [exterior] + holes
    }

    public var exterior: [Coordinate] { rings.first ?? [] }

    public var boundingBox: BoundingBox? { BoundingBox(exterior) }

    /// Even–odd ray casting over every ring: inside the exterior and outside every hole. Points on an edge
    /// count as inside for the exterior (a station on a township border belongs to one of them).
    public func contains(_ point: Coordinate) -> Bool {
        guard let first = rings.first, Self.ringContains(first, point) else { return false }
        for hole in rings.dropFirst() where Self.ringContains(hole, point) { return false }
        return true
    }

    static func ringContains(_ ring: [Coordinate], _ point: Coordinate) -> Bool {
        var inside = false
        let x = point.longitude
        let y = point.latitude
        var j = ring.count - 1
        for i in 0..<ring.count {
            let xi = ring[i].longitude
            let yi = ring[i].latitude
            let xj = ring[j].longitude
            let yj = ring[j].latitude
            if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                inside.toggle()
            }
            j = i
        }
        return inside
    }

    /// Area in square degrees (planar), for choosing the smallest of several containing regions.
    public var planarArea: Double {
        var area = abs(Self.signedArea(exterior))
        for hole in rings.dropFirst() { area -= abs(Self.signedArea(hole)) }
        return area
    }

    /// Shoelace formula: positive for counter-clockwise rings (longitude as x, latitude as y).
    static func signedArea(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        for index in 0..<(ring.count - 1) {
            let a = ring[index]
            let b = ring[index + 1]
            sum += a.longitude * b.latitude - b.longitude * a.latitude
        }
        return sum / 2
    }
}

/// A region's boundary: one or more polygons (GeoJSON Polygon or MultiPolygon).
public struct Boundary: Sendable, Hashable, Codable {
    public var polygons: [Polygon]

    public init(polygons: [Polygon]) {
        self.polygons = polygons
    }

    public var boundingBox: BoundingBox? {
        polygons.compactMap(\.boundingBox).reduce(nil) { partial, box in partial.map { $0.union(box) } ?? box }
    }

    public func contains(_ point: Coordinate) -> Bool {
        guard let box = boundingBox, box.contains(point) else { return false }
        return polygons.contains { $0.contains(point) }
    }

    public var planarArea: Double { polygons.reduce(0) { $0 + $1.planarArea } }
}

public enum Distance {
    /// Mean Earth radius (IUGG), metres.
    public static let earthRadius = 6_371_008.8

    /// Great-circle distance in metres (haversine).
    public static func metres(_ a: Coordinate, _ b: Coordinate) -> Double {
        let radians = Double.pi / 180
        let phi1 = a.latitude * radians
        let phi2 = b.latitude * radians
        let dPhi = (b.latitude - a.latitude) * radians
        let dLambda = (b.longitude - a.longitude) * radians
        let h = sin(dPhi / 2) * sin(dPhi / 2) + cos(phi1) * cos(phi2) * sin(dLambda / 2) * sin(dLambda / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }

    /// A box that surely contains every point within `metres` of `centre` (for index pre-filtering).
    public static func box(around centre: Coordinate, metres: Double) -> BoundingBox {
        let latitudeDegrees = metres / earthRadius * 180 / Double.pi
        let cosine = max(cos(centre.latitude * Double.pi / 180), 1e-6)
        let longitudeDegrees = min(180, latitudeDegrees / cosine)
        return BoundingBox(
            minLongitude: centre.longitude - longitudeDegrees, minLatitude: centre.latitude - latitudeDegrees,
            maxLongitude: centre.longitude + longitudeDegrees, maxLatitude: centre.latitude + latitudeDegrees)
    }
}
