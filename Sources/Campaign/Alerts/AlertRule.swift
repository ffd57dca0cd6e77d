/// An alert rule: what to look for, where it applies and how serious it is. Rules are data — stored,
/// edited by HQ, and evaluated by ``AlertEngine`` as readings are committed.
public struct AlertRule: Sendable, Hashable, Codable, Identifiable {
    /// Stable identifier, e.g. `pm25-hour-115`.
    public var id: String
    /// What users read, Chinese first.
    public var name: String
    public var condition: AlertCondition
    public var scope: AlertScope
    public var severity: AlertSeverity
    public var enabled: Bool

    public init(
        id: String, name: String, condition: AlertCondition, scope: AlertScope = AlertScope(),
        severity: AlertSeverity = .warning, enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.condition = condition
        self.scope = scope
        self.severity = severity
        self.enabled = enabled
    }
}

/// The averaging period of the values a rule looks at (the period of the committed reading).
public enum ObservationPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    case realtime
    case minute
    case hour
    case day

    /// How long a value of this period speaks for, from its time (HJ 212 labels minute, hour and day values
    /// with the period's start): an hourly value labelled 08:00 shows the station was alive until 09:00.
    public var seconds: Int64 {
        switch self {
        case .realtime: 0
        case .minute: 60
        case .hour: 3_600
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
}

/// What a rule looks for. Values are in the pollutant's canonical unit (µg/m³; CO and emission
/// concentrations in mg/m³), as readings are stored.
public enum AlertCondition: Sendable, Hashable, Codable {
    /// 高值: a value of `code` over `period` above `limit`; above `zoneLimit` instead when the station
    /// stands inside a control-station zone (国控点/省控点周边管控区 are held to tighter limits).
    case threshold(code: String, period: ObservationPeriod, limit: Double, zoneLimit: Double?)
    /// 炮点高值: an hourly value above `factor` × the median of the other stations within
    /// `radiusMetres` in the same hour, given at least `minNeighbours` of them and a value of at least
    /// `minimumValue` (a clean-air hour of 12 against 5 is not a high value).
    case relativeHigh(code: String, factor: Double, radiusMetres: Double, minNeighbours: Int, minimumValue: Double)
    /// 突升: an hourly value at least `rise` above the previous hour's and at least `minimumValue`.
    case suddenRise(code: String, rise: Double, minimumValue: Double)
    /// 区域排名靠后: among the `count` highest hourly values of its region (the station's own region),
    /// judged once at least `minCoverage` (0…1) of the region's stations of the same kind reported.
    case regionWorst(code: String, count: Int, minCoverage: Double)
    /// 离线: no reading at all for `minutes`.
    case offline(minutes: Int)
    /// 恒值: the same non-zero hourly value for `hours` consecutive hours.
    case flatLine(code: String, hours: Int)
    /// 零值: hourly values of exactly zero for `hours` consecutive hours.
    case stuckAtZero(code: String, hours: Int)
    /// 疑似干扰: an official (national or provincial) station's hourly value below `ratio` × the median
    /// of the micro stations within `radiusMetres`, for `hours` consecutive hours — the pattern of a
    /// sampler that is sprayed, covered or moved.
    case interference(code: String, ratio: Double, radiusMetres: Double, hours: Int, minNeighbours: Int)
    /// 超标排放: a source monitor's value over `period` above its emission limit.
    case emissionLimit(code: String, period: ObservationPeriod, limit: Double)

    /// The kind as stored and filtered on.
    public var kind: AlertConditionKind {
        switch self {
        case .threshold: .threshold
        case .relativeHigh: .relativeHigh
        case .suddenRise: .suddenRise
        case .regionWorst: .regionWorst
        case .offline: .offline
        case .flatLine: .flatLine
        case .stuckAtZero: .stuckAtZero
        case .interference: .interference
        case .emissionLimit: .emissionLimit
        }
    }

    /// The pollutant code the rule looks at (nil for offline, which looks at any data).
    public var code: String? {
        switch self {
        case .threshold(let code, _, _, _), .relativeHigh(let code, _, _, _, _), .suddenRise(let code, _, _),
            .regionWorst(let code, _, _), .flatLine(let code, _), .stuckAtZero(let code, _),
            .interference(let code, _, _, _, _), .emissionLimit(let code, _, _):
            code
        case .offline: nil
        }
    }

    /// Every problem with the parameters, Chinese first; empty when the condition can be evaluated.
    public var problems: [String] {
        var problems: [String] = []
        func positive(_ value: Double, _ name: String) {
            if !(value.isFinite && value > 0) { problems.append("\(name) 必须为正数 / \(name) must be positive") }
        }
        func atLeast(_ value: Int, _ minimum: Int, _ name: String) {
            if value < minimum { problems.append("\(name) 至少为 \(minimum) / \(name) must be at least \(minimum)") }
        }
        if let code, code.isEmpty || code.count > 16 {
            problems.append("code 必须为 1–16 个字符的监测因子编码 / code must be a pollutant code of 1–16 characters")
        }
        switch self {
        case .threshold(_, _, let limit, let zoneLimit):
            positive(limit, "limit")
            if let zoneLimit {
                positive(zoneLimit, "zoneLimit")
                if zoneLimit > limit {
                    problems.append("zoneLimit 不能高于 limit / zoneLimit must not be above limit")
                }
            }
        case .relativeHigh(_, let factor, let radius, let neighbours, let minimum):
            if !(factor.isFinite && factor > 1) { problems.append("factor 必须大于 1 / factor must be above 1") }
            positive(radius, "radiusMetres")
            atLeast(neighbours, 1, "minNeighbours")
            if !(minimum.isFinite && minimum >= 0) {
                problems.append("minimumValue 不能为负 / minimumValue must not be negative")
            }
        case .suddenRise(_, let rise, let minimum):
            positive(rise, "rise")
            if !(minimum.isFinite && minimum >= 0) {
                problems.append("minimumValue 不能为负 / minimumValue must not be negative")
            }
        case .regionWorst(_, let count, let coverage):
            atLeast(count, 1, "count")
            if !(coverage.isFinite && coverage > 0 && coverage <= 1) {
                problems.append("minCoverage 必须在 (0, 1] 内 / minCoverage must be in (0, 1]")
            }
        case .offline(let minutes):
            atLeast(minutes, 1, "minutes")
        case .flatLine(_, let hours), .stuckAtZero(_, let hours):
            atLeast(hours, 2, "hours")
        case .interference(_, let ratio, let radius, let hours, let neighbours):
            if !(ratio.isFinite && ratio > 0 && ratio < 1) {
                problems.append("ratio 必须在 (0, 1) 内 / ratio must be in (0, 1)")
            }
            positive(radius, "radiusMetres")
            atLeast(hours, 1, "hours")
            atLeast(neighbours, 1, "minNeighbours")
        case .emissionLimit(_, _, let limit):
            positive(limit, "limit")
        }
        return problems
    }
}

public enum AlertConditionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case threshold
    case relativeHigh = "relative_high"
    case suddenRise = "sudden_rise"
    case regionWorst = "region_worst"
    case offline
    case flatLine = "flat_line"
    case stuckAtZero = "stuck_at_zero"
    case interference
    case emissionLimit = "emission_limit"

    public var displayName: String {
        switch self {
        case .threshold: "高值"
        case .relativeHigh: "炮点高值"
        case .suddenRise: "突升"
        case .regionWorst: "区域排名靠后"
        case .offline: "离线"
        case .flatLine: "恒值"
        case .stuckAtZero: "零值"
        case .interference: "疑似干扰"
        case .emissionLimit: "超标排放"
        }
    }

    /// Whether alerts of this kind are about the data rather than the air (数据质量).
    public var isDataQuality: Bool {
        switch self {
        case .offline, .flatLine, .stuckAtZero, .interference: true
        default: false
        }
    }
}

public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case notice
    case warning
    case severe

    public var displayName: String {
        switch self {
        case .notice: "提醒"
        case .warning: "预警"
        case .severe: "严重"
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where a rule applies: station kinds, regions (the station's region or any ancestor), inside
/// control zones only, and months of the year (a heating-season rule). Nil means everywhere.
public struct AlertScope: Sendable, Hashable, Codable {
    public var stationKinds: Set<StationKind>?
    public var regionCodes: Set<String>?
    public var zonesOnly: Bool
    /// 1…12 in China time, e.g. 11, 12, 1, 2, 3 for the heating season.
    public var months: Set<Int>?

    public init(
        stationKinds: Set<StationKind>? = nil, regionCodes: Set<String>? = nil, zonesOnly: Bool = false,
        months: Set<Int>? = nil
    ) {
        self.stationKinds = stationKinds
        self.regionCodes = regionCodes
        self.zonesOnly = zonesOnly
        self.months = months
    }

    public func applies(to station: AlertStation, month: Int) -> Bool {
        if let stationKinds, !stationKinds.contains(station.kind) { return false }
        if let regionCodes, !station.regionPath.contains(where: regionCodes.contains) { return false }
        if zonesOnly && station.zoneCodes.isEmpty { return false }
        if let months, !months.contains(month) { return false }
        return true
    }
}

/// What the engine knows about a station: its kind and place, resolved by the caller from the
/// registry, the region tree and the control zones.
public struct AlertStation: Sendable, Hashable {
    public var code: String
    public var kind: StationKind
    public var coordinate: Coordinate
    /// The station's region first, then its ancestors up to the root.
    public var regionPath: [String]
    /// Control zones (of other stations, or its own) the station stands in.
    public var zoneCodes: [String]
    public var status: StationStatus

    public init(
        code: String, kind: StationKind, coordinate: Coordinate, regionPath: [String] = [],
        zoneCodes: [String] = [], status: StationStatus = .active
    ) {
        self.code = code
        self.kind = kind
        self.coordinate = coordinate
        self.regionPath = regionPath
        self.zoneCodes = zoneCodes
        self.status = status
    }

    public var isOfficial: Bool { kind == .national || kind == .provincial }
}
