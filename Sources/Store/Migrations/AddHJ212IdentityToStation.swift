import FluentKit
import FluentSQL
import SQLKit

/// How a station's data logger identifies itself over HJ 212 (MN, PW) and what its link may get away with.
///
/// All five columns are NULL for a station without a logger, or all set: the CHECK on the last one holds
/// that rule (SQLite cannot add a table constraint to an existing table, so it rides on a column). MN is
/// unique among stations that have one: a unique index, whose NULLs never collide on either database.
struct AddHJ212IdentityToStation: AsyncMigration {
    static let columns = ["hj212_mn", "hj212_password", "hj212_protocols", "hj212_crc_policy", "hj212_tolerant"]

    func prepare(on database: any Database) async throws {
        // One column per ALTER TABLE: SQLite allows no more.
        try await database.schema("stations").field("hj212_mn", .string).update()
        try await database.schema("stations").field("hj212_password", .string).update()
        try await database.schema("stations").field("hj212_protocols", .string).update()
        try await database.schema("stations")
            .field(
                "hj212_crc_policy", .string,
                .sql(.check(SQLRaw("hj212_crc_policy IN ('standard','modbus','either')")))
            )
            .update()
        let allOrNone = Self.columns.map { "\($0) IS NULL" }.joined(separator: " AND ")
        let allSet = Self.columns.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
        try await database.schema("stations")
            .field("hj212_tolerant", .bool, .sql(.check(SQLRaw("(\(allOrNone)) OR (\(allSet))"))))
            .update()
        try await sql(database).raw("CREATE UNIQUE INDEX stations_hj212_mn_unique ON stations (hj212_mn)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try sql(database)
        try await sql.raw("DROP INDEX stations_hj212_mn_unique").run()
        for column in Self.columns.reversed() {
            try await sql.raw("ALTER TABLE stations DROP COLUMN \(unsafeRaw: column)").run()
        }
    }

    private func sql(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
        return sql
    }
}

/// What each station reports and in which unit. Deleting a station deletes its list.
struct CreateStationPollutant: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("station_pollutants")
            .field("station_code", .string, .required, .references("stations", "code", onDelete: .cascade))
            .field("code", .string, .required)
            .field("unit", .string, .required)
            .compositeIdentifier(over: "station_code", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("station_pollutants").delete()
    }
}

/// Failures of the store itself, not of the data.
public enum StoreError: Error, CustomStringConvertible {
    case notSQL

    public var description: String {
        switch self {
        case .notSQL: "数据库不支持 SQL / the database is not an SQL database"
        }
    }
}
