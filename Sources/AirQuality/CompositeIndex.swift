/// The period concentrations that enter a composite index (排名技术规定, STANDARDS §3.3 [S2]).
public struct CompositeIndexInput: Sendable, Hashable {
    public var so2Mean: Double
    public var no2Mean: Double
    public var pm10Mean: Double
    public var pm25Mean: Double
    /// CO 95th percentile of daily means, mg/m³.
    public var coP95: Double
    /// O3 90th percentile of daily maximum 8-hour means.
    public var o3P90: Double

    public init(so2Mean: Double, no2Mean: Double, pm10Mean: Double, pm25Mean: Double, coP95: Double, o3P90: Double) {
        self.so2Mean = so2Mean
        self.no2Mean = no2Mean
        self.pm10Mean = pm10Mean
        self.pm25Mean = pm25Mean
        self.coP95 = coP95
        self.o3P90 = o3P90
    }

    func value(_ pollutant: Pollutant) -> Double {
        switch pollutant {
        case .so2: so2Mean
        case .no2: no2Mean
        case .pm10: pm10Mean
        case .pm25: pm25Mean
        case .co: coP95
        case .o3: o3P90
        case .nox, .tsp: .nan
        }
    }
}

/// Configuration of the composite index: the limits S_i and the weights.
public struct CompositeIndexConfiguration: Sendable, Hashable {
    public var standard: LimitStandard
    /// Weight per pollutant (default 1 for all: the definition in use 2014–2026).
    public var weights: [Pollutant: Double]

    public init(standard: LimitStandard = .gb3095_2012, weights: [Pollutant: Double] = [:]) {
        self.standard = standard
        self.weights = weights
    }

    /// Unweighted, GB 3095-2012 grade-2 S_i: SO2 60, NO2 40, PM10 70, PM2.5 35 (annual limits),
    /// CO 4 (24 h), O3 160 (8 h) (STANDARDS §3.3 [S2]).
    public static let standard2012 = CompositeIndexConfiguration()

    /// A possible 2026 weighted index: PM2.5 × 3, NO2 × 2, O3 × 2, others × 1 [S1, unverified:
    /// one Guangdong project only]. Configuration, not a default.
    public static let weighted2026Candidate = CompositeIndexConfiguration(
        standard: .gb3095_2026Transitional, weights: [.pm25: 3, .no2: 2, .o3: 2])

    public func weight(_ pollutant: Pollutant) -> Double { weights[pollutant] ?? 1 }

    /// S_i: annual grade-2 limit for SO2, NO2, PM10, PM2.5; 24-hour for CO; 8-hour for O3.
    public func limit(_ pollutant: Pollutant) -> Double {
        let averaging: LimitAveraging =
            switch pollutant {
            case .co: .twentyFourHour
            case .o3: .eightHour
            default: .annual
            }
        return ConcentrationLimits.limit(pollutant, averaging, standard: standard, grade: .two) ?? .nan
    }
}

/// 环境空气质量综合指数: I_i = C_i / S_i, I_sum = Σ w_i × I_i (STANDARDS §3.3 [S2]).
/// Larger means worse air.
public struct CompositeIndex: Sendable, Hashable {
    /// C_i after GB/T 8170 rounding (integers, CO one decimal) — rounding happens before dividing.
    public let concentrations: [Pollutant: Double]
    /// I_i = C_i / S_i, unrounded (shown with 3 decimals).
    public let subIndices: [Pollutant: Double]
    /// Σ w_i × I_i, unrounded.
    public let total: Double
    /// The pollutants with the largest I_i (the period's primary pollutant; ties all listed).
    public let primaryPollutants: [Pollutant]

    /// I_sum rounded half-to-even to 2 decimals, as published and ranked.
    public var published: Double { GBT8170.rounded(total, decimals: 2) }
    /// I_sum in hundredths (the exact ranking key: equal keys rank jointly).
    public var publishedHundredths: Int64 { GBT8170.roundedScaled(total, decimals: 2) }

    /// I_i rounded to 3 decimals for display.
    public func displayedSubIndex(_ pollutant: Pollutant) -> Double? {
        subIndices[pollutant].map { GBT8170.rounded($0, decimals: 3) }
    }

    public static func compute(
        _ input: CompositeIndexInput, configuration: CompositeIndexConfiguration = .standard2012
    ) -> Result<CompositeIndex, InvalidConcentration> {
        var concentrations: [Pollutant: Double] = [:]
        var subIndices: [Pollutant: Double] = [:]
        var total = 0.0
        for pollutant in Pollutant.aqiPollutants {
            switch Concentration.validated(input.value(pollutant), pollutant) {
            case .failure(let error):
                return .failure(error)
            case .success(let concentration):
                let index = concentration.value / configuration.limit(pollutant)
                concentrations[pollutant] = concentration.value
                subIndices[pollutant] = index
                total += configuration.weight(pollutant) * index
            }
        }
        let largest = subIndices.values.max() ?? 0
        let primary = Pollutant.aqiPollutants.filter { subIndices[$0] == largest }
        return .success(
            CompositeIndex(
                concentrations: concentrations, subIndices: subIndices, total: total, primaryPollutants: primary))
    }

    /// Year-on-year (or period-on-period) change rate in percent of the published I_sum:
    /// (current − previous) / previous × 100. Positive = worse, negative = better
    /// (变化程度排名, STANDARDS §3.3 [S2]). Nil when `previous` is 0.
    public static func changeRate(current: CompositeIndex, previous: CompositeIndex) -> Double? {
        ChangeRate.percent(current: current.published, previous: previous.published)
    }
}

public enum ChangeRate {
    /// (current − previous) / previous × 100, nil when previous is 0 or either is not finite.
    public static func percent(current: Double, previous: Double) -> Double? {
        guard previous != 0, current.isFinite, previous.isFinite else { return nil }
        return (current - previous) / previous * 100
    }
}
