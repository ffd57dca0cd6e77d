import Campaign
import FluentKit

/// Responsible units written by users: validated, audited in the transaction of the change.
public struct UnitRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func units(kind: UnitKind? = nil) async throws -> [ResponsibleUnit] {
        var query = DB.Unit.query(on: database)
        if let kind { query = query.filter(\.$kind == kind.rawValue) }
        return try await query.sort(\.$id).all().map(ResponsibleUnit.init)
    }

    public func unit(code: String) async throws -> ResponsibleUnit? {
        try await DB.Unit.find(code, on: database).map(ResponsibleUnit.init)
    }

    /// The unit's own problems, a region or parent that does not exist, and a parent chain that would loop.
    /// `pending` are units about to be written with it (an import), which may be parents.
    public func problems(for unit: ResponsibleUnit, pending: [String: ResponsibleUnit] = [:]) async throws
        -> [FieldProblem]
    {
        var problems = unit.problems
        if let code = unit.regionCode, try await regionRow(code, on: database) == nil {
            problems.append(FieldProblem(field: "regionCode", message: "区域 \(code) 不存在 / no region \(code)"))
        }
        guard let parent = unit.parentCode, parent != unit.code else { return problems }
        // Walk up the parents; meeting the unit again means a loop.
        var seen: Set<String> = [unit.code]
        var next: String? = parent
        while let code = next {
            if seen.contains(code) {
                problems.append(
                    FieldProblem(
                        field: "parentCode",
                        message: "上级单位 \(parent) 会形成循环隶属 / parent \(parent) would make a loop"))
                break
            }
            seen.insert(code)
            if let waiting = pending[code] {
                next = waiting.parentCode
            } else if let row = try await DB.Unit.find(code, on: database) {
                next = row.parentCode
            } else {
                if code == parent {
                    problems.append(
                        FieldProblem(field: "parentCode", message: "上级单位 \(code) 不存在 / no parent unit \(code)"))
                }
                break
            }
        }
        return problems
    }

    /// Adds a unit. Fails on a problem or a code already taken.
    public func create(_ unit: ResponsibleUnit, by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = UnitRepository(database: transaction)
                let problems = try await repository.problems(for: unit)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                if try await DB.Unit.find(unit.code, on: transaction) != nil {
                    throw OrganisationError.duplicate("单位编码 \(unit.code) 已存在 / unit \(unit.code) already exists")
                }
                try await repository.write(unit, into: DB.Unit())
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "create", entity: "unit", entityID: unit.code, before: nil,
                    after: unit)
            }
        }
    }

    /// Changes some fields of a unit and returns it as it now is.
    @discardableResult
    public func update(code: String, with patch: UnitPatch, by actor: AuditActor) async throws -> ResponsibleUnit {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = UnitRepository(database: transaction)
                guard let row = try await DB.Unit.find(code, on: transaction) else {
                    throw OrganisationError.notFound(entity: "unit", id: code)
                }
                let current = ResponsibleUnit(row)
                let updated = patch.applied(to: current)
                let problems = try await repository.problems(for: updated)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                if updated != current {
                    try await repository.write(updated, into: row)
                    try await AuditTrail.append(
                        on: transaction, actor: actor, action: "update", entity: "unit", entityID: code,
                        before: current, after: updated)
                }
                return updated
            }
        }
    }

    func write(_ unit: ResponsibleUnit, into row: DB.Unit) async throws {
        row.id = unit.code
        row.name = unit.name
        row.kind = unit.kind.rawValue
        row.regionCode = unit.regionCode
        row.parentCode = unit.parentCode
        try await row.save(on: database)
    }
}
