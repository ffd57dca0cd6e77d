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
        let configuration = LantianConfiguration(database: location, demo: demo, demoReplay: demoReplay)
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
