import Campaign
import Foundation
import Store
import Vapor

/// The account as the API shows it (never the password hash).
struct UserResponse: Content {
    var id: String
    var username: String
    var displayName: String
    var role: String
    var roleName: String
    var unitCode: String?
    var personId: String?
    var disabled: Bool
    var permissions: [String]

    init(_ account: UserAccount) {
        id = account.id
        username = account.username
        displayName = account.displayName
        role = account.role.rawValue
        roleName = account.role.displayName
        unitCode = account.unitCode
        personId = account.personID
        disabled = account.disabled
        permissions = RolePermissions.permissions(of: account.role).map(\.rawValue).sorted()
    }
}

/// `POST /api/v1/auth/token` (sign in, get a bearer token), `DELETE /api/v1/auth/token` (revoke the presented
/// token), `GET /api/v1/auth/me`.
struct AuthController {
    func register(on routes: any RoutesBuilder) {
        let auth = routes.grouped("auth")
        auth.post("token", use: issue)
        auth.delete("token", use: revoke)
        auth.get("me", use: me)
    }

    struct Credentials: Content {
        var username: String?
        var password: String?
        var label: String?
    }

    struct TokenResponse: Content {
        var token: String
        var expiresAt: String
        var user: UserResponse
    }

    @Sendable func issue(_ request: Request) async throws -> Response {
        let body: Credentials
        do {
            body = try request.content.decode(Credentials.self)
        } catch {
            throw Abort(
                .badRequest, reason: "请求体应为 {\"username\",\"password\"} / the body must be {\"username\",\"password\"}")
        }
        var problems: [FieldProblem] = []
        if (body.username ?? "").isEmpty { problems.append(FieldProblem(field: "username", message: "必填 / required")) }
        if (body.password ?? "").isEmpty { problems.append(FieldProblem(field: "password", message: "必填 / required")) }
        guard problems.isEmpty, let username = body.username, let password = body.password else {
            throw InvalidFieldsError(problems: problems)
        }
        let auth = request.application.auth
        let account = try await auth.signIn(
            username: username, password: password, address: request.clientAddress, on: request)
        let (token, expiresAt) = try await auth.issueToken(for: account, label: body.label, on: request.db)
        let answer = TokenResponse(token: token, expiresAt: Self.iso(expiresAt), user: UserResponse(account))
        let response = try await answer.encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func revoke(_ request: Request) async throws -> HTTPStatus {
        guard let hash = request.identity?.tokenHash else {
            throw Abort(
                .badRequest, reason: "请用 Authorization: Bearer 出示要撤销的令牌 / present the token to revoke as a bearer token"
            )
        }
        try await UserStore(database: request.db).revokeToken(tokenHash: hash, now: request.application.auth.now)
        return .noContent
    }

    @Sendable func me(_ request: Request) async throws -> UserResponse {
        guard let user = request.user else { throw AccessMiddleware.unauthorized() }
        return UserResponse(user)
    }

    static func iso(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
