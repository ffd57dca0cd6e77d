import Testing

@testable import Campaign

@Suite("Alert lifecycle, escalation and routing")
struct AlertLifecycleTests {
    /// Every (action, status) pair: the status it leads to, or nil when refused.
    static let table: [(AlertAction, AlertStatus, AlertStatus?)] = {
        let allowed: [AlertAction: [AlertStatus: AlertStatus]] = [
            .dispatch: [.open: .dispatched, .dispatched: .dispatched, .acknowledged: .dispatched],
            .acknowledge: [.dispatched: .acknowledged],
            .handle: [.dispatched: .handled, .acknowledged: .handled],
            .returnToHandler: [.handled: .acknowledged],
            .verify: [.handled: .verified],
            .close: [.verified: .closed],
            .convertToCase: [
                .open: .converted, .dispatched: .converted, .acknowledged: .converted, .handled: .converted,
                .verified: .converted,
            ],
        ]
        return AlertAction.allCases.flatMap { action in
            AlertStatus.allCases.map { status in (action, status, allowed[action]?[status]) }
        }
    }()

    @Test(arguments: table)
    func transitions(action: AlertAction, from status: AlertStatus, to expected: AlertStatus?) {
        do {
            let next = try AlertLifecycle.next(after: action, from: status)
            #expect(next == expected)
        } catch {
            #expect(expected == nil)
            #expect(error.reason.contains(status.displayName) && error.reason.contains(action.displayName))
        }
    }

    @Test func closedAndConvertedAlertsAreNoLongerOpen() {
        #expect(AlertStatus.allCases.filter { !$0.isOpen } == [.closed, .converted])
        #expect(AlertStatus.allCases.filter(\.awaitsHandling) == [.open, .dispatched, .acknowledged])
    }

    @Test func theVerifierIsNotTheHandler() throws {
        #expect(throws: AlertTransitionError.self) { try AlertLifecycle.checkVerifier("p-1", handler: "p-1") }
        try AlertLifecycle.checkVerifier("p-2", handler: "p-1")
    }

    @Test(arguments: [
        (AlertCause?.none, "已找到" as String?, "原因"),
        (.sourceStopped, "  ", "说明"),
        (.sourceStopped, nil, "说明"),
        (.explained, "风向变化导致短时高值", ""),
    ])
    func handlingNeedsACauseAndANote(cause: AlertCause?, note: String?, problem: String) {
        do {
            try AlertLifecycle.checkHandling(cause: cause, note: note)
            #expect(problem.isEmpty)
        } catch {
            #expect(!problem.isEmpty && error.reason.contains(problem))
        }
    }

    // MARK: escalation

    static let dispatchedAt: Int64 = 1_700_000_000

    @Test(arguments: [
        // minutes after dispatch, tier reached so far, the tiers due now
        (59, EscalationTier.gridWorker, [EscalationTier]()),
        (60, .gridWorker, [.townshipHead]),
        (95, .gridWorker, [.townshipHead, .contractingLeader]),  // a missed timer catches up in order
        (95, .townshipHead, [.contractingLeader]),
        (120, .contractingLeader, [.command]),
        (500, .command, []),
    ])
    func escalationClimbsTheChainOnItsTimers(minutes: Int, reached: EscalationTier, due: [EscalationTier]) {
        let policy = EscalationPolicy()
        let steps = policy.dueSteps(
            dispatchedAt: Self.dispatchedAt, now: Self.dispatchedAt + Int64(minutes) * 60, reached: reached)
        #expect(steps.map(\.tier) == due)
    }

    @Test func theDefaultDeadlineIsAnHour() {
        let policy = EscalationPolicy()
        #expect(policy.deadline(dispatchedAt: Self.dispatchedAt) == Self.dispatchedAt + 3600)
        #expect(policy.nextDue(dispatchedAt: Self.dispatchedAt, reached: .gridWorker) == Self.dispatchedAt + 3600)
        #expect(policy.nextDue(dispatchedAt: Self.dispatchedAt, reached: .command) == nil)
        #expect(policy.problems.isEmpty)
    }

    @Test func aPolicyThatDoesNotClimbIsRefused() {
        let policy = EscalationPolicy(
            handlingMinutes: 30,
            steps: [.init(tier: .contractingLeader, afterMinutes: 30), .init(tier: .townshipHead, afterMinutes: 60)])
        #expect(policy.problems.count == 1)
        #expect(EscalationPolicy(handlingMinutes: 0).problems.contains { $0.contains("handlingMinutes") })
    }

    // MARK: routing

    static func station(_ kind: StationKind, zones: [String] = []) -> AlertStation {
        AlertStation(code: "S", kind: kind, coordinate: Coordinate(longitude: 116.4, latitude: 39.9), zoneCodes: zones)
    }

    @Test(arguments: [
        (StationKind.dust, AlertConditionKind.threshold, AlertAssignee.stationUnit, true),
        (.micro, .relativeHigh, .responsibleChain, false),
        (.micro, .threshold, .responsibleChain, false),
        (.sourceMonitor, .emissionLimit, .stationUnit, true),
        (.national, .offline, .stationUnit, false),
        (.national, .interference, .responsibleChain, false),
    ])
    func standardRoutes(kind: StationKind, condition: AlertConditionKind, assignee: AlertAssignee, copy: Bool) {
        let route = AlertRoutingTable.standard.route(station: Self.station(kind), kind: condition, ruleID: "r")
        #expect(route.assignTo == assignee)
        #expect(route.copyResponsibleChain == copy)
    }

    @Test func routesMatchZonesAndRulesFirstMatchWins() {
        let table = AlertRoutingTable(routes: [
            AlertRoute(name: "zone", inZone: true, assignTo: .unit(code: "HQ-ZONE")),
            AlertRoute(name: "pm10", ruleIDs: ["pm10-hour-high"], assignTo: .unit(code: "CGW")),
        ])
        #expect(
            table.route(station: Self.station(.micro, zones: ["1001A-500"]), kind: .threshold, ruleID: "pm10-hour-high")
                .name == "zone")
        #expect(table.route(station: Self.station(.micro), kind: .threshold, ruleID: "pm10-hour-high").name == "pm10")
        #expect(
            table.route(station: Self.station(.micro), kind: .threshold, ruleID: "pm25-hour-high").assignTo
                == .responsibleChain)
    }

    @Test func theStandardRulesAreValid() {
        for rule in StandardAlertRules.all { #expect(rule.condition.problems.isEmpty, "\(rule.id)") }
        #expect(Set(StandardAlertRules.all.map(\.id)).count == StandardAlertRules.all.count)
        #expect(Set(StandardAlertRules.all.map(\.condition.kind)).count >= 7)
    }
}
