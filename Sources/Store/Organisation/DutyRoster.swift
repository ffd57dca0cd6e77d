import Campaign
import FluentKit
import Foundation
import SQLKit

/// The duty roster (24 小时应急值守). A person is never on two overlapping shifts.
public struct DutyRoster: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Shifts by start; only those of `regionCode`, of `personID`, or covering `at`, when given.
    public func shifts(regionCode: String? = nil, personID: UUID? = nil, at instant: Date? = nil) async throws
        -> [DutyShift]
    {
        var query = DB.DutyShift.query(on: database)
        if let regionCode { query = query.filter(\.$regionCode == regionCode) }
        if let personID { query = query.filter(\.$personID == personID) }
        if let instant { query = query.filter(\.$startsAt <= instant).filter(\.$endsAt > instant) }
        return try await query.sort(\.$startsAt).sort(\.$id).all().map(DutyShift.init)
    }

    /// Who is on duty at `instant` for the region or any region enclosing it, nearest region first.
    public func onDuty(regionCode: String, at instant: Date) async throws -> [DutyShift] {
        let lineage = try await OrganisationRepository(database: database).lineage(of: regionCode)
        guard !lineage.isEmpty else { throw OrganisationError.notFound(entity: "region", id: regionCode) }
        let depth = Dictionary(lineage.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        return try await shifts(regionCodes: lineage.map(\.code), at: instant).sorted {
            (depth[$0.regionCode]!, $0.role == .officer ? 0 : 1, $0.startsAt)
                < (depth[$1.regionCode]!, $1.role == .officer ? 0 : 1, $1.startsAt)
        }
    }

    func shifts(regionCodes: [String], at instant: Date) async throws -> [DutyShift] {
        guard !regionCodes.isEmpty else { return [] }
        return try await DB.DutyShift.query(on: database).filter(\.$regionCode ~~ regionCodes)
            .filter(\.$startsAt <= instant).filter(\.$endsAt > instant).all().map(DutyShift.init)
    }

    public func shift(id: UUID) async throws -> DutyShift? {
        try await DB.DutyShift.find(id, on: database).map(DutyShift.init)
    }

    public func problems(for shift: DutyShift) async throws -> [FieldProblem] {
        var problems = shift.problems
        if try await DB.Person.find(shift.personID, on: database) == nil {
            let id = shift.personID.uuidString.lowercased()
            problems.append(FieldProblem(field: "personId", message: "人员 \(id) 不存在 / no person \(id)"))
        }
        if try await regionRow(shift.regionCode, on: database) == nil {
            problems.append(
                FieldProblem(field: "regionCode", message: "区域 \(shift.regionCode) 不存在 / no region \(shift.regionCode)")
            )
        }
        return problems
    }

    /// The person's other shifts that share an instant with `shift`.
    public func overlapping(_ shift: DutyShift) async throws -> [DutyShift] {
        try await DB.DutyShift.query(on: database).filter(\.$personID == shift.personID)
            .filter(\.$startsAt < shift.endsAt).filter(\.$endsAt > shift.startsAt).filter(\.$id != shift.id)
            .sort(\.$startsAt).all().map(DutyShift.init)
    }

    /// Puts someone on duty. Refused when the person already has a shift at any of those times.
    public func create(_ shift: DutyShift, by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                try await DutyRoster(database: transaction).insert(shift, by: actor)
            }
        }
    }

    /// Several shifts at once (a week's roster): all of them or none.
    public func create(_ shifts: [DutyShift], by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let roster = DutyRoster(database: transaction)
                for shift in shifts { try await roster.insert(shift, by: actor) }
            }
        }
    }

    func insert(_ shift: DutyShift, by actor: AuditActor) async throws {
        let problems = try await self.problems(for: shift)
        guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
        if try await DB.DutyShift.find(shift.id, on: database) != nil {
            throw OrganisationError.duplicate("值班 \(shift.id) 已存在 / duty shift \(shift.id) already exists")
        }
        // Lock the person so that two rosters written at once cannot both miss each other's shift.
        if let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" {
            try await sql.raw("SELECT id FROM people WHERE id = \(bind: shift.personID) FOR UPDATE").run()
        }
        let clashes = try await overlapping(shift)
        guard clashes.isEmpty else { throw OrganisationError.overlappingDuty(clashes) }
        let row = DB.DutyShift()
        row.id = shift.id
        row.personID = shift.personID
        row.regionCode = shift.regionCode
        row.role = shift.role.rawValue
        row.startsAt = shift.startsAt
        row.endsAt = shift.endsAt
        row.note = shift.note
        try await row.create(on: database)
        try await AuditTrail.append(
            on: database, actor: actor, action: "create", entity: "duty_shift",
            entityID: shift.id.uuidString.lowercased(), before: nil, after: shift)
    }

    public func delete(id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { transaction in
            guard let shift = try await DutyRoster(database: transaction).shift(id: id) else {
                throw OrganisationError.notFound(entity: "duty_shift", id: id.uuidString.lowercased())
            }
            try await DB.DutyShift.query(on: transaction).filter(\.$id == id).delete()
            try await AuditTrail.append(
                on: transaction, actor: actor, action: "delete", entity: "duty_shift",
                entityID: id.uuidString.lowercased(), before: shift, after: nil as DutyShift?)
        }
    }
}

extension DutyShift {
    init(_ row: DB.DutyShift) {
        self.init(
            id: row.id!, personID: row.personID, regionCode: row.regionCode,
            role: DutyRole(rawValue: row.role) ?? .officer,
            startsAt: row.startsAt, endsAt: row.endsAt, note: row.note)
    }
}
