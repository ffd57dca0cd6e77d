import Campaign
import FluentKit
import Foundation
import LantianTestSupport
import Logging
import NIOPosix
import SQLKit
import Testing

@testable import Store

/// The station registry on both databases: identity and pollutants, uniqueness, partial change, cascade.
@Suite("Station registry")
struct StationRepositoryTests {
    static let city = Region(code: "110000", name: "北京市", level: .city)
    static let identity = HJ212Identity(
        mn: "0123456789ABCDEF01234567", password: "0123456789abcdef01234567", protocols: [.hj212_2017, .hj212_2025],
        crcPolicy: .modbus, tolerant: false)
    static let station = Station(
        code: "1001A", name: "万寿西宫", kind: .national,
        coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784), regionCode: "110000", hj212: identity,
        pollutants: [
            ReportedPollutant(code: "a21005", unit: "mg/m3"), ReportedPollutant(code: "a34004", unit: "ug/m3"),
        ])

    @Test(arguments: TestDatabase.all)
    func identityAndPollutantsRoundTrip(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, db in
            // Given a station with an HJ 212 identity and two pollutants
            try await repository.create(Self.station, by: .system("test"))

            // Then every way of reading it gives it back whole
            #expect(try await repository.station(code: "1001A") == Self.station)
            #expect(try await repository.station(mn: Self.identity.mn) == Self.station)
            #expect(try await StationDirectory(database: db).station(mn: Self.identity.mn) == Self.station)
            #expect(try await OrganisationRepository(database: db).stations() == [Self.station])
            #expect(try await repository.station(mn: "nobody") == nil)

            // And the protocols are stored as the documented text
            let sql = try #require(db as? any SQLDatabase)
            let row = try await sql.raw("SELECT hj212_protocols, hj212_crc_policy FROM stations").first()
            #expect(try row?.decode(column: "hj212_protocols", as: String.self) == "2017,2025")
            #expect(try row?.decode(column: "hj212_crc_policy", as: String.self) == "modbus")
        }
    }

    @Test(arguments: TestDatabase.all)
    func codesAndMNsAreUnique(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, db in
            try await repository.create(Self.station, by: .system("test"))

            // A second station with the same code is refused
            var twin = Self.station
            twin.hj212 = nil
            await #expect(throws: StationRegistryError.duplicateCode("1001A")) {
                try await repository.create(twin, by: .system("test"))
            }

            // A second station with the same MN is refused, naming the holder
            var other = Self.station
            other.code = "1002A"
            await #expect(throws: StationRegistryError.duplicateMN(mn: Self.identity.mn, station: "1001A")) {
                try await repository.create(other, by: .system("test"))
            }
            // ... and so is changing another station's MN to it
            other.hj212 = nil
            try await repository.create(other, by: .system("test"))
            await #expect(throws: StationRegistryError.duplicateMN(mn: Self.identity.mn, station: "1001A")) {
                try await repository.update(
                    code: "1002A",
                    with: StationPatch(hj212: .some(HJ212IdentityPatch(mn: Self.identity.mn, password: "x"))),
                    by: .system("test"))
            }

            // The schema holds it too, whatever path the write takes
            var sneaky = Self.station
            sneaky.code = "1003A"
            await #expect(throws: (any Error).self) { try await repository.upsert(sneaky) }

            // Many stations without a logger are fine (NULL MNs never collide)
            var third = other
            third.code = "1004A"
            try await repository.create(third, by: .system("test"))
            #expect(try await repository.stations().map(\.code) == ["1001A", "1002A", "1004A"])
            _ = db
        }
    }

    @Test(arguments: TestDatabase.all)
    func invalidStationsAreRefusedWithEveryProblem(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, _ in
            var bad = Self.station
            bad.regionCode = "999999"
            bad.responsibleUnitCode = "NOBODY"
            bad.pollutants = [ReportedPollutant(code: "a34004", unit: "C"), ReportedPollutant(code: "x1", unit: "-")]
            var problems: [FieldProblem] = []
            do {
                try await repository.create(bad, by: .system("test"))
                Issue.record("created an invalid station")
            } catch StationRegistryError.invalid(let found) {
                problems = found
            }
            #expect(problems.map(\.field) == ["pollutants[0]", "pollutants[1]", "regionCode", "responsibleUnitCode"])
            #expect(problems.first?.message.contains("不能换算") == true)
            #expect(try await repository.stations().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func partialUpdateChangesOnlyWhatItNames(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, _ in
            try await repository.create(Self.station, by: .system("test"))

            // When only the status and the CRC policy change
            let updated = try await repository.update(
                code: "1001A",
                with: StationPatch(status: .maintenance, hj212: .some(HJ212IdentityPatch(crcPolicy: .either))),
                by: .system("test"))

            // Then the rest, password and pollutants included, is as it was
            var expected = Self.station
            expected.status = .maintenance
            expected.hj212?.crcPolicy = .either
            #expect(updated == expected)
            #expect(try await repository.station(code: "1001A") == expected)

            // When the pollutant list is replaced and the identity and region removed
            let replaced = try await repository.update(
                code: "1001A",
                with: StationPatch(
                    regionCode: .some(nil), hj212: .some(nil),
                    pollutants: [ReportedPollutant(code: "a05024", unit: "mg/m3")]), by: .system("test"))
            #expect(replaced.hj212 == nil)
            #expect(replaced.regionCode == nil)
            #expect(
                try await repository.station(code: "1001A")?.pollutants == [
                    ReportedPollutant(code: "a05024", unit: "mg/m3")
                ])
            #expect(try await repository.station(mn: Self.identity.mn) == nil)

            // An unknown station is reported as such
            await #expect(throws: StationRegistryError.notFound("NOPE")) {
                try await repository.update(code: "NOPE", with: StationPatch(name: "x"), by: .system("test"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func filtersByKindStatusAndRegion(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, _ in
            let coordinate = Coordinate(longitude: 116.4, latitude: 39.9)
            try await repository.create(Self.station, by: .system("test"))
            try await repository.create(
                Station(code: "M1", name: "微站1", kind: .micro, coordinate: coordinate, status: .maintenance),
                by: .system("test"))
            try await repository.create(
                Station(code: "M2", name: "微站2", kind: .micro, coordinate: coordinate, regionCode: "110000"),
                by: .system("test"))
            #expect(try await repository.stations(.init(kind: .micro)).map(\.code) == ["M1", "M2"])
            #expect(try await repository.stations(.init(status: .active)).map(\.code) == ["1001A", "M2"])
            #expect(try await repository.stations(.init(kind: .micro, regionCode: "110000")).map(\.code) == ["M2"])
            #expect(try await repository.stations(.init(regionCode: "110000")).first?.pollutants.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAStationDeletesItsPollutants(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, db in
            try await repository.create(Self.station, by: .system("test"))
            #expect(try await repository.delete(code: "1001A"))
            let sql = try #require(db as? any SQLDatabase)
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM station_pollutants").first()?.decode(
                column: "n", as: Int.self)
            #expect(count == 0)
            #expect(try await repository.delete(code: "1001A") == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anIdentityIsAllOrNothingInTheSchema(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, db in
            var bare = Self.station
            bare.hj212 = nil
            try await repository.create(bare, by: .system("test"))
            let sql = try #require(db as? any SQLDatabase)
            // An MN without a password violates the CHECK
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE stations SET hj212_mn = 'X' WHERE code = '1001A'").run()
            }
            // An unknown CRC policy too
            await #expect(throws: (any Error).self) {
                try await sql.raw(
                    """
                    UPDATE stations SET hj212_mn = 'X', hj212_password = 'p', hj212_protocols = '2017',
                    hj212_crc_policy = 'crc32', hj212_tolerant = \(unsafeRaw: "true") WHERE code = '1001A'
                    """
                ).run()
            }
            #expect(try await repository.station(code: "1001A")?.hj212 == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func importInsertsUpdatesNameAndCoordinatesOnlyAndIsIdempotent(database: TestDatabase) async throws {
        try await withRegistry(database) { repository, _ in
            // Given a registered station with a region and an identity
            try await repository.create(Self.station, by: .system("test"))
            let list = [
                Station(
                    code: "1001A", name: "万寿西宫（新）", kind: .national,
                    coordinate: Coordinate(longitude: 116.3622, latitude: 39.8784),
                    pollutants: NationalStationList.aqiPollutants),
                Station(
                    code: "1002A", name: "定陵", kind: .national,
                    coordinate: Coordinate(longitude: 116.2202, latitude: 40.2915),
                    pollutants: NationalStationList.aqiPollutants),
            ]

            // A dry run says what would happen and writes nothing
            let preview = try await repository.importStations(list, dryRun: true, by: .system("test"))
            #expect(preview == StationImportSummary(inserted: ["1002A"], updated: ["1001A"]))
            #expect(try await repository.stations().count == 1)

            // When imported
            #expect(try await repository.importStations(list, by: .system("test")) == preview)

            // Then the existing station kept everything but its name and coordinates
            var expected = Self.station
            expected.name = "万寿西宫（新）"
            expected.coordinate.longitude = 116.3622
            #expect(try await repository.station(code: "1001A") == expected)
            #expect(try await repository.station(code: "1002A")?.pollutants == NationalStationList.aqiPollutants)

            // And a second run changes nothing
            #expect(
                try await repository.importStations(list, by: .system("test"))
                    == StationImportSummary(unchanged: ["1001A", "1002A"]))
        }
    }

    // MARK: Helpers

    /// A migrated database with the Beijing city region, and a repository on it.
    private func withRegistry(
        _ database: TestDatabase, _ body: (StationRepository, any Database) async throws -> Void
    ) async throws {
        try await database.withFreshDatabase { location in
            let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
            databases.use(try location.configurationFactory(maxConnectionsPerEventLoop: 2), as: location.databaseID)
            let migrations = Migrations()
            migrations.add(LantianMigrations.all)
            let logger = Logger(label: "lantian.test.stations")
            let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
            let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoop)
            let db = databases.database(logger: logger, on: eventLoop)!
            do {
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
                try await OrganisationRepository(database: db).upsert(Self.city)
                try await body(StationRepository(database: db), db)
            } catch {
                await databases.shutdownAsync()
                throw error
            }
            await databases.shutdownAsync()
        }
    }
}
