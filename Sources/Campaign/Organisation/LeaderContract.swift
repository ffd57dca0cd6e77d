import Foundation

/// 分包: a county leader personally answers for one or more townships for a term.
public struct LeaderContract: Sendable, Hashable, Codable {
    public var id: UUID
    public var leaderID: UUID
    /// The townships the leader answers for, in code order.
    public var townshipCodes: [String]
    public var startsOn: CalendarDay
    /// `nil`: until changed.
    public var endsOn: CalendarDay?
    public var note: String?

    public init(
        id: UUID = UUID(), leaderID: UUID, townshipCodes: [String], startsOn: CalendarDay, endsOn: CalendarDay? = nil,
        note: String? = nil
    ) {
        self.id = id
        self.leaderID = leaderID
        self.townshipCodes = Array(Set(townshipCodes)).sorted()
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.note = note
    }

    public var term: DayRange { DayRange(from: startsOn, through: endsOn) }

    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        if townshipCodes.isEmpty {
            problems.append(
                FieldProblem(
                    field: "townshipCodes", message: "至少分包一个乡镇 / a contract needs at least one township"))
        }
        if let endsOn, endsOn < startsOn {
            problems.append(
                FieldProblem(
                    field: "endsOn", message: "结束日期 \(endsOn) 早于开始日期 \(startsOn) / endsOn is before startsOn"))
        }
        return problems
    }
}

/// A change to some fields of a contract; `nil` leaves a field as it is, `.some(nil)` clears an optional one.
public struct LeaderContractPatch: Sendable, Hashable {
    public var leaderID: UUID?
    public var townshipCodes: [String]?
    public var startsOn: CalendarDay?
    public var endsOn: CalendarDay??
    public var note: String??

    public init(
        leaderID: UUID? = nil, townshipCodes: [String]? = nil, startsOn: CalendarDay? = nil,
        endsOn: CalendarDay?? = nil, note: String?? = nil
    ) {
        self.leaderID = leaderID
        self.townshipCodes = townshipCodes
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.note = note
    }

    public func applied(to contract: LeaderContract) -> LeaderContract {
        LeaderContract(
            id: contract.id, leaderID: leaderID ?? contract.leaderID,
            townshipCodes: townshipCodes ?? contract.townshipCodes, startsOn: startsOn ?? contract.startsOn,
            endsOn: endsOn ?? contract.endsOn, note: note ?? contract.note)
    }
}

/// The part someone plays on a duty shift (24 小时应急值守).
public enum DutyRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// 带班领导: the leader in charge of the shift.
    case leader
    /// 值班员: the officer who takes the calls.
    case officer

    public var displayName: String {
        switch self {
        case .leader: "带班领导"
        case .officer: "值班员"
        }
    }
}

/// Who is on duty for a region, and when (start included, end excluded).
public struct DutyShift: Sendable, Hashable, Codable {
    public var id: UUID
    public var personID: UUID
    public var regionCode: String
    public var role: DutyRole
    public var startsAt: Date
    public var endsAt: Date
    public var note: String?

    public init(
        id: UUID = UUID(), personID: UUID, regionCode: String, role: DutyRole, startsAt: Date, endsAt: Date,
        note: String? = nil
    ) {
        self.id = id
        self.personID = personID
        self.regionCode = regionCode
        self.role = role
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.note = note
    }

    /// The longest shift accepted: a week (a 24-hour roster is normally day by day).
    public static let maximumLength: TimeInterval = 7 * 86_400

    public var problems: [FieldProblem] {
        if endsAt <= startsAt {
            return [
                FieldProblem(field: "endsAt", message: "结束时间须晚于开始时间 / endsAt must be after startsAt")
            ]
        }
        if endsAt.timeIntervalSince(startsAt) > Self.maximumLength {
            return [
                FieldProblem(field: "endsAt", message: "一个班次不能超过 7 天 / a shift cannot be longer than 7 days")
            ]
        }
        return []
    }

    public func covers(_ instant: Date) -> Bool { startsAt <= instant && instant < endsAt }

    /// Whether the two shifts share any instant (touching ends do not overlap).
    public func overlaps(_ other: DutyShift) -> Bool { startsAt < other.endsAt && other.startsAt < endsAt }
}
