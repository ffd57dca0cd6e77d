import Campaign
import FluentKit
import Foundation
import SQLKit

/// Leader contracts (分包) and the townships each covers.
public struct LeaderContractRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Contracts by start day; only those covering `townshipCode` or led by `leaderID` when given.
    public func contracts(townshipCode: String? = nil, leaderID: UUID? = nil) async throws -> [LeaderContract] {
        var query = DB.LeaderContract.query(on: database)
        if let leaderID { query = query.filter(\.$leaderID == leaderID) }
        if let townshipCode {
            let ids = try await sql.select().column("contract_id").from("contract_townships")
                .where("region_code", .equal, townshipCode).all()
                .map { try $0.decode(column: "contract_id", as: UUID.self) }
            if ids.isEmpty { return [] }
            query = query.filter(\.$id ~~ ids)
        }
        let rows = try await query.sort(\.$startsOn).sort(\.$id).all()
        let townships = try await townshipsByContract(rows.compactMap(\.id))
        return rows.map { LeaderContract($0, townships: townships[$0.id!] ?? []) }
    }

    public func contract(id: UUID) async throws -> LeaderContract? {
        guard let row = try await DB.LeaderContract.find(id, on: database) else { return nil }
        return LeaderContract(row, townships: try await townshipsByContract([id])[id] ?? [])
    }

    public func problems(for contract: LeaderContract) async throws -> [FieldProblem] {
        var problems = contract.problems
        if try await DB.Person.find(contract.leaderID, on: database) == nil {
            let id = contract.leaderID.uuidString.lowercased()
            problems.append(FieldProblem(field: "leaderId", message: "人员 \(id) 不存在 / no person \(id)"))
        }
        for code in contract.townshipCodes {
            guard let region = try await regionRow(code, on: database) else {
                problems.append(FieldProblem(field: "townshipCodes", message: "区域 \(code) 不存在 / no region \(code)"))
                continue
            }
            if region.level != RegionLevel.township.rawValue {
                problems.append(
                    FieldProblem(
                        field: "townshipCodes",
                        message: "区域 \(code)（\(region.name)）不是乡镇（街道）/ region \(code) is not a township"))
            }
        }
        return problems
    }

    public func create(_ contract: LeaderContract, by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = LeaderContractRepository(database: transaction)
                let problems = try await repository.problems(for: contract)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                if try await DB.LeaderContract.find(contract.id, on: transaction) != nil {
                    throw OrganisationError.duplicate("分包 \(contract.id) 已存在 / contract \(contract.id) already exists")
                }
                try await repository.write(contract, into: DB.LeaderContract(), townships: true)
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "create", entity: "leader_contract",
                    entityID: contract.id.uuidString.lowercased(), before: nil, after: contract)
            }
        }
    }

    @discardableResult
    public func update(id: UUID, with patch: LeaderContractPatch, by actor: AuditActor) async throws -> LeaderContract {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = LeaderContractRepository(database: transaction)
                guard let row = try await DB.LeaderContract.find(id, on: transaction) else {
                    throw OrganisationError.notFound(entity: "leader_contract", id: id.uuidString.lowercased())
                }
                let current = LeaderContract(row, townships: try await repository.townshipsByContract([id])[id] ?? [])
                let updated = patch.applied(to: current)
                let problems = try await repository.problems(for: updated)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                if updated != current {
                    try await repository.write(
                        updated, into: row, townships: updated.townshipCodes != current.townshipCodes)
                    try await AuditTrail.append(
                        on: transaction, actor: actor, action: "update", entity: "leader_contract",
                        entityID: id.uuidString.lowercased(), before: current, after: updated)
                }
                return updated
            }
        }
    }

    public func delete(id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { transaction in
            let repository = LeaderContractRepository(database: transaction)
            guard let contract = try await repository.contract(id: id) else {
                throw OrganisationError.notFound(entity: "leader_contract", id: id.uuidString.lowercased())
            }
            try await repository.sql.delete(from: "contract_townships").where("contract_id", .equal, id).run()
            try await DB.LeaderContract.query(on: transaction).filter(\.$id == id).delete()
            try await AuditTrail.append(
                on: transaction, actor: actor, action: "delete", entity: "leader_contract",
                entityID: id.uuidString.lowercased(), before: contract, after: nil as LeaderContract?)
        }
    }

    func write(_ contract: LeaderContract, into row: DB.LeaderContract, townships: Bool) async throws {
        row.id = contract.id
        row.leaderID = contract.leaderID
        row.startsOn = contract.startsOn.storedDate
        row.endsOn = contract.endsOn?.storedDate
        row.note = contract.note
        try await row.save(on: database)
        guard townships else { return }
        try await sql.delete(from: "contract_townships").where("contract_id", .equal, contract.id).run()
        guard !contract.townshipCodes.isEmpty else { return }
        let insert = try sql.insert(into: "contract_townships").columns("contract_id", "region_code")
        for code in contract.townshipCodes { insert.values(SQLBind(contract.id), SQLBind(code)) }
        try await insert.run()
    }

    func townshipsByContract(_ ids: [UUID]) async throws -> [UUID: [String]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("contract_id", "region_code").from("contract_townships")
            .where("contract_id", .in, ids).orderBy("region_code").all()
        var result: [UUID: [String]] = [:]
        for row in rows {
            result[try row.decode(column: "contract_id", as: UUID.self), default: []]
                .append(try row.decode(column: "region_code", as: String.self))
        }
        return result
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
            return sql
        }
    }
}

extension LeaderContract {
    init(_ row: DB.LeaderContract, townships: [String]) {
        self.init(
            id: row.id!, leaderID: row.leaderID, townshipCodes: townships, startsOn: CalendarDay(stored: row.startsOn),
            endsOn: row.endsOn.map(CalendarDay.init(stored:)), note: row.note)
    }
}
