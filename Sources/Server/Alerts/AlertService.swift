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
    let factory: any MetricsFactory
    /// Seconds since 1970; injectable so that tests drive deadlines and escalation.
    let now: @Sendable () -> Int64
    public private(set) var settings: Settings
    var engine: AlertEngine?
    var stations: [String: Station] = [:]
    let commits: AsyncStream<Commit>
    let commitContinuation: AsyncStream<Commit>.Continuation

    public init(
        database: any Database, logger: Logger, hub: AlertHub = AlertHub(), webhooks: WebhookDispatcher? = nil,
        responsibility: any AlertResponsibility = UnitChainResponsibility(), metrics: any MetricsFactory,
        settings: Settings = Settings(), now: @escaping @Sendable () -> Int64
    ) {
        self.database = database
        self.logger = logger
        self.hub = hub
        self.webhooks = webhooks
        self.responsibility = responsibility
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
        let stations = try await organisation.stations()
        let regions = Dictionary(
            try await organisation.regions().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let zones = ControlZone.zones(around: stations, radii: settings.zoneRadii)
        let alertStations = stations.map { station -> AlertStation in
            var path: [String] = []
            var next = station.regionCode
            while let code = next, !path.contains(code) {
                path.append(code)
                next = regions[code]?.parentCode
            }
            let inside = zones.filter { $0.stationCode != station.code && $0.contains(station.coordinate) }.map(\.code)
            return AlertStation(
                code: station.code, kind: station.kind, coordinate: station.coordinate, regionPath: path,
                zoneCodes: inside, status: station.status)
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
                    await self.process(commit)
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

    func process(_ commit: Commit) async {
        guard engine != nil else { return }
        let started = ContinuousClock.now
        let signals = engine!.observe(commit.readings.compactMap(Self.observation))
        Timer(label: "lantian_alert_evaluation_seconds", factory: factory).record(
            duration: ContinuousClock.now - started)
        await record(signals, committedAt: commit.committedAt)
    }

    /// Offline sweep and escalation; public so that tests with a fixed clock call it directly.
    public func tick() async {
        if let signals = engine?.sweep(now: now()), !signals.isEmpty {
            await record(signals, committedAt: nil)
        }
        await escalate()
    }

    // MARK: Signals → alerts

    /// Runs a transaction again when SQLite answers "database is locked": a deferred transaction that read
    /// and then writes fails at once (no busy wait) when the ingest writer committed in between. Rolled back,
    /// so running it again is safe. Up to 10 tries, 25–225 ms apart.
    func retryingBusy<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch {
                attempt += 1
                guard attempt < 10, String(describing: error).contains("database is locked") else { throw error }
                try await Task.sleep(for: .milliseconds(25 * attempt))
            }
        }
    }

    func record(_ signals: [AlertSignal], committedAt: ContinuousClock.Instant?) async {
        guard !signals.isEmpty else { return }
        let regions = stations.mapValues(\.regionCode)
        do {
            let recorded = try await retryingBusy {
                try await AlertRepository(database: database).record(
                    signals, regionOf: { regions[$0] ?? nil }, at: now())
            }
            for entry in recorded {
                Counter(
                    label: "lantian_alert_signals_total",
                    dimensions: [
                        ("kind", entry.alert.kind.rawValue), ("outcome", entry.isNew ? "opened" : "repeated"),
                    ],
                    factory: factory
                ).increment()
                if entry.isNew {
                    let alert = await dispatch(entry.alert)
                    publish("opened", alert, committedAt: committedAt)
                } else {
                    publish("repeated", entry.alert, committedAt: committedAt)
                }
            }
        } catch {
            logger.error(
                "alerts not recorded",
                metadata: ["error": .string("\(error)"), "signals": .stringConvertible(signals.count)])
        }
    }

    /// Hands a new alert to the routing table's choice with the handling deadline.
    func dispatch(_ alert: Alert) async -> Alert {
        guard let station = stations[alert.stationCode], let alertStation = engine?.stations[alert.stationCode] else {
            return alert
        }
        let route = settings.routing.route(station: alertStation, kind: alert.kind, ruleID: alert.ruleID)
        do {
            let chain = try await responsibility.chain(for: station, at: now(), on: database)
            var first = chain.first
            switch route.assignTo {
            case .responsibleChain: break
            case .stationUnit:
                first = ResponsibleParty(tier: .gridWorker, unitCode: station.responsibleUnitCode ?? first?.unitCode)
            case .unit(let code): first = ResponsibleParty(tier: .gridWorker, unitCode: code)
            }
            let at = now()
            let dispatched = try await retryingBusy {
                try await AlertRepository(database: database).dispatch(
                    alert.id, personID: first?.personID, unitCode: first?.unitCode,
                    deadline: settings.escalation.deadline(dispatchedAt: at), by: .system("routing"), at: at,
                    note: route.name)
            }
            publish("dispatched", dispatched, committedAt: nil)
            return dispatched
        } catch {
            logger.error("alert not dispatched", metadata: ["alert": .string(alert.id), "error": .string("\(error)")])
            return alert
        }
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
                    let party = chain.last { $0.tier <= step.tier }
                    let escalated = try await repository.escalate(
                        alert.id, to: step.tier, personID: party?.personID, unitCode: party?.unitCode, at: now())
                    Counter(
                        label: "lantian_alert_escalations_total", dimensions: [("tier", "\(step.tier)")],
                        factory: factory
                    )
                    .increment()
                    publish("escalated", escalated, committedAt: nil)
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
        let alert = try await AlertRepository(database: database).perform(
            action, on: id, by: actor, at: now(), cause: cause, note: note, caseID: caseID)
        publish(action.rawValue, alert, committedAt: nil)
        return alert
    }

    /// A dispatcher hands an alert to someone else.
    public func reassign(_ id: String, personID: String?, unitCode: String?, by actor: AuditActor, note: String?)
        async throws -> Alert
    {
        let at = now()
        let alert = try await AlertRepository(database: database).dispatch(
            id, personID: personID, unitCode: unitCode, deadline: settings.escalation.deadline(dispatchedAt: at),
            by: actor,
            at: at, note: note)
        publish("dispatched", alert, committedAt: nil)
        return alert
    }

    func publish(_ event: String, _ alert: Alert, committedAt: ContinuousClock.Instant?) {
        let station = stations[alert.stationCode]?.name ?? alert.stationCode
        let notice = AlertNotice(
            event: event, alert: AlertJSON(alert, now: now()),
            text:
                "【\(alert.kind.displayName)·\(AlertNotice.eventName(event))】\(station)（\(alert.stationCode)）：\(alert.message)",
            at: now())
        hub.publish(notice, about: alert)
        if let webhooks { Task { await webhooks.send(notice) } }
        if let committedAt {
            // Reading committed → alert on the push channel: the latency the campaign's "seconds" promise is about.
            Timer(label: "lantian_alert_latency_seconds", factory: factory).record(
                duration: ContinuousClock.now - committedAt)
        }
    }
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
