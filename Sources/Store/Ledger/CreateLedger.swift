import FluentKit
import SQLKit

/// The ledger (问题台账): cases, the units asked to cooperate, every step of each case, evidence files
/// (metadata; the bytes live under the data directory), accountability records and the routing table.
/// Person ids are kept as text (as alerts keep them) and checked against `people` when written.
struct CreateLedger: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        let serial = sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        try await sql.raw(
            """
            CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                source TEXT NOT NULL,
                category TEXT NOT NULL,
                severity TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                address TEXT,
                longitude DOUBLE PRECISION,
                latitude DOUBLE PRECISION,
                region_code TEXT REFERENCES regions (code) ON DELETE RESTRICT,
                region_path TEXT NOT NULL,
                zone_ids TEXT NOT NULL,
                responsible_unit_code TEXT REFERENCES units (code) ON DELETE RESTRICT,
                responsible_leader TEXT,
                responsible_person_id TEXT,
                measures TEXT,
                deadline TEXT,
                deadline_basis TEXT,
                deadline_provisional BOOLEAN NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('new','assigned','rectifying','submitted','closed')),
                outcome TEXT,
                handler_id TEXT,
                extension_requested BOOLEAN NOT NULL,
                closed_on TEXT,
                revisit_due TEXT,
                rebounds INTEGER NOT NULL,
                alert_id TEXT REFERENCES alerts (id) ON DELETE RESTRICT,
                is_public BOOLEAN NOT NULL,
                reporter_name TEXT,
                reporter_contact TEXT,
                service_code TEXT,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX cases_status ON cases (status, deadline)").run()
        try await sql.raw("CREATE INDEX cases_unit ON cases (responsible_unit_code, status)").run()
        try await sql.raw("CREATE INDEX cases_created ON cases (created_at)").run()
        try await sql.raw("CREATE INDEX cases_place ON cases (longitude, latitude)").run()
        try await sql.raw("CREATE UNIQUE INDEX cases_alert ON cases (alert_id) WHERE alert_id IS NOT NULL").run()
        try await sql.raw(
            """
            CREATE TABLE case_units (
                case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
                unit_code TEXT NOT NULL REFERENCES units (code) ON DELETE RESTRICT,
                PRIMARY KEY (case_id, unit_code)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX case_units_unit ON case_units (unit_code)").run()
        try await sql.raw(
            SQLQueryString(
                """
                CREATE TABLE case_events (
                    seq \(unsafeRaw: serial),
                    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
                    at BIGINT NOT NULL,
                    action TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    actor_role TEXT,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    note TEXT,
                    evidence TEXT NOT NULL,
                    outcome TEXT,
                    deadline TEXT
                )
                """)
        ).run()
        try await sql.raw("CREATE INDEX case_events_case ON case_events (case_id, seq)").run()
        try await sql.raw(
            """
            CREATE TABLE case_attachments (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                width INTEGER,
                height INTEGER,
                has_thumbnail BOOLEAN NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_at BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX case_attachments_case ON case_attachments (case_id, uploaded_at)").run()
        try await sql.raw(
            """
            CREATE TABLE accountability_records (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                unit_code TEXT NOT NULL REFERENCES units (code) ON DELETE RESTRICT,
                subject_name TEXT,
                person_id TEXT,
                day TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                document_number TEXT,
                summary TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX accountability_unit ON accountability_records (unit_code, day)").run()
        try await sql.raw(
            """
            CREATE TABLE accountability_cases (
                record_id TEXT NOT NULL REFERENCES accountability_records (id) ON DELETE CASCADE,
                case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE RESTRICT,
                PRIMARY KEY (record_id, case_id)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX accountability_cases_case ON accountability_cases (case_id)").run()
        // Settings of the ledger kept as JSON documents (the routing table).
        try await sql.raw(
            """
            CREATE TABLE ledger_settings (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ).run()
        // The serial of generated case numbers, per year.
        try await sql.raw(
            """
            CREATE TABLE case_numbers (
                year INTEGER PRIMARY KEY,
                last INTEGER NOT NULL
            )
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for table in [
            "case_numbers", "ledger_settings", "accountability_cases", "accountability_records", "case_attachments",
            "case_events", "case_units", "cases",
        ] {
            try await sql.raw("DROP TABLE IF EXISTS \(unsafeRaw: table)").run()
        }
    }
}
