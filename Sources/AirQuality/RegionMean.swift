/// A region's (township, county, city) concentrations: for each averaging time, the arithmetic mean
/// of its stations' concentrations; the region AQI is then computed from those means — never by
/// averaging station AQIs (HJ 663-2013 点位平均法, STANDARDS §3.5 [M; S1]).
public struct RegionConcentrations: Sendable, Hashable {
    /// The mean per field; nil where no station had a valid value.
    public let input: AQIInput
    /// Stations that entered each field's mean.
    public let stationCounts: [AQIInputField: Int]
    /// Station values that were NaN, infinite or negative: left out of the mean and reported.
    public let rejected: [InvalidConcentration]
}

public enum RegionMean {
    /// Per-field means over `stations` (each field averages the stations that have it).
    public static func concentrations(_ stations: [AQIInput]) -> RegionConcentrations {
        var input = AQIInput()
        var counts: [AQIInputField: Int] = [:]
        var rejected: [InvalidConcentration] = []
        for field in AQIInputField.allCases {
            var sum = 0.0
            var count = 0
            for station in stations {
                guard let value = station[keyPath: field.keyPath] else { continue }
                if let reason = InvalidConcentration.Reason.check(value) {
                    rejected.append(InvalidConcentration(pollutant: field.pollutant, value: value, reason: reason))
                    continue
                }
                sum += value
                count += 1
            }
            if count > 0 { input[keyPath: field.keyPath] = sum / Double(count) }
            counts[field] = count
        }
        return RegionConcentrations(input: input, stationCounts: counts, rejected: rejected)
    }

    /// The region's AQI from its stations' mean concentrations.
    public static func aqi(
        _ stations: [AQIInput], mode: AQIMode, ruleSet: AQIRuleSet, options: AQIOptions = .standard
    ) -> AQIResult {
        AQICalculator.compute(concentrations(stations).input, mode: mode, ruleSet: ruleSet, options: options)
    }

    /// Day-by-day region means of stations' daily series (nil where no station has a value).
    public static func dailyMeans(_ stations: [DailySeries]) -> [Double?] {
        guard let days = stations.map(\.count).max() else { return [] }
        return (0..<days).map { day in
            let values = stations.compactMap { day < $0.count ? $0[day] : nil }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
    }
}
