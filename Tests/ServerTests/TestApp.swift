import Campaign
import Foundation
import LantianTestSupport
import Store
import Vapor
import VaporTesting

@testable import Server

/// Builds the application exactly as `lantian serve` does (configure + prepareDatabase) on a fresh
/// database of the given kind, runs `body`, and shuts it down. `services: false` prepares it like a
/// one-shot command (`lantian import …`): no writer loop.
func withLantian(
    on database: TestDatabase,
    demo: Bool = false,
    demoReplay: Bool = false,
    prepare: Bool = true,
    services: Bool = true,
    _ body: (Application, LantianConfiguration, AppMetrics) async throws -> Void
) async throws {
    try await database.withFreshDatabase { location in
        // bcrypt cost 4: the lowest the algorithm allows, so that tests that sign in stay fast.
        // A data directory of its own (evidence files), removed afterwards.
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("lantian-test-data-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let configuration = LantianConfiguration(
            database: location, dataDirectory: dataDirectory, demo: demo, demoReplay: demoReplay, bcryptCost: 4)
        let metrics = AppMetrics()
        let app = try await Application.make(.testing)
        do {
            try configure(app, configuration, metrics: metrics)
            if prepare {
                if !location.isSQLite {
                    // The deployment step `lantian migrate` takes on PostgreSQL.
                    try await app.autoMigrate()
                }
                try await prepareDatabase(app, configuration, services: services)
            }
            try await body(app, configuration, metrics)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// Creates a user of `role` (optionally in a unit, linked to a person) and returns a bearer token for it.
/// The username defaults to the role's name plus a random suffix, so one test may make several.
@discardableResult
func makeToken(
    _ app: Application, role: Role, unit: String? = nil, person: UUID? = nil, username: String? = nil,
    password: String = "correct horse battery"
) async throws -> String {
    let name = username ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
    let account = try await UserStore(database: app.db).create(
        NewUser(
            username: name, displayName: name, passwordHash: try app.auth.hashPassword(password), role: role,
            unitCode: unit, personID: person),
        by: .system("test"))
    return try await app.auth.issueToken(for: account, label: "test", on: app.db).token
}

/// `app.testing()` with every request signed in with `token` (Authorization: Bearer).
struct SignedInTester: TestingApplicationTester {
    let base: any TestingApplicationTester
    let token: String

    func performTest(request: TestingHTTPRequest) async throws -> TestingHTTPResponse {
        var request = request
        request.headers.bearerAuthorization = BearerAuthorization(token: token)
        return try await base.performTest(request: request)
    }
}

extension Application {
    private struct CommandTokenKey: StorageKey {
        typealias Value = String
    }

    /// A tester signed in as a user of the command role (all permissions, all scope), made once per app.
    func signedIn() async throws -> SignedInTester {
        if let token = storage[CommandTokenKey.self] { return SignedInTester(base: try testing(), token: token) }
        let token = try await makeToken(self, role: .command)
        storage[CommandTokenKey.self] = token
        return SignedInTester(base: try testing(), token: token)
    }

    func signedIn(token: String) throws -> SignedInTester { SignedInTester(base: try testing(), token: token) }
}
