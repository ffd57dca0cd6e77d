import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// The demo's data loggers: what the demo replay and `lantian simulate` connect with.
@Suite("Beijing demo HJ 212 identities")
struct DemoIdentityTests {
    @Test func everyDemoStationHasAnIdentityItsMNDerivesFrom() throws {
        let demo = try BeijingDemo.load(
            resourcesDirectory: RepositoryPaths.root.appendingPathComponent("Resources").path)
        #expect(BeijingDemo.mn(forStationCode: "1001A") == "BJDEMO1001A")
        #expect(BeijingDemo.devicePassword == "123456")
        for station in demo.stations {
            let identity = try #require(station.hj212)
            #expect(identity.mn == BeijingDemo.mn(forStationCode: station.code))
            #expect(identity.password == BeijingDemo.devicePassword)
            #expect(identity.protocols == Set(HJ212ProtocolEdition.allCases))
            #expect(identity.crcPolicy == .either)
            #expect(identity.tolerant)
            #expect(
                Set(station.pollutants.map(\.code)) == [
                    "a34004", "a34002", "a21026", "a21004", "a21005", "a05024", "a01001", "a01006", "a01007",
                ])
            #expect(StationValidator.problems(station).isEmpty, "\(station.code)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSeededDemoAnswersMNLookups(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            let directory = StationDirectory(database: app.db)
            let station = try await directory.station(mn: BeijingDemo.mn(forStationCode: "1011A"))
            #expect(station?.name == "奥体中心")
            #expect(station?.hj212?.password == BeijingDemo.devicePassword)
            #expect(station?.pollutants.first { $0.code == "a01006" }?.unit == "hPa")
            #expect(try await directory.station(mn: "BJDEMO9999A") == nil)
        }
    }
}
