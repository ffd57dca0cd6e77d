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
            if let email = form.email, !blank(email), !Self.looksLikeEmail(email) {
                // Not echoed: refusals are logged, and an address is personal data.
                problems.append("email 不是有效的电子邮箱 / email is not an e-mail address")
            }
            if let phone = form.phone, !blank(phone), !Self.looksLikePhone(phone) {
                problems.append("phone 应为电话号码（数字，可含 + - 空格 括号）/ phone must be a phone number")
            }
            for (name, value) in [
                ("email", form.email), ("phone", form.phone), ("first_name", form.first_name),
                ("last_name", form.last_name), ("address_string", form.address_string),
            ] where (value ?? "").count > 200 {
                problems.append("\(name) 不超过 200 字 / \(name) must be at most 200 characters")
            }
            guard problems.isEmpty, let category else { throw Failure(.badRequest, problems) }

            let text = (form.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let name = Self.fullName(first: form.first_name, last: form.last_name)
            let contact = [form.phone, form.email].compactMap { $0 }.filter { !blank($0) }.joined(separator: " / ")
            let draft = CaseDraft(
                source: .publicComplaint, category: category, title: "公众投诉：\(text.prefix(40))",
                description: text, address: blank(form.address_string) ? nil : form.address_string,
                location: location, isPublic: true, reporterName: name.isEmpty ? nil : name,
                reporterContact: contact.isEmpty ? nil : contact, serviceCode: category.rawValue,
                mediaURL: blank(form.media_url) ? nil : form.media_url)
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

    /// `someone@example.com`: one `@` with text on both sides, a dot in the domain, no spaces.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
    }

    /// Digits with the usual separators (`+86 139-0000-1111`, `(010) 6512 3456`): 5 to 20 digits.
    static func looksLikePhone(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber).count
        return text.allSatisfy { ($0.isASCII && $0.isNumber) || " +-()".contains($0) } && (5...20).contains(digits)
    }

    /// 李晓红 for Chinese names (family name first, no space); `John Smith` otherwise.
    static func fullName(first: String?, last: String?) -> String {
        let parts = [first, last].map { ($0 ?? "").trimmingCharacters(in: .whitespaces) }
        let chinese = parts.joined().unicodeScalars.allSatisfy { (0x3400...0x9FFF).contains($0.value) || $0 == "·" }
        return chinese
            ? parts[1] + parts[0] : parts.filter { !$0.isEmpty }.joined(separator: " ")
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
            address_id: nil, zipcode: nil, lat: item.location?.latitude, long: item.location?.longitude,
            media_url: item.mediaURL)
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
                let wanted = ids.split(separator: ",")
                guard wanted.count <= 1_000 else {
                    throw Failure(
                        .badRequest, ["service_request_id 一次不超过 1000 个 / at most 1000 service_request_id at once"])
                }
                var found: [RequestJSON] = []
                for id in wanted {
                    if let item = try await Self.publicCase(String(id.trimmingCharacters(in: .whitespaces)), repository)
                    {
                        found.append(Self.requestJSON(item, unitNames: names))
                    }
                }
                return found
            }
            var problems: [String] = []
            func time(_ name: String) -> Int64? {
                // GeoReport's optional arguments: empty is the same as absent.
                guard let text = request.query[String.self, at: name], !text.isEmpty else { return nil }
                switch ISO8601Time.parse(text) {
                case .success(let seconds): return seconds
                case .failure:
                    problems.append("\(name) 须为带时区的 ISO 8601 时间 / \(name) must be ISO 8601 with an offset")
                    return nil
                }
            }
            // GeoReport: without dates, the most recent 90 days; a range may not span more than 90 days.
            let window: Int64 = 90 * 86_400
            let given = (start: time("start_date"), end: time("end_date"))
            let end = given.end ?? given.start.map { $0 + window } ?? request.application.ledger.now
            let start = given.start ?? (end - window)
            if end < start {
                problems.append("end_date 不能早于 start_date / end_date must not be before start_date")
            } else if end - start > window {
                problems.append("start_date 至 end_date 不超过 90 天 / start_date to end_date may span at most 90 days")
            }
            var codes: Set<CaseCategory>?
            if let text = request.query[String.self, at: "service_code"], !text.isEmpty {
                codes = []
                for code in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    if let category = CaseCategory(rawValue: code) {
                        codes?.insert(category)
                    } else {
                        problems.append("service_code “\(code)”不存在 / unknown service_code")
                    }
                }
            }
            var statuses: Set<CaseStatus>?
            if let text = request.query[String.self, at: "status"], !text.isEmpty {
                statuses = []
                for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    switch word {
                    case "open": statuses?.formUnion(CaseStatus.allCases.filter { $0 != .closed })
                    case "closed": statuses?.insert(.closed)
                    default: problems.append("status “\(word)”应为 open 或 closed / status must be open or closed")
                    }
                }
            }
            guard problems.isEmpty else { throw Failure(.badRequest, problems) }
            // The filters go to the database before the 1,000 limit, so a filter never misses a match.
            let cases = try await repository.cases(
                .init(
                    status: statuses, isPublic: true, createdFrom: start, createdTo: end + 1, categories: codes,
                    limit: 1_000)
            ).cases
            return cases.map { Self.requestJSON($0, unitNames: names) }
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
