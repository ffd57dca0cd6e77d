import HJ212
import Testing

@Suite("CRC")
struct CRCTests {
    @Test
    func checkValuesMatchStandardsSection4_11() {
        let check = Array("123456789".utf8)
        #expect(HJ212CRC.appendixA(check) == 0x2F80)
        #expect(HJ212CRC.modbus(check) == 0x4B37)
        #expect(CRCAlgorithm.modbusLowByteFirst.printedValue(of: check) == 0x374B)
    }

    @Test
    func standardWorkedExampleGives1C80NotTheProseTypo1C08() {
        let segment =
            "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"
        #expect(segment.utf8.count == 101)
        #expect(HJ212CRC.hex(HJ212CRC.appendixA(Array(segment.utf8))) == "1C80")
        // STANDARDS §4.14 V1 also lists the Modbus value 0759 for this segment.
        #expect(HJ212CRC.hex(HJ212CRC.modbus(Array(segment.utf8))) == "0759")
    }

    @Test(arguments: [
        ("", 0xFFFF as UInt16),
        ("A", 0x00C0),
        ("QN=1", 0x0000),
    ])
    func tableDrivenCRCEqualsTheBitwiseDefinition(_ text: String, _ unused: UInt16) {
        // Appendix A written out bit by bit, as the standard describes it.
        var register: UInt16 = 0xFFFF
        for byte in text.utf8 {
            register = (register >> 8) ^ UInt16(byte)
            for _ in 0..<8 {
                let bit = register & 1
                register >>= 1
                if bit == 1 { register ^= 0xA001 }
            }
        }
        #expect(HJ212CRC.appendixA(Array(text.utf8)) == register)
        #expect(HJ212CRC.appendixA(text.utf8) == register)
    }

    @Test
    func algorithmSetsListMembersInPreferenceOrder() {
        #expect(CRCAlgorithmSet.all.algorithms == [.hj212, .modbusHighByteFirst, .modbusLowByteFirst])
        #expect(CRCAlgorithmSet.modbus.algorithms == [.modbusHighByteFirst, .modbusLowByteFirst])
        #expect(!CRCAlgorithmSet.hj212.contains(.modbusLowByteFirst))
    }
}
