/// One day's daily values of a station or region: 24-hour means of SO2, NO2, CO, PM10, PM2.5, the
/// O3 daily maximum 8-hour mean and (optional) the O3 daily maximum 1-hour mean; nil = not valid.
public struct DailyValues: Sendable, Hashable {
    public var date: CivilDate
    public var concentrations: AQIInput

    public init(date: CivilDate, concentrations: AQIInput) {
        self.date = date
        self.concentrations = concentrations
    }
}

/// The span a period assessment covers; it decides the number of valid days required.
public enum AssessmentPeriod: Sendable, Hashable {
    /// GB 3095-2012 Table 4: ≥ 27 daily values (February ≥ 25).
    case month(year: Int, month: Int)
    /// GB 3095-2012 Table 4: ≥ 324 daily values.
    case year(Int)
    /// Any other span with an explicit requirement.
    case custom(requiredDays: Int)

    public var requiredDays: Int {
        switch self {
        case .month(_, let month): ValidityRule.minimumDays(inMonth: month)
        case .year: ValidityRule.minimumDaysPerYear
        case .custom(let required): required
        }
    }
}

/// A statistic of the period with the number of daily values behind it.
public struct PeriodStatistic: Sendable, Hashable {
    public let value: Double?
    public let count: Int
    public let required: Int
    public var isValid: Bool { value != nil && count >= required }
}

/// Assessment statistics of a period (HJ 663, STANDARDS §3.1, §3.4).
public struct PeriodAssessment: Sendable, Hashable {
    public let period: AssessmentPeriod
    /// Period means of SO2, NO2, PM10, PM2.5.
    public let means: [Pollutant: PeriodStatistic]
    /// CO P95 of daily means; O3 P90 of daily maximum 8-hour means (HJ 663-2013 Table 1).
    public let coP95: PeriodStatistic
    public let o3P90: PeriodStatistic
    /// Annual-compliance percentiles: SO2 and NO2 P98, PM10 and PM2.5 P95 of daily means.
    public let percentiles: [Pollutant: PeriodStatistic]
    /// Days whose AQI was published (valid days, STANDARDS §3.4).
    public let validDays: Int
    /// AQI ≤ 100.
    public let goodDays: Int
    public let daysPerLevel: [AQILevel: Int]
    /// 超标天数 per item: days with IAQI > 100.
    public let exceedanceDays: [AQIItem: Int]
    /// Days on which the item was (one of) the primary pollutant(s).
    public let primaryDays: [AQIItem: Int]

    /// 优良天数比例 in percent: good days ÷ valid days × 100; nil without valid days.
    public var goodDayRatio: Double? { validDays > 0 ? Double(goodDays) / Double(validDays) * 100 : nil }

    /// Whether enough days carry data for the period to be assessed and ranked.
    public var isValid: Bool { means.values.allSatisfy(\.isValid) && coP95.isValid && o3P90.isValid }

    /// Composite index of the period; a failure names what is missing or invalid.
    public func compositeIndex(
        configuration: CompositeIndexConfiguration = .standard2012
    ) -> Result<CompositeIndex, RankingExclusion> {
        let needed: [(String, PeriodStatistic)] = [
            ("SO2", means[.so2]!), ("NO2", means[.no2]!), ("PM10", means[.pm10]!), ("PM2.5", means[.pm25]!),
            ("CO P95", coP95), ("O3 P90", o3P90),
        ]
        if let (name, statistic) = needed.first(where: { !$0.1.isValid }) {
            return .failure(.insufficientData(statistic: name, valid: statistic.count, required: statistic.required))
        }
        let input = CompositeIndexInput(
            so2Mean: means[.so2]!.value!, no2Mean: means[.no2]!.value!, pm10Mean: means[.pm10]!.value!,
            pm25Mean: means[.pm25]!.value!, coP95: coP95.value!, o3P90: o3P90.value!)
        return CompositeIndex.compute(input, configuration: configuration).mapError { .invalidValue($0) }
    }

    /// Compliance of each pollutant with `standard` (grade 2 by default): every listed statistic
    /// ≤ its limit, after GB/T 8170 rounding (STANDARDS §3.1 [M]). Nil where a statistic is not valid.
    public func compliance(standard: LimitStandard, grade: LimitGrade = .two) -> [Pollutant: Bool?] {
        func complies(_ statistic: PeriodStatistic?, _ pollutant: Pollutant, _ averaging: LimitAveraging) -> Bool? {
            guard let statistic, statistic.isValid, let value = statistic.value,
                let limit = ConcentrationLimits.limit(pollutant, averaging, standard: standard, grade: grade)
            else { return nil }
            return GBT8170.rounded(value, decimals: pollutant.decimals) <= limit
        }
        var result: [Pollutant: Bool?] = [:]
        for pollutant in [Pollutant.so2, .no2, .pm10, .pm25] {
            let annual = complies(means[pollutant], pollutant, .annual)
            let daily = complies(percentiles[pollutant], pollutant, .twentyFourHour)
            result[pollutant] = annual.flatMap { a in daily.map { d in a && d } }
        }
        result[.co] = complies(coP95, .co, .twentyFourHour)
        result[.o3] = complies(o3P90, .o3, .eightHour)
        return result
    }
}

public enum Assessment {
    /// Assesses a period's daily values. Each day's AQI is the daily AQI under the rule set chosen
    /// by `rules` for that day.
    public static func assess(
        _ days: [DailyValues], period: AssessmentPeriod, rules: RuleSelection = .auto,
        options: AQIOptions = .standard
    ) -> PeriodAssessment {
        let required = period.requiredDays
        func statistic(_ values: [Double], _ compute: ([Double]) -> Double?) -> PeriodStatistic {
            PeriodStatistic(value: compute(values), count: values.count, required: required)
        }
        func series(_ keyPath: KeyPath<AQIInput, Double?>) -> [Double] {
            // Only concentrations enter statistics: NaN, infinite and negative values do not.
            days.compactMap { $0.concentrations[keyPath: keyPath] }.filter {
                InvalidConcentration.Reason.check($0) == nil
            }
        }
        let mean: ([Double]) -> Double? = { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
        var means: [Pollutant: PeriodStatistic] = [:]
        var percentiles: [Pollutant: PeriodStatistic] = [:]
        let columns: [(Pollutant, KeyPath<AQIInput, Double?>, Int)] = [
            (.so2, \.so2, 98), (.no2, \.no2, 98), (.pm10, \.pm10, 95), (.pm25, \.pm25, 95),
        ]
        for (pollutant, keyPath, p) in columns {
            let values = series(keyPath)
            means[pollutant] = statistic(values, mean)
            percentiles[pollutant] = statistic(values) { Percentile.hj663($0, p: p) }
        }
        let coP95 = statistic(series(\.co)) { Percentile.hj663($0, p: 95) }
        let o3P90 = statistic(series(\.o3EightHour)) { Percentile.hj663($0, p: 90) }

        var validDays = 0
        var goodDays = 0
        var perLevel: [AQILevel: Int] = [:]
        var exceedance: [AQIItem: Int] = [:]
        var primary: [AQIItem: Int] = [:]
        for day in days {
            let result = AQICalculator.compute(
                day.concentrations, mode: .daily, ruleSet: rules.ruleSet(day: day.date), options: options)
            guard let level = result.level else { continue }
            validDays += 1
            if let aqi = result.aqi, aqi <= 100 { goodDays += 1 }
            perLevel[level, default: 0] += 1
            for item in result.exceedingPollutants.items { exceedance[item, default: 0] += 1 }
            for item in result.primaryPollutants.items { primary[item, default: 0] += 1 }
        }
        return PeriodAssessment(
            period: period, means: means, coP95: coP95, o3P90: o3P90, percentiles: percentiles, validDays: validDays,
            goodDays: goodDays, daysPerLevel: perLevel, exceedanceDays: exceedance, primaryDays: primary)
    }
}
