import Foundation

/// Where Lantian keeps its data, parsed from a `DATABASE_URL`.
///
/// Accepted forms (DESIGN "Stable public surface"):
/// - `sqlite:///absolute/path.sqlite` — an SQLite file (the path after `sqlite://` is absolute);
/// - `sqlite::memory:` — an in-memory SQLite database (tests, throwaway runs);
/// - `postgres://user[:password]@host[:port]/database[?sslmode=…]` (also `postgresql://`).
public enum DatabaseLocation: Sendable, Hashable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    /// Parses a `DATABASE_URL`; the error message says what was expected.
    public static func parse(_ url: String) -> Result<DatabaseLocation, DatabaseLocationError> {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        if trimmed == "sqlite::memory:" {
            return .success(.sqliteMemory)
        }
        if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1, !path.hasSuffix("/") else {
                return .failure(
                    DatabaseLocationError(
                        value: url,
                        reason: "SQLite 地址须为绝对文件路径，如 sqlite:///var/lib/lantian/db.sqlite"
                            + " / an SQLite URL needs an absolute file path, e.g. sqlite:///var/lib/lantian/db.sqlite"
                    ))
            }
            return .success(.sqliteFile(path: path))
        }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed),
                let host = components.host, !host.isEmpty,
                components.path.count > 1
            else {
                return .failure(
                    DatabaseLocationError(
                        value: redacted(url),
                        reason: "PostgreSQL 地址须含主机和数据库名，如 postgres://lantian@127.0.0.1:5432/lantian"
                            + " / a PostgreSQL URL needs a host and a database name"
                    ))
            }
            return .success(.postgres(url: trimmed))
        }
        return .failure(
            DatabaseLocationError(
                value: redacted(url),
                reason: "应为 sqlite:///绝对路径、sqlite::memory: 或 postgres://… / expected sqlite:///absolute/path,"
                    + " sqlite::memory: or postgres://…"
            ))
    }

    public var isSQLite: Bool {
        switch self {
        case .sqliteFile, .sqliteMemory: true
        case .postgres: false
        }
    }

    /// A form safe to log: the password of a PostgreSQL URL is masked.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let url): Self.redacted(url)
        }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}

public struct DatabaseLocationError: Error, Hashable, Sendable {
    public var value: String
    public var reason: String
}
