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
/// pollutants under a withholding policy) come back as `.needsDetail` for the full computation
/// (`AQICalculator.compute(columns[row], …)`).
public enum AQIBatch {
    /// One column per pollutant, all the same length; real-time semantics (`AQIInput`).
    ///
    /// Values are stored unboxed (8 bytes each, no optional tag) and presence is kept apart, one
    /// `AQIItemSet` of missing items per row. A missing value is never NaN: NaN, infinities and
    /// negative numbers stay *invalid* values (the row is `.needsDetail`), and the number stored
    /// under a missing item is ignored.
    public struct RealtimeColumns: Sendable {
        public private(set) var so2: [Double]
        public private(set) var no2: [Double]
        public private(set) var co: [Double]
        public private(set) var o3OneHour: [Double]
        public private(set) var pm10: [Double]
        public private(set) var pm25: [Double]
        /// Per row, the items with no value (bits of `AQICalculator.realtimeItems`).
        public private(set) var missing: [AQIItemSet]

        /// Columns of values with the missing items of each row (`[]` for a complete row).
        public init(
            so2: [Double], no2: [Double], co: [Double], o3OneHour: [Double], pm10: [Double], pm25: [Double],
            missing: [AQIItemSet]
        ) {
            let counts = [so2.count, no2.count, co.count, o3OneHour.count, pm10.count, pm25.count, missing.count]
            precondition(Set(counts).count == 1, "columns of one length")
            self.so2 = so2
            self.no2 = no2
            self.co = co
            self.o3OneHour = o3OneHour
            self.pm10 = pm10
            self.pm25 = pm25
            self.missing = missing
        }

        /// Columns of optional values (nil = missing).
        public init(
            so2: [Double?], no2: [Double?], co: [Double?], o3OneHour: [Double?], pm10: [Double?], pm25: [Double?]
        ) {
            let columns = [so2, no2, pm10, pm25, co, o3OneHour]
            let items: [AQIItem] = [.so2, .no2, .pm10, .pm25, .co, .o3OneHour]
            precondition(Set(columns.map(\.count)).count == 1, "columns of one length")
            var missing = [AQIItemSet](repeating: [], count: so2.count)
            for (column, item) in zip(columns, items) {
                for (row, value) in column.enumerated() where value == nil { missing[row].insert(AQIItemSet(item)) }
            }
            self.init(
                so2: so2.map { $0 ?? 0 }, no2: no2.map { $0 ?? 0 }, co: co.map { $0 ?? 0 },
                o3OneHour: o3OneHour.map { $0 ?? 0 }, pm10: pm10.map { $0 ?? 0 }, pm25: pm25.map { $0 ?? 0 },
                missing: missing)
        }

        public init() {
            self.init(so2: [], no2: [], co: [], o3OneHour: [], pm10: [], pm25: [], missing: [])
        }

        public var count: Int { missing.count }

        /// Appends one station-hour (the real-time items of `input`).
        public mutating func append(_ input: AQIInput) {
            let values = [input.so2, input.no2, input.pm10, input.pm25, input.co, input.o3OneHour]
            let items: [AQIItem] = [.so2, .no2, .pm10, .pm25, .co, .o3OneHour]
            var absent = AQIItemSet()
            for (value, item) in zip(values, items) where value == nil { absent.insert(AQIItemSet(item)) }
            so2.append(input.so2 ?? 0)
            no2.append(input.no2 ?? 0)
            co.append(input.co ?? 0)
            o3OneHour.append(input.o3OneHour ?? 0)
            pm10.append(input.pm10 ?? 0)
            pm25.append(input.pm25 ?? 0)
            missing.append(absent)
        }

        /// Row `row` as the input of `AQICalculator.compute` (nil where missing).
        public subscript(row: Int) -> AQIInput {
            let absent = missing[row]
            func value(_ column: [Double], _ item: AQIItem) -> Double? {
                absent.contains(item) ? nil : column[row]
            }
            return AQIInput(
                so2: value(so2, .so2), no2: value(no2, .no2), co: value(co, .co),
                o3OneHour: value(o3OneHour, .o3OneHour), pm10: value(pm10, .pm10), pm25: value(pm25, .pm25))
        }
    }

    /// Real-time AQIs under `ruleSet` with the `publishAvailable` policy (HJ 633-2012 practice);
    /// rows with a missing pollutant are `.needsDetail` under any other policy.
    public static func realtime(
        _ columns: RealtimeColumns, ruleSet: AQIRuleSet, options: AQIOptions = .standard
    ) -> [CompactAQI] {
        let count = columns.count
        let allowMissing = options.incompleteData.resolved(for: ruleSet) == .publishAvailable
        let dense = DenseTables.shared
        let tables = (
            so2: Column(dense.table(.so2OneHour, ruleSet)), no2: Column(dense.table(.no2OneHour, ruleSet)),
            pm10: Column(dense.table(.pm10TwentyFourHour, ruleSet)),
            pm25: Column(dense.table(.pm25TwentyFourHour, ruleSet)), co: Column(dense.table(.coOneHour, ruleSet)),
            o3: Column(dense.table(.o3OneHour, ruleSet))
        )
        // Missing items make a row `.needsDetail` unless the policy publishes what is available.
        let troubleWhenMissing: UInt8 = allowMissing ? 0 : 0xFF
        let bit = (
            so2: AQIItemSet(.so2).rawValue, no2: AQIItemSet(.no2).rawValue, pm10: AQIItemSet(.pm10).rawValue,
            pm25: AQIItemSet(.pm25).rawValue, co: AQIItemSet(.co).rawValue, o3: AQIItemSet(.o3OneHour).rawValue
        )
        let (so2, no2, pm10, pm25, co, o3) = (
            columns.so2, columns.no2, columns.pm10, columns.pm25, columns.co, columns.o3OneHour
        )
        let missing = columns.missing
        return [CompactAQI](unsafeUninitializedCapacity: count) { out, initialized in
            // One pass over the rows, every item's IAQI in registers; no branch on the data.
            for row in 0..<count {
                let absent = missing[row].rawValue
                var trouble = absent & troubleWhenMissing
                let a = tables.so2.index(so2[row], absent & bit.so2 == 0, &trouble, decimals: 0)
                let b = tables.no2.index(no2[row], absent & bit.no2 == 0, &trouble, decimals: 0)
                let c = tables.pm10.index(pm10[row], absent & bit.pm10 == 0, &trouble, decimals: 0)
                let d = tables.pm25.index(pm25[row], absent & bit.pm25 == 0, &trouble, decimals: 0)
                let e = tables.co.index(co[row], absent & bit.co == 0, &trouble, decimals: 1)
                let f = tables.o3.index(o3[row], absent & bit.o3 == 0, &trouble, decimals: 0)
                let top = max(max(max(a, b), max(c, d)), max(e, f))
                var holders = (a == top ? bit.so2 : 0) | (b == top ? bit.no2 : 0) | (c == top ? bit.pm10 : 0)
                holders |= (d == top ? bit.pm25 : 0) | (e == top ? bit.co : 0) | (f == top ? bit.o3 : 0)
                (out.baseAddress! + row).initialize(to: CompactAQI(top: top, holders: holders, trouble: trouble != 0))
            }
            initialized = count
        }
    }

    /// One column's dense IAQI table (`DenseTables`) and the per-value step of the batch.
    struct Column {
        let indices: UnsafePointer<Int16>
        let last: Int64

        init(_ table: (indices: UnsafePointer<Int16>, last: Int64)) {
            indices = table.indices
            last = table.last
        }

        /// The IAQI of a present value, −1 when missing; sets `trouble` for a present value that
        /// is invalid (NaN, infinite, negative), above the table, or SO2 1 h > 800 (whose table
        /// stops at 800, so "above the top" covers it).
        ///
        /// `decimals` is a literal at every call, so that the µg/m³ columns round with
        /// `roundedToInteger` in line (measured: a call per value costs about a quarter of the
        /// throughput); only CO goes through the general `roundedScaled`.
        @inline(__always)
        func index(_ value: Double, _ present: Bool, _ trouble: inout UInt8, decimals: Int) -> Int16 {
            // NaN fails both comparisons; 1e9 is far above every top and keeps the rounding exact.
            let valid = value >= 0 && value < 1e9
            let magnitude = valid ? value : 0
            let scaled =
                decimals == 0
                ? GBT8170.roundedToInteger(magnitude) : GBT8170.roundedScaled(magnitude, decimals: decimals)
            // 0 ≤ scaled (a valid value is ≥ 0, −0.0 rounds to 0), and `last` caps it: in bounds.
            assert(scaled >= 0)
            let index = indices[Int(Swift.min(scaled, last))]
            let bad = !valid || index < 0
            trouble |= present && bad ? 1 : 0
            return present ? index : -1
        }
    }
}

extension CompactAQI {
    /// Row result from the largest IAQI, the items holding it and whether the row needs detail.
    @inline(__always)
    init(top: Int16, holders: UInt8, trouble: Bool) {
        if trouble {
            self.init(aqi: -1, primaryPollutants: [], status: .needsDetail)
        } else if top < 0 {
            self.init(aqi: -1, primaryPollutants: [], status: .noData)
        } else {
            // Primary pollutants only when AQI > 50 (HJ 633 §5).
            self.init(aqi: top, primaryPollutants: AQIItemSet(rawValue: top > 50 ? holders : 0), status: .published)
        }
    }
}
