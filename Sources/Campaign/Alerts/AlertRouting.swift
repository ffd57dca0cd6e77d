/// Who an alert goes to, as a table of data: the first route whose match fits the station and the
/// rule decides. E.g. construction dust → 住建局 with the township in copy; a micro station in a
/// township → that township's grid worker (the responsible chain of the station's region).
public struct AlertRoutingTable: Sendable, Hashable, Codable {
    public var routes: [AlertRoute]
    /// When no route matches: the responsible chain of the station's region.
    public var fallback: AlertAssignee

    public init(routes: [AlertRoute], fallback: AlertAssignee = .responsibleChain) {
        self.routes = routes
        self.fallback = fallback
    }

    /// The route for an alert of `kind` at `station`; the fallback route when none matches.
    public func route(station: AlertStation, kind: AlertConditionKind, ruleID: String) -> AlertRoute {
        routes.first { $0.matches(station: station, kind: kind, ruleID: ruleID) }
            ?? AlertRoute(name: "默认：属地责任链 / default: the responsible chain", assignTo: fallback)
    }

    /// The defaults of a new deployment: dust sites to the housing and construction bureau (the unit
    /// responsible for the station) with the township informed; source monitors to the unit responsible
    /// for the enterprise; data-quality alerts to the unit that runs the station; everything else to the
    /// responsible chain (grid worker first).
    public static let standard = AlertRoutingTable(routes: [
        AlertRoute(
            name: "工地扬尘 → 住建部门，抄送属地 / dust sites → construction bureau, township in copy",
            stationKinds: [.dust], assignTo: .stationUnit, copyResponsibleChain: true),
        AlertRoute(
            name: "污染源在线监测 → 责任单位 / source monitors → the responsible unit",
            stationKinds: [.sourceMonitor], assignTo: .stationUnit, copyResponsibleChain: true),
        AlertRoute(
            name: "数据质量 → 站点运维责任单位 / data quality → the station's unit",
            conditionKinds: [.offline, .flatLine, .stuckAtZero], assignTo: .stationUnit),
    ])
}

public struct AlertRoute: Sendable, Hashable, Codable {
    public var name: String
    public var stationKinds: Set<StationKind>?
    public var conditionKinds: Set<AlertConditionKind>?
    public var ruleIDs: Set<String>?
    /// Inside a control zone (true), outside (false), either (nil).
    public var inZone: Bool?
    public var assignTo: AlertAssignee
    /// Also inform the responsible chain's first person (e.g. the township for a dust site).
    public var copyResponsibleChain: Bool
    /// Units informed in copy.
    public var copyUnits: [String]

    public init(
        name: String, stationKinds: Set<StationKind>? = nil, conditionKinds: Set<AlertConditionKind>? = nil,
        ruleIDs: Set<String>? = nil, inZone: Bool? = nil, assignTo: AlertAssignee, copyResponsibleChain: Bool = false,
        copyUnits: [String] = []
    ) {
        self.name = name
        self.stationKinds = stationKinds
        self.conditionKinds = conditionKinds
        self.ruleIDs = ruleIDs
        self.inZone = inZone
        self.assignTo = assignTo
        self.copyResponsibleChain = copyResponsibleChain
        self.copyUnits = copyUnits
    }

    public func matches(station: AlertStation, kind: AlertConditionKind, ruleID: String) -> Bool {
        if let stationKinds, !stationKinds.contains(station.kind) { return false }
        if let conditionKinds, !conditionKinds.contains(kind) { return false }
        if let ruleIDs, !ruleIDs.contains(ruleID) { return false }
        if let inZone, inZone == station.zoneCodes.isEmpty { return false }
        return true
    }
}

public enum AlertAssignee: Sendable, Hashable, Codable {
    /// The people who answer for the station's region (grid worker, township head, 分包 leader, HQ),
    /// starting from the first; escalation climbs the same chain.
    case responsibleChain
    /// The unit responsible for the station (its `responsibleUnitCode`), then the chain.
    case stationUnit
    /// A named unit, then the chain.
    case unit(code: String)
}
