/// Which answer a packet received from a device calls for (HJ 212-2017 §6.5, Appendix C).
public enum AnswerKind: Sendable, Hashable {
    /// 9014 数据应答: an upload whose Flag A bit is set; split parts are answered one by one.
    case dataAnswer
    /// 9013 通知应答: a notification (e.g. 1013 time-calibration request) or an HJ 212-2025 heartbeat 9015.
    case notificationAnswer
    /// 9011 请求应答: a request; only a site answers these, listed for completeness.
    case requestAnswer
}

/// Builders for the platform's answers. Each echoes the request's QN, PW and MN (answers reuse the
/// request's QN; each split part's 9014 echoes that part's own QN, Table C.50), uses ST=91 as in
/// Appendix C, and the request's protocol version with no answer wanted (Flag=4 for 2017, 8 for 2025;
/// no Flag for an HJ/T 212-2005 request, which had none).
public enum HJ212Answers {
    /// The answer `packet` (received from a device) asks for, or nil.
    public static func expectedAnswer(to packet: HJ212Packet) -> AnswerKind? {
        switch packet.cn {
        case .requestAnswer, .executionResult, .notificationAnswer, .dataAnswer:
            return nil  // answers are never answered
        case .heartbeat:
            return .notificationAnswer  // HJ 212-2025: heartbeat answered by 9013
        default:
            break
        }
        guard packet.needsAnswer else { return nil }
        if packet.cn == .timeCalibrationRequest { return .notificationAnswer }
        return .dataAnswer
    }

    /// 9014 data answer, empty CP (`CP=&&&&`).
    public static func dataAnswer(to packet: HJ212Packet, st: SystemCode = .systemInteraction) -> HJ212Packet {
        answer(to: packet, cn: .dataAnswer, st: st, cp: .empty)
    }

    /// 9011 request answer with `QnRtn`.
    public static func requestAnswer(
        to packet: HJ212Packet, code: RequestReturnCode, st: SystemCode = .systemInteraction
    ) -> HJ212Packet {
        answer(to: packet, cn: .requestAnswer, st: st, cp: plain("QnRtn", String(code.code)))
    }

    /// 9012 execution result with `ExeRtn`.
    public static func executionResult(
        to packet: HJ212Packet, code: ExecutionReturnCode, st: SystemCode = .systemInteraction
    ) -> HJ212Packet {
        answer(to: packet, cn: .executionResult, st: st, cp: plain("ExeRtn", String(code.code)))
    }

    /// 9013 notification answer, empty CP (Appendix C.6: answers 1013 and 2012/2022).
    public static func notificationAnswer(to packet: HJ212Packet, st: SystemCode = .systemInteraction)
        -> HJ212Packet
    {
        answer(to: packet, cn: .notificationAnswer, st: st, cp: .empty)
    }

    /// The answer of the given kind.
    public static func answer(_ kind: AnswerKind, to packet: HJ212Packet, requestReturnCode: RequestReturnCode = .ready)
        -> HJ212Packet
    {
        switch kind {
        case .dataAnswer: return dataAnswer(to: packet)
        case .notificationAnswer: return notificationAnswer(to: packet)
        case .requestAnswer: return requestAnswer(to: packet, code: requestReturnCode)
        }
    }

    /// An HJ 212-2025 heartbeat (CN 9015, empty CP). `flag` defaults to version 2025, answer wanted.
    public static func heartbeat(
        qn: String?, st: SystemCode, pw: String, mn: String,
        flag: PacketFlag = PacketFlag(version: .hj212_2025, needsAnswer: true)
    ) -> HJ212Packet {
        HJ212Packet(qn: qn, st: st, cn: .heartbeat, pw: pw, mn: mn, flag: flag, cp: .empty)
    }

    static func answer(to packet: HJ212Packet, cn: CommandCode, st: SystemCode, cp: CPData) -> HJ212Packet {
        let flag = packet.flag.map { PacketFlag.answer(for: $0.version) }
        return HJ212Packet(qn: packet.qn, st: st, cn: cn, pw: packet.pw, mn: packet.mn, flag: flag, cp: cp)
    }

    private static func plain(_ key: String, _ value: String) -> CPData {
        // Keys and values here are fixed ASCII names and numbers; parsing cannot fail.
        CPData(text: "\(key)=\(value)")
    }
}
