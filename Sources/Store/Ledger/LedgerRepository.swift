import Campaign
import FluentKit
import Foundation
import SQLKit

/// Why a ledger operation was refused; every case names the field or the reason, Chinese first.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case invalid([FieldProblem])
    case refused(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) 不存在 / \(what) not found"
        case .invalid(let issues): issues.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .refused(let reason): reason
        case .conflict(let reason): reason
        }
    }
}

/// Where a case lies, resolved by the caller from the region tree and the zones.
public struct CasePlacement: Sendable, Hashable {
    /// Ancestry of the smallest region holding the case, from the top (the last is the region itself).
    public var regionPath: [String]
    public var zoneIDs: [String]

    public init(regionPath: [String] = [], zoneIDs: [String] = []) {
        self.regionPath = regionPath
        self.zoneIDs = zoneIDs
    }
}

/// Who takes a step: the audit actor (`user:<name>`), the workflow's view (id and role), and the
/// person record behind the account when there is one.
public struct LedgerActor: Sendable, Hashable {
    public var audit: AuditActor
    public var role: Role
    public var personID: String?

    public init(audit: AuditActor, role: Role, personID: String? = nil) {
        self.audit = audit
        self.role = role
        self.personID = personID
    }

    var workflow: CaseActor { CaseActor(id: audit.description, role: role) }
}

/// The ledger in the database. Every change is one transaction: the case row, its step in `case_events`
/// (who, when, note, evidence) and the audit-trail entry are written together.
public struct LedgerRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw AuditError.unsupportedDatabase }
            return sql
        }
    }

    // MARK: Creating

    /// Registers a case. The responsible unit is the draft's, or the routing table's for its category and
    /// place (the township's unit by default). With a deadline and a unit it is assigned (交办) at once.
    public func create(
        _ draft: CaseDraft, placement: CasePlacement, by actor: LedgerActor, today: CalendarDay,
        calendar: WorkingCalendar, at now: Int64, id: String = UUID().uuidString.lowercased()
    ) async throws -> LedgerCase {
        try await database.writeTransaction { transaction in
            try await LedgerRepository(database: transaction).insert(
                draft, placement: placement, by: actor, today: today, calendar: calendar, at: now, id: id)
        }
    }

    /// The body of `create`, inside the caller's transaction (also used by imports and alert conversion).
    func insert(
        _ draft: CaseDraft, placement: CasePlacement, by actor: LedgerActor, today: CalendarDay,
        calendar: WorkingCalendar, at now: Int64, id: String
    ) async throws -> LedgerCase {
        var issues = draft.problems.map { FieldProblem(field: $0.field, message: $0.message) }
        let units = Set([draft.responsibleUnitCode].compactMap { $0 } + draft.cooperatingUnits)
        let known = try await existingUnits(units)
        if let unit = draft.responsibleUnitCode, !known.contains(unit) {
            issues.append(.init(field: "responsibleUnitCode", message: "单位 \(unit) 不存在 / no unit \(unit)"))
        }
        for unit in draft.cooperatingUnits where !known.contains(unit) {
            issues.append(.init(field: "cooperatingUnits", message: "单位 \(unit) 不存在 / no unit \(unit)"))
        }
        if let person = draft.responsiblePersonID, try await !personExists(person) {
            issues.append(.init(field: "responsiblePersonID", message: "人员 \(person) 不存在 / no person \(person)"))
        }
        if let number = draft.number, try await caseID(number: number) != nil {
            issues.append(.init(field: "number", message: "台账编号 \(number) 已存在 / number \(number) is taken"))
        }
        guard issues.isEmpty else { throw LedgerError.invalid(issues) }

        var responsible = draft.responsibleUnitCode
        var cooperating = draft.cooperatingUnits
        if responsible == nil {
            let route = try await routingTable().route(
                category: draft.category, regionPath: placement.regionPath.reversed())
            if let unit = route.unitCode {
                responsible = unit
            } else {
                responsible = try await townshipUnit(regionPath: placement.regionPath)
            }
            if let routed = responsible, !(try await existingUnits([routed]).contains(routed)) { responsible = nil }
            let extra = try await existingUnits(Set(route.cooperatingUnits))
            cooperating += route.cooperatingUnits.filter {
                extra.contains($0) && $0 != responsible && !cooperating.contains($0)
            }
        }
        var number = draft.number ?? ""
        if number.isEmpty { number = try await nextNumber(year: today.year) }
        var item = LedgerCase(
            id: id, number: number, source: draft.source, category: draft.category, severity: draft.severity,
            title: draft.title.trimmingCharacters(in: .whitespacesAndNewlines),
            description: draft.description.trimmingCharacters(in: .whitespacesAndNewlines), address: draft.address,
            location: draft.location, regionCode: placement.regionPath.last, regionPath: placement.regionPath,
            zoneIDs: placement.zoneIDs, responsibleUnitCode: responsible, responsibleLeader: draft.responsibleLeader,
            responsiblePersonID: draft.responsiblePersonID, cooperatingUnits: cooperating, measures: draft.measures,
            alertID: draft.alertID, isPublic: draft.isPublic, reporterName: draft.reporterName,
            reporterContact: draft.reporterContact, serviceCode: draft.serviceCode, mediaURL: draft.mediaURL,
            createdAt: now,
            createdBy: actor.audit.description)
        // Checked above; a concurrent registration of the same number still loses clearly, not with a 500.
        try await translatingConstraintFailures(
            into: LedgerError.invalid([
                FieldProblem(field: "number", message: "台账编号 \(number) 已存在（同时登记或已导入过）/ number \(number) is taken")
            ])
        ) {
            try await write(item, inserting: true)
        }
        try await event(
            item.id, at: now, action: "created", actor: actor, from: nil, to: .new,
            note: "来源：\(draft.source.displayName)", evidence: [], outcome: nil, deadline: nil)
        if let deadline = draft.deadline, responsible != nil {
            let resolved = deadline.resolve(from: today, calendar: calendar)
            let before = item.state
            do {
                item.state = try CaseWorkflow.apply(
                    CaseStep(.assign, by: actor.workflow, deadline: resolved.day), to: item.state, on: today)
            } catch {
                throw LedgerError.invalid([.init(field: "deadline", message: error.reason)])
            }
            item.deadlineBasis = resolved.basis
            item.deadlineProvisional = resolved.provisional
            try await write(item, inserting: false)
            try await event(
                item.id, at: now, action: CaseAction.assign.rawValue, actor: actor, from: before.status,
                to: item.state.status, note: resolved.basis, evidence: [], outcome: nil, deadline: resolved.day)
        }
        try await AuditTrail.append(
            on: database, actor: actor.audit, action: "create", entity: "case", entityID: item.id, before: nil,
            after: item.audited, at: now)
        return item
    }

    /// The next `LT-<year>-<serial>` number (serial per year, six digits).
    func nextNumber(year: Int) async throws -> String {
        let row = try await sql.raw(
            """
            INSERT INTO case_numbers (year, last) VALUES (\(bind: year), 1)
            ON CONFLICT (year) DO UPDATE SET last = case_numbers.last + 1
            RETURNING last
            """
        ).first()
        let serial = try row?.decode(column: "last", as: Int.self) ?? 1
        var number = String(format: "LT-%04d-%06d", year, serial)
        // A hand-given number may already hold it: skip on.
        while try await caseID(number: number) != nil {
            number = try await nextNumber(year: year)
        }
        return number
    }

    // MARK: Steps

    /// Extra data a step can carry beyond the workflow's: a new responsible unit when assigning.
    public struct StepDetails: Sendable, Hashable {
        public var unitCode: String?
        public var deadline: CaseDeadline?

        public init(unitCode: String? = nil, deadline: CaseDeadline? = nil) {
            self.unitCode = unitCode
            self.deadline = deadline
        }
    }

    /// Takes a workflow step on a case: the state machine decides; the step is recorded with its note and
    /// evidence (attachment ids of this case) and audited, all in one transaction.
    public func perform(
        _ action: CaseAction, on id: String, by actor: LedgerActor, note: String?, evidence: [String] = [],
        outcome: CaseOutcome? = nil, details: StepDetails = StepDetails(), today: CalendarDay,
        calendar: WorkingCalendar, at now: Int64
    ) async throws -> LedgerCase {
        try await database.writeTransaction { transaction in
            let repository = LedgerRepository(database: transaction)
            guard let before = try await repository.case(id: id, forUpdate: true) else {
                throw LedgerError.notFound("案件 \(id)")
            }
            let attached = Set(try await repository.attachments(caseID: id).map(\.id))
            if let stray = evidence.first(where: { !attached.contains($0) }) {
                throw LedgerError.invalid([
                    .init(field: "evidence", message: "附件 \(stray) 不属于本案件 / attachment \(stray) is not this case's")
                ])
            }
            var after = before
            var deadlineDay: CalendarDay?
            if let deadline = details.deadline {
                guard action == .assign || action == .grantExtension else {
                    throw LedgerError.invalid([
                        FieldProblem(
                            field: "deadline",
                            message: "只有交办和批准延期可设定期限 / only assign and grant_extension set a deadline")
                    ])
                }
                // An extension's working days run on from the deadline in force (or today, if that has passed).
                let start = action == .grantExtension ? max(before.state.deadline ?? today, today) : today
                let resolved = deadline.resolve(from: start, calendar: calendar)
                deadlineDay = resolved.day
                after.deadlineBasis = resolved.basis
                after.deadlineProvisional = resolved.provisional
            }
            if action == .assign {
                if let unit = details.unitCode {
                    guard try await !repository.existingUnits([unit]).isEmpty else {
                        throw LedgerError.invalid([
                            .init(field: "unitCode", message: "单位 \(unit) 不存在 / no unit \(unit)")
                        ])
                    }
                    after.responsibleUnitCode = unit
                    after.cooperatingUnits.removeAll { $0 == unit }
                }
                guard after.responsibleUnitCode != nil else {
                    throw LedgerError.invalid([
                        .init(field: "unitCode", message: "交办需指定责任单位 / assigning needs the responsible unit")
                    ])
                }
            }
            do {
                after.state = try CaseWorkflow.apply(
                    CaseStep(
                        action, by: actor.workflow, note: note, evidence: evidence, outcome: outcome,
                        deadline: deadlineDay),
                    to: before.state, on: today)
            } catch let error as CaseTransitionError {
                throw LedgerError.refused(error.reason)
            }
            after.updatedAt = now
            try await repository.write(after, inserting: false)
            try await repository.event(
                id, at: now, action: action.rawValue, actor: actor, from: before.state.status, to: after.state.status,
                note: note ?? (deadlineDay != nil ? after.deadlineBasis : nil), evidence: evidence, outcome: outcome,
                deadline: deadlineDay)
            try await AuditTrail.append(
                on: transaction, actor: actor.audit, action: action.rawValue, entity: "case", entityID: id,
                before: before.audited, after: after.audited, at: now)
            return after
        }
    }

    func event(
        _ caseID: String, at now: Int64, action: String, actor: LedgerActor, from: CaseStatus?, to: CaseStatus,
        note: String?, evidence: [String], outcome: CaseOutcome?, deadline: CalendarDay?
    ) async throws {
        let evidenceText = String(decoding: try JSONEncoder().encode(evidence), as: UTF8.self)
        try await sql.raw(
            """
            INSERT INTO case_events (case_id, at, action, actor, actor_role, from_status, to_status, note, evidence,
                outcome, deadline)
            VALUES (\(bind: caseID), \(bind: now), \(bind: action), \(bind: actor.audit.description),
                \(bind: actor.role.rawValue), \(bind: from?.rawValue), \(bind: to.rawValue), \(bind: note),
                \(bind: evidenceText), \(bind: outcome?.rawValue), \(bind: deadline?.description))
            """
        ).run()
    }

    // MARK: Reading

    /// Which cases a query returns. The scope fields narrow to what the caller may see: `unitCodes` (cases
    /// those units answer for or cooperate on), `regionCodes` (cases inside those regions, or assigned to
    /// `personID` by name).
    public struct Filter: Sendable, Hashable {
        public var status: Set<CaseStatus>?
        public var unitCode: String?
        public var source: CaseSource?
        public var category: CaseCategory?
        /// Any of these categories (Open311's comma-separated `service_code`).
        public var categories: Set<CaseCategory>?
        /// Overdue on this day (past the deadline, not closed).
        public var overdueOn: CalendarDay?
        /// Revisit due on or before this day.
        public var revisitDueBy: CalendarDay?
        public var regionCode: String?
        public var alertID: String?
        public var isPublic: Bool?
        public var createdFrom: Int64?
        public var createdTo: Int64?
        public var unitCodes: Set<String>?
        public var regionCodes: Set<String>?
        public var personID: String?
        public var limit: Int?
        public var offset: Int

        public init(
            status: Set<CaseStatus>? = nil, unitCode: String? = nil, source: CaseSource? = nil,
            category: CaseCategory? = nil, overdueOn: CalendarDay? = nil, revisitDueBy: CalendarDay? = nil,
            regionCode: String? = nil, alertID: String? = nil, isPublic: Bool? = nil, createdFrom: Int64? = nil,
            createdTo: Int64? = nil, unitCodes: Set<String>? = nil, regionCodes: Set<String>? = nil,
            personID: String? = nil, categories: Set<CaseCategory>? = nil, limit: Int? = nil, offset: Int = 0
        ) {
            self.status = status
            self.unitCode = unitCode
            self.source = source
            self.category = category
            self.overdueOn = overdueOn
            self.revisitDueBy = revisitDueBy
            self.regionCode = regionCode
            self.alertID = alertID
            self.isPublic = isPublic
            self.createdFrom = createdFrom
            self.createdTo = createdTo
            self.unitCodes = unitCodes
            self.regionCodes = regionCodes
            self.personID = personID
            self.categories = categories
            self.limit = limit
            self.offset = offset
        }
    }

    /// The cases the filter selects, newest first, and how many there are in all.
    public func cases(_ filter: Filter = Filter()) async throws -> (cases: [LedgerCase], total: Int) {
        let condition = Self.condition(filter)
        var count = SQLQueryString("SELECT COUNT(*) AS n FROM cases WHERE ")
        count.appendInterpolation(condition)
        let total = try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
        var query = SQLQueryString("SELECT * FROM cases WHERE ")
        query.appendInterpolation(condition)
        query.appendInterpolation(unsafeRaw: " ORDER BY created_at DESC, id")
        if let limit = filter.limit {
            query.appendInterpolation(unsafeRaw: " LIMIT \(max(0, limit)) OFFSET \(max(0, filter.offset))")
        }
        let rows = try await sql.raw(query).all()
        var cases = try rows.map(Self.ledgerCase)
        try await attachCooperating(&cases)
        return (cases, total)
    }

    static func condition(_ filter: Filter) -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        if let status = filter.status {
            var part = SQLQueryString("status IN (")
            part.appendInterpolation(binds: status.map(\.rawValue).sorted() + [""])
            part.appendInterpolation(unsafeRaw: ")")
            parts.append(part)
        }
        if let unit = filter.unitCode {
            parts.append(
                "(responsible_unit_code = \(bind: unit) OR EXISTS (SELECT 1 FROM case_units u WHERE u.case_id = cases.id AND u.unit_code = \(bind: unit)))"
            )
        }
        if let source = filter.source { parts.append("source = \(bind: source.rawValue)") }
        if let category = filter.category { parts.append("category = \(bind: category.rawValue)") }
        if let categories = filter.categories {
            var part = SQLQueryString("category IN (")
            part.appendInterpolation(binds: categories.map(\.rawValue).sorted() + [""])
            part.appendInterpolation(unsafeRaw: ")")
            parts.append(part)
        }
        if let day = filter.overdueOn {
            parts.append("status <> 'closed' AND deadline IS NOT NULL AND deadline < \(bind: day.description)")
        }
        if let day = filter.revisitDueBy {
            parts.append("status = 'closed' AND revisit_due IS NOT NULL AND revisit_due <= \(bind: day.description)")
        }
        if let region = filter.regionCode { parts.append("region_path LIKE \(bind: "%|" + region + "|%")") }
        if let alert = filter.alertID { parts.append("alert_id = \(bind: alert)") }
        if let isPublic = filter.isPublic { parts.append("is_public = \(bind: isPublic)") }
        if let from = filter.createdFrom { parts.append("created_at >= \(bind: from)") }
        if let to = filter.createdTo { parts.append("created_at < \(bind: to)") }
        if let units = filter.unitCodes {
            var part = SQLQueryString("(responsible_unit_code IN (")
            part.appendInterpolation(binds: units.sorted() + [""])
            part.appendInterpolation(
                unsafeRaw: ") OR EXISTS (SELECT 1 FROM case_units u WHERE u.case_id = cases.id AND u.unit_code IN (")
            part.appendInterpolation(binds: units.sorted() + [""])
            part.appendInterpolation(unsafeRaw: ")))")
            parts.append(part)
        }
        if let regions = filter.regionCodes {
            var part = SQLQueryString("(1 = 0")
            for region in regions.sorted() {
                part.appendInterpolation(unsafeRaw: " OR region_path LIKE ")
                part.appendInterpolation(bind: "%|" + region + "|%")
            }
            if let person = filter.personID {
                part.appendInterpolation(unsafeRaw: " OR responsible_person_id = ")
                part.appendInterpolation(bind: person)
            }
            part.appendInterpolation(unsafeRaw: ")")
            parts.append(part)
        }
        var result = SQLQueryString("")
        for (index, part) in parts.enumerated() {
            if index > 0 { result.appendInterpolation(unsafeRaw: " AND ") }
            result.appendInterpolation(part)
        }
        return result
    }

    public func `case`(id: String) async throws -> LedgerCase? {
        try await `case`(id: id, forUpdate: false)
    }

    func `case`(id: String, forUpdate: Bool) async throws -> LedgerCase? {
        let sqlite = try sql.dialect.name == "sqlite"
        let lock = forUpdate && !sqlite ? " FOR UPDATE" : ""
        guard let row = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: id)\(unsafeRaw: lock)").first()
        else { return nil }
        var cases = [try Self.ledgerCase(row)]
        try await attachCooperating(&cases)
        return cases.first
    }

    /// The id of the case numbered `number`.
    public func caseID(number: String) async throws -> String? {
        try await sql.raw("SELECT id FROM cases WHERE number = \(bind: number)").first()?.decode(
            column: "id", as: String.self)
    }

    public func events(caseID: String) async throws -> [CaseEvent] {
        try await sql.raw("SELECT * FROM case_events WHERE case_id = \(bind: caseID) ORDER BY seq").all().map { row in
            CaseEvent(
                seq: try row.decode(column: "seq", as: Int64.self), caseID: caseID,
                at: try row.decode(column: "at", as: Int64.self),
                action: try row.decode(column: "action", as: String.self),
                actor: try row.decode(column: "actor", as: String.self),
                actorRole: try row.decode(column: "actor_role", as: String?.self),
                fromStatus: try row.decode(column: "from_status", as: String?.self).flatMap(CaseStatus.init(rawValue:)),
                toStatus: CaseStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .new,
                note: try row.decode(column: "note", as: String?.self),
                evidence: try JSONDecoder().decode(
                    [String].self, from: Data(try row.decode(column: "evidence", as: String.self).utf8)),
                outcome: try row.decode(column: "outcome", as: String?.self).flatMap(CaseOutcome.init(rawValue:)),
                deadline: try row.decode(column: "deadline", as: String?.self).flatMap(CalendarDay.init))
        }
    }

    /// Open cases with a location inside `box` (for duplicates and the map), optionally of one category.
    public func openCases(in box: BoundingBox, category: CaseCategory? = nil) async throws -> [LedgerCase] {
        var query: SQLQueryString = """
            SELECT * FROM cases WHERE status <> 'closed' AND longitude IS NOT NULL
                AND longitude >= \(bind: box.minLongitude) AND longitude <= \(bind: box.maxLongitude)
                AND latitude >= \(bind: box.minLatitude) AND latitude <= \(bind: box.maxLatitude)
            """
        if let category {
            query.appendInterpolation(unsafeRaw: " AND category = ")
            query.appendInterpolation(bind: category.rawValue)
        }
        return try await sql.raw(query).all().map(Self.ledgerCase)
    }

    /// Open cases of the same category within 50 m of `point`, nearest first: probably the same problem.
    public func duplicates(of point: Coordinate, category: CaseCategory, excluding id: String? = nil) async throws
        -> [DuplicateSuggestion]
    {
        // ±0.001° is ≥ 85 m in latitude and longitude anywhere in China: the box holds the 50 m circle.
        let box = BoundingBox(
            minLongitude: point.longitude - 0.001, minLatitude: point.latitude - 0.001,
            maxLongitude: point.longitude + 0.001, maxLatitude: point.latitude + 0.001)
        let open = try await openCases(in: box, category: category).filter { $0.id != id }
        return CaseDuplicates.suggestions(
            for: point, category: category,
            openCases: open.compactMap { item in item.location.map { (item.id, item.category, $0) } })
    }

    // MARK: Rows

    func write(_ item: LedgerCase, inserting: Bool) async throws {
        let state = item.state
        let path = item.regionPath.isEmpty ? "" : "|" + item.regionPath.joined(separator: "|") + "|"
        let zones = item.zoneIDs.joined(separator: ",")
        if inserting {
            try await sql.raw(
                """
                INSERT INTO cases (id, number, source, category, severity, title, description, address, longitude,
                    latitude, region_code, region_path, zone_ids, responsible_unit_code, responsible_leader,
                    responsible_person_id, measures, deadline, deadline_basis, deadline_provisional, status, outcome,
                    handler_id, extension_requested, closed_on, revisit_due, rebounds, alert_id, is_public,
                    reporter_name, reporter_contact, service_code, media_url, created_at, created_by, updated_at)
                VALUES (\(bind: item.id), \(bind: item.number), \(bind: item.source.rawValue),
                    \(bind: item.category.rawValue), \(bind: item.severity.rawValue), \(bind: item.title),
                    \(bind: item.description), \(bind: item.address), \(bind: item.location?.longitude),
                    \(bind: item.location?.latitude), \(bind: item.regionCode), \(bind: path), \(bind: zones),
                    \(bind: item.responsibleUnitCode), \(bind: item.responsibleLeader),
                    \(bind: item.responsiblePersonID), \(bind: item.measures), \(bind: state.deadline?.description),
                    \(bind: item.deadlineBasis), \(bind: item.deadlineProvisional), \(bind: state.status.rawValue),
                    \(bind: state.outcome?.rawValue), \(bind: state.handlerID), \(bind: state.extensionRequested),
                    \(bind: state.closedOn?.description), \(bind: state.revisitDue?.description),
                    \(bind: state.rebounds), \(bind: item.alertID), \(bind: item.isPublic), \(bind: item.reporterName),
                    \(bind: item.reporterContact), \(bind: item.serviceCode), \(bind: item.mediaURL),
                    \(bind: item.createdAt),
                    \(bind: item.createdBy), \(bind: item.updatedAt))
                """
            ).run()
        } else {
            try await sql.raw(
                """
                UPDATE cases SET responsible_unit_code = \(bind: item.responsibleUnitCode),
                    deadline = \(bind: state.deadline?.description), deadline_basis = \(bind: item.deadlineBasis),
                    deadline_provisional = \(bind: item.deadlineProvisional), status = \(bind: state.status.rawValue),
                    outcome = \(bind: state.outcome?.rawValue), handler_id = \(bind: state.handlerID),
                    extension_requested = \(bind: state.extensionRequested),
                    closed_on = \(bind: state.closedOn?.description), revisit_due = \(bind: state.revisitDue?.description),
                    rebounds = \(bind: state.rebounds), updated_at = \(bind: item.updatedAt)
                WHERE id = \(bind: item.id)
                """
            ).run()
            try await sql.raw("DELETE FROM case_units WHERE case_id = \(bind: item.id)").run()
        }
        for unit in item.cooperatingUnits {
            try await sql.raw("INSERT INTO case_units (case_id, unit_code) VALUES (\(bind: item.id), \(bind: unit))")
                .run()
        }
    }

    func attachCooperating(_ cases: inout [LedgerCase]) async throws {
        guard !cases.isEmpty else { return }
        var byCase: [String: [String]] = [:]
        let ids = cases.map(\.id)
        for start in stride(from: 0, to: ids.count, by: 500) {
            var query = SQLQueryString("SELECT case_id, unit_code FROM case_units WHERE case_id IN (")
            query.appendInterpolation(binds: Array(ids[start..<min(ids.count, start + 500)]))
            query.appendInterpolation(unsafeRaw: ") ORDER BY case_id, unit_code")
            for row in try await sql.raw(query).all() {
                byCase[try row.decode(column: "case_id", as: String.self), default: []].append(
                    try row.decode(column: "unit_code", as: String.self))
            }
        }
        for index in cases.indices { cases[index].cooperatingUnits = byCase[cases[index].id] ?? [] }
    }

    static func ledgerCase(_ row: any SQLRow) throws -> LedgerCase {
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        func day(_ column: String) throws -> CalendarDay? { try text(column).flatMap(CalendarDay.init) }
        let longitude = try row.decode(column: "longitude", as: Double?.self)
        let latitude = try row.decode(column: "latitude", as: Double?.self)
        let path = try row.decode(column: "region_path", as: String.self).split(separator: "|").map(String.init)
        let zones = try row.decode(column: "zone_ids", as: String.self).split(separator: ",").map(String.init)
        let state = CaseState(
            status: CaseStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
            deadline: try day("deadline"), outcome: try text("outcome").flatMap(CaseOutcome.init(rawValue:)),
            handlerID: try text("handler_id"),
            extensionRequested: try row.decode(column: "extension_requested", as: Bool.self),
            closedOn: try day("closed_on"), revisitDue: try day("revisit_due"),
            rebounds: try row.decode(column: "rebounds", as: Int.self))
        return LedgerCase(
            id: try row.decode(column: "id", as: String.self),
            number: try row.decode(column: "number", as: String.self),
            source: CaseSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .lead,
            category: CaseCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .other,
            severity: CaseSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .general,
            title: try row.decode(column: "title", as: String.self),
            description: try row.decode(column: "description", as: String.self), address: try text("address"),
            location: longitude.flatMap { lon in latitude.map { Coordinate(longitude: lon, latitude: $0) } },
            regionCode: try text("region_code"), regionPath: path, zoneIDs: zones,
            responsibleUnitCode: try text("responsible_unit_code"), responsibleLeader: try text("responsible_leader"),
            responsiblePersonID: try text("responsible_person_id"), measures: try text("measures"),
            deadlineBasis: try text("deadline_basis"),
            deadlineProvisional: try row.decode(column: "deadline_provisional", as: Bool.self), state: state,
            alertID: try text("alert_id"), isPublic: try row.decode(column: "is_public", as: Bool.self),
            reporterName: try text("reporter_name"), reporterContact: try text("reporter_contact"),
            serviceCode: try text("service_code"), mediaURL: try text("media_url"),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            createdBy: try row.decode(column: "created_by", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }

    // MARK: Units and routing

    func existingUnits(_ codes: Set<String>) async throws -> Set<String> {
        guard !codes.isEmpty else { return [] }
        var query = SQLQueryString("SELECT code FROM units WHERE code IN (")
        query.appendInterpolation(binds: codes.sorted())
        query.appendInterpolation(unsafeRaw: ")")
        return Set(try await sql.raw(query).all().map { try $0.decode(column: "code", as: String.self) })
    }

    func personExists(_ id: String) async throws -> Bool {
        guard let uuid = UUID(uuidString: id) else { return false }
        return try await sql.raw("SELECT 1 AS one FROM people WHERE id = \(bind: uuid)").first() != nil
    }

    /// The township (or the finest) unit whose region holds the place: the nearest region upwards that a
    /// unit answers for, preferring township units.
    func townshipUnit(regionPath: [String]) async throws -> String? {
        guard !regionPath.isEmpty else { return nil }
        var query = SQLQueryString("SELECT code, kind, region_code FROM units WHERE region_code IN (")
        query.appendInterpolation(binds: regionPath)
        query.appendInterpolation(unsafeRaw: ") ORDER BY code")
        let rows = try await sql.raw(query).all()
        let units = try rows.map {
            (
                code: try $0.decode(column: "code", as: String.self),
                kind: try $0.decode(column: "kind", as: String.self),
                region: try $0.decode(column: "region_code", as: String.self)
            )
        }
        for region in regionPath.reversed() {
            let here = units.filter { $0.region == region }
            if let unit = here.first(where: { $0.kind == UnitKind.township.rawValue }) ?? here.first {
                return unit.code
            }
        }
        return nil
    }

    public static let routingSetting = "case_routing"

    /// The routing table (category + place → responsible unit); the default sends everything to the
    /// township when none was saved.
    public func routingTable() async throws -> CaseRoutingTable {
        guard
            let row = try await sql.raw(
                "SELECT value FROM ledger_settings WHERE name = \(bind: Self.routingSetting)"
            ).first()
        else { return CaseRoutingTable(routes: []) }
        return try JSONDecoder().decode(
            CaseRoutingTable.self, from: Data(try row.decode(column: "value", as: String.self).utf8))
    }

    /// Replaces the routing table (every named unit must exist; audited).
    public func saveRoutingTable(_ table: CaseRoutingTable, by actor: AuditActor, at now: Int64) async throws {
        try await database.writeTransaction { transaction in
            let repository = LedgerRepository(database: transaction)
            let named = Set(table.routes.flatMap { [$0.unitCode].compactMap { $0 } + $0.cooperatingUnits })
            let known = try await repository.existingUnits(named)
            var issues: [FieldProblem] = []
            for (index, route) in table.routes.enumerated() {
                if route.name.allSatisfy(\.isWhitespace) {
                    issues.append(.init(field: "routes[\(index)].name", message: "名称不能为空 / name is required"))
                }
                for unit in [route.unitCode].compactMap({ $0 }) + route.cooperatingUnits where !known.contains(unit) {
                    issues.append(.init(field: "routes[\(index)]", message: "单位 \(unit) 不存在 / no unit \(unit)"))
                }
            }
            guard issues.isEmpty else { throw LedgerError.invalid(issues) }
            let before = try await repository.routingTable()
            let value = String(decoding: try JSONEncoder().encode(table), as: UTF8.self)
            try await repository.sql.raw(
                """
                INSERT INTO ledger_settings (name, value, updated_at) VALUES (\(bind: Self.routingSetting), \(bind: value), \(bind: now))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """
            ).run()
            try await AuditTrail.append(
                on: transaction, actor: actor, action: "update", entity: "case_routing", entityID: Self.routingSetting,
                before: before, after: table, at: now)
        }
    }
}

extension LedgerCase {
    /// What the audit trail keeps of a case: everything but the reporter's contact details.
    var audited: LedgerCase {
        var copy = self
        if copy.reporterContact != nil { copy.reporterContact = "[redacted]" }
        return copy
    }
}
