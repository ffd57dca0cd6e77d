import FluentKit
import Ingest

/// Writes raw readings: idempotent on (station, period, time, code), immutable once stored. Each call is
/// one transaction that also marks the touched station-hours for roll-up and moves the latest values
/// forward, so a crash after commit loses nothing and a crash before commit leaves nothing half-done.
public struct ReadingWriter: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    static let columns = [
        "station_code", "period", "time", "code", "value", "minimum", "maximum", "cumulative", "converted", "flag",
        "source", "received_at",
    ]
    static let rowsPerStatement = NativeSQL.maxBindsPerStatement / columns.count

    /// Stores each group of readings in one transaction and returns one outcome per group. Groups are the
    /// requests of different callers (devices, HTTP batches) committed together.
    public func insert(_ groups: [[Reading]], receivedAt: Int64) async throws -> [StoreOutcome] {
        try await NativeSQL.withSession(database) { session in
            try await session.transaction {
                try await Self.insert(groups, receivedAt: receivedAt, session: session)
            }
        }
    }

    static func insert(_ groups: [[Reading]], receivedAt: Int64, session: NativeSQL) async throws -> [StoreOutcome] {
        // All groups go into the same multi-row statements (one statement per `rowsPerStatement` rows, not
        // one per caller); the keys the database answers as inserted are credited to the first group that
        // holds them, so a re-send queued behind its original counts as the duplicate.
        var firstGroup: [ReadingKey: Int] = [:]
        firstGroup.reserveCapacity(groups.reduce(0) { $0 + $1.count })
        var rows: [Reading] = []
        rows.reserveCapacity(firstGroup.capacity)
        for (index, group) in groups.enumerated() {
            for reading in group where firstGroup[reading.key] == nil {
                firstGroup[reading.key] = index
                rows.append(reading)
            }
        }
        var insertedPerGroup = Array(repeating: 0, count: groups.count)
        var start = 0
        while start < rows.count {
            let end = min(start + rowsPerStatement, rows.count)
            for key in try await insertChunk(rows[start..<end], receivedAt: receivedAt, session: session) {
                if let index = firstGroup[key] { insertedPerGroup[index] += 1 }
            }
            start = end
        }

        var outcomes: [StoreOutcome] = []
        outcomes.reserveCapacity(groups.count)
        var pending = Set<PendingHour>()
        var latest: [LatestKey: Reading] = [:]
        for (group, inserted) in zip(groups, insertedPerGroup) {
            outcomes.append(StoreOutcome(inserted: inserted, duplicates: group.count - inserted))
            for reading in group where reading.period != .day {
                pending.insert(
                    PendingHour(stationCode: reading.stationCode, hourStart: ChinaClock.hourStart(reading.time)))
            }
            // A group that was entirely a re-send changes nothing; one that was new moves "latest" on.
            guard inserted == group.count else { continue }
            for reading in group where reading.period != .day {
                let key = LatestKey(stationCode: reading.stationCode, code: reading.code)
                if let current = latest[key], current.time > reading.time { continue }
                latest[key] = reading
            }
        }
        try await markPending(Array(pending), session: session)
        try await moveLatest(Array(latest.values), session: session)
        return outcomes
    }

    /// Inserts the rows that are new and returns their keys.
    static func insertChunk(_ rows: ArraySlice<Reading>, receivedAt: Int64, session: NativeSQL) async throws
        -> [ReadingKey]
    {
        var binds: [SQLValue] = []
        binds.reserveCapacity(rows.count * columns.count)
        for reading in rows {
            binds.append(.text(reading.stationCode))
            binds.append(.text(reading.period.rawValue))
            binds.append(.integer(reading.time))
            binds.append(.text(reading.code))
            binds.append(SQLValue(reading.value))
            binds.append(SQLValue(reading.minimum))
            binds.append(SQLValue(reading.maximum))
            binds.append(SQLValue(reading.cumulative))
            binds.append(SQLValue(reading.converted))
            binds.append(.text(reading.flag))
            binds.append(.text(reading.source.rawValue))
            binds.append(.integer(receivedAt))
        }
        let sql =
            "INSERT INTO readings (\(columns.joined(separator: ", "))) VALUES "
            + session.valuesList(rows: rows.count, columns: columns.count)
            + " ON CONFLICT DO NOTHING RETURNING station_code, period, time, code"
        return try await session.query(sql, binds).compactMap { row in
            guard let station = row[0].string, let period = row[1].string.flatMap(ReadingPeriod.init(rawValue:)),
                let time = row[2].int, let code = row[3].string
            else { return nil }
            return ReadingKey(stationCode: station, code: code, period: period, time: time)
        }
    }

    static func markPending(_ hours: [PendingHour], session: NativeSQL) async throws {
        var start = 0
        while start < hours.count {
            let chunk = hours[start..<min(start + 10_000, hours.count)]
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * 2)
            for hour in chunk {
                binds.append(.text(hour.stationCode))
                binds.append(.integer(hour.hourStart))
            }
            try await session.query(
                "INSERT INTO rollup_pending (station_code, hour_start) VALUES "
                    + session.valuesList(rows: chunk.count, columns: 2) + " ON CONFLICT DO NOTHING", binds)
            start += chunk.count
        }
    }

    static func moveLatest(_ readings: [Reading], session: NativeSQL) async throws {
        var start = 0
        while start < readings.count {
            let chunk = readings[start..<min(start + 4_000, readings.count)]
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * 6)
            for reading in chunk {
                binds.append(.text(reading.stationCode))
                binds.append(.text(reading.code))
                binds.append(.text(reading.period.rawValue))
                binds.append(.integer(reading.time))
                binds.append(SQLValue(reading.value))
                binds.append(.text(reading.flag))
            }
            try await session.query(
                "INSERT INTO latest_values (station_code, code, period, time, value, flag) VALUES "
                    + session.valuesList(rows: chunk.count, columns: 6)
                    + " ON CONFLICT (station_code, code) DO UPDATE SET period = excluded.period, time = excluded.time,"
                    + " value = excluded.value, flag = excluded.flag WHERE excluded.time >= latest_values.time",
                binds)
            start += chunk.count
        }
    }
}

struct PendingHour: Hashable, Sendable {
    var stationCode: String
    var hourStart: Int64
}

struct LatestKey: Hashable {
    var stationCode: String
    var code: String
}
