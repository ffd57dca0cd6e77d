/// AQI level and category (空气质量指数级别与类别), HJ 633-2012 Table 2, unchanged in HJ 633—2026
/// (STANDARDS §1.6 [S2]).
public enum AQILevel: Int, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case one = 1
    case two, three, four, five, six

    public static func < (lhs: AQILevel, rhs: AQILevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// HJ 633-2012 Table 2 ranges: 0–50, 51–100, 101–150, 151–200, 201–300, > 300.
    public init(aqi: Int) {
        switch aqi {
        case ...50: self = .one
        case 51...100: self = .two
        case 101...150: self = .three
        case 151...200: self = .four
        case 201...300: self = .five
        default: self = .six
        }
    }

    /// 一级 … 六级.
    public var chineseLevel: String {
        ["一级", "二级", "三级", "四级", "五级", "六级"][rawValue - 1]
    }

    /// 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染.
    public var chineseCategory: String {
        ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"][rawValue - 1]
    }

    /// Common English names; the official text is Chinese only (STANDARDS §1.6).
    public var englishCategory: String {
        ["Excellent", "Good", "Lightly polluted", "Moderately polluted", "Heavily polluted", "Severely polluted"][
            rawValue - 1]
    }

    public var colour: AQIColour { AQIColour.table[rawValue - 1] }

    /// 对健康影响情况, HJ 633-2012 Table 2 [S1–S2: wording as transcribed in `hj633.py`].
    public var healthEffect: String {
        switch self {
        case .one: "空气质量令人满意，基本无空气污染"
        case .two: "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响"
        case .three: "易感人群症状有轻度加剧，健康人群出现刺激症状"
        case .four: "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响"
        case .five: "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状"
        case .six: "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病"
        }
    }

    /// 建议采取的措施, HJ 633-2012 Table 2 [S1–S2].
    public var advice: String {
        switch self {
        case .one: "各类人群可正常活动"
        case .two: "极少数异常敏感人群应减少户外活动"
        case .three: "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼"
        case .four: "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动"
        case .five: "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动"
        case .six: "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动"
        }
    }
}

/// HJ 633 colour of a level (Appendix A), RGB and CMYK (STANDARDS §1.6 [S2]).
/// China's level-5 purple is 153, 0, 76, not the US EPA purple.
public struct AQIColour: Sendable, Hashable {
    public let chineseName: String
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8
    public let cmyk: (c: UInt8, m: UInt8, y: UInt8, k: UInt8)

    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        return "#" + [red, green, blue].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
    }

    public static func == (lhs: AQIColour, rhs: AQIColour) -> Bool {
        lhs.red == rhs.red && lhs.green == rhs.green && lhs.blue == rhs.blue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(red)
        hasher.combine(green)
        hasher.combine(blue)
    }

    static let table: [AQIColour] = [
        AQIColour(chineseName: "绿色", red: 0, green: 228, blue: 0, cmyk: (40, 0, 100, 0)),
        AQIColour(chineseName: "黄色", red: 255, green: 255, blue: 0, cmyk: (0, 0, 100, 0)),
        AQIColour(chineseName: "橙色", red: 255, green: 126, blue: 0, cmyk: (0, 52, 100, 0)),
        AQIColour(chineseName: "红色", red: 255, green: 0, blue: 0, cmyk: (0, 100, 100, 0)),
        AQIColour(chineseName: "紫色", red: 153, green: 0, blue: 76, cmyk: (10, 100, 40, 30)),
        AQIColour(chineseName: "褐红色", red: 126, green: 0, blue: 35, cmyk: (30, 100, 100, 30)),
    ]
}

extension Pollutant {
    /// HJ 633—2026 sensitive groups per pollutant, shown when that pollutant's IAQI > 100
    /// (STANDARDS §1.6 [S1: `hj633.py` SENSITIVE; verify against the 2026 text]).
    public var sensitiveGroups2026: String? {
        switch self {
        case .so2: "哮喘患者、儿童（含青少年）、老年人"
        case .no2: "呼吸系统疾病患者（如哮喘）、儿童、老年人"
        case .co: "心血管疾病患者"
        case .o3: "呼吸系统疾病患者、儿童、户外活动频繁人群、老年人"
        case .pm10, .pm25: "心血管或呼吸系统疾病患者、儿童、户外活动频繁人群、老年人"
        case .nox, .tsp: nil
        }
    }
}
