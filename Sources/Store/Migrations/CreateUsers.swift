import FluentKit
import FluentSQL
import SQLKit

/// User accounts, browser sessions and API tokens. Sessions and tokens are stored as SHA-256 hashes of
/// the secret the client holds, never the secret itself. `person_id` links an account to a person of the
/// organisation (for grid scope); it has no foreign key here so that this migration stands on its own.
struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("unit_code", .string, .references("units", "code", onDelete: .restrict))
            .field("person_id", .uuid)
            .field("disabled", .bool, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .int64)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .constraint(
                .sql(
                    SQLTableConstraintAlgorithm.check(
                        SQLRaw(
                            "role IN ('command','dispatcher','supervisor','unit_officer','grid_worker',"
                                + "'factory_supervisor','auditor','public')")))
            )
            .create()
        try await database.schema("sessions")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("expires_at", .int64, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("api_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("label", .string)
            .field("expires_at", .int64, .required)
            .field("revoked_at", .int64)
            .field("last_used_at", .int64)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
        try await database.schema("sessions").delete()
        try await database.schema("users").delete()
    }
}
