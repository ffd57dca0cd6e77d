import Campaign
import Foundation
import LantianTestSupport
import Store
import Testing

@testable import Server

/// The alert chain with people, on the demo organisation, on both databases.
@Suite("Alert chain with people")
struct PeopleChainResponsibilityTests {
    @Test(arguments: TestDatabase.all)
    func tiersHoldTheUnitsThenThePeopleOfTheStationsGrid(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true, services: false) { app, _, _ in
            let demo = DemoOrganisation()
            let now = Int64(Date().timeIntervalSince1970)
            let station = Station(
                code: "T1", name: "测试站", kind: .township, coordinate: Coordinate(longitude: 116.4, latitude: 39.9),
                regionCode: "110105D01-G1", responsibleUnitCode: "GOV-110105")
            let chain = try await PeopleChainResponsibility().chain(for: station, at: now, on: app.db)
            let links = try await OrganisationRepository(database: app.db).responsibleChain(
                region: "110105D01-G1", at: Date(timeIntervalSince1970: TimeInterval(now)))

            // The tiers never go down, the station's unit is dispatched to first
            #expect(chain.map(\.tier) == chain.map(\.tier).sorted())
            #expect(chain.first == ResponsibleParty(tier: .gridWorker, unitCode: "GOV-110105"))
            // Every person of the chain is there once, at the tier of their role
            let people = chain.compactMap(\.personID)
            #expect(Set(people) == Set(links.map { $0.person.id.uuidString.lowercased() }))
            #expect(people.count == Set(people).count)
            let leader = demo.contracts.first { $0.townshipCodes.contains("110105D01") }!.leaderID
            #expect(chain.first { $0.personID == leader.uuidString.lowercased() }?.tier == .contractingLeader)
            // Escalating to the contracting tier reaches the leader; to the command, someone on duty
            #expect(chain.last { $0.tier <= .contractingLeader }?.personID == leader.uuidString.lowercased())
            let onDuty = try await DutyRoster(database: app.db).onDuty(
                regionCode: "110105D01-G1", at: Date(timeIntervalSince1970: TimeInterval(now)))
            #expect(onDuty.map { $0.personID.uuidString.lowercased() }.contains(chain.last?.personID ?? "-"))

            // A station in a region nobody registered people for gets the unit chain
            var district = station
            district.regionCode = "nowhere"
            #expect(
                try await PeopleChainResponsibility().chain(for: district, at: now, on: app.db)
                    == UnitChainResponsibility().chain(for: district, at: now, on: app.db))
        }
    }
}
