/// The AQI technical regulation in force: HJ 633-2012, or HJ 633—2026 from 2026-03-01.
public enum AQIRuleSet: String, CaseIterable, Sendable, Hashable, Codable {
    case hj633_2012 = "2012"
    case hj633_2026 = "2026"

    public var title: String {
        switch self {
        case .hj633_2012: "HJ 633-2012"
        case .hj633_2026: "HJ 633—2026"
        }
    }
}

/// One concentration-to-IAQI table of HJ 633 (a column of Table 1 in 2012, Table 3 in 2026).
public enum BreakpointTableKind: String, CaseIterable, Sendable, Hashable {
    case so2TwentyFourHour, so2OneHour
    case no2TwentyFourHour, no2OneHour
    case pm10TwentyFourHour
    case coTwentyFourHour, coOneHour
    case o3OneHour, o3EightHour
    case pm25TwentyFourHour

    public var pollutant: Pollutant {
        switch self {
        case .so2TwentyFourHour, .so2OneHour: .so2
        case .no2TwentyFourHour, .no2OneHour: .no2
        case .pm10TwentyFourHour: .pm10
        case .coTwentyFourHour, .coOneHour: .co
        case .o3OneHour, .o3EightHour: .o3
        case .pm25TwentyFourHour: .pm25
        }
    }
}

/// Breakpoints of one table: IAQI nodes and the matching concentrations, both as integers.
/// Concentrations are scaled like `Concentration.scaled` (CO × 10), so a lookup is exact.
public struct BreakpointTable: Sendable, Hashable {
    public let kind: BreakpointTableKind
    public let ruleSet: AQIRuleSet
    /// IAQI_Lo/IAQI_Hi nodes (HJ 633-2012 Table 1 first column): 0, 50, 100, 150, 200, 300, 400, 500.
    public let indexNodes: [Int64]
    /// BP nodes in `kind.pollutant.scale` units; shorter than 8 where the table stops early.
    public let scaledBreakpoints: [Int64]

    init(_ kind: BreakpointTableKind, _ breakpoints: [Double], _ ruleSet: AQIRuleSet = .hj633_2012) {
        self.kind = kind
        self.ruleSet = ruleSet
        let scale = Double(kind.pollutant.scale)
        self.scaledBreakpoints = breakpoints.map { Int64(($0 * scale).rounded()) }
        self.indexNodes = Array(BreakpointTable.nodes.prefix(breakpoints.count))
    }

    static let nodes: [Int64] = [0, 50, 100, 150, 200, 300, 400, 500]

    /// The concentrations in the pollutant's unit (for documentation and tests).
    public var breakpoints: [Double] {
        scaledBreakpoints.map { Double($0) / Double(kind.pollutant.scale) }
    }

    /// The last breakpoint; above it the table defines no IAQI.
    public var top: Double { breakpoints[breakpoints.count - 1] }

    public static func table(_ kind: BreakpointTableKind, _ ruleSet: AQIRuleSet) -> BreakpointTable {
        switch ruleSet {
        case .hj633_2012: tables2012[Int(kind.index)]
        case .hj633_2026: tables2026[Int(kind.index)]
        }
    }

    // HJ 633-2012 Table 1 (STANDARDS §1.2 [S2 + C]). µg/m³, CO mg/m³.
    static let tables2012: [BreakpointTable] = [
        BreakpointTable(.so2TwentyFourHour, [0, 50, 150, 475, 800, 1600, 2100, 2620]),
        // SO2 1 h stops at 800 (IAQI 200): above it HJ 633-2012 Table 1 note (2) applies.
        BreakpointTable(.so2OneHour, [0, 150, 500, 650, 800]),
        BreakpointTable(.no2TwentyFourHour, [0, 40, 80, 180, 280, 565, 750, 940]),
        BreakpointTable(.no2OneHour, [0, 100, 200, 700, 1200, 2340, 3090, 3840]),
        BreakpointTable(.pm10TwentyFourHour, [0, 50, 150, 250, 350, 420, 500, 600]),
        BreakpointTable(.coTwentyFourHour, [0, 2, 4, 14, 24, 36, 48, 60]),
        BreakpointTable(.coOneHour, [0, 5, 10, 35, 60, 90, 120, 150]),
        BreakpointTable(.o3OneHour, [0, 160, 200, 300, 400, 800, 1000, 1200]),
        // O3 8 h stops at 800 (IAQI 300): above it HJ 633-2012 Table 1 note (3) applies.
        BreakpointTable(.o3EightHour, [0, 100, 160, 215, 265, 800]),
        BreakpointTable(.pm25TwentyFourHour, [0, 35, 75, 115, 150, 250, 350, 500]),
    ]

    // HJ 633—2026 Table 3 (STANDARDS §1.3 [S2]): IAQI 100 moves to PM2.5 60 and PM10 120;
    // every other column is unchanged.
    static let tables2026: [BreakpointTable] = tables2012.map { table in
        switch table.kind {
        case .pm10TwentyFourHour:
            BreakpointTable(.pm10TwentyFourHour, [0, 50, 120, 250, 350, 420, 500, 600], .hj633_2026)
        case .pm25TwentyFourHour:
            BreakpointTable(.pm25TwentyFourHour, [0, 35, 60, 115, 150, 250, 350, 500], .hj633_2026)
        default: BreakpointTable(table.kind, table.breakpoints, .hj633_2026)
        }
    }
}

extension BreakpointTableKind {
    @usableFromInline
    var index: UInt8 {
        switch self {
        case .so2TwentyFourHour: 0
        case .so2OneHour: 1
        case .no2TwentyFourHour: 2
        case .no2OneHour: 3
        case .pm10TwentyFourHour: 4
        case .coTwentyFourHour: 5
        case .coOneHour: 6
        case .o3OneHour: 7
        case .o3EightHour: 8
        case .pm25TwentyFourHour: 9
        }
    }
}

/// The tables of both rule sets copied once into one immortal buffer of 2 × 10 × 8 breakpoints
/// (short tables padded with `Int32.max`), read by the hot `IAQI.lookup`.
@usableFromInline
struct FlatTables: @unchecked Sendable {
    // Immutable after initialisation and never freed: safe to share between threads.
    @usableFromInline let breakpoints: UnsafeMutablePointer<Int32>

    @usableFromInline static let shared = FlatTables()

    init() {
        let count = AQIRuleSet.allCases.count * BreakpointTableKind.allCases.count * 8
        breakpoints = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        breakpoints.initialize(repeating: Int32.max, count: count)
        for ruleSet in AQIRuleSet.allCases {
            for kind in BreakpointTableKind.allCases {
                let table = BreakpointTable.table(kind, ruleSet)
                for (index, value) in table.scaledBreakpoints.enumerated() {
                    breakpoints[FlatTables.offset(kind, ruleSet) + index] = Int32(value)
                }
            }
        }
    }

    @inlinable
    static func offset(_ kind: BreakpointTableKind, _ ruleSet: AQIRuleSet) -> Int {
        (ruleSet == .hj633_2012 ? 0 : 80) + Int(kind.index) * 8
    }

    /// IAQI nodes 0, 50, 100, 150, 200, 300, 400, 500 (HJ 633-2012 Table 1).
    @inlinable
    static func node(_ index: Int) -> Int64 {
        let index = Int64(index)
        return index <= 4 ? index &* 50 : (index &- 2) &* 100
    }
}

/// Every IAQI of the real-time tables, precomputed by the exact `IAQI.lookup` for each rounded
/// concentration 0 … top (one entry per unit: 1 µg/m³, 0.1 mg/m³ for CO), followed by −1 for
/// "above the top". The batch path reads one entry per value instead of searching and dividing.
/// Immortal and immutable after initialisation, like `FlatTables`.
@usableFromInline
struct DenseTables: @unchecked Sendable {
    /// Start of each (rule set, kind) table, indexed like `FlatTables.offset / 8`; −1 if absent.
    let starts: [Int]
    /// Index of the −1 entry after each table's top (= top + 1 relative to its start).
    let tops: [Int]
    let indices: UnsafeMutablePointer<Int16>

    static let shared = DenseTables()

    /// The real-time tables (HJ 633 §5 and STANDARDS §1.4) of both rule sets.
    static let kinds: [BreakpointTableKind] = [
        .so2OneHour, .no2OneHour, .coOneHour, .o3OneHour, .pm10TwentyFourHour, .pm25TwentyFourHour,
    ]

    init() {
        var starts = [Int](repeating: -1, count: 20)
        var tops = [Int](repeating: -1, count: 20)
        var total = 0
        for ruleSet in AQIRuleSet.allCases {
            for kind in DenseTables.kinds {
                let slot = FlatTables.offset(kind, ruleSet) / 8
                let top = Int(BreakpointTable.table(kind, ruleSet).scaledBreakpoints.last!)
                starts[slot] = total
                tops[slot] = top + 1
                total += top + 2
            }
        }
        indices = UnsafeMutablePointer<Int16>.allocate(capacity: total)
        for ruleSet in AQIRuleSet.allCases {
            for kind in DenseTables.kinds {
                let slot = FlatTables.offset(kind, ruleSet) / 8
                let breakpoints = FlatTables.shared.breakpoints + FlatTables.offset(kind, ruleSet)
                for scaled in 0...tops[slot] {
                    let index = IAQI.lookup(scaled: Int64(scaled), breakpoints: breakpoints)
                    precondition(scaled == tops[slot] ? index == -1 : index >= 0, "dense table of \(kind)")
                    (indices + starts[slot] + scaled).initialize(to: Int16(index))
                }
            }
        }
        self.starts = starts
        self.tops = tops
    }

    /// The table of `kind` under `ruleSet` and its last index (the −1 entry).
    func table(_ kind: BreakpointTableKind, _ ruleSet: AQIRuleSet) -> (indices: UnsafePointer<Int16>, last: Int64) {
        let slot = FlatTables.offset(kind, ruleSet) / 8
        precondition(starts[slot] >= 0, "\(kind) is not a real-time table")
        return (UnsafePointer(indices + starts[slot]), Int64(tops[slot]))
    }
}
