import Campaign
import Foundation
import LantianTestSupport
import NIOConcurrencyHelpers
import SQLKit
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

/// Sign-in through the real application: tokens, lock-out, sessions with CSRF, the first administrator.
@Suite("Sign-in")
struct AuthTests {
    static let password = "correct horse battery"

    static func credentials(_ username: String, _ password: String) -> (inout TestingHTTPRequest) throws -> Void {
        { request in
            request.headers.contentType = .json
            request.body = ByteBuffer(string: #"{"username":"\#(username)","password":"\#(password)"}"#)
        }
    }

    /// A clock the test moves by hand.
    final class Clock: Sendable {
        let seconds = NIOLockedValueBox<Int64>(Int64(Date().timeIntervalSince1970))
        func advance(_ by: Int64) { seconds.withLockedValue { $0 += by } }
        var now: Int64 { seconds.withLockedValue { $0 } }
    }

    @Test func bcryptHashesVerifyOnlyTheirPassword() throws {
        let hash = try Bcrypt.hash(Self.password, cost: 4)
        #expect(hash.hasPrefix("$2"))
        #expect(AuthService.verifyPassword(Self.password, hash: hash))
        #expect(!AuthService.verifyPassword("correct horse battery!", hash: hash))
    }

    @Test(arguments: TestDatabase.all)
    func tokensExpireAndCanBeRevoked(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            let clock = Clock()
            app.auth.setClock { clock.now }
            try await makeToken(app, role: .dispatcher, username: "li.dispatcher")
            // A wrong password: 401 without saying which part was wrong.
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("li.dispatcher", "wrong password!")
            ) {
                response async in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("用户名或密码错误"))
            }
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("nobody", "wrong password!")
            ) {
                response async in
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains("用户名或密码错误"))
            }
            var token = ""
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("li.dispatcher", Self.password)
            ) {
                response async throws in
                #expect(response.status == .created)
                let body = try JSONDecoder().decode(AuthController.TokenResponse.self, from: response.body)
                token = body.token
                let expires = try #require(ISO8601DateFormatter().date(from: body.expiresAt))
                #expect(Int64(expires.timeIntervalSince1970) == clock.now + 12 * 3600)
                #expect(body.user.role == "dispatcher")
            }
            // Only the token's hash is stored.
            let sql = try #require(app.db as? any SQLDatabase)
            let stored = try await sql.raw("SELECT token_hash FROM api_tokens").all().map {
                try $0.decode(column: "token_hash", as: String.self)
            }
            #expect(stored.contains(AuthService.digest(token)))
            #expect(!stored.contains(token))

            try await app.signedIn(token: token).test(.GET, "api/v1/auth/me") { response async throws in
                #expect(response.status == .ok)
                #expect(try JSONDecoder().decode(UserResponse.self, from: response.body).username == "li.dispatcher")
            }
            // Twelve hours and a second later the token is dead.
            clock.advance(12 * 3600 + 1)
            try await app.signedIn(token: token).test(.GET, "api/v1/auth/me") { response async in
                #expect(response.status == .unauthorized)
                #expect(response.headers.first(name: "WWW-Authenticate") == "Bearer")
            }
            // A fresh token works until it is revoked.
            let fresh = try await makeToken(app, role: .auditor)
            try await app.signedIn(token: fresh).test(.GET, "api/v1/auth/me") { #expect($0.status == .ok) }
            try await app.signedIn(token: fresh).test(.DELETE, "api/v1/auth/token") { #expect($0.status == .noContent) }
            try await app.signedIn(token: fresh).test(.GET, "api/v1/auth/me") { #expect($0.status == .unauthorized) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func fiveFailuresLockTheAccountForFifteenMinutes(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, metrics in
            let clock = Clock()
            app.auth.setClock { clock.now }
            try await makeToken(app, role: .supervisor, username: "wang.supervisor")
            for _ in 1...5 {
                try await app.testing().test(
                    .POST, "api/v1/auth/token", beforeRequest: Self.credentials("wang.supervisor", "not the password")
                ) {
                    #expect($0.status == .unauthorized)
                }
            }
            // Locked: even the right password is refused, with Retry-After.
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("wang.supervisor", Self.password)
            ) {
                response async in
                #expect(response.status == .locked)
                #expect(response.headers.first(name: "Retry-After") == "900")
            }
            #expect(metrics.exposition().contains(#"lantian_auth_login_failures_total{reason="bad_password"} 5"#))
            #expect(metrics.exposition().contains(#"lantian_auth_login_failures_total{reason="locked"} 1"#))
            clock.advance(15 * 60 + 1)
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("wang.supervisor", Self.password)
            ) {
                #expect($0.status == .created)
            }
        }
    }

    @Test func oneAddressIsRateLimited() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            for index in 0..<20 {
                try await app.testing().test(
                    .POST, "api/v1/auth/token", beforeRequest: Self.credentials("guess\(index)", "not the password")
                ) {
                    #expect($0.status == .unauthorized)
                }
            }
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("guess20", "not the password")
            ) {
                response async in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers.first(name: "Retry-After") != nil)
            }
        }
    }

    /// The value of `name="csrf" value="…"` in a page.
    static func csrf(in page: String) throws -> String {
        let marker = #"name="csrf" value=""#
        let start = try #require(page.range(of: marker)).upperBound
        let end = try #require(page[start...].firstIndex(of: "\""))
        return String(page[start..<end])
    }

    static func form(_ fields: [String: String], cookies: String) -> (inout TestingHTTPRequest) throws -> Void {
        { request in
            request.headers.contentType = .urlEncodedForm
            request.headers.replaceOrAdd(name: .cookie, value: cookies)
            let body = fields.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
            }.joined(separator: "&")
            request.body = ByteBuffer(string: body)
        }
    }

    static func cookie(_ name: String, in response: TestingHTTPResponse) -> String? {
        response.headers[.setCookie].compactMap { header -> String? in
            guard header.hasPrefix(name + "=") else { return nil }
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }.first
    }

    @Test(arguments: TestDatabase.all)
    func sessionLoginAndLogoutWithCSRF(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            try await makeToken(app, role: .command, username: "zhao.hq")
            // The login page: a form token and the matching cookie.
            var formToken = ""
            var loginCookie = ""
            try await app.testing().test(.GET, "login") { response async throws in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("登录"))
                formToken = try Self.csrf(in: response.body.string)
                loginCookie = try #require(Self.cookie(LoginPage.loginCSRFCookie, in: response))
                let header = try #require(response.headers[.setCookie].first)
                #expect(header.contains("HttpOnly"))
                #expect(header.contains("SameSite=Lax"))
            }
            #expect(formToken == loginCookie)
            // A form without the right token is refused.
            try await app.testing().test(
                .POST, "login",
                beforeRequest: Self.form(
                    ["username": "zhao.hq", "password": Self.password, "csrf": "forged"],
                    cookies: "\(LoginPage.loginCSRFCookie)=\(loginCookie)")
            ) { response async in
                #expect(response.status == .forbidden)
                #expect(Self.cookie(AccessMiddleware.sessionCookie, in: response) == nil)
            }
            // The right token and password: a session cookie, and HQ starts on the dashboard.
            var session = ""
            try await app.testing().test(
                .POST, "login",
                beforeRequest: Self.form(
                    ["username": "zhao.hq", "password": Self.password, "csrf": formToken],
                    cookies: "\(LoginPage.loginCSRFCookie)=\(loginCookie)")
            ) { response async throws in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/dashboard")
                session = try #require(Self.cookie(AccessMiddleware.sessionCookie, in: response))
            }
            let sessionCookie = "\(AccessMiddleware.sessionCookie)=\(session)"
            try await app.testing().test(.GET, "api/v1/auth/me", headers: ["Cookie": sessionCookie]) {
                response async throws in
                #expect(response.status == .ok)
                #expect(try JSONDecoder().decode(UserResponse.self, from: response.body).username == "zhao.hq")
            }
            // A state-changing request of the session without its CSRF token is refused.
            try await app.testing().test(
                .POST, "api/v1/units", headers: ["Cookie": sessionCookie, "Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"code":"X1","name":"某单位","kind":"department"}"#)
            ) { response async in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("CSRF"))
            }
            // The signed-in login page carries the session's token for the logout form.
            var sessionCSRF = ""
            try await app.testing().test(.GET, "login", headers: ["Cookie": sessionCookie]) { response async throws in
                #expect(response.body.string.contains("zhao.hq"))
                sessionCSRF = try Self.csrf(in: response.body.string)
            }
            try await app.testing().test(
                .POST, "api/v1/units",
                headers: ["Cookie": sessionCookie, "Content-Type": "application/json", "X-CSRF-Token": sessionCSRF],
                body: ByteBuffer(string: #"{"code":"X1","name":"某单位","kind":"department"}"#)
            ) { response async in
                #expect(response.status == .created)
            }
            try await app.testing().test(.POST, "logout", beforeRequest: Self.form([:], cookies: sessionCookie)) {
                #expect($0.status == .forbidden)
            }
            try await app.testing().test(
                .POST, "logout", beforeRequest: Self.form(["csrf": sessionCSRF], cookies: sessionCookie)
            ) { response async in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/login")
            }
            try await app.testing().test(.GET, "api/v1/auth/me", headers: ["Cookie": sessionCookie]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFirstAdministratorIsCreatedAndPrintedOnce(database: TestDatabase) async throws {
        try await withLantian(on: database, services: false) { app, configuration, _ in
            let printed = NIOLockedValueBox<[String]>([])
            let password = try await Accounts.createFirstAdministrator(app, configuration) { text in
                printed.withLockedValue { $0.append(text) }
            }
            let generated = try #require(password)
            #expect(generated.count >= 40)
            #expect(printed.withLockedValue { $0 }.count == 1)
            #expect(printed.withLockedValue { $0 }.first?.contains(generated) == true)
            // A second start finds a user and says nothing.
            let again = try await Accounts.createFirstAdministrator(app, configuration) { text in
                printed.withLockedValue { $0.append(text) }
            }
            #expect(again == nil)
            #expect(printed.withLockedValue { $0 }.count == 1)
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("admin", generated)
            ) {
                response async throws in
                #expect(response.status == .created)
                #expect(
                    try JSONDecoder().decode(AuthController.TokenResponse.self, from: response.body).user.role
                        == "command")
            }
        }
    }

    @Test func theFirstAdministratorPasswordMayComeFromAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("admin-\(UUID().uuidString)")
        try "from the file 123\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withLantian(on: .sqlite, services: false) { app, configuration, _ in
            var configuration = configuration
            configuration.adminPasswordFile = file.path
            let printed = try await Accounts.createFirstAdministrator(app, configuration) { _ in Issue.record("printed")
            }
            #expect(printed == nil)
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("admin", "from the file 123")
            ) {
                #expect($0.status == .created)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func commandManagesUsers(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            let tester = try await app.signedIn()
            func json(_ body: String) -> (inout TestingHTTPRequest) throws -> Void {
                { request in
                    request.headers.contentType = .json
                    request.body = ByteBuffer(string: body)
                }
            }
            try await tester.test(
                .POST, "api/v1/users", beforeRequest: json(#"{"username":"a b","password":"short","role":"king"}"#)
            ) {
                response async throws in
                #expect(response.status == .unprocessableEntity)
                let body = try JSONDecoder().decode(LantianErrorMiddleware.APIError.self, from: response.body)
                #expect(Set(body.problems?.map(\.field) ?? []) == ["username", "password", "role"])
            }
            var id = ""
            try await tester.test(
                .POST, "api/v1/users",
                beforeRequest: json(
                    #"{"username":"chen","password":"\#(Self.password)","role":"auditor","displayName":"陈审计"}"#)
            ) { response async throws in
                #expect(response.status == .created)
                let user = try JSONDecoder().decode(UserResponse.self, from: response.body)
                id = user.id
                #expect(user.permissions.contains("users.read"))
                #expect(!response.body.string.contains("password"))
            }
            try await tester.test(
                .POST, "api/v1/users",
                beforeRequest: json(#"{"username":"chen","password":"\#(Self.password)","role":"auditor"}"#)
            ) { #expect($0.status == .conflict) }
            try await tester.test(
                .POST, "api/v1/users",
                beforeRequest: json(
                    #"{"username":"liu","password":"\#(Self.password)","role":"unit_officer","unitCode":"NOPE"}"#)
            ) { #expect($0.status == .unprocessableEntity) }
            // The auditor signs in, then is disabled: the token stops working, sign-in is refused.
            var token = ""
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("chen", Self.password)
            ) {
                response async throws in
                token = try JSONDecoder().decode(AuthController.TokenResponse.self, from: response.body).token
            }
            try await app.signedIn(token: token).test(.GET, "api/v1/users") { #expect($0.status == .ok) }
            try await app.signedIn(token: token).test(.POST, "api/v1/users", beforeRequest: json("{}")) {
                #expect($0.status == .forbidden)
            }
            try await tester.test(.POST, "api/v1/users/\(id)/disable") { response async throws in
                #expect(response.status == .ok)
                #expect(try JSONDecoder().decode(UserResponse.self, from: response.body).disabled)
            }
            try await app.signedIn(token: token).test(.GET, "api/v1/users") { #expect($0.status == .unauthorized) }
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("chen", Self.password)
            ) {
                #expect($0.status == .unauthorized)
            }
            // Enabled again with a new password.
            try await tester.test(
                .PATCH, "api/v1/users/\(id)", beforeRequest: json(#"{"disabled":false,"role":"supervisor"}"#)
            ) {
                response async throws in
                #expect(try JSONDecoder().decode(UserResponse.self, from: response.body).role == "supervisor")
            }
            try await tester.test(
                .POST, "api/v1/users/\(id)/password", beforeRequest: json(#"{"password":"a new password 42"}"#)
            ) {
                #expect($0.status == .ok)
            }
            try await app.testing().test(
                .POST, "api/v1/auth/token", beforeRequest: Self.credentials("chen", "a new password 42")
            ) {
                #expect($0.status == .created)
            }
            // Every change is in the audit log, by the signed-in user.
            let sql = try #require(app.db as? any SQLDatabase)
            let actors = try await sql.raw("SELECT actor FROM audit_log WHERE entity = 'user' AND entity_id = 'chen'")
                .all()
                .map { try $0.decode(column: "actor", as: String.self) }
            #expect(actors.count == 4)
            #expect(actors.dropFirst().allSatisfy { $0.hasPrefix("user:command-") })
            let text = try await sql.raw("SELECT after FROM audit_log WHERE entity = 'user'").all()
                .map { try $0.decode(column: "after", as: String.self) }.joined()
            #expect(!text.contains("$2"))
        }
    }
}
