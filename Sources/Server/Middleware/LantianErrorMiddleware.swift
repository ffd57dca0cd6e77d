import Campaign
import Vapor

/// Turns every error into an answer the caller can act on: JSON under `/api`, GeoReport's error array
/// under `/open311`, a friendly Chinese page elsewhere. 5xx details are logged, never shown.
struct LantianErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await Self.response(for: error, to: request)
        }
    }

    struct APIError: Content {
        struct Body: Content {
            var status: UInt
            var code: String
            var message: String
            var requestId: String
        }
        var error: Body
        /// Every field at fault, for a 422 (`InvalidFieldsError`); absent otherwise.
        var problems: [FieldProblem]?
    }

    static func response(for error: any Error, to request: Request) async -> Response {
        let status: HTTPResponseStatus
        let reason: String
        var headers: HTTPHeaders = [:]
        if let abort = error as? any AbortError {
            status = abort.status
            // A 5xx reason may carry internals: it goes to the log, the caller gets the generic text.
            reason = status.code >= 500 ? "服务器内部错误 / internal server error" : abort.reason
            headers = abort.headers
        } else {
            status = .internalServerError
            reason = "服务器内部错误 / internal server error"
        }
        if status.code >= 500 {
            request.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
        } else {
            request.logger.notice(
                "request refused", metadata: ["status": .stringConvertible(status.code), "reason": .string(reason)])
        }
        if request.url.path.hasPrefix("/open311/") {
            return open311(status: status, reason: reason, headers: headers, request: request)
        }
        if wantsJSON(request) {
            let problems = (error as? InvalidFieldsError)?.problems
            return json(status: status, reason: reason, headers: headers, problems: problems, request: request)
        }
        return await page(status: status, reason: reason, headers: headers, request: request)
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.url.path
        return path.hasPrefix("/api/") || path == "/api" || path.hasPrefix("/open311/")
    }

    static func json(
        status: HTTPResponseStatus, reason: String, headers: HTTPHeaders, problems: [FieldProblem]? = nil,
        request: Request
    ) -> Response {
        let body = APIError(
            error: .init(status: status.code, code: codeName(status), message: reason, requestId: request.id),
            problems: problems)
        let response = Response(status: status, headers: headers)
        do {
            try response.content.encode(body, as: .json)
        } catch {
            response.body = .init(string: #"{"error":{"status":500,"code":"internal_error"}}"#)
        }
        return response
    }

    /// GeoReport v2's error answer, `[{"code": …, "description": …}]`, for whatever fails under `/open311`
    /// outside the controller's own answers (an unknown resource or format, a body too large, a 5xx).
    static func open311(status: HTTPResponseStatus, reason: String, headers: HTTPHeaders, request: Request) -> Response
    {
        struct GeoReportError: Encodable {
            var code: UInt
            var description: String
        }
        let response = Response(status: status, headers: headers)
        do {
            try response.content.encode([GeoReportError(code: status.code, description: reason)], as: .json)
        } catch {
            response.body = .init(string: #"[{"code":500,"description":"internal error"}]"#)
        }
        return response
    }

    static func page(status: HTTPResponseStatus, reason: String, headers: HTTPHeaders, request: Request) async
        -> Response
    {
        let context = ErrorPageContext(
            status: Int(status.code), title: title(status), reason: reason, requestId: request.id)
        var response: Response
        do {
            response = try await request.view.render("error", context).encodeResponse(for: request)
        } catch {
            // The page of last resort: the template itself could not be rendered.
            response = Response(body: .init(string: "<!doctype html><meta charset=utf-8><h1>\(context.title)</h1>"))
            response.headers.contentType = .html
        }
        response.status = status
        for (name, value) in headers where name.lowercased() != "content-type" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }

    struct ErrorPageContext: Encodable {
        var status: Int
        var title: String
        var reason: String
        var requestId: String
    }

    static func title(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "请求有误"
        case 401: "请先登录"
        case 403: "没有权限"
        case 404: "页面不存在"
        case 405: "不支持的操作"
        case 413: "上传内容过大"
        case 429: "请求过于频繁，请稍后再试"
        case 503: "服务暂不可用"
        case 500...: "服务器内部错误"
        default: "请求未能完成"
        }
    }

    static func codeName(_ status: HTTPResponseStatus) -> String {
        status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
    }
}

/// A 422 naming every field at fault. Under `/api` it answers
/// `{"error":{"status":422,"code":"unprocessable_entity",…},"problems":[{"field","message"}]}`;
/// a page lists the messages.
struct InvalidFieldsError: AbortError {
    var problems: [FieldProblem]

    var status: HTTPResponseStatus { .unprocessableEntity }

    var reason: String {
        "有 \(problems.count) 处填写有误 / \(problems.count) invalid field(s): "
            + problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
    }
}
