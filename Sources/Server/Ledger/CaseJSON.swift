import Campaign
import Foundation
import Ingest
import Store
import Vapor

/// A case as the API answers it: codes with their Chinese names beside them, days as `YYYY-MM-DD`,
/// times in ISO 8601 (China time offset). The reporter's details appear only for the roles that handle
/// complaints (`includePrivate`).
public struct CaseJSON: Content, Sendable, Hashable {
    public var id: String
    public var number: String
    public var source: String
    public var sourceName: String
    public var category: String
    public var categoryName: String
    public var severity: String
    public var severityName: String
    public var status: String
    public var statusName: String
    public var title: String
    public var description: String
    public var address: String?
    public var longitude: Double?
    public var latitude: Double?
    public var regionCode: String?
    public var regionName: String?
    public var regionPath: [String]
    public var zoneIDs: [String]
    public var responsibleUnitCode: String?
    public var responsibleUnitName: String?
    public var responsibleLeader: String?
    public var responsiblePersonID: String?
    public var cooperatingUnits: [String]
    public var measures: String?
    public var deadline: String?
    public var deadlineBasis: String?
    public var deadlineProvisional: Bool
    public var overdue: Bool
    public var outcome: String?
    public var outcomeName: String?
    public var handler: String?
    public var extensionRequested: Bool
    public var closedOn: String?
    public var revisitDue: String?
    public var rebounds: Int
    public var alertID: String?
    public var isPublic: Bool
    public var reporterName: String?
    public var reporterContact: String?
    /// A link to media the complainant gave over Open311 (`media_url`): public, so shown to every role.
    public var mediaURL: String?
    public var createdAt: String
    public var createdBy: String
    public var updatedAt: String

    public init(
        _ item: LedgerCase, today: CalendarDay, unitNames: [String: String] = [:], regionNames: [String: String] = [:],
        includePrivate: Bool = false
    ) {
        id = item.id
        number = item.number
        source = item.source.rawValue
        sourceName = item.source.displayName
        category = item.category.rawValue
        categoryName = item.category.displayName
        severity = item.severity.rawValue
        severityName = item.severity.displayName
        status = item.state.status.rawValue
        statusName = item.state.status.displayName
        title = item.title
        description = item.description
        address = item.address
        longitude = item.location?.longitude
        latitude = item.location?.latitude
        regionCode = item.regionCode
        regionName = item.regionCode.flatMap { regionNames[$0] }
        regionPath = item.regionPath
        zoneIDs = item.zoneIDs
        responsibleUnitCode = item.responsibleUnitCode
        responsibleUnitName = item.responsibleUnitCode.flatMap { unitNames[$0] }
        responsibleLeader = item.responsibleLeader
        responsiblePersonID = item.responsiblePersonID
        cooperatingUnits = item.cooperatingUnits
        measures = item.measures
        deadline = item.state.deadline?.description
        deadlineBasis = item.deadlineBasis
        deadlineProvisional = item.deadlineProvisional
        overdue = item.isOverdue(on: today)
        outcome = item.state.outcome?.rawValue
        outcomeName = item.state.outcome?.displayName
        handler = item.state.handlerID
        extensionRequested = item.state.extensionRequested
        closedOn = item.state.closedOn?.description
        revisitDue = item.state.revisitDue?.description
        rebounds = item.state.rebounds
        alertID = item.alertID
        isPublic = item.isPublic
        reporterName = includePrivate ? item.reporterName : nil
        reporterContact = includePrivate ? item.reporterContact : nil
        mediaURL = item.mediaURL
        createdAt = ISO8601Time.format(item.createdAt)
        createdBy = item.createdBy
        updatedAt = ISO8601Time.format(item.updatedAt)
    }
}

public struct CaseEventJSON: Content, Sendable, Hashable {
    public var seq: Int64
    public var at: String
    public var action: String
    public var actionName: String
    public var actorName: String
    public var actorRole: String?
    public var fromStatus: String?
    public var toStatus: String
    public var toStatusName: String
    public var note: String?
    public var evidence: [String]
    public var outcome: String?
    public var deadline: String?

    init(_ event: CaseEvent) {
        seq = event.seq
        at = ISO8601Time.format(event.at)
        action = event.action
        actionName = event.actionName
        actorName = event.actor.hasPrefix("user:") ? String(event.actor.dropFirst(5)) : event.actor
        actorRole = event.actorRole
        fromStatus = event.fromStatus?.rawValue
        toStatus = event.toStatus.rawValue
        toStatusName = event.toStatus.displayName
        note = event.note
        evidence = event.evidence
        outcome = event.outcome?.rawValue
        deadline = event.deadline?.description
    }
}

public struct AttachmentJSON: Content, Sendable, Hashable {
    public var id: String
    public var caseID: String
    public var fileName: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var width: Int?
    public var height: Int?
    public var url: String
    public var thumbnailURL: String?
    public var uploadedBy: String
    public var uploadedAt: String

    init(_ attachment: CaseAttachment) {
        id = attachment.id
        caseID = attachment.caseID
        fileName = attachment.fileName
        contentType = attachment.contentType
        size = attachment.size
        sha256 = attachment.sha256
        width = attachment.width
        height = attachment.height
        url = "/api/v1/attachments/\(attachment.id)"
        thumbnailURL = attachment.hasThumbnail ? "/api/v1/attachments/\(attachment.id)/thumbnail" : nil
        uploadedBy = attachment.uploadedBy
        uploadedAt = ISO8601Time.format(attachment.uploadedAt)
    }
}

/// One case with its history, evidence, accountability, duplicates nearby and what the caller may do next.
public struct CaseDetailJSON: Content, Sendable, Hashable {
    public var `case`: CaseJSON
    public var events: [CaseEventJSON]
    public var attachments: [AttachmentJSON]
    public var accountability: [AccountabilityJSON]
    public var duplicates: [DuplicateJSON]
    public var allowedActions: [String]
}

public struct DuplicateJSON: Content, Sendable, Hashable {
    public var caseID: String
    public var number: String?
    public var metres: Double
}

public struct CaseListJSON: Content, Sendable, Hashable {
    public var cases: [CaseJSON]
    public var total: Int
}

public struct AccountabilityJSON: Content, Sendable, Hashable {
    public var id: String
    public var kind: String
    public var kindName: String
    public var unitCode: String
    public var unitName: String?
    public var subjectName: String?
    public var personID: String?
    public var caseIDs: [String]
    public var day: String
    public var issuedBy: String
    public var documentNumber: String?
    public var summary: String
    public var createdBy: String
    public var createdAt: String

    init(_ record: AccountabilityRecord, unitNames: [String: String]) {
        id = record.id
        kind = record.kind.rawValue
        kindName = record.kind.displayName
        unitCode = record.unitCode
        unitName = unitNames[record.unitCode]
        subjectName = record.subjectName
        personID = record.personID
        caseIDs = record.caseIDs
        day = record.day.description
        issuedBy = record.issuedBy
        documentNumber = record.documentNumber
        summary = record.summary
        createdBy = record.createdBy
        createdAt = ISO8601Time.format(record.createdAt)
    }
}

extension CaseStatisticsReport: Content {}
extension CaseRoutingTable: Content {}
