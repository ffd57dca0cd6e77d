import Campaign
import Store
import Vapor

/// Who is calling, and how they proved it.
struct Identity: Sendable {
    var account: UserAccount
    /// Hash of the bearer token, when signed in with one.
    var tokenHash: String?
    /// Hash of the session cookie and the session's CSRF token, when signed in through the login page.
    var sessionHash: String?
    var csrfToken: String?
}

/// Authenticates every request (bearer token, else session cookie), then applies the route's rule from
/// `RouteAccess.table`: 401 without credentials, 403 without the permission, and for a permission rule the
/// caller's `AccessScope` for the handler's repository queries. State-changing requests of a browser
/// session must carry the session's CSRF token (form field `csrf` or header `X-CSRF-Token`).
struct AccessMiddleware: AsyncMiddleware {
    static let sessionCookie = "lantian_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let route = request.route else { return try await next.respond(to: request) }
        guard let rule = RouteAccess.rule(for: route) else {
            request.logger.error("route without an access rule", metadata: ["route": .string(route.description)])
            throw Abort(.forbidden, reason: "该接口未配置访问规则 / this route has no access rule")
        }
        let identity = try await authenticate(request)
        request.identity = identity
        switch rule {
        case .open, .page:
            // A page answers for itself: sign-in redirect or a refusal page (`Pages.render`).
            break
        case .signedIn:
            guard identity != nil else { throw Self.unauthorized() }
        case .permission(let permission):
            guard let identity else { throw Self.unauthorized() }
            guard identity.account.may(permission) else {
                throw Abort(
                    .forbidden,
                    reason:
                        "角色“\(identity.account.role.displayName)”无权执行此操作 / the role \(identity.account.role.rawValue) "
                        + "lacks the permission \(permission.rawValue)")
            }
            request.accessScope = try await UserStore(database: request.db).scope(of: identity.account)
        }
        if let identity, identity.sessionHash != nil, ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            let presented =
                request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: "csrf"))
            guard let presented, presented == identity.csrfToken else {
                throw Abort(.forbidden, reason: "CSRF 校验失败，请刷新页面后重试 / CSRF check failed; reload the page and try again")
            }
        }
        return try await next.respond(to: request)
    }

    static func unauthorized() -> Abort {
        Abort(
            .unauthorized, headers: ["WWW-Authenticate": "Bearer"],
            reason: "请先登录 / sign-in required (Authorization: Bearer <token>)")
    }

    private func authenticate(_ request: Request) async throws -> Identity? {
        let store = UserStore(database: request.db)
        let now = request.application.auth.now
        if let bearer = request.headers.bearerAuthorization {
            let hash = AuthService.digest(bearer.token)
            guard let account = try await store.user(tokenHash: hash, now: now) else { return nil }
            return Identity(account: account, tokenHash: hash)
        }
        if let cookie = request.cookies[Self.sessionCookie]?.string, !cookie.isEmpty {
            let hash = AuthService.digest(cookie)
            guard let (account, csrf) = try await store.session(idHash: hash, now: now) else { return nil }
            return Identity(account: account, sessionHash: hash, csrfToken: csrf)
        }
        return nil
    }
}

extension Request {
    private struct IdentityKey: StorageKey {
        typealias Value = Identity
    }

    private struct ScopeKey: StorageKey {
        typealias Value = AccessScope
    }

    /// The signed-in caller, if any (set by `AccessMiddleware`).
    var identity: Identity? {
        get { storage[IdentityKey.self] }
        set { storage[IdentityKey.self] = newValue }
    }

    var user: UserAccount? { identity?.account }

    /// Which items the caller sees: set for routes that need a permission; `.none` otherwise, so a handler
    /// that forgets its rule shows nothing rather than everything.
    var accessScope: AccessScope {
        get { storage[ScopeKey.self] ?? AccessScope.none }
        set { storage[ScopeKey.self] = newValue }
    }

    /// Who the audit log names for a change made through this request.
    var auditActor: AuditActor {
        if let user { return .user(user.username) }
        return AuditActor(kind: "api", id: id)
    }
}
