import FluentKit
import FluentSQL
import SQLKit

/// The region tree: city → county → township → grid.
struct CreateRegion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string, .references("regions", "code", onDelete: .restrict))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .constraint(
                .sql(
                    SQLTableConstraintAlgorithm.check(SQLRaw("level IN ('province','city','county','township','grid')"))
                )
            )
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("regions").delete()
    }
}
