import Campaign
import FluentKit

/// Regions, units and stations: the structure everything else routes through.
public struct OrganisationRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Reads

    public func regions() async throws -> [Region] {
        try await DB.Region.query(on: database).sort(\.$id).all().map(Region.init)
    }

    public func units() async throws -> [ResponsibleUnit] {
        try await DB.Unit.query(on: database).sort(\.$id).all().map(ResponsibleUnit.init)
    }

    /// Every station with its HJ 212 identity and pollutants (see `StationRepository`).
    public func stations() async throws -> [Station] {
        try await StationRepository(database: database).stations()
    }

    public func station(code: String) async throws -> Station? {
        try await StationRepository(database: database).station(code: code)
    }

    // MARK: Writes (idempotent: the same value written twice leaves one row)

    public func upsert(_ region: Region) async throws {
        let row = try await DB.Region.find(region.code, on: database) ?? DB.Region()
        row.id = region.code
        row.name = region.name
        row.level = region.level.rawValue
        row.parentCode = region.parentCode
        // New rows name the flag: SQLite writes NULL, not the column default, for a field left unset.
        if row.isDemoGeometry == nil { row.isDemoGeometry = false }
        try await row.save(on: database)
    }

    public func upsert(_ unit: ResponsibleUnit) async throws {
        let row = try await DB.Unit.find(unit.code, on: database) ?? DB.Unit()
        row.id = unit.code
        row.name = unit.name
        row.kind = unit.kind.rawValue
        row.regionCode = unit.regionCode
        row.parentCode = unit.parentCode
        try await row.save(on: database)
    }

    /// Inserts or replaces a station whole, HJ 212 identity and pollutants included.
    public func upsert(_ station: Station) async throws {
        try await StationRepository(database: database).upsert(station)
    }

    /// Writes a whole structure in one transaction: all of it or none.
    public func upsert(regions: [Region], units: [ResponsibleUnit], stations: [Station]) async throws {
        try await database.transaction { transaction in
            let repository = OrganisationRepository(database: transaction)
            for region in regions { try await repository.upsert(region) }
            for unit in units { try await repository.upsert(unit) }
            for station in stations { try await repository.upsert(station) }
        }
    }
}

extension Region {
    init(_ row: DB.Region) {
        self.init(
            code: row.id ?? "",
            name: row.name,
            level: RegionLevel(rawValue: row.level) ?? .grid,
            parentCode: row.parentCode
        )
    }
}

extension ResponsibleUnit {
    init(_ row: DB.Unit) {
        self.init(
            code: row.id ?? "",
            name: row.name,
            kind: UnitKind(rawValue: row.kind) ?? .department,
            regionCode: row.regionCode,
            parentCode: row.parentCode
        )
    }
}
