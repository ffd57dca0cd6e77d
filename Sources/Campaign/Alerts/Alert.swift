/// An alert as it is handled: raised by a rule at a station, dispatched to the person responsible,
/// handled within the deadline or escalated, then verified and closed — or converted into a ledger case.
/// Times are seconds since 1970.
public struct Alert: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var ruleID: String
    public var stationCode: String
    public var kind: AlertConditionKind
    public var severity: AlertSeverity
    public var code: String?
    public var status: AlertStatus
    /// The station's region when the alert opened (scopes and statistics).
    public var regionCode: String?
    public var message: String
    /// Observation times: the first value that raised it and the latest repeat.
    public var firstTime: Int64
    public var lastTime: Int64
    /// Signals while open: 1 when opened, +1 per repeat.
    public var count: Int
    public var value: Double?
    public var peak: Double?
    public var threshold: Double?
    public var openedAt: Int64
    public var dispatchedAt: Int64?
    public var deadline: Int64?
    public var acknowledgedAt: Int64?
    public var handledAt: Int64?
    public var verifiedAt: Int64?
    public var closedAt: Int64?
    /// Who holds it now.
    public var assigneePersonID: String?
    public var assigneeUnitCode: String?
    public var tier: EscalationTier
    public var cause: AlertCause?
    public var handlingNote: String?
    public var handledBy: String?
    public var verifiedBy: String?
    /// The ledger case it became, when converted.
    public var caseID: String?

    public init(signal: AlertSignal, id: String, regionCode: String?, openedAt: Int64) {
        self.id = id
        ruleID = signal.ruleID
        stationCode = signal.stationCode
        kind = signal.kind
        severity = signal.severity
        code = signal.code
        status = .open
        self.regionCode = regionCode
        message = signal.message
        firstTime = signal.time
        lastTime = signal.time
        count = 1
        value = signal.value
        peak = signal.value
        threshold = signal.threshold
        self.openedAt = openedAt
        tier = .gridWorker
    }

    /// Past the handling deadline and not yet handled.
    public func isOverdue(at now: Int64) -> Bool {
        guard status.awaitsHandling, let deadline else { return false }
        return now > deadline
    }

    /// A repeat of its rule at its station while open: the counter and the latest value rise.
    public mutating func repeated(by signal: AlertSignal) {
        count += 1
        if signal.time >= lastTime {
            lastTime = signal.time
            value = signal.value
            message = signal.message
        }
        firstTime = min(firstTime, signal.time)
        if let new = signal.value { peak = max(peak ?? new, new) }
    }
}

/// One step in an alert's history: opened, dispatched, escalated, acknowledged, handled, returned,
/// verified, closed, converted.
public struct AlertEvent: Sendable, Hashable, Codable {
    public var seq: Int64
    public var alertID: String
    public var at: Int64
    public var action: String
    /// `user:<name>` or `system:<what>`.
    public var actor: String
    public var tier: EscalationTier?
    public var personID: String?
    public var unitCode: String?
    public var note: String?

    public init(
        seq: Int64, alertID: String, at: Int64, action: String, actor: String, tier: EscalationTier? = nil,
        personID: String? = nil, unitCode: String? = nil, note: String? = nil
    ) {
        self.seq = seq
        self.alertID = alertID
        self.at = at
        self.action = action
        self.actor = actor
        self.tier = tier
        self.personID = personID
        self.unitCode = unitCode
        self.note = note
    }
}

/// How fast a unit handles its alerts — the figures the monthly assessment uses.
public struct AlertHandlingStatistics: Sendable, Hashable, Codable {
    public var unitCode: String?
    public var count: Int
    public var acknowledged: Int
    public var handled: Int
    /// Seconds from dispatch to acknowledgement and to handling.
    public var medianSecondsToAcknowledge: Double?
    public var p90SecondsToAcknowledge: Double?
    public var medianSecondsToHandle: Double?
    public var p90SecondsToHandle: Double?
    /// Handled after the deadline, or still unhandled past it.
    public var overdue: Int

    /// Figures over `alerts` (all of one unit) at `now`.
    public init(unitCode: String?, alerts: [Alert], now: Int64) {
        self.unitCode = unitCode
        count = alerts.count
        let toAcknowledge = alerts.compactMap { alert -> Double? in
            guard let start = alert.dispatchedAt, let end = alert.acknowledgedAt ?? alert.handledAt else { return nil }
            return Double(end - start)
        }
        let toHandle = alerts.compactMap { alert -> Double? in
            guard let start = alert.dispatchedAt, let end = alert.handledAt else { return nil }
            return Double(end - start)
        }
        acknowledged = toAcknowledge.count
        handled = toHandle.count
        medianSecondsToAcknowledge = Self.percentile(toAcknowledge, 0.5)
        p90SecondsToAcknowledge = Self.percentile(toAcknowledge, 0.9)
        medianSecondsToHandle = Self.percentile(toHandle, 0.5)
        p90SecondsToHandle = Self.percentile(toHandle, 0.9)
        overdue =
            alerts.filter { alert in
                guard let deadline = alert.deadline else { return false }
                if let handled = alert.handledAt { return handled > deadline }
                return alert.status.awaitsHandling && now > deadline
            }.count
    }

    /// Linear interpolation between closest ranks (k = 1 + (n − 1)·p), the rule HJ 663-2013 Appendix A
    /// uses for percentiles (STANDARDS §3.2), applied here to durations.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let k = 1 + Double(sorted.count - 1) * p
        let lower = Int(k.rounded(.down))
        let fraction = k - Double(lower)
        guard lower < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[lower - 1] + fraction * (sorted[lower] - sorted[lower - 1])
    }
}
