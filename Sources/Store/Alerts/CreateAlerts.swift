import FluentKit
import SQLKit

/// Alert rules (as JSON of `Campaign.AlertRule`), alerts, and the events of each alert's handling.
/// At most one open alert per station and rule: a partial unique index over the open statuses.
struct CreateAlerts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        try await sql.raw(
            """
            CREATE TABLE alert_rules (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                enabled BOOLEAN NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE alerts (
                id TEXT PRIMARY KEY,
                rule_id TEXT NOT NULL REFERENCES alert_rules (id) ON DELETE RESTRICT,
                station_code TEXT NOT NULL REFERENCES stations (code) ON DELETE RESTRICT,
                kind TEXT NOT NULL,
                severity TEXT NOT NULL,
                code TEXT,
                status TEXT NOT NULL CHECK (status IN
                    ('open','dispatched','acknowledged','handled','verified','closed','converted')),
                region_code TEXT,
                message TEXT NOT NULL,
                first_time BIGINT NOT NULL,
                last_time BIGINT NOT NULL,
                count INTEGER NOT NULL,
                value DOUBLE PRECISION,
                peak DOUBLE PRECISION,
                threshold DOUBLE PRECISION,
                opened_at BIGINT NOT NULL,
                dispatched_at BIGINT,
                deadline BIGINT,
                acknowledged_at BIGINT,
                handled_at BIGINT,
                verified_at BIGINT,
                closed_at BIGINT,
                assignee_person_id TEXT,
                assignee_unit_code TEXT,
                tier INTEGER NOT NULL,
                cause TEXT,
                handling_note TEXT,
                handled_by TEXT,
                verified_by TEXT,
                case_id TEXT
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE UNIQUE INDEX alerts_one_open ON alerts (station_code, rule_id)
            WHERE status NOT IN ('closed','converted')
            """
        ).run()
        try await sql.raw("CREATE INDEX alerts_status_opened ON alerts (status, opened_at)").run()
        try await sql.raw("CREATE INDEX alerts_station_opened ON alerts (station_code, opened_at)").run()
        try await sql.raw("CREATE INDEX alerts_unit ON alerts (assignee_unit_code, opened_at)").run()
        try await sql.raw(
            SQLQueryString(
                """
                CREATE TABLE alert_events (
                    seq \(sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"),
                    alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                    at BIGINT NOT NULL,
                    action TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    tier INTEGER,
                    person_id TEXT,
                    unit_code TEXT,
                    note TEXT
                )
                """)
        ).run()
        try await sql.raw("CREATE INDEX alert_events_alert ON alert_events (alert_id, seq)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE alert_events").run()
        try await sql.raw("DROP TABLE alerts").run()
        try await sql.raw("DROP TABLE alert_rules").run()
    }
}
