import ArgumentParser
import Foundation
import Logging
import Server

/// The `lantian` binary: a thin entry point. Each subcommand reads the configuration, sets up logging
/// and hands over to the library.
@main
struct Lantian: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lantian",
        abstract: "蓝天 · 生态环境攻坚指挥调度平台 / Lantian, the pollution-campaign command platform.",
        subcommands: [
            Serve.self, Migrate.self, Import.self, AQICommand.self, Bench.self, Simulate.self, Audit.self,
            UserCommand.self,
        ],
        defaultSubcommand: Serve.self
    )
}

/// Options shared by the subcommands that talk to the database.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "数据目录（覆盖 LANTIAN_DATA_DIR，默认 ./data）/ data directory")
    var dataDirectory: String?

    @Option(
        name: .customLong("log-level"),
        help: "日志级别（覆盖 LANTIAN_LOG_LEVEL）/ trace, debug, info, notice, warning, error, critical")
    var logLevel: String?
}

extension LantianConfiguration {
    /// Resolves the configuration or stops the program with every problem in one message (exit 78, EX_CONFIG).
    static func load(_ overrides: Overrides) throws -> LantianConfiguration {
        do {
            return try resolve(environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(78)
        }
    }

    func makeLogger() -> Logger {
        LogSetup.bootstrap(format: logFormat, level: logLevel)
        var logger = Logger(label: "lantian")
        logger.logLevel = logLevel
        return logger
    }
}
