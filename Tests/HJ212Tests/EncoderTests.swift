import HJ212
import Testing

@Suite("Encoder and answers")
struct EncoderTests {
    @Test(arguments: Fixtures.packets)
    func fixtureRoundTrips(_ fixture: Fixtures.Packet) throws {
        // Given a real packet
        let parser = HJ212Parser(policy: .tolerant)
        let parsed = try parser.parse(fixture.text)
        // When it is encoded again with the CRC it arrived with
        let encoder = HJ212Encoder(crcAlgorithm: fixture.algorithm, maxDataSegmentLength: 9999)
        let bytes = try encoder.encode(parsed.packet)
        // Then it parses to the same packet; in standard field order the bytes are identical
        let again = try parser.parse(frame: bytes, requireTerminator: true)
        #expect(again.packet == parsed.packet)
        if parsed.deviations.isDisjoint(with: [.fieldsOutOfOrder, .lowercaseCRC]) {
            #expect(String(decoding: bytes, as: UTF8.self) == fixture.text + "\r\n")
        }
    }

    @Test
    func buildsTheStandardWorkedExample() throws {
        let packet = HJ212Packet(
            qn: "20160801085857223", st: SystemCode("32"), cn: .setRealTimeInterval, pw: "100000",
            mn: "010000A8900016F000169DC0", flag: PacketFlag(version: .hj212_2017, needsAnswer: true),
            cp: try CPData(fields: [CPField(key: "RtdInterval", value: "30")]))
        let text = try HJ212Encoder().encodeString(packet)
        #expect(text == ParserErrorTests.example + "\r\n")
    }

    @Test
    func buildsReadingsAndSplitPackets() throws {
        let cp = try CPData(groups: [
            [CPField(key: "DataTime", value: "20260301080000")],
            [CPField(code: "a34004", key: "Avg", value: "35"), CPField(code: "a34004", key: "Flag", value: "N")],
        ])
        #expect(cp.text == "DataTime=20260301080000;a34004-Avg=35,a34004-Flag=N")
        let packet = HJ212Packet(
            qn: "20260301090000001", st: .ambientAir, cn: .hourData, pw: "123456", mn: "M1",
            flag: PacketFlag(version: .hj212_2025, isSplit: true, needsAnswer: true),
            split: try SplitInfo(total: 2, number: 1), cp: cp)
        let text = try HJ212Encoder().encodeString(packet)
        #expect(
            text.hasPrefix("##0136QN=20260301090000001;ST=22;CN=2061;PW=123456;MN=M1;Flag=11;PNUM=0002;PNO=0001;CP=&&"))
        let parsed = try HJ212Parser().parse(text, requireTerminator: true)
        #expect(parsed.packet == packet)
        #expect(parsed.deviations.isEmpty)
    }

    @Test
    func encoderRefusesTextThatWouldBreakTheFrame() {
        let bad = HJ212Packet(qn: nil, st: .ambientAir, cn: .realTimeData, pw: "1;2", mn: "M", flag: nil)
        #expect(throws: HJ212Error.self) { try HJ212Encoder().encode(bad) }
        #expect(throws: HJ212Error.self) { try CPData(fields: [CPField(key: "a,b", value: "1")]) }
        #expect(throws: HJ212Error.self) { try CPData(fields: [CPField(key: "Info", value: "x&&y")]) }
        let large = HJ212Packet(
            qn: nil, st: .ambientAir, cn: .realTimeData, pw: "1", mn: "M", flag: nil,
            cp: CPData(text: "Info=" + String(repeating: "x", count: 1100)))
        #expect(throws: HJ212Error.oversize(part: "数据段 data segment", length: 1136, limit: 1024)) {
            try HJ212Encoder().encode(large)
        }
    }

    @Test
    func answerCodesAndFlags() throws {
        let upload = try HJ212Parser().parse(ParserErrorTests.example).packet
        for code in [1, 2, 3, 4, 5, 6, 7, 8, 9, 100] {
            let answer = HJ212Answers.requestAnswer(to: upload, code: RequestReturnCode(code: code))
            #expect(answer.cp.requestReturnCode?.code == code)
            #expect(answer.cn == .requestAnswer)
            #expect(answer.flag?.rawValue == 4)
            #expect(answer.qn == upload.qn)
        }
        #expect(RequestReturnCode(code: 9) == .crcWrong)
        #expect(RequestReturnCode(code: 42) == .other(42))
        #expect(ExecutionReturnCode(code: 100) == .noData)
        let result = HJ212Answers.executionResult(to: upload, code: .noData)
        #expect(result.cp.text == "ExeRtn=100")
        #expect(result.cp.executionReturnCode == .noData)
    }

    @Test
    func answersFollowTheRequestsVersion() throws {
        let parser = HJ212Parser(policy: .tolerant)
        let v2025 = try parser.parse(Fixtures.packets.first { $0.text.contains("Flag=8") }!.text).packet
        #expect(HJ212Answers.dataAnswer(to: v2025).flag == PacketFlag(rawValue: 8))
        let v2005 = try parser.parse(Fixtures.packets.first { $0.text.hasPrefix("##0872ST=31") }!.text).packet
        let answer = HJ212Answers.dataAnswer(to: v2005)
        #expect(answer.flag == nil && answer.qn == nil)
        #expect(try HJ212Encoder().encodeString(answer).contains("ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&&&"))
    }

    @Test
    func heartbeatIsAnsweredWith9013() throws {
        let beat = HJ212Answers.heartbeat(qn: "20260105120000000", st: .ambientAir, pw: "123456", mn: "M1")
        let text = try HJ212Encoder().encodeString(beat)
        #expect(text.contains("ST=22;CN=9015;PW=123456;MN=M1;Flag=9;CP=&&&&"))
        let received = try HJ212Parser().parse(text).packet
        #expect(HJ212Answers.expectedAnswer(to: received) == .notificationAnswer)
        let answer = HJ212Answers.answer(.notificationAnswer, to: received)
        #expect(
            try HJ212Encoder().encodeString(answer).contains(
                "QN=20260105120000000;ST=91;CN=9013;PW=123456;MN=M1;Flag=8;CP=&&&&"))
    }

    @Test
    func whetherAPacketAsksForAnAnswer() throws {
        func packet(cn: CommandCode, flag: UInt8?) -> HJ212Packet {
            HJ212Packet(qn: "1", st: .ambientAir, cn: cn, pw: "1", mn: "M", flag: flag.map(PacketFlag.init(rawValue:)))
        }
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .realTimeData, flag: 5)) == .dataAnswer)
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .realTimeData, flag: 4)) == nil)
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .realTimeData, flag: nil)) == nil)
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .hourData, flag: 7)) == .dataAnswer)
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .hourData, flag: 9)) == .dataAnswer)
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .timeCalibrationRequest, flag: 5)) == .notificationAnswer)
        #expect(HJ212Answers.expectedAnswer(to: packet(cn: .dataAnswer, flag: 5)) == nil)
        #expect(PacketFlag(rawValue: 7).isSplit && PacketFlag(rawValue: 7).needsAnswer)
        #expect(PacketFlag(rawValue: 10).version == .hj212_2025 && !PacketFlag(rawValue: 10).needsAnswer)
    }
}
