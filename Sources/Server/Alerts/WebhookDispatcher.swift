import Foundation
import Logging
import Metrics
import Vapor

/// Outgoing webhooks: every notice is POSTed as JSON to each configured URL (a relay to a WeCom or
/// DingTalk group bot, an SMS gateway). A failed delivery — connection refused, timeout, a non-2xx
/// answer — is retried with exponential backoff; each URL has its own ordered queue, so a dead
/// receiver delays only itself. Deliveries live in memory: a restart drops what was still queued
/// (the alert itself is in the database and on the dashboard).
public actor WebhookDispatcher {
    public struct Configuration: Sendable, Equatable {
        public var urls: [String]
        public var attempts: Int
        public var firstBackoff: Duration
        public var timeout: Duration
        /// Most notices waiting per URL; beyond it the oldest are dropped (and counted).
        public var queueLimit: Int

        public init(
            urls: [String], attempts: Int = 6, firstBackoff: Duration = .seconds(1), timeout: Duration = .seconds(5),
            queueLimit: Int = 1_000
        ) {
            self.urls = urls
            self.attempts = attempts
            self.firstBackoff = firstBackoff
            self.timeout = timeout
            self.queueLimit = queueLimit
        }
    }

    let configuration: Configuration
    let client: any Client
    let logger: Logger
    let factory: any MetricsFactory
    var queues: [String: [AlertNotice]] = [:]
    var workers: [String: Task<Void, Never>] = [:]

    public init(configuration: Configuration, client: any Client, logger: Logger, metrics: any MetricsFactory) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.factory = metrics
    }

    /// Queues `notice` for every URL.
    public func send(_ notice: AlertNotice) {
        for url in configuration.urls {
            var queue = queues[url, default: []]
            queue.append(notice)
            if queue.count > configuration.queueLimit {
                queue.removeFirst(queue.count - configuration.queueLimit)
                count("dropped")
            }
            queues[url] = queue
            if workers[url] == nil {
                workers[url] = Task { await self.drain(url) }
            }
        }
    }

    /// Waits until every queue is empty (tests, shutdown).
    public func idle() async {
        while let worker = workers.values.first {
            await worker.value
        }
    }

    public func stop() {
        for worker in workers.values { worker.cancel() }
        workers = [:]
        queues = [:]
    }

    func drain(_ url: String) async {
        while !Task.isCancelled, let notice = queues[url]?.first {
            queues[url]?.removeFirst()
            await deliver(notice, to: url)
        }
        workers[url] = nil
    }

    func deliver(_ notice: AlertNotice, to url: String) async {
        var backoff = configuration.firstBackoff
        for attempt in 1...max(1, configuration.attempts) {
            do {
                var request = ClientRequest(method: .POST, url: URI(string: url))
                try request.content.encode(notice, as: .json)
                let timeout = configuration.timeout.components
                request.timeout = .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
                let response = try await client.send(request)
                if (200..<300).contains(response.status.code) {
                    count("delivered")
                    return
                }
                logger.warning(
                    "webhook answered with an error",
                    metadata: [
                        "url": .string(url), "status": .stringConvertible(response.status.code),
                        "attempt": .stringConvertible(attempt),
                    ])
            } catch {
                logger.warning(
                    "webhook delivery failed",
                    metadata: [
                        "url": .string(url), "error": .string("\(error)"), "attempt": .stringConvertible(attempt),
                    ])
            }
            guard attempt < configuration.attempts, !Task.isCancelled else { break }
            count("retried")
            try? await Task.sleep(for: backoff)
            backoff *= 2
        }
        count("failed")
        logger.error(
            "webhook gave up",
            metadata: ["url": .string(url), "alert": .string(notice.alert.id), "event": .string(notice.event)])
    }

    /// By outcome only: a URL may carry a bot's secret key, so it never becomes a label.
    func count(_ outcome: String) {
        Counter(label: "lantian_alert_webhooks_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }
}
