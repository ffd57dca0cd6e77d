import Campaign
import FluentKit
import Foundation
import Ingest
import Logging
import Metrics
import Store

/// Alerts as data arrives: every group commit's values go to the `AlertEngine` right after the commit
/// (not by polling the database); a signal opens an alert or repeats the open one; a new alert is
/// dispatched at once by the routing table to the first responsible party, with the handling deadline;
/// a timer finds stations gone offline and climbs the escalation chain for alerts still unhandled.
/// Every change is pushed to open dashboards (`AlertHub`) and to the webhooks.
public actor AlertService {
    public struct Settings: Sendable {
        public var routing: AlertRoutingTable
        public var escalation: EscalationPolicy
        /// Radii of the control zones around national and provincial stations (metres).
        public var zoneRadii: [Double]
        /// How often offline stations and escalations are checked.
        public var tickInterval: Duration

        public init(
            routing: AlertRoutingTable = .standard, escalation: EscalationPolicy = EscalationPolicy(),
            zoneRadii: [Double] = ControlZone.defaultRadii, tickInterval: Duration = .seconds(30)
        ) {
            self.routing = routing
            self.escalation = escalation
            self.zoneRadii = zoneRadii
            self.tickInterval = tickInterval
        }
    }

    struct Commit: Sendable {
        var readings: [Reading]
        var committedAt: ContinuousClock.Instant
    }

    let database: any Database
    let logger: Logger
    public nonisolated let hub: AlertHub
    let webhooks: WebhookDispatcher?
    let responsibility: any AlertResponsibility
    /// The ingest writer, through which this service writes on SQLite (nil: write directly).
    let writer: ReadingStore?
    let factory: any MetricsFactory
    /// Seconds since 1970; injectable so that tests drive deadlines and escalation.
    let now: @Sendable () -> Int64
    public private(set) var settings: Settings
    var engine: AlertEngine?
    var stations: [String: Station] = [:]
    let commits: AsyncStream<Commit>
    let commitContinuation: AsyncStream<Commit>.Continuation
    /// The latest commit → push latencies in seconds (at most `latencyKept`), for exact percentiles.
    var latencies: [Double] = []
    static let latencyKept = 100_000

    public init(
        database: any Database, logger: Logger, hub: AlertHub = AlertHub(), webhooks: WebhookDispatcher? = nil,
        responsibility: any AlertResponsibility = PeopleChainResponsibility(), writer: ReadingStore? = nil,
        metrics: any MetricsFactory,
        settings: Settings = Settings(), now: @escaping @Sendable () -> Int64
    ) {
        self.database = database
        self.logger = logger
        self.hub = hub
        self.webhooks = webhooks
        self.responsibility = responsibility
        self.writer = writer
        self.factory = metrics
        self.settings = settings
        self.now = now
        (commits, commitContinuation) = AsyncStream.makeStream(of: Commit.self)
    }

    // MARK: Feeding

    /// Called by the writer loop after each commit: hands the values over without waiting.
    public nonisolated func committed(_ report: CommitReport) {
        guard !report.readings.isEmpty else { return }
        commitContinuation.yield(Commit(readings: report.readings, committedAt: .now))
    }

    /// Loads the rules (writing the standard ones on first start), the stations with their regions
    /// and zones, and the last day and a half of hourly values, so that a restart does not forget a
    /// flat line in progress.
    public func start() async throws {
        let repository = AlertRepository(database: database)
        let written = try await repository.seedRulesIfEmpty(at: now())
        if written > 0 { logger.info("standard alert rules written", metadata: ["rules": .stringConvertible(written)]) }
        try await reload()
        let history = try await ReadingQueries(database: database).recent(period: .hour, from: now() - 36 * 3600)
        _ = engine?.observe(history.compactMap(Self.observation))
    }

    /// Re-reads rules and stations (after an edit).
    public func reload() async throws {
        let rules = try await AlertRepository(database: database).rules()
        let organisation = OrganisationRepository(database: database)
        let registered = try await organisation.stations()
        let regions = Dictionary(
            try await organisation.regions().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let snapshot = RegionSnapshot(try await RegionRepository(database: database).regions())
        func path(from code: String?) -> [String] {
            var path: [String] = []
            var next = code
            while let code = next, !path.contains(code) {
                path.append(code)
                next = regions[code]?.parentCode
            }
            return path
        }
        // A station's alerts belong to the smallest region its position lies in (the grid, whose workers
        // answer for it), when that region is within the one the registry names (or it names none).
        let stations = registered.map { station -> Station in
            var located = station
            if let finest = snapshot.index.smallest(containing: station.coordinate),
                station.regionCode == nil || path(from: finest).contains(station.regionCode!)
            {
                located.regionCode = finest
            }
            return located
        }
        let zones = ControlZone.zones(around: stations, radii: settings.zoneRadii)
        let alertStations = stations.map { station -> AlertStation in
            let inside = zones.filter { $0.stationCode != station.code && $0.contains(station.coordinate) }.map(\.code)
            return AlertStation(
                code: station.code, kind: station.kind, coordinate: station.coordinate,
                regionPath: path(from: station.regionCode), zoneCodes: inside, status: station.status)
        }
        self.stations = Dictionary(stations.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        if engine == nil {
            engine = AlertEngine(rules: rules, stations: alertStations, watchingSince: now())
        } else {
            engine?.update(rules: rules)
            engine?.update(stations: alertStations)
        }
    }

    /// Consumes commits in order and ticks the timer until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await commit in self.commits {
                    // Evaluate at once; the database write runs beside, taking every signal that
                    // accumulated while the previous write waited for the writer.
                    await self.evaluate(commit)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.settings.tickInterval)
                    guard !Task.isCancelled else { break }
                    await self.tick()
                }
            }
            await group.next()
            group.cancelAll()
        }
        // What was raised before the stop is still written.
        await flush()
    }

    public nonisolated func stop() {
        commitContinuation.finish()
        hub.finish()
    }

    static func observation(_ reading: Reading) -> Observation? {
        guard let value = reading.value, let period = ObservationPeriod(rawValue: reading.period.rawValue) else {
            return nil
        }
        return Observation(
            stationCode: reading.stationCode, code: reading.code, period: period, time: reading.time, value: value,
            flag: reading.flag)
    }

    /// Evaluates a commit and waits until its alerts are written and pushed.
    func process(_ commit: Commit) async {
        evaluate(commit)
        await flush()
    }

    /// Signals waiting to be written, each with the instant its commit was made.
    var pending: [(signal: AlertSignal, committedAt: ContinuousClock.Instant?)] = []
    var writing: Task<Void, Never>?

    /// Runs the rules over a commit's values and queues what they raise for the next write.
    func evaluate(_ commit: Commit) {
        guard engine != nil else { return }
        let started = ContinuousClock.now
        let signals = engine!.observe(commit.readings.compactMap(Self.observation))
        Timer(label: "lantian_alert_evaluation_seconds", factory: factory).record(
            duration: ContinuousClock.now - started)
        guard !signals.isEmpty else { return }
        pending += signals.map { ($0, commit.committedAt) }
        if writing == nil { writing = Task { await self.drain() } }
    }

    /// Writes queued signals until none is left; one write at a time, each taking all that queued.
    func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            await record(batch)
        }
        writing = nil
    }

    /// Waits until every queued signal is written.
    func flush() async {
        while let task = writing { await task.value }
        if !pending.isEmpty {
            writing = Task { await self.drain() }
            await flush()
        }
    }

    /// Offline sweep and escalation; public so that tests with a fixed clock call it directly. Each tick
    /// also re-reads the stations, regions and rules, so a station registered or a region imported while
    /// the server runs is watched within one tick.
    public func tick() async {
        do {
            try await reload()
        } catch {
            logger.warning("alert configuration not reloaded", metadata: ["error": .string("\(error)")])
        }
        if let signals = engine?.sweep(now: now()), !signals.isEmpty {
            pending += signals.map { ($0, nil) }
            await flush()
        }
        await escalate()
    }

    // MARK: Signals → alerts

    func record(_ batch: [(signal: AlertSignal, committedAt: ContinuousClock.Instant?)]) async {
        guard !batch.isEmpty else { return }
        let signals = batch.map(\.signal)
        let regions = stations.mapValues(\.regionCode)
        let database = self.database
        let at = now()
        // Who gets each new alert, decided here (the routing table and the stations are the actor's).
        var routes: [String: (station: Station, route: AlertRoute)] = [:]
        for signal in signals where routes[signal.stationCode + "|" + signal.ruleID] == nil {
            guard let station = stations[signal.stationCode], let alertStation = engine?.stations[signal.stationCode]
            else { continue }
            routes[signal.stationCode + "|" + signal.ruleID] = (
                station, settings.routing.route(station: alertStation, kind: signal.kind, ruleID: signal.ruleID)
            )
        }
        let deadline = settings.escalation.deadline(dispatchedAt: at)
        let responsibility = self.responsibility
        let chosen = routes
        do {
            // Recorded, and the new alerts dispatched, in one transaction run by the writer between commits.
            let recorded = try await write {
                try await AlertRepository(database: database).record(
                    signals, regionOf: { regions[$0] ?? nil }, at: at,
                    assign: { opening, transaction in
                        let routed = opening.map { chosen[$0.stationCode + "|" + $0.ruleID] }
                        let chains = try await responsibility.chains(
                            for: routed.compactMap { $0?.station }, at: at, on: transaction)
                        return routed.map { choice -> AlertRepository.Assignment? in
                            guard let (station, route) = choice else { return nil }
                            let chain = chains[station.code] ?? []
                            let first: ResponsibleParty? =
                                switch route.assignTo {
                                case .responsibleChain: chain.first
                                case .stationUnit:
                                    ResponsibleParty(
                                        tier: .gridWorker,
                                        unitCode: station.responsibleUnitCode ?? chain.first?.unitCode)
                                case .unit(let code): ResponsibleParty(tier: .gridWorker, unitCode: code)
                                }
                            return AlertRepository.Assignment(
                                personID: first?.personID, unitCode: first?.unitCode, deadline: deadline,
                                note: route.name)
                        }
                    })
            }
            for (entry, committedAt) in zip(recorded, batch.map(\.committedAt)) {
                Counter(
                    label: "lantian_alert_signals_total",
                    dimensions: [
                        ("kind", entry.alert.kind.rawValue), ("outcome", entry.isNew ? "opened" : "repeated"),
                    ],
                    factory: factory
                ).increment()
                await publish(entry.isNew ? "opened" : "repeated", entry.alert, committedAt: committedAt)
            }
        } catch {
            logger.error(
                "alerts not recorded",
                metadata: ["error": .string("\(error)"), "signals": .stringConvertible(signals.count)])
        }
    }

    /// Runs a database write through the ingest writer when there is one (see `ReadingStore.exclusively`).
    func write<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        if let writer { return try await writer.exclusively(body) }
        return try await body()
    }

    func escalate() async {
        let repository = AlertRepository(database: database)
        do {
            for alert in try await repository.awaitingHandling() {
                guard let dispatchedAt = alert.dispatchedAt else { continue }
                let due = settings.escalation.dueSteps(dispatchedAt: dispatchedAt, now: now(), reached: alert.tier)
                guard !due.isEmpty, let station = stations[alert.stationCode] else { continue }
                let chain = try await responsibility.chain(for: station, at: now(), on: database)
                for step in due {
                    // The first party of the step's tier (a named person when the tier has one), else the
                    // highest below it.
                    let party = chain.first { $0.tier == step.tier } ?? chain.last { $0.tier <= step.tier }
                    let at = now()
                    let escalated = try await write {
                        try await repository.escalate(
                            alert.id, to: step.tier, personID: party?.personID, unitCode: party?.unitCode, at: at)
                    }
                    Counter(
                        label: "lantian_alert_escalations_total", dimensions: [("tier", "\(step.tier)")],
                        factory: factory
                    )
                    .increment()
                    await publish("escalated", escalated, committedAt: nil)
                }
            }
        } catch {
            logger.error("escalation failed", metadata: ["error": .string("\(error)")])
        }
    }

    // MARK: People's steps

    /// A step a person takes on an alert (acknowledge, handle, return, verify, close, convert).
    public func perform(
        _ action: AlertAction, on id: String, by actor: AuditActor, cause: AlertCause? = nil, note: String? = nil,
        caseID: String? = nil
    ) async throws -> Alert {
        let (database, at) = (self.database, now())
        let alert = try await write {
            try await AlertRepository(database: database).perform(
                action, on: id, by: actor, at: at, cause: cause, note: note, caseID: caseID)
        }
        await publish(action.rawValue, alert, committedAt: nil)
        return alert
    }

    /// Turns an alert into a ledger case: `convert` writes both (one transaction, serialised with the
    /// ingest writer like every alert write) and the converted alert is published.
    public func convertToCase<T: Sendable>(
        _ convert: @escaping @Sendable (any Database) async throws -> (result: T, alert: Alert)
    ) async throws -> T {
        let database = self.database
        let written = try await write { try await convert(database) }
        await publish(AlertAction.convertToCase.rawValue, written.alert, committedAt: nil)
        return written.result
    }

    /// A dispatcher hands an alert to someone else.
    public func reassign(_ id: String, personID: String?, unitCode: String?, by actor: AuditActor, note: String?)
        async throws -> Alert
    {
        let (database, at) = (self.database, now())
        let deadline = settings.escalation.deadline(dispatchedAt: at)
        let alert = try await write {
            try await AlertRepository(database: database).dispatch(
                id, personID: personID, unitCode: unitCode, deadline: deadline, by: actor, at: at, note: note)
        }
        await publish("dispatched", alert, committedAt: nil)
        return alert
    }

    func publish(_ event: String, _ alert: Alert, committedAt: ContinuousClock.Instant?) async {
        let station = stations[alert.stationCode]?.name ?? alert.stationCode
        let notice = AlertNotice(
            event: event, alert: AlertJSON(alert, now: now()),
            text:
                "【\(alert.kind.displayName)·\(AlertNotice.eventName(event))】\(station)（\(alert.stationCode)）：\(alert.message)",
            at: now())
        hub.publish(notice, about: alert)
        // Awaited, not spawned: the dispatcher's queue then keeps the notices in the order they happened.
        if let webhooks { await webhooks.send(notice) }
        if let committedAt {
            // Reading committed → alert on the push channel: the latency the campaign's "seconds" promise is about.
            let latency = ContinuousClock.now - committedAt
            Timer(label: "lantian_alert_latency_seconds", factory: factory).record(duration: latency)
            if latencies.count >= Self.latencyKept { latencies.removeFirst(latencies.count / 2) }
            latencies.append(Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18)
        }
    }

    /// Commit → push latencies of the latest notices raised by data (seconds, in arrival order).
    public func recentLatencies() -> [Double] { latencies }
}

extension AlertNotice {
    static func eventName(_ event: String) -> String {
        switch event {
        case "opened": "新预警"
        case "repeated": "重复"
        case "dispatched": "已派发"
        case "escalated": "已升级"
        default: AlertAction(rawValue: event)?.displayName ?? event
        }
    }
}
