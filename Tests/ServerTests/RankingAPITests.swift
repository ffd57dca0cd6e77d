import Foundation
import Ingest
import LantianTestSupport
import NIOCore
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `GET /api/v1/rankings/regions` on the demo with values posted through the API and the clock set: the
/// regions ranked by this month's PM2.5 so far, ties named, the change on last year, the latest AQI.
@Suite("Region ranking")
struct RankingAPITests {
    /// 2026-11-20 12:00 in China.
    static let noon: Int64 = 1_795_147_200

    static func day(_ station: String, _ day: String, pm25: Double) -> [[String: Any]] {
        (0..<24).map { hour in
            [
                "station": station, "time": String(format: "%@T%02d:00:00+08:00", day, hour), "code": "a34004",
                "period": "hour", "value": pm25,
            ]
        }
    }

    @Test(arguments: TestDatabase.all)
    func regionsRankedByThisMonthWithTheChangeOnLastYear(database: TestDatabase) async throws {
        try await withLantian(on: database, demo: true) { app, _, _ in
            app.ledger.setClock { Self.noon }
            // 西城区 (1001A, 1006A): 40 and 60 on the 19th → 50; last year 100 → −50 %.
            // 朝阳区 (1005A): 80 on the 18th and 19th. 海淀区 (1007A): 50 → tied with 西城区.
            let rows =
                Self.day("1001A", "2026-11-19", pm25: 40) + Self.day("1006A", "2026-11-19", pm25: 60)
                + Self.day("1005A", "2026-11-18", pm25: 80) + Self.day("1005A", "2026-11-19", pm25: 80)
                + Self.day("1007A", "2026-11-19", pm25: 50) + Self.day("1001A", "2025-11-19", pm25: 100)
                + Self.day("1006A", "2025-11-19", pm25: 100)
            try await app.signedIn().test(
                .POST, "api/v1/readings", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: rows))
            ) { response async throws in
                #expect(response.status == .ok, "\(response.body.string)")
            }
            try await Rollup(database: app.db).runUntilIdle()
            try await app.testing().test(.GET, "api/v1/rankings/regions") { response async throws in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(RankingController.Answer.self, from: response.body)
                #expect(answer.level == "county" && answer.monthFrom == "2026-11-01" && answer.monthTo == "2026-11-19")
                let byCode = Dictionary(uniqueKeysWithValues: answer.rows.map { ($0.code, $0) })
                let xicheng = try #require(byCode["110102"])
                #expect(xicheng.monthPM25 == 50 && xicheng.monthValidDays == 1 && xicheng.monthDays == 19)
                #expect(xicheng.lastYearPM25 == 100 && xicheng.changePercent == -50)
                #expect(xicheng.monthRank == 1 && xicheng.monthTied)
                let haidian = try #require(byCode["110108"])
                #expect(haidian.monthRank == 1 && haidian.monthTied && haidian.changePercent == nil)
                #expect(haidian.note?.contains("无去年同期数据") == true)
                let chaoyang = try #require(byCode["110105"])
                #expect(chaoyang.monthPM25 == 80 && chaoyang.monthValidDays == 2 && chaoyang.monthRank == 3)
                // Regions without data follow, unranked.
                #expect(answer.rows.last?.monthRank == nil)
                #expect(answer.rows.prefix(3).compactMap(\.monthRank) == [1, 1, 3])
            }
            try await app.testing().test(.GET, "api/v1/rankings/regions?level=valley") { response async throws in
                #expect(response.status == .unprocessableEntity && response.body.string.contains("level"))
            }
        }
    }
}
