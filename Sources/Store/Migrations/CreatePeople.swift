import FluentKit

/// People of the organisation: leaders, officials, grid workers, duty staff. A person may belong to a unit.
struct CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("people")
            .id()
            .field("name", .string, .required)
            .field("phone", .string)
            .field("unit_code", .string, .references("units", "code", onDelete: .restrict))
            .field("title", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("people").delete()
    }
}
