import FluentKit
import SQLKit

/// Raw readings and everything derived from them. Written in SQL rather than through the schema builder
/// because these are the hot tables: composite primary keys chosen for the queries, `WITHOUT ROWID` on
/// SQLite so each table is one B-tree, times as integer epoch seconds on both databases.
///
/// - `readings`: immutable raw values with their HJ 212 flags; the primary key is the idempotency key
///   (station, period, time, code), ordered so that "a station's readings of one period in a time range"
///   is one index range.
/// - `rollup_pending`: station-hours that received data since they were last rolled up — written in the
///   same transaction as the readings, so a crash never loses a roll-up.
/// - `hourly_values`, `hourly_aqi`, `daily_values`, `daily_aqi`: the roll-ups.
/// - `latest_values`: the newest reading per station and code, for the dashboard.
struct CreateReadings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        let rowid = sqlite ? " WITHOUT ROWID" : ""
        let double = "DOUBLE PRECISION"
        let statements = [
            """
            CREATE TABLE readings (
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE RESTRICT,
                period TEXT NOT NULL CHECK (period IN ('realtime', 'minute', 'hour', 'day')),
                time BIGINT NOT NULL,
                code TEXT NOT NULL,
                value \(double),
                minimum \(double),
                maximum \(double),
                cumulative \(double),
                converted \(double),
                flag TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                PRIMARY KEY (station_code, period, time, code)
            )\(rowid)
            """,
            """
            CREATE TABLE rollup_pending (
                station_code TEXT NOT NULL,
                hour_start BIGINT NOT NULL,
                PRIMARY KEY (station_code, hour_start)
            )\(rowid)
            """,
            """
            CREATE TABLE hourly_values (
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
                hour_start BIGINT NOT NULL,
                code TEXT NOT NULL,
                value \(double),
                minimum \(double),
                maximum \(double),
                samples INTEGER NOT NULL,
                total INTEGER NOT NULL,
                coverage_seconds INTEGER NOT NULL,
                valid BOOLEAN NOT NULL,
                flag TEXT NOT NULL,
                basis TEXT NOT NULL CHECK (basis IN ('realtime', 'minute', 'hour')),
                PRIMARY KEY (station_code, hour_start, code)
            )\(rowid)
            """,
            """
            CREATE TABLE hourly_aqi (
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
                hour_start BIGINT NOT NULL,
                aqi INTEGER,
                level INTEGER,
                primary_pollutants TEXT NOT NULL,
                missing TEXT NOT NULL,
                rule_set TEXT NOT NULL,
                PRIMARY KEY (station_code, hour_start)
            )\(rowid)
            """,
            """
            CREATE TABLE daily_values (
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
                day_start BIGINT NOT NULL,
                code TEXT NOT NULL,
                mean \(double),
                hours INTEGER NOT NULL,
                max_one_hour \(double),
                max_eight_hour \(double),
                PRIMARY KEY (station_code, day_start, code)
            )\(rowid)
            """,
            """
            CREATE TABLE daily_aqi (
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
                day_start BIGINT NOT NULL,
                aqi INTEGER,
                level INTEGER,
                primary_pollutants TEXT NOT NULL,
                missing TEXT NOT NULL,
                rule_set TEXT NOT NULL,
                PRIMARY KEY (station_code, day_start)
            )\(rowid)
            """,
            """
            CREATE TABLE latest_values (
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE CASCADE,
                code TEXT NOT NULL,
                period TEXT NOT NULL,
                time BIGINT NOT NULL,
                value \(double),
                flag TEXT NOT NULL,
                PRIMARY KEY (station_code, code)
            )\(rowid)
            """,
            "CREATE INDEX hourly_aqi_by_hour ON hourly_aqi (hour_start)",
            "CREATE INDEX daily_aqi_by_day ON daily_aqi (day_start)",
        ]
        for statement in statements {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for table in [
            "latest_values", "daily_aqi", "daily_values", "hourly_aqi", "hourly_values", "rollup_pending", "readings",
        ] {
            try await sql.raw(SQLQueryString("DROP TABLE \(unsafeRaw: table)")).run()
        }
    }
}
