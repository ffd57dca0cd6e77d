/// A compact hourly AQI for bulk work: the number, the primary pollutants and a status.
public struct CompactAQI: Sendable, Hashable {
    public enum Status: UInt8, Sendable, Hashable {
        case published
        /// NaN, infinite or negative input, or above the top breakpoint: call
        /// `AQICalculator.compute` on the row for the typed details.
        case needsDetail
        case noData
    }

    /// The AQI, or −1 when not published.
    public let aqi: Int16
    public let primaryPollutants: AQIItemSet
    public let status: Status
}

/// Column-wise real-time AQIs of many station-hours: the same rounding, tables and rules as
/// `AQICalculator.compute` (a test holds them equal), without building an `AQIResult` per row.
/// Rows that are not simply published (invalid values, beyond the scale, SO2 1 h > 800, missing
/// pollutants under a withholding policy) come back as `.needsDetail` for the full computation.
public enum AQIBatch {
    /// One column per pollutant (nil = missing), all the same length; real-time semantics.
    public struct RealtimeColumns: Sendable {
        public var so2: [Double?]
        public var no2: [Double?]
        public var co: [Double?]
        public var o3OneHour: [Double?]
        public var pm10: [Double?]
        public var pm25: [Double?]

        public init(
            so2: [Double?], no2: [Double?], co: [Double?], o3OneHour: [Double?], pm10: [Double?], pm25: [Double?]
        ) {
            precondition(Set([so2.count, no2.count, co.count, o3OneHour.count, pm10.count, pm25.count]).count == 1)
            self.so2 = so2
            self.no2 = no2
            self.co = co
            self.o3OneHour = o3OneHour
            self.pm10 = pm10
            self.pm25 = pm25
        }

        public var count: Int { so2.count }
    }

    /// Real-time AQIs under `ruleSet` with the `publishAvailable` policy (HJ 633-2012 practice);
    /// rows with a missing pollutant are `.needsDetail` under any other policy.
    public static func realtime(
        _ columns: RealtimeColumns, ruleSet: AQIRuleSet, options: AQIOptions = .standard
    ) -> [CompactAQI] {
        let count = columns.count
        let allowMissing = options.incompleteData.resolved(for: ruleSet) == .publishAvailable
        let tables = FlatTables.shared.breakpoints
        let items: [(column: [Double?], item: AQIItem, kind: BreakpointTableKind)] = [
            (columns.so2, .so2, .so2OneHour), (columns.no2, .no2, .no2OneHour),
            (columns.pm10, .pm10, .pm10TwentyFourHour),
            (columns.pm25, .pm25, .pm25TwentyFourHour), (columns.co, .co, .coOneHour),
            (columns.o3OneHour, .o3OneHour, .o3OneHour),
        ]
        // Per row: the running maximum, the items holding it, and trouble bits.
        var maximum = [Int16](repeating: -1, count: count)
        var holders = [UInt8](repeating: 0, count: count)
        var trouble = [Bool](repeating: false, count: count)
        for (column, item, kind) in items {
            let breakpoints = tables + FlatTables.offset(kind, ruleSet)
            let decimals = item.pollutant.decimals
            let bit = UInt8(1) << item.rawValue
            let isSO2 = item == .so2
            column.withUnsafeBufferPointer { values in
                maximum.withUnsafeMutableBufferPointer { maximum in
                    holders.withUnsafeMutableBufferPointer { holders in
                        trouble.withUnsafeMutableBufferPointer { trouble in
                            for row in 0..<count {
                                guard let value = values[row] else {
                                    if !allowMissing { trouble[row] = true }
                                    continue
                                }
                                guard value >= 0, value.isFinite else {  // NaN fails `>=`
                                    trouble[row] = true
                                    continue
                                }
                                let scaled = GBT8170.roundedScaled(value, decimals: decimals)
                                // SO2 1 h > 800 has its own rule (HJ 633 Table 1/3 notes): full path.
                                if isSO2 && scaled > AQICalculator.specialRuleThreshold {
                                    trouble[row] = true
                                    continue
                                }
                                let index = IAQI.lookup(scaled: scaled, breakpoints: breakpoints)
                                if index < 0 {
                                    trouble[row] = true
                                    continue
                                }
                                let iaqi = Int16(index)
                                let current = maximum[row]
                                holders[row] =
                                    iaqi > current ? bit : (iaqi == current ? holders[row] | bit : holders[row])
                                maximum[row] = Swift.max(current, iaqi)
                            }
                        }
                    }
                }
            }
        }
        var out: [CompactAQI] = []
        out.reserveCapacity(count)
        for row in 0..<count {
            let aqi = maximum[row]
            if trouble[row] {
                out.append(CompactAQI(aqi: -1, primaryPollutants: [], status: .needsDetail))
            } else if aqi < 0 {
                out.append(CompactAQI(aqi: -1, primaryPollutants: [], status: .noData))
            } else {
                // Primary pollutants only when AQI > 50 (HJ 633 §5).
                let primary = AQIItemSet(rawValue: aqi > 50 ? holders[row] : 0)
                out.append(CompactAQI(aqi: aqi, primaryPollutants: primary, status: .published))
            }
        }
        return out
    }
}
