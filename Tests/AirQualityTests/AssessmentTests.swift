import AirQuality
import Testing

struct AssessmentTests {
    @Test
    func hj663PercentileFormula() {
        // k = 1 + (n − 1) p / 100; m = X(s) + (X(s+1) − X(s)) (k − s)
        #expect(Percentile.hj663([1, 2, 3, 4], p: 50) == 2.5)
        #expect(Percentile.hj663((1...30).map(Double.init), p: 90) == 27.1)
        #expect(Percentile.hj663([7], p: 95) == 7)
        #expect(Percentile.hj663([3, 1, 2], p: 100) == 3)
        #expect(Percentile.hj663([], p: 90) == nil)
        // STANDARDS §3.2: a 30-value O3-8h series with X(27) = 175, X(28) = 180 gives P90 = 175.5
        let series = (1...26).map { Double($0) * 5 } + [175, 180, 190, 200]
        #expect(Percentile.hj663(series.shuffled(), p: 90) == 175.5)
    }

    @Test
    func compositeIndexExampleOfStandards36() throws {
        // Given STANDARDS §3.6: SO2 9, NO2 32, PM10 68, PM2.5 41, CO P95 1.3, O3 P90 175.5
        let input = CompositeIndexInput(so2Mean: 9, no2Mean: 32, pm10Mean: 68, pm25Mean: 41, coP95: 1.3, o3P90: 175.5)
        // When the unweighted 2012 index is computed
        let index = try CompositeIndex.compute(input).get()
        // Then O3 rounds to 176, the sub-indices are as listed and I_sum is 4.52, primary PM2.5
        #expect(index.concentrations[.o3] == 176)
        let shown = [Pollutant.so2, .no2, .pm10, .pm25, .co, .o3].map { index.displayedSubIndex($0)! }
        #expect(shown == [0.15, 0.8, 0.971, 1.171, 0.325, 1.1])
        #expect(index.published == 4.52)
        #expect(index.primaryPollutants == [.pm25])
        // And the weighted 2026 candidate is configuration: 3 × PM2.5, 2 × NO2, 2 × O3, S_i of 2026
        let weighted = try CompositeIndex.compute(input, configuration: .weighted2026Candidate).get()
        #expect(weighted.total > index.total)
    }

    @Test
    func changeRate() {
        #expect(ChangeRate.percent(current: 4.5, previous: 5) == -10)
        #expect(ChangeRate.percent(current: 1, previous: 0) == nil)
    }

    static func days(count: Int, pm25: Double, so2: Double = 10) -> [DailyValues] {
        (0..<count).map { day in
            DailyValues(
                date: CivilDate(year: 2025, month: 1, day: day + 1),
                concentrations: AQIInput(
                    so2: so2, no2: 30, co: 1.0, o3EightHour: 100, pm10: 60, pm25: day < 3 ? 120 : pm25))
        }
    }

    @Test
    func periodStatisticsGoodDaysAndExceedance() throws {
        // Given 31 January days: 3 with PM2.5 120 (IAQI 158), 28 with PM2.5 30
        let assessment = Assessment.assess(Self.days(count: 31, pm25: 30), period: .month(year: 2025, month: 1))
        // Then 28 of 31 are good days and PM2.5 exceeded on 3
        #expect(assessment.validDays == 31)
        #expect(assessment.goodDays == 28)
        #expect(abs(assessment.goodDayRatio! - 90.3225806) < 1e-6)
        #expect(assessment.exceedanceDays[.pm25] == 3)
        #expect(assessment.primaryDays[.pm25] == 3)
        #expect(assessment.daysPerLevel[.four] == 3)
        let expectedMean: Double = (3.0 * 120 + 28.0 * 30) / 31
        #expect(assessment.means[.pm25]?.value == expectedMean)
        #expect(assessment.coP95.value == 1.0)
        #expect(assessment.isValid)
        // And compliance: PM2.5 mean 38.7 → 39 > 35 fails under 2012; SO2 complies
        let compliance = assessment.compliance(standard: .gb3095_2012)
        #expect(compliance[.pm25] == .some(false))
        #expect(compliance[.so2] == .some(true))
        #expect(try assessment.compositeIndex().get().published > 0)
    }

    @Test
    func tooFewDaysAreExcludedNotClean() {
        // Given only 26 days in January
        let assessment = Assessment.assess(Self.days(count: 26, pm25: 5), period: .month(year: 2025, month: 1))
        // Then no composite index: the exclusion names the statistic and the counts
        guard case .failure(let exclusion) = assessment.compositeIndex() else {
            Issue.record("a unit with 26 days got an index")
            return
        }
        #expect(exclusion == .insufficientData(statistic: "SO2", valid: 26, required: 27))
    }

    @Test
    func limitsByDate() {
        #expect(LimitStandard.inForce(on: CivilDate(year: 2026, month: 2, day: 28)) == .gb3095_2012)
        #expect(LimitStandard.inForce(on: CivilDate(year: 2026, month: 3, day: 1)) == .gb3095_2026Transitional)
        #expect(LimitStandard.inForce(on: CivilDate(year: 2031, month: 1, day: 1)) == .gb3095_2026Final)
        #expect(ConcentrationLimits.limit(.pm25, .annual, standard: .gb3095_2026Transitional) == 30)
        #expect(ConcentrationLimits.limit(.pm25, .twentyFourHour, standard: .gb3095_2026Final) == 50)
        #expect(ConcentrationLimits.limit(.o3, .eightHour, standard: .gb3095_2012, grade: .one) == 100)
    }
}

struct RegionAndRankingTests {
    @Test
    func regionAQIComesFromMeanConcentrationsNotMeanAQIs() {
        // Given two stations: AQI 40 (PM2.5 20) and AQI 132 (PM2.5 100)
        let a = AQIInput(so2: 5, no2: 20, co: 0.5, o3OneHour: 60, pm10: 40, pm25: 20)
        let b = AQIInput(so2: 15, no2: 40, co: 0.7, o3OneHour: nil, pm10: 60, pm25: 100)
        let region = RegionMean.concentrations([a, b])
        // Then the region PM2.5 is 60 and the region AQI 82 (50 + ⌈50 × 25 / 40⌉), not (40 + 132) / 2 = 86
        #expect(region.input.pm25 == 60)
        #expect(region.input.so2 == 10)
        #expect(region.input.o3OneHour == 60)  // only the station that has it
        #expect(region.stationCounts[.o3OneHour] == 1)
        let aqi = RegionMean.aqi([a, b], mode: .realtime, ruleSet: .hj633_2012)
        #expect(aqi.aqi == 82)
        // And the region AQI differs from the mean of station AQIs here
        let aqiA = AQICalculator.compute(a, mode: .realtime, ruleSet: .hj633_2012).aqi!
        let aqiB = AQICalculator.compute(b, mode: .realtime, ruleSet: .hj633_2012).aqi!
        #expect(aqiA == 40 && aqiB == 132)
        #expect((aqiA + aqiB) / 2 != aqi.aqi)
        // And a bad station value is reported, not averaged
        let bad = RegionMean.concentrations([a, AQIInput(pm25: -3)])
        #expect(bad.input.pm25 == 20)
        #expect(bad.rejected.count == 1)
    }

    @Test
    func tiesShareARankAndExclusionsAreNeverRankedAsClean() {
        // Given five townships, two with equal published I_sum and one without enough data
        let candidates: [RankingCandidate<String>] = [
            RankingCandidate(id: "甲镇", value: .success(4.521)),
            RankingCandidate(id: "乙镇", value: .success(3.90)),
            RankingCandidate(id: "丙镇", value: .success(4.5249)),  // 4.52 published, ties 甲镇
            RankingCandidate(id: "丁镇", value: .failure(.insufficientData(statistic: "PM2.5", valid: 20, required: 27))),
            RankingCandidate(id: "戊镇", value: .success(5.01)),
        ]
        // When ranked ascending (best air first)
        let ranked = Ranking.rank(candidates)
        // Then 1 乙, 2 甲 and 丙 jointly (并列), 4 戊, and 丁 excluded with its reason
        #expect(ranked.map(\.id) == ["乙镇", "甲镇", "丙镇", "戊镇", "丁镇"])
        #expect(ranked.map(\.rank) == [1, 2, 2, 4, nil])
        #expect(ranked.map(\.isTied) == [false, true, true, false, false])
        #expect(ranked[4].exclusion != nil)
        #expect(ranked[4].exclusion!.description.contains("不参加排名"))
        // And worst first (后十) reverses the order but keeps ties
        let worst = Ranking.rank(candidates, order: .descending)
        #expect(worst.map(\.rank) == [1, 2, 2, 4, nil])
        #expect(worst.first?.id == "戊镇")
        // And change rates rank with one decimal: −10.04 and −10.0 tie
        let rates = Ranking.rank(
            [RankingCandidate(id: "A", value: .success(-10.04)), RankingCandidate(id: "B", value: .success(-10.0))],
            decimals: 1)
        #expect(rates.map(\.rank) == [1, 1])
    }
}
