import AirQuality
import Foundation
import Testing

struct RoundingTests {
    /// (value, decimals, expected scaled) — GB/T 8170 round half to even on the decimal value.
    static let doubles: [(Double, Int, Int64)] = [
        (35.5, 0, 36), (60.5, 0, 60), (2.5, 0, 2), (3.5, 0, 4), (175.5, 0, 176), (35.49, 0, 35), (35.51, 0, 36),
        (0.25, 1, 2), (0.15, 1, 2), (0.35, 1, 4), (0.45, 1, 4), (1.05, 1, 10), (1.15, 1, 12), (2.675, 2, 268),
        (0.04, 1, 0), (0.051, 1, 1), (1e-05, 1, 0), (0, 0, 0), (999.5, 0, 1000), (4.517857, 2, 452),
    ]

    @Test(arguments: RoundingTests.doubles)
    func halfToEvenOnTheDecimalValue(value: Double, decimals: Int, expected: Int64) {
        // Given a value as written  When rounded per GB/T 8170  Then ties go to the even neighbour
        #expect(GBT8170.roundedScaled(value, decimals: decimals) == expected)
    }

    @Test
    func nearTiesAgreeWithTheWrittenDecimal() throws {
        // Given decimals at and beside GB/T 8170 ties, their neighbouring doubles, and huge values
        var state: UInt64 = 7
        var checked = 0
        for decimals in 0...3 {
            for _ in 0..<20_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let digits = Int(state >> 60)  // 0 … 15 digits before the tie
                let whole = (state >> 4) % UInt64(pow(10, Double(digits)) + 1)
                let tie = try #require(Double("\(whole)e-\(decimals)")) + 0.5 * pow(10, -Double(decimals))
                let written = try #require(Double("\(whole).5"))
                let values = [written, tie, tie.nextUp, tie.nextDown, -tie, written / pow(10, Double(decimals))]
                // (From 2^52 up every double is an integer and is returned as it is.)
                for value in values where abs(value) * pow(10, Double(decimals)) < 0x1p52 {
                    // When rounded from the double  Then it matches rounding its shortest decimal exactly
                    let exact = GBT8170.roundedScaled(decimalText: Substring(value.description), decimals: decimals)
                    #expect(GBT8170.roundedScaled(value, decimals: decimals) == exact, "\(value) at \(decimals)")
                    checked += 1
                }
            }
        }
        #expect(checked > 400_000)
        #expect(GBT8170.roundedScaled(1e300, decimals: 0) == Int64.max)
        #expect(GBT8170.roundedScaled(-1e300, decimals: 1) == Int64.min)
    }

    static let texts: [(String, Int, Int64?)] = [
        ("0.25", 1, 2), ("0.15", 1, 2), ("35.50", 0, 36), ("60.500", 0, 60), ("60.5001", 0, 61), ("1.5e1", 0, 15),
        ("2.5E-1", 1, 2), ("-2.5", 0, -2), ("abc", 0, nil), ("", 0, nil), ("1.2.3", 0, nil),
    ]

    @Test(arguments: RoundingTests.texts)
    func decimalTextRoundsExactly(text: String, decimals: Int, expected: Int64?) {
        #expect(GBT8170.roundedScaled(decimalText: Substring(text), decimals: decimals) == expected)
    }

    @Test
    func concentrationsRoundToIntegersAndCOToTenths() throws {
        // Given µg/m³ pollutants and CO in mg/m³
        let pm = try Concentration.validated(35.5, .pm25).get()
        let co = try Concentration.validated(0.25, .co).get()
        // Then PM2.5 keeps an integer and CO one decimal
        #expect(pm.value == 36)
        #expect(co.value == 0.2)
        #expect(co.scaled == 2)
    }

    static let invalid: [(Double, InvalidConcentration.Reason)] = [
        (.nan, .notANumber), (.infinity, .infinite), (-.infinity, .infinite), (-0.5, .negative),
    ]

    @Test(arguments: RoundingTests.invalid)
    func badValuesAreTypedFailures(value: Double, reason: InvalidConcentration.Reason) {
        // Given a value that is no concentration  When validated  Then it fails with the reason
        let result = Concentration.validated(value, .so2)
        guard case .failure(let error) = result else {
            Issue.record("\(value) became a number")
            return
        }
        #expect(error.reason == reason)
        #expect(error.pollutant == .so2)
        #expect(error.description.contains("SO2"))
    }
}
