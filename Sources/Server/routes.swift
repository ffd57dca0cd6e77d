import Vapor

/// The one route table, grouped by feature.
func routes(_ app: Application, configuration: LantianConfiguration, metrics: AppMetrics) throws {
    // Operations: liveness, readiness, Prometheus.
    HealthController(configuration: configuration, metrics: metrics).register(on: app)

    // Pages.
    let demo = configuration.demo
    Pages.register(on: app, demo: demo)
    LoginPage.register(on: app)

    // JSON API.
    let api = app.grouped("api", "v1")
    StationController().register(on: api)
    ReadingController(metrics: metrics).register(on: api)
    RankingController().register(on: api)
    AlertController().register(on: api)
    // Organisation: units, people and grids, leader contracts, the duty roster, who answers for a region.
    UnitController().register(on: api)
    PersonController().register(on: api)
    ContractController().register(on: api)
    RosterController().register(on: api)
    // Sign-in and user accounts (access rules for every route: Auth/RouteAccess.swift).
    AuthController().register(on: api)
    UserController().register(on: api)
    // Regions with boundaries, locate, zones around control stations.
    let spatial = SpatialService(zoneRadii: configuration.zoneRadii)
    app.spatial = spatial
    RegionController(spatial: spatial).register(on: api)
    SpatialController(spatial: spatial).register(on: api)
    // The ledger: cases, their steps and evidence, statistics, routing, accountability.
    LedgerController().register(on: api)
    // Public complaints over Open311 GeoReport v2 (outside /api/v1: its own standard).
    Open311Controller(apiKeys: configuration.effectiveOpen311Keys).register(on: app)
    OpenAPIController(resourcesDirectory: app.directory.resourcesDirectory, logger: app.logger).register(on: api)
}
