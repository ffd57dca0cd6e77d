import Campaign
import Foundation
import Store
import Vapor

/// The region tree under `/api/v1/regions`: list (flat or as a tree), show with the boundary, add, change,
/// import a GeoJSON FeatureCollection, and the map layer `/api/v1/regions.geojson`.
struct RegionController {
    let spatial: SpatialService

    /// Largest FeatureCollection `POST /regions/import` accepts.
    static let maximumImportSize: ByteCount = "64mb"

    func register(on routes: any RoutesBuilder) {
        let regions = routes.grouped("regions")
        regions.get(use: list)
        regions.post(use: create)
        regions.on(.POST, "import", body: .collect(maxSize: Self.maximumImportSize), use: importRegions)
        regions.get(":code", use: show)
        regions.patch(":code", use: update)
        routes.get("regions.geojson", use: featureCollection)
    }

    /// `GET /regions?parent=&level=&format=flat|tree`
    @Sendable func list(_ request: Request) async throws -> [RegionResponse] {
        let filter = try Self.filter(request)
        let format = request.query[String.self, at: "format"] ?? "flat"
        guard format == "flat" || format == "tree" else {
            throw InvalidFieldsError(problems: [
                FieldProblem(field: "format", message: "应为 flat 或 tree / format must be flat or tree")
            ])
        }
        let repository = RegionRepository(database: request.db)
        if format == "flat" { return try await repository.regions(filter).map { RegionResponse($0) } }
        // A tree under `parent` holds the whole subtree, not only the children.
        if let parent = filter.parentCode {
            var subtree = try await repository.subtree(of: parent).filter { $0.code != parent }
            if let level = filter.level { subtree = subtree.filter { $0.region.level == level } }
            return RegionResponse.tree(subtree)
        }
        return RegionResponse.tree(try await repository.regions(filter))
    }

    /// `GET /regions/{code}`, the boundary as GeoJSON geometry.
    @Sendable func show(_ request: Request) async throws -> RegionResponse {
        let code = try request.parameters.require("code")
        guard let region = try await RegionRepository(database: request.db).region(code: code) else {
            throw Abort(.notFound, reason: RegionRegistryError.notFound(code).description)
        }
        return RegionResponse(region, boundary: true)
    }

    /// `POST /regions`: 201 with `Location`; 422 naming every bad field; 409 when the code is taken.
    @Sendable func create(_ request: Request) async throws -> Response {
        let body = try Self.decodeBody(request)
        let (region, bodyProblems) = body.newRegion()
        let repository = RegionRepository(database: request.db)
        if !bodyProblems.isEmpty {
            throw InvalidFieldsError(problems: Self.merge(bodyProblems, try await repository.problems(for: region)))
        }
        do {
            try await repository.create(region, by: request.auditActor)
        } catch let error as RegionRegistryError {
            throw Self.abort(error)
        }
        await spatial.regionsChanged()
        let response = try await RegionResponse(region, boundary: true).encodeResponse(status: .created, for: request)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/regions/\(region.code)")
        return response
    }

    /// `PATCH /regions/{code}`: any of name, level, parentCode, boundary, demo; `null` clears parentCode
    /// and boundary.
    @Sendable func update(_ request: Request) async throws -> RegionResponse {
        let code = try request.parameters.require("code")
        let body = try Self.decodeBody(request)
        let (patch, bodyProblems) = body.patch(code: code)
        let repository = RegionRepository(database: request.db)
        guard let current = try await repository.region(code: code) else {
            throw Self.abort(.notFound(code))
        }
        if !bodyProblems.isEmpty {
            let problems = Self.merge(bodyProblems, try await repository.problems(for: patch.applied(to: current)))
            throw InvalidFieldsError(problems: problems)
        }
        do {
            let updated = try await repository.update(code: code, with: patch, by: request.auditActor)
            await spatial.regionsChanged()
            return RegionResponse(updated, boundary: true)
        } catch let error as RegionRegistryError {
            throw Self.abort(error)
        }
    }

    struct ImportResponse: Content {
        struct Warning: Content {
            var feature: String
            var code: String?
            var message: String
        }
        var inserted: Int
        var updated: Int
        var unchanged: Int
        var dryRun: Bool
        var warnings: [Warning]
    }

    /// `POST /regions/import[?dryRun=true]` with a GeoJSON FeatureCollection: 201 with the counts, or 422
    /// naming every bad feature (`features[i]`) with nothing written.
    @Sendable func importRegions(_ request: Request) async throws -> Response {
        guard let buffer = request.body.data, buffer.readableBytes > 0 else {
            throw Abort(
                .badRequest, reason: "请求体应为 GeoJSON FeatureCollection / the body must be a GeoJSON FeatureCollection")
        }
        let dryRun = request.query[Bool.self, at: "dryRun"] ?? false
        let summary: RegionImportSummary
        do {
            summary = try await RegionRepository(database: request.db).importRegions(
                featureCollection: Data(buffer.readableBytesView), dryRun: dryRun, by: request.auditActor)
        } catch RegionImportError.notFeatureCollection(let reason) {
            throw Abort(.badRequest, reason: "无法读取区域文件：\(reason)")
        } catch RegionImportError.invalid(let problems) {
            throw InvalidFieldsError(
                problems: problems.map { problem in
                    FieldProblem(
                        field: problem.field,
                        message: (problem.code.map { "编码 \($0)：" } ?? "") + problem.message)
                })
        } catch let error as RegionRegistryError {
            throw Self.abort(error)
        }
        if !dryRun { await spatial.regionsChanged() }
        let body = ImportResponse(
            inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, dryRun: dryRun,
            warnings: summary.warnings.map { .init(feature: $0.field, code: $0.code, message: $0.message) })
        return try await body.encodeResponse(status: dryRun ? .ok : .created, for: request)
    }

    /// `GET /regions.geojson?parent=&level=`: a FeatureCollection of the regions with boundaries, for the map.
    @Sendable func featureCollection(_ request: Request) async throws -> Response {
        let filter = try Self.filter(request)
        let regions = try await RegionRepository(database: request.db).regions(filter)
        let features: [Store.JSONValue] = regions.compactMap { mapped in
            guard let boundary = mapped.boundary else { return nil }
            var properties: [String: Store.JSONValue] = [
                "code": .string(mapped.code), "name": .string(mapped.region.name),
                "level": .string(mapped.region.level.rawValue), "levelName": .string(mapped.region.level.displayName),
                "demo": .bool(mapped.isDemoGeometry),
            ]
            properties["parent"] = mapped.region.parentCode.map(Store.JSONValue.string) ?? .null
            return .object([
                "type": .string("Feature"), "id": .string(mapped.code), "properties": .object(properties),
                "geometry": GeoJSON.geometry(boundary),
            ])
        }
        let collection = Store.JSONValue.object(["type": .string("FeatureCollection"), "features": .array(features)])
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "geo+json", parameters: ["charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: collection.text))
    }

    // MARK: Helpers

    static func filter(_ request: Request) throws -> RegionRepository.Filter {
        var filter = RegionRepository.Filter(parentCode: request.query[String.self, at: "parent"])
        if let level = request.query[String.self, at: "level"] {
            var problems: [FieldProblem] = []
            filter.level = RegionBody.level(level, problems: &problems)
            guard problems.isEmpty else { throw InvalidFieldsError(problems: problems) }
        }
        return filter
    }

    private static func decodeBody(_ request: Request) throws -> RegionBody {
        do {
            return try request.content.decode(RegionBody.self)
        } catch let error as any AbortError {
            throw error
        } catch {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
        }
    }

    private static func merge(_ body: [FieldProblem], _ validation: [FieldProblem]) -> [FieldProblem] {
        body + validation.filter { problem in !body.contains { $0.field == problem.field } }
    }

    static func abort(_ error: RegionRegistryError) -> any Error {
        switch error {
        case .invalid(let problems): InvalidFieldsError(problems: problems)
        case .duplicateCode, .conflict: Abort(.conflict, reason: error.description)
        case .notFound: Abort(.notFound, reason: error.description)
        }
    }
}
