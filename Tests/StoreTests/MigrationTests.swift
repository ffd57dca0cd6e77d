import Campaign
import FluentKit
import Foundation
import LantianTestSupport
import Logging
import NIOPosix
import SQLKit
import Testing

@testable import Store

/// Migrations up and down on both databases, with Fluent's own migrator and no Vapor.
@Suite("Migrations")
struct MigrationTests {
    static let tables = [
        "regions", "units", "stations", "readings", "rollup_pending", "hourly_values", "hourly_aqi", "daily_values",
        "daily_aqi", "latest_values", "audit_log",
    ]

    @Test(arguments: TestDatabase.all)
    func migrateUpAndDown(database: TestDatabase) async throws {
        try await database.withFreshDatabase { location in
            try await withDatabases(location) { databases, migrator, db in
                // Given an empty database, every migration is pending
                #expect(try await MigrationStatus.pendingMigrations(on: db) == LantianMigrations.names)

                // When migrating up
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()

                // Then all tables exist and nothing is pending
                #expect(try await MigrationStatus.pendingMigrations(on: db).isEmpty)
                #expect(try await existingTables(db).isSuperset(of: Self.tables))

                // When reverting the batch
                try await migrator.revertLastBatch().get()

                // Then the tables are gone and everything is pending again
                #expect(try await existingTables(db).isDisjoint(with: Self.tables))
                #expect(try await MigrationStatus.pendingMigrations(on: db) == LantianMigrations.names)

                // And migrating up again works (revert left nothing behind)
                try await migrator.prepareBatch().get()
                #expect(try await MigrationStatus.pendingMigrations(on: db).isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func schemaEnforcesItsRules(database: TestDatabase) async throws {
        try await database.withFreshDatabase { location in
            try await withDatabases(location) { _, migrator, db in
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
                let repository = OrganisationRepository(database: db)
                try await repository.upsert(Region(code: "110000", name: "北京市", level: .city))

                // A station pointing at a region that does not exist violates the foreign key.
                await #expect(throws: (any Error).self) {
                    try await repository.upsert(
                        Station(
                            code: "X1", name: "无区域", kind: .micro,
                            coordinate: Coordinate(longitude: 116, latitude: 40), regionCode: "999999"))
                }
                // A latitude off the globe violates the CHECK constraint.
                await #expect(throws: (any Error).self) {
                    try await repository.upsert(
                        Station(
                            code: "X2", name: "坐标错误", kind: .micro,
                            coordinate: Coordinate(longitude: 116, latitude: 95), regionCode: "110000"))
                }
                #expect(try await repository.stations().isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func upsertIsIdempotentAndTransactional(database: TestDatabase) async throws {
        try await database.withFreshDatabase { location in
            try await withDatabases(location) { _, migrator, db in
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
                let repository = OrganisationRepository(database: db)
                let city = Region(code: "110000", name: "北京市", level: .city)
                let station = Station(
                    code: "1001A", name: "万寿西宫", kind: .national,
                    coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784), regionCode: "110000")
                try await repository.upsert(regions: [city], units: [], stations: [station])
                try await repository.upsert(regions: [city], units: [], stations: [station])
                #expect(try await repository.stations() == [station])

                // One bad row rolls back the whole batch.
                let orphan = Station(
                    code: "1002A", name: "定陵", kind: .national,
                    coordinate: Coordinate(longitude: 116.2202, latitude: 40.2915), regionCode: "nowhere")
                let renamed = Region(code: "110000", name: "改名", level: .city)
                await #expect(throws: (any Error).self) {
                    try await repository.upsert(regions: [renamed], units: [], stations: [orphan])
                }
                #expect(try await repository.regions() == [city])
                #expect(try await repository.stations() == [station])
            }
        }
    }

    // MARK: Helpers

    private func withDatabases(
        _ location: DatabaseLocation,
        _ body: (Databases, Migrator, any Database) async throws -> Void
    ) async throws {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try location.configurationFactory(maxConnectionsPerEventLoop: 2), as: location.databaseID)
        let migrations = Migrations()
        migrations.add(LantianMigrations.all)
        let logger = Logger(label: "lantian.test.store")
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoop)
        let db = databases.database(logger: logger, on: eventLoop)!
        do {
            try await body(databases, migrator, db)
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }

    private func existingTables(_ database: any Database) async throws -> Set<String> {
        let sql = try #require(database as? any SQLDatabase)
        let query: SQLQueryString =
            sql.dialect.name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        return Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
    }
}

@Suite("Database locations")
struct DatabaseLocationTests {
    @Test(
        arguments: [
            "sqlite://relative/path.sqlite", "sqlite:///", "mysql://host/db", "", "postgres://host", "http://x/y",
        ])
    func badURLsAreRefusedWithWhatIsExpected(url: String) {
        guard case .failure(let error) = DatabaseLocation.parse(url) else {
            Issue.record("\(url) was accepted")
            return
        }
        #expect(error.reason.contains("/"))
        #expect(!error.reason.isEmpty)
    }

    @Test func passwordIsMaskedWhenLogged() {
        let location = DatabaseLocation.postgres(url: "postgres://lantian:s3cret@127.0.0.1:5432/lantian")
        #expect(location.description == "postgres://lantian:***@127.0.0.1:5432/lantian")
    }
}
