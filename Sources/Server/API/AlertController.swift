import Campaign
import Ingest
import Store
import Vapor

/// Alerts under `/api/v1/alerts`: list and filter, show with its history, the handling steps, the
/// per-unit handling figures, and the live stream (server-sent events); rules under
/// `/api/v1/alert-rules`.
struct AlertController {
    /// The caller's scope as an alert filter: a unit officer (or in-factory supervisor) sees the alerts
    /// assigned to their unit or raised at its stations; a grid worker those of their grids (with the
    /// regions below) and those assigned to them by name; HQ roles everything.
    static func scoped(_ request: Request, _ filter: AlertRepository.Filter = .init()) -> AlertRepository.Filter {
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

    /// Whether `scope` shows `alert` — the one rule for a single alert and for the live stream; lists
    /// apply the same rule in SQL (`scoped`). `unitStations`: the stations of the caller's units.
    static func shows(
        _ alert: Alert, scope: AccessScope, personID: String?, unitStations: Set<String>
    ) -> Bool {
        switch scope {
        case .all: true
        case .none: false
        case .units(let units):
            alert.assigneeUnitCode.map(units.contains) == true || unitStations.contains(alert.stationCode)
        case .regions(let regions):
            alert.regionCode.map(regions.contains) == true || (personID != nil && alert.assigneePersonID == personID)
        }
    }

    /// The stations of a unit officer's units (empty for other scopes).
    static func unitStations(_ request: Request) async throws -> Set<String> {
        guard case .units(let units) = request.accessScope else { return [] }
        return Set(try await StationRepository(database: request.db).stations(scope: .units(units)).map(\.code))
    }

    /// The alert `id` when the caller's scope shows it; otherwise 404, as if it did not exist.
    static func visibleAlert(_ id: String, _ request: Request) async throws -> Alert {
        guard let alert = try await AlertRepository(database: request.db).alert(id: id),
            shows(
                alert, scope: request.accessScope, personID: request.user?.personID,
                unitStations: try await unitStations(request))
        else {
            throw Abort(.notFound, reason: AlertStoreError.notFound(id).description)
        }
        return alert
    }

    func register(on routes: any RoutesBuilder) {
        let alerts = routes.grouped("alerts")
        alerts.get(use: list)
        alerts.get("statistics", use: statistics)
        alerts.get("stream", use: stream)
        alerts.get(":id", use: show)
        alerts.post(":id", "dispatch", use: dispatch)
        alerts.post(":id", "convert_to_case", use: convertToCase)
        for action in AlertAction.allCases where action != .dispatch && action != .convertToCase {
            alerts.post(":id", PathComponent(stringLiteral: action.rawValue)) { request async throws -> AlertJSON in
                try await Self.perform(action, request)
            }
        }
        let rules = routes.grouped("alert-rules")
        rules.get(use: listRules)
        rules.put(":id", use: saveRule)
    }

    static func now() -> Int64 { IngestRuntime.now() }

    // MARK: Reads

    /// `GET /alerts?status=open,dispatched&station=&rule=&unit=&from=&to=&limit=`
    @Sendable func list(_ request: Request) async throws -> [AlertJSON] {
        var problems: [FieldProblem] = []
        var filter = AlertRepository.Filter()
        if let text = request.query[String.self, at: "status"] {
            let names = text.split(separator: ",").map(String.init)
            let statuses = names.compactMap(AlertStatus.init(rawValue:))
            if statuses.count != names.count {
                problems.append(
                    FieldProblem(
                        field: "status",
                        message: "状态“\(text)”无效 / unknown status; expected "
                            + AlertStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            filter.statuses = Set(statuses)
        }
        filter.stationCode = request.query[String.self, at: "station"]
        filter.ruleID = request.query[String.self, at: "rule"]
        filter.unitCode = request.query[String.self, at: "unit"]
        filter.from = Self.time(request, "from", into: &problems)
        filter.to = Self.time(request, "to", into: &problems)
        if let limit = request.query[String.self, at: "limit"] {
            if let value = Int(limit), (1...10_000).contains(value) {
                filter.limit = value
            } else {
                problems.append(FieldProblem(field: "limit", message: "应为 1–10000 的整数 / expected an integer 1–10000"))
            }
        }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        let now = Self.now()
        return try await AlertRepository(database: request.db).alerts(Self.scoped(request, filter)).map {
            AlertJSON($0, now: now)
        }
    }

    struct AlertDetail: Content {
        var alert: AlertJSON
        var events: [AlertEvent]
    }

    @Sendable func show(_ request: Request) async throws -> AlertDetail {
        let id = try request.parameters.require("id")
        let alert = try await Self.visibleAlert(id, request)
        return AlertDetail(
            alert: AlertJSON(alert, now: Self.now()),
            events: try await AlertRepository(database: request.db).events(alertID: id))
    }

    /// `GET /alerts/statistics?from=&to=`: per assigned unit, alerts opened in [from, to) (default: the last 30 days).
    @Sendable func statistics(_ request: Request) async throws -> [AlertHandlingStatistics] {
        var problems: [FieldProblem] = []
        let now = Self.now()
        let from = Self.time(request, "from", into: &problems) ?? now - 30 * 86_400
        let to = Self.time(request, "to", into: &problems) ?? now + 1
        if from >= to { problems.append(FieldProblem(field: "to", message: "应晚于 from / must be after from")) }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        return try await AlertRepository(database: request.db).statistics(
            from: from, to: to, now: now, scope: Self.scoped(request))
    }

    /// `GET /alerts/stream[?seconds=S]`: server-sent events, one `alert` event per notice the caller's
    /// scope shows, and a comment every 5 s that keeps proxies from closing the connection and finds a
    /// client that went away (the write fails and the subscription ends); `seconds` ends the stream (a
    /// script, a health check).
    @Sendable func stream(_ request: Request) async throws -> Response {
        let text = request.query[String.self, at: "seconds"]
        let limit = text.flatMap(Double.init)
        guard text == nil || (limit.map { (0...86_400).contains($0) } ?? false) else {
            throw InvalidFieldsError(problems: [
                FieldProblem(field: "seconds", message: "应为 0–86400 秒 / expected 0–86400 seconds")
            ])
        }
        // The caller's scope, fixed when the stream opens (the unit's stations read once).
        let (scope, person) = (request.accessScope, request.user?.personID)
        let stations = try await Self.unitStations(request)
        let notices = request.application.alerts.hub.subscribe { alert in
            Self.shows(alert, scope: scope, personID: person, unitStations: stations)
        }
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        let encoder = JSONEncoder()
        response.body = .init(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: "retry: 3000\n: lantian alerts\n\n")))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await notice in notices {
                            let data = String(decoding: try encoder.encode(notice), as: UTF8.self)
                            try await writer.write(.buffer(ByteBuffer(string: "event: alert\ndata: \(data)\n\n")))
                        }
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .seconds(5))
                            try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                        }
                    }
                    if let limit {
                        group.addTask { try await Task.sleep(for: .milliseconds(Int64(limit * 1000))) }
                    }
                    // The first to end (the hub finished at shutdown, the client went away, or `seconds`
                    // passed) ends the others.
                    try await group.next()
                    group.cancelAll()
                }
                try await writer.write(.end)
            } catch {
                // The client went away: the writer must still be told, and the subscription ends with the group.
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    // MARK: Steps

    struct StepBody: Content {
        var cause: String?
        var note: String?
    }

    static func perform(_ action: AlertAction, _ request: Request) async throws -> AlertJSON {
        let id = try request.parameters.require("id")
        let body = (try? request.content.decode(StepBody.self)) ?? StepBody()
        var problems: [FieldProblem] = []
        var cause: AlertCause?
        if let text = body.cause {
            cause = AlertCause(rawValue: text)
            if cause == nil {
                problems.append(
                    FieldProblem(
                        field: "cause",
                        message: "原因“\(text)”无效 / unknown cause; expected "
                            + AlertCause.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if action == .handle {
            if body.cause == nil {
                problems.append(FieldProblem(field: "cause", message: "处置需注明原因 / handling needs a cause"))
            }
            if (body.note ?? "").allSatisfy(\.isWhitespace) {
                problems.append(FieldProblem(field: "note", message: "处置需填写说明 / handling needs a note"))
            }
        }
        if let note = body.note, note.count > 2_000 {
            problems.append(FieldProblem(field: "note", message: "不超过 2000 字 / at most 2000 characters"))
        }
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        _ = try await visibleAlert(id, request)
        do {
            let alert = try await request.application.alerts.service.perform(
                action, on: id, by: request.auditActor, cause: cause, note: body.note)
            return AlertJSON(alert, now: now())
        } catch let error as AlertStoreError {
            throw abort(error)
        }
    }

    /// `POST /alerts/:id/convert_to_case`: the alert becomes a ledger case (source 监测预警) at its station,
    /// to the alert's unit unless the body names one; both are linked and written in one transaction.
    /// The body takes the case fields of `POST /cases` (category and description at least; the title
    /// defaults to the alert's message). Answers 201 with the case, `Location` naming it.
    @Sendable func convertToCase(_ request: Request) async throws -> Response {
        let id = try request.parameters.require("id")
        let alert = try await Self.visibleAlert(id, request)
        var body = (try? request.content.decode(LedgerController.CreateBody.self)) ?? LedgerController.CreateBody()
        let station = try await StationRepository(database: request.db).station(code: alert.stationCode)
        body.source = CaseSource.monitoringAlert.rawValue
        body.title = body.title ?? "\(station?.name ?? alert.stationCode)：\(alert.message)"
        if body.longitude == nil, body.latitude == nil, let coordinate = station?.coordinate {
            body.longitude = coordinate.longitude
            body.latitude = coordinate.latitude
        }
        let draft = try LedgerController.draft(body)
        let placement = try await LedgerController.placement(of: draft.location, request)
        let (ledger, actor) = (request.application.ledger, request.ledgerActor)
        let item: LedgerCase
        do {
            item = try await request.application.alerts.service.convertToCase { database in
                let (item, alert) = try await LedgerRepository(database: database).createFromAlert(
                    id, draft: draft, placement: placement, by: actor, today: ledger.today, calendar: ledger.calendar,
                    at: ledger.now)
                return (item, alert)
            }
        } catch let error as LedgerError {
            throw LedgerController.abort(error)
        } catch let error as AlertStoreError {
            throw Self.abort(error)
        }
        let response = try await LedgerController.detail(item, request).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cases/\(item.id)")
        return response
    }

    struct DispatchBody: Content {
        var personID: String?
        var unitCode: String?
        var note: String?
    }

    /// `POST /alerts/:id/dispatch`: a dispatcher hands the alert to someone else (a new deadline runs).
    @Sendable func dispatch(_ request: Request) async throws -> AlertJSON {
        let id = try request.parameters.require("id")
        guard let body = try? request.content.decode(DispatchBody.self) else {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
        }
        guard body.personID != nil || body.unitCode != nil else {
            throw InvalidFieldsError(problems: [
                FieldProblem(field: "unitCode", message: "需给出 personID 或 unitCode / give personID or unitCode")
            ])
        }
        if let unit = body.unitCode,
            try await OrganisationRepository(database: request.db).units().contains(where: { $0.code == unit }) == false
        {
            throw InvalidFieldsError(problems: [
                FieldProblem(field: "unitCode", message: "单位 \(unit) 不存在 / no unit \(unit)")
            ])
        }
        _ = try await Self.visibleAlert(id, request)
        do {
            let alert = try await request.application.alerts.service.reassign(
                id, personID: body.personID, unitCode: body.unitCode, by: request.auditActor, note: body.note)
            return AlertJSON(alert, now: Self.now())
        } catch let error as AlertStoreError {
            throw Self.abort(error)
        }
    }

    // MARK: Rules

    @Sendable func listRules(_ request: Request) async throws -> [AlertRule] {
        try await AlertRepository(database: request.db).rules()
    }

    /// `PUT /alert-rules/:id`: creates or replaces a rule; the running engine takes it at once.
    @Sendable func saveRule(_ request: Request) async throws -> AlertRule {
        let id = try request.parameters.require("id")
        let rule: AlertRule
        do {
            rule = try request.content.decode(AlertRule.self)
        } catch {
            throw Abort(.badRequest, reason: "规则应为 AlertRule JSON 对象 / the body must be an AlertRule object: \(error)")
        }
        guard rule.id == id else {
            throw InvalidFieldsError(problems: [
                FieldProblem(field: "id", message: "与路径中的 \(id) 不一致 / differs from the path")
            ])
        }
        do {
            try await AlertRepository(database: request.db).save(rule, by: request.auditActor, at: Self.now())
        } catch let error as AlertStoreError {
            throw Self.abort(error)
        }
        try await request.application.alerts.service.reload()
        return rule
    }

    // MARK: Helpers

    static func time(_ request: Request, _ name: String, into problems: inout [FieldProblem]) -> Int64? {
        guard let text = request.query[String.self, at: name] else { return nil }
        switch ISO8601Time.parse(text) {
        case .success(let time): return time
        case .failure(let reason):
            problems.append(FieldProblem(field: name, message: reason.description))
            return nil
        }
    }

    static func abort(_ error: AlertStoreError) -> any Error {
        switch error {
        case .notFound: Abort(.notFound, reason: error.description)
        case .refused: Abort(.conflict, reason: error.description)
        case .invalidRule(let problems):
            InvalidFieldsError(problems: problems.map { FieldProblem(field: "condition", message: $0) })
        }
    }
}

// The Campaign values answered as they are (their Codable form is the API's).
extension AlertRule: Content {}
extension AlertHandlingStatistics: Content {}
extension AlertEvent: Content {}
