import FluentKit
import SQLKit

/// Sets up an SQLite connection for a server rather than for a desktop app.
public enum SQLiteTuning {
    /// Run on every pooled connection when the server boots.
    ///
    /// - `journal_mode = WAL`: readers (dashboards, the API) never block the writer (ingest) and the writer
    ///   never blocks readers; it is stored in the file, so it holds for every later connection too.
    /// - `busy_timeout = 5000`: when two connections do collide on the write lock, wait up to 5 s instead of
    ///   failing at once (it also replaces SQLiteNIO's spinning busy handler with SQLite's sleeping one).
    /// - `foreign_keys = ON`: SQLite leaves foreign keys off by default; the schema's references must hold.
    ///   (SQLiteKit also sets it on each new connection; repeated here so the intent is in one place.)
    /// - `synchronous = NORMAL`: in WAL mode a commit is durable against a crash of the process (what
    ///   `kill -9` does) and only the last transactions may be lost on a power cut; FULL would fsync
    ///   on every commit and cost most of the ingest rate.
    public static let pragmas = [
        "PRAGMA journal_mode = WAL",
        "PRAGMA busy_timeout = 5000",
        "PRAGMA foreign_keys = ON",
        "PRAGMA synchronous = NORMAL",
    ]

    public static func apply(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        for pragma in pragmas {
            try await sql.raw(SQLQueryString(pragma)).run()
        }
    }

    /// The effective settings of one connection, for tests and diagnostics.
    public static func currentSettings(on database: any Database) async throws -> [String: String] {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return [:] }
        var settings: [String: String] = [:]
        for name in ["journal_mode", "busy_timeout", "foreign_keys", "synchronous"] {
            let row = try await sql.raw(SQLQueryString("PRAGMA \(unsafeRaw: name)")).first()
            guard let row, let column = row.allColumns.first else { continue }
            if let text = try? row.decode(column: column, as: String.self) {
                settings[name] = text
            } else if let number = try? row.decode(column: column, as: Int.self) {
                settings[name] = String(number)
            }
        }
        return settings
    }
}
