import Campaign
import FluentKit
import Foundation

extension OrganisationRepository {
    /// The region and its ancestors, nearest first; empty when there is no such region.
    public func lineage(of code: String) async throws -> [Region] {
        var lineage: [Region] = []
        var next: String? = code
        while let code = next, !lineage.contains(where: { $0.code == code }),
            let row = try await DB.Region.find(code, on: database)
        {
            lineage.append(Region(row))
            next = row.parentCode
        }
        return lineage
    }

    /// Who answers for region `code` at `instant`, in order: its grid workers (finest level first), the
    /// township's heads, the contracting county leader (分包), and who is on duty for it or an enclosing
    /// region (see `ResponsibleChainInput`). Throws `notFound` for an unknown region.
    public func responsibleChain(region code: String, at instant: Date) async throws -> [ResponsibleLink] {
        let lineage = try await lineage(of: code)
        guard !lineage.isEmpty else { throw OrganisationError.notFound(entity: "region", id: code) }
        let people = PeopleRepository(database: database)
        let assignments = try await people.gridAssignments(regionCodes: lineage.map(\.code))
        var staff: [Person] = []
        var contracts: [LeaderContract] = []
        if let township = lineage.first(where: { $0.level == .township }) {
            let unitCodes = try await DB.Unit.query(on: database).filter(\.$kind == UnitKind.township.rawValue)
                .filter(\.$regionCode == township.code).all().compactMap(\.id)
            for unit in unitCodes { staff += try await people.people(unitCode: unit) }
            contracts = try await LeaderContractRepository(database: database).contracts(townshipCode: township.code)
        }
        let shifts = try await DutyRoster(database: database).shifts(regionCodes: lineage.map(\.code), at: instant)
        let ids = assignments.map(\.personID) + contracts.map(\.leaderID) + shifts.map(\.personID)
        let input = ResponsibleChainInput(
            lineage: lineage, gridAssignments: assignments, townshipStaff: staff, contracts: contracts, shifts: shifts,
            people: try await people.people(ids: ids))
        return input.chain(at: instant)
    }
}

extension OrganisationRepository {
    /// The repositories for people, contracts and the roster on the same database (or transaction).
    public var peopleRepository: PeopleRepository { PeopleRepository(database: database) }
    public var contractRepository: LeaderContractRepository { LeaderContractRepository(database: database) }
    public var dutyRoster: DutyRoster { DutyRoster(database: database) }

    /// Runs `body` in one transaction, with a repository on it.
    public func inTransaction<T: Sendable>(_ body: @escaping @Sendable (OrganisationRepository) async throws -> T)
        async throws -> T
    {
        try await database.transaction { transaction in try await body(OrganisationRepository(database: transaction)) }
    }
}
