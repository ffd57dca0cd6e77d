import FluentKit
import FluentSQL
import SQLKit

/// The station registry. HJ 212 identity and reported pollutants come with the ingest work.
struct CreateStation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("stations")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("longitude", .double, .required)
            .field("latitude", .double, .required)
            .field("region_code", .string, .references("regions", "code", onDelete: .restrict))
            .field("responsible_unit_code", .string, .references("units", "code", onDelete: .restrict))
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .constraint(
                .sql(
                    SQLTableConstraintAlgorithm.check(
                        SQLRaw(
                            "kind IN ('national','provincial','township','micro','source_monitor','dust')"
                                + " AND status IN ('active','maintenance','retired')"
                                + " AND longitude BETWEEN -180 AND 180 AND latitude BETWEEN -90 AND 90"
                        )))
            )
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("stations").delete()
    }
}
