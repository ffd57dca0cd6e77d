import ArgumentParser
import Foundation
import Server
import Store

/// `lantian audit …`: the tamper-evident audit log.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "审计日志 / the audit log",
        subcommands: [AuditVerify.self]
    )
}

/// `lantian audit verify`: recomputes the hash chain and names the first broken entry.
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "校验审计日志的哈希链 / verify the audit log's hash chain",
        discussion: """
            逐条重算 SHA-256 哈希链：内容被改动、记录被删除或链条被重接都会被发现，并指出第一条有问题的记录。
            Recomputes the SHA-256 chain entry by entry; an edited, deleted or re-chained entry is found and the
            first one named. Exit codes: 0 intact, 1 broken, 75 PostgreSQL not migrated, 78 bad configuration.
            """)

    @Flag(name: .long, help: "校验演示数据库 / use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false
        let logger = configuration.makeLogger()
        let verdict = try await configuration.withReadyDatabase(logger: logger) { app in
            try await AuditTrail.verify(on: app.db)
        }
        if verdict.isIntact {
            print(verdict.description)
        } else {
            FileHandle.standardError.write(Data((verdict.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
