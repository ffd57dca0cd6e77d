import FluentKit
import SQLKit

/// The media a complainant linked to their report (GeoReport v2 `media_url`, e.g. a photo): public, as the
/// specification shows it beside the request, unlike the complainant's name and contact.
struct AddMediaURLToCase: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("media_url", .string).update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
        try await sql.raw("ALTER TABLE cases DROP COLUMN media_url").run()
    }
}
