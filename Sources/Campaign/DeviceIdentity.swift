/// How a station's data logger identifies itself over HJ 212 (HJ 212-2017 Table 3: `MN` and `PW`),
/// and what its link is allowed to get away with.
public struct HJ212Identity: Sendable, Hashable, Codable {
    /// Device unique ID. HJ 212-2017 says 24 hex characters; real loggers send 7–24+ characters
    /// (STANDARDS §4.13), so any printable ASCII up to 64 characters is accepted.
    public var mn: String
    /// Access password (`PW`). Never returned by the API or written to logs.
    public var password: String
    /// Protocol editions this device may speak.
    public var protocols: Set<HJ212ProtocolEdition>
    /// Which CRC variants are accepted from it.
    public var crcPolicy: HJ212CRCPolicy
    /// Accept the real-world deviations of STANDARDS §4.13 (length mismatch with a good CRC, oversize
    /// segments, syntax slips). Deviations are recorded either way.
    public var tolerant: Bool

    public init(
        mn: String, password: String, protocols: Set<HJ212ProtocolEdition> = Set(HJ212ProtocolEdition.allCases),
        crcPolicy: HJ212CRCPolicy = .standard, tolerant: Bool = true
    ) {
        self.mn = mn
        self.password = password
        self.protocols = protocols
        self.crcPolicy = crcPolicy
        self.tolerant = tolerant
    }
}

/// HJ/T 212-2005, HJ 212-2017, HJ 212-2025 (told apart by the Flag version bits, STANDARDS §4.4).
public enum HJ212ProtocolEdition: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case hj212_2005 = "2005"
    case hj212_2017 = "2017"
    case hj212_2025 = "2025"

    public static func < (lhs: HJ212ProtocolEdition, rhs: HJ212ProtocolEdition) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// CRC variants accepted from a device (STANDARDS §4.11).
public enum HJ212CRCPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The standard's Appendix A CRC only.
    case standard
    /// CRC-16/Modbus only (devices that send it, STANDARDS §4.11 I4/I5).
    case modbus
    /// Either; which one verified is recorded per packet.
    case either

    public var displayName: String {
        switch self {
        case .standard: "标准 CRC (附录 A)"
        case .modbus: "Modbus CRC"
        case .either: "两者皆可"
        }
    }
}

/// A monitored item a station reports and the unit it sends it in.
public struct ReportedPollutant: Sendable, Hashable, Codable {
    /// HJ 212 code, e.g. `a34004`.
    public var code: String
    /// Unit as registered, e.g. `ug/m3`, `mg/m3` (see `Ingest.MeasurementUnit`).
    public var unit: String

    public init(code: String, unit: String) {
        self.code = code
        self.unit = unit
    }
}
