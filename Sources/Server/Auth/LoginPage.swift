import Campaign
import Store
import Vapor

/// `GET /login`, `POST /login`, `POST /logout`: sign-in for the pages with a session cookie (HttpOnly,
/// SameSite=Lax, Secure when configured). The login form is protected by a double-submit CSRF token (a
/// cookie and a hidden field that must match); forms of a session carry the session's CSRF token.
enum LoginPage {
    static let loginCSRFCookie = "lantian_login_csrf"

    struct Model: Encodable {
        var title = "登录 · 蓝天"
        var csrf: String
        var error: String?
        var username: String?
        var signedInAs: String?
        var roleName: String?
        /// Where to go after signing in (a local path).
        var next: String?
    }

    /// `next` when it is a path on this site, never another host: an absolute path without a scheme, a host,
    /// backslashes, whitespace or control characters (browsers drop tabs and newlines and read `\` as `/`, so
    /// `/\evil.example` or `/<TAB>/evil.example` would leave the site).
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"),
            !text.unicodeScalars.contains(where: {
                CharacterSet.controlCharacters.contains($0) || CharacterSet.whitespacesAndNewlines.contains($0)
            }),
            let components = URLComponents(string: text), components.scheme == nil, components.host == nil
        else { return nil }
        return text
    }

    struct Form: Content {
        var username: String?
        var password: String?
        var csrf: String?
        var next: String?
    }

    static func register(on app: Application) {
        app.get("login", use: show)
        app.post("login", use: signIn)
        app.post("logout", use: signOut)
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        if let identity = request.identity, identity.sessionHash != nil {
            let model = Model(
                csrf: identity.csrfToken ?? "", signedInAs: identity.account.username,
                roleName: identity.account.role.displayName)
            return try await request.view.render("login", model).encodeResponse(for: request)
        }
        return try await form(request, status: .ok, error: nil, username: nil)
    }

    /// A fresh login form with a fresh double-submit token.
    static func form(_ request: Request, status: HTTPResponseStatus, error: String?, username: String?) async throws
        -> Response
    {
        let token = AuthService.randomSecret()
        let next = localPath(
            request.query[String.self, at: "next"] ?? (try? request.content.get(String.self, at: "next")))
        let response = try await request.view.render(
            "login", Model(csrf: token, error: error, username: username, next: next)
        )
        .encodeResponse(status: status, for: request)
        response.cookies[loginCSRFCookie] = cookie(token, request, maxAge: 3600)
        return response
    }

    @Sendable static func signIn(_ request: Request) async throws -> Response {
        let form = (try? request.content.decode(Form.self)) ?? Form()
        guard let presented = form.csrf, !presented.isEmpty, presented == request.cookies[loginCSRFCookie]?.string
        else {
            return try await Self.form(
                request, status: .forbidden, error: "页面已过期，请重新登录 / the form expired (CSRF check failed); try again",
                username: form.username)
        }
        let auth = request.application.auth
        let account: UserAccount
        do {
            account = try await auth.signIn(
                username: form.username ?? "", password: form.password ?? "", address: request.clientAddress,
                on: request)
        } catch let error as Abort {
            let response = try await Self.form(
                request, status: error.status, error: error.reason, username: form.username)
            if let retry = error.headers.first(name: "Retry-After") {
                response.headers.replaceOrAdd(name: "Retry-After", value: retry)
            }
            return response
        }
        let session = AuthService.randomSecret()
        try await UserStore(database: request.db).createSession(
            idHash: AuthService.digest(session), userID: account.id, csrfToken: AuthService.randomSecret(),
            expiresAt: auth.now + auth.tokenLifetime)
        let landing = localPath(form.next) ?? Self.landing(for: account.role)
        let response = request.redirect(to: landing, redirectType: .normal)
        response.cookies[AccessMiddleware.sessionCookie] = cookie(session, request, maxAge: Int(auth.tokenLifetime))
        response.cookies[loginCSRFCookie] = .expired
        return response
    }

    /// Where a role starts: HQ roles on the dashboard, people in the field on their tasks, auditors on the ledger.
    static func landing(for role: Role) -> String {
        switch role {
        case .command, .dispatcher, .supervisor: "/dashboard"
        case .gridWorker, .factorySupervisor, .unitOfficer: "/field"
        case .auditor: "/cases"
        case .public: "/"
        }
    }

    /// Ends the session (the middleware has checked its CSRF token) and returns to the login page.
    @Sendable static func signOut(_ request: Request) async throws -> Response {
        if let hash = request.identity?.sessionHash {
            try await UserStore(database: request.db).deleteSession(idHash: hash)
        }
        let response = request.redirect(to: "/login", redirectType: .normal)
        response.cookies[AccessMiddleware.sessionCookie] = .expired
        return response
    }

    static func cookie(_ value: String, _ request: Request, maxAge: Int) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, maxAge: maxAge, path: "/", isSecure: request.application.auth.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }
}
