import HJ212
import Testing

/// The 153 data segments of HJ 212-2017 Appendix C, parsed as bare segments.
@Suite("HJ 212-2017 Appendix C segments")
struct AppendixCTests {
    /// Segments the strict policy rejects, and why. These are slips in the standard's own text
    /// (kept verbatim in the fixture): spaces from the PDF, the `Flag=5CP=` typo, and the `…` that
    /// abbreviates a list. The tolerant policy accepts all of them and records the deviation.
    static let notWellFormed: [Int: String] = [
        6: "space after CP=&& (`CP=&& PolId=…`)",
        10: "space after CP=&& (`CP=&& ExeRtn=1`)",
        11: "space after CP=&& (`CP=&& PolId=…`)",
        12: "CP holds a single space (`CP=&& &&`)",
        39: "CP holds a single space (`CP=&& &&`)",
        40: "`…` item without `=`",
        44: "`…` item without `=`",
        46: "`…` item without `=`",
        48: "`…` item without `=`",
        50: "`Flag=5CP=` typo: no `;` before CP",
        54: "`…` item without `=`",
        58: "`…` item without `=`",
        69: "space before `LA-Rtd`",
        75: "`…` item without `=`",
        93: "spaces inside CP (`CP=&& DataTime…VaseNo=1 &&`)",
        119: "space before `=` (`i12003-Info =0`)",
        121: "space before `Flag=5` in the header",
        125: "spaces (`; i13005-Info =40`)",
        129: "space before the closing `&&`",
        136: "`…` item without `=`",
        144: "`…` item without `=`",
        145: "`…` item without `=`",
        149: "`…` item without `=`",
        151: "`…` item without `=`",
    ]

    @Test(arguments: Fixtures.appendixC)
    func segmentParsesUnderTheTolerantPolicy(_ segment: Fixtures.Segment) throws {
        let parsed = try HJ212Parser(policy: .tolerant).parseDataSegment(segment.text)
        #expect(parsed.packet.mn == "010000A8900016F000169DC0")
        #expect(parsed.packet.pw == "123456")
        #expect(parsed.packet.version == .hj212_2017)
        #expect(parsed.wire == nil)
        let slips = parsed.deviations.intersection(HJ212Deviations.syntaxSlips)
        #expect(slips.isEmpty == (Self.notWellFormed[segment.number] == nil), "\(parsed.deviations)")
    }

    @Test(arguments: Fixtures.appendixC)
    func strictPolicyRejectsExactlyTheDocumentedSlips(_ segment: Fixtures.Segment) {
        let result = Result { () throws(HJ212Error) in try HJ212Parser(policy: .strict).parseDataSegment(segment.text) }
        switch result {
        case .success:
            #expect(Self.notWellFormed[segment.number] == nil)
        case .failure(let error):
            #expect(Self.notWellFormed[segment.number] != nil, "\(error)")
            #expect(error.kind == "malformed_field")
        }
    }

    @Test
    func answersMatchTheStandardsOwnExamples() throws {
        // Each request in Appendix C is followed by the platform's or site's answer; rebuild them.
        let parser = HJ212Parser(policy: .tolerant)
        let encoder = HJ212Encoder()
        func segment(_ number: Int) throws -> HJ212Packet {
            try parser.parseDataSegment(Fixtures.appendixC[number - 1].text).packet
        }
        func text(_ packet: HJ212Packet) throws -> String {
            String(decoding: try encoder.dataSegment(of: packet), as: UTF8.self)
        }
        // C.1: set timeout (CN=1000) → 9011 QnRtn=1 → 9012 ExeRtn=1
        #expect(try text(HJ212Answers.requestAnswer(to: segment(1), code: .ready)) == Fixtures.appendixC[1].text)
        #expect(try text(HJ212Answers.executionResult(to: segment(1), code: .success)) == Fixtures.appendixC[2].text)
        // Real-time upload (CN=2011, Flag=5) → 9014
        #expect(try HJ212Answers.expectedAnswer(to: segment(40)) == .dataAnswer)
        #expect(try text(HJ212Answers.dataAnswer(to: segment(40))) == Fixtures.appendixC[40].text)
        // Minute data with its own QN → 9014 echoing that QN
        #expect(try text(HJ212Answers.dataAnswer(to: segment(44))) == Fixtures.appendixC[44].text)
        // Split parts with Flag=7: each part gets its own 9014 (C.50)
        #expect(try text(HJ212Answers.dataAnswer(to: segment(149))) == Fixtures.appendixC[149].text)
        #expect(try text(HJ212Answers.dataAnswer(to: segment(151))) == Fixtures.appendixC[151].text)
        // Notification 2012 (stop real-time data) → 9013 with empty CP
        #expect(try text(HJ212Answers.notificationAnswer(to: segment(33))) == Fixtures.appendixC[33].text)
        // Answers never ask for answers
        #expect(try HJ212Answers.expectedAnswer(to: segment(41)) == nil)
        #expect(try HJ212Answers.expectedAnswer(to: segment(2)) == nil)
    }
}
