import FluentKit
import FluentSQL
import SQLKit

/// Grid assignments (网格员): a person answers for a grid at level 1 (一级, the township), 2 or 3.
struct CreateGridAssignments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("grid_assignments")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("region_code", .string, .required, .references("regions", "code", onDelete: .restrict))
            .field("level", .int, .required)
            .field("starts_on", .date)
            .field("ends_on", .date)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "person_id", "region_code")
            .constraint(.sql(SQLTableConstraintAlgorithm.check(SQLRaw("level BETWEEN 1 AND 3"))))
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX grid_assignments_region ON grid_assignments (region_code)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("grid_assignments").delete()
    }
}
