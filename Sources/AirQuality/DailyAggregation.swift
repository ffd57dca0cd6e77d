/// Hourly means of one station and pollutant over whole days, in columnar form for bulk work.
/// Element `d × 24 + (h − 1)` is hour label `h` (1 … 24, labelled by its end) of day `d`.
///
/// Values that may not enter a mean — flag other than N, missing — are stored as "absent";
/// N-flagged values that are NaN, infinite or negative are absent too and listed in `rejected`,
/// so no bad value becomes a number silently.
public struct HourlySeries: Sendable {
    public let pollutant: Pollutant
    /// NaN marks an absent hour; never exposed as a value.
    @usableFromInline var storage: [Double]
    public private(set) var rejected: [(hourIndex: Int, error: InvalidConcentration)] = []

    /// `values.count` must be a multiple of 24; `flags`, when given, must have the same count.
    public init(pollutant: Pollutant, values: [Double], flags: [DataFlag]? = nil) {
        precondition(values.count % 24 == 0, "whole days of 24 hourly means")
        precondition(flags == nil || flags!.count == values.count, "one flag per value")
        self.pollutant = pollutant
        var storage = values
        for index in storage.indices {
            if let flags, !flags[index].entersAverages {
                storage[index] = .nan
            } else if let reason = InvalidConcentration.Reason.check(values[index]) {
                rejected.append(
                    (index, InvalidConcentration(pollutant: pollutant, value: values[index], reason: reason)))
                storage[index] = .nan
            }
        }
        self.storage = storage
    }

    /// nil = missing.
    public init(pollutant: Pollutant, values: [Double?]) {
        self.init(
            pollutant: pollutant, values: values.map { $0 ?? 0 }, flags: values.map { $0 == nil ? .stopped : .normal })
    }

    public var dayCount: Int { storage.count / 24 }

    /// The hourly mean of `day` and label `hour` (1 … 24), nil when absent.
    public subscript(day: Int, hour: Int) -> Double? {
        let value = storage[day * 24 + hour - 1]
        return value.isNaN ? nil : value
    }
}

/// One value per day (nil where the day's statistic is not valid).
public struct DailySeries: Sendable, Hashable {
    @usableFromInline var storage: [Double]

    public var count: Int { storage.count }
    public subscript(day: Int) -> Double? {
        let value = storage[day]
        return value.isNaN ? nil : value
    }
    public var values: [Double?] { storage.map { $0.isNaN ? nil : $0 } }
}

/// Daily statistics of whole hourly series, in tight loops (the benchmark's daily aggregation).
/// Same rules as `Averaging`: 24-hour mean valid with ≥ 20 hours; O3 8-hour windows labelled
/// 08 … 24 valid with ≥ 6 hours; daily maximum valid with ≥ 14 windows or when above `limit`.
public enum DailyAggregation {
    /// 24-hour means (GB 3095-2012 Table 4: ≥ 20 hourly means per day).
    public static func dailyMeans(_ series: HourlySeries) -> DailySeries {
        let days = series.dayCount
        var out = [Double](repeating: .nan, count: days)
        series.storage.withUnsafeBufferPointer { hours in
            for day in 0..<days {
                var sum = 0.0
                var count = 0
                let base = day * 24
                for hour in 0..<24 {
                    let value = hours[base + hour]
                    if !value.isNaN {
                        sum += value
                        count += 1
                    }
                }
                if count >= ValidityRule.minimumHoursPerDay { out[day] = sum / Double(count) }
            }
        }
        return DailySeries(storage: out)
    }

    /// O3 daily maximum 8-hour means (windows labelled 08 … 24, HJ 663-2013).
    public static func o3DailyMaximumEightHour(_ series: HourlySeries, limit: Double = 160) -> DailySeries {
        let days = series.dayCount
        var out = [Double](repeating: .nan, count: days)
        let minimumHours = ValidityRule.minimumHoursPerEightHours
        series.storage.withUnsafeBufferPointer { hours in
            for day in 0..<days {
                let base = day * 24
                var sum = 0.0
                var count = 0
                for hour in 0..<8 where !hours[base + hour].isNaN {
                    sum += hours[base + hour]
                    count += 1
                }
                var maximum = -Double.infinity
                var validWindows = 0
                // Window labelled `last + 1` covers indices last−7 … last.
                for last in 7..<24 {
                    if last > 7 {
                        let incoming = hours[base + last]
                        let outgoing = hours[base + last - 8]
                        if !incoming.isNaN {
                            sum += incoming
                            count += 1
                        }
                        if !outgoing.isNaN {
                            sum -= outgoing
                            count -= 1
                        }
                    }
                    if count >= minimumHours {
                        validWindows += 1
                        // Recompute the valid window's mean exactly (no drift from the running sum).
                        var exact = 0.0
                        for index in (last - 7)...last where !hours[base + index].isNaN { exact += hours[base + index] }
                        maximum = Swift.max(maximum, exact / Double(count))
                    }
                }
                if validWindows >= ValidityRule.minimumWindowsForO3DailyMaximum
                    || (validWindows > 0 && GBT8170.rounded(maximum, decimals: 0) > limit)
                {
                    out[day] = maximum
                }
            }
        }
        return DailySeries(storage: out)
    }

    /// Daily maximum 1-hour mean (the 2012 daily report's O3 1-hour item), valid with ≥ 20 hours.
    public static func dailyMaximumOneHour(_ series: HourlySeries) -> DailySeries {
        let days = series.dayCount
        var out = [Double](repeating: .nan, count: days)
        series.storage.withUnsafeBufferPointer { hours in
            for day in 0..<days {
                var maximum = -Double.infinity
                var count = 0
                for hour in 0..<24 where !hours[day * 24 + hour].isNaN {
                    maximum = Swift.max(maximum, hours[day * 24 + hour])
                    count += 1
                }
                if count >= ValidityRule.minimumHoursPerDay { out[day] = maximum }
            }
        }
        return DailySeries(storage: out)
    }
}
