import Campaign
import Store
import Vapor

/// The station registry under `/api/v1/stations`: list (filtered by kind, status, region), show, register,
/// change. The device password is write-only: accepted in `POST`/`PATCH`, never answered.
struct StationController {
    func register(on routes: any RoutesBuilder) {
        let stations = routes.grouped("stations")
        stations.get(use: list)
        stations.post(use: create)
        stations.get(":code", use: show)
        stations.patch(":code", use: update)
    }

    /// `GET /stations?kind=&status=&region=`
    @Sendable func list(_ request: Request) async throws -> [StationResponse] {
        var problems: [FieldProblem] = []
        var filter = StationRepository.Filter()
        if let kind = request.query[String.self, at: "kind"] {
            filter.kind = StationKind(rawValue: kind)
            if filter.kind == nil {
                problems.append(
                    FieldProblem(
                        field: "kind",
                        message: "站点类型“\(kind)”无效 / unknown kind; expected "
                            + StationKind.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if let status = request.query[String.self, at: "status"] {
            filter.status = StationStatus(rawValue: status)
            if filter.status == nil {
                problems.append(
                    FieldProblem(
                        field: "status",
                        message: "运行状态“\(status)”无效 / unknown status; expected "
                            + StationStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        filter.regionCode = request.query[String.self, at: "region"]
        guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        return try await StationRepository(database: request.db).stations(filter, scope: request.accessScope).map(
            StationResponse.init)
    }

    @Sendable func show(_ request: Request) async throws -> StationResponse {
        let code = try request.parameters.require("code")
        let repository = StationRepository(database: request.db)
        guard let station = try await repository.station(code: code, scope: request.accessScope) else {
            throw Self.abort(.notFound(code))
        }
        return StationResponse(station)
    }

    /// `POST /stations`: 201 with the station and its `Location`; 422 naming every bad field; 409 when the
    /// code or the MN is taken.
    @Sendable func create(_ request: Request) async throws -> Response {
        let body = try Self.decodeBody(request)
        let (station, bodyProblems) = body.newStation()
        let repository = StationRepository(database: request.db)
        if !bodyProblems.isEmpty {
            let problems = Self.merge(bodyProblems, try await repository.problems(for: station))
            throw InvalidFieldsError(problems: problems)
        }
        do {
            try await repository.create(station, by: request.auditActor)
        } catch let error as StationRegistryError {
            throw Self.abort(error)
        }
        let created = try await repository.station(code: station.code) ?? station
        let response = try await StationResponse(created).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/stations/\(station.code)")
        return response
    }

    /// `PATCH /stations/:code`: any subset of the fields; `null` clears regionCode, responsibleUnitCode, hj212.
    @Sendable func update(_ request: Request) async throws -> StationResponse {
        let code = try request.parameters.require("code")
        let body = try Self.decodeBody(request)
        let (patch, problemsInBody) = body.patch(code: code)
        let repository = StationRepository(database: request.db)
        guard let current = try await repository.station(code: code, scope: request.accessScope) else {
            throw Self.abort(.notFound(code))
        }
        var bodyProblems = problemsInBody
        let changed = patch.applied(to: current)
        if !request.accessScope.contains(
            unitCode: changed.responsibleUnitCode, regionPath: changed.regionCode.map { [$0] } ?? [])
        {
            // A scoped user may not hand a station to a unit or region outside their own.
            bodyProblems.append(
                FieldProblem(
                    field: patch.responsibleUnitCode != nil ? "responsibleUnitCode" : "regionCode",
                    message: "不能把站点移出自己负责的范围 / the station would leave your scope"))
        }
        if !bodyProblems.isEmpty {
            let problems = Self.merge(bodyProblems, try await repository.problems(for: patch.applied(to: current)))
            throw InvalidFieldsError(problems: problems)
        }
        do {
            return StationResponse(try await repository.update(code: code, with: patch, by: request.auditActor))
        } catch let error as StationRegistryError {
            throw Self.abort(error)
        }
    }

    // MARK: Helpers

    private static func decodeBody(_ request: Request) throws -> StationBody {
        do {
            return try request.content.decode(StationBody.self)
        } catch let error as any AbortError {
            throw error
        } catch {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
        }
    }

    /// The body's problems, then the validator's for fields the body had nothing to say about
    /// (`pollutants[2]` and `pollutants[2].unit` are the same field here).
    private static func merge(_ body: [FieldProblem], _ validation: [FieldProblem]) -> [FieldProblem] {
        func related(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b + ".") || b.hasPrefix(a + ".") }
        return body + validation.filter { problem in !body.contains { related($0.field, problem.field) } }
    }

    static func abort(_ error: StationRegistryError) -> any Error {
        switch error {
        case .invalid(let problems): InvalidFieldsError(problems: problems)
        case .duplicateCode, .duplicateMN, .conflict: Abort(.conflict, reason: error.description)
        case .notFound: Abort(.notFound, reason: error.description)
        }
    }
}
