/// Averaging times of GB 3095 (STANDARDS §2.5). Hours are labelled by their **end**: hour `h`
/// (1 … 24) of a day is (h−1):00 – h:00. Arrays of a day's hours are indexed 0 … 23 for labels
/// 01 … 24. HJ 212 sends hourly data with `DataTime` = the period start; convert it with
/// `HourLabel(hj212DataTime:)` (label = DataTime + 1 h) before filling these arrays.
public enum Averaging {
    /// 1-hour mean from minute values (GB 3095-2012 Table 4: ≥ 45 minutes per hour).
    public static func hourlyMean(minutes: [FlaggedValue?], pollutant: Pollutant) -> Average {
        Average.of(minutes, pollutant: pollutant, required: ValidityRule.minimumMinutesPerHour)
    }

    /// 24-hour mean of a natural day from its hourly means labelled 01 … 24
    /// (GB 3095-2012 Table 4: ≥ 20 hourly means).
    public static func dailyMean(hours: [FlaggedValue?], pollutant: Pollutant) -> Average {
        Average.of(hours, pollutant: pollutant, required: ValidityRule.minimumHoursPerDay)
    }

    /// O3 8-hour moving mean labelled by its last hour: the mean of `hours[end-7 … end]`
    /// (GB/T 34302 quoting HJ 663-2013 Table A.1: "X−7 … X"); valid with ≥ 6 of the 8 hours.
    /// Hours before the start of `hours` count as missing.
    public static func eightHourMean(hours: [FlaggedValue?], endingAt end: Int, pollutant: Pollutant = .o3) -> Average {
        let window = Array(hours[max(0, end - 7)...end])
        return Average.of(window, pollutant: pollutant, required: ValidityRule.minimumHoursPerEightHours)
    }

    /// Every 8-hour moving mean of `hours`, index `i` labelled by hour `i`.
    public static func eightHourMeans(hours: [FlaggedValue?], pollutant: Pollutant = .o3) -> [Average] {
        hours.indices.map { eightHourMean(hours: hours, endingAt: $0, pollutant: pollutant) }
    }

    /// O3 daily maximum 8-hour mean (日最大8小时平均) from the day's 24 hourly means labelled 01 … 24.
    ///
    /// The windows are those labelled 08 … 24 (17 windows wholly inside the day, HJ 663-2013). The
    /// result is valid with ≥ 14 valid windows, or with fewer when the maximum, rounded per
    /// GB/T 8170, exceeds `limit` (default: the GB 3095 grade-2 O3 8-hour limit, 160 µg/m³,
    /// Table 1 of both the 2012 and 2026 editions).
    public static func o3DailyMaximumEightHour(hours: [FlaggedValue?], limit: Double = 160) -> DailyMaximum {
        precondition(hours.count == 24, "a day has 24 hourly means (labels 01 … 24)")
        var maximum: Double?
        var valid = 0
        for label in ValidityRule.o3DailyWindowLabels {
            if let mean = eightHourMean(hours: hours, endingAt: label - 1).value {
                valid += 1
                maximum = max(maximum ?? mean, mean)
            }
        }
        // Hours that were flagged N but are not concentrations: excluded above, reported here.
        let rejected = Average.of(hours, pollutant: .o3, required: 0).rejected
        return DailyMaximum(maximum: maximum, validWindows: valid, limit: limit, rejected: rejected)
    }

    /// The maximum 1-hour mean of a day (O3 daily maximum 1-hour, HJ 633-2012 daily report).
    public static func dailyMaximumOneHour(hours: [FlaggedValue?], pollutant: Pollutant = .o3) -> Average {
        let entering = hours.compactMap { $0 }.filter {
            $0.flag.entersAverages && InvalidConcentration.Reason.check($0.value) == nil
        }
        return Average(
            mean: entering.map(\.value).max(), count: entering.count, required: ValidityRule.minimumHoursPerDay)
    }

    /// Monthly mean from daily values (GB 3095-2012 Table 4: ≥ 27 days, February ≥ 25).
    public static func monthlyMean(days: [Double?], month: Int, pollutant: Pollutant) -> Average {
        Average.of(days, pollutant: pollutant, required: ValidityRule.minimumDays(inMonth: month))
    }

    /// Annual mean from daily values (GB 3095-2012 Table 4: ≥ 324 days). Table 4 also asks for
    /// ≥ 27 days in each month (February ≥ 25): check months with `monthlyMean`.
    public static func annualMean(days: [Double?], pollutant: Pollutant) -> Average {
        Average.of(days, pollutant: pollutant, required: ValidityRule.minimumDaysPerYear)
    }
}

/// The O3 daily maximum 8-hour mean with its validity.
public struct DailyMaximum: Sendable, Hashable {
    /// The largest valid 8-hour mean of the windows labelled 08 … 24, unrounded.
    public let maximum: Double?
    public let validWindows: Int
    public let limit: Double
    public let rejected: [InvalidConcentration]

    /// ≥ 14 valid windows, or the (GB/T 8170-rounded) maximum exceeds the limit (HJ 663-2013).
    public var isValid: Bool {
        guard let maximum else { return false }
        return validWindows >= ValidityRule.minimumWindowsForO3DailyMaximum
            || GBT8170.rounded(maximum, decimals: 0) > limit
    }

    public var value: Double? { isValid ? maximum : nil }
}
