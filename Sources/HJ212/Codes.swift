/// `ST=`: the system code (HJ 212-2017 Table 5). Unknown codes are kept as sent: real devices use
/// ST=80, 101 and others outside the table.
public struct SystemCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let surfaceWater = SystemCode("21")
    public static let ambientAir = SystemCode("22")
    public static let acousticEnvironment = SystemCode("23")
    public static let groundwater = SystemCode("24")
    public static let soil = SystemCode("25")
    public static let seawater = SystemCode("26")
    public static let vocs = SystemCode("27")
    public static let airPollutionSource = SystemCode("31")
    public static let surfaceWaterPollutionSource = SystemCode("32")
    public static let groundwaterPollutionSource = SystemCode("33")
    public static let marinePollutionSource = SystemCode("34")
    public static let soilPollutionSource = SystemCode("35")
    public static let noiseSource = SystemCode("36")
    public static let vibrationSource = SystemCode("37")
    public static let radioactiveSource = SystemCode("38")
    public static let constructionDust = SystemCode("39")
    public static let electromagneticSource = SystemCode("41")
    public static let flueGasProcess = SystemCode("51")
    public static let wastewaterProcess = SystemCode("52")
    /// 91: system interaction, used by the platform's answers 9011–9014.
    public static let systemInteraction = SystemCode("91")

    /// The Table 5 name, or nil for a code outside the table.
    public var name: String? {
        switch rawValue {
        case "21": return "地表水质量监测 / surface water quality"
        case "22": return "空气质量监测 / ambient air quality"
        case "23": return "声环境质量监测 / acoustic environment quality"
        case "24": return "地下水质量监测 / groundwater quality"
        case "25": return "土壤质量监测 / soil quality"
        case "26": return "海水质量监测 / seawater quality"
        case "27": return "挥发性有机物监测 / VOCs"
        case "31": return "大气环境污染源 / air pollution source"
        case "32": return "地表水体环境污染源 / surface-water pollution source"
        case "33": return "地下水体环境污染源 / groundwater pollution source"
        case "34": return "海洋环境污染源 / marine pollution source"
        case "35": return "土壤环境污染源 / soil pollution source"
        case "36": return "声环境污染源 / noise source"
        case "37": return "振动环境污染源 / vibration source"
        case "38": return "放射性环境污染源 / radioactive source"
        case "39": return "工地扬尘污染源 / construction-site dust"
        case "41": return "电磁环境污染源 / electromagnetic source"
        case "51": return "烟气排放过程监控 / flue-gas process"
        case "52": return "污水排放过程监控 / wastewater process"
        case "91": return "系统交互 / system interaction"
        default: return nil
        }
    }

    public var isKnown: Bool { name != nil }
    public var description: String { rawValue }
}

/// `CN=`: the command code (HJ 212-2017 Table 9, plus the HJ 212-2025 additions in STANDARDS §4.7).
/// Unknown codes are kept as sent.
public struct CommandCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let setTimeoutAndRetries = CommandCode("1000")
    public static let getFieldTime = CommandCode("1011")
    public static let setFieldTime = CommandCode("1012")
    public static let timeCalibrationRequest = CommandCode("1013")
    public static let getRealTimeInterval = CommandCode("1061")
    public static let setRealTimeInterval = CommandCode("1062")
    public static let getMinuteInterval = CommandCode("1063")
    public static let setMinuteInterval = CommandCode("1064")
    public static let setPassword = CommandCode("1072")
    public static let realTimeData = CommandCode("2011")
    public static let stopRealTimeData = CommandCode("2012")
    public static let facilityState = CommandCode("2021")
    public static let stopFacilityState = CommandCode("2022")
    public static let dayData = CommandCode("2031")
    public static let dayFacilityRunTime = CommandCode("2041")
    public static let minuteData = CommandCode("2051")
    public static let hourData = CommandCode("2061")
    public static let restartTime = CommandCode("2081")
    /// 9011 请求应答 / request answer (`QnRtn`).
    public static let requestAnswer = CommandCode("9011")
    /// 9012 执行结果 / execution result (`ExeRtn`).
    public static let executionResult = CommandCode("9012")
    /// 9013 通知应答 / notification answer.
    public static let notificationAnswer = CommandCode("9013")
    /// 9014 数据应答 / data answer.
    public static let dataAnswer = CommandCode("9014")
    /// 9015 心跳 / heartbeat (HJ 212-2025, answered with 9013).
    public static let heartbeat = CommandCode("9015")

    /// The command as a number, when it is one.
    public var number: Int? { Int(rawValue) }

    /// The range the code falls in (§6.6.5): initialisation/parameter, data, control or interaction.
    public var category: Category {
        guard let number, rawValue.utf8.count == 4 else { return .unknown }
        switch number {
        case 1000...1999: return .parameter
        case 2000...2999: return .data
        case 3000...3999: return .control
        case 9000...9999: return .interaction
        default: return .unknown
        }
    }

    public enum Category: Sendable, Hashable {
        case parameter, data, control, interaction, unknown
    }

    /// Data uploads whose Flag A bit asks for a 9014 data answer (§6.5.2).
    public var isDataUpload: Bool { category == .data }

    public var description: String { rawValue }
}

/// A pollutant's `-Flag` data flag (HJ 212-2017 Table 8). Unknown letters are kept.
public enum DataFlag: Sendable, Hashable, CustomStringConvertible {
    /// N 在线监控（监测）仪器仪表工作正常 / normal.
    case normal
    /// F 停运 / instrument stopped.
    case stopped
    /// M 维护 / maintenance.
    case maintenance
    /// S 手工输入的设定值 / manual set value.
    case manualSetValue
    /// D 故障 / fault.
    case fault
    /// C 校准 / calibrating.
    case calibrating
    /// T 超测上限 / over the measurement upper limit.
    case overRange
    /// B 通讯异常 / instrument–logger communication abnormal.
    case communicationAbnormal
    /// Anything else the device sent.
    case other(String)

    public init(_ code: String) {
        switch code {
        case "N": self = .normal
        case "F": self = .stopped
        case "M": self = .maintenance
        case "S": self = .manualSetValue
        case "D": self = .fault
        case "C": self = .calibrating
        case "T": self = .overRange
        case "B": self = .communicationAbnormal
        default: self = .other(code)
        }
    }

    public var code: String {
        switch self {
        case .normal: return "N"
        case .stopped: return "F"
        case .maintenance: return "M"
        case .manualSetValue: return "S"
        case .fault: return "D"
        case .calibrating: return "C"
        case .overRange: return "T"
        case .communicationAbnormal: return "B"
        case .other(let code): return code
        }
    }

    public var description: String { code }
}
