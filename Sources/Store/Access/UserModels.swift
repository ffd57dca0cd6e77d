import FluentKit
import Foundation

extension DB {
    final class User: Model, @unchecked Sendable {
        static let schema = "users"

        @ID(key: .id) var id: UUID?
        @Field(key: "username") var username: String
        @Field(key: "display_name") var displayName: String
        @Field(key: "password_hash") var passwordHash: String
        @Field(key: "role") var role: String
        @OptionalField(key: "unit_code") var unitCode: String?
        @OptionalField(key: "person_id") var personID: UUID?
        @Field(key: "disabled") var disabled: Bool
        @Field(key: "failed_attempts") var failedAttempts: Int
        @OptionalField(key: "locked_until") var lockedUntil: Int64?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?
        @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

        init() {}
    }

    final class Session: Model, @unchecked Sendable {
        static let schema = "sessions"

        /// SHA-256 of the cookie's value.
        @ID(custom: "id", generatedBy: .user) var id: String?
        @Field(key: "user_id") var userID: UUID
        @Field(key: "csrf_token") var csrfToken: String
        @Field(key: "expires_at") var expiresAt: Int64
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?

        init() {}
    }

    final class APIToken: Model, @unchecked Sendable {
        static let schema = "api_tokens"

        @ID(key: .id) var id: UUID?
        /// SHA-256 of the bearer token.
        @Field(key: "token_hash") var tokenHash: String
        @Field(key: "user_id") var userID: UUID
        @OptionalField(key: "label") var label: String?
        @Field(key: "expires_at") var expiresAt: Int64
        @OptionalField(key: "revoked_at") var revokedAt: Int64?
        @OptionalField(key: "last_used_at") var lastUsedAt: Int64?
        @Timestamp(key: "created_at", on: .create) var createdAt: Date?

        init() {}
    }
}
