import Campaign
import FluentKit
import Foundation

/// Organisation reads narrowed to an `AccessScope` in the query: a unit officer sees their unit and its
/// people; a grid worker the units of their grids' regions and the people assigned to those grids.
extension PeopleRepository {
    /// People, by name, of `unitCode` when given, among those `scope` shows.
    public func people(unitCode: String? = nil, scope: AccessScope) async throws -> [Person] {
        var query = DB.Person.query(on: database)
        if let unitCode { query = query.filter(\.$unitCode == unitCode) }
        switch scope {
        case .all: break
        case .none: return []
        case .units(let units): query = query.filter(\.$unitCode ~~ Array(units))
        case .regions(let regions): query = query.filter(\.$id ~~ (try await assignedPeople(in: regions)))
        }
        return try await query.sort(\.$name).sort(\.$id).all().map(Person.init)
    }

    /// The person with this id, nil when there is none or `scope` does not show them.
    public func person(id: UUID, scope: AccessScope) async throws -> Person? {
        guard let person = try await person(id: id) else { return nil }
        switch scope {
        case .all: return person
        case .none: return nil
        case .units(let units): return person.unitCode.map(units.contains) == true ? person : nil
        case .regions(let regions): return try await assignedPeople(in: regions).contains(id) ? person : nil
        }
    }

    private func assignedPeople(in regions: Set<String>) async throws -> [UUID] {
        try await DB.GridAssignment.query(on: database).filter(\.$regionCode ~~ Array(regions)).all().map(\.personID)
    }
}

extension UnitRepository {
    /// Units of `kind` when given, among those `scope` shows.
    public func units(kind: UnitKind? = nil, scope: AccessScope) async throws -> [ResponsibleUnit] {
        var query = DB.Unit.query(on: database)
        if let kind { query = query.filter(\.$kind == kind.rawValue) }
        switch scope {
        case .all: break
        case .none: return []
        case .units(let units): query = query.filter(\.$id ~~ Array(units))
        case .regions(let regions): query = query.filter(\.$regionCode ~~ Array(regions))
        }
        return try await query.sort(\.$id).all().map(ResponsibleUnit.init)
    }

    /// The unit with this code, nil when there is none or `scope` does not show it.
    public func unit(code: String, scope: AccessScope) async throws -> ResponsibleUnit? {
        guard let unit = try await unit(code: code) else { return nil }
        return scope.contains(unitCode: unit.code, regionPath: unit.regionCode.map { [$0] } ?? []) ? unit : nil
    }
}
