import NIOCore

/// A split upload put back together (HJ 212-2017 Appendix C.49/C.50).
public struct ReassembledPacket: Sendable, Hashable {
    /// The parts in PNO order. Each kept its own QN (the standard gives every part a new QN).
    public let parts: [HJ212Packet]
    /// One packet with the first part's header (PNUM/PNO removed, Flag D bit cleared) and the CP items
    /// of all parts joined with `;`; a plain item repeated with the same value (`DataTime`) is kept once.
    public let merged: HJ212Packet
}

/// The outcome of offering a packet to the reassembler.
public enum ReassemblyResult: Sendable, Hashable {
    /// Not a split packet: use it as is.
    case single(HJ212Packet)
    /// A part was stored; `received` of `total` parts are in.
    case pending(received: Int, total: Int)
    /// The last missing part arrived.
    case complete(ReassembledPacket)
}

/// Collects the parts of split packets (PNUM/PNO) per device and command until all are in.
///
/// Parts are grouped by MN, ST, CN, PNUM and `DataTime` (which the standard repeats in every part,
/// while QN changes). A part seen again replaces the earlier copy (retransmission). Incomplete sets
/// expire after `timeout`; the caller passes the clock (`now`), so tests never wait.
public struct SplitPacketReassembler: Sendable {
    public struct Key: Sendable, Hashable {
        public let mn: String
        public let st: SystemCode
        public let cn: CommandCode
        public let total: Int
        public let dataTime: String?
    }

    /// An incomplete set dropped by ``expire(now:)`` or by the pending limit.
    public struct Incomplete: Sendable, Hashable {
        public let key: Key
        public let received: [Int]
    }

    public let timeout: TimeAmount
    /// Most incomplete sets held at once; the oldest is dropped beyond it.
    public let maxPendingSets: Int
    /// Largest PNUM accepted (a guard against a device claiming 9999 parts).
    public let maxParts: Int

    private struct Pending: Sendable {
        var parts: [Int: HJ212Packet]
        var firstSeen: NIODeadline
    }

    private var pending: [Key: Pending] = [:]

    public init(timeout: TimeAmount = .seconds(300), maxPendingSets: Int = 256, maxParts: Int = 999) {
        self.timeout = timeout
        self.maxPendingSets = max(1, maxPendingSets)
        self.maxParts = max(1, maxParts)
    }

    /// How many incomplete sets are held.
    public var pendingCount: Int { pending.count }

    /// Offers a packet. Throws when PNUM exceeds ``maxParts``.
    public mutating func add(_ packet: HJ212Packet, now: NIODeadline) throws(HJ212Error) -> ReassemblyResult {
        guard let split = packet.split else { return .single(packet) }
        guard split.total <= maxParts else {
            throw HJ212Error.oversize(part: "PNUM", length: split.total, limit: maxParts)
        }
        if split.total == 1 { return .complete(Self.merge([packet])) }
        let key = Key(mn: packet.mn, st: packet.st, cn: packet.cn, total: split.total, dataTime: packet.cp["DataTime"])
        var entry = pending[key] ?? Pending(parts: [:], firstSeen: now)
        entry.parts[split.number] = packet
        if entry.parts.count == split.total {
            pending[key] = nil
            let ordered = (1...split.total).compactMap { entry.parts[$0] }
            return .complete(Self.merge(ordered))
        }
        pending[key] = entry
        evictOverflow()
        return .pending(received: entry.parts.count, total: split.total)
    }

    /// Drops sets older than ``timeout`` and returns them, for logging.
    public mutating func expire(now: NIODeadline) -> [Incomplete] {
        let expired = pending.filter { now - $0.value.firstSeen >= timeout }
        for key in expired.keys { pending[key] = nil }
        return expired.map { Incomplete(key: $0.key, received: $0.value.parts.keys.sorted()) }
            .sorted { $0.key.mn < $1.key.mn }
    }

    private mutating func evictOverflow() {
        while pending.count > maxPendingSets,
            let oldest = pending.min(by: { $0.value.firstSeen < $1.value.firstSeen })?.key
        {
            pending[oldest] = nil
        }
    }

    static func merge(_ parts: [HJ212Packet]) -> ReassembledPacket {
        var first = parts[0]
        var text: [UInt8] = first.cp.bytes
        var seenPlain: Set<CPField> = Set(first.cp.plainFields)
        for part in parts.dropFirst() {
            for field in part.cp.fields {
                if field.code == nil && seenPlain.contains(field) { continue }
                if field.code == nil { seenPlain.insert(field) }
                if !text.isEmpty { text.append(UInt8(ascii: ";")) }
                text.append(contentsOf: field.name.utf8)
                text.append(UInt8(ascii: "="))
                text.append(contentsOf: field.value.utf8)
            }
        }
        first.cp = CPData.parse(text).data
        first.split = nil
        if let flag = first.flag {
            first.flag = PacketFlag(rawValue: flag.rawValue & ~0b10)
        }
        return ReassembledPacket(parts: parts, merged: first)
    }
}
