import Campaign
import Crypto
import Foundation
import Ingest
import Store
import Vapor

/// Public complaints over Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), JSON format, under
/// `/open311/v2`: the services (one per case category), creating a request (form-encoded, with an API key;
/// it becomes a public-complaint case of the ledger, placed and routed like any case), and reading public
/// requests back with their open/closed status and a public status note. Only cases registered as public
/// are ever shown, and never the complainant's details, internal notes, people or evidence.
struct Open311Controller {
    let apiKeys: Set<String>

    func register(on app: Application) {
        let v2 = app.grouped("open311", "v2")
        v2.get("services.json", use: services)
        v2.get("services", ":code", use: service)
        v2.get("requests.json", use: requests)
        v2.post("requests.json", use: create)
        v2.get("requests", ":id", use: request)
    }

    // MARK: Errors

    /// GeoReport's error answer: `[{"code": …, "description": …}]` with that HTTP status.
    struct Failure: Error {
        var status: HTTPResponseStatus
        var descriptions: [String]

        init(_ status: HTTPResponseStatus, _ descriptions: [String]) {
            self.status = status
            self.descriptions = descriptions
        }
    }

    struct ErrorJSON: Content {
        var code: Int
        var description: String
    }

    static func answer<T: Encodable & Sendable>(
        _ request: Request, status: HTTPResponseStatus = .ok, _ body: () async throws -> T
    ) async throws -> Response {
        do {
            let value = try await body()
            let response = Response(status: status)
            try response.content.encode(value, as: .json)
            return response
        } catch let failure as Failure {
            request.application.ledger.metrics.recordOpen311Refusal(status: failure.status.code)
            request.logger.notice(
                "open311 request refused",
                metadata: [
                    "status": "\(failure.status.code)", "reason": "\(failure.descriptions.joined(separator: "; "))",
                ])
            let response = Response(status: failure.status)
            try response.content.encode(
                failure.descriptions.map { ErrorJSON(code: Int(failure.status.code), description: $0) }, as: .json)
            return response
        }
    }

    /// `name.json` → `name`; any other format is refused (this server speaks JSON).
    static func stripJSON(_ component: String) throws -> String {
        if component.hasSuffix(".json") { return String(component.dropLast(5)) }
        if component.hasSuffix(".xml") {
            throw Failure(.badRequest, ["本服务仅提供 JSON 格式，请使用 .json / only the JSON format is served; use .json"])
        }
        throw Failure(.notFound, ["请在资源名后加 .json / append .json to the resource"])
    }

    // MARK: Services

    struct ServiceJSON: Content {
        var service_code: String
        var service_name: String
        var description: String
        var metadata: Bool
        var type: String
        var keywords: String
        var group: String
    }

    static func group(_ category: CaseCategory) -> String {
        switch category {
        case .constructionDust, .roadDust, .bareSoilDust, .materialYardDust: "扬尘"
        case .householdCoal, .industrialEmission, .vehicles, .cookingFumes, .openBurning, .scatteredPolluting: "大气"
        case .water: "水"
        case .soil: "土壤"
        case .illegalBuilding, .other: "其他"
        }
    }

    static func serviceJSON(_ category: CaseCategory) -> ServiceJSON {
        ServiceJSON(
            service_code: category.rawValue, service_name: category.displayName,
            description: "投诉“\(category.displayName)”问题，交属地或主管部门限期整改 / report a problem of this kind",
            metadata: false, type: "realtime",
            keywords: ([category.displayName, group(category)]
                + category.displayName.split(separator: "·").map(String.init))
                .joined(separator: ","),
            group: group(category))
    }

    @Sendable func services(_ request: Request) async throws -> Response {
        try await Self.answer(request) { CaseCategory.allCases.map(Self.serviceJSON) }
    }

    struct DefinitionJSON: Content {
        var service_code: String
        var attributes: [String]
    }

    /// A service definition: none of the services take extra attributes (`metadata` is false), so the
    /// definition lists none.
    @Sendable func service(_ request: Request) async throws -> Response {
        try await Self.answer(request) {
            let code = try Self.stripJSON(try request.parameters.require("code"))
            guard let category = CaseCategory(rawValue: code) else {
                throw Failure(.notFound, ["没有服务 \(code) / no service \(code)"])
            }
            return DefinitionJSON(service_code: category.rawValue, attributes: [])
        }
    }

    // MARK: Creating a request

    struct CreateForm: Content {
        var api_key: String?
        var jurisdiction_id: String?
        var service_code: String?
        var lat: String?
        var long: String?
        var address_string: String?
        var address_id: String?
        var email: String?
        var device_id: String?
        var account_id: String?
        var first_name: String?
        var last_name: String?
        var phone: String?
        var description: String?
        var media_url: String?
    }

    struct CreatedJSON: Content {
        var service_request_id: String
        var service_notice: String
        var account_id: String?
    }

    static let notice = "已受理，将交属地或主管部门限期整改，可凭编号查询进度 / received; it will be assigned with a deadline"

    /// The label an API key is recorded under: never the key itself.
    static func keyLabel(_ key: String) -> String {
        "key-" + SHA256.hash(data: Data(key.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        try await Self.answer(request, status: .created) {
            guard let form = try? request.content.decode(CreateForm.self, as: .urlEncodedForm) else {
                throw Failure(
                    .badRequest,
                    ["请求体应为表单（application/x-www-form-urlencoded）/ the body must be application/x-www-form-urlencoded"])
            }
            guard let key = form.api_key, apiKeys.contains(key) else {
                throw Failure(.forbidden, ["api_key 无效或缺失 / api_key is missing or invalid"])
            }
            var problems: [String] = []
            func blank(_ text: String?) -> Bool { (text ?? "").allSatisfy(\.isWhitespace) }
            let category = form.service_code.flatMap(CaseCategory.init(rawValue:))
            if category == nil {
                problems.append(
                    blank(form.service_code)
                        ? "service_code 必填 / service_code is required"
                        : "service_code “\(form.service_code ?? "")”不存在，见 services.json / unknown service_code")
            }
            var location: Coordinate?
            switch (form.lat.flatMap(Double.init), form.long.flatMap(Double.init)) {
            case (let lat?, let lon?):
                let point = Coordinate(longitude: lon, latitude: lat)
                if point.isValid {
                    location = point
                } else {
                    problems.append("lat/long 超出范围 / lat and long are out of range")
                }
            default:
                if !blank(form.lat) || !blank(form.long) {
                    problems.append("lat 与 long 须同时给出且为数字 / lat and long must both be numbers")
                } else if blank(form.address_string) {
                    problems.append("须给出 lat 与 long 或 address_string / give lat and long, or address_string")
                }
            }
            if blank(form.description) {
                problems.append("description 必填，请描述问题 / description is required")
            } else if (form.description ?? "").count > 4_000 {
                problems.append("description 不超过 4000 字 / description must be at most 4000 characters")
            }
            if let url = form.media_url, !blank(url),
                !(url.hasPrefix("http://") || url.hasPrefix("https://")) || url.count > 1_000
            {
                problems.append("media_url 须为 http(s) 网址 / media_url must be an http(s) URL")
            }
            for (name, value) in [
                ("email", form.email), ("phone", form.phone), ("first_name", form.first_name),
                ("last_name", form.last_name), ("address_string", form.address_string),
            ] where (value ?? "").count > 200 {
                problems.append("\(name) 不超过 200 字 / \(name) must be at most 200 characters")
            }
            guard problems.isEmpty, let category else { throw Failure(.badRequest, problems) }

            let text = (form.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            var description = text
            if let url = form.media_url, !blank(url) { description += "\n（附图 / media: \(url)）" }
            let name = [form.last_name, form.first_name].compactMap { $0 }.filter { !blank($0) }.joined()
            let contact = [form.phone, form.email].compactMap { $0 }.filter { !blank($0) }.joined(separator: " / ")
            let draft = CaseDraft(
                source: .publicComplaint, category: category, title: "公众投诉：\(text.prefix(40))",
                description: description, address: blank(form.address_string) ? nil : form.address_string,
                location: location, isPublic: true, reporterName: name.isEmpty ? nil : name,
                reporterContact: contact.isEmpty ? nil : contact, serviceCode: category.rawValue)
            let ledger = request.application.ledger
            let actor = LedgerActor(audit: AuditActor(kind: "open311", id: Self.keyLabel(key)), role: .public)
            do {
                let item = try await LedgerRepository(database: request.db).create(
                    draft, placement: try await LedgerController.placement(of: location, request), by: actor,
                    today: ledger.today, calendar: ledger.calendar, at: ledger.now)
                request.logger.info(
                    "open311 request created", metadata: ["case": "\(item.number)", "service": "\(category.rawValue)"])
                return [CreatedJSON(service_request_id: item.number, service_notice: Self.notice, account_id: nil)]
            } catch let error as LedgerError {
                throw Failure(.badRequest, [error.description])
            }
        }
    }

    // MARK: Reading requests

    struct RequestJSON: Content, Equatable {
        var service_request_id: String
        var status: String
        var status_notes: String
        var service_name: String
        var service_code: String
        var description: String
        var agency_responsible: String?
        var service_notice: String
        var requested_datetime: String
        var updated_datetime: String
        var expected_datetime: String?
        var address: String?
        var address_id: String?
        var zipcode: String?
        var lat: Double?
        var long: Double?
        var media_url: String?
    }

    /// What the public is told about where a case stands: the status and the unit in charge, never a note
    /// written by the people handling it.
    static func statusNotes(_ item: LedgerCase, unitName: String?) -> String {
        let unit = unitName ?? "责任单位"
        switch item.state.status {
        case .new: return "已受理，待交办 / received, to be assigned"
        case .assigned, .rectifying:
            let deadline = item.state.deadline.map { "，整改期限 \($0)" } ?? ""
            let rebound = item.state.rebounds > 0 ? "（回访发现问题反弹，重新整改）" : ""
            return "已交办\(unit)\(deadline)\(rebound) / assigned to the responsible unit"
        case .submitted: return "\(unit)已整改，待核查 / rectified, awaiting verification"
        case .closed:
            switch item.state.outcome {
            case .notOurResponsibility?: return "经核查非本单位职责，已如实办结 / not this unit's responsibility"
            case .duplicate?: return "与其他投诉为同一问题，已合并办理 / a duplicate of another report"
            case .cannotBeFixed?: return "暂无法整改到位，已采取管控措施 / cannot be fixed yet; measures taken"
            case .rectified?, nil: return "已整改到位，经核查销号 / rectified and verified"
            }
        }
    }

    static func requestJSON(_ item: LedgerCase, unitNames: [String: String]) -> RequestJSON {
        let unitName = item.responsibleUnitCode.flatMap { unitNames[$0] }
        // Noon of the deadline day in China: a time within the day, as GeoReport wants a datetime.
        let expected = item.state.deadline.map { ISO8601Time.format(Int64($0.start.timeIntervalSince1970) + 86_399) }
        return RequestJSON(
            service_request_id: item.number, status: item.state.status == .closed ? "closed" : "open",
            status_notes: statusNotes(item, unitName: unitName), service_name: item.category.displayName,
            service_code: item.serviceCode ?? item.category.rawValue, description: item.description,
            agency_responsible: unitName, service_notice: notice,
            requested_datetime: ISO8601Time.format(item.createdAt),
            updated_datetime: ISO8601Time.format(item.updatedAt), expected_datetime: expected, address: item.address,
            address_id: nil, zipcode: nil, lat: item.location?.latitude, long: item.location?.longitude, media_url: nil)
    }

    static func unitNames(_ request: Request) async throws -> [String: String] {
        Dictionary(
            try await UnitRepository(database: request.db).units().map { ($0.code, $0.name) },
            uniquingKeysWith: { first, _ in first })
    }

    /// `GET requests.json`: public requests; `service_request_id` (comma separated) alone, or the filters
    /// `service_code` (comma separated), `start_date`, `end_date` (ISO 8601), `status` (open, closed). As
    /// the specification says, without dates the last 90 days; at most 1,000 answered.
    @Sendable func requests(_ request: Request) async throws -> Response {
        try await Self.answer(request) {
            let repository = LedgerRepository(database: request.db)
            let names = try await Self.unitNames(request)
            if let ids = request.query[String.self, at: "service_request_id"], !ids.isEmpty {
                var found: [RequestJSON] = []
                for id in ids.split(separator: ",").prefix(100) {
                    if let item = try await Self.publicCase(String(id.trimmingCharacters(in: .whitespaces)), repository)
                    {
                        found.append(Self.requestJSON(item, unitNames: names))
                    }
                }
                return found
            }
            var problems: [String] = []
            func time(_ name: String) -> Int64? {
                guard let text = request.query[String.self, at: name] else { return nil }
                switch ISO8601Time.parse(text) {
                case .success(let seconds): return seconds
                case .failure:
                    problems.append("\(name) 须为带时区的 ISO 8601 时间 / \(name) must be ISO 8601 with an offset")
                    return nil
                }
            }
            let now = request.application.ledger.now
            let end = time("end_date") ?? now
            let start = time("start_date") ?? (end - 90 * 86_400)
            var codes: Set<CaseCategory>?
            if let text = request.query[String.self, at: "service_code"] {
                codes = []
                for code in text.split(separator: ",") {
                    if let category = CaseCategory(rawValue: String(code)) {
                        codes?.insert(category)
                    } else {
                        problems.append("service_code “\(code)”不存在 / unknown service_code")
                    }
                }
            }
            var statuses: Set<String>?
            if let text = request.query[String.self, at: "status"] {
                statuses = Set(text.split(separator: ",").map(String.init))
                if let bad = statuses?.first(where: { $0 != "open" && $0 != "closed" }) {
                    problems.append("status “\(bad)”应为 open 或 closed / status must be open or closed")
                }
            }
            guard problems.isEmpty else { throw Failure(.badRequest, problems) }
            let cases = try await repository.cases(
                .init(isPublic: true, createdFrom: start, createdTo: end + 1, limit: 1_000)
            ).cases
            return cases.filter { item in
                (codes?.contains(item.category) ?? true)
                    && (statuses?.contains(item.state.status == .closed ? "closed" : "open") ?? true)
            }.map { Self.requestJSON($0, unitNames: names) }
        }
    }

    static func publicCase(_ number: String, _ repository: LedgerRepository) async throws -> LedgerCase? {
        guard let id = try await repository.caseID(number: number), let item = try await repository.case(id: id),
            item.isPublic
        else { return nil }
        return item
    }

    /// `GET requests/{id}.json`: one public request, as an array of one (as the specification shows).
    @Sendable func request(_ request: Request) async throws -> Response {
        try await Self.answer(request) {
            let id = try Self.stripJSON(try request.parameters.require("id"))
            guard let item = try await Self.publicCase(id, LedgerRepository(database: request.db)) else {
                throw Failure(.notFound, ["没有公开的投诉 \(id) / no public request \(id)"])
            }
            return [Self.requestJSON(item, unitNames: try await Self.unitNames(request))]
        }
    }
}
