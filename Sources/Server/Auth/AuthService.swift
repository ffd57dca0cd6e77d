import Campaign
import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Store
import Vapor

/// Sign-in for the API and the pages: password checks (bcrypt), lock-out per username, a rate limit per
/// client address, token and session secrets. One per application; the clock is injectable for tests.
final class AuthService: Sendable {
    let bcryptCost: Int
    let tokenLifetime: Int64
    let secureCookies: Bool
    let lockout: LockoutPolicy
    /// Failed sign-ins one client address may make within `lockout.lockSeconds`.
    let failuresPerAddress: Int
    let metrics: AppMetrics
    private let state: NIOLockedValueBox<State>

    struct State {
        var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        var failuresByAddress: [String: [Int64]] = [:]
    }

    init(configuration: LantianConfiguration, metrics: AppMetrics, failuresPerAddress: Int = 20) {
        self.bcryptCost = configuration.bcryptCost
        self.tokenLifetime = Int64(configuration.tokenLifetimeSeconds)
        self.secureCookies = configuration.secureCookies
        self.lockout = LockoutPolicy()
        self.failuresPerAddress = failuresPerAddress
        self.metrics = metrics
        self.state = NIOLockedValueBox(State())
    }

    /// Seconds since 1970, from the injectable clock.
    var now: Int64 { state.withLockedValue { $0.clock }() }

    /// Replaces the clock (tests move time forward instead of sleeping).
    func setClock(_ clock: @escaping @Sendable () -> Int64) {
        state.withLockedValue { $0.clock = clock }
    }

    // MARK: Secrets

    func hashPassword(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: bcryptCost)
    }

    static func verifyPassword(_ password: String, hash: String) -> Bool {
        (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    /// 32 random bytes, URL-safe base64: a bearer token, a session id or a CSRF token.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a secret: its SHA-256, hex.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Sign-in

    /// Checks a username and password. 401 without saying which was wrong; 423 while the account is locked,
    /// 429 while the client address is over its limit, both with Retry-After.
    func signIn(username: String, password: String, address: String, on request: Request) async throws -> UserAccount {
        let now = self.now
        if let retry = addressRetryAfter(address, now: now) {
            metrics.recordLoginFailure(reason: "rate_limited")
            throw Self.refusal(
                .tooManyRequests, retryAfter: retry, "登录失败次数过多，请稍后再试 / too many failed sign-ins, try later")
        }
        let store = UserStore(database: request.db)
        let stored = try await store.credentials(username: username)
        if let stored, let lockedUntil = stored.lockedUntil, lockedUntil > now {
            metrics.recordLoginFailure(reason: "locked")
            throw Self.refusal(
                .locked, retryAfter: lockedUntil - now, "账号已临时锁定，请稍后再试 / the account is locked for a while")
        }
        let hash = stored?.passwordHash
        let matches = try await request.application.threadPool.runIfActive(eventLoop: request.eventLoop) {
            hash.map { Self.verifyPassword(password, hash: $0) } ?? false
        }.get()
        guard let stored, matches, !stored.account.disabled else {
            recordAddressFailure(address, now: now)
            metrics.recordLoginFailure(reason: stored == nil ? "unknown_user" : "bad_password")
            try await store.recordFailure(username: username, policy: lockout, now: now)
            throw Abort(.unauthorized, reason: "用户名或密码错误 / wrong username or password")
        }
        try await store.recordSuccess(userID: stored.account.id)
        return stored.account
    }

    static func refusal(_ status: HTTPResponseStatus, retryAfter: Int64, _ reason: String) -> Abort {
        Abort(status, headers: ["Retry-After": String(max(1, retryAfter))], reason: reason)
    }

    private func addressRetryAfter(_ address: String, now: Int64) -> Int64? {
        state.withLockedValue { state in
            let recent = (state.failuresByAddress[address] ?? []).filter { $0 > now - lockout.lockSeconds }
            state.failuresByAddress[address] = recent
            guard recent.count >= failuresPerAddress, let oldest = recent.first else { return nil }
            return oldest + lockout.lockSeconds - now
        }
    }

    private func recordAddressFailure(_ address: String, now: Int64) {
        state.withLockedValue { $0.failuresByAddress[address, default: []].append(now) }
    }

    /// Issues an API token for `account`; the clear token is returned once and only its hash is stored.
    func issueToken(for account: UserAccount, label: String?, on database: any Database) async throws -> (
        token: String, expiresAt: Int64
    ) {
        let token = Self.randomSecret()
        let expiresAt = now + tokenLifetime
        try await UserStore(database: database).issueToken(
            userID: account.id, tokenHash: Self.digest(token), label: label, expiresAt: expiresAt)
        return (token, expiresAt)
    }
}

extension Application {
    private struct AuthKey: StorageKey {
        typealias Value = AuthService
    }

    /// Sign-in for this application (set by `configure`).
    var auth: AuthService {
        get {
            guard let service = storage[AuthKey.self] else { fatalError("configure(_:_:metrics:) sets app.auth") }
            return service
        }
        set { storage[AuthKey.self] = newValue }
    }
}

extension Request {
    /// The client's address for the rate limit.
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
