import Campaign
import FluentKit
import LantianTestSupport
import Logging
import NIOPosix

@testable import Store

/// A fresh, migrated database of `kind` for the duration of `body`.
func withMigratedDatabase(
    _ kind: TestDatabase, _ body: @escaping @Sendable (any Database) async throws -> Void
) async throws {
    try await kind.withFreshDatabase { location in
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try location.configurationFactory(maxConnectionsPerEventLoop: 2), as: location.databaseID)
        let migrations = Migrations()
        migrations.add(LantianMigrations.all)
        let logger = Logger(label: "lantian.test.store")
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoop)
        let db = databases.database(logger: logger, on: eventLoop)!
        do {
            try await SQLiteTuning.apply(on: db)
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
            try await body(db)
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }
}

/// Two real Beijing stations under one district, and a source monitor.
func seedStations(_ db: any Database) async throws {
    let repository = OrganisationRepository(database: db)
    try await repository.upsert(
        regions: [
            Region(code: "110000", name: "北京市", level: .city),
            Region(code: "110102", name: "西城区", level: .county, parentCode: "110000"),
            Region(code: "110105", name: "朝阳区", level: .county, parentCode: "110000"),
        ],
        units: [],
        stations: [
            Station(
                code: "1001A", name: "万寿西宫", kind: .national,
                coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784), regionCode: "110102"),
            Station(
                code: "1006A", name: "官园", kind: .national,
                coordinate: Coordinate(longitude: 116.3392, latitude: 39.9425), regionCode: "110102"),
            Station(
                code: "1005A", name: "农展馆", kind: .national,
                coordinate: Coordinate(longitude: 116.4614, latitude: 39.9371), regionCode: "110105"),
            Station(
                code: "CEMS1", name: "某电厂烟囱", kind: .sourceMonitor,
                coordinate: Coordinate(longitude: 116.5, latitude: 39.9), regionCode: "110105"),
        ])
}
