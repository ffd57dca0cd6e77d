import FluentKit
import SQLKit

/// The append-only audit log. `seq` orders the chain; `hash` = SHA-256 over the entry's canonical text and
/// the previous entry's hash (see `AuditTrail`).
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        try await sql.raw(
            SQLQueryString(
                """
                CREATE TABLE audit_log (
                    seq \(sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY"),
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    before TEXT,
                    after TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """)
        ).run()
        try await sql.raw("CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE audit_log").run()
    }
}
