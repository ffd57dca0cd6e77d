import CoreMetrics
import NIOConcurrencyHelpers

/// The HJ 212 service's metrics, through the `MetricsFactory` it is given (the app's Prometheus registry in
/// production, a recording factory in tests). Labels take a small, fixed set of values.
public final class HJ212ServiceMetrics: Sendable {
    /// What became of a packet: `stored`, `answered`, `accepted`, `rejected`, `ignored`, `pending`,
    /// `store_failed`, `directory_failed`, `rate_limited`.
    public enum PacketResult: String, Sendable, CaseIterable {
        case stored
        case answered
        case accepted
        case rejected
        case ignored
        case pending
        case storeFailed = "store_failed"
        case directoryFailed = "directory_failed"
        case rateLimited = "rate_limited"
    }

    private let factory: any MetricsFactory
    private let connectionsGauge: Gauge
    private let connectionsTotal: Counter
    private let answerTimer: CoreMetrics.Timer
    private let packets: [PacketResult: Counter]
    private let values: [String: Counter]
    private let errors = NIOLockedValueBox<[String: Counter]>([:])
    private let open = NIOLockedValueBox(0)

    public init(factory: any MetricsFactory) {
        self.factory = factory
        connectionsGauge = Gauge(label: "lantian_hj212_connections", factory: factory)
        connectionsTotal = Counter(label: "lantian_hj212_connections_total", factory: factory)
        answerTimer = CoreMetrics.Timer(label: "lantian_hj212_answer_seconds", factory: factory)
        var packets: [PacketResult: Counter] = [:]
        for result in PacketResult.allCases {
            packets[result] = Counter(
                label: "lantian_hj212_packets_total", dimensions: [("result", result.rawValue)], factory: factory)
        }
        self.packets = packets
        var values: [String: Counter] = [:]
        for outcome in ["inserted", "duplicate", "rejected"] {
            values[outcome] = Counter(
                label: "lantian_hj212_values_total", dimensions: [("outcome", outcome)], factory: factory)
        }
        self.values = values
        connectionsGauge.record(0)
    }

    /// The number of connections open now.
    public var openConnections: Int { open.withLockedValue { $0 } }

    func connectionOpened() {
        connectionsTotal.increment()
        let count = open.withLockedValue {
            $0 += 1
            return $0
        }
        connectionsGauge.record(count)
    }

    func connectionClosed() {
        let count = open.withLockedValue {
            $0 -= 1
            return $0
        }
        connectionsGauge.record(count)
    }

    func packet(_ result: PacketResult) {
        packets[result]?.increment()
    }

    /// `kind` is an `HJ212Error.kind`, a `RejectionReason.kind` or one of the service's own
    /// (`auth_mn`, `auth_password`, `store_failed`, `frame_garbage`, `max_connections`…).
    func error(_ kind: String) {
        let counter = errors.withLockedValue { counters in
            if let counter = counters[kind] { return counter }
            let counter = Counter(label: "lantian_hj212_errors_total", dimensions: [("kind", kind)], factory: factory)
            counters[kind] = counter
            return counter
        }
        counter.increment()
    }

    func values(inserted: Int, duplicates: Int, rejected: Int) {
        if inserted > 0 { values["inserted"]?.increment(by: inserted) }
        if duplicates > 0 { values["duplicate"]?.increment(by: duplicates) }
        if rejected > 0 { values["rejected"]?.increment(by: rejected) }
    }

    func answered(after duration: Duration) {
        let (seconds, attoseconds) = duration.components
        answerTimer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
