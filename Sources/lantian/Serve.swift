import ArgumentParser
import Foundation
import Server

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运行 HTTP 服务（默认 8080）与 HJ 212 接入服务 / run the HTTP server and the HJ 212 listener."
    )

    @Option(name: .long, help: "监听地址（覆盖 LANTIAN_HTTP_HOST，默认 127.0.0.1）/ address to listen on")
    var hostname: String?

    @Option(name: .long, help: "HTTP 端口（覆盖 LANTIAN_HTTP_PORT，默认 8080）/ HTTP port")
    var port: Int?

    @Option(name: .customLong("hj212-port"), help: "HJ 212 端口（覆盖 LANTIAN_HJ212_PORT，默认 8212）/ HJ 212 TCP port")
    var hj212Port: Int?

    @Flag(name: .long, help: "载入北京演示数据（未设 DATABASE_URL 时使用 数据目录/demo.sqlite）/ seed and serve the Beijing demo")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let configuration = try LantianConfiguration.load(
            .init(
                httpHost: hostname, httpPort: port, hj212Port: hj212Port, dataDirectory: common.dataDirectory,
                logLevel: common.logLevel, demo: demo))
        let logger = configuration.makeLogger()
        do {
            try await LantianServer.run(configuration, logger: logger)
        } catch let error as StartupError {
            logger.critical("\(error.description)")
            throw ExitCode(75)
        }
    }
}
