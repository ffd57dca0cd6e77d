import CoreMetrics
import Ingest
import Store

extension AppMetrics {
    /// The factory, for services outside this file that record their own metrics (the HJ 212 service).
    public var metricsFactory: any MetricsFactory { factory }

    /// One group commit: values inserted and duplicates (re-sends), commit latency.
    func recordCommit(_ report: CommitReport) {
        Counter(label: "lantian_ingest_commits_total", factory: factory).increment()
        Counter(label: "lantian_ingest_values_total", dimensions: [("outcome", "inserted")], factory: factory)
            .increment(by: report.outcome.inserted)
        Counter(label: "lantian_ingest_values_total", dimensions: [("outcome", "duplicate")], factory: factory)
            .increment(by: report.outcome.duplicates)
        Timer(label: "lantian_ingest_commit_seconds", factory: factory).record(duration: report.duration)
    }

    /// A value or row refused at the edge, by channel and reason kind (`RejectionReason.kind`).
    func recordRejection(source: ReadingSource, kind: String) {
        Counter(
            label: "lantian_ingest_rejected_total", dimensions: [("source", source.rawValue), ("reason", kind)],
            factory: factory
        ).increment()
    }

    /// One roll-up step.
    func recordRollup(_ progress: RollupProgress, duration: Duration) {
        Counter(label: "lantian_rollup_station_hours_total", factory: factory).increment(by: progress.stationHours)
        Counter(label: "lantian_rollup_station_days_total", factory: factory).increment(by: progress.stationDays)
        Timer(label: "lantian_rollup_step_seconds", factory: factory).record(duration: duration)
    }

    /// Station-hours waiting for roll-up, read when Prometheus scrapes.
    func recordRollupBacklog(_ pending: Int) {
        Gauge(label: "lantian_rollup_pending_station_hours", factory: factory).record(pending)
    }
}
