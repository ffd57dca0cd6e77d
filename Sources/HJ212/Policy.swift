/// Size limits from HJ 212-2017 Table 2.
public enum HJ212Limits {
    /// Data segment: 0 ≤ n ≤ 1024 characters.
    public static let standardMaxDataSegment = 1024
    /// CP field: 0 ≤ n ≤ 950 characters.
    public static let standardMaxCP = 950
    /// The largest value a 4-digit length field can declare.
    public static let maxDeclarableDataSegment = 9999
    /// `##` + 4-digit length + 4-digit CRC.
    public static let frameOverhead = 10
}

/// What a station's link is allowed to get away with. Chosen per station; the parser records every
/// tolerated deviation in ``ParsedPacket/deviations`` either way.
public struct HJ212Policy: Sendable, Hashable {
    /// CRC algorithms accepted; the standard's Appendix A is `.hj212`.
    public var acceptedCRCs: CRCAlgorithmSet
    /// Accept a declared length that differs from the actual one when the CRC verifies (STANDARDS §4.13, I8).
    public var acceptsLengthMismatch: Bool
    /// Longest data segment accepted. The standard says 1024; devices send 1025 and 1623.
    public var maxDataSegmentLength: Int
    /// Longest CP content (between `&&` and `&&`) accepted. The standard says 950.
    public var maxCPLength: Int
    /// Accept UTF-8 text (Chinese site information, §6.3). When false only ASCII is accepted.
    public var allowsUTF8: Bool
    /// Accept syntax slips that real devices and the standard's own examples contain: stray spaces,
    /// an unclosed CP, `Flag=5CP=` with no `;`, a CP item with no `=`.
    public var acceptsSyntaxDeviations: Bool

    public init(
        acceptedCRCs: CRCAlgorithmSet, acceptsLengthMismatch: Bool, maxDataSegmentLength: Int, maxCPLength: Int,
        allowsUTF8: Bool, acceptsSyntaxDeviations: Bool
    ) {
        self.acceptedCRCs = acceptedCRCs
        self.acceptsLengthMismatch = acceptsLengthMismatch
        self.maxDataSegmentLength = maxDataSegmentLength
        self.maxCPLength = maxCPLength
        self.allowsUTF8 = allowsUTF8
        self.acceptsSyntaxDeviations = acceptsSyntaxDeviations
    }

    /// HJ 212-2017 as written: Appendix A CRC only, exact length, 1024/950 limits, clean syntax.
    public static let strict = HJ212Policy(
        acceptedCRCs: .hj212, acceptsLengthMismatch: false,
        maxDataSegmentLength: HJ212Limits.standardMaxDataSegment, maxCPLength: HJ212Limits.standardMaxCP,
        allowsUTF8: true, acceptsSyntaxDeviations: false)

    /// Everything seen from real devices (STANDARDS §4.13): any of the three CRCs, length mismatch
    /// when the CRC holds, segments up to 9999 bytes, syntax slips. Deviations are still recorded.
    public static let tolerant = HJ212Policy(
        acceptedCRCs: .all, acceptsLengthMismatch: true,
        maxDataSegmentLength: HJ212Limits.maxDeclarableDataSegment,
        maxCPLength: HJ212Limits.maxDeclarableDataSegment,
        allowsUTF8: true, acceptsSyntaxDeviations: true)
}

/// Departures from HJ 212-2017 found in an accepted packet. Recorded, not fatal.
public struct HJ212Deviations: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// No `QN=` (HJ/T 212-2005 style header).
    public static let missingQN = HJ212Deviations(rawValue: 1 << 0)
    /// No `Flag=` (HJ/T 212-2005 style header).
    public static let missingFlag = HJ212Deviations(rawValue: 1 << 1)
    /// Header fields not in the order QN;ST;CN;PW;MN;Flag;PNUM;PNO.
    public static let fieldsOutOfOrder = HJ212Deviations(rawValue: 1 << 2)
    /// PNUM/PNO present but the Flag D bit is clear (or there is no Flag).
    public static let splitFieldsWithoutFlag = HJ212Deviations(rawValue: 1 << 3)
    /// Flag D bit set but no PNUM/PNO.
    public static let splitFlagWithoutFields = HJ212Deviations(rawValue: 1 << 4)
    /// CRC printed in lower case.
    public static let lowercaseCRC = HJ212Deviations(rawValue: 1 << 5)
    /// CRC verified only as CRC-16/MODBUS.
    public static let modbusCRC = HJ212Deviations(rawValue: 1 << 6)
    /// Declared length ≠ actual length (the CRC verified).
    public static let lengthMismatch = HJ212Deviations(rawValue: 1 << 7)
    /// Data segment longer than 1024.
    public static let oversizeDataSegment = HJ212Deviations(rawValue: 1 << 8)
    /// CP longer than 950.
    public static let oversizeCP = HJ212Deviations(rawValue: 1 << 9)
    /// CP not closed by `&&`.
    public static let cpNotClosed = HJ212Deviations(rawValue: 1 << 10)
    /// `CP=` not preceded by `;` (the standard's own `Flag=5CP=` typo).
    public static let missingSeparatorBeforeCP = HJ212Deviations(rawValue: 1 << 11)
    /// Spaces around names or values.
    public static let whitespace = HJ212Deviations(rawValue: 1 << 12)
    /// Empty CP item: a trailing `;` before `&&`, or `;;`.
    public static let emptyCPItem = HJ212Deviations(rawValue: 1 << 13)
    /// A CP item without `=` (e.g. the standard's `…`).
    public static let cpFieldWithoutEquals = HJ212Deviations(rawValue: 1 << 14)
    /// A header field the standard does not define; kept in ``HJ212Packet/extraHeaderFields``.
    public static let unknownHeaderField = HJ212Deviations(rawValue: 1 << 15)
    /// UTF-8 (non-ASCII) text in the data segment; allowed by §6.3, noted because length counting differs.
    public static let nonASCIIText = HJ212Deviations(rawValue: 1 << 16)

    /// Deviations that ``HJ212Policy/acceptsSyntaxDeviations`` governs.
    public static let syntaxSlips: HJ212Deviations = [
        .cpNotClosed, .missingSeparatorBeforeCP, .whitespace, .cpFieldWithoutEquals,
    ]

    static let names: [(HJ212Deviations, String)] = [
        (.missingQN, "missingQN"), (.missingFlag, "missingFlag"), (.fieldsOutOfOrder, "fieldsOutOfOrder"),
        (.splitFieldsWithoutFlag, "splitFieldsWithoutFlag"), (.splitFlagWithoutFields, "splitFlagWithoutFields"),
        (.lowercaseCRC, "lowercaseCRC"), (.modbusCRC, "modbusCRC"), (.lengthMismatch, "lengthMismatch"),
        (.oversizeDataSegment, "oversizeDataSegment"), (.oversizeCP, "oversizeCP"), (.cpNotClosed, "cpNotClosed"),
        (.missingSeparatorBeforeCP, "missingSeparatorBeforeCP"), (.whitespace, "whitespace"),
        (.emptyCPItem, "emptyCPItem"), (.cpFieldWithoutEquals, "cpFieldWithoutEquals"),
        (.unknownHeaderField, "unknownHeaderField"), (.nonASCIIText, "nonASCIIText"),
    ]

    public var description: String {
        "[" + HJ212Deviations.names.filter { contains($0.0) }.map(\.1).joined(separator: ", ") + "]"
    }
}
