import Campaign
import FluentKit
import Foundation
import Store

/// The alert chain with the people of the organisation: the unit chain (`UnitChainResponsibility`), and at
/// each tier the people who answer for the station's region at that instant (`responsibleChain(region:at:)`):
/// its grid workers, the township's heads, the contracting county leader (分包), and those on duty (指挥部
/// tier). Within a tier the people come first, nearest first, then the units, so a dispatch (`chain.first`)
/// reaches the grid worker by name when the grid has one, and the unit when it has none; an escalation
/// takes the first party of its tier. A station without a region, or a region nobody answers for, gets
/// the unit chain.
public struct PeopleChainResponsibility: AlertResponsibility {
    public init() {}

    public func chain(for station: Station, at instant: Int64, on database: any Database) async throws
        -> [ResponsibleParty]
    {
        try await chains(for: [station], at: instant, on: database)[station.code] ?? []
    }

    /// The units are read once, and the people of each region once, however many stations share it.
    public func chains(for stations: [Station], at instant: Int64, on database: any Database) async throws
        -> [String: [ResponsibleParty]]
    {
        let units = try await UnitChainResponsibility().chains(for: stations, at: instant, on: database)
        var peopleByRegion: [String: [ResponsibleParty]] = [:]
        var result: [String: [ResponsibleParty]] = [:]
        for station in stations {
            let unitChain = units[station.code] ?? []
            guard let region = station.regionCode else {
                result[station.code] = unitChain
                continue
            }
            if peopleByRegion[region] == nil {
                peopleByRegion[region] = try await people(region: region, at: instant, on: database)
            }
            let people = peopleByRegion[region] ?? []
            result[station.code] = EscalationTier.allCases.flatMap { tier in
                people.filter { $0.tier == tier } + unitChain.filter { $0.tier == tier }
            }
        }
        return result
    }

    /// Who answers for `region` at `instant`, each person once; none for a region nobody registered.
    func people(region: String, at instant: Int64, on database: any Database) async throws -> [ResponsibleParty] {
        let links: [ResponsibleLink]
        do {
            links = try await OrganisationRepository(database: database).responsibleChain(
                region: region, at: Date(timeIntervalSince1970: TimeInterval(instant)))
        } catch OrganisationError.notFound {
            return []
        }
        var seen: Set<UUID> = []
        return links.compactMap { link -> ResponsibleParty? in
            guard seen.insert(link.person.id).inserted else { return nil }
            return ResponsibleParty(
                tier: Self.tier(link.role), personID: link.person.id.uuidString.lowercased(),
                unitCode: link.person.unitCode)
        }
    }

    static func tier(_ role: ResponsibleLink.Role) -> EscalationTier {
        switch role {
        case .gridWorker: .gridWorker
        case .townshipHead: .townshipHead
        case .contractingLeader: .contractingLeader
        case .onDuty: .command
        }
    }
}
