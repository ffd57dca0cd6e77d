import Campaign
import Store
import Vapor

/// Responsible units under `/api/v1/units`: list (by kind), show, create, change, CSV import.
struct UnitController {
    func register(on routes: any RoutesBuilder) {
        let units = routes.grouped("units")
        units.get(use: list)
        units.post(use: create)
        units.on(.POST, "import", body: .collect(maxSize: "8mb"), use: importCSV)
        units.get(":code", use: show)
        units.patch(":code", use: update)
    }

    /// `GET /units?kind=`
    @Sendable func list(_ request: Request) async throws -> [OrganisationJSON.Unit] {
        var kind: UnitKind?
        if let text = request.query[String.self, at: "kind"] {
            guard let parsed = UnitKind(rawValue: text) else {
                throw InvalidFieldsError(problems: [ResponsibleUnit.kindProblem(text)])
            }
            kind = parsed
        }
        return try await UnitRepository(database: request.db).units(kind: kind, scope: request.accessScope).map(
            OrganisationJSON.Unit.init)
    }

    @Sendable func show(_ request: Request) async throws -> OrganisationJSON.Unit {
        let code = try request.parameters.require("code")
        guard let unit = try await UnitRepository(database: request.db).unit(code: code, scope: request.accessScope)
        else {
            throw OrganisationParameters.abort(.notFound(entity: "unit", id: code))
        }
        return OrganisationJSON.Unit(unit)
    }

    /// `POST /units`: 201; 422 naming every bad field; 409 when the code is taken.
    @Sendable func create(_ request: Request) async throws -> Response {
        var body = try JSONBody.decode(request)
        let code = body.required("code", "单位编码", { $0.string($1) })
        let name = body.required("name", "单位名称", { $0.string($1) })
        let kindText = body.required("kind", "单位类型", { $0.string($1) })
        var kind = UnitKind.department
        if let kindText {
            if let parsed = UnitKind(rawValue: kindText) {
                kind = parsed
            } else {
                body.problems.append(ResponsibleUnit.kindProblem(kindText))
            }
        }
        let unit = ResponsibleUnit(
            code: code ?? "", name: name ?? "", kind: kind, regionCode: body.optionalText("regionCode").value,
            parentCode: body.optionalText("parentCode").value)
        let repository = UnitRepository(database: request.db)
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: unit)) }
        try await OrganisationParameters.answering {
            try await repository.create(unit, by: request.auditActor)
        }
        let response = try await OrganisationJSON.Unit(unit).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/units/\(unit.code)")
        return response
    }

    /// `PATCH /units/:code`: any of name, kind, regionCode, parentCode; `null` clears region and parent.
    @Sendable func update(_ request: Request) async throws -> OrganisationJSON.Unit {
        let code = try request.parameters.require("code")
        var body = try JSONBody.decode(request)
        var patch = UnitPatch()
        if let given = body.notNull("code", "单位编码", { $0.string($1) }), given != code {
            body.problems.append(
                FieldProblem(field: "code", message: "单位编码不能修改 / the code of a unit cannot be changed"))
        }
        patch.name = body.notNull("name", "单位名称", { $0.string($1) })
        if let text = body.notNull("kind", "单位类型", { $0.string($1) }) {
            patch.kind = UnitKind(rawValue: text)
            if patch.kind == nil { body.problems.append(ResponsibleUnit.kindProblem(text)) }
        }
        patch.regionCode = JSONBody.clearable(body.optionalText("regionCode"))
        patch.parentCode = JSONBody.clearable(body.optionalText("parentCode"))
        let repository = UnitRepository(database: request.db)
        guard let current = try await repository.unit(code: code) else {
            throw OrganisationParameters.abort(.notFound(entity: "unit", id: code))
        }
        if !body.problems.isEmpty { try body.check(try await repository.problems(for: patch.applied(to: current))) }
        return OrganisationJSON.Unit(
            try await OrganisationParameters.answering {
                try await repository.update(code: code, with: patch, by: request.auditActor)
            })
    }

    /// `POST /units/import` (text/csv): all or nothing; 422 lists every bad row as `line[N].column`.
    @Sendable func importCSV(_ request: Request) async throws -> OrganisationJSON.ImportSummary {
        let (text, dryRun) = try CSVUpload.read(request)
        return try await CSVUpload.answering {
            OrganisationJSON.ImportSummary(
                try await OrganisationImporter(database: request.db).importUnits(
                    csv: text, dryRun: dryRun, by: request.auditActor))
        }
    }
}

/// A CSV file sent as the body of an import.
enum CSVUpload {
    static func read(_ request: Request) throws -> (text: String, dryRun: Bool) {
        guard let type = request.headers.contentType, type.type == "text", type.subType == "csv" else {
            throw Abort(.unsupportedMediaType, reason: "请求体应为 CSV（Content-Type: text/csv）/ the body must be text/csv")
        }
        guard let buffer = request.body.data,
            let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes)
        else {
            throw Abort(.badRequest, reason: "请求体为空 / the body is empty")
        }
        let dryRun = (request.query[String.self, at: "dryRun"] ?? request.query[String.self, at: "dry-run"]) == "true"
        return (text, dryRun)
    }

    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let rejected as OrganisationImportRejected {
            throw InvalidFieldsError(
                problems: rejected.problems.map {
                    FieldProblem(field: "line[\($0.line)].\($0.column)", message: "第 \($0.line) 行：\($0.reason)")
                })
        } catch let error as OrganisationError {
            throw OrganisationParameters.abort(error)
        }
    }
}
