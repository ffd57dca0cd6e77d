/// The roles of people who sign in to Lantian (GLOSSARY: 指挥部, 调度员, 督查/核查, 单位责任人, 网格员,
/// 驻厂监管员, 审计, 公众).
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case command
    case dispatcher
    case supervisor
    case unitOfficer = "unit_officer"
    case gridWorker = "grid_worker"
    case factorySupervisor = "factory_supervisor"
    case auditor
    case `public`

    public var displayName: String {
        switch self {
        case .command: "指挥部"
        case .dispatcher: "调度员"
        case .supervisor: "督查/核查"
        case .unitOfficer: "单位责任人"
        case .gridWorker: "网格员"
        case .factorySupervisor: "驻厂监管员"
        case .auditor: "审计"
        case .public: "公众"
        }
    }

    /// "角色“x”无效" with the valid names, for 422 answers and the command line.
    public static func problem(_ text: String) -> String {
        "角色“\(text)”无效 / unknown role; expected " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// What a signed-in user may do. Reads of public monitoring data (AQI, latest values) need none.
public enum Permission: String, Sendable, Hashable, CaseIterable, Codable {
    /// Station registry entries (with their HJ 212 identity) and raw readings.
    case stationsRead = "stations.read"
    case stationsCreate = "stations.create"
    case stationsUpdate = "stations.update"
    /// Readings pushed over HTTP (`POST /readings`) and file imports.
    case readingsWrite = "readings.write"
    /// Regions, units, people, grid assignments, leader contracts, rosters, located points and station zones.
    case organisationRead = "organisation.read"
    case regionsWrite = "regions.write"
    case unitsWrite = "units.write"
    case peopleWrite = "people.write"
    case assignmentsWrite = "assignments.write"
    case contractsWrite = "contracts.write"
    case rostersWrite = "rosters.write"
    /// User accounts.
    case usersRead = "users.read"
    case usersManage = "users.manage"
    /// Alerts: read them (and their live stream and statistics); acknowledge and handle them; verify,
    /// return and close a handling; re-assign them and turn them into ledger cases; edit the rules.
    case alertsRead = "alerts.read"
    case alertsHandle = "alerts.handle"
    case alertsVerify = "alerts.verify"
    case alertsDispatch = "alerts.dispatch"
    case alertRulesWrite = "alert_rules.write"
    // The ledger.
    case casesRead = "cases.read"
    /// Register a case (a patrol find, a complaint taken by phone).
    case casesCreate = "cases.create"
    /// 交办 and granting extensions.
    case casesAssign = "cases.assign"
    /// Rectify: start, submit with evidence, ask for an extension, upload evidence.
    case casesHandle = "cases.handle"
    /// 核查: return, close, close honestly not fixed, revisit.
    case casesVerify = "cases.verify"
    case caseRoutingWrite = "case_routing.write"
    case accountabilityRead = "accountability.read"
    case accountabilityWrite = "accountability.write"
}

/// THE table: which role may do what. Scope (which items) is `AccessScope`; this says which actions.
public enum RolePermissions {
    public static let table: [Role: Set<Permission>] = [
        .command: Set(Permission.allCases),
        .dispatcher: [
            .stationsRead, .readingsWrite, .organisationRead, .assignmentsWrite, .rostersWrite, .alertsRead,
            .alertsDispatch, .casesRead, .casesCreate, .casesAssign,
        ],
        .supervisor: [
            .stationsRead, .organisationRead, .alertsRead, .alertsVerify, .casesRead, .casesCreate, .casesVerify,
            .accountabilityRead,
        ],
        .unitOfficer: [
            .stationsRead, .stationsUpdate, .organisationRead, .peopleWrite, .rostersWrite, .alertsRead, .alertsHandle,
            .casesRead, .casesCreate, .casesHandle, .accountabilityRead,
        ],
        .gridWorker: [
            .stationsRead, .organisationRead, .alertsRead, .alertsHandle, .casesRead, .casesCreate, .casesHandle,
        ],
        .factorySupervisor: [.stationsRead, .alertsRead, .alertsHandle, .casesRead, .casesHandle],
        .auditor: [.stationsRead, .organisationRead, .usersRead, .alertsRead, .casesRead, .accountabilityRead],
        .public: [],
    ]

    public static func permissions(of role: Role) -> Set<Permission> { table[role] ?? [] }

    public static func role(_ role: Role, may permission: Permission) -> Bool {
        permissions(of: role).contains(permission)
    }
}

/// Which items a user sees and acts on. Applied in repository queries; an item outside the scope is
/// answered as if it did not exist (404), so ids do not leak.
public enum AccessScope: Sendable, Hashable {
    case all
    /// Items of these responsible units.
    case units(Set<String>)
    /// Items inside these regions (grids) or their descendants.
    case regions(Set<String>)
    case none

    /// The scope of a user of `role` in `unitCode` whose grid assignments name `gridRegions`.
    /// HQ-wide roles see everything; unit officers and in-factory supervisors their unit; grid workers
    /// their grids; the public nothing beyond the open data.
    public static func of(role: Role, unitCode: String?, gridRegions: Set<String>) -> AccessScope {
        switch role {
        case .command, .dispatcher, .supervisor, .auditor:
            return .all
        case .unitOfficer, .factorySupervisor:
            guard let unitCode else { return .none }
            return .units([unitCode])
        case .gridWorker:
            return gridRegions.isEmpty ? .none : .regions(gridRegions)
        case .public:
            return .none
        }
    }

    /// Whether an item of `unitCode` in a region whose ancestry (itself first) is `regionPath` is in scope.
    public func contains(unitCode: String?, regionPath: [String]) -> Bool {
        switch self {
        case .all: true
        case .none: false
        case .units(let units): unitCode.map(units.contains) ?? false
        case .regions(let regions): regionPath.contains(where: regions.contains)
        }
    }
}

/// A signed-in user as the rest of the system sees it (never the password hash).
public struct UserAccount: Sendable, Hashable, Codable {
    public var id: String
    public var username: String
    public var displayName: String
    public var role: Role
    public var unitCode: String?
    public var personID: String?
    public var disabled: Bool

    public init(
        id: String, username: String, displayName: String, role: Role, unitCode: String? = nil,
        personID: String? = nil, disabled: Bool = false
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unitCode = unitCode
        self.personID = personID
        self.disabled = disabled
    }

    public func may(_ permission: Permission) -> Bool {
        !disabled && RolePermissions.role(role, may: permission)
    }
}

/// Rules for usernames and passwords, shared by the API and the command line.
public enum Credentials {
    public static let minimumPasswordLength = 10

    public static func usernameProblem(_ username: String) -> String? {
        let allowed = username.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "-_.".unicodeScalars.contains($0)
        }
        guard (2...64).contains(username.count), allowed else {
            return "用户名应为 2–64 个字母、数字或 - _ . / the username must be 2–64 letters, digits or - _ ."
        }
        return nil
    }

    public static func passwordProblem(_ password: String) -> String? {
        guard password.count >= minimumPasswordLength else {
            return
                "密码至少 \(minimumPasswordLength) 个字符 / the password must have at least \(minimumPasswordLength) characters"
        }
        guard password.count <= 72 else {
            // bcrypt reads at most 72 bytes.
            return "密码最多 72 个字符 / the password must have at most 72 characters"
        }
        return nil
    }
}

/// Lock-out after repeated failures: pure, with the clock passed in.
public struct LockoutPolicy: Sendable, Hashable {
    public var maximumFailures: Int
    public var lockSeconds: Int64

    public init(maximumFailures: Int = 5, lockSeconds: Int64 = 15 * 60) {
        self.maximumFailures = maximumFailures
        self.lockSeconds = lockSeconds
    }

    /// After one more failure: the new count and, when it reaches the limit, until when the account is locked.
    public func afterFailure(failures: Int, now: Int64) -> (failures: Int, lockedUntil: Int64?) {
        let count = failures + 1
        return count >= maximumFailures ? (0, now + lockSeconds) : (count, nil)
    }
}
