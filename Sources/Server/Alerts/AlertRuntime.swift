import Campaign
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The running alert service of an application: created by `configure`, started by `prepareDatabase`
/// after the schema exists (with the ingest writer), stopped at shutdown.
public final class AlertRuntime: LifecycleHandler, Sendable {
    public let service: AlertService
    public let hub: AlertHub
    let webhooks: WebhookDispatcher?
    let runner = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(
        app: Application, configuration: LantianConfiguration, metrics: AppMetrics, now: @escaping @Sendable () -> Int64
    ) {
        let hub = AlertHub()
        let webhooks =
            configuration.alertWebhooks.isEmpty
            ? nil
            : WebhookDispatcher(
                configuration: .init(urls: configuration.alertWebhooks), client: app.client, logger: app.logger,
                metrics: metrics.metricsFactory)
        self.hub = hub
        self.webhooks = webhooks
        service = AlertService(
            database: app.db, logger: app.logger, hub: hub, webhooks: webhooks, metrics: metrics.metricsFactory,
            settings: AlertService.Settings(
                escalation: EscalationPolicy(handlingMinutes: configuration.alertDeadlineMinutes)),
            now: now)
    }

    /// Loads rules and stations, subscribes to commits and starts the loop (once).
    func start(ingest: IngestRuntime) async throws {
        let service = self.service
        try await service.start()
        ingest.onCommit { service.committed($0) }
        runner.withLockedValue { runner in
            if runner == nil { runner = Task { await service.run() } }
        }
    }

    public func shutdownAsync(_ application: Application) async {
        service.stop()
        let task = runner.withLockedValue { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        await webhooks?.stop()
    }
}

extension Application {
    private struct AlertsKey: StorageKey {
        typealias Value = AlertRuntime
    }

    /// The alert service configured by `configure`.
    public var alerts: AlertRuntime {
        get {
            guard let runtime = storage[AlertsKey.self] else { fatalError("configure(_:) sets up alerts") }
            return runtime
        }
        set { storage[AlertsKey.self] = newValue }
    }
}
