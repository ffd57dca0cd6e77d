import Campaign
import FluentKit
import Foundation

/// People and their grid assignments. Every change is audited in its own transaction.
public struct PeopleRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: People

    /// People, by name; only those of `unitCode` when given.
    public func people(unitCode: String? = nil) async throws -> [Person] {
        var query = DB.Person.query(on: database)
        if let unitCode { query = query.filter(\.$unitCode == unitCode) }
        return try await query.sort(\.$name).sort(\.$id).all().map(Person.init)
    }

    public func person(id: UUID) async throws -> Person? {
        try await DB.Person.find(id, on: database).map(Person.init)
    }

    public func people(ids: [UUID]) async throws -> [UUID: Person] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await DB.Person.query(on: database).filter(\.$id ~~ Array(Set(ids))).all()
        return Dictionary(rows.map { ($0.id!, Person($0)) }, uniquingKeysWith: { first, _ in first })
    }

    public func problems(for person: Person) async throws -> [FieldProblem] {
        var problems = person.problems
        if let code = person.unitCode, try await DB.Unit.find(code, on: database) == nil {
            problems.append(FieldProblem(field: "unitCode", message: "单位 \(code) 不存在 / no unit \(code)"))
        }
        return problems
    }

    public func create(_ person: Person, by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = PeopleRepository(database: transaction)
                let problems = try await repository.problems(for: person)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                if try await DB.Person.find(person.id, on: transaction) != nil {
                    throw OrganisationError.duplicate("人员 \(person.id) 已存在 / person \(person.id) already exists")
                }
                try await repository.write(person, into: DB.Person())
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "create", entity: "person",
                    entityID: person.id.uuidString.lowercased(), before: nil, after: person)
            }
        }
    }

    @discardableResult
    public func update(id: UUID, with patch: PersonPatch, by actor: AuditActor) async throws -> Person {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = PeopleRepository(database: transaction)
                guard let row = try await DB.Person.find(id, on: transaction) else {
                    throw OrganisationError.notFound(entity: "person", id: id.uuidString.lowercased())
                }
                let current = Person(row)
                let updated = patch.applied(to: current)
                let problems = try await repository.problems(for: updated)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                if updated != current {
                    try await repository.write(updated, into: row)
                    try await AuditTrail.append(
                        on: transaction, actor: actor, action: "update", entity: "person",
                        entityID: id.uuidString.lowercased(), before: current, after: updated)
                }
                return updated
            }
        }
    }

    /// Removes a person and their grid assignments (each audited). Refused while the person leads a
    /// contract or stands on the duty roster: those are records to end, not to lose.
    public func delete(id: UUID, by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                guard let row = try await DB.Person.find(id, on: transaction) else {
                    throw OrganisationError.notFound(entity: "person", id: id.uuidString.lowercased())
                }
                let contracts = try await DB.LeaderContract.query(on: transaction).filter(\.$leaderID == id).count()
                let shifts = try await DB.DutyShift.query(on: transaction).filter(\.$personID == id).count()
                if contracts > 0 || shifts > 0 {
                    throw OrganisationError.inUse(
                        "\(row.name) 仍有 \(contracts) 项分包、\(shifts) 个值班班次，请先删除 / \(row.name) still has"
                            + " \(contracts) contract(s) and \(shifts) duty shift(s); delete them first")
                }
                let repository = PeopleRepository(database: transaction)
                for assignment in try await repository.gridAssignments(personID: id) {
                    try await repository.removeAssignment(assignment, by: actor)
                }
                let person = Person(row)
                try await row.delete(on: transaction)
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "delete", entity: "person",
                    entityID: id.uuidString.lowercased(), before: person, after: nil as Person?)
            }
        }
    }

    func write(_ person: Person, into row: DB.Person) async throws {
        row.id = person.id
        row.name = person.name
        row.phone = person.phone
        row.unitCode = person.unitCode
        row.title = person.title
        try await row.save(on: database)
    }

    // MARK: Grid assignments

    /// Assignments by region, level and person name; filtered by region and/or person when given.
    public func gridAssignments(regionCode: String? = nil, personID: UUID? = nil) async throws -> [GridAssignment] {
        var query = DB.GridAssignment.query(on: database)
        if let regionCode { query = query.filter(\.$regionCode == regionCode) }
        if let personID { query = query.filter(\.$personID == personID) }
        return try await query.sort(\.$regionCode).sort(\.$level).sort(\.$id).all().map(GridAssignment.init)
    }

    public func gridAssignments(regionCodes: [String]) async throws -> [GridAssignment] {
        guard !regionCodes.isEmpty else { return [] }
        return try await DB.GridAssignment.query(on: database).filter(\.$regionCode ~~ regionCodes).all()
            .map(GridAssignment.init)
    }

    public func gridAssignment(id: UUID) async throws -> GridAssignment? {
        try await DB.GridAssignment.find(id, on: database).map(GridAssignment.init)
    }

    public func problems(for assignment: GridAssignment) async throws -> [FieldProblem] {
        var problems = assignment.problems
        if try await DB.Person.find(assignment.personID, on: database) == nil {
            let id = assignment.personID.uuidString.lowercased()
            problems.append(FieldProblem(field: "personId", message: "人员 \(id) 不存在 / no person \(id)"))
        }
        if let region = try await regionRow(assignment.regionCode, on: database) {
            if let level = RegionLevel(rawValue: region.level),
                let problem = GridAssignment.problem(
                    gridLevel: assignment.level, regionLevel: level, regionCode: assignment.regionCode)
            {
                problems.append(problem)
            }
        } else {
            problems.append(
                FieldProblem(
                    field: "regionCode",
                    message: "区域 \(assignment.regionCode) 不存在 / no region \(assignment.regionCode)"))
        }
        return problems
    }

    /// Makes someone a grid worker of a grid. One assignment per person and grid.
    public func assign(_ assignment: GridAssignment, by actor: AuditActor) async throws {
        try await translatingConstraintFailures {
            try await database.transaction { transaction in
                let repository = PeopleRepository(database: transaction)
                let problems = try await repository.problems(for: assignment)
                guard problems.isEmpty else { throw OrganisationError.invalid(problems) }
                let existing = try await repository.gridAssignments(
                    regionCode: assignment.regionCode, personID: assignment.personID)
                if !existing.isEmpty {
                    throw OrganisationError.duplicate(
                        "此人已是网格 \(assignment.regionCode) 的网格员 / the person is already assigned to grid"
                            + " \(assignment.regionCode)")
                }
                let row = DB.GridAssignment()
                row.id = assignment.id
                row.personID = assignment.personID
                row.regionCode = assignment.regionCode
                row.level = assignment.level.rawValue
                row.startsOn = assignment.startsOn?.storedDate
                row.endsOn = assignment.endsOn?.storedDate
                try await row.create(on: transaction)
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "create", entity: "grid_assignment",
                    entityID: assignment.id.uuidString.lowercased(), before: nil, after: assignment)
            }
        }
    }

    public func deleteAssignment(id: UUID, by actor: AuditActor) async throws {
        try await database.transaction { transaction in
            guard let assignment = try await PeopleRepository(database: transaction).gridAssignment(id: id) else {
                throw OrganisationError.notFound(entity: "grid_assignment", id: id.uuidString.lowercased())
            }
            try await PeopleRepository(database: transaction).removeAssignment(assignment, by: actor)
        }
    }

    func removeAssignment(_ assignment: GridAssignment, by actor: AuditActor) async throws {
        try await DB.GridAssignment.query(on: database).filter(\.$id == assignment.id).delete()
        try await AuditTrail.append(
            on: database, actor: actor, action: "delete", entity: "grid_assignment",
            entityID: assignment.id.uuidString.lowercased(), before: assignment, after: nil as GridAssignment?)
    }
}

extension Person {
    init(_ row: DB.Person) {
        self.init(id: row.id!, name: row.name, phone: row.phone, unitCode: row.unitCode, title: row.title)
    }
}

extension GridAssignment {
    init(_ row: DB.GridAssignment) {
        self.init(
            id: row.id!, personID: row.personID, regionCode: row.regionCode,
            level: GridLevel(rawValue: row.level) ?? .third,
            startsOn: row.startsOn.map(CalendarDay.init(stored:)), endsOn: row.endsOn.map(CalendarDay.init(stored:)))
    }
}
