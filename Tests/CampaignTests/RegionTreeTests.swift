import Testing

@testable import Campaign

@Suite("Region tree, import check and zone geometry")
struct RegionTreeTests {
    static let city = Region(code: "110000", name: "北京市", level: .city)
    static let district = Region(code: "110101", name: "东城区", level: .county, parentCode: "110000")

    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Boundary {
        Boundary(polygons: [
            Polygon(exterior: [
                Coordinate(longitude: x0, latitude: y0), Coordinate(longitude: x1, latitude: y0),
                Coordinate(longitude: x1, latitude: y1), Coordinate(longitude: x0, latitude: y1),
                Coordinate(longitude: x0, latitude: y0),
            ])
        ])
    }

    @Test func aChildMustSitBelowAnExistingParentWithoutACycle() {
        let tree = ["110000": Self.city, "110101": Self.district]
        #expect(RegionTreeCheck.problems(for: Self.district, among: tree).isEmpty)
        let sameLevel = Region(code: "X", name: "x", level: .county, parentCode: "110101")
        #expect(RegionTreeCheck.problems(for: sameLevel, among: tree).map(\.field) == ["level"])
        let orphan = Region(code: "X", name: "x", level: .township, parentCode: "nowhere")
        #expect(RegionTreeCheck.problems(for: orphan, among: tree).map(\.field) == ["parentCode"])
        let rootless = Region(code: "X", name: "x", level: .grid)
        #expect(RegionTreeCheck.problems(for: rootless, among: tree).map(\.field) == ["parentCode"])
        // The city moved under its own district: a cycle (and a level above its parent's)
        var cycled = tree
        cycled["110000"] = Region(code: "110000", name: "北京市", level: .city, parentCode: "110101")
        let problems = RegionTreeCheck.problems(for: cycled["110000"]!, among: cycled)
        #expect(problems.contains { $0.field == "parentCode" && $0.message.contains("环") })
    }

    @Test func aChildOutsideItsParentIsNotedNotRefused() {
        let parent = Self.square(116.0, 39.0, 117.0, 40.0)
        #expect(RegionTreeCheck.liesWithin(Self.square(116.2, 39.2, 116.4, 39.4), parent))
        #expect(!RegionTreeCheck.liesWithin(Self.square(116.9, 39.2, 117.1, 39.4), parent))
        let features = [
            RegionFeature(index: 0, code: "110000", name: "北京市", level: "city", boundary: parent),
            RegionFeature(
                index: 1, code: "110101", name: "东城区", parentCode: "110000", level: "county",
                boundary: Self.square(116.9, 39.2, 117.1, 39.4)),
        ]
        let outcome = RegionImportCheck.check(features, existing: [:])
        #expect(outcome.problems.isEmpty)
        #expect(outcome.warnings.map(\.index) == [1])
        #expect(outcome.regions.map(\.code) == ["110000", "110101"])
    }

    @Test func childrenBeforeParentsInTheFileAreWrittenParentsFirst() {
        let features = [
            RegionFeature(
                index: 0, code: "110101006", name: "东四街道", parentCode: "110101", level: "township",
                boundary: Self.square(116.41, 39.92, 116.42, 39.93)),
            RegionFeature(
                index: 1, code: "110101", name: "东城区", parentCode: "110000", level: "county",
                boundary: Self.square(116.4, 39.86, 116.45, 39.97)),
        ]
        let outcome = RegionImportCheck.check(features, existing: ["110000": MappedRegion(region: Self.city)])
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.regions.map(\.code) == ["110101", "110101006"])
    }

    @Test(arguments: [500.0, 1_000.0])
    func aZoneCircleIsAValidPolygonAtItsRadius(radius: Double) {
        let centre = Coordinate(longitude: 116.4174, latitude: 39.9289)
        let zone = ControlZone(stationCode: "1003A", centre: centre, radius: radius)
        let polygon = zone.polygon()
        #expect(Boundary(polygons: [polygon]).problems.isEmpty)
        #expect(polygon.exterior.count == 65)
        for point in polygon.exterior {
            #expect(abs(Distance.metres(centre, point) - radius) < 0.01)
            #expect(zone.boundingBox.contains(point))
        }
        let things = [
            LocatedThing(
                kind: "station", code: "far", name: "far", coordinate: Coordinate(longitude: 116.5, latitude: 39.9)),
            LocatedThing(kind: "station", code: "here", name: "here", coordinate: centre),
        ]
        #expect(zone.inside(things).map(\.thing.code) == ["here"])
    }
}
