import FluentKit
import FluentSQL
import SQLKit

/// A region's boundary as GeoJSON geometry text (Polygon or MultiPolygon, RFC 7946), its bounding box for
/// pre-filtering, and whether the boundary is demo geometry.
///
/// The boundary and the four box columns are all NULL or all set: the CHECK riding on the last box column
/// holds that rule (SQLite cannot add a table constraint to an existing table).
struct AddBoundaryToRegion: AsyncMigration {
    static let boxColumns = ["min_longitude", "min_latitude", "max_longitude", "max_latitude"]

    func prepare(on database: any Database) async throws {
        // One column per ALTER TABLE: SQLite allows no more.
        try await database.schema("regions").field("boundary", .string).update()
        for column in Self.boxColumns.dropLast() {
            try await database.schema("regions").field(.string(column), .double).update()
        }
        let columns = ["boundary"] + Self.boxColumns
        let allOrNone = columns.map { "\($0) IS NULL" }.joined(separator: " AND ")
        let allSet = columns.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
        try await database.schema("regions")
            .field("max_latitude", .double, .sql(.check(SQLRaw("(\(allOrNone)) OR (\(allSet))"))))
            .update()
        try await database.schema("regions")
            .field("is_demo_geometry", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
        for column in (["boundary"] + Self.boxColumns + ["is_demo_geometry"]).reversed() {
            try await sql.raw("ALTER TABLE regions DROP COLUMN \(unsafeRaw: column)").run()
        }
    }
}
