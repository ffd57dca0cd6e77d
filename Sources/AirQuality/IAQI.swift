/// The individual air-quality index (空气质量分指数) of HJ 633 式(1):
///
///     IAQI_P = (IAQI_Hi − IAQI_Lo) / (BP_Hi − BP_Lo) × (C_P − BP_Lo) + IAQI_Lo
///
/// rounded **up** to an integer (HJ 633—2026 clause 4.2.6; the practice under 2012, STANDARDS §1.5).
/// The concentration is first rounded per GB/T 8170 and held as an integer (CO in tenths), and the
/// breakpoints are integers in the same unit, so the quotient is a fraction of integers and the
/// ceiling is taken exactly: PM2.5 35 → 50, 35.01 → 36 µg/m³ after rounding → 51.
public enum IAQI {
    /// The outcome of one table lookup.
    public enum Lookup: Sendable, Hashable {
        case index(Int)
        /// Above the table's last breakpoint: no IAQI is defined.
        case aboveTop
    }

    /// IAQI of an already rounded concentration (`scaled` in the table's units).
    public static func lookup(scaled concentration: Int64, in table: BreakpointTable) -> Lookup {
        let index = lookup(scaled: concentration, table: table.kind, ruleSet: table.ruleSet)
        return index < 0 ? .aboveTop : .index(index)
    }

    /// The hot path: IAQI, or −1 above the table's top. Reads the flat, immortal copy of the
    /// tables (`FlatTables`), so a lookup costs no reference counting and no data-dependent branch.
    @inlinable
    static func lookup(scaled concentration: Int64, table kind: BreakpointTableKind, ruleSet: AQIRuleSet) -> Int {
        lookup(scaled: concentration, breakpoints: FlatTables.shared.breakpoints + FlatTables.offset(kind, ruleSet))
    }

    @inlinable
    static func lookup(scaled concentration: Int64, breakpoints: UnsafeMutablePointer<Int32>) -> Int {
        if concentration <= 0 { return 0 }
        if concentration >= Int64(Int32.max) { return -1 }
        // Segments are continuous (STANDARDS §1.1): the first upper breakpoint ≥ C decides. It is
        // found by counting the breakpoints below C with sign-bit arithmetic instead of branches
        // (random data would mispredict them); the padding `Int32.max` never counts. Breakpoint 0 is always below C here.
        var upper = 1
        for index in 1..<8 {
            upper &+= Int(UInt64(bitPattern: Int64(breakpoints[index]) &- concentration) >> 63)
        }
        // Past the last real breakpoint (8, or the padding of a short table such as SO2 1 h).
        if upper >= 8 || breakpoints[upper] == Int32.max { return -1 }
        let bpHi = Int64(breakpoints[upper])
        let bpLo = Int64(breakpoints[upper - 1])
        let iaqiLo = FlatTables.node(upper - 1)
        // numerator ≤ 100 × denominator and denominator < 2^31: both exact in a Double. Their
        // correctly rounded quotient is an integer exactly when the fraction is one (otherwise it
        // is ≥ 1/denominator away from any integer), so truncating and bumping gives the exact
        // ceiling, faster than an integer division.
        let numerator = (FlatTables.node(upper) &- iaqiLo) &* (concentration &- bpLo)
        let quotient = Double(numerator) / Double(bpHi &- bpLo)
        let whole = Int64(quotient)
        return Int(iaqiLo &+ whole &+ (Double(whole) < quotient ? 1 : 0))
    }

    /// IAQI of a measured value: validated, rounded per GB/T 8170, then looked up.
    /// Invalid input and values above the top breakpoint are a typed failure.
    public static func compute(
        _ value: Double, table kind: BreakpointTableKind, ruleSet: AQIRuleSet
    ) -> Result<Int, InvalidConcentration> {
        switch Concentration.validated(value, kind.pollutant) {
        case .failure(let error):
            return .failure(error)
        case .success(let concentration):
            let table = BreakpointTable.table(kind, ruleSet)
            switch lookup(scaled: concentration.scaled, in: table) {
            case .index(let index):
                return .success(index)
            case .aboveTop:
                return .failure(
                    InvalidConcentration(
                        pollutant: kind.pollutant, value: value, reason: .aboveTopBreakpoint(top: table.top)))
            }
        }
    }
}
