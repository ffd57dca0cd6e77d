import Testing

@testable import Campaign

@Suite("Geometry")
struct GeometryTests {
    static func square(_ x: Double, _ y: Double, _ size: Double) -> [Coordinate] {
        // Counter-clockwise, closed.
        [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)].map {
            Coordinate(longitude: $0.0, latitude: $0.1)
        }
    }

    static let ccw = square(116, 39, 1)
    static let cw = Array(ccw.reversed())
    static let bowtie = [(116.0, 39.0), (117.0, 40.0), (117.0, 39.0), (116.0, 40.0), (116.0, 39.0)].map {
        Coordinate(longitude: $0.0, latitude: $0.1)
    }

    @Test(arguments: [
        ("valid", Boundary(polygons: [Polygon(exterior: ccw)]), ""),
        (
            "unclosed",
            Boundary(polygons: [Polygon(exterior: Array(ccw.dropLast()) + [Coordinate(longitude: 116, latitude: 39.5)])]
            ), "未闭合"
        ),
        ("too few", Boundary(polygons: [Polygon(exterior: Array(ccw.prefix(3)))]), "至少 4 个"),
        ("self-intersecting", Boundary(polygons: [Polygon(exterior: bowtie)]), "自相交"),
        ("clockwise exterior", Boundary(polygons: [Polygon(exterior: cw)]), "逆时针"),
        (
            "counter-clockwise hole", Boundary(polygons: [Polygon(exterior: ccw, holes: [square(116.2, 39.2, 0.2)])]),
            "顺时针"
        ),
        (
            "out of range",
            Boundary(polygons: [Polygon(exterior: [Coordinate(longitude: 190, latitude: 39)] + ccw.dropFirst())]),
            "超出经纬度范围"
        ),
        ("empty", Boundary(polygons: []), "为空"),
    ])
    func boundaryProblems(name: String, boundary: Boundary, expected: String) {
        let problems = boundary.problems
        if expected.isEmpty {
            #expect(problems.isEmpty, "\(name): \(problems)")
        } else {
            #expect(problems.count == 1, "\(name): \(problems)")
            #expect(problems.first?.description.contains(expected) == true, "\(name): \(problems)")
        }
    }

    @Test func containmentRespectsHoles() {
        let hole = Array(Self.square(116.4, 39.4, 0.2).reversed())
        let polygon = Polygon(exterior: Self.ccw, holes: [hole])
        #expect(Boundary(polygons: [polygon]).problems.isEmpty)
        #expect(polygon.contains(Coordinate(longitude: 116.1, latitude: 39.1)))
        #expect(!polygon.contains(Coordinate(longitude: 116.5, latitude: 39.5)))
        #expect(!polygon.contains(Coordinate(longitude: 118, latitude: 39.5)))
    }

    @Test(arguments: [
        // 天安门 → 万寿西宫 (1001A), about 6.4 km; 北京 → 上海 about 1,067 km.
        (
            Coordinate(longitude: 116.3975, latitude: 39.9087), Coordinate(longitude: 116.3621, latitude: 39.8784),
            4_400.0, 4_800.0
        ),
        (
            Coordinate(longitude: 116.4074, latitude: 39.9042), Coordinate(longitude: 121.4737, latitude: 31.2304),
            1_060_000.0, 1_075_000.0
        ),
        (Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 0, latitude: 1), 111_100.0, 111_300.0),
    ])
    func haversineDistances(a: Coordinate, b: Coordinate, low: Double, high: Double) {
        let metres = Distance.metres(a, b)
        #expect(metres > low && metres < high, "\(metres)")
    }

    @Test func zonesAroundControlStations() {
        let stations = [
            Station(
                code: "1001A", name: "万寿西宫", kind: .national,
                coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784)),
            Station(
                code: "M1", name: "微站", kind: .micro, coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784)),
            Station(
                code: "OLD", name: "停用", kind: .provincial, coordinate: Coordinate(longitude: 116, latitude: 39),
                status: .retired),
        ]
        let zones = ControlZone.zones(around: stations)
        #expect(zones.map(\.code) == ["1001A-500", "1001A-1000"])
        // 0.005° of latitude ≈ 556 m: inside the 1,000 m zone, outside the 500 m one.
        let point = Coordinate(longitude: 116.3621, latitude: 39.8834)
        #expect(!zones[0].contains(point))
        #expect(zones[1].contains(point))
    }

    @Test func theIndexAgreesWithBruteForceAndPicksTheSmallestRegion() {
        var generator = SystemRandomNumberGenerator()
        var entries: [RegionIndex.Entry] = [
            RegionIndex.Entry(
                code: "CITY", boundary: Boundary(polygons: [Polygon(exterior: Self.square(115, 38, 4))]), depth: 0)
        ]
        for i in 0..<400 {
            let x = 115 + Double(i % 20) * 0.2
            let y = 38 + Double(i / 20) * 0.2
            entries.append(
                RegionIndex.Entry(
                    code: "T\(i)", boundary: Boundary(polygons: [Polygon(exterior: Self.square(x, y, 0.2))]), depth: 2))
        }
        let index = RegionIndex(entries)
        for _ in 0..<2_000 {
            let point = Coordinate(
                longitude: Double.random(in: 114.5...119.5, using: &generator),
                latitude: Double.random(in: 37.5...42.5, using: &generator))
            let brute = Set(entries.filter { $0.boundary.contains(point) }.map(\.code))
            #expect(Set(index.containing(point)) == brute)
            if brute.contains("CITY") {
                #expect(index.smallest(containing: point)?.hasPrefix("T") == true)
            }
        }
    }
}
