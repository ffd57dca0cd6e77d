import CoreMetrics
import Foundation
import Prometheus
import Store

/// The server's own metrics, named `lantian_<subsystem>_<thing>_<unit>`.
///
/// Metrics go through swift-metrics with an explicit factory, so that every `Application` (one per test)
/// has its own Prometheus registry; `lantian serve` also bootstraps the global `MetricsSystem` with the
/// same registry so that libraries' metrics land beside ours.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Request latencies of a server on two cores: from a cached page to a slow report.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Counts one answered HTTP request and records its latency, by route pattern (not raw path, so
    /// that ids do not explode the label space) and status.
    public func recordRequest(method: String, route: String, status: UInt, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "lantian_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "lantian_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            .record(duration: duration)
    }

    /// Counts a refused sign-in by reason (unknown_user, bad_password, locked, rate_limited).
    public func recordLoginFailure(reason: String) {
        Counter(label: "lantian_auth_login_failures_total", dimensions: [("reason", reason)], factory: factory)
            .increment()
    }

    /// Counts a refused evidence upload by reason (too_large, type, type_mismatch, image).
    public func recordRejectedUpload(reason: String) {
        Counter(label: "lantian_ledger_uploads_rejected_total", dimensions: [("reason", reason)], factory: factory)
            .increment()
    }

    /// Counts a refused Open311 request by HTTP status (400 bad fields, 403 bad key, 404 unknown).
    public func recordOpen311Refusal(status: UInt) {
        Counter(label: "lantian_open311_refused_total", dimensions: [("status", String(status))], factory: factory)
            .increment()
    }

    /// Gauges read from the database when Prometheus scrapes.
    public func recordDatabase(
        up: Bool,
        pingSeconds: Double?,
        pendingMigrations: Int?,
        poolMaxConnections: Int,
        statistics: DatabaseStatistics?,
        driver: String
    ) {
        let dimensions = [("driver", driver)]
        Gauge(label: "lantian_db_up", dimensions: dimensions, factory: factory).record(up ? 1 : 0)
        Gauge(label: "lantian_db_pool_max_connections", dimensions: dimensions, factory: factory)
            .record(poolMaxConnections)
        if let pingSeconds {
            Gauge(label: "lantian_db_ping_seconds", dimensions: dimensions, factory: factory).record(pingSeconds)
        }
        if let pendingMigrations {
            Gauge(label: "lantian_db_migrations_pending", dimensions: dimensions, factory: factory)
                .record(pendingMigrations)
        }
        if let open = statistics?.openConnections {
            Gauge(label: "lantian_db_connections_open", dimensions: dimensions, factory: factory).record(open)
        }
        if let size = statistics?.sizeBytes {
            Gauge(label: "lantian_db_size_bytes", dimensions: dimensions, factory: factory).record(size)
        }
    }

    /// The Prometheus text exposition of everything recorded so far.
    public func exposition() -> String {
        registry.emitToString()
    }
}

extension Duration {
    /// The duration in seconds, for logs and gauges.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
