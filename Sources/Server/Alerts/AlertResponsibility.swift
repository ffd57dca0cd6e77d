import Campaign
import FluentKit
import Store

/// Someone an alert can be handed to at one escalation tier.
public struct ResponsibleParty: Sendable, Hashable {
    public var tier: EscalationTier
    public var personID: String?
    public var unitCode: String?

    public init(tier: EscalationTier, personID: String? = nil, unitCode: String? = nil) {
        self.tier = tier
        self.personID = personID
        self.unitCode = unitCode
    }
}

/// Who answers for a station's surroundings, tier by tier: grid worker → township head → the county
/// leader contracting the township (分包) → HQ. The alert service dispatches to the first party of
/// the routing's choice and escalates up the rest.
public protocol AlertResponsibility: Sendable {
    func chain(for station: Station, at instant: Int64, on database: any Database) async throws -> [ResponsibleParty]
}

/// The chain from the units alone, for deployments whose people are not registered yet: the station's
/// responsible unit at the first tier, the enclosing units (by `parent_code`) above it, and the HQ
/// (the unit of kind `command`) at the top.
public struct UnitChainResponsibility: AlertResponsibility {
    public init() {}

    public func chain(for station: Station, at instant: Int64, on database: any Database) async throws
        -> [ResponsibleParty]
    {
        let units = try await OrganisationRepository(database: database).units()
        let byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var chain: [ResponsibleParty] = []
        var seen: Set<String> = []
        var next = station.responsibleUnitCode
        var tier = EscalationTier.gridWorker
        while let code = next, let unit = byCode[code], seen.insert(code).inserted, tier < .command {
            chain.append(ResponsibleParty(tier: tier, unitCode: code))
            tier = EscalationTier(rawValue: tier.rawValue + 1) ?? .command
            next = unit.parentCode
        }
        if let command = units.first(where: { $0.kind == .command }) {
            chain.append(ResponsibleParty(tier: .command, unitCode: command.code))
        }
        return chain
    }
}
