/// Why a boundary cannot be used. Each names the ring (0 = exterior, then holes) and, where it helps,
/// the position, so that a bad GeoJSON feature can be fixed.
public enum GeometryProblem: Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooFewPositions(polygon: Int, ring: Int, count: Int)
    case unclosedRing(polygon: Int, ring: Int)
    case coordinateOutOfRange(polygon: Int, ring: Int, position: Int, Coordinate)
    case selfIntersection(polygon: Int, ring: Int, near: Coordinate)
    case wrongWinding(polygon: Int, ring: Int, exterior: Bool)

    public var description: String {
        func place(_ polygon: Int, _ ring: Int) -> String {
            let which = ring == 0 ? "外环 exterior ring" : "第 \(ring) 个内环 hole \(ring)"
            return "多边形 \(polygon + 1) polygon \(polygon + 1) \(which)"
        }
        switch self {
        case .empty:
            return "边界为空 / empty boundary"
        case .tooFewPositions(let polygon, let ring, let count):
            return "\(place(polygon, ring))：只有 \(count) 个点，闭合环至少 4 个 / only \(count) positions, a closed ring needs 4"
        case .unclosedRing(let polygon, let ring):
            return "\(place(polygon, ring))：首尾点不同，环未闭合 / ring not closed (first position ≠ last)"
        case .coordinateOutOfRange(let polygon, let ring, let position, let point):
            return "\(place(polygon, ring)) 第 \(position + 1) 个点 (\(point.longitude), \(point.latitude)) 超出经纬度范围"
                + " / position \(position + 1) out of range"
        case .selfIntersection(let polygon, let ring, let near):
            return "\(place(polygon, ring))：边自相交，位置约 (\(near.longitude), \(near.latitude)) / ring intersects itself"
        case .wrongWinding(let polygon, let ring, let exterior):
            return "\(place(polygon, ring))："
                + (exterior
                    ? "外环应为逆时针（RFC 7946 §3.1.6）/ exterior ring must be counter-clockwise"
                    : "内环应为顺时针（RFC 7946 §3.1.6）/ holes must be clockwise")
        }
    }
}

extension Boundary {
    /// Every problem, per RFC 7946 §3.1.6: rings closed with ≥ 4 positions, coordinates on the globe,
    /// no ring crossing itself, exterior rings counter-clockwise and holes clockwise.
    public var problems: [GeometryProblem] {
        guard !polygons.isEmpty else { return [.empty] }
        var problems: [GeometryProblem] = []
        for (p, polygon) in polygons.enumerated() {
            guard !polygon.rings.isEmpty else {
                problems.append(.empty)
                continue
            }
            for (r, ring) in polygon.rings.enumerated() {
                if let bad = ring.firstIndex(where: { !$0.isValid }) {
                    problems.append(.coordinateOutOfRange(polygon: p, ring: r, position: bad, ring[bad]))
                    continue
                }
                guard ring.count >= 4 else {
                    problems.append(.tooFewPositions(polygon: p, ring: r, count: ring.count))
                    continue
                }
                guard ring.first == ring.last else {
                    problems.append(.unclosedRing(polygon: p, ring: r))
                    continue
                }
                if let crossing = Self.selfIntersection(ring) {
                    problems.append(.selfIntersection(polygon: p, ring: r, near: crossing))
                    continue
                }
                let area = Polygon.signedArea(ring)
                if r == 0 ? area <= 0 : area >= 0 {
                    problems.append(.wrongWinding(polygon: p, ring: r, exterior: r == 0))
                }
            }
        }
        return problems
    }

    /// A point where two non-adjacent edges of a closed ring meet, if any. Edges are swept in order of
    /// their smallest longitude, so only edges whose longitude spans overlap are compared.
    static func selfIntersection(_ ring: [Coordinate]) -> Coordinate? {
        let count = ring.count - 1  // edges of a closed ring
        guard count >= 3 else { return nil }
        let order = (0..<count).sorted {
            min(ring[$0].longitude, ring[$0 + 1].longitude) < min(ring[$1].longitude, ring[$1 + 1].longitude)
        }
        for (k, i) in order.enumerated() {
            let maxX = max(ring[i].longitude, ring[i + 1].longitude)
            for j in order[(k + 1)...] {
                if min(ring[j].longitude, ring[j + 1].longitude) > maxX { break }
                let adjacent = abs(i - j) == 1 || abs(i - j) == count - 1
                if adjacent { continue }
                if segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1]) { return ring[i] }
            }
        }
        return nil
    }

    static func segmentsIntersect(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, _ d: Coordinate) -> Bool {
        func cross(_ o: Coordinate, _ p: Coordinate, _ q: Coordinate) -> Double {
            (p.longitude - o.longitude) * (q.latitude - o.latitude) - (p.latitude - o.latitude)
                * (q.longitude - o.longitude)
        }
        func onSegment(_ p: Coordinate, _ q: Coordinate, _ r: Coordinate) -> Bool {
            min(p.longitude, r.longitude) <= q.longitude && q.longitude <= max(p.longitude, r.longitude)
                && min(p.latitude, r.latitude) <= q.latitude && q.latitude <= max(p.latitude, r.latitude)
        }
        let d1 = cross(c, d, a)
        let d2 = cross(c, d, b)
        let d3 = cross(a, b, c)
        let d4 = cross(a, b, d)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        if d1 == 0 && onSegment(c, a, d) { return true }
        if d2 == 0 && onSegment(c, b, d) { return true }
        if d3 == 0 && onSegment(a, c, b) { return true }
        if d4 == 0 && onSegment(a, d, b) { return true }
        return false
    }
}
