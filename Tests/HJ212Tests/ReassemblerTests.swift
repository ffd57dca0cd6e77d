import HJ212
import NIOCore
import Testing

@Suite("Split-packet reassembly")
struct ReassemblerTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func part(_ number: Int) throws -> HJ212Packet {
        // Appendix C.50: Flag=7, PNUM=2, PNO=1/2, each with its own QN and the same DataTime.
        try HJ212Parser(policy: .tolerant).parseDataSegment(Fixtures.appendixC[number - 1].text).packet
    }

    @Test
    func appendixCPartsReassembleInEitherOrder() throws {
        for order in [[149, 151], [151, 149]] {
            var reassembler = SplitPacketReassembler()
            let first = try reassembler.add(try Self.part(order[0]), now: Self.start)
            #expect(first == .pending(received: 1, total: 2))
            #expect(reassembler.pendingCount == 1)
            guard case .complete(let whole) = try reassembler.add(try Self.part(order[1]), now: Self.start) else {
                Issue.record("expected completion")
                return
            }
            #expect(whole.parts.map { $0.split?.number } == [1, 2])
            #expect(whole.parts.map(\.qn) == ["20160801085857534", "20160801085857535"])
            #expect(whole.merged.split == nil)
            #expect(whole.merged.flag?.rawValue == 5)
            #expect(whole.merged.cp.readings.map(\.code) == ["w00000", "w01001", "w01018"])
            #expect(whole.merged.cp.fields.filter { $0.key == "DataTime" }.count == 1)
            #expect(reassembler.pendingCount == 0)
        }
    }

    @Test
    func unsplitPacketsPassThrough() throws {
        var reassembler = SplitPacketReassembler()
        let packet = try HJ212Parser().parse(ParserErrorTests.example).packet
        #expect(try reassembler.add(packet, now: Self.start) == .single(packet))
    }

    @Test
    func retransmittedPartReplacesTheEarlierCopy() throws {
        var reassembler = SplitPacketReassembler()
        _ = try reassembler.add(try Self.part(149), now: Self.start)
        #expect(try reassembler.add(try Self.part(149), now: Self.start) == .pending(received: 1, total: 2))
    }

    @Test
    func incompleteSetsExpireOnTheInjectedClock() throws {
        var reassembler = SplitPacketReassembler(timeout: .seconds(60))
        _ = try reassembler.add(try Self.part(149), now: Self.start)
        #expect(reassembler.expire(now: Self.start + .seconds(59)).isEmpty)
        let expired = reassembler.expire(now: Self.start + .seconds(60))
        #expect(expired.map(\.received) == [[1]])
        #expect(expired.first?.key.mn == "010000A8900016F000169DC0")
        #expect(reassembler.pendingCount == 0)
    }

    @Test
    func limitsGuardMemory() throws {
        var reassembler = SplitPacketReassembler(maxPendingSets: 2, maxParts: 10)
        for index in 0..<5 {
            var packet = try Self.part(149)
            packet.mn = "M\(index)"
            _ = try reassembler.add(packet, now: Self.start + .seconds(Int64(index)))
        }
        #expect(reassembler.pendingCount == 2)
        var huge = try Self.part(149)
        huge.split = try SplitInfo(total: 11, number: 1)
        #expect(throws: HJ212Error.oversize(part: "PNUM", length: 11, limit: 10)) {
            try reassembler.add(huge, now: Self.start)
        }
    }

    @Test
    func splitInfoIsValidated() {
        #expect(throws: HJ212Error.self) { try SplitInfo(total: 0, number: 0) }
        #expect(throws: HJ212Error.self) { try SplitInfo(total: 2, number: 3) }
    }
}
