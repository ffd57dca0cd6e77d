import Campaign
import FluentKit
import Foundation
import SQLKit

/// An evidence file's record; its bytes are kept by the server under the data directory.
public struct CaseAttachment: Sendable, Hashable, Codable {
    public var id: String
    public var caseID: String
    public var fileName: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var width: Int?
    public var height: Int?
    public var hasThumbnail: Bool
    public var uploadedBy: String
    public var uploadedAt: Int64

    public init(
        id: String, caseID: String, fileName: String, contentType: String, size: Int64, sha256: String,
        width: Int? = nil, height: Int? = nil, hasThumbnail: Bool, uploadedBy: String, uploadedAt: Int64
    ) {
        self.id = id
        self.caseID = caseID
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.hasThumbnail = hasThumbnail
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

extension LedgerRepository {
    // MARK: Attachments

    /// Records an attachment whose bytes the caller has already stored durably (audited). `store` runs
    /// inside the transaction after the case is checked, so a refused upload leaves no record.
    public func addAttachment(_ attachment: CaseAttachment, by actor: AuditActor) async throws {
        try await database.writeTransaction { transaction in
            let repository = LedgerRepository(database: transaction)
            guard try await repository.case(id: attachment.caseID) != nil else {
                throw LedgerError.notFound("案件 \(attachment.caseID)")
            }
            try await repository.sql.raw(
                """
                INSERT INTO case_attachments (id, case_id, file_name, content_type, size, sha256, width, height,
                    has_thumbnail, uploaded_by, uploaded_at)
                VALUES (\(bind: attachment.id), \(bind: attachment.caseID), \(bind: attachment.fileName),
                    \(bind: attachment.contentType), \(bind: attachment.size), \(bind: attachment.sha256),
                    \(bind: attachment.width), \(bind: attachment.height), \(bind: attachment.hasThumbnail),
                    \(bind: attachment.uploadedBy), \(bind: attachment.uploadedAt))
                """
            ).run()
            try await AuditTrail.append(
                on: transaction, actor: actor, action: "attach", entity: "case", entityID: attachment.caseID,
                before: nil, after: attachment, at: attachment.uploadedAt)
        }
    }

    public func attachments(caseID: String) async throws -> [CaseAttachment] {
        try await sql.raw(
            "SELECT * FROM case_attachments WHERE case_id = \(bind: caseID) ORDER BY uploaded_at, id"
        ).all().map(Self.attachment)
    }

    public func attachment(id: String) async throws -> CaseAttachment? {
        try await sql.raw("SELECT * FROM case_attachments WHERE id = \(bind: id)").first().map(Self.attachment)
    }

    static func attachment(_ row: any SQLRow) throws -> CaseAttachment {
        CaseAttachment(
            id: try row.decode(column: "id", as: String.self),
            caseID: try row.decode(column: "case_id", as: String.self),
            fileName: try row.decode(column: "file_name", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            size: try row.decode(column: "size", as: Int64.self),
            sha256: try row.decode(column: "sha256", as: String.self),
            width: try row.decode(column: "width", as: Int?.self),
            height: try row.decode(column: "height", as: Int?.self),
            hasThumbnail: try row.decode(column: "has_thumbnail", as: Bool.self),
            uploadedBy: try row.decode(column: "uploaded_by", as: String.self),
            uploadedAt: try row.decode(column: "uploaded_at", as: Int64.self))
    }

    // MARK: Accountability

    /// Records a summons, a public criticism, a referral or a three-way investigation (validated, audited).
    public func addAccountability(_ record: AccountabilityRecord, by actor: AuditActor) async throws {
        let problems = record.problems.map { FieldProblem(field: $0.field, message: $0.message) }
        try await database.writeTransaction { transaction in
            let repository = LedgerRepository(database: transaction)
            var issues = problems
            if !record.unitCode.isEmpty, try await repository.existingUnits([record.unitCode]).isEmpty {
                issues.append(
                    .init(field: "unitCode", message: "单位 \(record.unitCode) 不存在 / no unit \(record.unitCode)"))
            }
            if let person = record.personID, try await !repository.personExists(person) {
                issues.append(.init(field: "personID", message: "人员 \(person) 不存在 / no person \(person)"))
            }
            for caseID in Set(record.caseIDs).sorted() where try await repository.case(id: caseID) == nil {
                issues.append(.init(field: "caseIDs", message: "案件 \(caseID) 不存在 / no case \(caseID)"))
            }
            guard issues.isEmpty else { throw LedgerError.invalid(issues) }
            try await repository.sql.raw(
                """
                INSERT INTO accountability_records (id, kind, unit_code, subject_name, person_id, day, issued_by,
                    document_number, summary, created_by, created_at)
                VALUES (\(bind: record.id), \(bind: record.kind.rawValue), \(bind: record.unitCode),
                    \(bind: record.subjectName), \(bind: record.personID), \(bind: record.day.description),
                    \(bind: record.issuedBy), \(bind: record.documentNumber), \(bind: record.summary),
                    \(bind: record.createdBy), \(bind: record.createdAt))
                """
            ).run()
            for caseID in Set(record.caseIDs).sorted() {
                try await repository.sql.raw(
                    "INSERT INTO accountability_cases (record_id, case_id) VALUES (\(bind: record.id), \(bind: caseID))"
                ).run()
            }
            try await AuditTrail.append(
                on: transaction, actor: actor, action: "create", entity: "accountability", entityID: record.id,
                before: nil, after: record, at: record.createdAt)
        }
    }

    /// Accountability records, newest first: of a unit (or any of `unitCodes`), of a case, of a kind.
    public func accountability(
        unitCode: String? = nil, unitCodes: Set<String>? = nil, caseID: String? = nil, kind: AccountabilityKind? = nil
    ) async throws -> [AccountabilityRecord] {
        var query = SQLQueryString("SELECT * FROM accountability_records r WHERE 1 = 1")
        if let unitCode {
            query.appendInterpolation(unsafeRaw: " AND r.unit_code = ")
            query.appendInterpolation(bind: unitCode)
        }
        if let unitCodes {
            query.appendInterpolation(unsafeRaw: " AND r.unit_code IN (")
            query.appendInterpolation(binds: unitCodes.sorted() + [""])
            query.appendInterpolation(unsafeRaw: ")")
        }
        if let caseID {
            query.appendInterpolation(
                unsafeRaw: " AND EXISTS (SELECT 1 FROM accountability_cases c WHERE c.record_id = r.id AND c.case_id = "
            )
            query.appendInterpolation(bind: caseID)
            query.appendInterpolation(unsafeRaw: ")")
        }
        if let kind {
            query.appendInterpolation(unsafeRaw: " AND r.kind = ")
            query.appendInterpolation(bind: kind.rawValue)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY r.day DESC, r.created_at DESC, r.id")
        let rows = try await sql.raw(query).all()
        var records: [AccountabilityRecord] = []
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            let cases = try await sql.raw(
                "SELECT case_id FROM accountability_cases WHERE record_id = \(bind: id) ORDER BY case_id"
            ).all().map { try $0.decode(column: "case_id", as: String.self) }
            records.append(
                AccountabilityRecord(
                    id: id,
                    kind: AccountabilityKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .summons,
                    unitCode: try row.decode(column: "unit_code", as: String.self),
                    subjectName: try row.decode(column: "subject_name", as: String?.self),
                    personID: try row.decode(column: "person_id", as: String?.self), caseIDs: cases,
                    day: CalendarDay(try row.decode(column: "day", as: String.self)) ?? CalendarDay(containing: Date()),
                    issuedBy: try row.decode(column: "issued_by", as: String.self),
                    documentNumber: try row.decode(column: "document_number", as: String?.self),
                    summary: try row.decode(column: "summary", as: String.self),
                    createdBy: try row.decode(column: "created_by", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Int64.self)))
        }
        return records
    }

    // MARK: From an alert

    /// Converts an alert into a case in one transaction: the case (source 监测预警, at the station, to the
    /// alert's unit unless the draft names one) records the alert, and the alert is closed as converted
    /// with the case's id — linked both ways, or neither.
    public func createFromAlert(
        _ alertID: String, draft: CaseDraft, placement: CasePlacement, by actor: LedgerActor, today: CalendarDay,
        calendar: WorkingCalendar, at now: Int64, id: String = UUID().uuidString.lowercased()
    ) async throws -> (case: LedgerCase, alert: Alert) {
        try await database.writeTransaction { transaction in
            let alerts = AlertRepository(database: transaction)
            guard let alert = try await alerts.alert(id: alertID, forUpdate: true) else {
                throw LedgerError.notFound("预警 \(alertID)")
            }
            // The lifecycle decides whether it may be converted now; checked before the case is written.
            do {
                _ = try AlertLifecycle.next(after: .convertToCase, from: alert.status)
            } catch let error as AlertTransitionError {
                throw LedgerError.refused(error.reason)
            }
            var draft = draft
            draft.alertID = alertID
            draft.source = .monitoringAlert
            if draft.responsibleUnitCode == nil { draft.responsibleUnitCode = alert.assigneeUnitCode }
            let item = try await LedgerRepository(database: transaction).insert(
                draft, placement: placement, by: actor, today: today, calendar: calendar, at: now, id: id)
            let converted = try await alerts.perform(
                .convertToCase, on: alertID, by: actor.audit, at: now, note: "转为台账 \(item.number)", caseID: item.id)
            return (item, converted)
        }
    }
}

/// Open ledger cases at their recorded point: what a zone around a control station holds includes the
/// problems being rectified inside it.
public struct OpenCaseLocations: LocatedThingSource {
    public var kind: String { "case" }

    public init() {}

    public func things(in box: BoundingBox, on database: any Database) async throws -> [LocatedThing] {
        try await LedgerRepository(database: database).openCases(in: box).compactMap { item in
            item.location.map {
                LocatedThing(
                    kind: kind, code: item.id, name: "\(item.number)·\(item.category.displayName)·\(item.title)",
                    coordinate: $0)
            }
        }
    }
}
