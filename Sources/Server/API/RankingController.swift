import AirQuality
import Campaign
import Foundation
import Ingest
import Store
import Vapor

/// `GET /api/v1/rankings/regions?level=`: the regions of one level side by side for the command dashboard
/// and the public page — the latest hourly AQI (实时), this month so far (月初至今 PM2.5 mean of the valid
/// daily means, with how many days were valid) and the change on the same days of last year. Public data.
///
/// This is the dashboard's at-a-glance table, not the assessment: the monthly assessment ranking by the
/// composite index (HJ 663) is computed by the assessment code from complete months.
struct RankingController {
    func register(on routes: any RoutesBuilder) {
        routes.get("rankings", "regions", use: regions)
    }

    struct Row: Content {
        var code: String
        var name: String
        var stations: Int
        var hour: String?
        var aqi: Int?
        var category: String?
        var colour: String?
        var primaryPollutants: [String]
        var monthPM25: Double?
        var monthValidDays: Int
        var monthDays: Int
        var monthRank: Int?
        var monthTied: Bool
        var lastYearPM25: Double?
        var changePercent: Double?
        var note: String?
    }

    struct Answer: Content {
        var level: String
        var levelName: String
        var monthFrom: String
        var monthTo: String
        var rows: [Row]
    }

    @Sendable func regions(_ request: Request) async throws -> Answer {
        let repository = OrganisationRepository(database: request.db)
        let regions = try await repository.regions()
        let stations = try await repository.stations()
        let stationRegions = Set(stations.compactMap(\.regionCode))
        // Default level: the finest level at which regions hold stations.
        let levels = Set(regions.filter { stationRegions.contains($0.code) }.map(\.level))
        let level: RegionLevel
        if let text = request.query[String.self, at: "level"] {
            guard let parsed = RegionLevel(rawValue: text) else {
                throw InvalidFieldsError(problems: [
                    FieldProblem(
                        field: "level",
                        message: "层级“\(text)”无效，可用：" + RegionLevel.allCases.map(\.rawValue).joined(separator: ",")
                            + " / unknown level")
                ])
            }
            level = parsed
        } else {
            level = levels.max { $0.rank < $1.rank } ?? .county
        }
        let now = request.application.ledger.now  // the application's clock (tests move it)
        let today = CalendarDay(containing: Date(timeIntervalSince1970: TimeInterval(now)))
        let monthStart = CalendarDay(String(format: "%04d-%02d-01", today.year, today.month))!
        let from = Int64(monthStart.start.timeIntervalSince1970)
        let to = Int64(today.start.timeIntervalSince1970)  // complete days only
        let monthDays = max(0, monthStart.days(until: today))
        let queries = ReadingQueries(database: request.db)
        var rows: [Row] = []
        for region in regions where region.level == level {
            let codes = try await queries.stations(inRegion: region.code)
            guard !codes.isEmpty else { continue }
            var row = Row(
                code: region.code, name: region.name, stations: codes.count, primaryPollutants: [], monthValidDays: 0,
                monthDays: monthDays, monthTied: false)
            let hours = try await queries.regionHourly(stations: codes, from: now - 3 * 3600, to: now)
            if let latest = hours.last(where: { $0.aqi?.aqi != nil }), let aqi = latest.aqi {
                row.hour = ISO8601Time.format(latest.hourStart)
                row.aqi = aqi.aqi
                let aqiLevel = aqi.level.flatMap(AQILevel.init(rawValue:))
                row.category = aqiLevel?.chineseCategory
                row.colour = aqiLevel?.colour.hex
                row.primaryPollutants = aqi.primaryPollutants
            }
            if monthDays > 0 {
                let month = try await Self.pm25Means(queries.regionDaily(stations: codes, from: from, to: to))
                row.monthValidDays = month.count
                row.monthPM25 = month.isEmpty ? nil : Self.mean(month)
                // The same days a year earlier.
                let lastFrom = Self.yearEarlier(monthStart)
                let lastTo = Self.yearEarlier(today)
                let last = try await Self.pm25Means(
                    queries.regionDaily(
                        stations: codes, from: Int64(lastFrom.start.timeIntervalSince1970),
                        to: Int64(lastTo.start.timeIntervalSince1970)))
                if !last.isEmpty, let now = row.monthPM25 {
                    let base = Self.mean(last)
                    row.lastYearPM25 = base
                    row.changePercent = base > 0 ? GBT8170.rounded((now - base) / base * 100, decimals: 1) : nil
                } else {
                    row.note = "无去年同期数据 / no data for the same days last year"
                }
            }
            rows.append(row)
        }
        let ranked = Ranking.rank(
            rows.map { row in
                RankingCandidate(
                    id: row.code,
                    value: row.monthPM25.map { .success($0) }
                        ?? .failure(.insufficientData(statistic: "PM2.5", valid: 0, required: 1)))
            }, decimals: 1)
        let byCode = Dictionary(uniqueKeysWithValues: ranked.map { ($0.id, $0) })
        for index in rows.indices {
            rows[index].monthRank = byCode[rows[index].code]?.rank
            rows[index].monthTied = byCode[rows[index].code]?.isTied ?? false
        }
        rows.sort { ($0.monthRank ?? Int.max, $0.code) < ($1.monthRank ?? Int.max, $1.code) }
        return Answer(
            level: level.rawValue, levelName: level.displayName, monthFrom: monthStart.description,
            monthTo: today.adding(days: -1).description, rows: rows)
    }

    static func pm25Means(_ days: [DailyRecord]) -> [Double] {
        days.compactMap { day in day.values.first { $0.code == "a34004" }?.mean }
    }

    /// The mean, rounded as published (GB/T 8170, to 0.1 μg/m³): the figure shown is the figure ranked.
    static func mean(_ values: [Double]) -> Double {
        GBT8170.rounded(values.reduce(0, +) / Double(values.count), decimals: 1)
    }

    static func yearEarlier(_ day: CalendarDay) -> CalendarDay {
        let last = CalendarDay.days(inMonth: day.month, year: day.year - 1)
        return CalendarDay(String(format: "%04d-%02d-%02d", day.year - 1, day.month, min(day.day, last)))!
    }
}
