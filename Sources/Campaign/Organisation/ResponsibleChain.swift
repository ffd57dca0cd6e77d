import Foundation

/// One link of the chain of people who answer for a region at an instant.
public struct ResponsibleLink: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// 网格员 of the region or of an enclosing grid, finest level first.
        case gridWorker = "grid_worker"
        /// 乡镇（街道）主要负责人: a leader of the township's unit.
        case townshipHead = "township_head"
        /// 分包县领导: the county leader contracting the township.
        case contractingLeader = "contracting_leader"
        /// 值班人员 on duty for the region or an enclosing one.
        case onDuty = "on_duty"

        public var displayName: String {
            switch self {
            case .gridWorker: "网格员"
            case .townshipHead: "乡镇（街道）负责人"
            case .contractingLeader: "分包县领导"
            case .onDuty: "值班人员"
            }
        }
    }

    public var role: Role
    public var person: Person
    /// The region this link answers for (the grid, the township, the duty region).
    public var regionCode: String
    public var gridLevel: GridLevel?
    public var dutyRole: DutyRole?

    public init(
        role: Role, person: Person, regionCode: String, gridLevel: GridLevel? = nil, dutyRole: DutyRole? = nil
    ) {
        self.role = role
        self.person = person
        self.regionCode = regionCode
        self.gridLevel = gridLevel
        self.dutyRole = dutyRole
    }
}

/// "Who answers for region R at instant T": the grid workers of R and the grids enclosing it (finest level
/// first, nearest region first), the township's heads, the county leader contracting the township (分包),
/// then the people on duty for R or an enclosing region at T (nearest region first, 值班员 before 带班领导).
///
/// Pure: the store gathers the candidates, this decides who is in the chain and in what order.
public struct ResponsibleChainInput: Sendable {
    /// R first, then its parent, up to the root.
    public var lineage: [Region]
    public var gridAssignments: [GridAssignment]
    /// People of the township's unit(s); the heads are chosen by title.
    public var townshipStaff: [Person]
    public var contracts: [LeaderContract]
    public var shifts: [DutyShift]
    public var people: [UUID: Person]

    public init(
        lineage: [Region], gridAssignments: [GridAssignment], townshipStaff: [Person], contracts: [LeaderContract],
        shifts: [DutyShift], people: [UUID: Person]
    ) {
        self.lineage = lineage
        self.gridAssignments = gridAssignments
        self.townshipStaff = townshipStaff
        self.contracts = contracts
        self.shifts = shifts
        self.people = people
    }

    /// The township R lies in (R itself when it is one).
    public var township: Region? { lineage.first { $0.level == .township } }

    public func chain(at instant: Date) -> [ResponsibleLink] {
        let day = CalendarDay(containing: instant)
        let depth = Dictionary(lineage.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        var links: [ResponsibleLink] = []

        // Grid workers: only grids at or below the township.
        let townshipDepth = township.flatMap { depth[$0.code] } ?? lineage.count - 1
        let grids = gridAssignments.filter { assignment in
            guard let at = depth[assignment.regionCode], at <= townshipDepth else { return false }
            return assignment.term.contains(day)
        }.sorted { a, b in
            (b.level, depth[a.regionCode]!, name(a.personID)) < (a.level, depth[b.regionCode]!, name(b.personID))
        }
        for assignment in grids {
            guard let person = people[assignment.personID] else { continue }
            links.append(
                ResponsibleLink(
                    role: .gridWorker, person: person, regionCode: assignment.regionCode, gridLevel: assignment.level))
        }

        if let township {
            let heads = townshipStaff.compactMap { person in
                LeadershipTitle.rank(person.title).map { (rank: $0, person: person) }
            }.sorted { ($0.rank, $0.person.name) < ($1.rank, $1.person.name) }
            links += heads.map { ResponsibleLink(role: .townshipHead, person: $0.person, regionCode: township.code) }

            let contracting = contracts.filter { $0.townshipCodes.contains(township.code) && $0.term.contains(day) }
                .sorted { ($0.startsOn, name($0.leaderID)) < ($1.startsOn, name($1.leaderID)) }
            for contract in contracting {
                guard let person = people[contract.leaderID] else { continue }
                links.append(ResponsibleLink(role: .contractingLeader, person: person, regionCode: township.code))
            }
        }

        let onDuty = shifts.filter { depth[$0.regionCode] != nil && $0.covers(instant) }.sorted { a, b in
            (depth[a.regionCode]!, a.role == .officer ? 0 : 1, name(a.personID))
                < (depth[b.regionCode]!, b.role == .officer ? 0 : 1, name(b.personID))
        }
        for shift in onDuty {
            guard let person = people[shift.personID] else { continue }
            links.append(
                ResponsibleLink(role: .onDuty, person: person, regionCode: shift.regionCode, dutyRole: shift.role))
        }
        return links
    }

    private func name(_ id: UUID) -> String { people[id]?.name ?? "" }
}

/// Which titles make someone a head of a township (一把手 and the leading team), in the order they answer.
public enum LeadershipTitle {
    /// 0: party secretary; 1: the head of government or office; 2: their deputies. `nil`: not a leader.
    public static func rank(_ title: String?) -> Int? {
        guard let title, !title.isEmpty else { return nil }
        let deputy = title.contains("副")
        if title.contains("书记") { return deputy ? 2 : 0 }
        if ["镇长", "乡长", "主任", "区长", "县长"].contains(where: title.contains) { return deputy ? 2 : 1 }
        return nil
    }
}
