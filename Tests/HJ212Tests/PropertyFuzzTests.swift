import Foundation
import HJ212
import HJ212Fuzzing
import Testing

/// A seeded, structure-aware fuzz run inside the test suite: real packets (valid and invalid) are
/// mutated — mostly in the data segment, then framed again with a correct length and CRC so that the
/// body parser is reached — and every input must satisfy `HJ212Oracle`. The seed and count are
/// printed so a failure can be replayed; `LANTIAN_FUZZ_ITERATIONS` runs a longer campaign.
@Suite struct PropertyFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["LANTIAN_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 8_000

    static var seeds: [[UInt8]] {
        HJ212Mutator.segments(ofFrames: Fixtures.lines("packets.txt") + Fixtures.lines("packets-invalid.txt"))
            + Fixtures.appendixC.map { Array($0.text.utf8) }
    }

    @Test func seedsAreTheRealPackets() {
        // 57 valid + 5 invalid frames and the 153 Appendix C segments.
        #expect(Self.seeds.count == 57 + 5 + 153)
    }

    @Test(arguments: [UInt64(0x1A2B_3C4D), 0x2026_1122, 0xDEAD_BEEF])
    func mutatedPacketsNeverBreakTheParser(seed: UInt64) {
        let mutator = HJ212Mutator(seeds: Self.seeds)
        var random = SplitMix64(seed: seed)
        var oracle = HJ212Oracle()
        var failures: [String] = []
        for iteration in 0..<Self.iterations {
            let input = mutator.next(using: &random)
            for problem in oracle.check(input) where failures.count < 5 {
                failures.append("seed \(seed) #\(iteration): \(problem)")
            }
        }
        print(
            "HJ 212 property fuzz seed \(seed): \(Self.iterations) inputs, \(oracle.parsed) parsed, \(oracle.rejected) rejected, \(failures.count) findings"
        )
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // The mutator must reach both sides: inputs that parse and inputs that are refused.
        #expect(oracle.parsed > Self.iterations / 10)
        #expect(oracle.rejected > Self.iterations / 10)
    }
}
