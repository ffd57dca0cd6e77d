import Campaign
import Foundation
import Ingest
import Vapor

/// An alert as the API answers it: times in ISO 8601 (China time offset), status and kinds with
/// their Chinese names beside the codes.
public struct AlertJSON: Content, Sendable, Hashable {
    public var id: String
    public var ruleID: String
    public var stationCode: String
    public var kind: String
    public var kindName: String
    public var severity: String
    public var code: String?
    public var status: String
    public var statusName: String
    public var regionCode: String?
    public var message: String
    public var firstTime: String
    public var lastTime: String
    public var count: Int
    public var value: Double?
    public var peak: Double?
    public var threshold: Double?
    public var openedAt: String
    public var dispatchedAt: String?
    public var deadline: String?
    public var overdue: Bool
    public var acknowledgedAt: String?
    public var handledAt: String?
    public var verifiedAt: String?
    public var closedAt: String?
    public var assigneePersonID: String?
    public var assigneeUnitCode: String?
    public var tier: String
    public var tierName: String
    public var cause: String?
    public var handlingNote: String?
    public var handledBy: String?
    public var verifiedBy: String?
    public var caseID: String?

    public init(_ alert: Alert, now: Int64) {
        func time(_ seconds: Int64?) -> String? { seconds.map(ISO8601Time.format) }
        id = alert.id
        ruleID = alert.ruleID
        stationCode = alert.stationCode
        kind = alert.kind.rawValue
        kindName = alert.kind.displayName
        severity = alert.severity.rawValue
        code = alert.code
        status = alert.status.rawValue
        statusName = alert.status.displayName
        regionCode = alert.regionCode
        message = alert.message
        firstTime = ISO8601Time.format(alert.firstTime)
        lastTime = ISO8601Time.format(alert.lastTime)
        count = alert.count
        value = alert.value
        peak = alert.peak
        threshold = alert.threshold
        openedAt = ISO8601Time.format(alert.openedAt)
        dispatchedAt = time(alert.dispatchedAt)
        deadline = time(alert.deadline)
        overdue = alert.isOverdue(at: now)
        acknowledgedAt = time(alert.acknowledgedAt)
        handledAt = time(alert.handledAt)
        verifiedAt = time(alert.verifiedAt)
        closedAt = time(alert.closedAt)
        assigneePersonID = alert.assigneePersonID
        assigneeUnitCode = alert.assigneeUnitCode
        tier = String(describing: alert.tier)
        tierName = alert.tier.displayName
        cause = alert.cause?.rawValue
        handlingNote = alert.handlingNote
        handledBy = alert.handledBy
        verifiedBy = alert.verifiedBy
        caseID = alert.caseID
    }
}
