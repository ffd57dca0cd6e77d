import HJ212

/// The readings an HJ 212 data upload carries, and the items that could not become readings.
public struct HJ212ReadingBatch: Sendable, Hashable {
    public var readings: [Reading]
    /// Items refused while reading the packet (unknown code, unparsable number, bad sample time), or one
    /// rejection for the whole packet when its `DataTime` is missing or malformed.
    public var rejections: [Rejection]

    public init(readings: [Reading] = [], rejections: [Rejection] = []) {
        self.readings = readings
        self.rejections = rejections
    }

    /// True when the packet as a whole was refused (no usable `DataTime`).
    public var rejectsWholePacket: Bool { readings.isEmpty && rejections.count == 1 && rejections[0].code == nil }
}

/// HJ 212 data uploads → ``Reading``s. Pure: no clock, no station lookup; validation (future times,
/// plausibility, units) is ``ReadingValidator``'s job afterwards.
public enum HJ212Readings {
    /// The period of the uploads that carry pollutant values (HJ 212-2017 Table 9): 2011 real-time,
    /// 2051 minute, 2061 hour, 2031 day. Nil for every other command (2021 facility state, 2041 facility
    /// run time, 2081 restart time…), which carry no readings.
    public static func period(of command: CommandCode) -> ReadingPeriod? {
        switch command {
        case .realTimeData: return .realtime
        case .minuteData: return .minute
        case .hourData: return .hour
        case .dayData: return .day
        default: return nil
        }
    }

    /// Whether `command` is an upload that carries readings.
    public static func carriesReadings(_ command: CommandCode) -> Bool { period(of: command) != nil }

    /// The readings of `packet` for the station `stationCode`.
    ///
    /// - `DataTime` is read as China Standard Time (UTC+8, STANDARDS §4.5): the period start for 2051/2061/2031,
    ///   the acquisition instant for 2011, where an item's own `xxxxxx-SampleTime` (Table 4) wins when present.
    /// - Values: `-Rtd`/`-ZsRtd` for 2011; `-Avg`, `-Min`, `-Max`, `-Cou`, `-ZsAvg` for the others (Table 4).
    /// - `-Flag` (Table 8) is kept as sent, `N` when absent.
    /// - Codes outside ``PollutantCatalog`` (vendor codes such as `lng`, `pms_rules`) and values that are not
    ///   numbers become rejections naming the code; the other items are kept.
    public static func readings(
        from packet: HJ212Packet, stationCode: String, utcOffsetSeconds: Int = HJ212Timestamp.chinaUTCOffsetSeconds
    ) -> HJ212ReadingBatch {
        guard let period = period(of: packet.cn) else { return HJ212ReadingBatch() }
        let dataTime: HJ212Timestamp
        do {
            guard let time = try packet.cp.dataTime else {
                return wholePacketRejected(stationCode, .missingField("DataTime"))
            }
            dataTime = time
        } catch {
            return wholePacketRejected(stationCode, .badTime("DataTime=\(packet.cp["DataTime"] ?? ""): \(error)"))
        }
        var batch = HJ212ReadingBatch()
        for item in packet.cp.readings {
            switch reading(item, period: period, dataTime: dataTime, utcOffsetSeconds: utcOffsetSeconds) {
            case .success(let values):
                batch.readings.append(
                    Reading(
                        stationCode: stationCode, code: item.code, period: period, time: values.time,
                        value: values.value, minimum: values.minimum, maximum: values.maximum,
                        cumulative: values.cumulative, converted: values.converted, flag: values.flag,
                        source: .hj212))
            case .failure(let reason):
                batch.rejections.append(Rejection(stationCode: stationCode, code: item.code, reason: reason))
            }
        }
        return batch
    }

    private struct Values {
        var time: Int64
        var value: Double?
        var minimum: Double?
        var maximum: Double?
        var cumulative: Double?
        var converted: Double?
        var flag: String
    }

    private static func reading(
        _ item: PollutantReading, period: ReadingPeriod, dataTime: HJ212Timestamp, utcOffsetSeconds: Int
    ) -> Result<Values, RejectionReason> {
        guard PollutantCatalog.info(item.code) != nil else { return .failure(.unknownCode(item.code)) }
        var time = dataTime
        if period == .realtime {
            switch item.sampleTimeResult {
            case .success(let sampleTime?): time = sampleTime
            case .success(nil): break
            case .failure(let error):
                return .failure(.badTime("\(item.code)-SampleTime=\(item.value("SampleTime") ?? ""): \(error)"))
            }
        }
        func number(_ key: String) -> Result<Double?, RejectionReason> {
            guard let text = item.value(key) else { return .success(nil) }
            guard let value = Double(text) else { return .failure(.notANumber("\(item.code)-\(key)=\(text)")) }
            return .success(value)
        }
        let keys = period == .realtime ? ["Rtd", "ZsRtd"] : ["Avg", "Min", "Max", "Cou", "ZsAvg"]
        var numbers: [String: Double] = [:]
        for key in keys {
            switch number(key) {
            case .success(let value?): numbers[key] = value
            case .success(nil): continue
            case .failure(let reason): return .failure(reason)
            }
        }
        let flag = item.value("Flag").flatMap { $0.isEmpty ? nil : $0 }
        guard !numbers.isEmpty || flag != nil else {
            return .failure(.missingField("\(item.code)-\(keys[0])"))
        }
        let seconds = time.secondsSince1970(utcOffsetSeconds: utcOffsetSeconds)
        return .success(
            Values(
                time: Int64(seconds.rounded(.down)),
                value: numbers[period == .realtime ? "Rtd" : "Avg"],
                minimum: numbers["Min"], maximum: numbers["Max"], cumulative: numbers["Cou"],
                converted: numbers[period == .realtime ? "ZsRtd" : "ZsAvg"],
                flag: flag ?? "N"))
    }

    private static func wholePacketRejected(_ stationCode: String, _ reason: RejectionReason) -> HJ212ReadingBatch {
        HJ212ReadingBatch(rejections: [Rejection(stationCode: stationCode, reason: reason)])
    }
}
