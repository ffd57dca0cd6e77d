import Fluent
import Foundation
import Ingest
import NIOConcurrencyHelpers
import Store
import Vapor

/// The server's ingest pipeline: the group-commit `ReadingStore` (every channel — HJ 212, HTTP — stores
/// through it) and its writer loop, started by `prepareDatabase` once the schema is in place and drained
/// when the application shuts down.
public final class IngestRuntime: LifecycleHandler, Sendable {
    public let store: ReadingStore
    let runner = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// Who reacts to each commit besides the metrics (the alert service).
    let commitObservers = NIOLockedValueBox<[@Sendable (CommitReport) -> Void]>([])

    init(app: Application, metrics: AppMetrics) {
        let observers = commitObservers
        store = ReadingStore(
            database: app.db, logger: app.logger, clock: IngestRuntime.now,
            onCommit: { report in
                metrics.recordCommit(report)
                for observer in observers.withLockedValue({ $0 }) { observer(report) }
            },
            onRollup: { metrics.recordRollup($0, duration: $1) })
    }

    /// The server clock in epoch seconds (readings more than an hour ahead of it are refused).
    @Sendable public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Calls `observer` after every commit, on the writer's task: it must return at once.
    public func onCommit(_ observer: @escaping @Sendable (CommitReport) -> Void) {
        commitObservers.withLockedValue { $0.append(observer) }
    }

    /// Starts the writer loop (once).
    /// Starts the writer loop (once) and returns when it takes readings: a device answered before would be
    /// told the writer is not running.
    func start() async {
        let store = self.store
        runner.withLockedValue { runner in
            if runner == nil { runner = Task { await store.run() } }
        }
        // Bounded: a shutdown during startup stops the loop before it ever runs.
        for _ in 0..<5_000 where !store.isRunning { try? await Task.sleep(for: .milliseconds(1)) }
    }

    public func shutdownAsync(_ application: Application) async {
        let task = runner.withLockedValue { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    /// Station profiles for validation, read per request (the registry is small; a change applies at once).
    static func validator(on database: any Database) async throws -> ReadingValidator {
        let stations = try await OrganisationRepository(database: database).stations()
        return ReadingValidator(
            profiles: Dictionary(uniqueKeysWithValues: stations.map { ($0.code, StationReportingProfile(station: $0)) })
        )
    }
}

extension Application {
    private struct IngestKey: StorageKey {
        typealias Value = IngestRuntime
    }

    /// The ingest pipeline configured by `configure`.
    public var ingest: IngestRuntime {
        get {
            guard let runtime = storage[IngestKey.self] else { fatalError("configure(_:) sets up ingest") }
            return runtime
        }
        set { storage[IngestKey.self] = newValue }
    }
}
