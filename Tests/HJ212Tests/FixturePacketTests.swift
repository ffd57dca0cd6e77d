import HJ212
import Testing

@Suite("Real packets (Tests/Fixtures/hj212)")
struct FixturePacketTests {
    @Test
    func fixtureFilesHoldTheDocumentedCounts() {
        #expect(Fixtures.packets.count == 57)
        #expect(Fixtures.invalidPackets.count == 5)
        #expect(Fixtures.appendixC.count == 153)
        #expect(Fixtures.packets.filter { $0.algorithm == .hj212 }.count == 28)
        #expect(Fixtures.packets.filter { $0.algorithm == .modbusHighByteFirst }.count == 26)
        #expect(Fixtures.packets.filter { $0.algorithm == .modbusLowByteFirst }.count == 3)
    }

    @Test(arguments: Fixtures.packets)
    func packetVerifiesUnderTheAlgorithmItsCommentNames(_ fixture: Fixtures.Packet) throws {
        // Given a policy that accepts only the named algorithm (and real-world sizes)
        var policy = HJ212Policy.tolerant
        policy.acceptedCRCs = CRCAlgorithmSet(fixture.algorithm)
        // When
        let parsed = try HJ212Parser(policy: policy).parse(fixture.text + "\r\n", requireTerminator: true)
        // Then
        let wire = try #require(parsed.wire)
        #expect(wire.crcAlgorithm == fixture.algorithm)
        #expect(wire.declaredLength == wire.dataSegmentLength)
        #expect(parsed.deviations.contains(.modbusCRC) == (fixture.algorithm != .hj212))
        #expect(fixture.comment.contains("ST=\(parsed.packet.st.rawValue) CN=\(parsed.packet.cn.rawValue)"))
        #expect(fixture.comment.contains("MN=\(parsed.packet.mn)"))
    }

    @Test(arguments: Fixtures.packets)
    func packetIsRejectedWhenItsAlgorithmIsNotAccepted(_ fixture: Fixtures.Packet) {
        var policy = HJ212Policy.tolerant
        policy.acceptedCRCs = CRCAlgorithmSet.all.subtracting(CRCAlgorithmSet(fixture.algorithm))
        #expect(throws: HJ212Error.self) { try HJ212Parser(policy: policy).parse(fixture.text) }
    }

    @Test
    func strictPolicyAcceptsTheStandardPacketsAndRejectsTheDeviantOnes() {
        // The strict (as-written) policy takes the Appendix A packets of ≤ 1024 bytes.
        let strict = HJ212Parser(policy: .strict)
        for fixture in Fixtures.packets {
            let result = Result { () throws(HJ212Error) in try strict.parse(fixture.text) }
            switch (fixture.algorithm, result) {
            case (.hj212, .success):
                break
            case (.hj212, .failure(let error)):
                Issue.record("\(fixture): \(error)")
            case (_, .success):
                Issue.record("\(fixture) accepted a Modbus CRC under the strict policy")
            case (_, .failure(let error)):
                // Over-long Modbus packets fail on size before the CRC is looked at.
                #expect(error.kind == "crc_mismatch" || error.kind == "oversize", "\(fixture): \(error)")
            }
        }
    }

    @Test(arguments: Fixtures.invalidPackets)
    func invalidPacketIsRejectedForItsCRC(_ fixture: Fixtures.InvalidPacket) throws {
        // Given every algorithm accepted, the CRC still verifies under none.
        let parser = HJ212Parser(policy: .tolerant)
        let error = try #require(throws: HJ212Error.self) { try parser.parse(fixture.text) }
        guard case .crcMismatch(let declared, let attempts) = error else {
            Issue.record("expected a CRC mismatch, got \(error)")
            return
        }
        // Then the error names what was sent and what each algorithm computed.
        #expect(declared == fixture.given)
        #expect(attempts.map(\.algorithm) == [.hj212, .modbusHighByteFirst, .modbusLowByteFirst])
        #expect(HJ212CRC.hex(attempts[0].computed) == fixture.hj212.uppercased())
        #expect(HJ212CRC.hex(attempts[1].computed) == fixture.modbus.uppercased())
        #expect(error.description.hasPrefix("CRC 校验失败 / CRC mismatch: got \(fixture.given)"))
        #expect(error.requestReturnCode == .crcWrong)
    }

    @Test
    func airStationPacketYieldsTypedReadings() throws {
        // V2: flash520/hj212 ST=22 CN=2051 minute data.
        let fixture = try #require(Fixtures.packets.first { $0.text.contains("MN=JLYP01_AIR01_0001") })
        let packet = try HJ212Parser().parse(fixture.text).packet
        #expect(packet.st == .ambientAir)
        #expect(packet.cn == .minuteData)
        #expect(packet.version == .hj212_2017)
        #expect(!packet.needsAnswer)
        #expect(try packet.cp.dataTime == HJ212Timestamp(year: 2022, month: 5, day: 13, hour: 16, minute: 26))
        let o3 = try #require(packet.cp.reading(for: "a05024"))
        #expect(o3.avg == 63)
        #expect(o3.flag == .normal)
        #expect(packet.cp.reading(for: "a21005")?.avg == 0.427)
        #expect(packet.cp.readings.count == 11)
    }

    @Test
    func realDeviationsAreRecorded() throws {
        let parser = HJ212Parser(policy: .tolerant)
        func deviations(containing marker: String) throws -> HJ212Deviations {
            let fixture = try #require(Fixtures.packets.first { $0.text.contains(marker) })
            return try parser.parse(fixture.text).deviations
        }
        // 2005-style header without QN and Flag
        #expect(try deviations(containing: "##0872ST=31").isSuperset(of: [.missingQN, .missingFlag]))
        // MN before PW
        #expect(try deviations(containing: "MN=aqms-1100").contains(.fieldsOutOfOrder))
        // PNO before PNUM, no Flag
        let split = try deviations(containing: "PNO=0002;PNUM=0002")
        #expect(split.isSuperset(of: [.fieldsOutOfOrder, .splitFieldsWithoutFlag, .missingFlag]))
        // Flag=7 without PNUM/PNO, trailing ';' before "&&"
        #expect(try deviations(containing: "LA-td=50.1").isSuperset(of: [.splitFlagWithoutFields, .emptyCPItem]))
        // Lower-case CRC
        #expect(try deviations(containing: "&&1dc0").contains(.lowercaseCRC))
        // Modbus, low byte first, 1025 and 1623 bytes
        #expect(try deviations(containing: "##1025").isSuperset(of: [.modbusCRC, .oversizeDataSegment, .oversizeCP]))
        #expect(try deviations(containing: "##1623").contains(.oversizeDataSegment))
    }

    @Test
    func versionsComeFromTheFlagBits() throws {
        let parser = HJ212Parser(policy: .tolerant)
        func version(_ marker: String) throws -> ProtocolVersion {
            let fixture = try #require(Fixtures.packets.first { $0.text.contains(marker) })
            return try parser.parse(fixture.text).packet.version
        }
        #expect(try version("MN=ZLDSZ20210127;Flag=8") == .hj212_2025)
        #expect(try version("Flag=3;CP=&&BeginTime=20040506111000") == .hjt212_2005)
        #expect(try version("##0872ST=31") == .hjt212_2005)
        #expect(try version("CN=1062;PW=100000") == .hj212_2017)
    }
}
