/// An organisation that takes responsibility in the campaign (GLOSSARY "Organisation").
public struct ResponsibleUnit: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: UnitKind
    /// The region the unit answers for, if it is territorial (a township answers for its township).
    public var regionCode: String?
    /// The unit this one reports to; `nil` for the HQ.
    public var parentCode: String?

    public init(code: String, name: String, kind: UnitKind, regionCode: String? = nil, parentCode: String? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.parentCode = parentCode
    }
}

public enum UnitKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 攻坚行动指挥部
    case command
    /// 攻坚组 / 专班
    case taskGroup = "task_group"
    /// 县（区）人民政府 as a responsible unit for its territory.
    case county
    /// 镇乡 / 街道
    case township
    /// 市直单位 / 县直部门
    case department
    /// 园区管委会
    case parkCommittee = "park_committee"
    /// 督导组 / 督查室
    case supervisionGroup = "supervision_group"

    public var displayName: String {
        switch self {
        case .command: "指挥部"
        case .taskGroup: "攻坚组"
        case .county: "县（区）"
        case .township: "乡镇（街道）"
        case .department: "职能部门"
        case .parkCommittee: "园区管委会"
        case .supervisionGroup: "督导组"
        }
    }
}
