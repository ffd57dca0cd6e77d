import FluentKit
import SQLKit

extension Database {
    /// A transaction that will write. On SQLite it takes the write lock with its first statement:
    /// Fluent's `BEGIN` is deferred, and a deferred transaction that reads and then writes fails at
    /// once with "database is locked" when another connection (the ingest writer, with its
    /// `BEGIN IMMEDIATE`) committed in between — SQLite cannot wait there without breaking the
    /// snapshot, so `busy_timeout` does not apply. Taken first, the lock is waited for (busy_timeout)
    /// like any writer's. PostgreSQL needs nothing: its rows lock as they are written.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T)
        async throws -> T
    {
        try await transaction { transaction in
            if let sql = transaction as? any SQLDatabase, sql.dialect.name == "sqlite" {
                // A write statement that changes nothing still takes SQLite's write (RESERVED) lock.
                try await sql.raw("UPDATE _fluent_migrations SET batch = batch WHERE 0").run()
            }
            return try await body(transaction)
        }
    }
}
