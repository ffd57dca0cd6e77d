import Campaign
import Foundation
import Testing

@Suite("Organisation values")
struct OrganisationTests {
    @Test(
        arguments: [
            (116.3621, 39.8784, true), (180, 90, true), (-180, -90, true), (180.0001, 40, false),
            (116, -90.5, false), (Double.nan, 40, false), (116, Double.infinity, false),
        ])
    func coordinateValidity(longitude: Double, latitude: Double, valid: Bool) {
        #expect(Coordinate(longitude: longitude, latitude: latitude).isValid == valid)
    }

    /// The raw values are stored in the database and checked by its CHECK constraints: they must not drift.
    @Test func storedNamesAreStable() {
        #expect(
            StationKind.allCases.map(\.rawValue) == [
                "national", "provincial", "township", "micro", "source_monitor", "dust",
            ])
        #expect(
            UnitKind.allCases.map(\.rawValue) == [
                "command", "task_group", "county", "township", "department", "park_committee", "supervision_group",
            ])
        #expect(RegionLevel.allCases.map(\.rawValue) == ["province", "city", "county", "township", "grid"])
        #expect(StationStatus.allCases.map(\.rawValue) == ["active", "maintenance", "retired"])
    }

    @Test func everyKindHasAChineseName() {
        let names =
            StationKind.allCases.map(\.displayName) + UnitKind.allCases.map(\.displayName)
            + RegionLevel.allCases.map(\.displayName) + StationStatus.allCases.map(\.displayName)
        for name in names {
            #expect(name.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(name)")
        }
        #expect(StationKind.national.displayName == "国控点")
    }

    @Test func valuesRoundTripThroughJSON() throws {
        let station = Station(
            code: "1001A", name: "万寿西宫", kind: .national,
            coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784), regionCode: "110102",
            responsibleUnitCode: "GOV-110102")
        let decoded = try JSONDecoder().decode(Station.self, from: JSONEncoder().encode(station))
        #expect(decoded == station)
    }
}
