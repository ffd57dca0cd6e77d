/// Which HJ 633 rule set to apply: chosen by the data's date, or forced.
///
/// HJ 633—2026, GB 3095—2026 and HJ 663—2026 took effect on 2026-03-01 (STANDARDS §0 [S2]).
/// The cut-over is the instant 2026-03-01T00:00:00+08:00 (= 2026-02-28T16:00:00Z): data whose
/// averaging period **starts** before it is assessed under the 2012 rules, data whose period starts
/// at or after it under the 2026 rules. The period start matters because hours are labelled by
/// their end: the hour labelled 2026-03-01T00:00 is hour 24 of 2026-02-28 and stays under 2012;
/// the first 2026 hour is labelled 2026-03-01T01:00. A daily value for 2026-03-01 is 2026.
public enum RuleSelection: Sendable, Hashable {
    /// By the data's date in Asia/Shanghai.
    case auto
    /// An explicit override (re-scoring old data under new rules, or the reverse).
    case fixed(AQIRuleSet)

    /// 2026-03-01T00:00:00+08:00.
    public static let cutover2026 = ChinaDateTime(year: 2026, month: 3, day: 1)!

    /// Parses `auto`, `2012` or `2026` (also `HJ633-2012`, `hj633_2026`).
    public init?(_ text: String) {
        let lowered = text.lowercased()
        if lowered == "auto" {
            self = .auto
        } else if lowered.hasSuffix("2012") {
            self = .fixed(.hj633_2012)
        } else if lowered.hasSuffix("2026") {
            self = .fixed(.hj633_2026)
        } else {
            return nil
        }
    }

    /// The rule set for data whose averaging period starts at `periodStart`.
    public func ruleSet(periodStart: ChinaDateTime) -> AQIRuleSet {
        switch self {
        case .fixed(let ruleSet): ruleSet
        case .auto: periodStart < Self.cutover2026 ? .hj633_2012 : .hj633_2026
        }
    }

    /// The rule set for an hourly value labelled by its end (a real-time report's TimePoint).
    public func ruleSet(hourEndingAt end: ChinaDateTime) -> AQIRuleSet {
        ruleSet(periodStart: end.adding(seconds: -3600))
    }

    /// The rule set for a daily value of `date`.
    public func ruleSet(day date: CivilDate) -> AQIRuleSet {
        ruleSet(periodStart: date.start)
    }

    /// The rule set for data of `mode` labelled `time` (hour end for real-time, day for daily).
    public func ruleSet(for mode: AQIMode, labelledAt time: ChinaDateTime) -> AQIRuleSet {
        switch mode {
        case .realtime: ruleSet(hourEndingAt: time)
        case .daily: ruleSet(day: time.date)
        }
    }
}

/// The kind of AQI report (HJ 633 §5 "日报和实时报", STANDARDS §1.4).
public enum AQIMode: String, CaseIterable, Sendable, Hashable, Codable {
    /// Hourly real-time report (实时报).
    case realtime
    /// Daily report (日报).
    case daily
}

/// What to do when some of the required pollutants are missing.
public enum IncompleteDataPolicy: String, CaseIterable, Sendable, Hashable, Codable {
    /// The rule of the rule set in force: `publishAvailable` under HJ 633-2012 (what CNEMC did:
    /// verified on the snapshots, stations with a missing pollutant still got an AQI), and
    /// `hj633_2026` under HJ 633—2026.
    case standard
    /// AQI = the maximum of the available IAQIs.
    case publishAvailable
    /// HJ 633—2026 clause 5.3.1 [S1: `hj633.py` and its tests only; verify against the PDF]:
    /// with pollutants missing, publish the AQI and primary pollutant only when AQI > 100;
    /// otherwise publish the individual IAQIs and show the AQI as "NA".
    case hj633_2026
    /// No AQI unless every required pollutant is present.
    case requireAll

    func resolved(for ruleSet: AQIRuleSet) -> IncompleteDataPolicy {
        guard self == .standard else { return self }
        return ruleSet == .hj633_2012 ? .publishAvailable : .hj633_2026
    }
}

/// Options of an AQI computation. The defaults follow the standards as documented in STANDARDS.
public struct AQIOptions: Sendable, Hashable {
    public var incompleteData: IncompleteDataPolicy
    /// Whether the O3 daily maximum 1-hour value enters the **2012** daily AQI when provided.
    /// HJ 633-2012 lists it among the daily-report items and its Table 1 note (1) exempts only the
    /// SO2, NO2 and CO 1-hour values from the daily report, so the default is `true`; many
    /// implementations ignore it (STANDARDS §1.4, uncertain, not yet verified against CNEMC daily
    /// data). HJ 633—2026 daily AQI uses six items and never the O3 1-hour value.
    public var dailyO3OneHourUnder2012: Bool

    public init(incompleteData: IncompleteDataPolicy = .standard, dailyO3OneHourUnder2012: Bool = true) {
        self.incompleteData = incompleteData
        self.dailyO3OneHourUnder2012 = dailyO3OneHourUnder2012
    }

    public static let standard = AQIOptions()
}
