/// The protocol version carried in the Flag version bits V5…V0 (STANDARDS §4.4).
public enum ProtocolVersion: Sendable, Hashable, CustomStringConvertible {
    /// HJ/T 212-2005: version bits `000000`; also assumed when a packet has no Flag at all.
    case hjt212_2005
    /// HJ 212-2017: version bits `000001`.
    case hj212_2017
    /// HJ 212-2025: version bits `000010` (Flag 8–11).
    case hj212_2025
    /// Any other version bits, kept as sent.
    case other(UInt8)

    public init(versionBits: UInt8) {
        switch versionBits {
        case 0: self = .hjt212_2005
        case 1: self = .hj212_2017
        case 2: self = .hj212_2025
        default: self = .other(versionBits)
        }
    }

    public var versionBits: UInt8 {
        switch self {
        case .hjt212_2005: return 0
        case .hj212_2017: return 1
        case .hj212_2025: return 2
        case .other(let bits): return bits & 0x3F
        }
    }

    public var description: String {
        switch self {
        case .hjt212_2005: return "HJ/T 212-2005"
        case .hj212_2017: return "HJ 212-2017"
        case .hj212_2025: return "HJ 212-2025"
        case .other(let bits): return "unknown version \(bits)"
        }
    }
}

/// The `Flag=` header field: bit layout `V5 V4 V3 V2 V1 V0 D A` (HJ 212-2017 Table 3, §6.3.2).
public struct PacketFlag: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public init(version: ProtocolVersion, isSplit: Bool = false, needsAnswer: Bool = false) {
        rawValue = version.versionBits << 2 | (isSplit ? 0b10 : 0) | (needsAnswer ? 0b01 : 0)
    }

    /// Bit A: the sender wants an answer (9014 for uploads, 9011 for requests).
    public var needsAnswer: Bool { rawValue & 0b01 != 0 }
    /// Bit D: the packet carries PNUM/PNO (split data).
    public var isSplit: Bool { rawValue & 0b10 != 0 }
    public var version: ProtocolVersion { ProtocolVersion(versionBits: rawValue >> 2) }

    /// The Flag the platform puts on its answers: same version, no split, no answer wanted (Flag=4 in 2017).
    public static func answer(for version: ProtocolVersion) -> PacketFlag {
        PacketFlag(version: version)
    }

    public var description: String { String(rawValue) }
}
