import AirQuality
import FluentKit
import Ingest
import SQLiteNIO

/// What one roll-up step did.
public struct RollupProgress: Sendable, Hashable {
    public var stationHours = 0
    public var stationDays = 0

    public init(stationHours: Int = 0, stationDays: Int = 0) {
        self.stationHours = stationHours
        self.stationDays = stationDays
    }

    public static func + (lhs: RollupProgress, rhs: RollupProgress) -> RollupProgress {
        RollupProgress(
            stationHours: lhs.stationHours + rhs.stationHours, stationDays: lhs.stationDays + rhs.stationDays)
    }
}

/// Maintains the hourly and daily roll-ups and AQIs from the raw readings, for the station-hours that
/// `rollup_pending` says received data — late and back-filled data included, since a marker is written
/// with every reading. Each step recomputes whole station-hours and station-days from what is stored,
/// so running it twice gives the same rows.
///
/// Hourly value of a code, by basis, the finest reported period losing to the coarser one:
/// - an **hour** reading (HJ 212 CN 2061) is the analyser's own hourly mean: taken as is, valid when
///   flagged `N`;
/// - else the mean of the hour's **minute** (2051) or **real-time** (2011) values flagged `N`, valid when
///   they cover at least 45 minutes of the hour (GB 3095-2012 Table 4: a 1-hour mean needs ≥ 45 minutes
///   of sampling). Coverage of n evenly spaced values from t₁ to tₙ is (tₙ − t₁) · n / (n − 1).
///
/// Daily values (HJ 663-2013 via `AirQuality.DailyAggregation`): the 24-hour mean of the day's valid
/// hours (valid with ≥ 20, GB 3095-2012 Table 4), the maximum 1-hour value, and for O3 the daily
/// maximum 8-hour mean. AQIs: hourly per HJ 633 real-time rules from the hour's values, daily per the
/// daily rules, each with the rule set in force on that date. Emission monitors get values, no AQI.
public struct Rollup: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// GB 3095-2012 Table 4: ≥ 45 minutes of data for a 1-hour mean.
    static let minimumCoverageSeconds: Int64 = Int64(ValidityRule.minimumMinutesPerHour) * 60

    /// Rolls up at most `limit` pending station-hours in one transaction.
    public func step(limit: Int = 5_000) async throws -> RollupProgress {
        try await NativeSQL.withSession(database) { session in
            // Look before taking the write lock: an idle server should not hold it once a second.
            guard try await !session.query("SELECT 1 FROM rollup_pending LIMIT 1").isEmpty else {
                return RollupProgress()
            }
            return try await session.transaction {
                try await Self.step(limit: limit, session: session)
            }
        }
    }

    /// Steps until nothing is pending. Run beside a server's writer (a one-shot command, a test), a step may
    /// find SQLite's write lock held past `busy_timeout` by a long commit on a loaded machine: it waits and
    /// tries again (up to a minute) rather than failing half-way — nothing is lost either way, the pending
    /// marks stay until rolled up.
    @discardableResult
    public func runUntilIdle(limit: Int = 5_000) async throws -> RollupProgress {
        var total = RollupProgress()
        var busy = 0
        while true {
            let progress: RollupProgress
            do {
                progress = try await step(limit: limit)
                busy = 0
            } catch let error as SQLiteError where error.reason == .busy && busy < 60 {
                busy += 1
                try await Task.sleep(for: .seconds(1))
                continue
            }
            if progress.stationHours == 0 { return total }
            total = total + progress
        }
    }

    /// Station-hours waiting to be rolled up.
    public func pendingCount() async throws -> Int {
        try await NativeSQL.withSession(database) { session in
            Int(try await session.query("SELECT COUNT(*) FROM rollup_pending").first?.first?.int ?? 0)
        }
    }

    static func step(limit: Int, session: NativeSQL) async throws -> RollupProgress {
        let claimed = try await session.query(
            "DELETE FROM rollup_pending WHERE (station_code, hour_start) IN"
                + " (SELECT station_code, hour_start FROM rollup_pending ORDER BY station_code, hour_start LIMIT \(limit))"
                + " RETURNING station_code, hour_start")
        guard !claimed.isEmpty else { return RollupProgress() }
        var hoursByStation: [String: [Int64]] = [:]
        for row in claimed {
            guard let station = row[0].string, let hour = row[1].int else { continue }
            hoursByStation[station, default: []].append(hour)
        }
        let emission = try await emissionStations(session: session)
        var progress = RollupProgress()
        for (station, hours) in hoursByStation.sorted(by: { $0.key < $1.key }) {
            let ambient = !emission.contains(station)
            let sortedHours = hours.sorted()
            for range in ranges(sortedHours, maximumGap: 48 * 3600) {
                let values = try await hourlyValues(
                    station: station, from: range.lowerBound, to: range.upperBound + 3600, session: session)
                try await upsertHourly(station: station, values: values, session: session)
                if ambient {
                    try await upsertHourlyAQI(
                        station: station, hours: sortedHours.filter { range.contains($0) }, values: values,
                        session: session)
                }
            }
            let days = Array(Set(sortedHours.map(ChinaClock.dayStart))).sorted()
            for range in ranges(days, maximumGap: 7 * 86_400) {
                try await rollDays(
                    station: station, days: days.filter { range.contains($0) }, ambient: ambient, session: session)
            }
            progress.stationHours += hours.count
            progress.stationDays += days.count
        }
        return progress
    }

    static func emissionStations(session: NativeSQL) async throws -> Set<String> {
        let rows = try await session.query("SELECT code FROM stations WHERE kind = 'source_monitor'")
        return Set(rows.compactMap { $0.first?.string })
    }

    /// Splits sorted values into runs whose gaps are at most `maximumGap`.
    static func ranges(_ sorted: [Int64], maximumGap: Int64) -> [ClosedRange<Int64>] {
        guard var low = sorted.first else { return [] }
        var result: [ClosedRange<Int64>] = []
        var high = low
        for value in sorted.dropFirst() {
            if value - high > maximumGap {
                result.append(low...high)
                low = value
            }
            high = value
        }
        result.append(low...high)
        return result
    }

    // MARK: Hours

    struct HourlyValue: Sendable {
        var hourStart: Int64
        var code: String
        var value: Double?
        var minimum: Double?
        var maximum: Double?
        var samples: Int64
        var total: Int64
        var coverage: Int64
        var valid: Bool
        var flag: String
        var basis: ReadingPeriod
    }

    /// Aggregates the raw readings of [from, to) per hour, code and period in the database, then picks
    /// each hour's basis.
    static func hourlyValues(station: String, from: Int64, to: Int64, session: NativeSQL) async throws
        -> [HourlyValue]
    {
        let p = session.placeholder
        let rows = try await session.query(
            """
            SELECT (time / 3600) * 3600 AS hour_start, code, period,
                COUNT(*),
                SUM(CASE WHEN flag = 'N' AND value IS NOT NULL THEN 1 ELSE 0 END),
                SUM(CASE WHEN flag = 'N' THEN value END),
                MIN(CASE WHEN flag = 'N' THEN value END),
                MAX(CASE WHEN flag = 'N' THEN value END),
                MIN(CASE WHEN flag = 'N' AND value IS NOT NULL THEN time END),
                MAX(CASE WHEN flag = 'N' AND value IS NOT NULL THEN time END),
                MIN(CASE WHEN flag <> 'N' THEN flag END),
                MIN(value)
            FROM readings
            WHERE station_code = \(p(1)) AND period IN ('realtime', 'minute', 'hour')
                AND time >= \(p(2)) AND time < \(p(3))
            GROUP BY (time / 3600) * 3600, code, period
            """, [.text(station), .integer(from), .integer(to)])
        var best: [String: HourlyValue] = [:]
        for row in rows {
            guard let hour = row[0].int, let code = row[1].string,
                let period = row[2].string.flatMap(ReadingPeriod.init(rawValue:))
            else { continue }
            let total = row[3].int ?? 0
            let samples = row[4].int ?? 0
            let sum = row[5].double
            let firstTime = row[8].int
            let lastTime = row[9].int
            let abnormalFlag = row[10].string
            let candidate: HourlyValue
            if period == .hour {
                // One reading per (station, hour, code): its value and flag as reported.
                let valid = samples == 1
                candidate = HourlyValue(
                    hourStart: hour, code: code, value: valid ? sum : row[11].double, minimum: row[6].double,
                    maximum: row[7].double, samples: samples, total: total, coverage: valid ? 3600 : 0, valid: valid,
                    flag: abnormalFlag ?? "N", basis: .hour)
            } else {
                let coverage: Int64
                if samples > 1, let firstTime, let lastTime {
                    coverage = min(3600, (lastTime - firstTime) * samples / (samples - 1))
                } else {
                    coverage = samples == 1 && period == .minute ? 60 : 0
                }
                let valid = coverage >= minimumCoverageSeconds
                candidate = HourlyValue(
                    hourStart: hour, code: code, value: samples > 0 ? sum.map { $0 / Double(samples) } : nil,
                    minimum: row[6].double, maximum: row[7].double, samples: samples, total: total,
                    coverage: coverage, valid: valid, flag: valid ? "N" : (abnormalFlag ?? "N"), basis: period)
            }
            let key = "\(hour)|\(code)"
            if let current = best[key], current.basis > candidate.basis { continue }
            best[key] = candidate
        }
        return best.values.sorted { ($0.hourStart, $0.code) < ($1.hourStart, $1.code) }
    }

    static func upsertHourly(station: String, values: [HourlyValue], session: NativeSQL) async throws {
        let columns = 12
        var start = 0
        while start < values.count {
            let chunk = values[start..<min(start + 2_000, values.count)]
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * columns)
            for value in chunk {
                binds += [
                    .text(station), .integer(value.hourStart), .text(value.code), SQLValue(value.value),
                    SQLValue(value.minimum), SQLValue(value.maximum), .integer(value.samples), .integer(value.total),
                    .integer(value.coverage), .bool(value.valid), .text(value.flag), .text(value.basis.rawValue),
                ]
            }
            try await session.query(
                "INSERT INTO hourly_values (station_code, hour_start, code, value, minimum, maximum, samples, total,"
                    + " coverage_seconds, valid, flag, basis) VALUES "
                    + session.valuesList(rows: chunk.count, columns: columns)
                    + " ON CONFLICT (station_code, hour_start, code) DO UPDATE SET value = excluded.value,"
                    + " minimum = excluded.minimum, maximum = excluded.maximum, samples = excluded.samples,"
                    + " total = excluded.total, coverage_seconds = excluded.coverage_seconds, valid = excluded.valid,"
                    + " flag = excluded.flag, basis = excluded.basis",
                binds)
            start += chunk.count
        }
    }

    static func upsertHourlyAQI(station: String, hours: [Int64], values: [HourlyValue], session: NativeSQL)
        async throws
    {
        var inputs: [Int64: AQIInput] = [:]
        for value in values where value.valid {
            guard let pollutant = PollutantCatalog.pollutant(code: value.code), let number = value.value else {
                continue
            }
            inputs[value.hourStart, default: AQIInput()].set(pollutant, oneHour: number)
        }
        var rows: [[SQLValue]] = []
        for hour in hours {
            guard let input = inputs[hour] else { continue }
            let end = ChinaDateTime(secondsSinceEpoch: hour + 3600)
            let result = AQICalculator.compute(input, mode: .realtime, labelledAt: end)
            rows.append(aqiRow(station: station, time: hour, result: result))
        }
        try await upsertAQI(table: "hourly_aqi", timeColumn: "hour_start", rows: rows, session: session)
    }

    static func aqiRow(station: String, time: Int64, result: AQIResult) -> [SQLValue] {
        [
            .text(station), .integer(time), SQLValue(result.aqi.map(Int64.init)),
            SQLValue(result.level.map { Int64($0.rawValue) }),
            .text(result.primaryPollutants.items.map(\.code).joined(separator: ",")),
            .text(result.missing.items.map(\.code).joined(separator: ",")), .text(result.ruleSet.rawValue),
        ]
    }

    static func upsertAQI(table: String, timeColumn: String, rows: [[SQLValue]], session: NativeSQL) async throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 2_000, rows.count)]
            try await session.query(
                "INSERT INTO \(table) (station_code, \(timeColumn), aqi, level, primary_pollutants, missing, rule_set)"
                    + " VALUES " + session.valuesList(rows: chunk.count, columns: 7)
                    + " ON CONFLICT (station_code, \(timeColumn)) DO UPDATE SET aqi = excluded.aqi,"
                    + " level = excluded.level, primary_pollutants = excluded.primary_pollutants,"
                    + " missing = excluded.missing, rule_set = excluded.rule_set",
                chunk.flatMap { $0 })
            start += chunk.count
        }
    }

    // MARK: Days

    static func rollDays(station: String, days: [Int64], ambient: Bool, session: NativeSQL) async throws {
        guard let first = days.first, let last = days.last else { return }
        let p = session.placeholder
        let rows = try await session.query(
            "SELECT hour_start, code, value FROM hourly_values WHERE station_code = \(p(1))"
                + " AND hour_start >= \(p(2)) AND hour_start < \(p(3)) AND valid = \(p(4))",
            [.text(station), .integer(first), .integer(last + 86_400), .bool(true)])
        // day → code → 24 hourly values (index = hour of the day, 00:00–01:00 first).
        var hoursByDay: [Int64: [String: [Double?]]] = [:]
        for row in rows {
            guard let hour = row[0].int, let code = row[1].string, let value = row[2].double else { continue }
            let day = ChinaClock.dayStart(hour)
            let index = Int((hour - day) / 3600)
            guard (0..<24).contains(index) else { continue }
            hoursByDay[day, default: [:]][code, default: Array(repeating: nil, count: 24)][index] = value
        }
        var valueRows: [[SQLValue]] = []
        var aqiRows: [[SQLValue]] = []
        for day in days {
            let codes = hoursByDay[day] ?? [:]
            var input = AQIInput()
            for (code, hours) in codes.sorted(by: { $0.key < $1.key }) {
                let present = hours.compactMap { $0 }
                let pollutant = PollutantCatalog.pollutant(code: code)
                let series = HourlySeries(pollutant: pollutant ?? .pm25, values: hours)
                let mean = DailyAggregation.dailyMeans(series)[0]
                let maxima = pollutant == .o3 ? DailyAggregation.o3DailyMaxima(series) : nil
                let maxOneHour = maxima?.oneHour[0] ?? DailyAggregation.dailyMaximumOneHour(series)[0]
                let maxEightHour = maxima?.eightHour[0]
                valueRows.append([
                    .text(station), .integer(day), .text(code), SQLValue(pollutant == nil ? nil : mean),
                    .integer(Int64(present.count)), SQLValue(maxOneHour), SQLValue(maxEightHour),
                ])
                if pollutant == nil {
                    // Not an AQI pollutant (meteorology, TSP…): a plain mean of the hours present.
                    valueRows[valueRows.count - 1][3] = SQLValue(
                        present.count >= ValidityRule.minimumHoursPerDay
                            ? present.reduce(0, +) / Double(present.count) : nil)
                }
                guard let pollutant else { continue }
                switch pollutant {
                case .o3:
                    input.o3EightHour = maxEightHour
                    input.o3OneHour = maxOneHour
                default:
                    input.set(pollutant, oneHour: mean)
                }
            }
            guard ambient, codes.keys.contains(where: { PollutantCatalog.pollutant(code: $0) != nil }) else { continue }
            let start = ChinaDateTime(secondsSinceEpoch: day)
            let result = AQICalculator.compute(input, mode: .daily, labelledAt: start)
            aqiRows.append(aqiRow(station: station, time: day, result: result))
        }
        var start = 0
        while start < valueRows.count {
            let chunk = valueRows[start..<min(start + 2_000, valueRows.count)]
            try await session.query(
                "INSERT INTO daily_values (station_code, day_start, code, mean, hours, max_one_hour, max_eight_hour)"
                    + " VALUES " + session.valuesList(rows: chunk.count, columns: 7)
                    + " ON CONFLICT (station_code, day_start, code) DO UPDATE SET mean = excluded.mean,"
                    + " hours = excluded.hours, max_one_hour = excluded.max_one_hour,"
                    + " max_eight_hour = excluded.max_eight_hour",
                chunk.flatMap { $0 })
            start += chunk.count
        }
        try await upsertAQI(table: "daily_aqi", timeColumn: "day_start", rows: aqiRows, session: session)
    }
}

extension AQIInput {
    /// Sets the value of `pollutant` for an hourly (or 24-hour) computation; O3 goes to its 1-hour field.
    mutating func set(_ pollutant: Pollutant, oneHour value: Double?) {
        switch pollutant {
        case .so2: so2 = value
        case .no2: no2 = value
        case .pm10: pm10 = value
        case .co: co = value
        case .o3: o3OneHour = value
        case .pm25: pm25 = value
        case .nox, .tsp: break
        }
    }
}
