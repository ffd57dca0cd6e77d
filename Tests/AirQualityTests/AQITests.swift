import AirQuality
import Testing

struct AQITests {
    static let clean = AQIInput(so2: 5, no2: 20, co: 0.5, o3OneHour: 60, pm10: 40, pm25: 20)

    @Test
    func realtimeUsesOneHourTablesAndPMOnTwentyFourHourTables() {
        // Given a real-time hour with PM2.5 76 and NO2 350
        var input = Self.clean
        input.pm25 = 76
        input.no2 = 350
        // When computed under 2012
        let result = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012)
        // Then PM2.5 uses the 24 h table (102) and NO2 the 1 h table (115), AQI 115, primary NO2
        #expect(result.subIndices[.pm25] == 102)
        #expect(result.subIndices[.no2] == 115)
        #expect(result.aqi == 115)
        #expect(result.primaryPollutants == AQIItemSet(.no2))
        #expect(result.exceedingPollutants == AQIItemSet([.no2, .pm25]))
        #expect(result.level == .three)
    }

    @Test
    func tiesAreAllPrimaryAndNoPrimaryAtOrBelow50() {
        // Given PM10 and PM2.5 with the same IAQI (PM10 100 → 75, PM2.5 55 → 75)
        var input = Self.clean
        input.pm10 = 100
        input.pm25 = 55
        let tie = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012)
        #expect(tie.aqi == 75)
        #expect(tie.primaryPollutants == AQIItemSet([.pm10, .pm25]))
        #expect(AQIReport.primaryPollutantText(tie.primaryPollutants, format: .cnemc) == "颗粒物(PM10),细颗粒物(PM2.5)")
        // And a clean hour has no primary pollutant, shown as — by CNEMC
        let clean = AQICalculator.compute(Self.clean, mode: .realtime, ruleSet: .hj633_2012)
        #expect(clean.aqi == 40)
        #expect(clean.primaryPollutants.isEmpty)
        #expect(AQIReport.primaryPollutantText(clean.primaryPollutants, format: .cnemc) == "—")
    }

    @Test
    func so2OneHourAbove800FollowsEachRuleSet() {
        // Given SO2 1 h 900 with a 24 h mean of 300
        var input = Self.clean
        input.so2 = 900
        input.so2TwentyFourHour = 300
        // When 2012: the SO2 IAQI comes from the 24 h table: 100 + ⌈50 × 150 / 325⌉ = 124
        let old = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012)
        #expect(old.subIndices[.so2] == 124)
        #expect(old.appliedRules.contains(.so2OneHourAbove800UsedTwentyFourHour))
        // When 2026: counted as 200
        let new = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2026)
        #expect(new.subIndices[.so2] == 200)
        #expect(new.aqi == 200)
        #expect(new.appliedRules.contains(.so2OneHourAbove800CountedAs200))
        // When 2012 without a 24 h value: no SO2 IAQI (CNEMC skips it)
        input.so2TwentyFourHour = nil
        let skipped = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012)
        #expect(skipped.subIndices[.so2] == nil)
        #expect(skipped.appliedRules.contains(.so2OneHourAbove800WithoutTwentyFourHour))
    }

    @Test
    func o3EightHourAbove800InTheDailyReport() {
        // Given a day with O3 max 8 h 850 and O3 max 1 h 1100
        let input = AQIInput(so2: 10, no2: 30, co: 1, o3OneHour: 1100, o3EightHour: 850, pm10: 60, pm25: 30)
        // When 2012: the O3 IAQI comes from the 1 h table (1100 → 450)
        let old = AQICalculator.compute(input, mode: .daily, ruleSet: .hj633_2012)
        #expect(old.subIndices[.o3EightHour] == nil)
        #expect(old.subIndices[.o3OneHour] == 450)
        #expect(old.aqi == 450)
        #expect(old.primaryPollutants == AQIItemSet(.o3OneHour))
        // When 2026: counted as 300, the 1 h value does not enter
        let new = AQICalculator.compute(input, mode: .daily, ruleSet: .hj633_2026)
        #expect(new.subIndices[.o3EightHour] == 300)
        #expect(new.subIndices[.o3OneHour] == nil)
        #expect(new.aqi == 300)
    }

    @Test
    func dailyO3OneHourUnder2012IsAnOption() {
        // Given a day whose O3 1 h maximum (250 → 125) beats everything else
        let input = AQIInput(so2: 10, no2: 30, co: 1, o3OneHour: 250, o3EightHour: 150, pm10: 60, pm25: 30)
        let included = AQICalculator.compute(input, mode: .daily, ruleSet: .hj633_2012)
        let excluded = AQICalculator.compute(
            input, mode: .daily, ruleSet: .hj633_2012, options: AQIOptions(dailyO3OneHourUnder2012: false))
        #expect(included.aqi == 125)
        #expect(excluded.aqi == 92)  // O3 8 h 150 → 50 + ⌈50 × 50 / 60⌉
        #expect(excluded.primaryPollutants == AQIItemSet(.o3EightHour))
    }

    @Test
    func incompleteDataRuleOf2026() {
        // Given an hour without CO and with AQI ≤ 100
        var input = Self.clean
        input.co = nil
        // Then 2012 publishes, 2026 shows NA
        #expect(AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012).aqi == 40)
        let na = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2026)
        #expect(na.value == .notAvailable(.incompleteData))
        #expect(na.missing == AQIItemSet(.co))
        #expect(na.subIndices[.pm25] == 29)  // the IAQIs are still published
        // And with AQI > 100 2026 publishes anyway
        input.pm25 = 90
        #expect(AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2026).aqi == 128)  // 100 + ⌈50 × 30 / 55⌉
        // And the policy is configurable
        let forced = AQICalculator.compute(
            input, mode: .realtime, ruleSet: .hj633_2012, options: AQIOptions(incompleteData: .requireAll))
        #expect(forced.value == .notAvailable(.incompleteData))
    }

    static let badValues: [Double] = [.nan, .infinity, -1]

    @Test(arguments: AQITests.badValues)
    func badInputNeverBecomesANumber(value: Double) {
        var input = Self.clean
        input.pm10 = value
        let result = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012)
        #expect(result.value == .notAvailable(.invalidInput))
        #expect(result.aqi == nil)
        #expect(result.invalid.count == 1)
        #expect(result.invalid.first?.item == .pm10)
    }

    @Test
    func beyondTheScaleIsLevelSixWithoutANumber() {
        var input = Self.clean
        input.pm10 = 800
        let result = AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012)
        #expect(result.value == .beyondScale)
        #expect(result.aqi == nil)
        #expect(result.level == .six)
        #expect(result.primaryPollutants == AQIItemSet(.pm10))
        #expect(result.invalid.first?.reason == .aboveTopBreakpoint(top: 600))
    }

    @Test
    func categoriesColoursAndSensitiveGroups() {
        #expect(AQILevel(aqi: 50) == .one)
        #expect(AQILevel(aqi: 51) == .two)
        #expect(AQILevel(aqi: 300) == .five)
        #expect(AQILevel(aqi: 301) == .six)
        #expect(AQILevel.five.chineseCategory == "重度污染")
        #expect(AQILevel.five.colour.hex == "#99004C")
        #expect(AQILevel.one.colour.hex == "#00E400")
        #expect(AQILevel.six.colour.hex == "#7E0023")
        var input = Self.clean
        input.pm25 = 90
        #expect(AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2026).sensitiveGroups.count == 1)
        #expect(AQICalculator.compute(input, mode: .realtime, ruleSet: .hj633_2012).sensitiveGroups.isEmpty)
    }
}
