import Testing

@testable import Ingest

@Suite struct HJ212NumberTests {
    @Test(arguments: [
        (35.0, "35"), (0.427, "0.427"), (-3.5, "-3.5"), (0.0, "0"), (-0.0, "0"), (1e-5, "0.00001"),
        (1.5e-7, "0.00000015"), (1e16, "10000000000000000"), (1.25e20, "125000000000000000000"),
        (101.32, "101.32"), (1013.2, "1013.2"), (999_999_999_999_999.0, "999999999999999"),
        (0.1 + 0.2, "0.30000000000000004"), (-2.5e-3, "-0.0025"), (123_456.789, "123456.789"),
    ])
    func formatsPlainDecimals(value: Double, text: String) {
        #expect(HJ212Number.format(value) == text)
        #expect(Double(text) == value)
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(HJ212Number.format(.nan) == nil)
        #expect(HJ212Number.format(.infinity) == nil)
        #expect(HJ212Number.format(-.infinity) == nil)
    }
}
