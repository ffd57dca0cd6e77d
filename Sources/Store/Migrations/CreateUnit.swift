import FluentKit
import FluentSQL
import SQLKit

/// Responsible units: the HQ, task groups, counties, townships, departments, park committees, supervision groups.
struct CreateUnit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("units")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("region_code", .string, .references("regions", "code", onDelete: .restrict))
            .field("parent_code", .string, .references("units", "code", onDelete: .restrict))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .constraint(
                .sql(
                    SQLTableConstraintAlgorithm.check(
                        SQLRaw(
                            "kind IN ('command','task_group','county','township','department',"
                                + "'park_committee','supervision_group')"
                        )))
            )
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("units").delete()
    }
}
