import HJ212

/// SplitMix64: a small, seedable generator so that every run can be replayed from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A structure-aware mutator for HJ 212 frames. Blind byte flips almost never get past the CRC, so
/// most mutations are made to the data segment, which is then framed again with a correct length
/// and a CRC of one of the three algorithms — the body parser sees deep, plausible damage. The rest
/// damage the frame itself (length, CRC, terminator, garbage between frames, splits).
public struct HJ212Mutator {
    /// Data segments of real packets: the seeds.
    public let seeds: [[UInt8]]
    static let tokens: [String] = [
        ";", ",", "=", "&&", "&", "CP=", "QN=", "ST=", "CN=", "PW=", "MN=", "Flag=", "PNUM=", "PNO=",
        "-Rtd=", "-Avg=", "-Min=", "-Max=", "-Cou=", "-Flag=", "-ZsRtd=", "-EFlag=", "-SampleTime=",
        "DataTime=", "a34004", "a21026", "a05024", "w01018", "N", "D", "M", "T", "C", "B", "F", "H",
        "-1", "0", "1e308", "-1e308", "NaN", "inf", "99999999999999999999", "0.000000001", "1.", ".5",
        "20260230250000", "20261122120000", "99999999999999", "2026112212", "4", "5", "7", "9",
        "\u{00B5}g", "二氧化硫", "\r\n", "##", "\0", "\u{7F}",
    ]

    public init(seeds: [[UInt8]]) { self.seeds = seeds.isEmpty ? [Array("QN=1;CP=&&&&".utf8)] : seeds }

    /// Data segments of every `##` frame in `lines` (frames whose length prefix is well formed).
    public static func segments(ofFrames lines: [String]) -> [[UInt8]] {
        lines.compactMap { line in
            let bytes = Array(line.utf8)
            guard bytes.count > 12, bytes[0] == 0x23, bytes[1] == 0x23 else { return nil }
            let end = bytes.count - 4 - (bytes.last == 0x0A ? 2 : 0)
            return end > 6 ? Array(bytes[6..<end]) : nil
        }
    }

    /// One mutated input.
    public func next(using random: inout SplitMix64) -> [UInt8] {
        var segment = seeds[Int(random.next() % UInt64(seeds.count))]
        let steps = 1 + Int(random.next() % 4)
        for _ in 0..<steps { mutate(&segment, using: &random) }
        switch random.next() % 10 {
        case 0..<7:
            let algorithm = CRCAlgorithm.allCases[Int(random.next() % 3)]
            let encoder = HJ212Encoder(
                crcAlgorithm: algorithm, maxDataSegmentLength: HJ212Limits.maxDeclarableDataSegment)
            guard var frame = try? encoder.frame(dataSegment: segment) else { return segment }
            if random.next() % 4 == 0 { damageFrame(&frame, using: &random) }
            return frame
        case 7:
            return segment
        default:
            // Two frames with garbage around and between them, as a noisy serial-to-TCP bridge sends.
            let encoder = HJ212Encoder(maxDataSegmentLength: HJ212Limits.maxDeclarableDataSegment)
            let first = (try? encoder.frame(dataSegment: segment)) ?? segment
            let other = seeds[Int(random.next() % UInt64(seeds.count))]
            let second = (try? encoder.frame(dataSegment: other)) ?? other
            return garbage(using: &random) + first + garbage(using: &random) + second
        }
    }

    func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        let count = bytes.count
        func position() -> Int { count == 0 ? 0 : Int(random.next() % UInt64(count)) }
        switch random.next() % 9 {
        case 0 where count > 0:
            bytes[position()] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
        case 1 where count > 0:
            bytes[position()] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            let token = Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
            bytes.insert(contentsOf: Array(token.utf8), at: position())
        case 3 where count > 1:
            let start = position()
            let length = 1 + Int(random.next() % UInt64(min(32, count - start)))
            bytes.removeSubrange(start..<min(count, start + length))
        case 4 where count > 1:
            let start = position()
            let length = 1 + Int(random.next() % UInt64(min(64, count - start)))
            let piece = Array(bytes[start..<min(count, start + length)])
            bytes.insert(contentsOf: piece, at: position())
        case 5:
            // Replace the value after an '=' with a hostile number or token.
            let equals = bytes.indices.filter { bytes[$0] == 0x3D }
            guard let at = equals.randomElement(using: &random) else { return }
            var end = at + 1
            while end < bytes.count, ![0x3B, 0x2C, 0x26].contains(bytes[end]) { end += 1 }
            let token = Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
            bytes.replaceSubrange((at + 1)..<end, with: Array(token.utf8))
        case 6:
            // Splice: this segment's head with another seed's tail.
            let other = seeds[Int(random.next() % UInt64(seeds.count))]
            let cut = other.isEmpty ? 0 : Int(random.next() % UInt64(other.count))
            bytes = Array(bytes.prefix(position())) + Array(other[cut...])
        case 7:
            // Repeat a CP group many times: long CP, many readings, the oversize paths.
            guard let semicolon = bytes.lastIndex(of: 0x3B) else { return }
            let group = Array(bytes[semicolon...].prefix(40))
            for _ in 0..<Int(random.next() % 40) { bytes.insert(contentsOf: group, at: semicolon) }
        default:
            if count > 0 { bytes.removeLast(1 + Int(random.next() % UInt64(count))) }
        }
    }

    func damageFrame(_ frame: inout [UInt8], using random: inout SplitMix64) {
        switch random.next() % 5 {
        case 0: frame[2 + Int(random.next() % 4)] = UInt8(0x30 + random.next() % 10)  // length digit
        case 1: frame[frame.count - 3 - Int(random.next() % 4)] ^= 0x01  // CRC digit
        case 2: frame.removeLast(1 + Int(random.next() % 2))  // terminator
        case 3: frame.removeLast(Int(random.next() % UInt64(frame.count)))  // truncated
        default: frame.insert(contentsOf: garbage(using: &random), at: Int(random.next() % UInt64(frame.count)))
        }
    }

    func garbage(using random: inout SplitMix64) -> [UInt8] {
        (0..<Int(random.next() % 12)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }
}
