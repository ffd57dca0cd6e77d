import AirQuality
import Testing

struct AQIBatchTests {
    /// Random station-hours with the hard cases mixed in: missing values, NaN, infinities,
    /// negatives (incl. −0), exact breakpoints, GB/T 8170 ties, SO2 above 800 and values beyond
    /// the top of a table (up to 1e300).
    static func rows(_ count: Int) -> [AQIInput] {
        var state: UInt64 = 42
        func random() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        func unit() -> Double { Double(random()) / Double(1 << 53) }
        let special: [Double] = [
            .nan, .infinity, -.infinity, -0.5, -0.0, 0, 1e300, 1e10, 2.5, 35, 35.5, 60.5, 75, 115, 150.5, 800,
            800.5, 801, 801.5, 1600, 3840, 3840.5, 3841, 0.15, 0.25, 1.05, 4.95, 5.05, 150.05, 150.04, 150.1,
        ]
        func value(_ top: Double) -> Double? {
            switch random() % 20 {
            case 0: return nil
            case 1: return special[Int(random() % UInt64(special.count))]
            case 2: return (unit() * top * 2 * 10).rounded() / 10 + 0.05  // CO ties, others just above
            case 3: return (unit() * top * 1.2).rounded() + 0.5  // integer ties
            default:
                let places = [1.0, 10, 100, 1000][Int(random() % 4)]
                return (unit() * top * 1.1 * places).rounded() / places
            }
        }
        return (0..<count).map { _ in
            AQIInput(
                so2: value(900), no2: value(3000), co: value(150), o3OneHour: value(1100), pm10: value(600),
                pm25: value(500))
        }
    }

    @Test
    func batchEqualsTheFullComputation() {
        // Given random hours incl. missing values, NaN, negatives, ties, SO2 > 800 and beyond-top values
        let rows = Self.rows(20_000)
        var columns = AQIBatch.RealtimeColumns()
        for row in rows { columns.append(row) }
        var published = 0
        let policies: [IncompleteDataPolicy] = [.standard, .publishAvailable, .hj633_2026, .requireAll]
        for ruleSet in AQIRuleSet.allCases {
            for policy in policies {
                let options = AQIOptions(incompleteData: policy)
                // When computed in bulk
                let batch = AQIBatch.realtime(columns, ruleSet: ruleSet, options: options)
                #expect(batch.count == rows.count)
                let allowMissing = policy == .publishAvailable || (policy == .standard && ruleSet == .hj633_2012)
                for (row, input) in rows.enumerated() {
                    #expect(columns[row] == input || input.hasNaN)
                    let full = AQICalculator.compute(input, mode: .realtime, ruleSet: ruleSet, options: options)
                    // Then each row is the full computation's AQI and primary pollutants …
                    let simple = full.aqi != nil && full.appliedRules.isEmpty && (allowMissing || full.missing.isEmpty)
                    switch batch[row].status {
                    case .published:
                        published += 1
                        #expect(simple)
                        #expect(Int(batch[row].aqi) == full.aqi, "row \(row): \(input)")
                        #expect(batch[row].primaryPollutants == full.primaryPollutants, "row \(row): \(input)")
                    case .noData:
                        #expect(full.value == .notAvailable(.noData), "row \(row): \(input)")
                    case .needsDetail:
                        // … or is sent to the full computation only for a reason.
                        #expect(!simple, "row \(row): \(input)")
                        #expect(batch[row].aqi == -1)
                    }
                }
            }
        }
        #expect(published > 10_000)
    }

    @Test
    func optionalColumnsAndAppendedRowsAgree() {
        // Given the same rows as optional columns and appended one by one
        let rows = Self.rows(2_000)
        var appended = AQIBatch.RealtimeColumns()
        for row in rows { appended.append(row) }
        let columns = AQIBatch.RealtimeColumns(
            so2: rows.map(\.so2), no2: rows.map(\.no2), co: rows.map(\.co), o3OneHour: rows.map(\.o3OneHour),
            pm10: rows.map(\.pm10), pm25: rows.map(\.pm25))
        // Then presence is kept apart from the values: NaN is a value, not a missing item
        #expect(columns.missing == appended.missing)
        #expect(columns.count == rows.count)
        for ruleSet in AQIRuleSet.allCases {
            #expect(AQIBatch.realtime(columns, ruleSet: ruleSet) == AQIBatch.realtime(appended, ruleSet: ruleSet))
        }
        let nan = AQIBatch.RealtimeColumns(
            so2: [.nan], no2: [nil], co: [nil], o3OneHour: [nil], pm10: [nil], pm25: [20])
        #expect(nan.missing == [AQIItemSet([.no2, .co, .o3OneHour, .pm10])])
        #expect(AQIBatch.realtime(nan, ruleSet: .hj633_2012).first?.status == .needsDetail)
        #expect(
            AQICalculator.compute(nan[0], mode: .realtime, ruleSet: .hj633_2012).value == .notAvailable(.invalidInput))
    }

    @Test
    func breakpointsAndTiesInBulk() {
        // Given PM2.5 exactly at a breakpoint, just above it, and GB/T 8170 ties
        let pm25: [Double?] = [35, 35.4, 35.5, 36.5, 60.5, 75, 500, 500.5, 501]
        let empty = [Double?](repeating: nil, count: pm25.count)
        let columns = AQIBatch.RealtimeColumns(
            so2: empty, no2: empty, co: empty, o3OneHour: empty, pm10: empty, pm25: pm25)
        let aqi = AQIBatch.realtime(columns, ruleSet: .hj633_2012).map(\.aqi)
        // Then 35 → 50 (not 51), 35.5 → 36 → 52, 36.5 → 36, 60.5 → 60 → 82, 500.5 → 500, 501 beyond
        #expect(aqi == [50, 50, 52, 52, 82, 100, 500, 500, -1])
    }
}

extension AQIInput {
    fileprivate var hasNaN: Bool {
        [so2, no2, co, o3OneHour, pm10, pm25].contains { $0?.isNaN == true }
    }
}
