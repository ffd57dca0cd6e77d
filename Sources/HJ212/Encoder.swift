import NIOCore

/// Writes packets: `##` + 4-digit length + data segment + CRC + CR LF. Header fields go in the
/// standard order (QN;ST;CN;PW;MN;Flag;PNUM;PNO;CP); the CP text is written exactly as held.
public struct HJ212Encoder: Sendable {
    /// The CRC to print; `.hj212` (Appendix A) unless a station's devices only understand Modbus.
    public var crcAlgorithm: CRCAlgorithm
    /// Longest data segment written; the standard's 1024 by default (split longer data).
    public var maxDataSegmentLength: Int

    public init(
        crcAlgorithm: CRCAlgorithm = .hj212, maxDataSegmentLength: Int = HJ212Limits.standardMaxDataSegment
    ) {
        self.crcAlgorithm = crcAlgorithm
        self.maxDataSegmentLength = min(maxDataSegmentLength, HJ212Limits.maxDeclarableDataSegment)
    }

    /// The data segment's bytes (no `##`, length or CRC).
    public func dataSegment(of packet: HJ212Packet) throws(HJ212Error) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(96 + packet.cp.bytes.count)
        func field(_ name: String, _ value: String) throws(HJ212Error) {
            try Self.checkHeaderValue(name, value)
            segment.append(contentsOf: name.utf8)
            segment.append(UInt8(ascii: "="))
            segment.append(contentsOf: value.utf8)
            segment.append(UInt8(ascii: ";"))
        }
        if let qn = packet.qn { try field("QN", qn) }
        try field("ST", packet.st.rawValue)
        try field("CN", packet.cn.rawValue)
        try field("PW", packet.pw)
        try field("MN", packet.mn)
        if let flag = packet.flag { try field("Flag", String(flag.rawValue)) }
        if let split = packet.split {
            try field("PNUM", Self.padded(split.total))
            try field("PNO", Self.padded(split.number))
        }
        for extra in packet.extraHeaderFields {
            guard !extra.name.isEmpty, !extra.name.utf8.contains(where: { $0 == 0x3D }) else {
                throw HJ212Error.malformedField(name: extra.name, value: extra.value, reason: "无效字段名 / invalid name")
            }
            try field(extra.name, extra.value)
        }
        segment.append(contentsOf: "CP=&&".utf8)
        segment.append(contentsOf: packet.cp.bytes)
        segment.append(contentsOf: "&&".utf8)
        return segment
    }

    /// The whole frame, CR LF included.
    public func encode(_ packet: HJ212Packet) throws(HJ212Error) -> [UInt8] {
        try frame(dataSegment: dataSegment(of: packet))
    }

    /// The whole frame as text, CR LF included.
    public func encodeString(_ packet: HJ212Packet) throws(HJ212Error) -> String {
        String(decoding: try encode(packet), as: UTF8.self)
    }

    /// Appends the whole frame to `buffer`.
    public func encode(_ packet: HJ212Packet, into buffer: inout ByteBuffer) throws(HJ212Error) {
        buffer.writeBytes(try encode(packet))
    }

    /// Frames a ready-made data segment (length and CRC computed here).
    public func frame(dataSegment segment: [UInt8]) throws(HJ212Error) -> [UInt8] {
        guard segment.count <= maxDataSegmentLength else {
            throw HJ212Error.oversize(part: "数据段 data segment", length: segment.count, limit: maxDataSegmentLength)
        }
        var frame: [UInt8] = []
        frame.reserveCapacity(segment.count + 12)
        frame.append(contentsOf: "##".utf8)
        frame.append(contentsOf: Self.padded(segment.count).utf8)
        frame.append(contentsOf: segment)
        frame.append(contentsOf: HJ212CRC.hexBytes(crcAlgorithm.printedValue(of: segment)))
        frame.append(contentsOf: [0x0D, 0x0A])
        return frame
    }

    static func padded(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func checkHeaderValue(_ name: String, _ value: String) throws(HJ212Error) {
        let bytes = Array(value.utf8)
        let reserved = bytes.contains { $0 == 0x3B || $0 == 0x0D || $0 == 0x0A || $0 == 0x26 }
        let hasCP =
            bytes.count >= 3
            && zip(bytes, zip(bytes.dropFirst(), bytes.dropFirst(2))).contains {
                $0 == 0x43 && $1.0 == 0x50 && $1.1 == 0x3D
            }
        if reserved || hasCP {
            throw HJ212Error.malformedField(
                name: name, value: value, reason: "值含 ; & CP= 或换行 / value contains ; & CP= or a line break")
        }
    }
}
