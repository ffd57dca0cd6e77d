import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

extension DatabaseLocation {
    /// The Fluent driver configuration for this location.
    ///
    /// SQLite keeps one connection per event loop (the driver's design); PostgreSQL gets
    /// `maxConnectionsPerEventLoop` connections per loop.
    public func configurationFactory(maxConnectionsPerEventLoop: Int) throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqliteMemory:
            return .sqlite(.memory)
        case .sqliteFile(let path):
            return .sqlite(.file(path))
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            return .postgres(
                configuration: configuration,
                maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
                connectionPoolTimeout: .seconds(10)
            )
        }
    }

    public var databaseID: DatabaseID {
        isSQLite ? .sqlite : .psql
    }

    /// Creates the folder an SQLite file lives in, so that a fresh checkout can start at once.
    public func prepareStorage() throws {
        guard case .sqliteFile(let path) = self else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
}
