import Campaign
import HJ212
import Ingest
import Testing

@testable import Server

/// 2024-01-01 12:00:00 China time, the clock of these tests.
let testNow: Int64 = 1_704_081_600

func fixedClock(_ configuration: inout HJ212ServiceConfiguration) {
    configuration.now = { testNow }
}

func fixture(mn: String, cn: String) throws -> String {
    try #require(
        HJ212ServiceFixtures.packets.first { $0.contains(";CN=\(cn);") && $0.contains("MN=\(mn);") })
}

/// A heartbeat (HJ 212-2025 CN 9015) sent after a packet: since a connection's packets are handled in order,
/// when its 9013 is the next answer, the packet before it was not answered.
func heartbeat(mn: String = "010000A8900016F000169DC0", qn: String = "20991231235959999") -> String {
    HJ212ServiceFixtures.frame(
        qn: qn, st: .ambientAir, cn: .heartbeat, mn: mn, flag: PacketFlag(version: .hj212_2025, needsAnswer: true),
        cp: "")
}

func expectAnswer(
    _ answer: HJ212Packet?, cn: CommandCode, echoing request: HJ212Packet, qnRtn: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let answer else {
        Issue.record("no answer to \(request.cn) QN=\(request.qn ?? "-")", sourceLocation: sourceLocation)
        return
    }
    #expect(answer.cn == cn, sourceLocation: sourceLocation)
    #expect(answer.qn == request.qn, sourceLocation: sourceLocation)
    #expect(answer.mn == request.mn && answer.pw == request.pw, sourceLocation: sourceLocation)
    #expect(answer.st == .systemInteraction, sourceLocation: sourceLocation)
    #expect(answer.flag == PacketFlag.answer(for: request.version), sourceLocation: sourceLocation)
    #expect(answer.cp.requestReturnCode?.code == qnRtn, sourceLocation: sourceLocation)
}

func parse(_ text: String) throws -> HJ212Packet {
    try HJ212Parser(policy: .tolerant).parse(text).packet
}

@Suite struct HJ212ServiceAnswerTests {
    /// Real packets and the answer HJ 212-2017 calls for (nil: none; 9011 with its QnRtn, Table 7).
    static let realPacketCases: [(mn: String, cn: String, answer: String?, qnRtn: Int?)] = [
        ("010000A8900016F000169DC0", "2011", "9014", nil),  // Flag=7: upload, answer wanted
        ("aqms-1100-2020110011", "2011", nil, nil),  // Flag=4: no answer wanted
        ("Z13401000010301", "2061", "9014", nil),  // all codes unlisted: values rejected, upload answered
        ("JSRCTD000YD107", "2011", "9014", nil),
        ("JLYP01_AIR01_0001", "2051", nil, nil),
        ("ZLDSZ20210127", "2011", nil, nil),  // HJ 212-2025 Flag=8
        ("010000A8900016F000169DC0", "2081", "9014", nil),  // restart time: nothing stored, answered
        ("ABCDEFG1234567", "2021", "9014", nil),  // facility state
        ("010000A8900016F000169DC0", "1062", "9011", 3),  // PW=100000 is not this logger's password
        ("ABCDEFG1234567", "1000", "9011", 2),  // a platform→site command: refused
        ("ABCDEFG1234567", "2051", "9011", 2),  // a history query (BeginTime/EndTime): refused
        ("ABCDEFG1234567", "1011", nil, nil),  // a requested upload nobody requested: ignored
        ("010000A8900016F000169DC0", "9011", nil, nil),  // answers are never answered
    ]

    @Test(arguments: realPacketCases)
    func realPacketIsAnsweredAsTheStandardSays(_ example: (mn: String, cn: String, answer: String?, qnRtn: Int?))
        async throws
    {
        try await withHJ212Service(configure: fixedClock) { server in
            // Given a logger registered with its MN and password
            let device = try await server.connect()
            let text = try fixture(mn: example.mn, cn: example.cn)
            // When it sends the real packet, then a heartbeat
            try await device.send(text)
            try await device.send(heartbeat())
            // Then
            let first = try await device.answer()
            if let expected = example.answer {
                expectAnswer(first, cn: CommandCode(expected), echoing: try parse(text), qnRtn: example.qnRtn)
                #expect(try await device.answer()?.cn == .notificationAnswer)
            } else {
                #expect(first?.cn == .notificationAnswer)
                #expect(first?.qn == "20991231235959999")
            }
            await device.close()
        }
    }

    @Test func minuteDataIsStoredWithItsValues() async throws {
        let sink = MemorySink()
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            let device = try await server.connect()
            try await device.send(try fixture(mn: "JLYP01_AIR01_0001", cn: "2051"))
            try await device.send(heartbeat())
            _ = try await device.answer()
            let rows = await sink.readings(station: "S-JLYP01_AIR01_0001")
            #expect(rows.count == 11)
            #expect(rows.allSatisfy { $0.period == .minute && $0.time == 1_652_430_360 && $0.source == .hj212 })
            #expect(rows.first { $0.code == "a34004" }?.value == 14)
            #expect(server.metrics.value("lantian_hj212_values_total", [("outcome", "inserted")]) == 11)
            #expect(server.metrics.packets("stored") == 1)
        }
    }

    @Test func dataAnswerGoesOutOnlyAfterTheSinkHasCommitted() async throws {
        let sink = MemorySink(gated: true)
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            // Given a sink that holds every store until released
            let device = try await server.connect()
            let text = try fixture(mn: "JSRCTD000YD107", cn: "2011")
            // When an upload asking for an answer arrives and its store is in progress
            try await device.send(text)
            #expect(try await eventually { await sink.waitingStores == 1 })
            // Then nothing is answered while the store has not returned
            #expect(try await device.answer(within: .milliseconds(300)) == nil)
            await sink.release()
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(text))
            #expect(await sink.readings(station: "S-JSRCTD000YD107").count == 6)
            #expect(server.metrics.timings.withLockedValue { $0["lantian_hj212_answer_seconds"]?.count } == 1)
        }
    }

    @Test(arguments: [
        ("wrong password", 3),
        ("unknown MN", 4),
        ("bad CRC", 9),
    ])
    func refusedRequestsGetTheirReturnCode(_ fault: String, _ qnRtn: Int) async throws {
        let cp = "DataTime=20240101115900;a34004-Rtd=35,a34004-Flag=N"
        var text: String
        switch fault {
        case "wrong password":
            text = HJ212ServiceFixtures.frame(cn: .realTimeData, pw: "654321", mn: "JSRCTD000YD107", cp: cp)
        case "unknown MN":
            text = HJ212ServiceFixtures.frame(cn: .realTimeData, mn: "NOT-REGISTERED-01", cp: cp)
        default:
            text = HJ212ServiceFixtures.frame(cn: .realTimeData, mn: "JSRCTD000YD107", cp: cp)
            text = String(text.dropLast(6)) + "0000\r\n"
        }
        let request = try HJ212Parser(policy: .tolerant).parseDataSegment(
            String(text.dropFirst(6).dropLast(6))
        ).packet
        let sink = MemorySink()
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            let device = try await server.connect()
            try await device.send(text)
            expectAnswer(try await device.answer(), cn: .requestAnswer, echoing: request, qnRtn: qnRtn)
            #expect(await sink.calls == 0)
            let kind = ["wrong password": "auth_password", "unknown MN": "auth_mn"][fault] ?? "crc_mismatch"
            #expect(server.metrics.error(kind) == 1)
            #expect(server.metrics.packets("rejected") == 1)
        }
    }

    @Test func invalidRealPacketsAreCountedAndTheConnectionGoesOn() async throws {
        try await withHJ212Service(configure: fixedClock) { server in
            // Given the five real packets whose CRC does not verify (none asks for an answer)
            let device = try await server.connect()
            for text in HJ212ServiceFixtures.invalidPackets { try await device.send(text) }
            // When a good packet follows
            try await device.send(heartbeat())
            // Then only it is answered, and each bad one was counted
            #expect(try await device.answer()?.qn == "20991231235959999")
            #expect(HJ212ServiceFixtures.invalidPackets.count == 5)
            #expect(server.metrics.error("crc_mismatch") == 5)
            #expect(server.metrics.packets("rejected") == 5)
        }
    }

    @Test func valuesInTheFutureNegativeOrUnknownAreRejectedAndTheRestStored() async throws {
        let sink = MemorySink()
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            // Given a real-time upload (DataTime = the test clock) with three bad values among four
            let text = HJ212ServiceFixtures.frame(
                cn: .realTimeData, mn: "JSRCTD000YD107",
                cp: "DataTime=20240101120000;a34004-SampleTime=20240101150000,a34004-Rtd=35,a34004-Flag=N;"
                    + "a34002-Rtd=-5,a34002-Flag=N;x99999-Rtd=1,x99999-Flag=N;a21004-Rtd=28,a21004-Flag=N")
            let device = try await server.connect()
            // When
            try await device.send(text)
            // Then the good value is stored and the upload answered
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(text))
            let rows = await sink.readings(station: "S-JSRCTD000YD107")
            #expect(rows.map(\.code) == ["a21004"])
            #expect(rows.first?.time == testNow)
            #expect(server.metrics.value("lantian_hj212_values_total", [("outcome", "rejected")]) == 3)
            #expect(server.metrics.error("in_future") == 1)
            #expect(server.metrics.error("negative") == 1)
            #expect(server.metrics.error("unknown_code") == 1)
            let rejectionLogs = server.logs.withLockedValue { $0.filter { $0.contains("value rejected") } }
            #expect(rejectionLogs.count == 3)
            #expect(rejectionLogs.allSatisfy { $0.contains("JSRCTD000YD107") && $0.contains("S-JSRCTD000YD107") })
        }
    }

    @Test func heartbeatIsAnsweredWithANotificationAnswer() async throws {
        try await withHJ212Service(configure: fixedClock) { server in
            let device = try await server.connect()
            let text = heartbeat(qn: "20240101120000123")
            try await device.send(text)
            let answer = try await device.answer()
            expectAnswer(answer, cn: .notificationAnswer, echoing: try parse(text))
            #expect(answer?.flag?.rawValue == 8)  // HJ 212-2025, no answer wanted
        }
    }

    @Test func aPacketWithoutQNOrFlagIsStoredWithoutAnswer() async throws {
        let sink = MemorySink()
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            // Given an HJ/T 212-2005 style upload: no QN, no Flag
            let text = HJ212ServiceFixtures.frame(
                qn: nil, st: .airPollutionSource, cn: .realTimeData, mn: "88888880000001", flag: nil,
                cp: "DataTime=20240101115900;a21026-Rtd=12.5,a21026-Flag=N;a34013-Rtd=3.2,a34013-Flag=N")
            let device = try await server.connect()
            try await device.send(text)
            try await device.send(heartbeat())
            #expect(try await device.answer()?.cn == .notificationAnswer)
            let rows = await sink.readings(station: "S-88888880000001")
            #expect(rows.map(\.code) == ["a21026", "a34013"])
        }
    }

    @Test func whenTheStoreFailsNothingIsAnsweredAndTheResentPacketIsStoredAndAnswered() async throws {
        let sink = MemorySink()
        await sink.setFailing(true)
        try await withHJ212Service(sink: sink, configure: fixedClock) { server in
            let text = try fixture(mn: "JSRCTD000YD107", cn: "2011")
            let device = try await server.connect()
            // When the store throws: no answer, counted, connection kept
            try await device.send(text)
            try await device.send(heartbeat())
            #expect(try await device.answer()?.cn == .notificationAnswer)
            #expect(server.metrics.error("store_failed") == 1)
            // Then the device re-sends after the store recovers, twice (a lost answer): stored once, answered twice
            await sink.setFailing(false)
            try await device.send(text)
            try await device.send(text)
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(text))
            expectAnswer(try await device.answer(), cn: .dataAnswer, echoing: try parse(text))
            #expect(await sink.readings(station: "S-JSRCTD000YD107").count == 6)
            #expect(server.metrics.value("lantian_hj212_values_total", [("outcome", "duplicate")]) == 6)
        }
    }

    @Test func stationPolicyIsEnforced() async throws {
        let stations = [
            HJ212ServiceFixtures.station(mn: "RETIRED-1", status: .retired),
            HJ212ServiceFixtures.station(mn: "STRICT-1", crcPolicy: .standard, tolerant: false),
            HJ212ServiceFixtures.station(mn: "ONLY2005-1", protocols: [.hj212_2005]),
        ]
        try await withHJ212Service(stations: stations, configure: fixedClock) { server in
            let cp = "DataTime=20240101115900;a34004-Rtd=35,a34004-Flag=N"
            let device = try await server.connect()
            // A retired station: 2 request refused
            let retired = HJ212ServiceFixtures.frame(cn: .realTimeData, mn: "RETIRED-1", cp: cp)
            try await device.send(retired)
            expectAnswer(try await device.answer(), cn: .requestAnswer, echoing: try parse(retired), qnRtn: 2)
            // A strict station sending a Modbus CRC: 9 CRC wrong
            var modbus = HJ212Encoder(crcAlgorithm: .modbusLowByteFirst)
            modbus.maxDataSegmentLength = 1024
            let strictPacket = try parse(HJ212ServiceFixtures.frame(cn: .realTimeData, mn: "STRICT-1", cp: cp))
            let strict = try modbus.encodeString(strictPacket)
            try await device.send(strict)
            expectAnswer(try await device.answer(), cn: .requestAnswer, echoing: strictPacket, qnRtn: 9)
            // A 2017 packet from a logger registered for HJ/T 212-2005 only: 6 Flag wrong
            let edition = HJ212ServiceFixtures.frame(cn: .realTimeData, mn: "ONLY2005-1", cp: cp)
            try await device.send(edition)
            expectAnswer(try await device.answer(), cn: .requestAnswer, echoing: try parse(edition), qnRtn: 6)
            #expect(server.metrics.error("station_retired") == 1)
            #expect(server.metrics.error("protocol_edition") == 1)
        }
    }

    @Test func logsNameTheMNButNeverThePassword() async throws {
        let stations = [HJ212ServiceFixtures.station(mn: "SECRET-MN-1", password: "S3cr3tPW")]
        try await withHJ212Service(stations: stations, configure: fixedClock) { server in
            let device = try await server.connect()
            let cp = "DataTime=20240101115900;a34004-Rtd=-1,a34004-Flag=N;lng-Rtd=120.1"
            try await device.send(
                HJ212ServiceFixtures.frame(cn: .realTimeData, pw: "Wr0ngPW", mn: "SECRET-MN-1", cp: cp))
            try await device.send(
                HJ212ServiceFixtures.frame(cn: .realTimeData, pw: "S3cr3tPW", mn: "SECRET-MN-1", cp: cp))
            #expect(try await device.answer()?.cp.requestReturnCode == .passwordWrong)
            #expect(try await device.answer()?.cn == .dataAnswer)
            let lines = server.logs.withLockedValue { $0 }
            #expect(lines.filter { $0.contains("SECRET-MN-1") }.count >= 3)
            #expect(!lines.contains { $0.contains("S3cr3tPW") || $0.contains("Wr0ngPW") })
        }
    }
}
