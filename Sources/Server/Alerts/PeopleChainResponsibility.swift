import Campaign
import FluentKit
import Foundation
import Store

/// The alert chain with the people of the organisation: the unit chain (`UnitChainResponsibility`), and at
/// each tier the people who answer for the station's region at that instant (`responsibleChain(region:at:)`):
/// its grid workers, the township's heads, the contracting county leader (分包), and those on duty (指挥部
/// tier). Within a tier the units come first and the people after them, nearest first, so a dispatch
/// (`chain.first`) still goes to the station's unit and an escalation (`chain.last` at or below the tier)
/// reaches a named person. A station without a region, or a region nobody answers for, gets the unit chain.
public struct PeopleChainResponsibility: AlertResponsibility {
    public init() {}

    public func chain(for station: Station, at instant: Int64, on database: any Database) async throws
        -> [ResponsibleParty]
    {
        let units = try await UnitChainResponsibility().chain(for: station, at: instant, on: database)
        guard let region = station.regionCode else { return units }
        let links: [ResponsibleLink]
        do {
            links = try await OrganisationRepository(database: database).responsibleChain(
                region: region, at: Date(timeIntervalSince1970: TimeInterval(instant)))
        } catch OrganisationError.notFound {
            return units
        }
        var seen: Set<UUID> = []
        let people = links.compactMap { link -> ResponsibleParty? in
            guard seen.insert(link.person.id).inserted else { return nil }
            return ResponsibleParty(
                tier: Self.tier(link.role), personID: link.person.id.uuidString.lowercased(),
                unitCode: link.person.unitCode)
        }
        return EscalationTier.allCases.flatMap { tier in
            units.filter { $0.tier == tier } + people.filter { $0.tier == tier }
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
