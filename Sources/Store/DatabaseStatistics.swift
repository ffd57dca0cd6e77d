import FluentKit
import SQLKit

/// Figures about the database that `/metrics` exports, read at scrape time.
public struct DatabaseStatistics: Sendable, Equatable {
    /// Connections the server holds open to PostgreSQL (from `pg_stat_activity`), or `nil` on SQLite.
    public var openConnections: Int?
    /// Size of the database on disk in bytes (`page_count × page_size` or `pg_database_size`).
    public var sizeBytes: Int?

    public static func read(from database: any Database) async throws -> DatabaseStatistics {
        guard let sql = database as? any SQLDatabase else { return DatabaseStatistics() }
        if sql.dialect.name == "sqlite" {
            let pages = try await sql.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self)
            let pageSize = try await sql.raw("PRAGMA page_size").first()?.decode(column: "page_size", as: Int.self)
            return DatabaseStatistics(openConnections: nil, sizeBytes: pages.flatMap { p in pageSize.map { p * $0 } })
        }
        let row = try await sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections,
                   pg_database_size(current_database()) AS size
            """
        ).first()
        return DatabaseStatistics(
            openConnections: try row?.decode(column: "connections", as: Int.self),
            sizeBytes: try row?.decode(column: "size", as: Int.self)
        )
    }

    public init(openConnections: Int? = nil, sizeBytes: Int? = nil) {
        self.openConnections = openConnections
        self.sizeBytes = sizeBytes
    }
}
