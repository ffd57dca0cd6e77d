/// Computes real-time and daily AQIs per HJ 633-2012 and HJ 633—2026.
public enum AQICalculator {
    /// Items a real-time report needs (HJ 633 §5, STANDARDS §1.4).
    public static let realtimeItems = AQIItemSet([.so2, .no2, .pm10, .pm25, .co, .o3OneHour])
    /// Items a daily report needs; the 2012 O3 1-hour maximum is optional (see `AQIOptions`).
    public static let dailyItems = AQIItemSet([.so2, .no2, .pm10, .pm25, .co, .o3EightHour])

    /// SO2 1 h and O3 8 h tables stop here (HJ 633-2012 Table 1 notes (2) and (3)), in µg/m³.
    @usableFromInline static let specialRuleThreshold: Int64 = 800

    /// The AQI of `input` for `mode` under `ruleSet`.
    public static func compute(
        _ input: AQIInput, mode: AQIMode, ruleSet: AQIRuleSet, options: AQIOptions = .standard
    ) -> AQIResult {
        var work = Work(ruleSet: ruleSet)
        switch mode {
        case .realtime: work.realtime(input)
        case .daily: work.daily(input, options: options)
        }
        return work.result(mode: mode, required: mode == .realtime ? realtimeItems : dailyItems, options: options)
    }

    /// The AQI of `input` labelled at `time` (hour end for real-time, day for daily), with the
    /// rule set chosen by `rules`.
    public static func compute(
        _ input: AQIInput, mode: AQIMode, labelledAt time: ChinaDateTime, rules: RuleSelection = .auto,
        options: AQIOptions = .standard
    ) -> AQIResult {
        compute(input, mode: mode, ruleSet: rules.ruleSet(for: mode, labelledAt: time), options: options)
    }

    /// Accumulates sub-indices and problems for one computation.
    struct Work {
        let ruleSet: AQIRuleSet
        var subIndices = SubIndices()
        var beyond = AQIItemSet()
        var invalid: [InvalidConcentration] = []
        var applied = SpecialRules()
        var provided = AQIItemSet()

        init(ruleSet: AQIRuleSet) { self.ruleSet = ruleSet }

        /// Validates and rounds a value; nil when missing or invalid (recorded).
        mutating func concentration(_ value: Double?, _ item: AQIItem) -> Int64? {
            guard let value else { return nil }
            provided.insert(AQIItemSet(item))
            if let reason = InvalidConcentration.Reason.check(value) {
                invalid.append(
                    InvalidConcentration(pollutant: item.pollutant, item: item, value: value, reason: reason))
                return nil
            }
            return GBT8170.roundedScaled(value, decimals: item.pollutant.decimals)
        }

        mutating func index(_ item: AQIItem, _ scaled: Int64, _ kind: BreakpointTableKind, raw: Double) {
            let index = IAQI.lookup(scaled: scaled, table: kind, ruleSet: ruleSet)
            if index >= 0 {
                subIndices[item] = index
            } else {
                let top = BreakpointTable.table(kind, ruleSet).top
                beyond.insert(AQIItemSet(item))
                invalid.append(
                    InvalidConcentration(
                        pollutant: item.pollutant, item: item, value: raw, reason: .aboveTopBreakpoint(top: top)))
            }
        }

        mutating func simple(_ value: Double?, _ item: AQIItem, _ kind: BreakpointTableKind) {
            if let value, let scaled = concentration(value, item) { index(item, scaled, kind, raw: value) }
        }

        mutating func realtime(_ input: AQIInput) {
            if let so2 = input.so2, let scaled = concentration(so2, .so2) {
                if scaled > AQICalculator.specialRuleThreshold {
                    so2Above800(input)
                } else {
                    index(.so2, scaled, .so2OneHour, raw: so2)
                }
            }
            simple(input.no2, .no2, .no2OneHour)
            simple(input.co, .co, .coOneHour)
            // The CNEMC `O3_24h` column, i.e. the latest 1-hour O3 (data/SOURCES.md §2).
            simple(input.o3OneHour, .o3OneHour, .o3OneHour)
            // PM: 1-hour means on the 24-hour tables (HJ 633—2026 4.2.3; CNEMC practice in 2012 [C]).
            simple(input.pm10, .pm10, .pm10TwentyFourHour)
            simple(input.pm25, .pm25, .pm25TwentyFourHour)
        }

        mutating func so2Above800(_ input: AQIInput) {
            switch ruleSet {
            case .hj633_2012:
                // HJ 633-2012 Table 1 note (2): report the SO2 IAQI from the 24-hour mean.
                if let daily = input.so2TwentyFourHour {
                    if let scaled = concentration(daily, .so2) {
                        index(.so2, scaled, .so2TwentyFourHour, raw: daily)
                        applied.insert(.so2OneHourAbove800UsedTwentyFourHour)
                    }
                } else {
                    applied.insert(.so2OneHourAbove800WithoutTwentyFourHour)
                }
            case .hj633_2026:
                // HJ 633—2026 Table 3 note b: "IAQI 按 200 计" [S1–S2].
                subIndices[.so2] = 200
                applied.insert(.so2OneHourAbove800CountedAs200)
            }
        }

        mutating func daily(_ input: AQIInput, options: AQIOptions) {
            simple(input.so2, .so2, .so2TwentyFourHour)
            simple(input.no2, .no2, .no2TwentyFourHour)
            simple(input.co, .co, .coTwentyFourHour)
            simple(input.pm10, .pm10, .pm10TwentyFourHour)
            simple(input.pm25, .pm25, .pm25TwentyFourHour)
            var useOneHour = ruleSet == .hj633_2012 && options.dailyO3OneHourUnder2012
            if let o3 = input.o3EightHour, let scaled = concentration(o3, .o3EightHour) {
                if scaled > AQICalculator.specialRuleThreshold {
                    switch ruleSet {
                    case .hj633_2012:
                        // HJ 633-2012 Table 1 note (3): use the 1-hour IAQI instead.
                        useOneHour = true
                        applied.insert(.o3EightHourAbove800UsedOneHour)
                    case .hj633_2026:
                        // HJ 633—2026 Table 3 note c: "IAQI 按 300 计" [S1–S2].
                        subIndices[.o3EightHour] = 300
                        applied.insert(.o3EightHourAbove800CountedAs300)
                    }
                } else {
                    index(.o3EightHour, scaled, .o3EightHour, raw: o3)
                }
            }
            if useOneHour { simple(input.o3OneHour, .o3OneHour, .o3OneHour) }
        }

        func result(mode: AQIMode, required: AQIItemSet, options: AQIOptions) -> AQIResult {
            var missing = AQIItemSet(rawValue: required.rawValue & ~provided.rawValue)
            if applied.contains(.o3EightHourAbove800UsedOneHour) && !provided.contains(.o3OneHour) {
                missing.insert(AQIItemSet(.o3OneHour))
            }
            let exceeding = subIndices.items(above: 100).union(beyond)
            let value: AQIValue
            var primary = AQIItemSet()
            if invalid.count > beyond.rawValue.nonzeroBitCount {
                value = .notAvailable(.invalidInput)
            } else if !beyond.isEmpty {
                value = .beyondScale
                primary = beyond
            } else if let top = subIndices.maximum {
                let publish: Bool
                switch options.incompleteData.resolved(for: ruleSet) {
                case .standard, .publishAvailable: publish = true
                case .hj633_2026: publish = missing.isEmpty || top > 100
                case .requireAll: publish = missing.isEmpty
                }
                value = publish ? .index(top) : .notAvailable(.incompleteData)
                if publish && top > 50 { primary = subIndices.items(equalTo: top) }
            } else {
                value = .notAvailable(.noData)
            }
            return AQIResult(
                ruleSet: ruleSet, mode: mode, value: value, subIndices: subIndices, primaryPollutants: primary,
                exceedingPollutants: exceeding, missing: missing, appliedRules: applied, invalid: invalid)
        }
    }
}
