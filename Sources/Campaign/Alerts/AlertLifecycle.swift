/// Where an alert is in its handling: open → dispatched → acknowledged → handled → verified → closed,
/// or converted into a ledger case. An alert that is closed or converted re-arms: the next signal of
/// its rule at its station opens a new one.
public enum AlertStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case dispatched
    case acknowledged
    case handled
    case verified
    case closed
    case converted

    public var displayName: String {
        switch self {
        case .open: "待派发"
        case .dispatched: "已派发"
        case .acknowledged: "已签收"
        case .handled: "已处置"
        case .verified: "已核实"
        case .closed: "已办结"
        case .converted: "已转台账"
        }
    }

    /// Closed and converted alerts no longer count as open (at most one open alert per station and rule).
    public var isOpen: Bool { self != .closed && self != .converted }

    /// Whether the handling clock still runs (the deadline and escalation apply).
    public var awaitsHandling: Bool { self == .open || self == .dispatched || self == .acknowledged }
}

/// What the handler found (处置结果).
public enum AlertCause: String, Sendable, Hashable, Codable, CaseIterable {
    /// 查到污染源并已制止
    case sourceStopped = "source_stopped"
    /// 仪器故障
    case instrumentFault = "instrument_fault"
    /// 疑似人为干扰
    case suspectedTampering = "suspected_tampering"
    /// 经核实无违法行为（已说明）
    case explained

    public var displayName: String {
        switch self {
        case .sourceStopped: "查到污染源并已制止"
        case .instrumentFault: "仪器故障"
        case .suspectedTampering: "疑似人为干扰"
        case .explained: "经核实无违法行为"
        }
    }

    /// Whether the finding is a violation that the ledger must follow up.
    public var isViolation: Bool { self == .sourceStopped || self == .suspectedTampering }
}

/// A step a person (or the system) takes on an alert.
public enum AlertAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// 派发 (the system, through the routing table, or a dispatcher re-assigning)
    case dispatch
    /// 签收
    case acknowledge
    /// 处置 (with a cause and a note)
    case handle
    /// 退回 (the verifier sends the handling back)
    case returnToHandler = "return"
    /// 核实
    case verify
    /// 办结
    case close
    /// 转台账
    case convertToCase = "convert_to_case"

    public var displayName: String {
        switch self {
        case .dispatch: "派发"
        case .acknowledge: "签收"
        case .handle: "处置"
        case .returnToHandler: "退回"
        case .verify: "核实"
        case .close: "办结"
        case .convertToCase: "转台账"
        }
    }
}

/// A refused transition, with the reason users read (Chinese first).
public struct AlertTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    public init(reason: String) { self.reason = reason }
}

/// The rules of the lifecycle, as one function per question.
public enum AlertLifecycle {
    /// The status after `action`, or why it is not allowed from `status`.
    public static func next(after action: AlertAction, from status: AlertStatus) throws(AlertTransitionError)
        -> AlertStatus
    {
        let allowed: Set<AlertStatus>
        let target: AlertStatus
        switch action {
        case .dispatch: (allowed, target) = ([.open, .dispatched, .acknowledged], .dispatched)
        case .acknowledge: (allowed, target) = ([.dispatched], .acknowledged)
        case .handle: (allowed, target) = ([.dispatched, .acknowledged], .handled)
        case .returnToHandler: (allowed, target) = ([.handled], .acknowledged)
        case .verify: (allowed, target) = ([.handled], .verified)
        case .close: (allowed, target) = ([.verified], .closed)
        case .convertToCase: (allowed, target) = ([.open, .dispatched, .acknowledged, .handled, .verified], .converted)
        }
        guard allowed.contains(status) else {
            let from = allowed.map(\.displayName).sorted().joined(separator: "、")
            throw AlertTransitionError(
                reason:
                    "预警当前为「\(status.displayName)」，不能\(action.displayName)（仅限：\(from)） / cannot \(action.rawValue) an alert that is \(status.rawValue)"
            )
        }
        return target
    }

    /// The verifier must be someone other than the handler (核实 by a second person).
    public static func checkVerifier(_ verifier: String, handler: String?) throws(AlertTransitionError) {
        if let handler, handler == verifier {
            throw AlertTransitionError(
                reason: "核实人不能是处置人本人 / the verifier must be someone other than the handler")
        }
    }

    /// A handling needs a cause and a note.
    public static func checkHandling(cause: AlertCause?, note: String?) throws(AlertTransitionError) {
        guard cause != nil else {
            throw AlertTransitionError(reason: "处置需注明原因 cause / handling needs a cause")
        }
        guard let note, !note.allSatisfy(\.isWhitespace) else {
            throw AlertTransitionError(reason: "处置需填写说明 note / handling needs a note")
        }
    }
}
