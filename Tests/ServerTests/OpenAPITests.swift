import Foundation
import LantianTestSupport
import Testing
import Vapor
import VaporTesting

@testable import Server

/// `GET /api/v1/openapi.json` and the document's agreement with the route table, so the two cannot drift.
/// Not about the database: SQLite only.
@Suite("OpenAPI document")
struct OpenAPITests {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The served document, parsed.
    static func document(_ app: Application) async throws -> [String: Any] {
        var document: [String: Any] = [:]
        try await app.testing().test(.GET, "api/v1/openapi.json") { response async throws in
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            let parsed = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
            document = try #require(parsed as? [String: Any])
        }
        return document
    }

    /// `METHOD /path` of every route the app registered under `/api/v1`, `:name` written `{name}`.
    static func registeredOperations(_ app: Application) -> Set<String> {
        Set(
            app.routes.all.compactMap { route -> String? in
                let components = route.path.map { component -> String in
                    switch component {
                    case .constant(let text): text
                    case .parameter(let name): "{\(name)}"
                    case .anything: "*"
                    case .catchall: "**"
                    }
                }
                guard components.starts(with: ["api", "v1"]) else { return nil }
                return "\(route.method.rawValue) /" + components.joined(separator: "/")
            })
    }

    /// `METHOD /path` of every operation the document describes under `/api/v1`.
    static func documentedOperations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths where path.hasPrefix("/api/v1/") {
            let item = try #require(item as? [String: Any])
            for method in methods where item[method] != nil {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// Every `$ref` in `value`, with where it was found.
    static func references(in value: Any, at location: String = "#") -> [(ref: String, location: String)] {
        if let object = value as? [String: Any] {
            var found: [(String, String)] = []
            if let ref = object["$ref"] as? String { found.append((ref, location)) }
            for (key, child) in object { found += references(in: child, at: location + "/" + key) }
            return found
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { references(in: $1, at: location + "/\($0)") }
        }
        return []
    }

    /// The value a local reference (`#/components/schemas/Station`) points at, or nil.
    static func resolve(_ ref: String, in document: [String: Any]) -> Any? {
        guard ref.hasPrefix("#/") else { return nil }
        var current: Any = document
        for token in ref.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = current as? [String: Any], let next = object[key] {
                current = next
            } else if let array = current as? [Any], let index = Int(key), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    @Test func theDocumentIsServedAsOpenAPI31() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            let document = try await Self.document(app)
            #expect(document["openapi"] as? String == "3.1.0")
            let info = try #require(document["info"] as? [String: Any])
            #expect(info["title"] as? String == "蓝天 Lantian API")
            #expect(info["version"] as? String == "1")
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/healthz"] != nil)
            #expect(paths["/readyz"] != nil)
        }
    }

    @Test func everyAPIRouteIsDocumentedAndEveryDocumentedOperationExists() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            let registered = Self.registeredOperations(app)
            let documented = try Self.documentedOperations(try await Self.document(app))
            #expect(registered.contains("GET /api/v1/openapi.json"))
            #expect(registered.contains("GET /api/v1/stations/{code}"))
            let undocumented = registered.subtracting(documented).sorted()
            let missing = documented.subtracting(registered).sorted()
            #expect(undocumented.isEmpty, "routes missing from Resources/OpenAPI/openapi.json: \(undocumented)")
            #expect(missing.isEmpty, "documented operations the app does not have: \(missing)")
        }
    }

    @Test func operationsOutsideTheAPIAreTheProbesOnly() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            let document = try await Self.document(app)
            let paths = try #require(document["paths"] as? [String: Any])
            let outside = Set(paths.keys.filter { !$0.hasPrefix("/api/v1/") })
            #expect(outside == ["/healthz", "/readyz"])
            let routes = Set(
                app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(routes.isSuperset(of: ["GET /healthz", "GET /readyz"]))
        }
    }

    @Test func everyReferenceResolvesWithinTheDocument() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            let document = try await Self.document(app)
            let references = Self.references(in: document)
            #expect(references.count > 50)
            for (ref, location) in references {
                #expect(Self.resolve(ref, in: document) != nil, "\(location): $ref \(ref) does not resolve")
            }
            // The schemas other teams and clients rely on by name.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for name in [
                "Station", "StationInput", "StationPatch", "ReadingRow", "IngestResponse", "ReadingsResponse",
                "AQISeriesResponse", "LatestStation", "Error",
            ] {
                #expect(schemas[name] != nil, "components/schemas/\(name) is missing")
            }
        }
    }

    @Test func everyPathParameterIsDeclared() async throws {
        try await withLantian(on: .sqlite) { app, _, _ in
            let document = try await Self.document(app)
            let paths = try #require(document["paths"] as? [String: Any])
            for (path, item) in paths {
                let item = try #require(item as? [String: Any])
                let templated = Set(
                    path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map {
                        String($0.dropFirst().dropLast())
                    })
                for method in Self.methods {
                    guard let operation = item[method] as? [String: Any] else { continue }
                    let parameters =
                        ((item["parameters"] as? [Any]) ?? []) + ((operation["parameters"] as? [Any]) ?? [])
                    let declared = Set(
                        parameters.compactMap { parameter -> String? in
                            var parameter = parameter as? [String: Any]
                            if let ref = parameter?["$ref"] as? String {
                                parameter = Self.resolve(ref, in: document) as? [String: Any]
                            }
                            guard parameter?["in"] as? String == "path" else { return nil }
                            return parameter?["name"] as? String
                        })
                    #expect(declared == templated, "\(method.uppercased()) \(path): path parameters \(declared)")
                }
            }
        }
    }

    @Test func aMissingDocumentIsA500NotAFailedStart() async throws {
        let controller = OpenAPIController(
            resourcesDirectory: "/nonexistent/", logger: Logger(label: "test"))
        let app = try await Application.make(.testing)
        do {
            app.middleware.use(LantianErrorMiddleware())
            controller.register(on: app.grouped("api", "v1"))
            try await app.testing().test(.GET, "api/v1/openapi.json") { response async in
                #expect(response.status == .internalServerError)
                #expect(response.body.string.contains("internal_server_error"))
            }
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
