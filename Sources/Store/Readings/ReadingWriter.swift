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
        var outcomes: [StoreOutcome] = []
        outcomes.reserveCapacity(groups.count)
        var pending = Set<PendingHour>()
        var latest: [LatestKey: Reading] = [:]
        for group in groups {
            var inserted = 0
            var start = 0
            while start < group.count {
                let end = min(start + rowsPerStatement, group.count)
                inserted += try await insertChunk(group[start..<end], receivedAt: receivedAt, session: session)
                start = end
            }
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

    static func insertChunk(_ rows: ArraySlice<Reading>, receivedAt: Int64, session: NativeSQL) async throws -> Int {
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
            + " ON CONFLICT DO NOTHING RETURNING 1"
        return try await session.query(sql, binds).count
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
