import FluentKit
import Ingest
import Logging
import NIOConcurrencyHelpers

/// What one group commit did, for metrics and for whoever reacts to new data (alerts).
public struct CommitReport: Sendable {
    public var requests: Int
    public var readings: [Reading]
    public var outcome: StoreOutcome
    public var duration: Duration
}

/// The ingest sink of a running server: many concurrent callers (device connections, HTTP batches)
/// are committed together in one transaction — group commit — by a single writer loop, which also runs
/// the roll-ups between commits. `store` returns only after the caller's readings are committed.
///
/// One writer per process keeps SQLite's single write lock uncontended; on PostgreSQL several
/// processes may each run one, since every statement is idempotent and roll-up markers are claimed
/// with `DELETE … RETURNING`.
public final class ReadingStore: ReadingSink, Sendable {
    public struct Configuration: Sendable {
        /// Most readings committed in one transaction.
        public var maxReadingsPerCommit: Int
        /// How often pending roll-ups are processed while data keeps arriving (each step then takes at most
        /// `busyRollupBudget`, so roll-ups get at most a tenth of the writer by default).
        public var rollupInterval: Duration
        /// Most station-hours rolled up per step.
        public var rollupBatch: Int
        /// How long one roll-up step may hold the writer while callers are waiting: roll-ups yield to
        /// ingest, so an answer is never held behind a long roll-up; they catch up when the load eases.
        public var busyRollupBudget: Duration
        /// The same when nobody is waiting (a caller arriving meanwhile waits at most this long).
        public var idleRollupBudget: Duration

        public init(
            maxReadingsPerCommit: Int = 20_000, rollupInterval: Duration = .milliseconds(250), rollupBatch: Int = 2_000,
            busyRollupBudget: Duration = .milliseconds(25), idleRollupBudget: Duration = .milliseconds(200)
        ) {
            self.maxReadingsPerCommit = maxReadingsPerCommit
            self.rollupInterval = rollupInterval
            self.rollupBatch = rollupBatch
            self.busyRollupBudget = busyRollupBudget
            self.idleRollupBudget = idleRollupBudget
        }
    }

    struct Request {
        var readings: [Reading]
        var continuation: CheckedContinuation<StoreOutcome, any Error>
    }

    struct State {
        var queue: [Request] = []
        /// Other writes run by the writer between commits (`exclusively`).
        var jobs: [@Sendable () async -> Void] = []
        var queuedReadings = 0
        var waiter: CheckedContinuation<Void, Never>?
        var stopping = false
        var running = false
    }

    let database: any Database
    let configuration: Configuration
    let logger: Logger
    let clock: @Sendable () -> Int64
    let onCommit: @Sendable (CommitReport) -> Void
    let onRollup: @Sendable (RollupProgress, Duration) -> Void
    let state = NIOLockedValueBox(State())

    public init(
        database: any Database, configuration: Configuration = Configuration(), logger: Logger,
        clock: @escaping @Sendable () -> Int64,
        onCommit: @escaping @Sendable (CommitReport) -> Void = { _ in },
        onRollup: @escaping @Sendable (RollupProgress, Duration) -> Void = { _, _ in }
    ) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.onCommit = onCommit
        self.onRollup = onRollup
    }

    public func store(_ readings: [Reading]) async throws -> StoreOutcome {
        if readings.isEmpty { return StoreOutcome() }
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLockedValue { state -> Bool in
                guard state.running, !state.stopping else { return false }
                state.queue.append(Request(readings: readings, continuation: continuation))
                state.queuedReadings += readings.count
                return true
            }
            if accepted {
                wake()
            } else {
                continuation.resume(throwing: ReadingStoreError.notRunning)
            }
        }
    }

    /// Whether the writer loop has started and is not stopping: `store` answers `notRunning` otherwise.
    public var isRunning: Bool { state.withLockedValue { $0.running && !$0.stopping } }

    /// Runs `body` on the writer's task between two commits and returns its result. On SQLite a second
    /// writer beside the ingest writer waits for the write lock with SQLite's sleeping busy handler and
    /// can starve behind a steady stream of commits; run here, a write (an alert opened right after the
    /// commit that raised it) waits at most for the commit in progress. Runs at once when no writer
    /// loop is running (one-shot commands, tests).
    public func exclusively<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let running = state.withLockedValue { $0.running && !$0.stopping }
        guard running else { return try await body() }
        return try await withCheckedThrowingContinuation { continuation in
            let queued = state.withLockedValue { state -> Bool in
                guard state.running, !state.stopping else { return false }
                state.jobs.append {
                    do {
                        continuation.resume(returning: try await body())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                return true
            }
            if queued {
                wake()
            } else {
                Task {
                    do {
                        continuation.resume(returning: try await body())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    func takeJobs() -> [@Sendable () async -> Void] {
        state.withLockedValue { state in
            defer { state.jobs = [] }
            return state.jobs
        }
    }

    /// The writer loop. Runs until the task is cancelled, then commits what is queued and returns.
    public func run() async {
        state.withLockedValue { $0.running = true }
        let rollup = Rollup(database: database)
        let continuousClock = ContinuousClock()
        var lastRollup = continuousClock.now
        var lastCommit = continuousClock.now - .seconds(1)
        // Seconds one station-hour of roll-up takes, learnt from the steps so far; sizes each step to its budget.
        var secondsPerStationHour = 0.001
        await withTaskCancellationHandler {
            while true {
                let batch = take()
                if !batch.isEmpty {
                    await commit(batch)
                }
                let jobs = takeJobs()
                for job in jobs { await job() }
                if batch.isEmpty && jobs.isEmpty && state.withLockedValue({ $0.stopping }) {
                    break
                }
                let now = continuousClock.now
                if !batch.isEmpty { lastCommit = now }
                // Idle: nothing queued and nothing committed for a while (between the commits of a steady
                // stream the queue is empty for a moment; that is not idle).
                let idle = now - lastCommit >= .seconds(1) && state.withLockedValue { $0.queue.isEmpty }
                if idle || now - lastRollup >= configuration.rollupInterval {
                    let budget = idle ? configuration.idleRollupBudget : configuration.busyRollupBudget
                    let limit = max(1, min(configuration.rollupBatch, Int(budget.seconds / secondsPerStationHour)))
                    let progress = await rollUpStep(rollup, limit: limit)
                    lastRollup = continuousClock.now
                    if progress.stationHours > 0 {
                        let measured = (lastRollup - now).seconds / Double(progress.stationHours)
                        secondsPerStationHour = max(1e-6, 0.5 * secondsPerStationHour + 0.5 * measured)
                    }
                    if progress.stationHours > 0 { continue }
                }
                if state.withLockedValue({ $0.queue.isEmpty && $0.jobs.isEmpty }) {
                    await waitForWork(timeout: configuration.rollupInterval)
                }
            }
        } onCancel: {
            state.withLockedValue { $0.stopping = true }
            wake()
        }
        let (leftovers, jobs) = state.withLockedValue { state -> ([Request], [@Sendable () async -> Void]) in
            state.running = false
            defer {
                state.queue = []
                state.jobs = []
            }
            return (state.queue, state.jobs)
        }
        for request in leftovers { request.continuation.resume(throwing: ReadingStoreError.notRunning) }
        // Jobs queued during the stop still run (nothing else writes any more).
        for job in jobs { await job() }
    }

    func take() -> [Request] {
        state.withLockedValue { state in
            var taken: [Request] = []
            var count = 0
            while let first = state.queue.first,
                taken.isEmpty || count + first.readings.count <= configuration.maxReadingsPerCommit
            {
                taken.append(state.queue.removeFirst())
                count += first.readings.count
            }
            state.queuedReadings -= count
            return taken
        }
    }

    func commit(_ batch: [Request]) async {
        let started = ContinuousClock.now
        do {
            let outcomes = try await ReadingWriter(database: database).insert(
                batch.map(\.readings), receivedAt: clock())
            for (request, outcome) in zip(batch, outcomes) { request.continuation.resume(returning: outcome) }
            let total = outcomes.reduce(StoreOutcome(), +)
            onCommit(
                CommitReport(
                    requests: batch.count, readings: batch.flatMap(\.readings), outcome: total,
                    duration: ContinuousClock.now - started))
        } catch {
            guard batch.count > 1 else {
                logger.error(
                    "读数写入失败 / readings not stored",
                    metadata: ["error": "\(String(reflecting: error))", "readings": "\(batch[0].readings.count)"])
                batch[0].continuation.resume(throwing: error)
                return
            }
            // One bad request must not fail its neighbours: retry each on its own.
            for request in batch { await commit([request]) }
        }
    }

    func rollUpStep(_ rollup: Rollup, limit: Int) async -> RollupProgress {
        let started = ContinuousClock.now
        do {
            let progress = try await rollup.step(limit: limit)
            if progress.stationHours > 0 { onRollup(progress, ContinuousClock.now - started) }
            return progress
        } catch {
            logger.error("汇总失败，稍后重试 / roll-up failed, will retry", metadata: ["error": "\(String(reflecting: error))"])
            return RollupProgress()
        }
    }

    func waitForWork(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { state -> Bool in
                if !state.queue.isEmpty || !state.jobs.isEmpty || state.stopping { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow {
                continuation.resume()
                return
            }
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.wake()
            }
        }
    }

    func wake() {
        let waiter = state.withLockedValue { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}

public enum ReadingStoreError: Error, CustomStringConvertible {
    case notRunning

    public var description: String {
        "数据写入服务未运行（正在停止？）/ the reading writer is not running (shutting down?)"
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
