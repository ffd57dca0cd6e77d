import Campaign
import FluentKit
import Foundation
import SQLKit

/// Why an alert operation was refused.
public enum AlertStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case refused(String)
    case invalidRule([String])

    public var description: String {
        switch self {
        case .notFound(let id): "预警 \(id) 不存在 / no alert \(id)"
        case .refused(let reason): reason
        case .invalidRule(let problems): problems.joined(separator: "; ")
        }
    }
}

/// Alerts and their rules in the database. Signals open an alert or repeat the open one (one open
/// alert per station and rule, enforced by a partial unique index); every step of the handling is an
/// event of the alert, and the steps people take are also appended to the audit trail in the same
/// transaction.
public struct AlertRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw AuditError.unsupportedDatabase }
            return sql
        }
    }

    // MARK: Rules

    public func rules() async throws -> [AlertRule] {
        let rows = try await sql.raw("SELECT definition FROM alert_rules ORDER BY id").all()
        return try rows.map {
            try JSONDecoder().decode(
                AlertRule.self, from: Data(try $0.decode(column: "definition", as: String.self).utf8))
        }
    }

    /// Writes the standard rules when there are none yet (first start). Returns how many were written.
    @discardableResult
    public func seedRulesIfEmpty(_ rules: [AlertRule] = StandardAlertRules.all, at now: Int64) async throws -> Int {
        try await database.writeTransaction { transaction in
            let repository = AlertRepository(database: transaction)
            let existing = try await repository.sql.raw("SELECT COUNT(*) AS n FROM alert_rules").first()
            guard (try existing?.decode(column: "n", as: Int.self) ?? 0) == 0 else { return 0 }
            for rule in rules { try await repository.write(rule, at: now) }
            return rules.count
        }
    }

    /// Creates or replaces a rule (validated; audited).
    public func save(_ rule: AlertRule, by actor: AuditActor, at now: Int64) async throws {
        var problems = rule.condition.problems
        if rule.id.isEmpty || rule.id.count > 64
            || rule.id.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        {
            problems.append("id 须为 1–64 个字母、数字、- 或 _ / id must be 1–64 letters, digits, - or _")
        }
        if rule.name.allSatisfy(\.isWhitespace) { problems.append("name 不能为空 / name must not be empty") }
        guard problems.isEmpty else { throw AlertStoreError.invalidRule(problems) }
        try await database.writeTransaction { transaction in
            let repository = AlertRepository(database: transaction)
            let before = try await repository.rules().first { $0.id == rule.id }
            try await repository.write(rule, at: now)
            try await AuditTrail.append(
                on: transaction, actor: actor, action: before == nil ? "create" : "update", entity: "alert_rule",
                entityID: rule.id, before: before, after: rule, at: now)
        }
    }

    func write(_ rule: AlertRule, at now: Int64) async throws {
        let definition = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
        try await sql.raw(
            """
            INSERT INTO alert_rules (id, name, definition, enabled, updated_at)
            VALUES (\(bind: rule.id), \(bind: rule.name), \(bind: definition), \(bind: rule.enabled), \(bind: now))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition,
                enabled = excluded.enabled, updated_at = excluded.updated_at
            """
        ).run()
    }

    // MARK: Signals

    /// An alert after a signal: newly opened, or the open one repeated.
    public struct Recorded: Sendable, Hashable {
        public var alert: Alert
        public var isNew: Bool
    }

    /// Who a new alert goes to, decided by the caller's routing (it may read the database it is given).
    public struct Assignment: Sendable, Hashable {
        public var personID: String?
        public var unitCode: String?
        public var deadline: Int64
        /// The route's name, recorded with the dispatch event.
        public var note: String?

        public init(personID: String?, unitCode: String?, deadline: Int64, note: String?) {
            self.personID = personID
            self.unitCode = unitCode
            self.deadline = deadline
            self.note = note
        }
    }

    /// Opens an alert per signal or raises the counter of its open one, in one transaction: the open
    /// alerts of the batch's stations are read in one query and the repeats written in one statement
    /// per 200, so a batch costs a few statements however many stations stay high.
    /// `regionOf` gives a station's region (stored with the alert for scopes and statistics).
    ///
    /// `assign`, when given, dispatches the new alerts in the same transaction: they are written already
    /// dispatched, with both events (opened, dispatched by `system:routing`).
    public func record(
        _ signals: [AlertSignal], regionOf: @escaping @Sendable (String) -> String?, at now: Int64,
        newID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        assign: (@Sendable ([AlertSignal], any Database) async throws -> [Assignment?])? = nil
    ) async throws -> [Recorded] {
        guard !signals.isEmpty else { return [] }
        return try await database.writeTransaction { transaction in
            let repository = AlertRepository(database: transaction)
            var open = try await repository.openAlerts(stations: Set(signals.map(\.stationCode)))
            // The signals that will open an alert (the first of each station and rule without one).
            var opening: [AlertSignal] = []
            var seen: Set<String> = []
            for signal in signals {
                let key = signal.stationCode + "|" + signal.ruleID
                if open[key] == nil, seen.insert(key).inserted { opening.append(signal) }
            }
            var assignments: [String: Assignment] = [:]
            if let assign, !opening.isEmpty {
                for (signal, assignment) in zip(opening, try await assign(opening, transaction)) {
                    if let assignment { assignments[signal.stationCode + "|" + signal.ruleID] = assignment }
                }
            }
            var recorded: [Recorded] = []
            var repeated: [String: Alert] = [:]
            for signal in signals {
                let key = signal.stationCode + "|" + signal.ruleID
                if var alert = open[key] {
                    alert.repeated(by: signal)
                    open[key] = alert
                    repeated[alert.id] = alert
                    recorded.append(Recorded(alert: alert, isNew: false))
                } else {
                    var alert = Alert(
                        signal: signal, id: newID(), regionCode: regionOf(signal.stationCode), openedAt: now)
                    let assignment = assignments[key]
                    if let assignment {
                        alert.status = .dispatched
                        alert.dispatchedAt = now
                        alert.deadline = assignment.deadline
                        alert.assigneePersonID = assignment.personID
                        alert.assigneeUnitCode = assignment.unitCode
                    }
                    try await repository.insert(alert)
                    try await repository.event(
                        alert.id, at: now, action: "opened", actor: .system("alert-engine"), note: alert.message)
                    if let assignment {
                        try await repository.event(
                            alert.id, at: now, action: "dispatched", actor: .system("routing"), tier: alert.tier,
                            personID: assignment.personID, unitCode: assignment.unitCode, note: assignment.note)
                    }
                    open[key] = alert
                    recorded.append(Recorded(alert: alert, isNew: true))
                }
            }
            try await repository.writeRepeats(Array(repeated.values))
            return recorded
        }
    }

    /// Open alerts of `stations`, by `station|rule`.
    func openAlerts(stations: Set<String>) async throws -> [String: Alert] {
        var result: [String: Alert] = [:]
        let codes = stations.sorted()
        for start in stride(from: 0, to: codes.count, by: 500) {
            var query = SQLQueryString(
                "SELECT * FROM alerts WHERE status NOT IN ('closed','converted') AND station_code IN (")
            query.appendInterpolation(binds: Array(codes[start..<min(codes.count, start + 500)]))
            query.appendInterpolation(unsafeRaw: ")")
            for row in try await sql.raw(query).all() {
                let alert = try Self.alert(row)
                result[alert.stationCode + "|" + alert.ruleID] = alert
            }
        }
        return result
    }

    /// The counters, times, values and messages of repeated alerts, 200 to a statement.
    func writeRepeats(_ alerts: [Alert]) async throws {
        let sorted = alerts.sorted { $0.id < $1.id }
        for start in stride(from: 0, to: sorted.count, by: 200) {
            let chunk = Array(sorted[start..<min(sorted.count, start + 200)])
            var query = SQLQueryString("UPDATE alerts SET ")
            func column(_ name: String, _ value: (Alert) -> any Encodable & Sendable, last: Bool = false) {
                query.appendInterpolation(unsafeRaw: "\(name) = CASE id")
                for alert in chunk {
                    query.appendInterpolation(unsafeRaw: " WHEN ")
                    query.appendInterpolation(bind: alert.id)
                    query.appendInterpolation(unsafeRaw: " THEN ")
                    query.appendInterpolation(bind: value(alert))
                }
                query.appendInterpolation(unsafeRaw: " ELSE \(name) END\(last ? "" : ", ")")
            }
            column("count", { $0.count })
            column("first_time", { $0.firstTime })
            column("last_time", { $0.lastTime })
            column("value", { $0.value })
            column("peak", { $0.peak })
            column("message", { $0.message }, last: true)
            query.appendInterpolation(unsafeRaw: " WHERE id IN (")
            query.appendInterpolation(binds: chunk.map(\.id))
            query.appendInterpolation(unsafeRaw: ")")
            try await sql.raw(query).run()
        }
    }

    func insert(_ alert: Alert) async throws {
        try await sql.raw(
            """
            INSERT INTO alerts (id, rule_id, station_code, kind, severity, code, status, region_code, message,
                first_time, last_time, count, value, peak, threshold, opened_at, tier, dispatched_at, deadline,
                assignee_person_id, assignee_unit_code)
            VALUES (\(bind: alert.id), \(bind: alert.ruleID), \(bind: alert.stationCode), \(bind: alert.kind.rawValue),
                \(bind: alert.severity.rawValue), \(bind: alert.code), \(bind: alert.status.rawValue),
                \(bind: alert.regionCode), \(bind: alert.message), \(bind: alert.firstTime), \(bind: alert.lastTime),
                \(bind: alert.count), \(bind: alert.value), \(bind: alert.peak), \(bind: alert.threshold),
                \(bind: alert.openedAt), \(bind: alert.tier.rawValue), \(bind: alert.dispatchedAt), \(bind: alert.deadline),
                \(bind: alert.assigneePersonID), \(bind: alert.assigneeUnitCode))
            """
        ).run()
    }

    func event(
        _ alertID: String, at: Int64, action: String, actor: AuditActor, tier: EscalationTier? = nil,
        personID: String? = nil, unitCode: String? = nil, note: String? = nil
    ) async throws {
        try await sql.raw(
            """
            INSERT INTO alert_events (alert_id, at, action, actor, tier, person_id, unit_code, note)
            VALUES (\(bind: alertID), \(bind: at), \(bind: action), \(bind: actor.description), \(bind: tier?.rawValue),
                \(bind: personID), \(bind: unitCode), \(bind: note))
            """
        ).run()
    }

    // MARK: Handling

    /// Hands the alert to a person and unit with a deadline (the routing table's choice, or a
    /// dispatcher's re-assignment). Recorded as an event; audited when a person does it.
    public func dispatch(
        _ id: String, personID: String?, unitCode: String?, deadline: Int64, by actor: AuditActor, at now: Int64,
        note: String? = nil
    ) async throws -> Alert {
        try await change(id, by: actor, at: now, audited: actor.kind != "system") { alert in
            alert.status = try AlertLifecycle.next(after: .dispatch, from: alert.status)
            alert.dispatchedAt = alert.dispatchedAt ?? now
            alert.deadline = deadline
            alert.assigneePersonID = personID
            alert.assigneeUnitCode = unitCode
            return ("dispatched", note, personID, unitCode)
        }
    }

    /// The next escalation step: the alert now also answers to `tier` (a person and unit of it).
    public func escalate(
        _ id: String, to tier: EscalationTier, personID: String?, unitCode: String?, at now: Int64
    ) async throws -> Alert {
        try await change(id, by: .system("escalation"), at: now, audited: false) { alert in
            guard alert.status.awaitsHandling else {
                throw AlertTransitionError(reason: "预警已处置，无需升级 / the alert is no longer awaiting handling")
            }
            alert.tier = tier
            if let personID { alert.assigneePersonID = personID }
            if let unitCode { alert.assigneeUnitCode = unitCode }
            return ("escalated", "升级至\(tier.displayName) / escalated to \(tier)", personID, unitCode)
        }
    }

    /// A step a person takes: acknowledge, handle (cause and note), return, verify (someone other
    /// than the handler), close, convert to case (with the case id).
    public func perform(
        _ action: AlertAction, on id: String, by actor: AuditActor, at now: Int64, cause: AlertCause? = nil,
        note: String? = nil, caseID: String? = nil
    ) async throws -> Alert {
        guard action != .dispatch else {
            throw AlertStoreError.refused("派发请使用 dispatch / use dispatch to assign an alert")
        }
        return try await change(id, by: actor, at: now, audited: true) { alert in
            alert.status = try AlertLifecycle.next(after: action, from: alert.status)
            switch action {
            case .acknowledge:
                alert.acknowledgedAt = now
            case .handle:
                try AlertLifecycle.checkHandling(cause: cause, note: note)
                alert.handledAt = now
                alert.cause = cause
                alert.handlingNote = note
                alert.handledBy = actor.description
                if alert.acknowledgedAt == nil { alert.acknowledgedAt = now }
            case .returnToHandler:
                alert.handledAt = nil
            case .verify:
                try AlertLifecycle.checkVerifier(actor.description, handler: alert.handledBy)
                alert.verifiedAt = now
                alert.verifiedBy = actor.description
            case .close:
                alert.closedAt = now
            case .convertToCase:
                guard let caseID, !caseID.isEmpty else {
                    throw AlertTransitionError(reason: "转台账需给出台账编号 caseID / converting needs the case id")
                }
                alert.caseID = caseID
                alert.closedAt = now
            case .dispatch:
                break
            }
            return (action.rawValue, note, nil, nil)
        }
    }

    func change(
        _ id: String, by actor: AuditActor, at now: Int64, audited: Bool,
        _ body:
            @escaping @Sendable (inout Alert) throws -> (
                action: String, note: String?, personID: String?, unitCode: String?
            )
    ) async throws -> Alert {
        try await database.writeTransaction { transaction in
            let repository = AlertRepository(database: transaction)
            guard let before = try await repository.alert(id: id, forUpdate: true) else {
                throw AlertStoreError.notFound(id)
            }
            var after = before
            let step: (action: String, note: String?, personID: String?, unitCode: String?)
            do {
                step = try body(&after)
            } catch let error as AlertTransitionError {
                throw AlertStoreError.refused(error.reason)
            }
            try await repository.update(after)
            try await repository.event(
                id, at: now, action: step.action, actor: actor, tier: after.tier, personID: step.personID,
                unitCode: step.unitCode, note: step.note)
            if audited {
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: step.action, entity: "alert", entityID: id, before: before,
                    after: after, at: now)
            }
            return after
        }
    }

    func update(_ alert: Alert) async throws {
        try await sql.raw(
            """
            UPDATE alerts SET status = \(bind: alert.status.rawValue), dispatched_at = \(bind: alert.dispatchedAt),
                deadline = \(bind: alert.deadline), acknowledged_at = \(bind: alert.acknowledgedAt),
                handled_at = \(bind: alert.handledAt), verified_at = \(bind: alert.verifiedAt),
                closed_at = \(bind: alert.closedAt), assignee_person_id = \(bind: alert.assigneePersonID),
                assignee_unit_code = \(bind: alert.assigneeUnitCode), tier = \(bind: alert.tier.rawValue),
                cause = \(bind: alert.cause?.rawValue), handling_note = \(bind: alert.handlingNote),
                handled_by = \(bind: alert.handledBy), verified_by = \(bind: alert.verifiedBy), case_id = \(bind: alert.caseID)
            WHERE id = \(bind: alert.id)
            """
        ).run()
    }

    // MARK: Reads

    public struct Filter: Sendable, Hashable {
        public var statuses: Set<AlertStatus>?
        public var stationCode: String?
        public var ruleID: String?
        public var unitCode: String?
        /// Only alerts of these regions (a scope: a grid worker's grids with their descendants) — or, with
        /// `personID`, assigned to that person.
        public var regionCodes: Set<String>?
        /// Only alerts assigned to these units or raised at their stations (a unit officer's scope).
        public var unitCodes: Set<String>?
        /// With `regionCodes`: alerts assigned to this person are in scope too.
        public var personID: String?
        /// Opened at or after / before (seconds).
        public var from: Int64?
        public var to: Int64?
        public var limit: Int

        public init(
            statuses: Set<AlertStatus>? = nil, stationCode: String? = nil, ruleID: String? = nil,
            unitCode: String? = nil,
            regionCodes: Set<String>? = nil, unitCodes: Set<String>? = nil, personID: String? = nil, from: Int64? = nil,
            to: Int64? = nil, limit: Int = 500
        ) {
            self.personID = personID
            self.statuses = statuses
            self.stationCode = stationCode
            self.ruleID = ruleID
            self.unitCode = unitCode
            self.regionCodes = regionCodes
            self.unitCodes = unitCodes
            self.from = from
            self.to = to
            self.limit = limit
        }
    }

    /// Newest first.
    public func alerts(_ filter: Filter = Filter()) async throws -> [Alert] {
        var query = SQLQueryString("SELECT * FROM alerts WHERE 1 = 1")
        if let statuses = filter.statuses {
            query.appendInterpolation(unsafeRaw: " AND status IN (")
            query.appendInterpolation(binds: statuses.map(\.rawValue).sorted())
            query.appendInterpolation(unsafeRaw: ")")
            if statuses.isEmpty { return [] }
        }
        if let station = filter.stationCode {
            query.appendInterpolation(unsafeRaw: " AND station_code = ")
            query.appendInterpolation(bind: station)
        }
        if let rule = filter.ruleID {
            query.appendInterpolation(unsafeRaw: " AND rule_id = ")
            query.appendInterpolation(bind: rule)
        }
        if let unit = filter.unitCode {
            query.appendInterpolation(unsafeRaw: " AND assignee_unit_code = ")
            query.appendInterpolation(bind: unit)
        }
        if let regions = filter.regionCodes {
            if regions.isEmpty && filter.personID == nil { return [] }
            query.appendInterpolation(unsafeRaw: " AND (region_code IN (")
            query.appendInterpolation(binds: regions.isEmpty ? [""] : regions.sorted())
            query.appendInterpolation(unsafeRaw: ")")
            if let person = filter.personID {
                query.appendInterpolation(unsafeRaw: " OR assignee_person_id = ")
                query.appendInterpolation(bind: person)
            }
            query.appendInterpolation(unsafeRaw: ")")
        }
        if let units = filter.unitCodes {
            if units.isEmpty { return [] }
            query.appendInterpolation(unsafeRaw: " AND (assignee_unit_code IN (")
            query.appendInterpolation(binds: units.sorted())
            query.appendInterpolation(
                unsafeRaw: ") OR station_code IN (SELECT code FROM stations WHERE responsible_unit_code IN (")
            query.appendInterpolation(binds: units.sorted())
            query.appendInterpolation(unsafeRaw: ")))")
        }
        if let from = filter.from {
            query.appendInterpolation(unsafeRaw: " AND opened_at >= ")
            query.appendInterpolation(bind: from)
        }
        if let to = filter.to {
            query.appendInterpolation(unsafeRaw: " AND opened_at < ")
            query.appendInterpolation(bind: to)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY opened_at DESC, id LIMIT \(max(1, min(filter.limit, 10_000)))")
        return try await sql.raw(query).all().map(Self.alert)
    }

    public func alert(id: String) async throws -> Alert? {
        try await alert(id: id, forUpdate: false)
    }

    func alert(id: String, forUpdate: Bool) async throws -> Alert? {
        let dialect = try sql.dialect.name
        let lock = forUpdate && dialect != "sqlite" ? " FOR UPDATE" : ""
        return try await sql.raw("SELECT * FROM alerts WHERE id = \(bind: id)\(unsafeRaw: lock)").first().map(
            Self.alert)
    }

    public func openAlert(station: String, rule: String) async throws -> Alert? {
        try await sql.raw(
            """
            SELECT * FROM alerts WHERE station_code = \(bind: station) AND rule_id = \(bind: rule)
                AND status NOT IN ('closed','converted')
            """
        ).first().map(Self.alert)
    }

    /// Dispatched alerts still awaiting handling: the escalation timer's work list.
    public func awaitingHandling() async throws -> [Alert] {
        try await alerts(Filter(statuses: [.dispatched, .acknowledged], limit: 10_000))
    }

    public func events(alertID: String) async throws -> [AlertEvent] {
        try await sql.raw("SELECT * FROM alert_events WHERE alert_id = \(bind: alertID) ORDER BY seq").all().map {
            row in
            AlertEvent(
                seq: try row.decode(column: "seq", as: Int64.self),
                alertID: try row.decode(column: "alert_id", as: String.self),
                at: try row.decode(column: "at", as: Int64.self),
                action: try row.decode(column: "action", as: String.self),
                actor: try row.decode(column: "actor", as: String.self),
                tier: try row.decode(column: "tier", as: Int?.self).flatMap(EscalationTier.init(rawValue:)),
                personID: try row.decode(column: "person_id", as: String?.self),
                unitCode: try row.decode(column: "unit_code", as: String?.self),
                note: try row.decode(column: "note", as: String?.self))
        }
    }

    /// Handling figures per assigned unit for alerts opened in [from, to).
    public func statistics(from: Int64, to: Int64, now: Int64, scope: Filter = Filter()) async throws
        -> [AlertHandlingStatistics]
    {
        var filter = scope
        (filter.from, filter.to, filter.limit) = (from, to, 10_000)
        let alerts = try await alerts(filter)
        return Dictionary(grouping: alerts, by: \.assigneeUnitCode)
            .map { AlertHandlingStatistics(unitCode: $0.key, alerts: $0.value, now: now) }
            .sorted { ($0.unitCode ?? "") < ($1.unitCode ?? "") }
    }

    static func alert(_ row: any SQLRow) throws -> Alert {
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        func int(_ column: String) throws -> Int64? { try row.decode(column: column, as: Int64?.self) }
        func double(_ column: String) throws -> Double? { try row.decode(column: column, as: Double?.self) }
        let signal = AlertSignal(
            ruleID: try row.decode(column: "rule_id", as: String.self),
            kind: AlertConditionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .threshold,
            severity: AlertSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .warning,
            stationCode: try row.decode(column: "station_code", as: String.self), code: try text("code"),
            time: try row.decode(column: "first_time", as: Int64.self), value: try double("value"),
            threshold: try double("threshold"), message: try row.decode(column: "message", as: String.self))
        var alert = Alert(
            signal: signal, id: try row.decode(column: "id", as: String.self), regionCode: try text("region_code"),
            openedAt: try row.decode(column: "opened_at", as: Int64.self))
        alert.status = AlertStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        alert.lastTime = try row.decode(column: "last_time", as: Int64.self)
        alert.count = try row.decode(column: "count", as: Int.self)
        alert.peak = try double("peak")
        alert.dispatchedAt = try int("dispatched_at")
        alert.deadline = try int("deadline")
        alert.acknowledgedAt = try int("acknowledged_at")
        alert.handledAt = try int("handled_at")
        alert.verifiedAt = try int("verified_at")
        alert.closedAt = try int("closed_at")
        alert.assigneePersonID = try text("assignee_person_id")
        alert.assigneeUnitCode = try text("assignee_unit_code")
        alert.tier = EscalationTier(rawValue: try row.decode(column: "tier", as: Int.self)) ?? .gridWorker
        alert.cause = try text("cause").flatMap(AlertCause.init(rawValue:))
        alert.handlingNote = try text("handling_note")
        alert.handledBy = try text("handled_by")
        alert.verifiedBy = try text("verified_by")
        alert.caseID = try text("case_id")
        return alert
    }
}
