import FluentKit
import SQLKit

/// Which of `LantianMigrations.all` the database has not run yet.
///
/// `readyz` reports it and `serve` on PostgreSQL refuses to start while it is not empty: a shared
/// PostgreSQL is migrated by `lantian migrate` as its own deployment step, never implicitly.
public enum MigrationStatus {
    public static func pendingMigrations(on database: any Database) async throws -> [String] {
        let applied = try await appliedMigrations(on: database)
        return LantianMigrations.names.filter { !applied.contains($0) }
    }

    /// Names recorded in Fluent's `_fluent_migrations`, or none when the table does not exist yet.
    static func appliedMigrations(on database: any Database) async throws -> Set<String> {
        guard let sql = database as? any SQLDatabase else { return [] }
        let existsQuery: SQLQueryString =
            sql.dialect.name == "sqlite"
            ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'"
            : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_fluent_migrations'"
        let exists = try await sql.raw(existsQuery).first()?.decode(column: "n", as: Int.self) ?? 0
        guard exists > 0 else { return [] }
        let rows = try await sql.raw("SELECT name FROM _fluent_migrations").all()
        return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
    }

    /// A cheap round trip proving the database answers.
    public static func ping(_ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        _ = try await sql.raw("SELECT 1 AS one").first()
    }
}
