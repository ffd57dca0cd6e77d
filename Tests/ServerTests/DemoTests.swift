import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

@Suite("Beijing demo")
struct DemoTests {
    static let uciStations = [
        "1001A": "Wanshouxigong", "1002A": "Dingling", "1003A": "Dongsi", "1004A": "Tiantan",
        "1005A": "Nongzhanguan", "1006A": "Guanyuan", "1007A": "Wanliu", "1008A": "Shunyi",
        "1009A": "Huairou", "1010A": "Changping", "1011A": "Aotizhongxin", "1012A": "Gucheng",
    ]

    @Test func committedStationListMatchesTheNationalList() throws {
        let demo = try BeijingDemo.load(
            resourcesDirectory: RepositoryPaths.root.appendingPathComponent("Resources").path)
        #expect(demo.stations.count == 12)
        #expect(Set(demo.stations.map(\.code)) == Set(Self.uciStations.keys))
        #expect(demo.stations.allSatisfy { $0.coordinate.isValid && $0.kind == .national })
        // The shared national list, when present, holds the same names and coordinates.
        let shared = RepositoryPaths.root.appendingPathComponent("../shared/data/stations/NewSiteList_utf8.csv")
        if let text = try? String(contentsOf: shared, encoding: .utf8) {
            for station in demo.stations {
                let line = text.split(separator: "\n").first { $0.hasPrefix(station.code + ",") }
                let fields = line?.split(separator: ",").map(String.init) ?? []
                #expect(fields.count >= 5)
                #expect(fields[1] == station.name)
                #expect(Double(fields[3]) == station.coordinate.longitude)
                #expect(Double(fields[4]) == station.coordinate.latitude)
            }
        }
    }

    @Test func everyStationHasItsDistrictAsResponsibleUnitUnderTheHQ() throws {
        let demo = try BeijingDemo.load(
            resourcesDirectory: RepositoryPaths.root.appendingPathComponent("Resources").path)
        let units = Dictionary(uniqueKeysWithValues: demo.units.map { ($0.code, $0) })
        let regions = Dictionary(uniqueKeysWithValues: demo.regions.map { ($0.code, $0) })
        #expect(units[BeijingDemo.commandUnitCode]?.kind == .command)
        for station in demo.stations {
            let unit = try #require(station.responsibleUnitCode.flatMap { units[$0] })
            #expect(unit.kind == .county)
            #expect(unit.parentCode == BeijingDemo.commandUnitCode)
            #expect(unit.regionCode == station.regionCode)
            #expect(regions[station.regionCode ?? ""]?.level == .county)
        }
        #expect(units["GOV-110105"]?.name == "朝阳区人民政府")
    }

    @Test func badStationFileIsRefusedWithAReason() throws {
        #expect(throws: DemoError.self) {
            try BeijingDemo.parse(csv: "code,name\n1001A,万寿西宫\n")
        }
        let error = #expect(throws: DemoError.self) {
            try BeijingDemo.parse(
                csv: "code,name,longitude,latitude,district_code,district_name\n1001A,万寿西宫,east,39.8,110102,西城区\n")
        }
        #expect(error?.message.contains("坐标") == true)
    }

    @Test(arguments: TestDatabase.all)
    func seedingTwiceGivesTheSameRows(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, configuration, _ in
            let repository = OrganisationRepository(database: app.db)
            let first = (try await repository.regions(), try await repository.units(), try await repository.stations())
            // When the demo is seeded again (a second start)
            try await prepareDatabase(app, configuration)
            let second = (try await repository.regions(), try await repository.units(), try await repository.stations())
            // Then nothing changed
            #expect(first.0 == second.0)
            #expect(first.1 == second.1)
            #expect(first.2 == second.2)
            #expect(second.2.count == 12)
            // The HQ and one government per district (the demo organisation adds task groups, departments, streets).
            #expect(
                second.1.filter { $0.kind == .command || $0.kind == .county }.count
                    == 1 + Set(second.2.compactMap(\.regionCode)).count)
        }
    }

    @Test(arguments: TestDatabase.all)
    func homePageListsTheTwelveStations(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            try await app.testing().test(.GET, "/") { response async in
                #expect(response.status == .ok)
                let page = response.body.string
                #expect(page.contains("共 12 个站点"))
                for code in Self.uciStations.keys {
                    #expect(page.contains("data-station=\"\(code)\""))
                }
                #expect(page.contains("万寿西宫"))
                #expect(page.contains("演示模式"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func stationsAPIListsTheDemoStations(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            try await app.signedIn().test(.GET, "api/v1/stations/1011A") { response async throws in
                #expect(response.status == .ok)
                let station = try JSONDecoder().decode(StationController.StationResponse.self, from: response.body)
                #expect(station.name == "奥体中心")
                #expect(station.kind == "national")
                #expect(station.regionCode == "110105")
            }
            try await app.signedIn().test(.GET, "api/v1/stations") { response async throws in
                let stations = try JSONDecoder().decode([StationController.StationResponse].self, from: response.body)
                #expect(stations.count == 12)
            }
        }
    }
}
