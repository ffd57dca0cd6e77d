import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Store

/// The databases a test runs on: in-memory SQLite always, PostgreSQL whenever
/// `LANTIAN_TEST_POSTGRES_URL` is set (the test command always sets it).
///
/// Each PostgreSQL test gets a database of its own (`CREATE DATABASE`), so tests stay parallel
/// without colliding on one schema.
public enum TestDatabase: Sendable, CustomStringConvertible {
    case sqlite
    case postgres(serverURL: String)

    public static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["LANTIAN_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    public static var all: [TestDatabase] {
        [.sqlite] + (postgresURL.map { [.postgres(serverURL: $0)] } ?? [])
    }

    public var description: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// Runs `body` with a fresh, empty database and removes it afterwards.
    public func withFreshDatabase<T: Sendable>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await body(.sqliteMemory)
        case .postgres(let serverURL):
            let name = "lt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            try await PostgresAdmin.execute("CREATE DATABASE \(name)", serverURL: serverURL)
            let location = DatabaseLocation.postgres(url: PostgresAdmin.url(serverURL, database: name))
            do {
                let result = try await body(location)
                try await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", serverURL: serverURL)
                return result
            } catch {
                try? await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", serverURL: serverURL)
                throw error
            }
        }
    }
}

/// Administrative statements on the test PostgreSQL server.
enum PostgresAdmin {
    static func execute(_ sql: String, serverURL: String) async throws {
        guard let components = URLComponents(string: serverURL), let host = components.host else {
            throw PostgresAdminError(message: "LANTIAN_TEST_POSTGRES_URL is not a postgres:// URL: \(serverURL)")
        }
        let configuration = PostgresConnection.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: String(components.path.dropFirst()).isEmpty ? "postgres" : String(components.path.dropFirst()),
            tls: .disable
        )
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(),
            configuration: configuration,
            id: 1,
            logger: Logger(label: "lantian.test.postgres-admin")
        )
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "lantian.test"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The server URL with another database name.
    static func url(_ serverURL: String, database: String) -> String {
        var components = URLComponents(string: serverURL)!
        components.path = "/" + database
        return components.string!
    }
}

struct PostgresAdminError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
