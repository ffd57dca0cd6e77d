/// Why a value or row was not stored. Every rejection is answered, counted (`/metrics`, labelled by
/// ``kind``) and logged; nothing accepted alongside it is lost.
public enum RejectionReason: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownStation(String)
    case stationRetired(String)
    case unknownCode(String)
    case notANumber(String)
    case negative(code: String, value: Double)
    case implausible(code: String, value: Double, range: ClosedRange<Double>)
    /// More than the allowed skew ahead of the server clock (1 hour).
    case inFuture(time: Int64, now: Int64)
    case badTime(String)
    case unitMismatch(code: String, unit: String)
    case missingField(String)
    case malformed(String)

    /// A stable label for metrics and summaries.
    public var kind: String {
        switch self {
        case .unknownStation: "unknown_station"
        case .stationRetired: "station_retired"
        case .unknownCode: "unknown_code"
        case .notANumber: "not_a_number"
        case .negative: "negative"
        case .implausible: "implausible"
        case .inFuture: "in_future"
        case .badTime: "bad_time"
        case .unitMismatch: "unit_mismatch"
        case .missingField: "missing_field"
        case .malformed: "malformed"
        }
    }

    /// Chinese first, then English.
    public var description: String {
        switch self {
        case .unknownStation(let code): "站点 \(code) 未登记 / unknown station \(code)"
        case .stationRetired(let code): "站点 \(code) 已停用 / station \(code) is retired"
        case .unknownCode(let code): "未知监测因子编码 \(code) / unknown pollutant code \(code)"
        case .notANumber(let text): "数值无法识别：\(text) / not a number: \(text)"
        case .negative(let code, let value): "\(code) 数值为负：\(value) / negative value \(value) for \(code)"
        case .implausible(let code, let value, let range):
            "\(code) 数值 \(value) 超出仪器可能范围 \(range.lowerBound)…\(range.upperBound) / implausible value \(value) for \(code)"
        case .inFuture(let time, let now):
            "数据时间超前服务器时钟 \((time - now) / 60) 分钟 / time is \((time - now) / 60) min in the future"
        case .badTime(let text): "时间无法识别：\(text) / bad time: \(text)"
        case .unitMismatch(let code, let unit):
            "\(code) 的单位 \(unit) 无法换算 / unit \(unit) cannot be converted for \(code)"
        case .missingField(let name): "缺少字段 \(name) / missing field \(name)"
        case .malformed(let text): "格式错误：\(text) / malformed: \(text)"
        }
    }
}

/// A reading (or input row) that was not stored, with where it came from.
public struct Rejection: Sendable, Hashable {
    /// Row number in a file or index in a batch (1-based for files, 0-based for JSON batches).
    public var position: Int?
    public var stationCode: String?
    public var code: String?
    public var reason: RejectionReason

    public init(position: Int? = nil, stationCode: String? = nil, code: String? = nil, reason: RejectionReason) {
        self.position = position
        self.stationCode = stationCode
        self.code = code
        self.reason = reason
    }
}
