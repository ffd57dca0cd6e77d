import Campaign
import FluentKit
import Foundation
import Store
import Vapor

/// The ledger under `/api/v1/cases`: register, list and filter, show with its history, the workflow steps
/// (one route per step, each with its permission), evidence uploads, statistics, duplicates nearby, the
/// routing table and accountability records.
struct LedgerController {
    func register(on routes: any RoutesBuilder) {
        let cases = routes.grouped("cases")
        cases.get(use: list)
        cases.post(use: create)
        cases.get("statistics", use: statistics)
        cases.on(.POST, "import", body: .collect(maxSize: "8mb"), use: importList)
        cases.get("duplicates", use: duplicates)
        cases.get(":id", use: show)
        for action in CaseAction.allCases {
            cases.post(":id", PathComponent(stringLiteral: action.rawValue)) { request in
                try await Self.step(action, request)
            }
        }
        cases.on(.POST, ":id", "attachments", body: .collect(maxSize: "32mb"), use: AttachmentController.upload)
        routes.get("attachments", ":id", use: AttachmentController.download)
        routes.get("attachments", ":id", "thumbnail", use: AttachmentController.thumbnail)
        routes.get("case-routing", use: routing)
        routes.put("case-routing", use: saveRouting)
        routes.get("accountability", use: accountability)
        routes.post("accountability", use: addAccountability)
    }

    // MARK: Scope

    /// The caller's scope as a case filter: a unit officer sees the cases their unit answers for or
    /// cooperates on; a grid worker those inside their grids and those naming them; HQ roles everything.
    static func scoped(_ request: Request, _ filter: LedgerRepository.Filter = .init()) -> LedgerRepository.Filter {
        var filter = filter
        switch request.accessScope {
        case .all: break
        case .none: filter.regionCodes = []
        case .units(let units): filter.unitCodes = units
        case .regions(let regions):
            filter.regionCodes = regions
            filter.personID = request.user?.personID
        }
        return filter
    }

    /// Whether the caller's scope shows `item` — the same rule as `scoped`, for one case.
    static func shows(_ item: LedgerCase, _ request: Request) -> Bool {
        switch request.accessScope {
        case .all: true
        case .none: false
        case .units(let units):
            item.responsibleUnitCode.map(units.contains) == true
                || item.cooperatingUnits.contains(where: units.contains)
        case .regions(let regions):
            item.regionPath.contains(where: regions.contains)
                || (request.user?.personID != nil && item.responsiblePersonID == request.user?.personID)
        }
    }

    /// The case `id` when the caller's scope shows it; otherwise 404, as if it did not exist.
    static func visibleCase(_ id: String, _ request: Request) async throws -> LedgerCase {
        guard let item = try await LedgerRepository(database: request.db).case(id: id), shows(item, request) else {
            throw Abort(.notFound, reason: LedgerError.notFound("案件 \(id)").description)
        }
        return item
    }

    /// Roles that see a complainant's name and contact.
    static func seesPrivate(_ request: Request) -> Bool {
        guard let role = request.user?.role else { return false }
        return [.command, .dispatcher, .supervisor].contains(role)
    }

    static func names(_ request: Request) async throws -> (units: [String: String], regions: [String: String]) {
        let units = try await UnitRepository(database: request.db).units()
        let regions = try await spatial(request).regions
        return (
            Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }),
            regions.mapValues(\.region.name)
        )
    }

    static func spatial(_ request: Request) async throws -> RegionSnapshot {
        try await request.application.spatial.snapshot(on: request.db)
    }

    static func json(
        _ items: [LedgerCase], _ request: Request,
        names known: (units: [String: String], regions: [String: String])? = nil
    ) async throws -> [CaseJSON] {
        let names: (units: [String: String], regions: [String: String])
        if let known { names = known } else { names = try await Self.names(request) }
        let (units, regions) = names
        let today = request.application.ledger.today
        let includePrivate = seesPrivate(request)
        return items.map {
            CaseJSON($0, today: today, unitNames: units, regionNames: regions, includePrivate: includePrivate)
        }
    }

    static func abort(_ error: LedgerError) -> any Error {
        switch error {
        case .notFound: Abort(.notFound, reason: error.description)
        case .invalid(let problems): InvalidFieldsError(problems: problems)
        case .refused, .conflict: Abort(.conflict, reason: error.description)
        }
    }

    // MARK: Reading

    @Sendable func list(_ request: Request) async throws -> CaseListJSON {
        var filter = LedgerRepository.Filter()
        var problems: [FieldProblem] = []
        if let text = request.query[String.self, at: "status"] {
            var statuses: Set<CaseStatus> = []
            for part in text.split(separator: ",") {
                if let status = CaseStatus(rawValue: String(part)) {
                    statuses.insert(status)
                } else {
                    problems.append(
                        FieldProblem(
                            field: "status",
                            message: "状态“\(part)”无效，可用：" + CaseStatus.allCases.map(\.rawValue).joined(separator: ",")
                                + " / unknown status"))
                }
            }
            filter.status = statuses
        }
        if let text = request.query[String.self, at: "source"] {
            filter.source = CaseSource(rawValue: text)
            if filter.source == nil {
                problems.append(Self.unknown("source", text, CaseSource.allCases.map(\.rawValue)))
            }
        }
        if let text = request.query[String.self, at: "category"] {
            filter.category = CaseCategory(rawValue: text)
            if filter.category == nil {
                problems.append(Self.unknown("category", text, CaseCategory.allCases.map(\.rawValue)))
            }
        }
        filter.unitCode = request.query[String.self, at: "unit"]
        filter.regionCode = request.query[String.self, at: "region"]
        filter.alertID = request.query[String.self, at: "alert"]
        let today = request.application.ledger.today
        switch request.query[String.self, at: "overdue"] {
        case nil, "false": break
        case "true": filter.overdueOn = today
        case let other?: problems.append(Self.unknown("overdue", other, ["true", "false"]))
        }
        if request.query[String.self, at: "revisitDue"] == "true" { filter.revisitDueBy = today }
        let limit = request.query[Int.self, at: "limit"] ?? 100
        let offset = request.query[Int.self, at: "offset"] ?? 0
        if !(1...1_000).contains(limit) {
            problems.append(FieldProblem(field: "limit", message: "limit 须在 1–1000 之间 / limit must be 1–1000"))
        }
        if offset < 0 { problems.append(FieldProblem(field: "offset", message: "offset 不能为负 / offset must be ≥ 0")) }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        filter.limit = limit
        filter.offset = offset
        let (cases, total) = try await LedgerRepository(database: request.db).cases(Self.scoped(request, filter))
        return CaseListJSON(cases: try await Self.json(cases, request), total: total)
    }

    static func unknown(_ field: String, _ value: String, _ accepted: [String]) -> FieldProblem {
        FieldProblem(
            field: field,
            message: "“\(value)”无效，可用：\(accepted.joined(separator: ",")) / unknown \(field); expected one of "
                + accepted.joined(separator: ", "))
    }

    @Sendable func show(_ request: Request) async throws -> CaseDetailJSON {
        let item = try await Self.visibleCase(try request.parameters.require("id"), request)
        return try await Self.detail(item, request)
    }

    static func detail(_ item: LedgerCase, _ request: Request) async throws -> CaseDetailJSON {
        let repository = LedgerRepository(database: request.db)
        let names = try await names(request)
        let units = names.units
        var duplicates: [DuplicateJSON] = []
        if let point = item.location, item.state.status != .closed {
            for suggestion in try await repository.duplicates(of: point, category: item.category, excluding: item.id) {
                let other = try await repository.case(id: suggestion.caseID)
                guard let other, shows(other, request) else { continue }
                duplicates.append(
                    DuplicateJSON(
                        caseID: other.id, number: other.number, metres: (suggestion.metres * 10).rounded() / 10))
            }
        }
        let accountability =
            request.user.map { RolePermissions.role($0.role, may: .accountabilityRead) } == true
            ? try await repository.accountability(unitCodes: accountabilityScope(request), caseID: item.id).map {
                AccountabilityJSON($0, unitNames: units)
            } : []
        return CaseDetailJSON(
            case: try await json([item], request, names: names)[0],
            events: try await repository.events(caseID: item.id).map(CaseEventJSON.init),
            attachments: try await repository.attachments(caseID: item.id).map(AttachmentJSON.init),
            accountability: accountability, duplicates: duplicates,
            allowedActions: allowedActions(item, request).map(\.rawValue))
    }

    /// The permission each step needs (the route table says the same).
    static func permission(for action: CaseAction) -> Permission {
        switch action {
        case .assign, .grantExtension: .casesAssign
        case .startRectifying, .submit, .requestExtension: .casesHandle
        case .returnForRectification, .close, .closeNotFixed, .revisitPassed, .revisitFailed: .casesVerify
        }
    }

    /// The steps the caller may take now: their role has the permission and the workflow would accept the
    /// step from this state (tried with a note, evidence, an outcome and a later deadline).
    static func allowedActions(_ item: LedgerCase, _ request: Request) -> [CaseAction] {
        guard let user = request.user else { return [] }
        let today = request.application.ledger.today
        let actor = CaseActor(id: request.auditActor.description, role: user.role)
        let later = (item.state.deadline.map { max($0, today) } ?? today).adding(days: 30)
        return CaseAction.allCases.filter { action in
            guard user.may(permission(for: action)) else { return false }
            let step = CaseStep(
                action, by: actor, note: "·", evidence: ["·"], outcome: .cannotBeFixed, deadline: later)
            return (try? CaseWorkflow.apply(step, to: item.state, on: today)) != nil
        }
    }

    // MARK: Creating

    struct CreateBody: Content {
        var source: String?
        var category: String?
        var severity: String?
        var title: String?
        var description: String?
        var address: String?
        var longitude: Double?
        var latitude: Double?
        var responsibleUnitCode: String?
        var responsibleLeader: String?
        var responsiblePersonID: String?
        var cooperatingUnits: [String]?
        var measures: String?
        /// `YYYY-MM-DD`, `YYYY年M月D日`, `YYYY年M月底前` or `N个工作日`.
        var deadline: String?
        var workingDays: Int?
        var number: String?
        var isPublic: Bool?
        var reporterName: String?
        var reporterContact: String?
    }

    /// A draft from a request body, with every bad field named. `defaultSource`: used when none is given.
    static func draft(_ body: CreateBody, defaultSource: CaseSource? = nil) throws -> CaseDraft {
        var problems: [FieldProblem] = []
        let source = body.source.flatMap(CaseSource.init(rawValue:)) ?? (body.source == nil ? defaultSource : nil)
        if source == nil {
            problems.append(
                body.source.map { unknown("source", $0, CaseSource.allCases.map(\.rawValue)) }
                    ?? FieldProblem(field: "source", message: "需给出来源 / source is required"))
        }
        let category = body.category.flatMap(CaseCategory.init(rawValue:))
        if category == nil {
            problems.append(
                body.category.map { unknown("category", $0, CaseCategory.allCases.map(\.rawValue)) }
                    ?? FieldProblem(field: "category", message: "需给出类别 / category is required"))
        }
        let severity = body.severity.map { CaseSeverity(rawValue: $0) } ?? .general
        if severity == nil, let text = body.severity {
            problems.append(unknown("severity", text, CaseSeverity.allCases.map(\.rawValue)))
        }
        var location: Coordinate?
        switch (body.longitude, body.latitude) {
        case (let lon?, let lat?): location = Coordinate(longitude: lon, latitude: lat)
        case (nil, nil): break
        default:
            problems.append(
                FieldProblem(field: "location", message: "经度与纬度须同时给出 / give both longitude and latitude"))
        }
        let deadline = try deadlineSpec(text: body.deadline, workingDays: body.workingDays, problems: &problems)
        let draft = CaseDraft(
            source: source ?? .lead, category: category ?? .other, severity: severity ?? .general,
            title: body.title ?? "", description: body.description ?? "", address: body.address, location: location,
            responsibleUnitCode: body.responsibleUnitCode, responsibleLeader: body.responsibleLeader,
            responsiblePersonID: body.responsiblePersonID, cooperatingUnits: body.cooperatingUnits ?? [],
            measures: body.measures, deadline: deadline, number: body.number, isPublic: body.isPublic ?? false,
            reporterName: body.reporterName, reporterContact: body.reporterContact)
        problems += draft.problems.map { FieldProblem(field: $0.field, message: $0.message) }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        return draft
    }

    static func deadlineSpec(text: String?, workingDays: Int?, problems: inout [FieldProblem]) throws -> CaseDeadline? {
        if let workingDays {
            guard (1...365).contains(workingDays) else {
                problems.append(
                    FieldProblem(field: "workingDays", message: "工作日数须在 1–365 之间 / workingDays must be 1–365"))
                return nil
            }
            return .workingDays(workingDays)
        }
        guard let text else { return nil }
        guard let deadline = CaseDeadline(text) else {
            problems.append(
                FieldProblem(
                    field: "deadline",
                    message: "期限“\(text)”无法识别，可写 \(CaseDeadline.accepted) / unrecognised deadline"))
            return nil
        }
        return deadline
    }

    /// Registering is open to those who find problems (grid workers, unit officers); deciding who answers
    /// for it and by when is 交办 — `cases.assign` — and publishing it is for the HQ roles. A field the caller
    /// may not set is refused (403) by name rather than dropped.
    static func checkAuthority(_ body: CreateBody, _ request: Request) throws {
        guard let user = request.user else { return }
        var fields: [String] = []
        if !user.may(.casesAssign) {
            if body.deadline != nil { fields.append("deadline") }
            if body.workingDays != nil { fields.append("workingDays") }
            if body.responsibleUnitCode != nil { fields.append("responsibleUnitCode") }
            if !(body.cooperatingUnits ?? []).isEmpty { fields.append("cooperatingUnits") }
            if body.responsiblePersonID != nil { fields.append("responsiblePersonID") }
            if body.number != nil { fields.append("number") }
        }
        if body.isPublic == true, ![.command, .dispatcher, .supervisor].contains(user.role) {
            fields.append("isPublic")
        }
        guard fields.isEmpty else {
            throw Abort(
                .forbidden,
                reason: "角色“\(user.role.displayName)”只能登记问题，不能设定 \(fields.joined(separator: "、"))（交办由调度或指挥部进行）"
                    + " / the role \(user.role.rawValue) registers problems but may not set \(fields.joined(separator: ", "))"
            )
        }
    }

    /// Region chain and zones of a point.
    static func placement(of point: Coordinate?, _ request: Request) async throws -> CasePlacement {
        try await placement(of: point, spatial: request.application.spatial, database: request.db)
    }

    static func placement(of point: Coordinate?, spatial: SpatialService, database: any Database) async throws
        -> CasePlacement
    {
        guard let point else { return CasePlacement() }
        let chain = try await spatial.locate(point, on: database)
        let zones = try await spatial.zones(on: database).map(\.zone).filter { $0.contains(point) }
        return CasePlacement(regionPath: chain.reversed().map(\.region.code), zoneIDs: zones.map(\.code))
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        guard let body = try? request.content.decode(CreateBody.self) else {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
        }
        try Self.checkAuthority(body, request)
        let draft = try Self.draft(body)
        let ledger = request.application.ledger
        let item: LedgerCase
        do {
            item = try await LedgerRepository(database: request.db).create(
                draft, placement: try await Self.placement(of: draft.location, request), by: request.ledgerActor,
                today: ledger.today, calendar: ledger.calendar, at: ledger.now)
        } catch let error as LedgerError {
            throw Self.abort(error)
        }
        request.logger.info("case registered", metadata: ["case": "\(item.number)", "by": "\(request.auditActor)"])
        let response = try await Self.detail(item, request).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cases/\(item.id)")
        return response
    }

    /// `POST /cases/import?batch=第二轮督察[&source=assigned_from_above][&dryRun=true]` (text/csv): an
    /// inspection-feedback list, all rows or none; 422 lists every bad row as `line[N].column`.
    @Sendable func importList(_ request: Request) async throws -> Response {
        let (text, dryRun) = try CSVUpload.read(request)
        let batch = request.query[String.self, at: "batch"] ?? ""
        var source = CaseSource.inspectionFeedback
        if let text = request.query[String.self, at: "source"] {
            guard let known = CaseSource(rawValue: text) else {
                throw InvalidFieldsError(problems: [Self.unknown("source", text, CaseSource.allCases.map(\.rawValue))])
            }
            source = known
        }
        let summary = try await CSVUpload.answering {
            try await CaseImport.inspectionList(
                request.application, database: request.db, csv: text, batch: batch, source: source, dryRun: dryRun,
                by: request.ledgerActor)
        }
        return try await summary.encodeResponse(status: dryRun ? .ok : .created, for: request)
    }

    // MARK: Steps

    struct StepBody: Content {
        var note: String?
        var evidence: [String]?
        var outcome: String?
        var deadline: String?
        var workingDays: Int?
        var unitCode: String?
    }

    static func step(_ action: CaseAction, _ request: Request) async throws -> CaseDetailJSON {
        let id = try request.parameters.require("id")
        let body: StepBody
        if request.body.data == nil || request.body.data?.readableBytes == 0 {
            body = StepBody()
        } else {
            guard let decoded = try? request.content.decode(StepBody.self) else {
                throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
            }
            body = decoded
        }
        var problems: [FieldProblem] = []
        var outcome: CaseOutcome?
        if let text = body.outcome {
            outcome = CaseOutcome(rawValue: text)
            if outcome == nil { problems.append(unknown("outcome", text, CaseOutcome.allCases.map(\.rawValue))) }
        }
        if let note = body.note, note.count > 5_000 {
            problems.append(FieldProblem(field: "note", message: "不超过 5000 字 / at most 5000 characters"))
        }
        if (body.evidence ?? []).count > 50 {
            problems.append(FieldProblem(field: "evidence", message: "证据不超过 50 个 / at most 50 attachments"))
        }
        let deadline = try deadlineSpec(text: body.deadline, workingDays: body.workingDays, problems: &problems)
        if deadline != nil, action != .assign, action != .grantExtension {
            problems.append(
                FieldProblem(
                    field: body.deadline != nil ? "deadline" : "workingDays",
                    message: "只有交办和批准延期可设定期限；申请延期请在说明中写明所需时间"
                        + " / only assign and grant_extension set a deadline; say the time needed in the note"))
        }
        if body.unitCode != nil, action != .assign {
            problems.append(FieldProblem(field: "unitCode", message: "只有交办可指定单位 / only assign sets the unit"))
        }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        _ = try await visibleCase(id, request)
        let ledger = request.application.ledger
        do {
            let item = try await LedgerRepository(database: request.db).perform(
                action, on: id, by: request.ledgerActor, note: body.note, evidence: body.evidence ?? [],
                outcome: outcome, details: .init(unitCode: body.unitCode, deadline: deadline), today: ledger.today,
                calendar: ledger.calendar, at: ledger.now)
            request.logger.info(
                "case step",
                metadata: ["case": "\(item.number)", "action": "\(action.rawValue)", "by": "\(request.auditActor)"])
            return try await detail(item, request)
        } catch let error as LedgerError {
            throw abort(error)
        }
    }

    // MARK: Figures, duplicates, routing

    @Sendable func statistics(_ request: Request) async throws -> CaseStatisticsReport {
        var filter = LedgerRepository.Filter()
        for (name, keyPath) in [("from", \LedgerRepository.Filter.createdFrom), ("to", \.createdTo)] {
            guard let text = request.query[String.self, at: name] else { continue }
            guard let day = CalendarDay(text) else {
                throw InvalidFieldsError(problems: [
                    FieldProblem(field: name, message: "日期须为 YYYY-MM-DD / \(name) must be YYYY-MM-DD")
                ])
            }
            filter[keyPath: keyPath] = Int64(day.start.timeIntervalSince1970) + (name == "to" ? 86_400 : 0)
        }
        let cases = try await LedgerRepository(database: request.db).cases(Self.scoped(request, filter)).cases
        let (units, _) = try await Self.names(request)
        return CaseStatistics.report(cases, on: request.application.ledger.today, unitNames: units)
    }

    @Sendable func duplicates(_ request: Request) async throws -> [DuplicateJSON] {
        var problems: [FieldProblem] = []
        let lon = request.query[Double.self, at: "lon"]
        let lat = request.query[Double.self, at: "lat"]
        if lon == nil { problems.append(FieldProblem(field: "lon", message: "需给出经度 / lon is required")) }
        if lat == nil { problems.append(FieldProblem(field: "lat", message: "需给出纬度 / lat is required")) }
        let text = request.query[String.self, at: "category"] ?? ""
        let category = CaseCategory(rawValue: text)
        if category == nil { problems.append(Self.unknown("category", text, CaseCategory.allCases.map(\.rawValue))) }
        guard problems.isEmpty, let lon, let lat, let category else { throw InvalidFieldsError(problems: problems) }
        let repository = LedgerRepository(database: request.db)
        var result: [DuplicateJSON] = []
        for suggestion in try await repository.duplicates(
            of: Coordinate(longitude: lon, latitude: lat), category: category)
        {
            guard let item = try await repository.case(id: suggestion.caseID), Self.shows(item, request) else {
                continue
            }
            result.append(
                DuplicateJSON(caseID: item.id, number: item.number, metres: (suggestion.metres * 10).rounded() / 10))
        }
        return result
    }

    @Sendable func routing(_ request: Request) async throws -> CaseRoutingTable {
        try await LedgerRepository(database: request.db).routingTable()
    }

    @Sendable func saveRouting(_ request: Request) async throws -> CaseRoutingTable {
        guard let table = try? request.content.decode(CaseRoutingTable.self) else {
            throw Abort(
                .badRequest,
                reason:
                    "请求体应为路由表 JSON：{\"routes\":[{\"name\",\"categories\",\"regionCodes\",\"unitCode\",\"cooperatingUnits\"}]}"
                    + " / the body must be a routing table")
        }
        do {
            try await LedgerRepository(database: request.db).saveRoutingTable(
                table, by: request.auditActor, at: request.application.ledger.now)
        } catch let error as LedgerError {
            throw Self.abort(error)
        }
        return table
    }

    // MARK: Accountability

    /// The units whose accountability records the caller sees: all for HQ-wide roles, their own for a unit
    /// officer, none otherwise — the same for the list and for a case's page.
    static func accountabilityScope(_ request: Request) -> Set<String>? {
        switch request.accessScope {
        case .all: nil
        case .units(let units): units
        case .regions, .none: []
        }
    }

    @Sendable func accountability(_ request: Request) async throws -> [AccountabilityJSON] {
        var kind: AccountabilityKind?
        if let text = request.query[String.self, at: "kind"] {
            kind = AccountabilityKind(rawValue: text)
            if kind == nil {
                throw InvalidFieldsError(problems: [
                    Self.unknown("kind", text, AccountabilityKind.allCases.map(\.rawValue))
                ])
            }
        }
        let records = try await LedgerRepository(database: request.db).accountability(
            unitCode: request.query[String.self, at: "unit"], unitCodes: Self.accountabilityScope(request),
            caseID: request.query[String.self, at: "case"], kind: kind)
        let (units, _) = try await Self.names(request)
        return records.map { AccountabilityJSON($0, unitNames: units) }
    }

    struct AccountabilityBody: Content {
        var kind: String?
        var unitCode: String?
        var subjectName: String?
        var personID: String?
        var caseIDs: [String]?
        var day: String?
        var issuedBy: String?
        var documentNumber: String?
        var summary: String?
    }

    @Sendable func addAccountability(_ request: Request) async throws -> Response {
        guard let body = try? request.content.decode(AccountabilityBody.self) else {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
        }
        var problems: [FieldProblem] = []
        let kind = body.kind.flatMap(AccountabilityKind.init(rawValue:))
        if kind == nil {
            problems.append(
                body.kind.map { Self.unknown("kind", $0, AccountabilityKind.allCases.map(\.rawValue)) }
                    ?? FieldProblem(field: "kind", message: "需给出类型 / kind is required"))
        }
        let ledger = request.application.ledger
        var day = ledger.today
        if let text = body.day {
            if let parsed = CalendarDay(text) {
                day = parsed
            } else {
                problems.append(FieldProblem(field: "day", message: "日期须为 YYYY-MM-DD / day must be YYYY-MM-DD"))
            }
        }
        let record = AccountabilityRecord(
            id: UUID().uuidString.lowercased(), kind: kind ?? .summons, unitCode: body.unitCode ?? "",
            subjectName: body.subjectName, personID: body.personID, caseIDs: body.caseIDs ?? [], day: day,
            issuedBy: body.issuedBy ?? "", documentNumber: body.documentNumber, summary: body.summary ?? "",
            createdBy: request.auditActor.description, createdAt: ledger.now)
        problems += record.problems.map { FieldProblem(field: $0.field, message: $0.message) }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        do {
            try await LedgerRepository(database: request.db).addAccountability(record, by: request.auditActor)
        } catch let error as LedgerError {
            throw Self.abort(error)
        }
        let (units, _) = try await Self.names(request)
        return try await AccountabilityJSON(record, unitNames: units).encodeResponse(status: .created, for: request)
    }
}

extension Application {
    private struct SpatialKey: StorageKey {
        typealias Value = SpatialService
    }

    /// The spatial service the routes share (regions, zones; placing cases).
    var spatial: SpatialService {
        get {
            guard let spatial = storage[SpatialKey.self] else { fatalError("routes(_:) sets up spatial") }
            return spatial
        }
        set { storage[SpatialKey.self] = newValue }
    }
}
