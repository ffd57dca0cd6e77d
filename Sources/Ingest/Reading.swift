/// How long a reading's value covers. HJ 212-2017 §6.3.3 DataTime rule (STANDARDS §4.5 [T]): for minute
/// (2051), hour (2061) and day (2031) data the time is the **start** of the period; for real-time data
/// (2011) it is the acquisition instant.
public enum ReadingPeriod: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case realtime
    case minute
    case hour
    case day

    /// Length of the period in seconds (nil for an instant).
    public var seconds: Int64? {
        switch self {
        case .realtime: nil
        case .minute: 60
        case .hour: 3600
        case .day: 86_400
        }
    }

    public var displayName: String {
        switch self {
        case .realtime: "实时"
        case .minute: "分钟"
        case .hour: "小时"
        case .day: "日"
        }
    }

    public static func < (lhs: ReadingPeriod, rhs: ReadingPeriod) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where a reading came from. Stored with the raw row so every number can be traced to its channel.
public enum ReadingSource: String, CaseIterable, Sendable, Hashable, Codable {
    /// A device over HJ 212 TCP.
    case hj212
    /// `POST /api/v1/readings`.
    case http
    /// `lantian import beijing` (UCI Beijing multi-site files).
    case beijing
    /// `lantian import cnemc` (CNEMC real-time release).
    case cnemc
    /// `lantian import readings` (the generic CSV format).
    case csv
    /// The demo's replay of the Beijing series onto today's clock.
    case demo
}

/// One raw value as received: immutable once stored. Values are in the code's canonical unit
/// (see ``PollutantCatalog``); the HJ 212 data flag is kept as sent (`N` normal).
public struct Reading: Sendable, Hashable {
    public var stationCode: String
    /// HJ 212 pollutant code, e.g. `a34004` (PM2.5).
    public var code: String
    public var period: ReadingPeriod
    /// Seconds since 1970-01-01T00:00:00Z: the period start, or the instant for real-time data.
    public var time: Int64
    /// `Rtd` for real-time data, `Avg` for minute/hour/day data. Nil when only a flag or a cumulative came.
    public var value: Double?
    public var minimum: Double?
    public var maximum: Double?
    /// `Cou`: the cumulative value over the period (emitted mass, flow volume).
    public var cumulative: Double?
    /// `ZsRtd`/`ZsAvg`: the value converted to reference conditions (折算), for source monitors.
    public var converted: Double?
    /// The HJ 212 data flag (Table 8): N, F, M, S, D, C, T, B — or whatever the device sent.
    public var flag: String
    public var source: ReadingSource

    public init(
        stationCode: String, code: String, period: ReadingPeriod, time: Int64, value: Double?,
        minimum: Double? = nil, maximum: Double? = nil, cumulative: Double? = nil, converted: Double? = nil,
        flag: String = "N", source: ReadingSource
    ) {
        self.stationCode = stationCode
        self.code = code
        self.period = period
        self.time = time
        self.value = value
        self.minimum = minimum
        self.maximum = maximum
        self.cumulative = cumulative
        self.converted = converted
        self.flag = flag
        self.source = source
    }

    /// The identity that makes ingest idempotent: one row per (station, code, period, time).
    public var key: ReadingKey { ReadingKey(stationCode: stationCode, code: code, period: period, time: time) }

    /// Only values flagged `N` (instrument normal) enter averages (HJ 212-2017 Table 8, STANDARDS §4.9 [T];
    /// GB 3095-2012 §7: data from abnormal instrument states are not valid).
    public var entersAverages: Bool { flag == "N" && value != nil }
}

/// (station, code, period, time): a re-sent reading with the same key is a duplicate, never a second row.
public struct ReadingKey: Sendable, Hashable, Comparable {
    public var stationCode: String
    public var code: String
    public var period: ReadingPeriod
    public var time: Int64

    public init(stationCode: String, code: String, period: ReadingPeriod, time: Int64) {
        self.stationCode = stationCode
        self.code = code
        self.period = period
        self.time = time
    }

    public static func < (lhs: ReadingKey, rhs: ReadingKey) -> Bool {
        (lhs.stationCode, lhs.code, lhs.time, lhs.period) < (rhs.stationCode, rhs.code, rhs.time, rhs.period)
    }
}

/// Chinese names of the HJ 212-2017 Table 8 data flags (STANDARDS §4.9 [T]).
public enum DataFlagNames {
    public static func name(_ flag: String) -> String {
        switch flag {
        case "N": "正常"
        case "F": "停运"
        case "M": "维护"
        case "S": "手工输入"
        case "D": "故障"
        case "C": "校准"
        case "T": "超测量上限"
        case "B": "通讯异常"
        default: "其他（\(flag)）"
        }
    }
}

/// Hour and day boundaries. China is UTC+8 all year (no daylight saving), so hour boundaries in UTC and
/// China time coincide and a China day starts at 16:00 UTC.
public enum ChinaClock {
    public static let offsetSeconds: Int64 = 8 * 3600

    /// Start of the hour containing `time` (epoch seconds).
    @inlinable public static func hourStart(_ time: Int64) -> Int64 {
        time - ((time % 3600) + 3600) % 3600
    }

    /// 00:00 China time of the day containing `time` (epoch seconds).
    @inlinable public static func dayStart(_ time: Int64) -> Int64 {
        let local = time + offsetSeconds
        return local - ((local % 86_400) + 86_400) % 86_400 - offsetSeconds
    }
}
