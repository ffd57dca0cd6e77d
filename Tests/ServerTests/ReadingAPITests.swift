import Foundation
import Ingest
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `POST /api/v1/readings` and the query API, on the demo stations, SQLite and PostgreSQL.
@Suite("Readings API")
struct ReadingAPITests {
    /// 2024-01-05 08:00 China time.
    static let hour = "2024-01-05T08:00:00+08:00"

    static func row(
        _ station: String = "1001A", _ code: String, _ value: Any?, time: String = hour, period: String = "hour",
        flag: String? = nil, unit: String? = nil
    ) -> [String: Any] {
        var row: [String: Any] = ["station": station, "time": time, "code": code, "period": period]
        if let value { row["value"] = value }
        if let flag { row["flag"] = flag }
        if let unit { row["unit"] = unit }
        return row
    }

    static func body(_ rows: [[String: Any]]) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: rows))
    }

    @Test(arguments: TestDatabase.all)
    func aPartlyBadBatchStoresTheGoodRowsAndNamesEachBadOne(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, metrics in
            let rows: [[String: Any]] = [
                Self.row("1001A", "a34004", 75),
                Self.row("1001A", "a21005", 1200, unit: "ug/m3"),  // converted to 1.2 mg/m³
                Self.row("1001A", "a34002", "120"),  // a number as text, from a spreadsheet
                Self.row("NOPE", "a34004", 10),  // unknown station
                Self.row("1001A", "x00000", 10),  // unknown code
                Self.row("1001A", "a34004", -5, time: "2024-01-05T09:00:00+08:00"),  // negative
                Self.row("1001A", "a34004", 10, time: "2024-01-05T08:30:00+08:00"),  // not an hour start
                Self.row("1001A", "a34004", 10, time: "2099-01-01T00:00:00+08:00"),  // in the future
                Self.row("1001A", "a34004", 10, time: "2024-01-05 08:00"),  // no offset
                ["station": "1001A", "code": "a34004", "period": "hour"],  // no time
                Self.row("1001A", "a34004", nil, time: "2024-01-05T10:00:00+08:00", flag: "D"),  // fault, no value
            ]
            try await app.signedIn().test(
                .POST, "api/v1/readings", headers: ["Content-Type": "application/json"], body: try Self.body(rows)
            ) { response async throws in
                #expect(response.status == .ok)
                let result = try JSONDecoder().decode(ReadingController.IngestResponse.self, from: response.body)
                #expect(result.received == 11)
                #expect(result.accepted == 4)
                #expect(result.inserted == 4)
                #expect(result.rejected.map(\.index) == [3, 4, 5, 6, 7, 8, 9])
                #expect(
                    result.rejected.map(\.kind) == [
                        "unknown_station", "unknown_code", "negative", "bad_time", "in_future", "bad_time",
                        "missing_field",
                    ])
                #expect(result.rejected.allSatisfy { !$0.reason.isEmpty })
            }
            // The same batch again: nothing new, the same rejections.
            try await app.signedIn().test(
                .POST, "api/v1/readings", headers: ["Content-Type": "application/json"], body: try Self.body(rows)
            ) { response async throws in
                let result = try JSONDecoder().decode(ReadingController.IngestResponse.self, from: response.body)
                #expect(result.inserted == 0)
                #expect(result.duplicates == 4)
            }
            // Raw readings come back with their flags; CO was converted to mg/m³.
            try await app.signedIn().test(
                .GET,
                "api/v1/stations/1001A/readings?period=hour&from=2024-01-05T00:00:00%2B08:00&to=2024-01-06T00:00:00%2B08:00"
            ) { response async throws in
                #expect(response.status == .ok)
                let result = try JSONDecoder().decode(ReadingController.ReadingsResponse.self, from: response.body)
                #expect(result.readings.count == 4)
                #expect(result.readings.first { $0.code == "a21005" }?.value == 1.2)
                let fault = try #require(result.readings.first { $0.flag == "D" })
                #expect(fault.value == nil)
                #expect(fault.flagName == "故障")
                #expect(fault.time == "2024-01-05T10:00:00+08:00")
            }
            let exposition = metrics.exposition()
            #expect(exposition.contains(#"lantian_ingest_rejected_total{source="http",reason="unknown_station"} 2"#))
            #expect(exposition.contains(#"lantian_ingest_values_total{outcome="duplicate"} 4"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func badRequestsAreRefusedWithAReason(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            try await app.signedIn().test(
                .POST, "api/v1/readings", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"station":"1001A"}"#)
            ) { response async in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("JSON"))
            }
            try await app.signedIn().test(
                .POST, "api/v1/readings", headers: ["Content-Type": "application/json"],
                body: try Self.body([Self.row("NOPE", "a34004", 1)])
            ) { response async in
                #expect(response.status == .unprocessableEntity)
            }
            try await app.signedIn().test(.GET, "api/v1/stations/1001A/readings?period=week") { response async in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("period"))
            }
            try await app.signedIn().test(.GET, "api/v1/stations/1001A/aqi?from=yesterday") { response async in
                #expect(response.status == .badRequest)
            }
            try await app.signedIn().test(.GET, "api/v1/stations/NOPE/aqi") { response async in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aqiPerStationAndRegionAndLatestValues(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            // Two Chaoyang stations (1005A 农展馆, 1011A 奥体中心) with PM2.5 100 and 200 at 08:00–09:00.
            var rows: [[String: Any]] = []
            for (station, pm25) in [("1005A", 100.0), ("1011A", 200.0)] {
                rows += [
                    Self.row(station, "a34004", pm25), Self.row(station, "a34002", pm25),
                    Self.row(station, "a21026", 5),
                    Self.row(station, "a21004", 30), Self.row(station, "a21005", 0.8), Self.row(station, "a05024", 40),
                ]
            }
            try await app.signedIn().test(
                .POST, "api/v1/readings", headers: ["Content-Type": "application/json"], body: try Self.body(rows)
            ) { response async in
                #expect(response.status == .ok)
            }
            try await Rollup(database: app.db).runUntilIdle()
            let range = "from=2024-01-05T00:00:00%2B08:00&to=2024-01-06T00:00:00%2B08:00"
            try await app.signedIn().test(.GET, "api/v1/stations/1011A/aqi?\(range)") { response async throws in
                let result = try JSONDecoder().decode(ReadingController.AQISeriesResponse.self, from: response.body)
                let item = try #require(result.items.first)
                #expect(item.end == "2024-01-05T09:00:00+08:00")
                #expect(item.aqi?.aqi == 250)  // PM2.5 200 µg/m³ → IAQI 250 (HJ 633-2012 Table 1)
                #expect(item.aqi?.category == "重度污染")
                #expect(item.aqi?.primaryPollutants == ["PM2.5"])
            }
            try await app.signedIn().test(.GET, "api/v1/regions/110105/aqi?\(range)") { response async throws in
                #expect(response.status == .ok)
                let result = try JSONDecoder().decode(ReadingController.AQISeriesResponse.self, from: response.body)
                let item = try #require(result.items.first)
                #expect(item.values.first { $0.code == "a34004" }?.value == 150)
                #expect(item.aqi?.aqi == 200)  // the AQI of the mean concentration, not the mean of 150 and 250
            }
            try await app.signedIn().test(.GET, "api/v1/regions/999999/aqi") { response async in
                #expect(response.status == .notFound)
            }
            try await app.signedIn().test(.GET, "api/v1/latest") { response async throws in
                let stations = try JSONDecoder().decode(
                    [ReadingController.LatestStationResponse].self, from: response.body)
                #expect(stations.count == 12)
                let aoti = try #require(stations.first { $0.station == "1011A" })
                #expect(aoti.aqi?.aqi == 250)
                #expect(aoti.values.count == 6)
                #expect(stations.first { $0.station == "1001A" }?.aqi == nil)
            }
        }
    }
}
