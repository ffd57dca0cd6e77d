import AirQuality
import Testing

struct BreakpointTests {
    struct Case: CustomStringConvertible, Sendable {
        let ruleSet: AQIRuleSet
        let kind: BreakpointTableKind
        let index: Int
        var description: String { "\(ruleSet.rawValue) \(kind) bp#\(index)" }
    }

    /// Every breakpoint of every table of both rule sets.
    static let cases: [Case] = AQIRuleSet.allCases.flatMap { ruleSet in
        BreakpointTableKind.allCases.flatMap { kind in
            BreakpointTable.table(kind, ruleSet).breakpoints.indices.map {
                Case(ruleSet: ruleSet, kind: kind, index: $0)
            }
        }
    }

    static let nodes: [Int64] = [0, 50, 100, 150, 200, 300, 400, 500]

    @Test(arguments: BreakpointTests.cases)
    func breakpointGivesItsNodeAndNeighboursMoveExactly(test: Case) throws {
        // Given a breakpoint and its IAQI node
        let table = BreakpointTable.table(test.kind, test.ruleSet)
        let bp = table.scaledBreakpoints[test.index]
        let node = Self.nodes[test.index]
        // Then the breakpoint itself gives exactly the node (35 → 50, not 51)
        #expect(IAQI.lookup(scaled: bp, in: table) == .index(Int(node)))
        // And ±0.01 is rounded away per GB/T 8170 first, giving the node again
        let value = table.breakpoints[test.index]
        for delta in [-0.01, 0.01] where value + delta >= 0 {
            #expect(try IAQI.compute(value + delta, table: test.kind, ruleSet: test.ruleSet).get() == Int(node))
        }
        // And one rounding unit above moves up by the exact ceiling of the segment's slope
        if test.index + 1 < table.scaledBreakpoints.count {
            let span = table.scaledBreakpoints[test.index + 1] - bp
            let step = Self.nodes[test.index + 1] - node
            #expect(IAQI.lookup(scaled: bp + 1, in: table) == .index(Int(node + (step + span - 1) / span)))
        } else {
            #expect(IAQI.lookup(scaled: bp + 1, in: table) == .aboveTop)
        }
        // And one unit below moves down by the floor of the lower segment's slope
        if test.index > 0 {
            let span = bp - table.scaledBreakpoints[test.index - 1]
            let step = node - Self.nodes[test.index - 1]
            #expect(IAQI.lookup(scaled: bp - 1, in: table) == .index(Int(node - step / span)))
        }
    }

    @Test
    func tablesMatchHJ633() {
        // HJ 633-2012 Table 1 and HJ 633—2026 Table 3 (STANDARDS §1.2, §1.3)
        #expect(
            BreakpointTable.table(.pm25TwentyFourHour, .hj633_2012).breakpoints == [0, 35, 75, 115, 150, 250, 350, 500])
        #expect(
            BreakpointTable.table(.pm25TwentyFourHour, .hj633_2026).breakpoints == [0, 35, 60, 115, 150, 250, 350, 500])
        #expect(
            BreakpointTable.table(.pm10TwentyFourHour, .hj633_2026).breakpoints == [
                0, 50, 120, 250, 350, 420, 500, 600,
            ])
        #expect(BreakpointTable.table(.so2OneHour, .hj633_2026).breakpoints == [0, 150, 500, 650, 800])
        #expect(BreakpointTable.table(.o3EightHour, .hj633_2012).top == 800)
        #expect(BreakpointTable.table(.coOneHour, .hj633_2012).breakpoints == [0, 5, 10, 35, 60, 90, 120, 150])
    }

    /// STANDARDS §1.8 worked examples, after GB/T 8170 rounding of the concentration.
    static let examples: [(Double, BreakpointTableKind, Int, Int)] = [
        (75, .pm25TwentyFourHour, 100, 114),
        (75.5, .pm25TwentyFourHour, 102, 115),  // 75.5 → 76 (half to even) first, as §1.8's note says
        (35, .pm25TwentyFourHour, 50, 50),
        (35.01, .pm25TwentyFourHour, 50, 50),  // rounds to 35; §1.8's 51 is the unrounded value
        (60.11, .pm25TwentyFourHour, 82, 100),  // rounds to 60 = the 2026 IAQI-100 node
        (150, .pm10TwentyFourHour, 100, 112),
        (161, .o3EightHour, 101, 101),
        (1.3, .coTwentyFourHour, 33, 33),
        (350, .no2OneHour, 115, 115),
        (475, .so2OneHour, 97, 97),
        (115.9, .pm25TwentyFourHour, 152, 152),
    ]

    @Test(arguments: BreakpointTests.examples)
    func workedExamples(value: Double, kind: BreakpointTableKind, iaqi2012: Int, iaqi2026: Int) throws {
        #expect(try IAQI.compute(value, table: kind, ruleSet: .hj633_2012).get() == iaqi2012)
        #expect(try IAQI.compute(value, table: kind, ruleSet: .hj633_2026).get() == iaqi2026)
    }

    @Test
    func aboveTheTopBreakpointIsATypedFailure() {
        // Given PM2.5 above 500 µg/m³  When looked up  Then no number, the reason names the top
        guard case .failure(let error) = IAQI.compute(501, table: .pm25TwentyFourHour, ruleSet: .hj633_2012) else {
            Issue.record("PM2.5 501 became a number")
            return
        }
        #expect(error.reason == .aboveTopBreakpoint(top: 500))
    }
}
