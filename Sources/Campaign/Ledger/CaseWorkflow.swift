/// Where a ledger case (问题台账) comes from.
public enum CaseSource: String, Sendable, Hashable, Codable, CaseIterable {
    case inspectionFeedback = "inspection_feedback"
    case assignedFromAbove = "assigned_from_above"
    case publicComplaint = "public_complaint"
    case patrol
    case undercover
    case monitoringAlert = "monitoring_alert"
    case media
    case lead

    public var displayName: String {
        switch self {
        case .inspectionFeedback: "督察反馈"
        case .assignedFromAbove: "上级交办"
        case .publicComplaint: "信访投诉（12345/12369）"
        case .patrol: "巡查发现"
        case .undercover: "暗访"
        case .monitoringAlert: "监测预警"
        case .media: "媒体曝光"
        case .lead: "问题线索"
        }
    }
}

/// What kind of problem a case is.
public enum CaseCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case constructionDust = "dust_construction"
    case roadDust = "dust_road"
    case bareSoilDust = "dust_bare_soil"
    case materialYardDust = "dust_material_yard"
    case householdCoal = "household_coal"
    case industrialEmission = "industrial_emission"
    case vehicles
    case cookingFumes = "cooking_fumes"
    case openBurning = "open_burning"
    case illegalBuilding = "illegal_building"
    case scatteredPolluting = "scattered_polluting"
    case water
    case soil
    case other

    public var displayName: String {
        switch self {
        case .constructionDust: "扬尘·施工工地"
        case .roadDust: "扬尘·道路"
        case .bareSoilDust: "扬尘·裸露地面"
        case .materialYardDust: "扬尘·物料堆场"
        case .householdCoal: "散煤"
        case .industrialEmission: "工业废气"
        case .vehicles: "机动车"
        case .cookingFumes: "餐饮油烟"
        case .openBurning: "露天焚烧"
        case .illegalBuilding: "违建"
        case .scatteredPolluting: "散乱污"
        case .water: "水"
        case .soil: "土壤"
        case .other: "其他"
        }
    }

    public var isDust: Bool { rawValue.hasPrefix("dust_") }
}

/// 新建 → 已交办 → 整改中 → 待核查 → 已销号, 退回 to 整改中; closed not fixed with a reason; a failed
/// revisit after closing reopens the case as a rebound (反弹).
public enum CaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case new
    case assigned
    case rectifying
    case submitted
    case closed

    public var displayName: String {
        switch self {
        case .new: "新建"
        case .assigned: "已交办"
        case .rectifying: "整改中"
        case .submitted: "待核查"
        case .closed: "已销号"
        }
    }
}

/// How a closed case ended: fixed and verified, or honestly not fixed, with the reason.
public enum CaseOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case rectified
    case notOurResponsibility = "not_our_responsibility"
    case duplicate
    case cannotBeFixed = "cannot_be_fixed"

    public var displayName: String {
        switch self {
        case .rectified: "整改到位"
        case .notOurResponsibility: "非本单位职责"
        case .duplicate: "重复件"
        case .cannotBeFixed: "无法整改（已采取措施）"
        }
    }
}

public enum CaseAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// 交办: to the responsible unit with a deadline.
    case assign
    /// 签收并开始整改.
    case startRectifying = "start_rectifying"
    /// 提交整改报告与证据，申请核查.
    case submit
    /// 核查不通过，退回整改.
    case returnForRectification = "return"
    /// 核查通过，销号.
    case close
    /// 不能整改到位的如实销号（注明原因）.
    case closeNotFixed = "close_not_fixed"
    /// 申请延期 (the unit) / 批准延期 (HQ).
    case requestExtension = "request_extension"
    case grantExtension = "grant_extension"
    /// 回访: the problem stays fixed, or it came back (反弹, reopened).
    case revisitPassed = "revisit_passed"
    case revisitFailed = "revisit_failed"

    public var displayName: String {
        switch self {
        case .assign: "交办"
        case .startRectifying: "开始整改"
        case .submit: "提交核查"
        case .returnForRectification: "退回整改"
        case .close: "核查销号"
        case .closeNotFixed: "如实销号"
        case .requestExtension: "申请延期"
        case .grantExtension: "批准延期"
        case .revisitPassed: "回访通过"
        case .revisitFailed: "回访反弹"
        }
    }
}

/// Who takes a step, as the workflow needs to know them.
public struct CaseActor: Sendable, Hashable {
    public var id: String
    public var role: Role

    public init(id: String, role: Role) {
        self.id = id
        self.role = role
    }
}

/// What a step carries.
public struct CaseStep: Sendable, Hashable {
    public var action: CaseAction
    public var actor: CaseActor
    public var note: String?
    /// Attachment ids (photos, reports) given as evidence.
    public var evidence: [String]
    public var outcome: CaseOutcome?
    /// A new deadline: with `assign` and `grantExtension`.
    public var deadline: CalendarDay?

    public init(
        _ action: CaseAction, by actor: CaseActor, note: String? = nil, evidence: [String] = [],
        outcome: CaseOutcome? = nil, deadline: CalendarDay? = nil
    ) {
        self.action = action
        self.actor = actor
        self.note = note
        self.evidence = evidence
        self.outcome = outcome
        self.deadline = deadline
    }
}

/// The state the workflow decides on.
public struct CaseState: Sendable, Hashable, Codable {
    public var status: CaseStatus
    public var deadline: CalendarDay?
    public var outcome: CaseOutcome?
    /// Who submitted the last rectification report (the verifier must be someone else).
    public var handlerID: String?
    public var extensionRequested: Bool
    public var closedOn: CalendarDay?
    /// When the revisit is due after closing; nil once done or when not fixed.
    public var revisitDue: CalendarDay?
    /// Times the problem came back after closing (反弹).
    public var rebounds: Int

    public init(
        status: CaseStatus = .new, deadline: CalendarDay? = nil, outcome: CaseOutcome? = nil, handlerID: String? = nil,
        extensionRequested: Bool = false, closedOn: CalendarDay? = nil, revisitDue: CalendarDay? = nil,
        rebounds: Int = 0
    ) {
        self.status = status
        self.deadline = deadline
        self.outcome = outcome
        self.handlerID = handlerID
        self.extensionRequested = extensionRequested
        self.closedOn = closedOn
        self.revisitDue = revisitDue
        self.rebounds = rebounds
    }

    /// Past its deadline and not closed (逾期).
    public func isOverdue(on day: CalendarDay) -> Bool {
        guard status != .closed, let deadline else { return false }
        return day > deadline
    }
}

public struct CaseTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
    public init(reason: String) { self.reason = reason }
}

/// The ledger's state machine: one function from a state and a step to the next state, or the reason
/// the step is refused (Chinese first). Pure; the store records every step with who, when, note and evidence.
public enum CaseWorkflow {
    /// Days after closing at which the revisit (回访) falls due.
    public static let revisitDays = 30

    /// Roles that may verify a rectification and close a case (督查核查 or 指挥部).
    public static let verifierRoles: Set<Role> = [.supervisor, .command]

    public static func apply(_ step: CaseStep, to state: CaseState, on today: CalendarDay) throws(CaseTransitionError)
        -> CaseState
    {
        func refuse(_ reason: String) -> CaseTransitionError {
            CaseTransitionError(
                reason:
                    "案件当前为「\(state.status.displayName)」，不能\(step.action.displayName)：\(reason)")
        }
        func require(_ allowed: Set<CaseStatus>) throws(CaseTransitionError) {
            guard allowed.contains(state.status) else {
                throw refuse(
                    "仅限" + allowed.map(\.displayName).sorted().joined(separator: "、")
                        + " / \(step.action.rawValue) is not allowed from \(state.status.rawValue)")
            }
        }
        var next = state
        switch step.action {
        case .assign:
            try require([.new, .assigned])
            guard let deadline = step.deadline, deadline >= today else {
                throw refuse("交办需给出不早于今天的整改期限 / assigning needs a deadline not before today")
            }
            next.status = .assigned
            next.deadline = deadline
        case .startRectifying:
            try require([.assigned])
            next.status = .rectifying
        case .submit:
            try require([.rectifying])
            guard !(step.note ?? "").allSatisfy(\.isWhitespace) else {
                throw refuse("提交核查需填写整改报告 / a rectification report is needed")
            }
            guard !step.evidence.isEmpty else {
                throw refuse("提交核查需附整改证据（照片或文件）/ evidence (a photo or file) is needed")
            }
            next.status = .submitted
            next.handlerID = step.actor.id
        case .returnForRectification, .close:
            try require([.submitted])
            guard verifierRoles.contains(step.actor.role) else {
                throw refuse("核查须由督查或指挥部人员进行 / verification is for a supervisor or HQ")
            }
            guard step.actor.id != state.handlerID else {
                throw refuse("核查人不能是整改提交人 / the verifier must be someone other than the handler")
            }
            if step.action == .returnForRectification {
                guard !(step.note ?? "").allSatisfy(\.isWhitespace) else {
                    throw refuse("退回需说明原因 / returning needs the reason")
                }
                next.status = .rectifying
            } else {
                next.status = .closed
                next.outcome = .rectified
                next.closedOn = today
                next.revisitDue = today.adding(days: revisitDays)
            }
        case .closeNotFixed:
            try require([.assigned, .rectifying, .submitted])
            guard verifierRoles.contains(step.actor.role) else {
                throw refuse("如实销号须由督查或指挥部决定 / closing without a fix is for a supervisor or HQ")
            }
            guard let outcome = step.outcome, outcome != .rectified else {
                throw refuse(
                    "需注明原因：非本单位职责、重复件或无法整改 / give the reason: not_our_responsibility, duplicate or cannot_be_fixed")
            }
            guard !(step.note ?? "").allSatisfy(\.isWhitespace) else {
                throw refuse("如实销号需说明已采取的措施 / describe the measures taken")
            }
            next.status = .closed
            next.outcome = outcome
            next.closedOn = today
            next.revisitDue = nil
        case .requestExtension:
            try require([.assigned, .rectifying])
            guard !(step.note ?? "").allSatisfy(\.isWhitespace) else {
                throw refuse("申请延期需说明理由 / an extension needs a reason")
            }
            next.extensionRequested = true
        case .grantExtension:
            try require([.assigned, .rectifying])
            guard state.extensionRequested else { throw refuse("没有待批的延期申请 / no extension was requested") }
            guard step.actor.role == .command else { throw refuse("延期由指挥部批准 / HQ grants extensions") }
            guard let deadline = step.deadline, let current = state.deadline, deadline > current else {
                throw refuse("新期限须晚于原期限 / the new deadline must be after the old one")
            }
            next.deadline = deadline
            next.extensionRequested = false
        case .revisitPassed, .revisitFailed:
            try require([.closed])
            guard state.revisitDue != nil else { throw refuse("该案件无需回访 / no revisit is due") }
            next.revisitDue = nil
            if step.action == .revisitFailed {
                guard !(step.note ?? "").allSatisfy(\.isWhitespace) else {
                    throw refuse("回访反弹需说明发现的问题 / describe what came back")
                }
                next.status = .rectifying
                next.outcome = nil
                next.closedOn = nil
                next.rebounds += 1
            }
        }
        return next
    }
}
