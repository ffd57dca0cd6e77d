/// Minimum data for a statistic to be valid: GB 3095-2012 Table 4 (数据统计的有效性规定) and
/// HJ 663-2013 for the O3 daily maximum 8-hour mean (STANDARDS §2.3 [M]: widely cited values, not
/// re-read; GB 3095—2026 and HJ 663—2026 assumed unchanged until verified).
public enum ValidityRule {
    /// 1-hour mean of SO2, NO2, CO, O3, NOx: ≥ 45 minutes of sampling per hour (GB 3095-2012 Table 4).
    public static let minimumMinutesPerHour = 45
    /// 24-hour mean of SO2, NO2, CO, PM10, PM2.5, NOx: ≥ 20 hourly means per day (GB 3095-2012 Table 4).
    public static let minimumHoursPerDay = 20
    /// O3 8-hour mean: ≥ 6 hourly means in the 8-hour window (GB 3095-2012 Table 4).
    public static let minimumHoursPerEightHours = 6
    /// O3 daily maximum 8-hour mean: windows labelled 08 … 24 of the day, i.e. the 17 windows that lie
    /// wholly inside the day (HJ 663-2013, STANDARDS §2.5 [M]).
    public static let o3DailyWindowLabels = 8...24
    /// ≥ 14 valid 8-hour means among those 17; fewer is still valid when the maximum exceeds the
    /// limit (HJ 663-2013, STANDARDS §2.3 [M]).
    public static let minimumWindowsForO3DailyMaximum = 14
    /// Monthly mean: ≥ 27 daily means per month, February ≥ 25 (GB 3095-2012 Table 4).
    public static let minimumDaysPerMonth = 27
    public static let minimumDaysInFebruary = 25
    /// Annual mean: ≥ 324 daily means per year (GB 3095-2012 Table 4).
    public static let minimumDaysPerYear = 324

    /// 27, or 25 in February.
    public static func minimumDays(inMonth month: Int) -> Int {
        month == 2 ? minimumDaysInFebruary : minimumDaysPerMonth
    }
}

/// HJ 212-2017 data flag (`xxxxxx-Flag`, Table 8; STANDARDS §4.9 [T]). Only `N` enters averages.
public enum DataFlag: String, CaseIterable, Sendable, Hashable, Codable {
    /// Instrument working normally.
    case normal = "N"
    /// Instrument stopped (停运).
    case stopped = "F"
    /// Produced during maintenance.
    case maintenance = "M"
    /// Manually entered set value.
    case manual = "S"
    /// Instrument fault.
    case fault = "D"
    /// Instrument calibrating.
    case calibration = "C"
    /// Above the instrument's measurement range (not "above the limit").
    case overRange = "T"
    /// Communication abnormal between instrument and data logger.
    case communication = "B"

    /// Whether a value with this flag enters a mean.
    public var entersAverages: Bool { self == .normal }
}

/// A measured value with its HJ 212 flag.
public struct FlaggedValue: Sendable, Hashable {
    public var value: Double
    public var flag: DataFlag

    public init(_ value: Double, flag: DataFlag = .normal) {
        self.value = value
        self.flag = flag
    }
}

/// A mean and whether enough data entered it.
public struct Average: Sendable, Hashable {
    /// The arithmetic mean of the values that entered, unrounded; nil when there were none.
    public let mean: Double?
    /// Values that entered the mean (flag N, finite, non-negative).
    public let count: Int
    /// Values the validity rule requires.
    public let required: Int
    /// N-flagged values that were NaN, infinite or negative: kept out of the mean and reported.
    public let rejected: [InvalidConcentration]

    public init(mean: Double?, count: Int, required: Int, rejected: [InvalidConcentration] = []) {
        self.mean = mean
        self.count = count
        self.required = required
        self.rejected = rejected
    }

    public var isValid: Bool { mean != nil && count >= required }

    /// The mean when valid, else nil.
    public var value: Double? { isValid ? mean : nil }

    /// Mean of the entering values of `values`; `required` is the validity threshold.
    public static func of(_ values: [FlaggedValue?], pollutant: Pollutant, required: Int) -> Average {
        var sum = 0.0
        var count = 0
        var rejected: [InvalidConcentration] = []
        for case let value? in values where value.flag.entersAverages {
            if let reason = InvalidConcentration.Reason.check(value.value) {
                rejected.append(InvalidConcentration(pollutant: pollutant, value: value.value, reason: reason))
                continue
            }
            sum += value.value
            count += 1
        }
        return Average(
            mean: count > 0 ? sum / Double(count) : nil, count: count, required: required, rejected: rejected)
    }

    /// Mean of unflagged values (nil = missing), e.g. daily means entering a monthly mean.
    public static func of(_ values: [Double?], pollutant: Pollutant, required: Int) -> Average {
        of(values.map { $0.map { FlaggedValue($0) } }, pollutant: pollutant, required: required)
    }
}
