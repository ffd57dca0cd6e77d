import Logging
import ServiceLifecycle
import Vapor

/// Runs Vapor's HTTP server as one service of the group, so it starts and stops in order with the
/// HJ 212 listener and the schedulers.
struct HTTPServerService: Service {
    let app: Application
    let host: String
    let port: Int

    func run() async throws {
        try await app.server.start(address: .hostname(host, port: port))
        let bound = app.http.server.shared.localAddress?.port ?? port
        app.logger.notice("HTTP 服务已启动 / HTTP listening", metadata: ["address": "http://\(host):\(bound)"])
        // Wait for SIGTERM/SIGINT (or cancellation), then finish in-flight requests and close.
        try? await gracefulShutdown()
        app.logger.notice("HTTP 服务正在停止 / HTTP shutting down")
        await app.server.shutdown()
    }
}
