import Vapor

/// The outermost middleware: tags each request with its id, logs one structured line when it is
/// answered, and records the request metrics. It sits outside the error middleware, so it sees the
/// final status of every request, errors included.
struct RequestLogMiddleware: AsyncMiddleware {
    let metrics: AppMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await next.respond(to: request)
        let duration = clock.now - start
        let route = Self.routeLabel(request)
        let status = response.status.code
        response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
        metrics.recordRequest(method: request.method.rawValue, route: route, status: status, duration: duration)
        request.logger.log(
            level: status >= 500 ? .error : .info,
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.url.path),
                "route": .string(route),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.2f", duration.inSeconds * 1000)),
            ]
        )
        return response
    }

    /// The route pattern (`/api/v1/stations/:code`) rather than the concrete path.
    static func routeLabel(_ request: Request) -> String {
        guard let route = request.route else { return "unmatched" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }
}
