import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Store
import Vapor

/// `lantian serve`: builds the application and runs its services until SIGINT or SIGTERM.
public enum LantianServer {
    public static func run(_ configuration: LantianConfiguration, logger: Logger) async throws {
        let metrics = AppMetrics()
        // Libraries that report through swift-metrics land in the same registry as ours.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))

        let app = try await makeApplication()
        app.logger = logger
        do {
            try configure(app, configuration, metrics: metrics)
            try await app.asyncBoot()
            try await prepareDatabase(app, configuration)
            logger.notice(
                "蓝天已就绪 / Lantian ready",
                metadata: [
                    "database": .string(configuration.database.description),
                    "demo": .stringConvertible(configuration.demo),
                ])
            let hj212 = makeHJ212Service(app, configuration, metrics: metrics, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(
                            service: HTTPServerService(
                                app: app, host: configuration.httpHost, port: configuration.httpPort),
                            successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup),
                        .init(
                            service: hj212, successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                ))
            try await group.run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        logger.notice("蓝天已停止 / Lantian stopped")
    }

    /// The HJ 212 listener on `--hj212-port`, on the same address as HTTP, storing through the app's
    /// ingest pipeline and looking devices up in the station registry.
    public static func makeHJ212Service(
        _ app: Application, _ configuration: LantianConfiguration, metrics: AppMetrics, logger: Logger
    ) -> HJ212Service {
        HJ212Service(
            configuration: HJ212ServiceConfiguration(
                host: configuration.httpHost, port: configuration.hj212Port, now: IngestRuntime.now),
            directory: StationDirectory(database: app.db), sink: app.ingest.store,
            metricsFactory: metrics.metricsFactory, logger: logger, eventLoopGroup: app.eventLoopGroup)
    }

    /// An application that ignores the process's arguments (ArgumentParser owns them) and runs in
    /// Vapor's production environment.
    public static func makeApplication() async throws -> Application {
        let environment = Environment(name: "production", arguments: ["lantian"])
        return try await Application.make(environment, .shared(MultiThreadedEventLoopGroup.singleton))
    }
}
