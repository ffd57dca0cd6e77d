import Foundation
import Ingest
import LantianTestSupport
import Store
import Testing
import Vapor

@testable import Server

/// `lantian import` minus the terminal: real UCI and CNEMC files into the demo stations.
@Suite("Reading import")
struct ReadingImporterTests {
    static let now: Int64 = 1_800_000_000

    static func fixture(_ path: String) -> String {
        RepositoryPaths.fixtures.appendingPathComponent(path).path
    }

    @Test(arguments: TestDatabase.all)
    func beijingFilesImportOnceAndRollUp(database: TestDatabase) async throws {
        // As `lantian import` runs it: without the server's writer loop, so the importer rolls up itself.
        try await withLantian(on: database, demo: true, services: false) { app, _, _ in
            let importer = ReadingImporter(database: app.db, now: Self.now)
            let files = [
                Self.fixture("beijing/PRSA_Data_Aotizhongxin_first60.csv"),
                Self.fixture("beijing/PRSA_Data_Dongsi_first60.csv"),
            ]
            let first = try await importer.run(files, format: .beijing)
            // 2 files × 60 hours × 9 items (6 pollutants + TEMP, PRES, WSPM), minus the NA cells.
            #expect(first.files == 2)
            #expect(first.rows == 120)
            #expect(first.accepted + first.missing == 120 * 9)
            #expect(first.inserted == first.accepted)
            #expect(first.rejected == 0)
            #expect(first.rolledUpStationHours == 120)

            // A re-run stores nothing new.
            let second = try await importer.run(files, format: .beijing)
            #expect(second.inserted == 0)
            #expect(second.duplicates == first.accepted)

            // 2013-03-01 01:00 at 奥体中心 (row "2013,3,1,1": the hour ending 01:00): PM2.5 8, CO 300 µg/m³ → 0.3 mg/m³.
            let start = try ISO8601Time.parse("2013-03-01T00:00:00+08:00").get()
            let readings = try await ReadingQueries(database: app.db).readings(
                station: "1011A", period: .hour, from: start, to: start + 3600)
            #expect(readings.first { $0.code == "a34004" }?.value == 8)
            #expect(readings.first { $0.code == "a21005" }?.value == 0.3)
            #expect(readings.allSatisfy { $0.source == .beijing })
            let hourly = try await ReadingQueries(database: app.db).hourly(
                station: "1011A", from: start - 86_400, to: start + 86_400)
            #expect(hourly.contains { $0.aqi?.aqi != nil })
        }
    }

    @Test(arguments: TestDatabase.all)
    func cnemcReleaseImportsTheDemoStationsAndCountsTheRest(database: TestDatabase) async throws {
        // As `lantian import` runs it: without the server's writer loop, so the importer rolls up itself.
        try await withLantian(on: database, demo: true, services: false) { app, _, _ in
            let importer = ReadingImporter(database: app.db, now: Self.now)
            let summary = try await importer.run([Self.fixture("cnemc/cnemc_20190718T14.csv")], format: .cnemc)
            // Only the 12 Beijing stations are registered in the demo; every other station is counted, not lost.
            #expect(summary.rejectedByReason["unknown_station"] ?? 0 > 1_000)
            #expect(summary.inserted > 0 && summary.inserted <= 12 * 6)
            #expect(summary.examples.count == ReadingImporter.exampleLimit)
            #expect(summary.examples[0].contains("cnemc_20190718T14.csv:"))
            // The hour 13:00–14:00 (TimePoint 14:00) got the published AQI of 万寿西宫.
            let start = try ISO8601Time.parse("2019-07-18T13:00:00+08:00").get()
            let hour = try await ReadingQueries(database: app.db).hourly(
                station: "1001A", from: start, to: start + 3600)
            let text = try String(contentsOfFile: Self.fixture("cnemc/cnemc_20190718T14.csv"), encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.contains(",1001A,") })
            let published = Int(line.split(separator: ",", omittingEmptySubsequences: false)[8])
            #expect(hour.first?.aqi?.aqi == published)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMissingFileIsAClearError(database: TestDatabase) async throws {
        // As `lantian import` runs it: without the server's writer loop, so the importer rolls up itself.
        try await withLantian(on: database, demo: true, services: false) { app, _, _ in
            await #expect(throws: ImportError.self) {
                try await ReadingImporter(database: app.db, now: Self.now).run(["/nonexistent.csv"], format: .readings)
            }
        }
    }
}
