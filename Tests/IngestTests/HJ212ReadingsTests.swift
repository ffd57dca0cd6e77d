import Foundation
import HJ212
import Testing

@testable import Ingest

/// The real packets of `Tests/Fixtures/hj212/packets.txt`, parsed with the tolerant policy.
private enum RealPackets {
    static let all: [HJ212Packet] = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let file = folder.appendingPathComponent("Tests/Fixtures/hj212/packets.txt")
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("##") }.compactMap {
                    try? HJ212Parser(policy: .tolerant).parse($0).packet
                }
            }
            folder = folder.deletingLastPathComponent()
        }
        return []
    }()

    static func first(mn: String, cn: String) throws -> HJ212Packet {
        try #require(all.first { $0.mn == mn && $0.cn.rawValue == cn })
    }
}

@Suite struct HJ212ReadingsTests {
    func packet(cn: CommandCode, cp: String) -> HJ212Packet {
        HJ212Packet(
            qn: "20240101000000000", st: .ambientAir, cn: cn, pw: "123456", mn: "MN1",
            flag: PacketFlag(version: .hj212_2017, needsAnswer: true), cp: CPData(text: cp))
    }

    @Test func allFixturePacketsParse() {
        #expect(RealPackets.all.count == 57)
    }

    @Test func minuteDataOfAnAirStation() throws {
        // Given ST=22 CN=2051 from JLYP01_AIR01_0001, DataTime 2022-05-13 16:26:00 China time
        let packet = try RealPackets.first(mn: "JLYP01_AIR01_0001", cn: "2051")
        // When
        let batch = HJ212Readings.readings(from: packet, stationCode: "S1")
        // Then: all eleven items are known codes; the time is the period start in UTC
        #expect(batch.rejections.isEmpty)
        #expect(
            batch.readings.map(\.code) == [
                "a21004", "a05024", "a21026", "a21005", "a34004", "a34002", "a01007", "a01008", "a01001", "a01002",
                "a01006",
            ])
        #expect(batch.readings.allSatisfy { $0.period == .minute && $0.time == 1_652_430_360 && $0.flag == "N" })
        #expect(batch.readings.allSatisfy { $0.source == .hj212 && $0.stationCode == "S1" })
        let byCode = Dictionary(uniqueKeysWithValues: batch.readings.map { ($0.code, $0) })
        #expect(byCode["a34004"]?.value == 14)
        #expect(byCode["a21005"]?.value == 0.427)
        #expect(byCode["a01006"]?.value == 95)
        #expect(byCode["a34004"]?.minimum == nil)
    }

    @Test func realtimeDataKeepsKnownCodesAndRejectsVendorCodes() throws {
        // Given ST=22 CN=2011 from aqms-1100-2020110011 with vendor items pms_rules, lng, lat, hot_t, vn
        let packet = try RealPackets.first(mn: "aqms-1100-2020110011", cn: "2011")
        // When
        let batch = HJ212Readings.readings(from: packet, stationCode: "S2")
        // Then
        #expect(batch.rejections.map(\.code) == ["pms_rules", "lng", "lat", "hot_t", "vn"])
        #expect(batch.rejections.allSatisfy { $0.reason.kind == "unknown_code" && $0.stationCode == "S2" })
        #expect(batch.readings.count == 12)
        #expect(batch.readings.allSatisfy { $0.period == .realtime && $0.time == 1_612_913_730 })
        #expect(batch.readings.first { $0.code == "a05024" }?.value == 58)
        #expect(batch.readings.first { $0.code == "a99054" }?.value == 0.137)
        #expect(!batch.rejectsWholePacket)
    }

    @Test func splitMinuteDataCarriesAverageMinimumAndMaximum() throws {
        // Given part 2 of 2 of ST=31 CN=2051 from 14513567846884, DataTime 2019-11-12 09:00:00
        let packet = try RealPackets.first(mn: "14513567846884", cn: "2051")
        // When
        let batch = HJ212Readings.readings(from: packet, stationCode: "S3")
        // Then
        let reading = try #require(batch.readings.first)
        #expect(batch.readings.count == 1 && batch.rejections.isEmpty)
        #expect(reading.code == "a01006" && reading.period == .minute && reading.time == 1_573_520_400)
        #expect(reading.value == 101.85 && reading.minimum == 101.84 && reading.maximum == 101.87)
        #expect(reading.flag == "N")
    }

    @Test func hourDataWithOnlyUnlistedCodesYieldsRejectionsOnly() throws {
        // Given ST=22 CN=2061 from Z13401000010301: a34006/a34007/a34047/a34048/a34049 are not in the catalogue
        let packet = try RealPackets.first(mn: "Z13401000010301", cn: "2061")
        // When
        let batch = HJ212Readings.readings(from: packet, stationCode: "S4")
        // Then
        #expect(batch.readings.isEmpty)
        #expect(batch.rejections.map(\.code) == ["a34006", "a34007", "a34048", "a34047", "a34049"])
        #expect(!batch.rejectsWholePacket)
    }

    @Test func realtimePrefersTheSampleTimeAndReadsConvertedValues() {
        // Given a 2011 item with its own SampleTime (HJ 212-2017 Table 4) and ZsRtd
        let packet = packet(
            cn: .realTimeData,
            cp: "DataTime=20240101120000;a34004-SampleTime=20240101110000,a34004-Rtd=12,a34004-ZsRtd=13,a34004-Flag=M;"
                + "a34002-Rtd=40")
        // When
        let batch = HJ212Readings.readings(from: packet, stationCode: "S")
        // Then 11:00 China time for PM2.5, 12:00 for PM10 (DataTime), flag M kept, default flag N
        #expect(batch.readings.count == 2)
        #expect(batch.readings[0].time == 1_704_078_000 && batch.readings[0].converted == 13)
        #expect(batch.readings[0].flag == "M" && batch.readings[0].value == 12)
        #expect(batch.readings[1].time == 1_704_081_600 && batch.readings[1].flag == "N")
    }

    @Test func dayDataReadsCumulativeAndConvertedAverage() {
        let batch = HJ212Readings.readings(
            from: packet(
                cn: .dayData, cp: "DataTime=20240101000000;a34013-Avg=1.5,a34013-ZsAvg=2.5,a34013-Cou=300,a34013-Flag=N"
            ),
            stationCode: "S")
        #expect(batch.readings.count == 1)
        let reading = batch.readings[0]
        #expect(reading.period == .day && reading.time == 1_704_038_400)
        #expect(reading.value == 1.5 && reading.converted == 2.5 && reading.cumulative == 300)
    }

    @Test(arguments: [
        ("a34004-Rtd=12;a34002-Rtd=30", "missing_field"),
        ("DataTime=2024010112;a34004-Rtd=12", "bad_time"),
        ("DataTime=20241301120000;a34004-Rtd=12", "bad_time"),
    ])
    func missingOrInvalidDataTimeRejectsThePacket(cp: String, kind: String) {
        let batch = HJ212Readings.readings(from: packet(cn: .realTimeData, cp: cp), stationCode: "S")
        #expect(batch.rejectsWholePacket)
        #expect(batch.rejections.first?.reason.kind == kind)
        #expect(batch.rejections.first?.reason.description.contains("DataTime") == true)
    }

    @Test func unparsableNumbersAndBadSampleTimesAreRejectedPerItem() {
        let packet = packet(
            cn: .realTimeData,
            cp:
                "DataTime=20240101120000;a34004-Rtd=abc;a34002-Rtd=40;a21004-SampleTime=99999999999999,a21004-Rtd=3;a21005-EFlag=A01"
        )
        let batch = HJ212Readings.readings(from: packet, stationCode: "S")
        #expect(batch.readings.map(\.code) == ["a34002"])
        #expect(batch.rejections.map(\.code) == ["a34004", "a21004", "a21005"])
        #expect(batch.rejections.map(\.reason.kind) == ["not_a_number", "bad_time", "missing_field"])
        #expect(batch.rejections[0].reason.description.contains("a34004-Rtd=abc"))
    }

    @Test(arguments: ["2021", "2041", "2081", "9014", "1062"])
    func commandsWithoutPollutantValuesYieldNothing(cn: String) {
        let batch = HJ212Readings.readings(
            from: packet(cn: CommandCode(cn), cp: "DataTime=20240101120000;SB1-RS=1"), stationCode: "S")
        #expect(batch.readings.isEmpty && batch.rejections.isEmpty)
    }

    @Test func everyItemOfEveryRealDataUploadIsEitherKeptOrRejected() {
        var uploads = 0
        for packet in RealPackets.all where HJ212Readings.carriesReadings(packet.cn) {
            let batch = HJ212Readings.readings(from: packet, stationCode: "S")
            if batch.rejectsWholePacket { continue }
            uploads += 1
            let codes = packet.cp.readings.map(\.code)
            #expect(batch.readings.count + batch.rejections.count == codes.count, "\(packet.mn) \(packet.cn)")
        }
        #expect(uploads == 23)
    }
}
