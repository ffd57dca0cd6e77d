import AirQuality
import FluentKit
import Ingest

/// One roll-up hour of one code.
public struct HourlyValueRow: Sendable, Hashable {
    public var code: String
    public var value: Double?
    public var valid: Bool
    public var flag: String
    public var samples: Int
    public var basis: ReadingPeriod
}

/// A station-hour (or region-hour) with its values and AQI. `hourStart` is the period start (epoch s).
public struct HourlyRecord: Sendable, Hashable {
    public var hourStart: Int64
    public var values: [HourlyValueRow]
    public var aqi: StoredAQI?
}

/// One day of one code: the 24-hour mean, hours present, daily maxima.
public struct DailyValueRow: Sendable, Hashable {
    public var code: String
    public var mean: Double?
    public var hours: Int
    public var maxOneHour: Double?
    public var maxEightHour: Double?
}

public struct DailyRecord: Sendable, Hashable {
    /// 00:00 China time of the day (epoch s).
    public var dayStart: Int64
    public var values: [DailyValueRow]
    public var aqi: StoredAQI?
}

/// An AQI as stored by the roll-up (or computed for a region).
public struct StoredAQI: Sendable, Hashable {
    public var aqi: Int?
    public var level: Int?
    /// AQI item codes (`PM2.5`, `O3_8h` …) of the primary pollutants.
    public var primaryPollutants: [String]
    public var missing: [String]
    public var ruleSet: String

    init(result: AQIResult) {
        aqi = result.aqi
        level = result.level?.rawValue
        primaryPollutants = result.primaryPollutants.items.map(\.code)
        missing = result.missing.items.map(\.code)
        ruleSet = result.ruleSet.rawValue
    }

    init?(row: ArraySlice<SQLValue>) {
        let values = Array(row)
        guard values.count == 5, let ruleSet = values[4].string else { return nil }
        aqi = values[0].int.map(Int.init)
        level = values[1].int.map(Int.init)
        primaryPollutants = (values[2].string ?? "").split(separator: ",").map(String.init)
        missing = (values[3].string ?? "").split(separator: ",").map(String.init)
        self.ruleSet = ruleSet
    }
}

/// The newest value of one code at one station.
public struct LatestValue: Sendable, Hashable {
    public var stationCode: String
    public var code: String
    public var period: ReadingPeriod
    public var time: Int64
    public var value: Double?
    public var flag: String
}

/// The newest hourly AQI of a station.
public struct LatestAQI: Sendable, Hashable {
    public var stationCode: String
    public var hourStart: Int64
    public var aqi: StoredAQI
}

/// Reads raw readings and roll-ups.
public struct ReadingQueries: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Most rows one raw query returns.
    public static let maximumRows = 50_000

    /// Raw readings of a station for `period` in [from, to), oldest first; optionally only `codes`.
    public func readings(
        station: String, period: ReadingPeriod, from: Int64, to: Int64, codes: [String] = [], limit: Int = maximumRows
    ) async throws -> [Reading] {
        try await NativeSQL.withSession(database) { session in
            let p = session.placeholder
            var sql =
                "SELECT station_code, period, time, code, value, minimum, maximum, cumulative, converted, flag, source"
                + " FROM readings WHERE station_code = \(p(1)) AND period = \(p(2)) AND time >= \(p(3)) AND time < \(p(4))"
            var binds: [SQLValue] = [.text(station), .text(period.rawValue), .integer(from), .integer(to)]
            if !codes.isEmpty {
                sql += " AND code IN (" + codes.indices.map { p(5 + $0) }.joined(separator: ", ") + ")"
                binds += codes.map(SQLValue.text)
            }
            sql += " ORDER BY time, code LIMIT \(max(1, min(limit, Self.maximumRows)))"
            return try await session.query(sql, binds).compactMap { row -> Reading? in
                guard let stationCode = row[0].string, let period = row[1].string.flatMap(ReadingPeriod.init),
                    let time = row[2].int, let code = row[3].string, let flag = row[9].string,
                    let source = row[10].string.flatMap(ReadingSource.init)
                else { return nil }
                return Reading(
                    stationCode: stationCode, code: code, period: period, time: time, value: row[4].double,
                    minimum: row[5].double, maximum: row[6].double, cumulative: row[7].double,
                    converted: row[8].double, flag: flag, source: source)
            }
        }
    }

    /// Raw readings of every station for `period` with times in [from, ∞), oldest first (the alert
    /// engine's warm start after a restart).
    public func recent(period: ReadingPeriod, from: Int64, limit: Int = 500_000) async throws -> [Reading] {
        try await NativeSQL.withSession(database) { session in
            let p = session.placeholder
            let sql =
                "SELECT station_code, time, code, value, flag, source FROM readings WHERE period = \(p(1)) AND time >= \(p(2))"
                + " ORDER BY time, station_code, code LIMIT \(max(1, limit))"
            return try await session.query(sql, [.text(period.rawValue), .integer(from)]).compactMap {
                row -> Reading? in
                guard let station = row[0].string, let time = row[1].int, let code = row[2].string,
                    let flag = row[4].string, let source = row[5].string.flatMap(ReadingSource.init)
                else { return nil }
                return Reading(
                    stationCode: station, code: code, period: period, time: time, value: row[3].double, flag: flag,
                    source: source)
            }
        }
    }

    /// Hourly roll-ups and AQI of a station for hours starting in [from, to).
    public func hourly(station: String, from: Int64, to: Int64) async throws -> [HourlyRecord] {
        try await NativeSQL.withSession(database) { session in
            let p = session.placeholder
            let binds: [SQLValue] = [.text(station), .integer(from), .integer(to)]
            let values = try await session.query(
                "SELECT hour_start, code, value, valid, flag, samples, basis FROM hourly_values"
                    + " WHERE station_code = \(p(1)) AND hour_start >= \(p(2)) AND hour_start < \(p(3))"
                    + " ORDER BY hour_start, code", binds)
            let aqis = try await session.query(
                "SELECT hour_start, aqi, level, primary_pollutants, missing, rule_set FROM hourly_aqi"
                    + " WHERE station_code = \(p(1)) AND hour_start >= \(p(2)) AND hour_start < \(p(3))", binds)
            var records: [Int64: HourlyRecord] = [:]
            for row in values {
                guard let hour = row[0].int, let code = row[1].string else { continue }
                let value = HourlyValueRow(
                    code: code, value: row[2].double, valid: row[3].bool ?? false, flag: row[4].string ?? "N",
                    samples: Int(row[5].int ?? 0), basis: row[6].string.flatMap(ReadingPeriod.init) ?? .hour)
                records[hour, default: HourlyRecord(hourStart: hour, values: [], aqi: nil)].values.append(value)
            }
            for row in aqis {
                guard let hour = row[0].int else { continue }
                records[hour, default: HourlyRecord(hourStart: hour, values: [], aqi: nil)].aqi = StoredAQI(
                    row: row[1...])
            }
            return records.values.sorted { $0.hourStart < $1.hourStart }
        }
    }

    /// Daily roll-ups and AQI of a station for days starting in [from, to).
    public func daily(station: String, from: Int64, to: Int64) async throws -> [DailyRecord] {
        try await NativeSQL.withSession(database) { session in
            let p = session.placeholder
            let binds: [SQLValue] = [.text(station), .integer(from), .integer(to)]
            let values = try await session.query(
                "SELECT day_start, code, mean, hours, max_one_hour, max_eight_hour FROM daily_values"
                    + " WHERE station_code = \(p(1)) AND day_start >= \(p(2)) AND day_start < \(p(3))"
                    + " ORDER BY day_start, code", binds)
            let aqis = try await session.query(
                "SELECT day_start, aqi, level, primary_pollutants, missing, rule_set FROM daily_aqi"
                    + " WHERE station_code = \(p(1)) AND day_start >= \(p(2)) AND day_start < \(p(3))", binds)
            var records: [Int64: DailyRecord] = [:]
            for row in values {
                guard let day = row[0].int, let code = row[1].string else { continue }
                let value = DailyValueRow(
                    code: code, mean: row[2].double, hours: Int(row[3].int ?? 0), maxOneHour: row[4].double,
                    maxEightHour: row[5].double)
                records[day, default: DailyRecord(dayStart: day, values: [], aqi: nil)].values.append(value)
            }
            for row in aqis {
                guard let day = row[0].int else { continue }
                records[day, default: DailyRecord(dayStart: day, values: [], aqi: nil)].aqi = StoredAQI(row: row[1...])
            }
            return records.values.sorted { $0.dayStart < $1.dayStart }
        }
    }

    /// The newest value per station and code, every station.
    public func latestValues() async throws -> [LatestValue] {
        try await NativeSQL.withSession(database) { session in
            try await session.query(
                "SELECT station_code, code, period, time, value, flag FROM latest_values ORDER BY station_code, code"
            ).compactMap { row in
                guard let station = row[0].string, let code = row[1].string,
                    let period = row[2].string.flatMap(ReadingPeriod.init), let time = row[3].int
                else { return nil }
                return LatestValue(
                    stationCode: station, code: code, period: period, time: time, value: row[4].double,
                    flag: row[5].string ?? "N")
            }
        }
    }

    /// The newest hourly AQI per station.
    public func latestAQI() async throws -> [LatestAQI] {
        try await NativeSQL.withSession(database) { session in
            try await session.query(
                // One index seek per station for its newest hour (a GROUP BY over the whole table read every
                // row: 0.5 s on a year of 1,000 stations against 9 ms this way); MATERIALIZED keeps SQLite
                // from flattening it back into a scan.
                "WITH n AS MATERIALIZED (SELECT s.code AS station_code, (SELECT hour_start FROM hourly_aqi"
                    + " WHERE station_code = s.code ORDER BY hour_start DESC LIMIT 1) AS newest FROM stations s)"
                    + " SELECT h.station_code, h.hour_start, h.aqi, h.level, h.primary_pollutants, h.missing, h.rule_set"
                    + " FROM n JOIN hourly_aqi h ON h.station_code = n.station_code AND h.hour_start = n.newest"
                    + " ORDER BY h.station_code"
            ).compactMap { row in
                guard let station = row[0].string, let hour = row[1].int, let aqi = StoredAQI(row: row[2...]) else {
                    return nil
                }
                return LatestAQI(stationCode: station, hourStart: hour, aqi: aqi)
            }
        }
    }

    // MARK: Regions

    /// The ambient stations in `regionCode` and every region below it.
    public func stations(inRegion regionCode: String) async throws -> [String] {
        try await NativeSQL.withSession(database) { session in
            let regions = try await session.query("SELECT code, parent_code FROM regions")
            var children: [String: [String]] = [:]
            for row in regions {
                guard let code = row[0].string, let parent = row[1].string else { continue }
                children[parent, default: []].append(code)
            }
            var included: Set<String> = [regionCode]
            var stack = [regionCode]
            while let next = stack.popLast() {
                for child in children[next] ?? [] where included.insert(child).inserted { stack.append(child) }
            }
            let stations = try await session.query(
                "SELECT code, region_code FROM stations WHERE kind <> 'source_monitor' AND status <> 'retired'")
            return stations.compactMap { row in
                guard let code = row[0].string, let region = row[1].string, included.contains(region) else {
                    return nil
                }
                return code
            }.sorted()
        }
    }

    /// A region's hourly concentrations and AQI: per hour and code the arithmetic mean of its stations'
    /// valid hourly values (`samples` = stations averaged), then the AQI of those means — never the mean
    /// of station AQIs (HJ 663-2013 点位平均法, STANDARDS §3.5).
    public func regionHourly(stations: [String], from: Int64, to: Int64) async throws -> [HourlyRecord] {
        var byHour: [Int64: [String: [Double]]] = [:]
        for station in stations {
            for record in try await hourly(station: station, from: from, to: to) {
                for value in record.values where value.valid {
                    guard let number = value.value else { continue }
                    byHour[record.hourStart, default: [:]][value.code, default: []].append(number)
                }
            }
        }
        return byHour.keys.sorted().map { hour in
            var input = AQIInput()
            var values: [HourlyValueRow] = []
            for (code, numbers) in (byHour[hour] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let mean = numbers.reduce(0, +) / Double(numbers.count)
                values.append(
                    HourlyValueRow(
                        code: code, value: mean, valid: true, flag: "N", samples: numbers.count, basis: .hour))
                if let pollutant = PollutantCatalog.pollutant(code: code) { input.set(pollutant, oneHour: mean) }
            }
            let hasAQIPollutant = values.contains { PollutantCatalog.pollutant(code: $0.code) != nil }
            let end = ChinaDateTime(secondsSinceEpoch: hour + 3600)
            let aqi =
                hasAQIPollutant
                ? StoredAQI(result: AQICalculator.compute(input, mode: .realtime, labelledAt: end)) : nil
            return HourlyRecord(hourStart: hour, values: values, aqi: aqi)
        }
    }

    /// A region's daily values and AQI: per day the mean of its stations' daily statistics (24-hour
    /// means; O3 daily maximum 8-hour mean), then the daily AQI of those means (HJ 663-2013).
    public func regionDaily(stations: [String], from: Int64, to: Int64) async throws -> [DailyRecord] {
        var byDay: [Int64: [String: (means: [Double], eight: [Double], one: [Double])]] = [:]
        for station in stations {
            for record in try await daily(station: station, from: from, to: to) {
                for value in record.values {
                    var entry = byDay[record.dayStart, default: [:]][value.code, default: ([], [], [])]
                    if let mean = value.mean { entry.means.append(mean) }
                    if let eight = value.maxEightHour { entry.eight.append(eight) }
                    if let one = value.maxOneHour { entry.one.append(one) }
                    byDay[record.dayStart, default: [:]][value.code] = entry
                }
            }
        }
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        return byDay.keys.sorted().map { day in
            var input = AQIInput()
            var values: [DailyValueRow] = []
            for (code, entry) in (byDay[day] ?? [:]).sorted(by: { $0.key < $1.key }) {
                values.append(
                    DailyValueRow(
                        code: code, mean: mean(entry.means), hours: entry.means.count, maxOneHour: mean(entry.one),
                        maxEightHour: mean(entry.eight)))
                guard let pollutant = PollutantCatalog.pollutant(code: code) else { continue }
                if pollutant == .o3 {
                    input.o3EightHour = mean(entry.eight)
                    input.o3OneHour = mean(entry.one)
                } else {
                    input.set(pollutant, oneHour: mean(entry.means))
                }
            }
            let hasAQIPollutant = values.contains { PollutantCatalog.pollutant(code: $0.code) != nil }
            let aqi =
                hasAQIPollutant
                ? StoredAQI(
                    result: AQICalculator.compute(
                        input, mode: .daily, labelledAt: ChinaDateTime(secondsSinceEpoch: day))) : nil
            return DailyRecord(dayStart: day, values: values, aqi: aqi)
        }
    }
}
