import AirQuality
import HJ212

/// The HJ 212 identity a simulated data logger sends with.
public struct SimulatedDevice: Sendable, Hashable {
    /// `MN`, the device's unique number (HJ 212-2017 Table 3).
    public var mn: String
    /// `PW`, the access password (HJ 212-2017 Table 3).
    public var password: String
    /// `ST`; 22 = ambient air quality (HJ 212-2017 Table 5, STANDARDS §4.6).
    public var systemCode: SystemCode
    /// The edition written in the Flag version bits: 2017 → `000001`, 2025 → `000010` (STANDARDS §4.4).
    public var version: ProtocolVersion

    public init(
        mn: String, password: String, systemCode: SystemCode = .ambientAir, version: ProtocolVersion = .hj212_2017
    ) {
        self.mn = mn
        self.password = password
        self.systemCode = systemCode
        self.version = version
    }
}

/// Turns readings into the upload packets a data logger would send: for `lantian simulate`, the demo's
/// replay and the ingest benchmarks.
///
/// Readings of one station, period and time share a packet (the CP's `DataTime` is per packet), with
/// - CN 2011 real-time `-Rtd`, 2051 minute, 2061 hour, 2031 day `-Avg` (HJ 212-2017 Table 9, STANDARDS §4.7);
///   each item carries `-Flag`, plus `-Cou/-Min/-Max/-ZsAvg` (`-ZsRtd` for real-time) when the reading
///   has them, in the order of Appendix C.17 (`Cou, Min, Avg, Max, Flag`);
/// - `DataTime` = the reading time in China time, N14 (§6.3.3; the period start for 2051/2061/2031);
/// - `QN` = the send time in China time to the millisecond, `YYYYMMDDhhmmsszzz` (Table 3). QNs of one
///   simulator are strictly increasing: a packet sent in the same millisecond as the last takes the next one;
/// - Flag with the A bit set (§6.3.2 Table 3, STANDARDS §4.4): Flag=5 for 2017 and 9 for 2025, so the
///   platform answers each packet with 9014 (§6.5.2).
///
/// A group whose items do not fit the CP limit (950 characters including `CP=&&…&&`, Table 2) or the
/// 1024-character data segment (Table 2) is sent as several packets, each complete with its `DataTime`,
/// rather than as a PNUM/PNO split: each packet stands alone and is acknowledged on its own.
public struct HJ212Simulator: Sendable {
    public var device: SimulatedDevice
    /// Appendix A by default; a Modbus CRC imitates the devices seen in STANDARDS §4.11.
    public var crcAlgorithm: CRCAlgorithm
    /// Sets the Flag A bit (answer wanted). On by default.
    public var needsAnswer: Bool
    /// Longest `CP=&&…&&` field written; HJ 212-2017 Table 2 allows 950.
    public var maxCPLength: Int
    private var lastQNMilliseconds: Int64?

    public init(
        device: SimulatedDevice, crcAlgorithm: CRCAlgorithm = .hj212, needsAnswer: Bool = true,
        maxCPLength: Int = HJ212Limits.standardMaxCP
    ) {
        self.device = device
        self.crcAlgorithm = crcAlgorithm
        self.needsAnswer = needsAnswer
        self.maxCPLength = maxCPLength
    }

    /// The command an upload of `period` data uses (HJ 212-2017 Table 9).
    public static func commandCode(for period: ReadingPeriod) -> CommandCode {
        switch period {
        case .realtime: .realTimeData  // 2011
        case .minute: .minuteData  // 2051
        case .hour: .hourData  // 2061
        case .day: .dayData  // 2031
        }
    }

    /// Encoded frames (`##LLLL…CRC\r\n`), one or more per (station, period, time) group, groups in order
    /// of first appearance. Throws when a value is not finite or a single item cannot fit a packet.
    public mutating func frames(for readings: [Reading], sentAt milliseconds: Int64) throws(HJ212Error) -> [[UInt8]] {
        let encoder = HJ212Encoder(crcAlgorithm: crcAlgorithm)
        var frames: [[UInt8]] = []
        for packet in try packets(for: readings, sentAt: milliseconds) {
            frames.append(try encoder.encode(packet))
        }
        return frames
    }

    /// The packets behind ``frames(for:sentAt:)``.
    public mutating func packets(for readings: [Reading], sentAt milliseconds: Int64) throws(HJ212Error)
        -> [HJ212Packet]
    {
        var order: [ReadingKey] = []
        var groups: [ReadingKey: [Reading]] = [:]
        for reading in readings {
            let key = ReadingKey(stationCode: reading.stationCode, code: "", period: reading.period, time: reading.time)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(reading)
        }
        var result: [HJ212Packet] = []
        for key in order {
            result += try groupPackets(groups[key] ?? [], period: key.period, time: key.time, sentAt: milliseconds)
        }
        return result
    }

    private mutating func groupPackets(_ group: [Reading], period: ReadingPeriod, time: Int64, sentAt: Int64)
        throws(HJ212Error) -> [HJ212Packet]
    {
        let dataTime = [CPField(key: "DataTime", value: try Self.n14(time).text)]
        var items: [[CPField]] = []
        var seen: Set<String> = []
        for reading in group where seen.insert(reading.code).inserted {  // one item per code: the first wins
            items.append(try Self.fields(of: reading))
        }
        let flag = PacketFlag(version: device.version, needsAnswer: needsAnswer)
        func packet(_ cp: CPData) -> HJ212Packet {
            HJ212Packet(
                qn: nil, st: device.systemCode, cn: Self.commandCode(for: period), pw: device.password, mn: device.mn,
                flag: flag, cp: cp)
        }
        // `CP=&&` + `&&` around the content; QN= adds 17 digits + `QN=;`.
        let cpOverhead = 7
        let header = try HJ212Encoder().dataSegment(of: packet(.empty)).count - cpOverhead + 21
        let limit = min(maxCPLength, HJ212Limits.standardMaxDataSegment - header) - cpOverhead
        var chunks: [[[CPField]]] = []
        var current = [dataTime]
        var length = Self.length(of: dataTime)
        for item in items {
            let itemLength = Self.length(of: item)
            if length + 1 + itemLength <= limit {
                current.append(item)
                length += 1 + itemLength
                continue
            }
            guard current.count > 1, Self.length(of: dataTime) + 1 + itemLength <= limit else {
                throw HJ212Error.oversize(part: "CP \(item.first?.code ?? "")", length: itemLength, limit: limit)
            }
            chunks.append(current)
            current = [dataTime, item]
            length = Self.length(of: dataTime) + 1 + itemLength
        }
        chunks.append(current)
        var packets: [HJ212Packet] = []
        for chunk in chunks {
            var next = packet(try CPData(groups: chunk))
            next.qn = try nextQN(sentAt: sentAt)
            packets.append(next)
        }
        return packets
    }

    /// `YYYYMMDDhhmmsszzz` in China time, strictly after the previous QN of this simulator.
    private mutating func nextQN(sentAt: Int64) throws(HJ212Error) -> String {
        let milliseconds = max(sentAt, (lastQNMilliseconds ?? Int64.min) + 1)
        lastQNMilliseconds = milliseconds
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let china = ChinaDateTime(secondsSinceEpoch: seconds)
        return try HJ212Timestamp(
            year: china.year, month: china.month, day: china.day, hour: china.hour, minute: china.minute,
            second: china.second, millisecond: Int(milliseconds - seconds * 1000)
        ).text
    }

    /// The N14 wall-clock time of an instant in China (devices in China send UTC+8, STANDARDS §4.5).
    static func n14(_ seconds: Int64) throws(HJ212Error) -> HJ212Timestamp {
        let china = ChinaDateTime(secondsSinceEpoch: seconds)
        return try HJ212Timestamp(
            year: china.year, month: china.month, day: china.day, hour: china.hour, minute: china.minute,
            second: china.second)
    }

    /// The item of one reading, in Appendix C.17 order (Cou, Min, Avg, Max, Flag).
    static func fields(of reading: Reading) throws(HJ212Error) -> [CPField] {
        let realtime = reading.period == .realtime
        let parts: [(String, Double?)] =
            realtime
            ? [("Rtd", reading.value), ("ZsRtd", reading.converted)]
            : [
                ("Cou", reading.cumulative), ("Min", reading.minimum), ("Avg", reading.value),
                ("Max", reading.maximum), ("ZsAvg", reading.converted),
            ]
        var fields: [CPField] = []
        for (key, value) in parts {
            guard let value else { continue }
            guard let text = HJ212Number.format(value) else {
                throw HJ212Error.malformedField(
                    name: "\(reading.code)-\(key)", value: String(value), reason: "数值无效 / not a finite number")
            }
            fields.append(CPField(code: reading.code, key: key, value: text))
        }
        fields.append(CPField(code: reading.code, key: "Flag", value: reading.flag))
        return fields
    }

    /// Characters of the fields joined with `,` (UTF-8 bytes: the length HJ 212 counts, STANDARDS §4.2).
    static func length(of fields: [CPField]) -> Int {
        fields.reduce(fields.count - 1) { $0 + $1.name.utf8.count + 1 + $1.value.utf8.count }
    }
}
