import HJ212
import NIOCore

/// What one device connection remembers between packets: its bad-frame streak, its rate budget and the
/// split uploads it has in flight. Owned by the connection's task; never shared.
struct HJ212ConnectionState {
    let peer: String
    var consecutiveBadFrames = 0
    var rate: TokenBucket
    var splits: SplitTracker

    init(peer: String, configuration: HJ212ServiceConfiguration) {
        self.peer = peer
        rate = TokenBucket(perSecond: configuration.packetsPerSecond)
        splits = SplitTracker(
            timeout: TimeAmount(configuration.splitTimeout), maxPendingSets: configuration.maxPendingSplitSets)
    }
}

/// A token bucket: `perSecond` packets a second sustained, bursts of the same size.
struct TokenBucket {
    let perSecond: Double
    private var tokens: Double
    private var last: NIODeadline

    init(perSecond: Int, now: NIODeadline = .now()) {
        self.perSecond = Double(max(1, perSecond))
        tokens = self.perSecond
        last = now
    }

    mutating func take(now: NIODeadline = .now()) -> Bool {
        let elapsed = Double((now - last).nanoseconds) / 1e9
        last = now
        tokens = min(perSecond, tokens + elapsed * perSecond)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Split uploads (PNUM/PNO, Flag D bit; HJ 212-2017 Table 3, Appendix C.49/C.50). The standard repeats
/// `DataTime` in every part, so a part is normally stored and answered on its own. A part that lacks it
/// borrows it from a sibling already seen; failing that it is held in a ``SplitPacketReassembler`` until
/// the set is complete (siblings that carry `DataTime` are then added without it, so the set can close).
struct SplitTracker {
    struct SetKey: Hashable {
        let mn: String
        let st: SystemCode
        let cn: CommandCode
        let total: Int

        init(_ packet: HJ212Packet) {
            mn = packet.mn
            st = packet.st
            cn = packet.cn
            total = packet.split?.total ?? 1
        }

        init(_ key: SplitPacketReassembler.Key) {
            mn = key.mn
            st = key.st
            cn = key.cn
            total = key.total
        }
    }

    /// What to do with a split part.
    enum Disposition {
        /// Store and answer it now (its `DataTime` possibly borrowed from a sibling).
        case alone(HJ212Packet)
        /// Also store and answer it now; in addition `completed` parts held earlier are now complete.
        case aloneCompleting(HJ212Packet, completed: [HJ212Packet])
        /// Held until its set completes.
        case held(received: Int, total: Int)
        /// Its set is complete: these held parts (with `DataTime` filled in when known) are to be stored.
        case completed([HJ212Packet])
    }

    private var reassembler: SplitPacketReassembler
    private var dataTimes: [SetKey: (text: String, seen: NIODeadline)] = [:]
    /// PNOs held in the reassembler per set.
    private var held: [SetKey: (numbers: Set<Int>, since: NIODeadline)] = [:]
    private let timeout: TimeAmount

    init(timeout: TimeAmount, maxPendingSets: Int) {
        self.timeout = timeout
        reassembler = SplitPacketReassembler(timeout: timeout, maxPendingSets: maxPendingSets)
    }

    var pendingSets: Int { reassembler.pendingCount }

    mutating func offer(_ packet: HJ212Packet, now: NIODeadline = .now()) throws(HJ212Error) -> Disposition {
        guard let split = packet.split else { return .alone(packet) }
        let key = SetKey(packet)
        if let dataTime = packet.cp["DataTime"] {
            dataTimes[key] = (dataTime, now)
            guard held[key] != nil else { return .alone(packet) }
            // Complete the held set with a copy that has no DataTime (the reassembler groups by it).
            if case .complete(let set) = try reassembler.add(Self.removingDataTime(packet), now: now) {
                return .aloneCompleting(packet, completed: release(key, set))
            }
            return .alone(packet)
        }
        if held[key] == nil, let dataTime = dataTimes[key] {
            return .alone(Self.with(dataTime: dataTime.text, packet))
        }
        held[key, default: ([], now)].numbers.insert(split.number)
        switch try reassembler.add(packet, now: now) {
        case .complete(let set): return .completed(release(key, set))
        case .pending(let received, let total): return .held(received: received, total: total)
        case .single: return .alone(packet)
        }
    }

    /// Drops sets older than the timeout; returns the dropped ones for counting and logging.
    mutating func expire(now: NIODeadline = .now()) -> [SplitPacketReassembler.Incomplete] {
        let expired = reassembler.expire(now: now)
        for set in expired { held[SetKey(set.key)] = nil }
        dataTimes = dataTimes.filter { now - $0.value.seen < timeout }
        held = held.filter { now - $0.value.since < timeout }
        return expired
    }

    private mutating func release(_ key: SetKey, _ set: ReassembledPacket) -> [HJ212Packet] {
        let numbers = held.removeValue(forKey: key)?.numbers ?? []
        let parts = set.parts.filter { numbers.contains($0.split?.number ?? 0) }
        guard let dataTime = dataTimes[key]?.text else { return parts }
        return parts.map { Self.with(dataTime: dataTime, $0) }
    }

    static func with(dataTime: String, _ packet: HJ212Packet) -> HJ212Packet {
        var copy = packet
        copy.cp = CPData(text: packet.cp.isEmpty ? "DataTime=\(dataTime)" : "DataTime=\(dataTime);\(packet.cp.text)")
        return copy
    }

    static func removingDataTime(_ packet: HJ212Packet) -> HJ212Packet {
        var copy = packet
        let fields = packet.cp.fields.filter { $0.code != nil || $0.key != "DataTime" }
        copy.cp = CPData(text: fields.map(\.description).joined(separator: ";"))
        return copy
    }
}
