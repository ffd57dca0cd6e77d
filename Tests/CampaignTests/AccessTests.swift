import Testing

@testable import Campaign

@Suite("Roles, permissions and scopes")
struct AccessTests {
    @Test(arguments: Role.allCases)
    func everyRoleHasARowInTheTable(role: Role) {
        #expect(RolePermissions.table[role] != nil)
    }

    @Test func commandMayDoEverythingAndThePublicNothingBeyondOpenData() {
        #expect(RolePermissions.permissions(of: .command) == Set(Permission.allCases))
        #expect(RolePermissions.permissions(of: .public).isEmpty)
    }

    /// Auditors only read; supervisors verify handlings and rectifications (核查) and register what they
    /// find; grid workers handle the alerts and cases sent to them and register patrol finds; in-factory
    /// supervisors only handle what is sent to them.
    static let writesOfReaders: [(Role, Set<Permission>)] = [
        (.auditor, []), (.supervisor, [.alertsVerify, .casesCreate, .casesVerify]),
        (.gridWorker, [.alertsHandle, .casesCreate, .casesHandle]),
        (.factorySupervisor, [.alertsHandle, .casesHandle]),
    ]

    @Test func onlyCommandAndDispatchersAssignCasesAndOnlyVerifiersClose() {
        for role in Role.allCases {
            #expect(RolePermissions.role(role, may: .casesAssign) == [.command, .dispatcher].contains(role))
            #expect(RolePermissions.role(role, may: .casesVerify) == [.command, .supervisor].contains(role))
            #expect(RolePermissions.role(role, may: .accountabilityWrite) == (role == .command))
        }
    }

    @Test(arguments: writesOfReaders)
    func readersChangeOnlyWhatTheirWorkNeeds(role: Role, writes expected: Set<Permission>) {
        let writes = RolePermissions.permissions(of: role).filter { !$0.rawValue.hasSuffix(".read") }
        #expect(writes == expected, "\(role) has \(writes)")
    }

    @Test func onlyCommandManagesUsers() {
        for role in Role.allCases {
            #expect(RolePermissions.role(role, may: .usersManage) == (role == .command))
        }
    }

    @Test func scopesFollowTheRole() {
        #expect(AccessScope.of(role: .dispatcher, unitCode: "U1", gridRegions: ["R1"]) == .all)
        #expect(AccessScope.of(role: .unitOfficer, unitCode: "U1", gridRegions: ["R1"]) == .units(["U1"]))
        #expect(AccessScope.of(role: .unitOfficer, unitCode: nil, gridRegions: []) == AccessScope.none)
        #expect(
            AccessScope.of(role: .gridWorker, unitCode: "U1", gridRegions: ["R1", "R1a"]) == .regions(["R1", "R1a"]))
        #expect(AccessScope.of(role: .gridWorker, unitCode: "U1", gridRegions: []) == AccessScope.none)
        #expect(AccessScope.of(role: .public, unitCode: "U1", gridRegions: ["R1"]) == AccessScope.none)
    }

    @Test func scopeContainsItemsOfItsUnitsAndRegions() {
        #expect(AccessScope.units(["U1"]).contains(unitCode: "U1", regionPath: []))
        #expect(!AccessScope.units(["U1"]).contains(unitCode: "U2", regionPath: ["R1"]))
        #expect(AccessScope.regions(["R1"]).contains(unitCode: nil, regionPath: ["R1a", "R1"]))
        #expect(!AccessScope.regions(["R1"]).contains(unitCode: "U1", regionPath: ["R2"]))
        #expect(!AccessScope.none.contains(unitCode: "U1", regionPath: ["R1"]))
    }

    @Test func fifthFailureLocksForFifteenMinutes() {
        let policy = LockoutPolicy()
        var failures = 0
        for attempt in 1...4 {
            let result = policy.afterFailure(failures: failures, now: 1000)
            #expect(result.lockedUntil == nil, "attempt \(attempt)")
            failures = result.failures
        }
        let fifth = policy.afterFailure(failures: failures, now: 1000)
        let lockedUntil: Int64? = 1900
        #expect(fifth.lockedUntil == lockedUntil)
        #expect(fifth.failures == 0)
    }

    @Test func passwordsAndUsernamesAreChecked() {
        #expect(Credentials.passwordProblem("short") != nil)
        #expect(Credentials.passwordProblem("long enough password") == nil)
        #expect(Credentials.usernameProblem("zhang.san") == nil)
        #expect(Credentials.usernameProblem("has space") != nil)
    }
}
