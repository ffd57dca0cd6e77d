import Campaign
import Foundation
import Store
import Vapor

/// Accounts made by the system: the first administrator of a new installation and the demo's accounts.
enum Accounts {
    /// The first administrator's username.
    static let administrator = "admin"

    /// On a database without any user (and not in demo mode): creates `admin` (command) with the password
    /// from `LANTIAN_ADMIN_PASSWORD_FILE`, or a random one written to the standard output once. Returns the
    /// generated password, nil when nothing was created or the password came from the file.
    @discardableResult
    static func createFirstAdministrator(
        _ app: Application, _ configuration: LantianConfiguration, write: (String) -> Void = { print($0) }
    ) async throws -> String? {
        let store = UserStore(database: app.db)
        guard try await store.count() == 0 else { return nil }
        var generated: String?
        let password: String
        if let file = configuration.adminPasswordFile {
            let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = Credentials.passwordProblem(text) {
                throw ConfigurationError(problems: ["LANTIAN_ADMIN_PASSWORD_FILE=\(file)：\(problem)"])
            }
            password = text
        } else {
            password = AuthService.randomSecret()
            generated = password
        }
        let hash = try app.auth.hashPassword(password)
        do {
            try await store.create(
                NewUser(username: administrator, displayName: "系统管理员", passwordHash: hash, role: .command),
                by: .system("first-start"))
        } catch {
            // Another instance starting on the same PostgreSQL created it first: its password stands.
            if try await store.count() > 0 { return nil }
            throw error
        }
        if let generated {
            write(
                """
                已创建首个管理员账号（仅显示这一次，请立即登录并妥善保存）/ first administrator created (shown only once):
                  用户名 / username: \(administrator)
                  密码 / password:   \(generated)
                """)
        }
        app.logger.notice("first administrator created", metadata: ["username": .string(administrator)])
        return generated
    }

    /// One demo account per role; the password of `hq` is `demo-hq`, and so on (README lists them).
    static func demoAccounts(_ demo: BeijingDemo) -> [(username: String, role: Role, unit: String?, person: UUID?)] {
        let grid = DemoOrganisation().assignments.first { $0.level == .third }
        return [
            ("hq", .command, BeijingDemo.commandUnitCode, nil),
            ("dispatcher", .dispatcher, BeijingDemo.commandUnitCode, nil),
            ("supervisor", .supervisor, "BJ-SUPERVISION", nil),
            ("officer", .unitOfficer, demo.stations.first?.responsibleUnitCode, nil),
            ("grid", .gridWorker, nil, grid?.personID),
            ("factory", .factorySupervisor, "BJ-SEE", nil),
            ("auditor", .auditor, nil, nil),
            ("public", .public, nil, nil),
        ]
    }

    static func demoPassword(_ username: String) -> String { "demo-\(username)" }

    /// Seeds the demo accounts that do not exist yet.
    static func seedDemoAccounts(_ app: Application, demo: BeijingDemo) async throws {
        let store = UserStore(database: app.db)
        for account in demoAccounts(demo) where try await store.user(username: account.username) == nil {
            try await store.create(
                NewUser(
                    username: account.username, displayName: "\(account.role.displayName)（演示）",
                    passwordHash: try app.auth.hashPassword(demoPassword(account.username)), role: account.role,
                    unitCode: account.unit, personID: account.person),
                by: .system("demo"))
        }
    }
}

/// `lantian user …` in the library, so the command stays thin.
public enum UserAdministration {
    /// Every reason the account was not created, Chinese first.
    public struct Refusal: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    /// Creates an account (audited as `system:cli`). Throws `Refusal` naming every bad option.
    public static func create(
        _ app: Application, username: String, password: String, role roleName: String, unitCode: String?,
        personID: String? = nil, displayName: String? = nil
    ) async throws -> UserAccount {
        var problems: [String] = []
        if let problem = Credentials.usernameProblem(username) { problems.append("--username: \(problem)") }
        if let problem = Credentials.passwordProblem(password) { problems.append("--password-file: \(problem)") }
        let role = Role(rawValue: roleName)
        if role == nil { problems.append("--role: \(Role.problem(roleName))") }
        var person: UUID?
        if let personID {
            person = UUID(uuidString: personID)
            if person == nil { problems.append("--person: 应为 UUID / must be a UUID") }
        }
        let store = UserStore(database: app.db)
        if let unitCode,
            try await OrganisationRepository(database: app.db).units().first(where: { $0.code == unitCode }) == nil
        {
            problems.append("--unit: 单位 \(unitCode) 不存在 / no unit \(unitCode)")
        }
        if try await store.user(username: username) != nil {
            problems.append("--username: 用户名 \(username) 已被使用 / the username \(username) is taken")
        }
        guard problems.isEmpty, let role else { throw Refusal(problems: problems) }
        let hash = try app.auth.hashPassword(password)
        do {
            return try await store.create(
                NewUser(
                    username: username, displayName: displayName ?? username, passwordHash: hash, role: role,
                    unitCode: unitCode, personID: person),
                by: .system("cli"))
        } catch let error as UserStoreError {
            throw Refusal(problems: [error.description])
        }
    }

    public static func list(_ app: Application) async throws -> [UserAccount] {
        try await UserStore(database: app.db).users()
    }

    /// Disables an account and ends its sessions and tokens; false when there is no such user.
    public static func disable(_ app: Application, username: String) async throws -> Bool {
        let store = UserStore(database: app.db)
        guard let account = try await store.user(username: username), let id = UUID(uuidString: account.id) else {
            return false
        }
        var patch = UserPatch()
        patch.disabled = true
        try await store.update(id: id, with: patch, by: .system("cli"))
        return true
    }
}
