import Campaign
import FluentKit
import Foundation
import SQLKit

/// Why an account change was refused.
public enum UserStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateUsername(String)
    case unknownUnit(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .duplicateUsername(let name): "用户名 \(name) 已被使用 / the username \(name) is taken"
        case .unknownUnit(let code): "单位 \(code) 不存在 / no unit \(code)"
        case .notFound(let id): "用户 \(id) 不存在 / no user \(id)"
        }
    }
}

/// An account as sign-in sees it: the public part, its password hash and its lock-out state.
public struct StoredCredentials: Sendable {
    public var account: UserAccount
    public var passwordHash: String
    public var failedAttempts: Int
    public var lockedUntil: Int64?
}

/// A new account; the password arrives hashed (bcrypt is the Server's business).
public struct NewUser: Sendable {
    public var username: String
    public var displayName: String
    public var passwordHash: String
    public var role: Role
    public var unitCode: String?
    public var personID: UUID?

    public init(
        username: String, displayName: String, passwordHash: String, role: Role, unitCode: String? = nil,
        personID: UUID? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.unitCode = unitCode
        self.personID = personID
    }
}

/// Changes to an account; nil leaves a field as it is.
public struct UserPatch: Sendable {
    public var displayName: String?
    public var role: Role?
    public var unitCode: String??
    public var personID: UUID??
    public var disabled: Bool?
    public var passwordHash: String?

    public init() {}
}

/// User accounts, sessions and API tokens. Account changes are audited in their transaction (never the hash).
public struct UserStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Accounts

    public func count() async throws -> Int {
        try await DB.User.query(on: database).count()
    }

    public func users() async throws -> [UserAccount] {
        try await DB.User.query(on: database).sort(\.$username).all().map(Self.account)
    }

    public func user(id: UUID) async throws -> UserAccount? {
        try await DB.User.find(id, on: database).map(Self.account)
    }

    public func user(username: String) async throws -> UserAccount? {
        try await DB.User.query(on: database).filter(\.$username == username).first().map(Self.account)
    }

    public func credentials(username: String) async throws -> StoredCredentials? {
        guard let row = try await DB.User.query(on: database).filter(\.$username == username).first() else {
            return nil
        }
        return StoredCredentials(
            account: Self.account(row), passwordHash: row.passwordHash, failedAttempts: row.failedAttempts,
            lockedUntil: row.lockedUntil)
    }

    @discardableResult
    public func create(_ user: NewUser, by actor: AuditActor) async throws -> UserAccount {
        try await database.writeTransaction { transaction in
            if try await DB.User.query(on: transaction).filter(\.$username == user.username).first() != nil {
                throw UserStoreError.duplicateUsername(user.username)
            }
            if let unit = user.unitCode, try await DB.Unit.find(unit, on: transaction) == nil {
                throw UserStoreError.unknownUnit(unit)
            }
            let row = DB.User()
            row.username = user.username
            row.displayName = user.displayName
            row.passwordHash = user.passwordHash
            row.role = user.role.rawValue
            row.unitCode = user.unitCode
            row.personID = user.personID
            row.disabled = false
            row.failedAttempts = 0
            try await row.create(on: transaction)
            let account = Self.account(row)
            try await AuditTrail.append(
                on: transaction, actor: actor, action: "create", entity: "user", entityID: account.username,
                before: nil, after: account)
            return account
        }
    }

    @discardableResult
    public func update(id: UUID, with patch: UserPatch, by actor: AuditActor) async throws -> UserAccount {
        try await database.writeTransaction { transaction in
            guard let row = try await DB.User.find(id, on: transaction) else {
                throw UserStoreError.notFound(id.uuidString)
            }
            let before = Self.account(row)
            if let name = patch.displayName { row.displayName = name }
            if let role = patch.role { row.role = role.rawValue }
            if let unit = patch.unitCode {
                if let unit, try await DB.Unit.find(unit, on: transaction) == nil {
                    throw UserStoreError.unknownUnit(unit)
                }
                row.unitCode = unit
            }
            if let person = patch.personID { row.personID = person }
            if let disabled = patch.disabled { row.disabled = disabled }
            if let hash = patch.passwordHash {
                row.passwordHash = hash
                row.failedAttempts = 0
                row.lockedUntil = nil
            }
            try await row.save(on: transaction)
            if disabledOrPasswordChanged(patch) {
                // A disabled account or a new password ends every session and token of the old one.
                try await DB.Session.query(on: transaction).filter(\.$userID == id).delete()
                try await DB.APIToken.query(on: transaction).filter(\.$userID == id).delete()
            }
            let after = Self.account(row)
            try await AuditTrail.append(
                on: transaction, actor: actor, action: patch.passwordHash != nil ? "reset_password" : "update",
                entity: "user", entityID: after.username, before: before, after: after)
            return after
        }
    }

    private func disabledOrPasswordChanged(_ patch: UserPatch) -> Bool {
        patch.passwordHash != nil || patch.disabled == true
    }

    // MARK: Lock-out

    /// Counts a failed sign-in; returns until when the account is now locked, if it is.
    @discardableResult
    public func recordFailure(username: String, policy: LockoutPolicy, now: Int64) async throws -> Int64? {
        guard let row = try await DB.User.query(on: database).filter(\.$username == username).first() else {
            return nil
        }
        let (failures, lockedUntil) = policy.afterFailure(failures: row.failedAttempts, now: now)
        row.failedAttempts = failures
        if let lockedUntil { row.lockedUntil = lockedUntil }
        try await row.save(on: database)
        return lockedUntil
    }

    public func recordSuccess(userID: String) async throws {
        guard let id = UUID(uuidString: userID), let row = try await DB.User.find(id, on: database) else { return }
        guard row.failedAttempts != 0 || row.lockedUntil != nil else { return }
        row.failedAttempts = 0
        row.lockedUntil = nil
        try await row.save(on: database)
    }

    // MARK: API tokens

    public func issueToken(userID: String, tokenHash: String, label: String?, expiresAt: Int64) async throws {
        let row = DB.APIToken()
        row.tokenHash = tokenHash
        row.userID = try Self.uuid(userID)
        row.label = label
        row.expiresAt = expiresAt
        try await row.create(on: database)
    }

    /// The enabled account holding this unexpired, unrevoked token; marks the token used.
    public func user(tokenHash: String, now: Int64) async throws -> UserAccount? {
        guard
            let token = try await DB.APIToken.query(on: database).filter(\.$tokenHash == tokenHash).first(),
            token.revokedAt == nil, token.expiresAt > now,
            let user = try await DB.User.find(token.userID, on: database), !user.disabled
        else { return nil }
        if (token.lastUsedAt ?? 0) < now - 60 {
            token.lastUsedAt = now
            try await token.save(on: database)
        }
        return Self.account(user)
    }

    /// Revokes a token; false when there was no such live token.
    @discardableResult
    public func revokeToken(tokenHash: String, now: Int64) async throws -> Bool {
        guard let token = try await DB.APIToken.query(on: database).filter(\.$tokenHash == tokenHash).first(),
            token.revokedAt == nil
        else { return false }
        token.revokedAt = now
        try await token.save(on: database)
        return true
    }

    // MARK: Sessions

    public func createSession(idHash: String, userID: String, csrfToken: String, expiresAt: Int64) async throws {
        let row = DB.Session()
        row.id = idHash
        row.userID = try Self.uuid(userID)
        row.csrfToken = csrfToken
        row.expiresAt = expiresAt
        try await row.create(on: database)
    }

    public func session(idHash: String, now: Int64) async throws -> (account: UserAccount, csrfToken: String)? {
        guard let session = try await DB.Session.find(idHash, on: database), session.expiresAt > now,
            let user = try await DB.User.find(session.userID, on: database), !user.disabled
        else { return nil }
        return (Self.account(user), session.csrfToken)
    }

    public func deleteSession(idHash: String) async throws {
        try await DB.Session.query(on: database).filter(\.$id == idHash).delete()
    }

    // MARK: Scope

    /// The regions a person's grid assignments name, with every region below them (regions.parent_code).
    public func gridRegions(personID: String) async throws -> Set<String> {
        guard let id = UUID(uuidString: personID) else { return [] }
        let roots = try await DB.GridAssignment.query(on: database).filter(\.$personID == id).all().map(\.regionCode)
        return try await RegionTree(database: database).withDescendants(Set(roots))
    }

    /// The scope of an account: `AccessScope.of` with its grid regions read from grid_assignments.
    public func scope(of account: UserAccount) async throws -> AccessScope {
        var grids: Set<String> = []
        if account.role == .gridWorker, let person = account.personID {
            grids = try await gridRegions(personID: person)
        }
        return AccessScope.of(role: account.role, unitCode: account.unitCode, gridRegions: grids)
    }

    // MARK: Mapping

    static func account(_ row: DB.User) -> UserAccount {
        UserAccount(
            id: row.id?.uuidString ?? "", username: row.username, displayName: row.displayName,
            role: Role(rawValue: row.role) ?? .public, unitCode: row.unitCode, personID: row.personID?.uuidString,
            disabled: row.disabled)
    }

    static func uuid(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw UserStoreError.notFound(text) }
        return id
    }
}

/// The region tree, read with one recursive query.
public struct RegionTree: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// `roots` and every region below them.
    public func withDescendants(_ roots: Set<String>) async throws -> Set<String> {
        guard !roots.isEmpty else { return [] }
        guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
        let rows = try await sql.raw(
            """
            WITH RECURSIVE tree(code) AS (
                SELECT code FROM regions WHERE code IN (\(binds: Array(roots).sorted()))
                UNION
                SELECT r.code FROM regions r JOIN tree t ON r.parent_code = t.code
            )
            SELECT code FROM tree
            """
        ).all()
        return Set(try rows.map { try $0.decode(column: "code", as: String.self) })
    }
}
