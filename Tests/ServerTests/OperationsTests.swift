import Foundation
import LantianTestSupport
import Store
import Testing
import Vapor
import VaporTesting

@testable import Server

@Suite("Operations: healthz, readyz, metrics, errors")
struct OperationsTests {
    @Test(arguments: TestDatabase.all)
    func healthzAnswersWhileAlive(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            try await app.testing().test(.GET, "healthz") { response async in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""status":"ok""#))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func readyzIsReadyOnceMigrated(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            try await app.testing().test(.GET, "readyz") { response async in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""status":"ready""#))
                #expect(response.body.string.contains(#""pendingMigrations":[]"#))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func readyzNamesPendingMigrations(database: TestDatabase) async throws {
        // Given a database nobody migrated
        try await withLantian(on: database, prepare: false) { app, _, _ in
            // Then readiness fails and says what to do
            try await app.testing().test(.GET, "readyz") { response async in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string.contains("Store.CreateStation"))
                #expect(response.body.string.contains("lantian migrate"))
            }
        }
    }

    @Test func readyzFailsWhenTheDatabaseIsUnreachable() async throws {
        // A PostgreSQL URL where nothing listens: the app still builds (connections are lazy).
        let configuration = LantianConfiguration(database: .postgres(url: "postgres://nobody@127.0.0.1:1/none"))
        let app = try await Application.make(.testing)
        try configure(app, configuration, metrics: AppMetrics())
        try await app.testing().test(.GET, "readyz") { response async in
            #expect(response.status == .serviceUnavailable)
            #expect(response.body.string.contains(#""database":"unreachable""#))
        }
        try await app.asyncShutdown()
    }

    @Test(arguments: TestDatabase.all)
    func postgresRefusesToStartWithPendingMigrationsButSQLiteMigratesItself(database: TestDatabase) async throws {
        try await database.withFreshDatabase { location in
            let configuration = LantianConfiguration(database: location)
            let app = try await Application.make(.testing)
            try configure(app, configuration, metrics: AppMetrics())
            if location.isSQLite {
                try await prepareDatabase(app, configuration)
                #expect(try await MigrationStatus.pendingMigrations(on: app.db).isEmpty)
            } else {
                await #expect(throws: StartupError.pendingMigrations(LantianMigrations.names)) {
                    try await prepareDatabase(app, configuration)
                }
            }
            try await app.asyncShutdown()
        }
    }

    @Test(arguments: TestDatabase.all)
    func metricsExportRequestsLatencyAndDatabaseFigures(database: TestDatabase) async throws {
        try await withLantian(on: database) { app, _, _ in
            // Given some traffic, one of it failing
            try await app.testing().test(.GET, "healthz") { _ in }
            try await app.testing().test(.GET, "healthz") { _ in }
            try await app.signedIn().test(.GET, "api/v1/stations/NOPE") { response async in
                #expect(response.status == .notFound)
            }
            // When Prometheus scrapes
            try await app.testing().test(.GET, "metrics") { response async in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "plain")
                let text = response.body.string
                // Then counts and latency histograms are there by route pattern and status
                #expect(text.contains(#"lantian_http_requests_total{method="GET",route="/healthz",status="200"} 2"#))
                #expect(
                    text.contains(
                        #"lantian_http_requests_total{method="GET",route="/api/v1/stations/:code",status="404"} 1"#))
                #expect(text.contains("# TYPE lantian_http_request_duration_seconds histogram"))
                #expect(
                    text.contains(
                        #"lantian_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 2"#))
                // And the database figures
                let driver = database.description
                #expect(text.contains(#"lantian_db_up{driver="\#(driver)"} 1"#))
                #expect(text.contains(#"lantian_db_migrations_pending{driver="\#(driver)"} 0"#))
                #expect(text.contains("lantian_db_pool_max_connections"))
                #expect(text.contains("lantian_db_size_bytes"))
                if case .postgres = database {
                    #expect(text.contains("lantian_db_connections_open"))
                }
            }
        }
    }

    @Test func apiErrorsAreJSONWithARequestID() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            try await app.signedIn().test(
                .GET, "api/v1/stations/9999Z", headers: ["X-Request-Id": "test-request-1"]
            ) { response async throws in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType == .json)
                #expect(response.headers.first(name: "X-Request-Id") == "test-request-1")
                let body = try JSONDecoder().decode(LantianErrorMiddleware.APIError.self, from: response.body)
                #expect(body.error.status == 404)
                #expect(body.error.message.contains("站点 9999Z 不存在"))
                #expect(body.error.requestId == "test-request-1")
            }
            try await app.testing().test(.GET, "api/v1/no-such-thing") { response async in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType == .json)
            }
        }
    }

    @Test func pagesFailWithAFriendlyChinesePage() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            try await app.testing().test(.GET, "no/such/page") { response async in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType?.subType == "html")
                let page = response.body.string
                #expect(page.contains("<html lang=\"zh-CN\">"))
                #expect(page.contains("页面不存在"))
                #expect(page.contains("返回首页"))
            }
        }
    }

    @Test func everyResponseCarriesARequestID() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            try await app.testing().test(.GET, "healthz") { response async in
                let id = response.headers.first(name: "X-Request-Id") ?? ""
                #expect(!id.isEmpty)
            }
        }
    }

    @Test func sqliteFileIsTunedForAServer() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = LantianConfiguration(database: .sqliteFile(path: folder.path + "/db.sqlite"))
        let app = try await Application.make(.testing)
        try configure(app, configuration, metrics: AppMetrics())
        try await prepareDatabase(app, configuration)
        // Every pooled connection (one per event loop) carries the settings.
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let settings = try await SQLiteTuning.currentSettings(
                on: app.databases.database(logger: app.logger, on: eventLoop)!)
            #expect(settings["journal_mode"] == "wal")
            #expect(settings["busy_timeout"] == "5000")
            #expect(settings["foreign_keys"] == "1")
            #expect(settings["synchronous"] == "1")  // NORMAL
        }
        try await app.asyncShutdown()
    }
}
