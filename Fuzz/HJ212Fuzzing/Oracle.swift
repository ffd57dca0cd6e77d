import HJ212

/// What every input must satisfy, whatever its bytes: the parsers return a packet or a typed error
/// (never trap), every parsed packet answers and reassembles without trapping, and every packet that
/// encodes parses back to the same packet. Shared by the libFuzzer harness and the property test.
public struct HJ212Oracle {
    let tolerant = HJ212Parser(policy: .tolerant)
    let strict = HJ212Parser(policy: .strict)
    let encoder = HJ212Encoder(crcAlgorithm: .hj212, maxDataSegmentLength: HJ212Limits.maxDeclarableDataSegment)
    var reassembler = SplitPacketReassembler(maxPendingSets: 4, maxParts: 16)

    /// Inputs that parsed (by any route) and inputs every route rejected, for the report.
    public private(set) var parsed = 0
    public private(set) var rejected = 0

    public init() {}

    /// Runs `bytes` through both parser policies, the bare-segment parser, the frame scanner
    /// (chunked as a socket would deliver it) and the reassembler; returns each broken property.
    public mutating func check(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        var accepted = false
        if let packet = try? tolerant.parse(frame: bytes) {
            accepted = true
            problems += check(packet)
        }
        if (try? strict.parse(frame: bytes)) != nil { accepted = true }
        if let packet = try? tolerant.parseDataSegment(String(decoding: bytes, as: UTF8.self)) {
            accepted = true
            problems += check(packet)
        }
        let chunk = Int(bytes.first ?? 0) % 23 + 1
        for frame in HJ212FrameScanner.frames(in: bytes, chunkSize: chunk, maxFrameLength: 600) {
            if case .packet(let buffer) = frame, let packet = try? tolerant.parse(frame: buffer) {
                accepted = true
                problems += check(packet)
            }
        }
        if accepted { parsed += 1 } else { rejected += 1 }
        return problems
    }

    mutating func check(_ parsed: ParsedPacket) -> [String] {
        let packet = parsed.packet
        _ = packet.cp.readings.map { ($0.rtd, $0.avg, $0.flag, $0.sampleTime, $0.validNum) }
        _ = try? packet.cp.dataTime
        _ = try? packet.qnTimestamp
        _ = HJ212Answers.expectedAnswer(to: packet).map { HJ212Answers.answer($0, to: packet) }
        _ = try? reassembler.add(packet, now: .uptimeNanoseconds(0))
        guard let encoded = try? encoder.encode(packet) else { return [] }
        let text = String(decoding: encoded, as: UTF8.self)
        guard let again = try? tolerant.parse(frame: encoded, requireTerminator: true) else {
            return ["编码后无法解析 / encoded packet does not parse: \(text)"]
        }
        return again.packet == packet ? [] : ["往返改变了数据包 / round trip changed the packet: \(text)"]
    }
}
