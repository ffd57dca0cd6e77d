import HJ212
import Testing

@testable import Ingest

@Suite struct HJ212SimulationTests {
    let device = SimulatedDevice(mn: "010000A8900016F000169DC0", password: "123456")
    let eight: Int64 = 1_704_412_800  // 2024-01-05T08:00:00+08:00
    let sentAt: Int64 = 1_704_416_400_123  // 2024-01-05T09:00:00.123+08:00

    func hour(_ code: String, _ value: Double?, flag: String = "N", time: Int64? = nil) -> Reading {
        Reading(
            stationCode: "1001A", code: code, period: .hour, time: time ?? eight, value: value, flag: flag,
            source: .demo)
    }

    @Test(arguments: [
        (ReadingPeriod.realtime, "2011", "Rtd"), (.minute, "2051", "Avg"), (.hour, "2061", "Avg"),
        (.day, "2031", "Avg"),
    ])
    func commandAndKeyPerPeriod(period: ReadingPeriod, cn: String, key: String) throws {
        var simulator = HJ212Simulator(device: device)
        let reading = Reading(
            stationCode: "1001A", code: "a34004", period: period, time: eight, value: 35, source: .demo)
        let frames = try simulator.frames(for: [reading], sentAt: sentAt)
        #expect(frames.count == 1)
        let parsed = try HJ212Parser(policy: .strict).parse(frame: frames[0], requireTerminator: true)
        #expect(parsed.packet.cn.rawValue == cn)
        #expect(parsed.packet.cp["a34004-\(key)"] == "35")
        #expect(parsed.packet.cp["a34004-Flag"] == "N")
        #expect(parsed.packet.cp["DataTime"] == "20240105080000")
    }

    @Test func hourPacketRoundTripsThroughTheStrictParser() throws {
        // Given an hour of a station with min/max, a cumulative and a flagged item without value
        var pm25 = hour("a34004", 35.5)
        pm25.minimum = 20
        pm25.maximum = 61.25
        var flow = hour("a01007", 2.1)
        flow.cumulative = 7560
        let readings = [pm25, hour("a21005", 0.427), flow, hour("a21026", nil, flag: "M")]
        var simulator = HJ212Simulator(device: device)

        // When encoded
        let frames = try simulator.frames(for: readings, sentAt: sentAt)

        // Then one packet, Flag=5 (2017, answer wanted), Appendix A CRC, same values back
        #expect(frames.count == 1)
        let text = String(decoding: frames[0], as: UTF8.self)
        #expect(text.hasPrefix("##"))
        #expect(text.hasSuffix("\r\n"))
        let parsed = try HJ212Parser(policy: .strict).parse(frame: frames[0], requireTerminator: true)
        let packet = parsed.packet
        #expect(parsed.deviations.isEmpty)
        #expect(parsed.wire?.crcAlgorithm == .hj212)
        #expect(packet.flag?.rawValue == 5)
        #expect(packet.needsAnswer)
        #expect(packet.version == .hj212_2017)
        #expect(packet.st == .ambientAir)
        #expect(packet.qn == "20240105090000123")
        #expect(packet.mn == device.mn)
        #expect(packet.pw == "123456")
        #expect(
            packet.cp.text
                == "DataTime=20240105080000;a34004-Min=20,a34004-Avg=35.5,a34004-Max=61.25,a34004-Flag=N;"
                + "a21005-Avg=0.427,a21005-Flag=N;a01007-Cou=7560,a01007-Avg=2.1,a01007-Flag=N;a21026-Flag=M")
        let items = Dictionary(uniqueKeysWithValues: packet.cp.readings.map { ($0.code, $0) })
        for reading in readings {
            #expect(items[reading.code]?.avg == reading.value)
            #expect(items[reading.code]?.min == reading.minimum)
            #expect(items[reading.code]?.max == reading.maximum)
            #expect(items[reading.code]?.cou == reading.cumulative)
            #expect(items[reading.code]?.flag?.code == reading.flag)
        }
    }

    @Test func edition2025SetsVersionBitsTwo() throws {
        var simulator = HJ212Simulator(device: SimulatedDevice(mn: "M1", password: "123456", version: .hj212_2025))
        let frame = try simulator.frames(for: [hour("a34004", 35)], sentAt: sentAt)[0]
        let packet = try HJ212Parser(policy: .strict).parse(frame: frame).packet
        #expect(packet.flag?.rawValue == 9)  // 000010 0 1: HJ 212-2025, no split, answer wanted
        #expect(packet.version == .hj212_2025)
    }

    @Test func groupsByStationPeriodAndTimeWithUniqueQNs() throws {
        var simulator = HJ212Simulator(device: device)
        var other = hour("a34004", 12)
        other.stationCode = "1002A"
        let readings = [
            hour("a34004", 35), hour("a34002", 60), hour("a34004", 40, time: eight + 3600), other,
            hour("a34002", 61, time: eight + 3600),
        ]
        let frames = try simulator.frames(for: readings, sentAt: sentAt)
        let packets = try frames.map { try HJ212Parser(policy: .strict).parse(frame: $0).packet }
        #expect(packets.map { $0.cp["DataTime"] } == ["20240105080000", "20240105090000", "20240105080000"])
        #expect(packets.map(\.cp.readings.count) == [2, 2, 1])
        #expect(packets.map(\.qn) == ["20240105090000123", "20240105090000124", "20240105090000125"])
        // A later call in the same millisecond still gets a fresh QN
        let again = try simulator.packets(for: [hour("a34004", 1)], sentAt: sentAt)
        #expect(again.map(\.qn) == ["20240105090000126"])
    }

    @Test func splitsItemsToStayWithinTheCPLimit() throws {
        // Given 80 items: far beyond the 950-character CP of HJ 212-2017 Table 2
        let readings = (0..<80).map { index in
            var reading = hour("a\(99_000 + index)", 1234.5678 + Double(index))
            reading.minimum = 1000.125
            reading.maximum = 2000.875
            return reading
        }
        var simulator = HJ212Simulator(device: device)
        let frames = try simulator.frames(for: readings, sentAt: sentAt)
        #expect(frames.count > 1)
        var codes: [String] = []
        var qns: Set<String> = []
        for frame in frames {
            // Then every packet is standard-sized and stands alone with its DataTime
            let parsed = try HJ212Parser(policy: .strict).parse(frame: frame)
            #expect(frame.count <= HJ212Limits.standardMaxDataSegment + 12)
            #expect(parsed.packet.cp.bytes.count + 7 <= HJ212Limits.standardMaxCP)
            #expect(parsed.packet.split == nil)
            #expect(parsed.packet.cp["DataTime"] == "20240105080000")
            qns.insert(parsed.packet.qn ?? "")
            for item in parsed.packet.cp.readings {
                codes.append(item.code)
                let original = readings.first { $0.code == item.code }
                #expect(item.avg == original?.value)
            }
        }
        #expect(codes == readings.map(\.code))
        #expect(qns.count == frames.count)
    }

    @Test func modbusCRCOnRequest() throws {
        var simulator = HJ212Simulator(device: device, crcAlgorithm: .modbusHighByteFirst)
        let frame = try simulator.frames(for: [hour("a34004", 35)], sentAt: sentAt)[0]
        #expect(throws: HJ212Error.self) { try HJ212Parser(policy: .strict).parse(frame: frame) }
        let parsed = try HJ212Parser(policy: .tolerant).parse(frame: frame)
        #expect(parsed.wire?.crcAlgorithm == .modbusHighByteFirst)
    }

    @Test func refusesNonFiniteValues() {
        var simulator = HJ212Simulator(device: device)
        #expect(throws: HJ212Error.self) { try simulator.frames(for: [hour("a34004", .nan)], sentAt: sentAt) }
    }

    @Test func replaysTheBeijingFixtureAsHourPackets() throws {
        // Given the first 60 hours of Aotizhongxin as imported
        let batch = BeijingMultiSiteFormat.parse(try IngestFixtures.text("beijing/PRSA_Data_Aotizhongxin_first60.csv"))
        var simulator = HJ212Simulator(device: device)
        let frames = try simulator.frames(for: batch.readings.map(\.reading), sentAt: sentAt)
        // Then one 2061 packet per hour, values as in the file
        #expect(frames.count == 60)
        let first = try HJ212Parser(policy: .strict).parse(frame: frames[0]).packet
        #expect(first.cp["DataTime"] == "20130228230000")
        #expect(first.cp["a21005-Avg"] == "300")
        #expect(first.cp["a01001-Avg"] == "-0.7")
    }
}
