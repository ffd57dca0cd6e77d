import FluentKit
import SQLKit

/// Leader contracts (分包): a county leader answers for townships for a term.
struct CreateLeaderContracts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("leader_contracts")
            .id()
            .field("leader_id", .uuid, .required, .references("people", "id", onDelete: .restrict))
            .field("starts_on", .date, .required)
            .field("ends_on", .date)
            .field("note", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("contract_townships")
            .field("contract_id", .uuid, .required, .references("leader_contracts", "id", onDelete: .cascade))
            .field("region_code", .string, .required, .references("regions", "code", onDelete: .restrict))
            .compositeIdentifier(over: "contract_id", "region_code")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX leader_contracts_leader ON leader_contracts (leader_id)").run()
        try await sql.raw("CREATE INDEX contract_townships_region ON contract_townships (region_code)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contract_townships").delete()
        try await database.schema("leader_contracts").delete()
    }
}

/// The duty roster (24 小时应急值守): who is on duty for which region, from when until when, in which role.
struct CreateDutyShifts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("duty_shifts")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .restrict))
            .field("region_code", .string, .required, .references("regions", "code", onDelete: .restrict))
            .field("role", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .constraint(.sql(SQLTableConstraintAlgorithm.check(SQLRaw("role IN ('leader','officer')"))))
            .constraint(.sql(SQLTableConstraintAlgorithm.check(SQLRaw("ends_at > starts_at"))))
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX duty_shifts_region_time ON duty_shifts (region_code, starts_at)").run()
        try await sql.raw("CREATE INDEX duty_shifts_person_time ON duty_shifts (person_id, starts_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("duty_shifts").delete()
    }
}
