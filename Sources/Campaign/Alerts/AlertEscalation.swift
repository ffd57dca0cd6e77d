/// Who an alert climbs to when its deadline passes unhandled: grid worker → township head → the
/// county leader who contracts the township (分包) → HQ.
public enum EscalationTier: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case gridWorker = 0
    case townshipHead = 1
    case contractingLeader = 2
    case command = 3

    public var displayName: String {
        switch self {
        case .gridWorker: "网格员"
        case .townshipHead: "乡镇（街道）负责人"
        case .contractingLeader: "包片县级领导"
        case .command: "指挥部"
        }
    }

    public static func < (lhs: EscalationTier, rhs: EscalationTier) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The handling deadline and the escalation timers, as data (configurable per deployment).
public struct EscalationPolicy: Sendable, Hashable, Codable {
    public struct Step: Sendable, Hashable, Codable {
        public var tier: EscalationTier
        /// Minutes after dispatch at which the alert reaches `tier` if still unhandled.
        public var afterMinutes: Int

        public init(tier: EscalationTier, afterMinutes: Int) {
            self.tier = tier
            self.afterMinutes = afterMinutes
        }
    }

    /// "确保一小时内处理到位": 60 minutes by default.
    public var handlingMinutes: Int
    public var steps: [Step]

    public init(handlingMinutes: Int = 60, steps: [Step]? = nil) {
        self.handlingMinutes = handlingMinutes
        self.steps =
            steps ?? [
                Step(tier: .townshipHead, afterMinutes: handlingMinutes),
                Step(tier: .contractingLeader, afterMinutes: handlingMinutes + 30),
                Step(tier: .command, afterMinutes: handlingMinutes + 60),
            ]
    }

    /// Every problem, Chinese first; empty when usable.
    public var problems: [String] {
        var problems: [String] = []
        if handlingMinutes < 1 {
            problems.append("handlingMinutes 至少为 1 / handlingMinutes must be at least 1")
        }
        for (index, step) in steps.enumerated() {
            if step.afterMinutes < 0 {
                problems.append("steps[\(index)].afterMinutes 不能为负 / must not be negative")
            }
            if index > 0 {
                let previous = steps[index - 1]
                if step.tier <= previous.tier || step.afterMinutes < previous.afterMinutes {
                    problems.append(
                        "steps[\(index)] 必须比上一步层级更高、时间不早 / steps[\(index)] must climb and not come earlier")
                }
            }
        }
        return problems
    }

    /// The handling deadline of an alert dispatched at `dispatchedAt` (seconds).
    public func deadline(dispatchedAt: Int64) -> Int64 { dispatchedAt + Int64(handlingMinutes) * 60 }

    /// The steps due by `now` beyond `reached`, in order — each is recorded and notified once.
    public func dueSteps(dispatchedAt: Int64, now: Int64, reached: EscalationTier) -> [Step] {
        steps.filter { $0.tier > reached && dispatchedAt + Int64($0.afterMinutes) * 60 <= now }
    }

    /// When the next step falls due after `reached`, if any (for the timer).
    public func nextDue(dispatchedAt: Int64, reached: EscalationTier) -> Int64? {
        steps.first { $0.tier > reached }.map { dispatchedAt + Int64($0.afterMinutes) * 60 }
    }
}
