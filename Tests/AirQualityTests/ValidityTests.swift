import AirQuality
import Testing

struct ValidityTests {
    static func hours(valid: Int, value: Double = 50) -> [FlaggedValue?] {
        (0..<24).map { $0 < valid ? FlaggedValue(value) : nil }
    }

    @Test(arguments: [(19, false), (20, true), (24, true)])
    func dailyMeanNeedsTwentyHours(valid: Int, isValid: Bool) {
        #expect(Averaging.dailyMean(hours: Self.hours(valid: valid), pollutant: .pm25).isValid == isValid)
        #expect(ValidityRule.minimumHoursPerDay == 20)
    }

    @Test(arguments: [(44, false), (45, true)])
    func hourlyMeanNeedsFortyFiveMinutes(valid: Int, isValid: Bool) {
        let minutes: [FlaggedValue?] = (0..<60).map { $0 < valid ? FlaggedValue(10) : FlaggedValue(10, flag: .fault) }
        let mean = Averaging.hourlyMean(minutes: minutes, pollutant: .no2)
        #expect(mean.isValid == isValid)
        #expect(mean.count == valid)
    }

    @Test(arguments: [(5, false), (6, true)])
    func eightHourMeanNeedsSixHours(valid: Int, isValid: Bool) {
        // Given the window labelled 08 (hours 01 … 08) with `valid` hours present
        let hours: [FlaggedValue?] = (0..<24).map { $0 < valid ? FlaggedValue(100) : ($0 < 8 ? nil : FlaggedValue(1)) }
        #expect(Averaging.eightHourMean(hours: hours, endingAt: 7).isValid == isValid)
    }

    @Test
    func eightHourMeanIsLabelledByItsLastHour() {
        // Given hours 01 … 24 valued 1 … 24  Then the mean labelled 10 covers hours 03 … 10
        let hours: [FlaggedValue?] = (1...24).map { FlaggedValue(Double($0)) }
        #expect(Averaging.eightHourMean(hours: hours, endingAt: 9).value == 6.5)
        #expect(Averaging.eightHourMeans(hours: hours).count == 24)
    }

    @Test(arguments: [(13, false), (14, true)])
    func o3DailyMaximumNeedsFourteenWindows(windows: Int, isValid: Bool) {
        // Given hours 01 … P present and the rest missing: the window labelled L (hours L−7 … L)
        // has ≥ 6 hours while L ≤ P + 2, so labels 08 … P + 2 are valid: P = windows + 5.
        let present = windows + 5
        let hours: [FlaggedValue?] = (0..<24).map { $0 < present ? FlaggedValue(100) : nil }
        let maximum = Averaging.o3DailyMaximumEightHour(hours: hours)
        #expect(maximum.validWindows == windows)
        #expect(maximum.isValid == isValid)
        #expect(maximum.maximum == 100)
    }

    @Test
    func o3DailyMaximumWithFewWindowsIsValidAboveTheLimit() {
        // Given only 9 valid windows whose maximum is 170 > 160
        let hours: [FlaggedValue?] = (0..<24).map { $0 < 16 ? FlaggedValue(170) : nil }
        let maximum = Averaging.o3DailyMaximumEightHour(hours: hours)
        #expect(maximum.validWindows < 14)
        #expect(maximum.isValid)
        #expect(maximum.value == 170)
        // And the same day at 150 is not valid
        let low = Averaging.o3DailyMaximumEightHour(hours: (0..<24).map { $0 < 16 ? FlaggedValue(150) : nil })
        #expect(!low.isValid)
    }

    @Test(arguments: [(2, 24, false), (2, 25, true), (3, 26, false), (3, 27, true)])
    func monthlyMeanNeedsTwentySevenDaysOrTwentyFiveInFebruary(month: Int, days: Int, isValid: Bool) {
        let values: [Double?] = (0..<30).map { $0 < days ? 40 : nil }
        #expect(Averaging.monthlyMean(days: values, month: month, pollutant: .pm25).isValid == isValid)
    }

    @Test(arguments: [(323, false), (324, true)])
    func annualMeanNeeds324Days(days: Int, isValid: Bool) {
        let values: [Double?] = (0..<365).map { $0 < days ? 40 : nil }
        #expect(Averaging.annualMean(days: values, pollutant: .pm25).isValid == isValid)
    }

    @Test
    func onlyFlagNEntersAveragesAndBadValuesAreReported() {
        // Given 20 normal hours of 10, 3 hours flagged for calibration at 900, and one N-flagged NaN
        var hours: [FlaggedValue?] = (0..<20).map { _ in FlaggedValue(10) }
        hours += (0..<3).map { _ in FlaggedValue(900, flag: .calibration) }
        hours.append(FlaggedValue(.nan))
        let mean = Averaging.dailyMean(hours: hours, pollutant: .so2)
        // Then the mean is 10 over 20 hours and the NaN is reported, not averaged
        #expect(mean.value == 10)
        #expect(mean.count == 20)
        #expect(mean.rejected.map(\.reason) == [.notANumber])
        #expect(DataFlag(rawValue: "N")?.entersAverages == true)
        #expect(DataFlag(rawValue: "D")?.entersAverages == false)
    }

    @Test
    func bulkDailyAggregationEqualsTheReferenceFunctions() {
        // Given 400 days of hours with decimals (sums depend on the order of addition), gaps of
        // every length, flags, and N-flagged values that are no concentrations
        var values: [Double] = []
        var flags: [DataFlag] = []
        var state: UInt64 = 7
        for index in 0..<(400 * 24) {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let gappy = (index / 24) % 5  // days 0 … 4 mod 5: from few to many gaps
            values.append(Double(state >> 44) / 3_000 * (index % 97 == 0 ? -1 : 1))
            if state % 211 == 0 { values[index] = .nan }
            flags.append(Int(state >> 20) % 13 < gappy * 2 ? .maintenance : .normal)
        }
        let series = HourlySeries(pollutant: .o3, values: values, flags: flags)
        let means = DailyAggregation.dailyMeans(series)
        let maxima = DailyAggregation.o3DailyMaximumEightHour(series)
        let oneHour = DailyAggregation.dailyMaximumOneHour(series)
        let fused = DailyAggregation.o3DailyMaxima(series)
        #expect(fused.eightHour.values == maxima.values)
        #expect(fused.oneHour.values == oneHour.values)
        var valid = (means: 0, maxima: 0, oneHour: 0)
        for day in 0..<400 {
            let hours: [FlaggedValue?] = (0..<24).map {
                FlaggedValue(values[day * 24 + $0], flag: flags[day * 24 + $0])
            }
            // Then every day is exactly (==, not approximately) the reference computation
            let mean = Averaging.dailyMean(hours: hours, pollutant: .o3).value
            let maximum = Averaging.o3DailyMaximumEightHour(hours: hours).value
            let highest = Averaging.dailyMaximumOneHour(hours: hours).value
            #expect(means[day] == mean, "day \(day)")
            #expect(maxima[day] == maximum, "day \(day)")
            #expect(oneHour[day] == highest, "day \(day)")
            valid.means += mean == nil ? 0 : 1
            valid.maxima += maximum == nil ? 0 : 1
            valid.oneHour += highest == nil ? 0 : 1
        }
        // (Both valid and invalid days occur.)
        #expect((100..<400).contains(valid.means) && (100..<400).contains(valid.maxima))
        #expect((100..<400).contains(valid.oneHour))
    }
}
