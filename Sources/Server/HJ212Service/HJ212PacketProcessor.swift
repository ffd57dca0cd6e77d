import Campaign
import HJ212
import Ingest
import Logging
import NIOCore

/// What the connection does after a frame: the answers to write (in order) and whether the frame counts
/// against the connection's bad-frame budget.
struct HJ212FrameOutcome {
    var answers: [HJ212Packet] = []
    var bad = false
}

/// The per-packet rules of HJ 212-2017 §6.5 for a platform: identify the device (MN, PW), apply its
/// station's policy, store what it uploads, and answer as the standard says. Shared by all connections;
/// per-connection memory lives in ``HJ212ConnectionState``.
struct HJ212PacketProcessor: Sendable {
    let configuration: HJ212ServiceConfiguration
    let stations: HJ212StationCache
    let sink: any ReadingSink
    let metrics: HJ212ServiceMetrics
    let logger: Logger

    /// First pass: the most lenient reading, to learn MN before the station's own policy is known.
    static let tolerantParser = HJ212Parser(policy: .tolerant)

    /// Commands a site uploads only in answer to a platform's request (HJ 212-2017 Table 9: 1011, 1061,
    /// 1063, 3015, 3017–3020). This platform sends no requests, so these are logged and ignored.
    static let requestedUploads: Set<CommandCode> = [
        CommandCode("1011"), CommandCode("1061"), CommandCode("1063"), CommandCode("3015"), CommandCode("3017"),
        CommandCode("3018"), CommandCode("3019"), CommandCode("3020"),
    ]

    func process(_ frame: ByteBuffer, state: inout HJ212ConnectionState) async -> HJ212FrameOutcome {
        let bytes = Array(frame.readableBytesView)
        let parsed: ParsedPacket
        do {
            parsed = try Self.tolerantParser.parse(frame: bytes)
        } catch {
            return refuseUnparsable(bytes, error, peer: state.peer)
        }
        var packet = parsed.packet
        let station: Station
        switch await identify(packet, peer: state.peer) {
        case .success(let found): station = found
        case .failure(let refusal): return refusal.outcome
        }
        // Second pass under the station's own policy (CRC variants, strictness), when it is narrower.
        let policy = Self.policy(for: station.hj212!)
        if policy != .tolerant {
            do {
                packet = try HJ212Parser(policy: policy).parse(frame: bytes).packet
            } catch {
                return refuse(packet, kind: error.kind, code: error.requestReturnCode, reason: error.description)
            }
        }
        guard let edition = Self.edition(of: packet.version), station.hj212!.protocols.contains(edition) else {
            return refuse(
                packet, kind: "protocol_edition", code: .flagWrong,
                reason: "设备未登记此协议版本 \(packet.version) / protocol edition \(packet.version) not allowed")
        }
        return await dispatch(packet, station: station, state: &state)
    }

    // MARK: - Identification

    private func identify(_ packet: HJ212Packet, peer: String) async -> Result<Station, RefusalOutcome> {
        let found: Station?
        do {
            found = try await stations.station(mn: packet.mn)
        } catch {
            metrics.error("directory_failed")
            metrics.packet(.directoryFailed)
            logger.error(
                "HJ 212 设备目录查询失败，未应答 / device directory lookup failed, not answered",
                metadata: ["mn": .string(packet.mn), "peer": .string(peer), "error": .string("\(error)")])
            return .failure(RefusalOutcome(HJ212FrameOutcome()))
        }
        guard let station = found, let identity = station.hj212, identity.mn == packet.mn else {
            return .failure(
                RefusalOutcome(
                    refuse(
                        packet, kind: "auth_mn", code: .mnWrong,
                        reason: "MN 未登记 / MN not registered", peer: peer)))
        }
        guard Self.passwordsMatch(identity.password, packet.pw) else {
            return .failure(
                RefusalOutcome(
                    refuse(
                        packet, kind: "auth_password", code: .passwordWrong, reason: "密码错误 / wrong password",
                        station: station.code, peer: peer)))
        }
        guard station.status != .retired else {
            return .failure(
                RefusalOutcome(
                    refuse(
                        packet, kind: "station_retired", code: .refused, reason: "站点已停用 / station retired",
                        station: station.code, peer: peer)))
        }
        return .success(station)
    }

    struct RefusalOutcome: Error {
        let outcome: HJ212FrameOutcome
        init(_ outcome: HJ212FrameOutcome) { self.outcome = outcome }
    }

    // MARK: - Dispatch by command (HJ 212-2017 Table 9, §6.5)

    private func dispatch(_ packet: HJ212Packet, station: Station, state: inout HJ212ConnectionState) async
        -> HJ212FrameOutcome
    {
        switch packet.cn {
        case .heartbeat, .timeCalibrationRequest:
            // HJ 212-2025 heartbeat 9015 and the 1013 time-calibration notice are answered with 9013
            // (HJ 212-2017 §6.5.3, Appendix C.6).
            return answerWithoutStoring(packet)
        case .requestAnswer, .executionResult, .notificationAnswer, .dataAnswer:
            // 9011–9014 answer the platform's own requests; this platform sends none.
            return ignore(packet, station: station, reason: "未发出请求的应答 / answer to no request")
        default:
            break
        }
        switch packet.cn.category {
        case .data:
            if packet.cn == .stopRealTimeData || packet.cn == .stopFacilityState {
                // 2012/2022 are notices from platform to site (Table 9), not for a platform to serve.
                return refuse(
                    packet, kind: "unsupported_command", code: .refused,
                    reason: "平台不受理此命令 / command not served by the platform", station: station.code)
            }
            guard HJ212Readings.carriesReadings(packet.cn) else { return answerWithoutStoring(packet) }
            if packet.cp["DataTime"] == nil, packet.cp.contains(name: "BeginTime") {
                // A history query (BeginTime/EndTime, Appendix C.15–C.20) goes from platform to site.
                return refuse(
                    packet, kind: "unsupported_command", code: .refused,
                    reason: "平台不受理历史数据查询 / history queries are not served", station: station.code)
            }
            return await upload(packet, station: station, state: &state)
        case .parameter, .control:
            if Self.requestedUploads.contains(packet.cn) {
                return ignore(packet, station: station, reason: "平台未请求此数据 / upload not requested")
            }
            return refuse(
                packet, kind: "unsupported_command", code: .refused,
                reason: "平台不受理此命令 / command not served by the platform", station: station.code)
        case .interaction, .unknown:
            return refuse(
                packet, kind: "unknown_command", code: .cnWrong, reason: "未知命令编码 / unknown CN",
                station: station.code)
        }
    }

    /// Answers what asks for an answer (9013 to notices and heartbeats, 9014 to an upload with Flag A=1),
    /// with nothing to store: facility state 2021, run time 2041, restart time 2081…
    private func answerWithoutStoring(_ packet: HJ212Packet) -> HJ212FrameOutcome {
        guard let kind = HJ212Answers.expectedAnswer(to: packet) else {
            metrics.packet(.accepted)
            return HJ212FrameOutcome()
        }
        metrics.packet(.answered)
        return HJ212FrameOutcome(answers: [HJ212Answers.answer(kind, to: packet)])
    }

    private func ignore(_ packet: HJ212Packet, station: Station, reason: String) -> HJ212FrameOutcome {
        metrics.packet(.ignored)
        logger.info(
            "HJ 212 数据包已忽略 / packet ignored",
            metadata: [
                "mn": .string(packet.mn), "station": .string(station.code), "cn": .string(packet.cn.rawValue),
                "reason": .string(reason),
            ])
        return HJ212FrameOutcome()
    }

    // MARK: - Refusals

    /// Counts and logs a refused packet; answers 9011 with `code` (HJ 212-2017 Table 7) when the device
    /// asked for an answer (Flag A=1) and gave a QN to echo.
    func refuse(
        _ packet: HJ212Packet?, kind: String, code: RequestReturnCode, reason: String, station: String? = nil,
        peer: String? = nil
    ) -> HJ212FrameOutcome {
        metrics.error(kind)
        metrics.packet(.rejected)
        var metadata: Logger.Metadata = ["kind": .string(kind), "reason": .string(reason)]
        metadata["mn"] = packet.map { .string($0.mn) }
        metadata["qn"] = packet?.qn.map { .string($0) }
        metadata["cn"] = packet.map { .string($0.cn.rawValue) }
        metadata["station"] = station.map { .string($0) }
        metadata["peer"] = peer.map { .string($0) }
        logger.warning("HJ 212 数据包被拒绝 / packet rejected", metadata: metadata)
        guard let packet, packet.qn != nil, packet.needsAnswer else { return HJ212FrameOutcome(bad: true) }
        return HJ212FrameOutcome(answers: [HJ212Answers.requestAnswer(to: packet, code: code)], bad: true)
    }

    /// A frame that does not parse even leniently. Its header is recovered, when possible, by reading the
    /// data segment without the CRC and length checks, so the answer can echo QN, MN and PW.
    private func refuseUnparsable(_ bytes: [UInt8], _ error: HJ212Error, peer: String) -> HJ212FrameOutcome {
        let recovered = Self.recoverHeader(bytes)
        return refuse(recovered, kind: error.kind, code: error.requestReturnCode, reason: error.description, peer: peer)
    }

    static func recoverHeader(_ bytes: [UInt8]) -> HJ212Packet? {
        guard bytes.count > HJ212Limits.frameOverhead, bytes[0] == UInt8(ascii: "#"), bytes[1] == UInt8(ascii: "#")
        else { return nil }
        let segment = String(decoding: bytes[6..<(bytes.count - 4)], as: UTF8.self)
        return try? tolerantParser.parseDataSegment(segment).packet
    }

    // MARK: - Station policy

    /// The parser policy a station's identity allows (STANDARDS §4.11, §4.13).
    static func policy(for identity: HJ212Identity) -> HJ212Policy {
        var policy: HJ212Policy = identity.tolerant ? .tolerant : .strict
        switch identity.crcPolicy {
        case .standard: policy.acceptedCRCs = .hj212
        case .modbus: policy.acceptedCRCs = .modbus
        case .either: policy.acceptedCRCs = .all
        }
        return policy
    }

    /// The edition told by the Flag version bits (STANDARDS §4.4); nil for bits no edition defines.
    static func edition(of version: ProtocolVersion) -> HJ212ProtocolEdition? {
        switch version {
        case .hjt212_2005: return .hj212_2005
        case .hj212_2017: return .hj212_2017
        case .hj212_2025: return .hj212_2025
        case .other: return nil
        }
    }

    /// Compares in time independent of where the first difference is.
    static func passwordsMatch(_ expected: String, _ given: String) -> Bool {
        let lhs = Array(expected.utf8)
        let rhs = Array(given.utf8)
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
