/// An ambient-air pollutant of GB 3095 Table 1 and Table 2.
///
/// SO2, NO2, CO, O3, PM10 and PM2.5 enter the AQI (HJ 633). NOx and TSP are stored and averaged
/// (GB 3095-2012 Table 2) but have no IAQI.
public enum Pollutant: String, CaseIterable, Sendable, Hashable, Codable {
    case so2 = "SO2"
    case no2 = "NO2"
    case co = "CO"
    case o3 = "O3"
    case pm10 = "PM10"
    case pm25 = "PM2.5"
    case nox = "NOx"
    case tsp = "TSP"

    /// The six pollutants of the AQI and of the composite index (HJ 633, 排名技术规定).
    public static let aqiPollutants: [Pollutant] = [.so2, .no2, .pm10, .co, .o3, .pm25]

    public var unit: ConcentrationUnit {
        self == .co ? .milligramsPerCubicMetre : .microgramsPerCubicMetre
    }

    /// Decimal places a concentration keeps after GB/T 8170 rounding:
    /// integers, CO one decimal (STANDARDS §1.5 [S2]).
    public var decimals: Int { self == .co ? 1 : 0 }

    /// 10^decimals: the factor that turns a rounded concentration into an integer count of units.
    public var scale: Int { self == .co ? 10 : 1 }

    public var chineseName: String {
        switch self {
        case .so2: "二氧化硫"
        case .no2: "二氧化氮"
        case .co: "一氧化碳"
        case .o3: "臭氧"
        case .pm10: "颗粒物(PM10)"
        case .pm25: "细颗粒物(PM2.5)"
        case .nox: "氮氧化物"
        case .tsp: "总悬浮颗粒物"
        }
    }
}

public enum ConcentrationUnit: String, Sendable, Hashable, Codable {
    case microgramsPerCubicMetre = "µg/m³"
    case milligramsPerCubicMetre = "mg/m³"
}

/// One sub-index item of an AQI: a pollutant at the averaging time whose breakpoints it uses.
///
/// The item names follow the CNEMC release (`二氧化硫, 二氧化氮, 颗粒物(PM10), 一氧化碳, 臭氧1小时,
/// 细颗粒物(PM2.5)`, data/SOURCES.md §2); `臭氧8小时` is the daily report's O3 item.
///
/// The case order is the order in which tied primary pollutants are listed. The CNEMC snapshots
/// show `颗粒物(PM10),细颗粒物(PM2.5)`, `颗粒物(PM10),臭氧1小时` and `细颗粒物(PM2.5),臭氧1小时`, i.e.
/// PM10 < PM2.5 < O3 (verified); the places of SO2, NO2 and CO never occur in a tie there (assumed).
public enum AQIItem: UInt8, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case so2 = 0
    case no2 = 1
    case pm10 = 2
    case pm25 = 3
    case co = 4
    case o3OneHour = 5
    case o3EightHour = 6

    public static func < (lhs: AQIItem, rhs: AQIItem) -> Bool { lhs.rawValue < rhs.rawValue }

    public var pollutant: Pollutant {
        switch self {
        case .so2: .so2
        case .no2: .no2
        case .pm10: .pm10
        case .co: .co
        case .o3OneHour, .o3EightHour: .o3
        case .pm25: .pm25
        }
    }

    /// The name CNEMC prints in its `PrimaryPollutant` column.
    public var chineseName: String {
        switch self {
        case .o3OneHour: "臭氧1小时"
        case .o3EightHour: "臭氧8小时"
        default: pollutant.chineseName
        }
    }

    /// Short code used in machine output and logs.
    public var code: String {
        switch self {
        case .so2: "SO2"
        case .no2: "NO2"
        case .pm10: "PM10"
        case .co: "CO"
        case .o3OneHour: "O3_1h"
        case .o3EightHour: "O3_8h"
        case .pm25: "PM2.5"
        }
    }
}

/// A set of AQI items without allocation (one bit per `AQIItem`).
public struct AQIItemSet: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ item: AQIItem) { self.rawValue = 1 << item.rawValue }
    public init(_ items: [AQIItem]) {
        self.rawValue = items.reduce(0) { $0 | (1 << $1.rawValue) }
    }

    public func contains(_ item: AQIItem) -> Bool { rawValue & (1 << item.rawValue) != 0 }

    /// Members in `AQIItem` order (the CNEMC tie order: SO2, NO2, PM10, PM2.5, CO, O3).
    public var items: [AQIItem] { AQIItem.allCases.filter { contains($0) } }
}
