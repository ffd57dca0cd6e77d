/// How a unit or person is held to account (追责问责) for problems in the ledger.
public enum AccountabilityKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 约谈: the responsible leaders are summoned.
    case summons
    /// 通报批评: public criticism in a circular.
    case publicCriticism = "public_criticism"
    /// 问责: referral to the discipline authority.
    case disciplineReferral = "discipline_referral"
    /// 一案三查: one case, three investigations (the polluter, the regulator, the local government).
    case threeWayInvestigation = "three_way_investigation"

    public var displayName: String {
        switch self {
        case .summons: "约谈"
        case .publicCriticism: "通报批评"
        case .disciplineReferral: "移交问责"
        case .threeWayInvestigation: "一案三查"
        }
    }
}

/// One accountability record, tied to a unit and, usually, to the cases that caused it.
public struct AccountabilityRecord: Sendable, Hashable, Codable {
    public var id: String
    public var kind: AccountabilityKind
    public var unitCode: String
    /// The person held to account, when it is a person (by name; the person record when known).
    public var subjectName: String?
    public var personID: String?
    public var caseIDs: [String]
    public var day: CalendarDay
    /// Who decided it (e.g. 区攻坚办, 区纪委监委) and the document number (文号).
    public var issuedBy: String
    public var documentNumber: String?
    public var summary: String
    public var createdBy: String
    public var createdAt: Int64

    public init(
        id: String, kind: AccountabilityKind, unitCode: String, subjectName: String? = nil, personID: String? = nil,
        caseIDs: [String] = [], day: CalendarDay, issuedBy: String, documentNumber: String? = nil, summary: String,
        createdBy: String, createdAt: Int64
    ) {
        self.id = id
        self.kind = kind
        self.unitCode = unitCode
        self.subjectName = subjectName
        self.personID = personID
        self.caseIDs = caseIDs
        self.day = day
        self.issuedBy = issuedBy
        self.documentNumber = documentNumber
        self.summary = summary
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Every bad field as (field, message), Chinese first.
    public var problems: [(field: String, message: String)] {
        var problems: [(String, String)] = []
        if unitCode.isEmpty { problems.append(("unitCode", "需给出被问责单位 / unitCode is required")) }
        if issuedBy.allSatisfy(\.isWhitespace) { problems.append(("issuedBy", "需给出决定机关 / issuedBy is required")) }
        if summary.allSatisfy(\.isWhitespace) { problems.append(("summary", "需填写事由 / summary is required")) }
        if summary.count > 5_000 { problems.append(("summary", "事由不超过 5000 字 / at most 5000 characters")) }
        if kind == .threeWayInvestigation, caseIDs.isEmpty {
            problems.append(("caseIDs", "一案三查须关联案件 / a three-way investigation names its case"))
        }
        if caseIDs.count > 100 { problems.append(("caseIDs", "关联案件不超过 100 个 / at most 100 cases")) }
        return problems
    }
}
