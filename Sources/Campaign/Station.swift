/// A monitoring station of any kind, from a national control station to a construction-site dust monitor.
public struct Station: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: StationKind
    public var coordinate: Coordinate
    public var regionCode: String?
    /// The unit responsible for the station's surroundings (who is called when it reads high).
    public var responsibleUnitCode: String?
    public var status: StationStatus
    /// How its data logger connects over HJ 212; nil for stations fed by files or HTTP only.
    public var hj212: HJ212Identity?
    /// What it reports and in which units.
    public var pollutants: [ReportedPollutant]

    public init(
        code: String,
        name: String,
        kind: StationKind,
        coordinate: Coordinate,
        regionCode: String? = nil,
        responsibleUnitCode: String? = nil,
        status: StationStatus = .active,
        hj212: HJ212Identity? = nil,
        pollutants: [ReportedPollutant] = []
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.coordinate = coordinate
        self.regionCode = regionCode
        self.responsibleUnitCode = responsibleUnitCode
        self.status = status
        self.hj212 = hj212
        self.pollutants = pollutants
    }

    /// Whether it measures ambient air (everything but an emission monitor, whose gases are in mg/m³).
    public var isAmbient: Bool { kind != .sourceMonitor }
}

/// A WGS-84 position, longitude first as in GeoJSON.
public struct Coordinate: Sendable, Hashable, Codable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    /// Whether both values are finite and on the globe.
    public var isValid: Bool {
        longitude.isFinite && latitude.isFinite && (-180...180).contains(longitude) && (-90...90).contains(latitude)
    }
}

public enum StationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 国控点
    case national
    /// 省控点
    case provincial
    /// 乡镇站 / 县控点
    case township
    /// 微站 / 小微站
    case micro
    /// 污染源在线监测 (CEMS)
    case sourceMonitor = "source_monitor"
    /// 工地扬尘监测
    case dust

    public var displayName: String {
        switch self {
        case .national: "国控点"
        case .provincial: "省控点"
        case .township: "乡镇站"
        case .micro: "微站"
        case .sourceMonitor: "污染源在线监测"
        case .dust: "工地扬尘监测"
        }
    }
}

public enum StationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case maintenance
    case retired

    public var displayName: String {
        switch self {
        case .active: "运行"
        case .maintenance: "维护"
        case .retired: "停用"
        }
    }
}
