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
        let minimumHours = ValidityRule.minimumHoursPerDay
        series.storage.withUnsafeBufferPointer { hours in
            out.withUnsafeMutableBufferPointer { out in
                // Four days at a time: four independent sums instead of one chain of dependent
                // additions. Each day still adds its hours in order from 0.0, as `Averaging` does
                // (an absent hour adds +0.0, which leaves a sum that starts at +0.0 unchanged).
                var day = 0
                while day + 4 <= days {
                    let base = day * 24
                    var sums = SIMD4<Double>(repeating: 0)
                    var counts = SIMD4<Int64>(repeating: 0)
                    for hour in 0..<24 {
                        let values = SIMD4(
                            hours[base + hour], hours[base + 24 + hour], hours[base + 48 + hour],
                            hours[base + 72 + hour])
                        let present = values .== values  // false for NaN (absent)
                        sums += values.replacing(with: 0, where: .!present)
                        counts &+= SIMD4<Int64>(repeating: 0).replacing(with: 1, where: present)
                    }
                    for lane in 0..<4 where counts[lane] >= minimumHours {
                        out[day + lane] = sums[lane] / Double(counts[lane])
                    }
                    day += 4
                }
                while day < days {
                    var sum = 0.0
                    var count = 0
                    for hour in 0..<24 {
                        let value = hours[day * 24 + hour]
                        sum += value.isNaN ? 0 : value
                        count += value.isNaN ? 0 : 1
                    }
                    if count >= minimumHours { out[day] = sum / Double(count) }
                    day += 1
                }
            }
        }
        return DailySeries(storage: out)
    }

    /// O3 daily maximum 8-hour means (windows labelled 08 … 24, HJ 663-2013).
    public static func o3DailyMaximumEightHour(_ series: HourlySeries, limit: Double = 160) -> DailySeries {
        o3DailyMaxima(series, limit: limit).eightHour
    }

    /// Daily maximum 1-hour mean (the 2012 daily report's O3 1-hour item), valid with ≥ 20 hours.
    public static func dailyMaximumOneHour(_ series: HourlySeries) -> DailySeries {
        let days = series.dayCount
        var out = [Double](repeating: .nan, count: days)
        series.storage.withUnsafeBufferPointer { hours in
            for day in 0..<days {
                var maximum = -Double.infinity
                var count = 0
                for hour in 0..<24 {
                    let value = hours[day * 24 + hour]
                    maximum = Swift.max(maximum, value.isNaN ? -.infinity : value)
                    count &+= value.isNaN ? 0 : 1
                }
                if count >= ValidityRule.minimumHoursPerDay { out[day] = maximum }
            }
        }
        return DailySeries(storage: out)
    }

    /// The O3 daily maximum 8-hour mean and the daily maximum 1-hour mean in one pass over the
    /// hours (the same values as `o3DailyMaximumEightHour` and `dailyMaximumOneHour`).
    public static func o3DailyMaxima(
        _ series: HourlySeries, limit: Double = 160
    ) -> (eightHour: DailySeries, oneHour: DailySeries) {
        let days = series.dayCount
        var eightHour = [Double](repeating: .nan, count: days)
        var oneHour = [Double](repeating: .nan, count: days)
        // Per day: the hours with absent ones as +0.0, and 1 / 0 for present / absent.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 24)
        let present = UnsafeMutablePointer<Int>.allocate(capacity: 24)
        defer {
            scratch.deallocate()
            present.deallocate()
        }
        series.storage.withUnsafeBufferPointer { hours in
            eightHour.withUnsafeMutableBufferPointer { eightHour in
                oneHour.withUnsafeMutableBufferPointer { oneHour in
                    for day in 0..<days {
                        let maxima = dayMaxima(
                            hours.baseAddress! + day * 24, limit: limit, values: scratch, present: present)
                        eightHour[day] = maxima.eightHour
                        oneHour[day] = maxima.oneHour
                    }
                }
            }
        }
        return (DailySeries(storage: eightHour), DailySeries(storage: oneHour))
    }

    /// One day's O3 maxima (NaN = not valid) from its 24 hours (NaN = absent), without branching
    /// on the data. `values` and `present` are scratch space for 24 hours.
    @inline(__always)
    static func dayMaxima(
        _ hours: UnsafePointer<Double>, limit: Double, values: UnsafeMutablePointer<Double>,
        present: UnsafeMutablePointer<Int>
    ) -> (eightHour: Double, oneHour: Double) {
        var maximumOneHour = -Double.infinity
        var hoursPresent = 0
        for hour in 0..<24 {
            let value = hours[hour]
            let isPresent = !value.isNaN
            maximumOneHour = Swift.max(maximumOneHour, isPresent ? value : -.infinity)
            hoursPresent &+= isPresent ? 1 : 0
            // Absent hours as +0.0, so that each window sums its eight hours in order from 0.0
            // exactly as `Averaging.eightHourMean` sums the present ones (x + 0.0 == x for
            // x ≠ −0.0, and a sum that starts at +0.0 is never −0.0).
            values[hour] = isPresent ? value : 0
            present[hour] = isPresent ? 1 : 0
        }
        // Windows labelled 08 … 24 cover hours start … start + 7 for start 0 … 16: seventeen
        // independent sums rather than one running sum re-added in order.
        var maximum = -Double.infinity
        var validWindows = 0
        for start in 0...16 {
            var sum = 0.0
            var count = 0
            for hour in start..<(start + 8) {
                sum += values[hour]
                count &+= present[hour]
            }
            let valid = count >= ValidityRule.minimumHoursPerEightHours
            validWindows &+= valid ? 1 : 0
            maximum = Swift.max(maximum, valid ? sum / Double(count) : -.infinity)
        }
        let eightHourValid =
            validWindows >= ValidityRule.minimumWindowsForO3DailyMaximum
            || (validWindows > 0 && GBT8170.rounded(maximum, decimals: 0) > limit)
        return (
            eightHour: eightHourValid ? maximum : .nan,
            oneHour: hoursPresent >= ValidityRule.minimumHoursPerDay ? maximumOneHour : .nan
        )
    }
}
