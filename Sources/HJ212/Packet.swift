/// The PNUM/PNO pair of a split packet (HJ 212-2017 Table 3; Appendix C.49/C.50).
public struct SplitInfo: Sendable, Hashable, CustomStringConvertible {
    /// Total number of packets (PNUM).
    public let total: Int
    /// This packet's number, 1-based (PNO).
    public let number: Int

    public init(total: Int, number: Int) throws(HJ212Error) {
        guard total >= 1 else {
            throw HJ212Error.malformedField(name: "PNUM", value: String(total), reason: "必须 ≥ 1 / must be ≥ 1")
        }
        guard (1...total).contains(number) else {
            throw HJ212Error.malformedField(
                name: "PNO", value: String(number), reason: "必须在 1…PNUM 之间 / must be within 1…PNUM (\(total))")
        }
        self.total = total
        self.number = number
    }

    public var description: String { "\(number)/\(total)" }
}

/// A header field the standard does not define (kept so nothing a device sends is lost).
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An HJ 212 packet: the fields of the data segment (HJ 212-2017 Table 3). Used both for packets
/// received (see ``HJ212Parser``) and packets built to send (see ``HJ212Encoder``, ``HJ212Answers``).
public struct HJ212Packet: Sendable, Hashable {
    /// Request number, `yyyyMMddHHmmsszzz`; absent in HJ/T 212-2005 packets.
    public var qn: String?
    public var st: SystemCode
    public var cn: CommandCode
    public var pw: String
    public var mn: String
    /// Absent in HJ/T 212-2005 packets.
    public var flag: PacketFlag?
    /// PNUM/PNO when the data is split.
    public var split: SplitInfo?
    public var cp: CPData
    /// Header fields outside the standard, in the order received.
    public var extraHeaderFields: [HeaderField]

    public init(
        qn: String?, st: SystemCode, cn: CommandCode, pw: String, mn: String, flag: PacketFlag?,
        split: SplitInfo? = nil, cp: CPData = .empty, extraHeaderFields: [HeaderField] = []
    ) {
        self.qn = qn
        self.st = st
        self.cn = cn
        self.pw = pw
        self.mn = mn
        self.flag = flag
        self.split = split
        self.cp = cp
        self.extraHeaderFields = extraHeaderFields
    }

    /// The protocol version from the Flag; a packet without Flag is HJ/T 212-2005.
    public var version: ProtocolVersion { flag?.version ?? .hjt212_2005 }

    /// Whether the sender asked for an answer (Flag bit A).
    public var needsAnswer: Bool { flag?.needsAnswer ?? false }

    /// QN as a timestamp; nil when absent, throws when malformed.
    public var qnTimestamp: HJ212Timestamp? {
        get throws(HJ212Error) {
            guard let qn else { return nil }
            do { return try HJ212Timestamp(qn) } catch {
                throw HJ212Error.malformedField(name: "QN", value: qn, reason: error.description)
            }
        }
    }
}

/// What the wire said about a received packet, beyond its fields.
public struct WireInfo: Sendable, Hashable {
    /// The 4-digit length as declared.
    public let declaredLength: Int
    /// The data segment's actual length in bytes (UTF-8 bytes, STANDARDS §4.2).
    public let dataSegmentLength: Int
    /// The CRC as sent (4 hex digits, case as sent).
    public let declaredCRC: String
    /// The algorithm that verified it.
    public let crcAlgorithm: CRCAlgorithm

    public init(declaredLength: Int, dataSegmentLength: Int, declaredCRC: String, crcAlgorithm: CRCAlgorithm) {
        self.declaredLength = declaredLength
        self.dataSegmentLength = dataSegmentLength
        self.declaredCRC = declaredCRC
        self.crcAlgorithm = crcAlgorithm
    }
}

/// The result of parsing: the packet, the deviations tolerated, and the wire facts (nil when a bare
/// data segment was parsed).
public struct ParsedPacket: Sendable, Hashable {
    public var packet: HJ212Packet
    public var deviations: HJ212Deviations
    public var wire: WireInfo?

    public init(packet: HJ212Packet, deviations: HJ212Deviations, wire: WireInfo?) {
        self.packet = packet
        self.deviations = deviations
        self.wire = wire
    }
}
