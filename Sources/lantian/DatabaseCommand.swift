import ArgumentParser
import Fluent
import Logging
import Server
import Vapor

extension LantianConfiguration {
    /// Runs a one-shot command against the configured database: the application is built the way `serve`
    /// builds it (no HTTP server), handed to `body`, and shut down whatever happens.
    func withApplication<T>(logger: Logger, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await LantianServer.makeApplication()
        app.logger = logger
        do {
            try configure(app, self, metrics: AppMetrics())
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Like `withApplication`, with the database brought to the state `serve` needs first: SQLite migrates
    /// itself; pending migrations on PostgreSQL stop the command (exit 75) with the advice to run `lantian migrate`.
    func withReadyDatabase<T>(logger: Logger, _ body: (Application) async throws -> T) async throws -> T {
        do {
            return try await withApplication(logger: logger) { app in
                try await prepareDatabase(app, self, services: false)
                return try await body(app)
            }
        } catch let error as StartupError {
            logger.critical("\(error.description)")
            throw ExitCode(75)
        }
    }
}
