import Campaign
import Foundation
import Store
import Vapor

/// User accounts under `/api/v1/users` (command role): list, show, create, change, disable, reset password.
struct UserController {
    func register(on routes: any RoutesBuilder) {
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":id", use: show)
        users.patch(":id", use: update)
        users.post(":id", "disable", use: disable)
        users.post(":id", "password", use: resetPassword)
    }

    struct UserBody: Content {
        var username: String?
        var displayName: String?
        var password: String?
        var role: String?
        var unitCode: String?
        var personId: String?
        var disabled: Bool?
    }

    @Sendable func list(_ request: Request) async throws -> [UserResponse] {
        try await UserStore(database: request.db).users().map(UserResponse.init)
    }

    @Sendable func show(_ request: Request) async throws -> UserResponse {
        UserResponse(try await Self.existing(request))
    }

    /// `POST /users`: 201; 422 naming every bad field; 409 when the username is taken.
    @Sendable func create(_ request: Request) async throws -> Response {
        let body = try Self.decode(request)
        var problems: [FieldProblem] = []
        let username = body.username ?? ""
        if let problem = Credentials.usernameProblem(username) {
            problems.append(FieldProblem(field: "username", message: problem))
        }
        let password = body.password ?? ""
        if let problem = Credentials.passwordProblem(password) {
            problems.append(FieldProblem(field: "password", message: problem))
        }
        let role = Role(rawValue: body.role ?? "")
        if role == nil { problems.append(FieldProblem(field: "role", message: Role.problem(body.role ?? ""))) }
        let person = try Self.personID(body.personId, into: &problems)
        guard problems.isEmpty, let role else { throw InvalidFieldsError(problems: problems) }
        let hash = try await Self.hash(password, request)
        let user = NewUser(
            username: username, displayName: body.displayName ?? username, passwordHash: hash, role: role,
            unitCode: body.unitCode, personID: person)
        let account = try await Self.answering {
            try await UserStore(database: request.db).create(user, by: request.auditActor)
        }
        let response = try await UserResponse(account).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/users/\(account.id)")
        return response
    }

    /// `PATCH /users/:id`: displayName, role, unitCode (null clears), personId (null clears), disabled.
    @Sendable func update(_ request: Request) async throws -> UserResponse {
        let current = try await Self.existing(request)
        let body = try Self.decode(request)
        let raw = try? request.content.decode([String: JSONValue].self)
        var problems: [FieldProblem] = []
        var patch = UserPatch()
        patch.displayName = body.displayName
        if let text = body.role {
            patch.role = Role(rawValue: text)
            if patch.role == nil { problems.append(FieldProblem(field: "role", message: Role.problem(text))) }
        }
        if raw?["unitCode"] != nil { patch.unitCode = .some(body.unitCode) }
        if raw?["personId"] != nil { patch.personID = .some(try Self.personID(body.personId, into: &problems)) }
        if body.password != nil {
            problems.append(
                FieldProblem(
                    field: "password", message: "请用 POST /users/{id}/password 重置密码 / use POST /users/{id}/password"))
        }
        patch.disabled = body.disabled
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        return UserResponse(try await Self.change(current, patch, request))
    }

    /// `POST /users/:id/disable`: the account can no longer sign in; its sessions and tokens end.
    @Sendable func disable(_ request: Request) async throws -> UserResponse {
        let current = try await Self.existing(request)
        var patch = UserPatch()
        patch.disabled = true
        return UserResponse(try await Self.change(current, patch, request))
    }

    /// `POST /users/:id/password` `{"password"}`: sets a new password, unlocks, ends sessions and tokens.
    @Sendable func resetPassword(_ request: Request) async throws -> UserResponse {
        let current = try await Self.existing(request)
        let password = try Self.decode(request).password ?? ""
        if let problem = Credentials.passwordProblem(password) {
            throw InvalidFieldsError(problems: [FieldProblem(field: "password", message: problem)])
        }
        var patch = UserPatch()
        patch.passwordHash = try await Self.hash(password, request)
        return UserResponse(try await Self.change(current, patch, request))
    }

    // MARK: Helpers

    static func decode(_ request: Request) throws -> UserBody {
        do {
            return try request.content.decode(UserBody.self)
        } catch {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象，字段类型见接口文档 / the body must be a JSON object as documented")
        }
    }

    static func existing(_ request: Request) async throws -> UserAccount {
        let text = try request.parameters.require("id")
        guard let id = UUID(uuidString: text), let account = try await UserStore(database: request.db).user(id: id)
        else {
            throw Abort(.notFound, reason: "用户 \(text) 不存在 / no user \(text)")
        }
        return account
    }

    static func personID(_ text: String?, into problems: inout [FieldProblem]) throws -> UUID? {
        guard let text else { return nil }
        guard let id = UUID(uuidString: text) else {
            problems.append(FieldProblem(field: "personId", message: "应为 UUID / must be a UUID"))
            return nil
        }
        return id
    }

    static func hash(_ password: String, _ request: Request) async throws -> String {
        let auth = request.application.auth
        return try await request.application.threadPool.runIfActive(eventLoop: request.eventLoop) {
            try auth.hashPassword(password)
        }.get()
    }

    static func change(_ current: UserAccount, _ patch: UserPatch, _ request: Request) async throws -> UserAccount {
        guard let id = UUID(uuidString: current.id) else { throw Abort(.notFound) }
        return try await answering {
            try await UserStore(database: request.db).update(id: id, with: patch, by: request.auditActor)
        }
    }

    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as UserStoreError {
            switch error {
            case .duplicateUsername: throw Abort(.conflict, reason: error.description)
            case .unknownUnit:
                throw InvalidFieldsError(problems: [FieldProblem(field: "unitCode", message: error.description)])
            case .notFound: throw Abort(.notFound, reason: error.description)
            }
        }
    }
}
