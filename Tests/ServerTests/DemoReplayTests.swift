import Foundation
import Ingest
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

@Suite("Demo replay")
struct DemoReplayTests {
    static let resources = RepositoryPaths.root.appendingPathComponent("Resources").path

    final class Collector: ReadingSink, @unchecked Sendable {
        func store(_ readings: [Reading]) async throws -> StoreOutcome { StoreOutcome(inserted: readings.count) }
    }

    @Test func theSeriesLandsOnTodayKeepingTheHourOfDayAndOnlyCompleteHoursAreDue() throws {
        let replay = try DemoReplay(resourcesDirectory: Self.resources, sink: Collector(), logger: Logger(label: "t"))
        // 12 stations × 14 days × 24 hours × 9 items, minus the file's NA cells.
        #expect(replay.readings.count > 12 * 14 * 24 * 8)
        #expect(replay.readings.allSatisfy { $0.source == .demo })
        // CO arrives in µg/m³ and is stored in mg/m³.
        #expect(replay.readings.filter { $0.code == "a21005" }.allSatisfy { ($0.value ?? 0) < 50 })

        let now = try ISO8601Time.parse("2026-11-22T15:20:00+08:00").get()
        let shift = replay.shift(now: now)
        #expect(shift % 86_400 == 0, "whole days keep the hour of day")
        let (due, next) = replay.due(from: 0, shift: shift, now: now)
        #expect(!due.isEmpty)
        // Nothing whose hour has not ended: the newest due hour is 14:00–15:00.
        #expect(due.map(\.time).max() == now - 20 * 60 - 3600)
        #expect(due.allSatisfy { $0.time + 3600 <= now })
        #expect(next < replay.readings.count)
        // The red-alert days (2016-12-16 … 21) are in the back-filled week.
        #expect(due.contains { $0.code == "a34004" && ($0.value ?? 0) > 300 })
    }

    @Test(arguments: TestDatabase.all)
    func serveDemoHasLiveAQIForEveryStation(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true, demoReplay: true) { app, _, _ in
            let rollup = Rollup(database: app.db)
            var latest: [ReadingController.LatestStationResponse] = []
            for _ in 0..<200 {
                try await app.testing().test(.GET, "api/v1/latest") { response async throws in
                    latest = try JSONDecoder().decode(
                        [ReadingController.LatestStationResponse].self, from: response.body)
                }
                let newest = latest.compactMap(\.aqiHour).max().flatMap { try? ISO8601Time.parse($0).get() } ?? 0
                if latest.allSatisfy({ $0.aqi != nil }), IngestRuntime.now() - newest < 2 * 3600,
                    try await rollup.pendingCount() == 0
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(latest.filter { $0.aqi?.aqi != nil }.count == 12)
            let newest = try #require(latest.compactMap(\.aqiHour).max())
            let hour = try ISO8601Time.parse(newest).get()
            #expect(IngestRuntime.now() - hour < 2 * 3600 + 60, "the newest AQI hour is the last complete hour")
        }
    }
}
