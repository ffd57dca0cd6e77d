import Fluent
import Store
import Vapor

/// `/healthz` (the process is alive), `/readyz` (it can do its work) and `/metrics`.
struct HealthController {
    let configuration: LantianConfiguration
    let metrics: AppMetrics

    struct Health: Content {
        var status: String
    }

    struct Readiness: Content {
        var status: String
        var database: String
        var pendingMigrations: [String]
        var message: String?
    }

    func register(on routes: any RoutesBuilder) {
        routes.get("healthz", use: healthz)
        routes.get("readyz", use: readyz)
        routes.get("metrics", use: metricsText)
    }

    @Sendable func healthz(_ request: Request) async -> Health {
        Health(status: "ok")
    }

    /// 200 when the database answers and every migration has run; 503 naming what is missing otherwise.
    @Sendable func readyz(_ request: Request) async -> Response {
        let readiness: Readiness
        do {
            try await MigrationStatus.ping(request.db)
            let pending = try await MigrationStatus.pendingMigrations(on: request.db)
            readiness =
                pending.isEmpty
                ? Readiness(status: "ready", database: "ok", pendingMigrations: [])
                : Readiness(
                    status: "not_ready", database: "ok", pendingMigrations: pending,
                    message: "有 \(pending.count) 个数据库迁移未执行，请运行 lantian migrate / run lantian migrate")
        } catch {
            request.logger.warning("readiness check failed", metadata: ["error": .string(String(describing: error))])
            readiness = Readiness(
                status: "not_ready", database: "unreachable", pendingMigrations: [],
                message: "数据库不可达 / database unreachable")
        }
        let response = Response(status: readiness.status == "ready" ? .ok : .serviceUnavailable)
        try? response.content.encode(readiness, as: .json)
        return response
    }

    /// Prometheus text format 0.0.4. Database figures are read at scrape time.
    @Sendable func metricsText(_ request: Request) async -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var up = false
        var ping: Double?
        var pending: Int?
        var statistics: DatabaseStatistics?
        do {
            try await MigrationStatus.ping(request.db)
            ping = (clock.now - start).inSeconds
            up = true
            pending = try await MigrationStatus.pendingMigrations(on: request.db).count
            statistics = try await DatabaseStatistics.read(from: request.db)
        } catch {
            request.logger.warning("database metrics unavailable", metadata: ["error": .string("\(error)")])
        }
        let loops = request.application.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
        let perLoop = configuration.database.isSQLite ? 1 : configuration.databasePoolSize
        metrics.recordDatabase(
            up: up, pingSeconds: ping, pendingMigrations: pending, poolMaxConnections: loops * perLoop,
            statistics: statistics, driver: configuration.database.isSQLite ? "sqlite" : "postgres")
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(
            type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: metrics.exposition()))
    }
}
