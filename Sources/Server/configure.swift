import Fluent
import Leaf
import Store
import Vapor

/// Builds the application the same way for production and for tests: databases, migrations,
/// middleware, views and routes. It does not touch the database; `prepareDatabase` does.
public func configure(_ app: Application, _ configuration: LantianConfiguration, metrics: AppMetrics) throws {
    app.http.server.configuration.hostname = configuration.httpHost
    app.http.server.configuration.port = configuration.httpPort
    app.logger.logLevel = configuration.logLevel

    try configuration.database.prepareStorage()
    app.databases.use(
        try configuration.database.configurationFactory(maxConnectionsPerEventLoop: configuration.databasePoolSize),
        as: configuration.database.databaseID
    )
    app.migrations.add(LantianMigrations.all)

    let ingest = IngestRuntime(app: app, metrics: metrics)
    app.ingest = ingest
    app.lifecycle.use(ingest)
    let alerts = AlertRuntime(
        app: app, configuration: configuration, metrics: metrics, ingest: ingest, now: IngestRuntime.now)
    app.alerts = alerts
    app.lifecycle.use(alerts)

    app.auth = AuthService(configuration: configuration, metrics: metrics)
    app.ledger = LedgerRuntime(
        calendar: try LedgerRuntime.loadCalendar(resourcesDirectory: app.directory.resourcesDirectory),
        attachmentsDirectory: configuration.dataDirectory + "/attachments",
        maxAttachmentBytes: configuration.attachmentMaxMegabytes * 1_048_576, metrics: metrics, now: IngestRuntime.now)

    app.views.use(.leaf)
    // Outermost first: request log and metrics see the final status of every request, errors included.
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware(metrics: metrics))
    app.middleware.use(LantianErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    // Sign-in and the access table (RouteAccess) for every route.
    app.middleware.use(AccessMiddleware())

    try routes(app, configuration: configuration, metrics: metrics)
}

/// Brings the database to a state the server can work with, per the deployment's rules:
/// the embedded SQLite default migrates itself; PostgreSQL refuses to start while migrations are pending,
/// because a shared PostgreSQL is migrated by `lantian migrate` as its own deployment step.
///
/// `services: false` (one-shot commands such as `lantian import`) leaves the ingest writer loop and the demo
/// replay stopped: the command does its own writing and roll-up.
public func prepareDatabase(_ app: Application, _ configuration: LantianConfiguration, services: Bool = true)
    async throws
{
    if configuration.database.isSQLite {
        // One pooled connection per event loop: tune each of them (see SQLiteTuning for the reasons).
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let database = app.databases.database(logger: app.logger, on: eventLoop)!
            try await SQLiteTuning.apply(on: database)
        }
        try await app.autoMigrate()
    } else {
        let pending = try await MigrationStatus.pendingMigrations(on: app.db)
        guard pending.isEmpty else {
            throw StartupError.pendingMigrations(pending)
        }
    }
    if configuration.demo {
        let demo = try BeijingDemo.load(resourcesDirectory: app.directory.resourcesDirectory)
        try await demo.seed(database: app.db, resourcesDirectory: app.directory.resourcesDirectory)
        try await Accounts.seedDemoAccounts(app, demo: demo)
        try await DemoLedger.seed(app)
        app.logger.info(
            "demo seeded",
            metadata: [
                "stations": .stringConvertible(demo.stations.count), "units": .stringConvertible(demo.units.count),
            ])
    }
    // After the schema and the seed are in place: the writer loop is the only other writer.
    guard services else { return }
    if !configuration.demo {
        try await Accounts.createFirstAdministrator(app, configuration)
    }
    // Alerts first: they subscribe to the writer's commits before the first one.
    try await app.alerts.start(ingest: app.ingest)
    await app.ingest.start()
    if configuration.demo && configuration.demoReplay {
        let replay = try DemoReplay(
            resourcesDirectory: app.directory.resourcesDirectory, sink: app.ingest.store, logger: app.logger)
        app.lifecycle.use(replay)
        replay.start(now: IngestRuntime.now)
    }
}

public enum StartupError: Error, CustomStringConvertible, Equatable {
    case pendingMigrations([String])

    public var description: String {
        switch self {
        case .pendingMigrations(let names):
            "PostgreSQL 数据库有 \(names.count) 个迁移尚未执行（\(names.joined(separator: ", "))），服务未启动。"
                + "请先运行 `lantian migrate`。 / \(names.count) migration(s) pending on PostgreSQL; run `lantian migrate` first."
        }
    }
}
