import Foundation
import Vapor

/// `GET /api/v1/openapi.json`: the hand-written OpenAPI 3.1 description of the JSON API,
/// `Resources/OpenAPI/openapi.json`. The file is read once, when the controller is made; the server still
/// starts when it is missing or broken (the rest of the API does not depend on it), and the route then
/// answers 500 and the reason is logged.
struct OpenAPIController {
    /// Where the document lives under the resources directory.
    static let relativePath = "OpenAPI/openapi.json"

    let document: Result<ByteBuffer, OpenAPIDocumentError>

    init(resourcesDirectory: String, logger: Logger) {
        let path = resourcesDirectory + (resourcesDirectory.hasSuffix("/") ? "" : "/") + Self.relativePath
        document = Self.load(path: path)
        if case .failure(let error) = document {
            logger.error("OpenAPI document unavailable", metadata: ["error": .string(error.description)])
        }
    }

    func register(on routes: any RoutesBuilder) {
        routes.get("openapi.json", use: openAPI)
    }

    @Sendable func openAPI(_ request: Request) async throws -> Response {
        let body = try document.get()
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }

    /// The document's bytes, checked to be a JSON object.
    static func load(path: String) -> Result<ByteBuffer, OpenAPIDocumentError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(OpenAPIDocumentError(message: "找不到接口描述文件 \(path) / OpenAPI document missing: \(path)"))
        }
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            return .failure(
                OpenAPIDocumentError(
                    message: "接口描述文件不是 JSON 对象 \(path) / OpenAPI document is not a JSON object: \(path)"))
        }
        return .success(ByteBuffer(data: data))
    }
}

/// Why the OpenAPI document cannot be served: the deployment is missing its resources. Answered as a plain
/// 500 (the path stays in the log, not in the answer).
struct OpenAPIDocumentError: Error, CustomStringConvertible {
    var message: String

    var description: String { message }
}
