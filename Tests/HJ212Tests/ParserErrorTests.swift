import Foundation
import HJ212
import Testing

@Suite("Parser: bad input is rejected with its reason")
struct ParserErrorTests {
    static let example =
        "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80"

    /// Frames a segment with a correct length and Appendix A CRC.
    static func frame(_ segment: String) -> String {
        let bytes = (try? HJ212Encoder(maxDataSegmentLength: 9999).frame(dataSegment: Array(segment.utf8))) ?? []
        return String(decoding: bytes.dropLast(2), as: UTF8.self)
    }

    static func error(_ text: String, policy: HJ212Policy = .strict, terminator: Bool = false) -> HJ212Error? {
        do {
            _ = try HJ212Parser(policy: policy).parse(text, requireTerminator: terminator)
            return nil
        } catch {
            return error
        }
    }

    @Test
    func standardExampleParses() throws {
        let parsed = try HJ212Parser().parse(Self.example + "\r\n", requireTerminator: true)
        #expect(parsed.packet.cn == .setRealTimeInterval)
        #expect(parsed.packet.cp["RtdInterval"] == "30")
        #expect(parsed.packet.needsAnswer)
        #expect(parsed.deviations.isEmpty)
        #expect(
            parsed.wire
                == WireInfo(declaredLength: 101, dataSegmentLength: 101, declaredCRC: "1C80", crcAlgorithm: .hj212))
    }

    @Test(arguments: [
        ("0101QN=1;ST=32", "missing_header"),
        ("#0101QN", "missing_header"),
        ("", "truncated"),
        ("##01", "truncated"),
        ("##00001C", "truncated"),
        (
            "##01a1QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80",
            "invalid_length_field"
        ),
        (
            "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1CXY",
            "invalid_crc_field"
        ),
        // I6: declared 0100, actual 101, CRC right
        (
            "##0100QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80",
            "length_mismatch"
        ),
        // I7: the standard's prose typo 1C08
        (
            "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C08",
            "crc_mismatch"
        ),
        (
            "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r",
            "missing_terminator"
        ),
    ])
    func malformedFrameFailsWithTheRightKind(_ text: String, _ kind: String) {
        #expect(Self.error(text)?.kind == kind, "\(String(describing: Self.error(text)))")
    }

    @Test
    func missingCRLFIsAnErrorOnlyWhenRequired() {
        #expect(Self.error(Self.example, terminator: true) == .missingTerminator)
        #expect(Self.error(Self.example) == nil)
    }

    @Test
    func lengthMismatchCarriesBothNumbers() {
        let text = Self.example.replacingOccurrences(of: "##0101", with: "##0100")
        #expect(Self.error(text) == .lengthMismatch(declared: 100, actual: 101))
        #expect(Self.error(text)?.description == "数据段长度不符 / length mismatch: declared 100, actual 101 bytes")
    }

    @Test
    func i8LengthWrongButCRCRightIsAcceptedOnlyByTolerantPolicy() throws {
        // STANDARDS §4.14 I8 (sCair log): CP not closed, declared 121, actual 119, CRC 65C0 correct.
        let i8 =
            "##0121QN=20250131202809340;ST=39;CN=2051;PW=123456;MN=0507A010003242;Flag=4;CP=&&DataTime=20250131202809;a34001-Avg=92;Flag=N65C0"
        #expect(Self.error(i8) == .lengthMismatch(declared: 121, actual: 119))
        let parsed = try HJ212Parser(policy: .tolerant).parse(i8)
        #expect(parsed.deviations.isSuperset(of: [.lengthMismatch, .cpNotClosed]))
        #expect(parsed.packet.cp.reading(for: "a34001")?.avg == 92)
        #expect(parsed.packet.cp["Flag"] == "N")
    }

    @Test
    func crcMismatchNamesEveryAlgorithmTried() {
        let text = Self.example.replacingOccurrences(of: "1C80", with: "1C08")
        let strict = Self.error(text)
        #expect(strict == .crcMismatch(declared: "1C08", attempts: [CRCAttempt(algorithm: .hj212, computed: 0x1C80)]))
        #expect(strict?.description == "CRC 校验失败 / CRC mismatch: got 1C08, expected HJ 212 Appendix A=1C80")
        guard case .crcMismatch(_, let attempts)? = Self.error(text, policy: .tolerant) else {
            Issue.record("expected a CRC mismatch")
            return
        }
        #expect(attempts.map(\.computed) == [0x1C80, 0x0759, 0x5907])
    }

    @Test
    func oversizeDependsOnPolicy() throws {
        let values = (1...120).map { "a\(String(format: "%05d", $0))-Rtd=1.5" }.joined(separator: ";")
        let text = Self.frame("ST=22;CN=2011;PW=123456;MN=M1;CP=&&\(values)&&")
        #expect(Self.error(text)?.kind == "oversize")
        #expect(Self.error(text)?.description.contains("limit 1024") == true)
        let parsed = try HJ212Parser(policy: .tolerant).parse(text)
        #expect(parsed.deviations.contains(.oversizeDataSegment))
        #expect(parsed.packet.cp.readings.count == 120)
    }

    @Test
    func cpOver950IsOversizeUnderTheStrictPolicy() {
        let values = String(repeating: "x", count: 950)
        let text = Self.frame("ST=22;CN=2011;PW=1;MN=M;CP=&&Info=\(values)&&")
        #expect(Self.error(text) == .oversize(part: "CP", length: 962, limit: 950))
    }

    @Test
    func characterChecks() {
        #expect(
            Self.error(Self.frame("ST=22;CN=2011;PW=1;MN=M\u{01};CP=&&&&")) == .controlCharacter(offset: 29, byte: 1))
        // UTF-8 Chinese text is allowed (§6.3) and noted; ASCII-only policies refuse it.
        let chinese = Self.frame("ST=32;CN=3020;PW=1;MN=M;CP=&&i11001-Info=//清洗管路//&&")
        #expect(Self.error(chinese) == nil)
        var asciiOnly = HJ212Policy.strict
        asciiOnly.allowsUTF8 = false
        #expect(Self.error(chinese, policy: asciiOnly) == .nonASCII(offset: 49, byte: 0xE6))
        var bytes = Array(Self.frame("ST=22;CN=2011;PW=1;MN=M;CP=&&a=1&&").utf8)
        bytes[32] = 0xFF
        let crc = Array(HJ212CRC.hex(HJ212CRC.appendixA(bytes[6..<(bytes.count - 4)])).utf8)
        bytes.replaceSubrange((bytes.count - 4)..., with: crc)
        #expect(throws: HJ212Error.invalidUTF8(offset: 32)) { try HJ212Parser().parse(frame: bytes) }
    }

    @Test(arguments: [
        ("CN=2011;PW=1;MN=M;CP=&&&&", HJ212Error.missingField("ST")),
        ("ST=22;PW=1;MN=M;CP=&&&&", .missingField("CN")),
        ("ST=22;CN=2011;MN=M;CP=&&&&", .missingField("PW")),
        ("ST=22;CN=2011;PW=1;CP=&&&&", .missingField("MN")),
        ("ST=22;CN=2011;PW=1;MN=M", .missingField("CP")),
        ("ST=22;CN=2011;PW=1;MN=M;PNUM=2;CP=&&&&", .missingField("PNO")),
        ("ST=22;ST=22;CN=2011;PW=1;MN=M;CP=&&&&", .duplicateField("ST")),
        ("ST=;CN=2011;PW=1;MN=M;CP=&&&&", .malformedField(name: "ST", value: "", reason: "不能为空 / must not be empty")),
        (
            "ST=22;CN=2011;PW=1;MN=M;Flag=256;CP=&&&&",
            .malformedField(name: "Flag", value: "256", reason: "须为 0–255 的整数 / must be an integer 0–255")
        ),
        (
            "ST=22;CN=2011;PW=1;MN=M;PNUM=2;PNO=3;CP=&&&&",
            .malformedField(name: "PNO", value: "3", reason: "必须在 1…PNUM 之间 / must be within 1…PNUM (2)")
        ),
        (
            "ST=22;CN=2011;PW=1;MN;CP=&&&&",
            .malformedField(name: "MN", value: "", reason: "缺少 = / no '=' in header field")
        ),
        (
            "ST=22;CN=2011;PW=1;MN=M;CP=a=1",
            .malformedField(name: "CP", value: "a=1", reason: "CP 须以 && 开始 / CP must start with &&")
        ),
    ])
    func headerFaultsAreNamed(_ segment: String, _ expected: HJ212Error) {
        #expect(Self.error(Self.frame(segment), policy: .tolerant) == expected)
    }

    @Test
    func faultsMapToQnRtnCodes() {
        #expect(HJ212Error.missingField("MN").requestReturnCode == .mnWrong)
        #expect(HJ212Error.malformedField(name: "Flag", value: "x", reason: "").requestReturnCode == .flagWrong)
        #expect(HJ212Error.missingField("PW").requestReturnCode == .passwordWrong)
        #expect(HJ212Error.truncated(byteCount: 1, minimum: 10).requestReturnCode == .unknown)
    }

    @Test
    func unknownCodesAndHeaderFieldsAreKeptNotRejected() throws {
        let parsed = try HJ212Parser().parse(
            Self.frame("QN=20250101000000000;ST=A7;CN=4321;PW=1;MN=M;Flag=9;RF=1;CP=&&&&"))
        #expect(parsed.packet.st.rawValue == "A7")
        #expect(!parsed.packet.st.isKnown)
        #expect(parsed.packet.cn.category == .unknown)
        #expect(parsed.packet.extraHeaderFields == [HeaderField(name: "RF", value: "1")])
        #expect(parsed.deviations == .unknownHeaderField)
        #expect(parsed.packet.version == .hj212_2025)
        #expect(parsed.packet.needsAnswer)
    }
}
