import HJ212

/// libFuzzer entry point: every input goes through both parser policies, the bare-segment parser,
/// the frame scanner (chunked as a socket would deliver it), the reassembler, and — for each packet
/// that parses — an encode/parse round trip that must give the same packet.
@_cdecl("LLVMFuzzerTestOneInput")
public func hj212FuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let tolerant = HJ212Parser(policy: .tolerant)
    let strict = HJ212Parser(policy: .strict)
    let encoder = HJ212Encoder(crcAlgorithm: .hj212, maxDataSegmentLength: HJ212Limits.maxDeclarableDataSegment)
    var reassembler = SplitPacketReassembler(maxPendingSets: 4, maxParts: 16)

    func check(_ parsed: ParsedPacket) {
        let packet = parsed.packet
        _ = packet.cp.readings.map { ($0.rtd, $0.avg, $0.flag, $0.sampleTime, $0.validNum) }
        _ = try? packet.cp.dataTime
        _ = try? packet.qnTimestamp
        _ = HJ212Answers.expectedAnswer(to: packet).map { HJ212Answers.answer($0, to: packet) }
        _ = try? reassembler.add(packet, now: .uptimeNanoseconds(0))
        guard let encoded = try? encoder.encode(packet) else { return }
        guard let again = try? tolerant.parse(frame: encoded, requireTerminator: true) else {
            fatalError("encoded packet does not parse: \(String(decoding: encoded, as: UTF8.self))")
        }
        if again.packet != packet {
            fatalError("round trip changed the packet: \(String(decoding: encoded, as: UTF8.self))")
        }
    }

    if let parsed = try? tolerant.parse(frame: bytes) { check(parsed) }
    _ = try? strict.parse(frame: bytes)
    if let parsed = try? tolerant.parseDataSegment(String(decoding: bytes, as: UTF8.self)) { check(parsed) }
    let chunk = Int(bytes.first ?? 0) % 23 + 1
    for frame in HJ212FrameScanner.frames(in: bytes, chunkSize: chunk, maxFrameLength: 600) {
        if case .packet(let buffer) = frame, let parsed = try? tolerant.parse(frame: buffer) { check(parsed) }
    }
    return 0
}
