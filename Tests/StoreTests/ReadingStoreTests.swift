import AirQuality
import FluentKit
import Ingest
import LantianTestSupport
import Logging
import Testing

@testable import Store

/// Raw readings, idempotency, roll-ups and queries on SQLite and PostgreSQL.
@Suite("Readings")
struct ReadingStoreTests {
    /// 2024-01-05 00:00 China time (2024-01-04T16:00:00Z).
    static let day: Int64 = 1_704_384_000

    static func hour(_ station: String, _ code: String, _ hour: Int, _ value: Double?, flag: String = "N") -> Reading {
        Reading(
            stationCode: station, code: code, period: .hour, time: day + Int64(hour) * 3600, value: value, flag: flag,
            source: .http)
    }

    /// A full hour of the six AQI pollutants with PM2.5 = `pm25`.
    static func aqiHour(_ station: String, _ hour: Int, pm25: Double) -> [Reading] {
        [
            Self.hour(station, "a34004", hour, pm25), Self.hour(station, "a34002", hour, pm25 * 1.4),
            Self.hour(station, "a21026", hour, 8), Self.hour(station, "a21004", hour, 45),
            Self.hour(station, "a21005", hour, 1.2), Self.hour(station, "a05024", hour, 20),
        ]
    }

    @Test(arguments: TestDatabase.all)
    func storesOnceAndNeverChangesARawReading(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let writer = ReadingWriter(database: db)
            let first = [Self.hour("1001A", "a34004", 8, 75), Self.hour("1001A", "a34002", 8, 120)]
            #expect(try await writer.insert([first], receivedAt: 1) == [StoreOutcome(inserted: 2, duplicates: 0)])

            // A re-send, even with a changed value, is a duplicate and leaves the stored row alone.
            let resend = [Self.hour("1001A", "a34004", 8, 999), Self.hour("1001A", "a21026", 8, 9)]
            #expect(try await writer.insert([resend], receivedAt: 2) == [StoreOutcome(inserted: 1, duplicates: 1)])

            let stored = try await ReadingQueries(database: db).readings(
                station: "1001A", period: .hour, from: Self.day, to: Self.day + 86_400)
            #expect(stored.count == 3)
            #expect(stored.first { $0.code == "a34004" }?.value == 75)

            // Several callers in one transaction each get their own outcome.
            let outcomes = try await writer.insert(
                [[Self.hour("1006A", "a34004", 8, 60)], first, [Self.hour("1005A", "a34004", 8, 50)]], receivedAt: 3)
            #expect(outcomes.map(\.inserted) == [1, 0, 1])

            // A re-send queued behind its original in the same commit is the duplicate, not the original;
            // a row repeated inside one batch is stored once.
            let a = Self.hour("1001A", "a34004", 9, 70)
            let b = Self.hour("1001A", "a34002", 9, 110)
            let c = Self.hour("1001A", "a21026", 9, 7)
            let sameCommit = try await writer.insert([[a, b], [b, c], [a], [c, c]], receivedAt: 4)
            #expect(
                sameCommit == [
                    StoreOutcome(inserted: 2, duplicates: 0), StoreOutcome(inserted: 1, duplicates: 1),
                    StoreOutcome(inserted: 0, duplicates: 1), StoreOutcome(inserted: 0, duplicates: 2),
                ])
        }
    }

    @Test(arguments: TestDatabase.all)
    func rollsUpHoursAndDaysWithTheAQIOfTheStandards(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let writer = ReadingWriter(database: db)
            // 1001A: 24 full hours. 1006A: only 19 hours, one short of GB 3095's 20 for a daily mean.
            let full = (0..<24).flatMap { Self.aqiHour("1001A", $0, pm25: Double(40 + $0 * 5)) }
            let short = (0..<19).flatMap { Self.aqiHour("1006A", $0, pm25: 80) }
            _ = try await writer.insert([full, short], receivedAt: 1)
            let progress = try await Rollup(database: db).runUntilIdle()
            #expect(progress.stationHours == 43)

            let queries = ReadingQueries(database: db)
            let hours = try await queries.hourly(station: "1001A", from: Self.day, to: Self.day + 86_400)
            #expect(hours.count == 24)
            // Hour 20 (20:00–21:00, labelled 21:00): PM2.5 140 → IAQI per HJ 633 Table 1, identical to the engine.
            let h20 = try #require(hours.first { $0.hourStart == Self.day + 20 * 3600 })
            let expected = AQICalculator.compute(
                AQIInput(so2: 8, no2: 45, co: 1.2, o3OneHour: 20, pm10: 196, pm25: 140), mode: .realtime,
                labelledAt: ChinaDateTime(secondsSinceEpoch: Self.day + 21 * 3600))
            #expect(h20.aqi?.aqi == expected.aqi)
            #expect(h20.aqi?.primaryPollutants == ["PM2.5"])
            #expect(h20.values.first { $0.code == "a34004" }?.value == 140)

            let days = try await queries.daily(station: "1001A", from: Self.day, to: Self.day + 86_400)
            let pm25 = try #require(days.first?.values.first { $0.code == "a34004" })
            #expect(pm25.hours == 24)
            let hourly: [Double] = (0..<24).map { Double(40 + $0 * 5) }
            let expectedMean: Double = hourly.reduce(0, +) / 24
            #expect(pm25.mean == expectedMean)
            #expect(pm25.maxOneHour == 155)
            #expect(days.first?.aqi?.aqi != nil)

            let shortDay = try await queries.daily(station: "1006A", from: Self.day, to: Self.day + 86_400)
            let shortPM = try #require(shortDay.first?.values.first { $0.code == "a34004" })
            #expect(shortPM.hours == 19)
            #expect(shortPM.mean == nil, "19 valid hours are not a daily mean (GB 3095-2012 Table 4)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func flaggedValuesAreStoredButKeptOutOfAverages(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let writer = ReadingWriter(database: db)
            // Minute data: 60 values, 20 of them in calibration (C) at 500 µg/m³.
            let minutes = (0..<60).map { minute in
                Reading(
                    stationCode: "1001A", code: "a34004", period: .minute, time: Self.day + Int64(minute) * 60,
                    value: minute < 20 ? 500 : 30, flag: minute < 20 ? "C" : "N", source: .hj212)
            }
            // An hour with only 30 minutes of normal data is not a valid hour (GB 3095-2012 Table 4: ≥ 45 min).
            let halfHour = (0..<30).map { minute in
                Reading(
                    stationCode: "1006A", code: "a34004", period: .minute, time: Self.day + Int64(minute) * 60,
                    value: 30, source: .hj212)
            }
            _ = try await writer.insert([minutes, halfHour], receivedAt: 1)
            try await Rollup(database: db).runUntilIdle()
            let queries = ReadingQueries(database: db)

            let raw = try await queries.readings(station: "1001A", period: .minute, from: Self.day, to: Self.day + 3600)
            #expect(raw.count == 60)
            #expect(raw.filter { $0.flag == "C" }.count == 20)

            let hour = try #require(
                try await queries.hourly(station: "1001A", from: Self.day, to: Self.day + 3600).first?.values.first)
            #expect(hour.value == 30)
            #expect(hour.samples == 40)
            #expect(!hour.valid, "40 normal minutes (:20–:59) cover 40 min, short of 45 (GB 3095-2012 Table 4)")
            let half = try #require(
                try await queries.hourly(station: "1006A", from: Self.day, to: Self.day + 3600).first?.values.first)
            #expect(!half.valid)
            #expect(half.basis == .minute)
        }
    }

    @Test(arguments: TestDatabase.all)
    func lateDataAndTheHourBasisWinOverMinutes(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let writer = ReadingWriter(database: db)
            let minutes = (0..<60).map { minute in
                Reading(
                    stationCode: "1001A", code: "a34004", period: .minute, time: Self.day + Int64(minute) * 60,
                    value: 50, source: .hj212)
            }
            _ = try await writer.insert([minutes], receivedAt: 1)
            try await Rollup(database: db).runUntilIdle()
            let queries = ReadingQueries(database: db)
            var hour = try #require(
                try await queries.hourly(station: "1001A", from: Self.day, to: Self.day + 3600).first?.values.first)
            #expect(hour.basis == .minute)
            #expect(hour.valid)

            // The analyser's own hourly value arrives later and replaces the minute mean.
            _ = try await writer.insert([[Self.hour("1001A", "a34004", 0, 48)]], receivedAt: 2)
            #expect(try await Rollup(database: db).pendingCount() == 1)
            try await Rollup(database: db).runUntilIdle()
            hour = try #require(
                try await queries.hourly(station: "1001A", from: Self.day, to: Self.day + 3600).first?.values.first)
            #expect(hour.basis == .hour)
            #expect(hour.value == 48)

            // Back-filling the rest of the day completes the daily mean.
            let backfill = (1..<24).map { Self.hour("1001A", "a34004", $0, 48) }
            _ = try await writer.insert([backfill], receivedAt: 3)
            try await Rollup(database: db).runUntilIdle()
            let day = try await queries.daily(station: "1001A", from: Self.day, to: Self.day + 86_400)
            #expect(day.first?.values.first { $0.code == "a34004" }?.mean == 48)
        }
    }

    @Test(arguments: TestDatabase.all)
    func latestValuesMoveForwardOnlyAndEmissionMonitorsGetNoAQI(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let writer = ReadingWriter(database: db)
            _ = try await writer.insert([[Self.hour("1001A", "a34004", 10, 70)]], receivedAt: 1)
            _ = try await writer.insert([[Self.hour("1001A", "a34004", 9, 60)]], receivedAt: 2)
            _ = try await writer.insert([Self.aqiHour("CEMS1", 9, pm25: 20)], receivedAt: 3)
            try await Rollup(database: db).runUntilIdle()
            let queries = ReadingQueries(database: db)
            let latest = try await queries.latestValues()
            #expect(latest.first { $0.stationCode == "1001A" }?.value == 70)
            #expect(latest.filter { $0.stationCode == "CEMS1" }.count == 6)
            let aqi = try await queries.latestAQI()
            #expect(aqi.map(\.stationCode) == ["1001A"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func regionValuesAreMeansOfStationConcentrations(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let writer = ReadingWriter(database: db)
            _ = try await writer.insert(
                [
                    Self.aqiHour("1001A", 8, pm25: 100), Self.aqiHour("1006A", 8, pm25: 200),
                    Self.aqiHour("1005A", 8, pm25: 10),
                ],
                receivedAt: 1)
            try await Rollup(database: db).runUntilIdle()
            let queries = ReadingQueries(database: db)
            let xicheng = try await queries.stations(inRegion: "110102")
            #expect(xicheng == ["1001A", "1006A"])
            #expect(try await queries.stations(inRegion: "110000") == ["1001A", "1005A", "1006A"])
            let region = try await queries.regionHourly(stations: xicheng, from: Self.day, to: Self.day + 86_400)
            let pm25 = try #require(region.first?.values.first { $0.code == "a34004" })
            #expect(pm25.value == 150)
            #expect(pm25.samples == 2)
            // The region AQI is the AQI of the mean concentration (150 → IAQI 200), not the mean AQI.
            let expected = AQICalculator.compute(
                AQIInput(so2: 8, no2: 45, co: 1.2, o3OneHour: 20, pm10: 210, pm25: 150), mode: .realtime,
                labelledAt: ChinaDateTime(secondsSinceEpoch: Self.day + 9 * 3600))
            #expect(region.first?.aqi?.aqi == expected.aqi)
        }
    }

    @Test(arguments: TestDatabase.all)
    func groupCommitAnswersEveryCallerAfterCommit(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let store = ReadingStore(
                database: db, configuration: .init(rollupInterval: .milliseconds(50)),
                logger: Logger(label: "test"), clock: { 1_704_400_000 })
            let runner = Task { await store.run() }
            // The loop starts on its own task: callers before it would be told the writer is not running.
            while !store.isRunning { try await Task.sleep(for: .milliseconds(1)) }
            let outcomes = try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
                for hour in 0..<24 {
                    for station in ["1001A", "1006A", "1005A"] {
                        group.addTask { try await store.store(Self.aqiHour(station, hour, pm25: 35)) }
                    }
                }
                var all: [StoreOutcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.count == 72)
            #expect(outcomes.reduce(StoreOutcome(), +) == StoreOutcome(inserted: 432, duplicates: 0))
            // The same data again: all duplicates.
            let again = try await store.store(Self.aqiHour("1001A", 3, pm25: 35))
            #expect(again == StoreOutcome(inserted: 0, duplicates: 6))
            // A reading for a station that does not exist fails alone; its neighbours are stored.
            let bad = Task { try await store.store([Self.hour("NOPE", "a34004", 1, 1)]) }
            let good = Task { try await store.store([Self.hour("1001A", "a01001", 1, -3)]) }
            await #expect(throws: (any Error).self) { try await bad.value }
            #expect(try await good.value.inserted == 1)
            // The loop rolls up by itself (waiting up to 30 s: a loaded CI machine is slow, not wrong).
            let rollup = Rollup(database: db)
            for _ in 0..<600 where try await rollup.pendingCount() > 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await rollup.pendingCount() == 0)
            #expect(try await ReadingQueries(database: db).latestAQI().count == 3)
            runner.cancel()
            await runner.value
            await #expect(throws: ReadingStoreError.self) { try await store.store(Self.aqiHour("1001A", 5, pm25: 1)) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func otherWritesRunOnTheWriterBetweenCommits(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await seedStations(db)
            let store = ReadingStore(database: db, logger: Logger(label: "test"), clock: { 1_704_400_000 })
            // Not running: the job runs at once.
            #expect(try await store.exclusively { 41 + 1 } == 42)
            let runner = Task { await store.run() }
            // The loop starts on its own task: callers before it would be told the writer is not running.
            while !store.isRunning { try await Task.sleep(for: .milliseconds(1)) }
            // Running: jobs and commits interleave, each job sees the commits before it, and a failing
            // job fails alone.
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for hour in 0..<12 {
                    group.addTask { try await store.store(Self.aqiHour("1001A", hour, pm25: 35)).inserted }
                    group.addTask {
                        try await store.exclusively {
                            try await ReadingQueries(database: db).readings(
                                station: "1001A", period: .hour, from: 0, to: .max
                            ).count >= 0 ? -1 : -2
                        }
                    }
                }
                var all: [Int] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.filter { $0 == -1 }.count == 12)
            #expect(results.filter { $0 > 0 }.reduce(0, +) == 72)
            struct Refused: Error {}
            await #expect(throws: Refused.self) { try await store.exclusively { () throws -> Int in throw Refused() } }
            #expect(try await store.store(Self.aqiHour("1001A", 12, pm25: 35)).inserted == 6)
            runner.cancel()
            await runner.value
        }
    }
}
