import ArgumentParser
import Foundation
import Server

/// `lantian user …`: accounts from the command line.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "用户账号 / user accounts",
        subcommands: [UserCreate.self, UserList.self, UserDisable.self]
    )
}

/// `lantian user create --username U --password-file F --role R [--unit CODE]`
struct UserCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "创建用户 / create a user",
        discussion: """
            密码从文件读取（首尾空白忽略），至少 10 个字符。角色：command, dispatcher, supervisor, unit_officer,
            grid_worker, factory_supervisor, auditor, public。
            The password is read from a file (surrounding white space ignored), at least 10 characters.
            Exit codes: 0 created, 64 bad option (role, unit, password, username taken), 75 PostgreSQL not migrated,
            78 bad configuration.
            """)

    @Option(help: "用户名 / username") var username: String
    @Option(name: .customLong("password-file"), help: "存放密码的文件 / file holding the password") var passwordFile: String
    @Option(help: "角色 / role") var role: String
    @Option(help: "所属单位编码 / unit code") var unit: String?
    @Option(help: "关联人员 ID（网格员）/ person id (grid workers)") var person: String?
    @Option(name: .customLong("display-name"), help: "显示名 / display name") var displayName: String?
    @Flag(name: .long, help: "使用演示数据库 / use the demo database") var demo = false
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let password: String
        do {
            password = try String(contentsOfFile: passwordFile, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            FileHandle.standardError.write(Data("--password-file: 无法读取 \(passwordFile) / cannot read the file\n".utf8))
            throw ExitCode(64)
        }
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false
        let logger = configuration.makeLogger()
        do {
            let account = try await configuration.withReadyDatabase(logger: logger) { app in
                try await UserAdministration.create(
                    app, username: username, password: password, role: role, unitCode: unit, personID: person,
                    displayName: displayName)
            }
            print("已创建用户 \(account.username)（\(account.role.displayName)）/ user \(account.username) created")
        } catch let refusal as UserAdministration.Refusal {
            FileHandle.standardError.write(Data((refusal.description + "\n").utf8))
            throw ExitCode(64)
        }
    }
}

/// `lantian user list`
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出用户 / list users")
    @Flag(name: .long, help: "使用演示数据库 / use the demo database") var demo = false
    @OptionGroup var common: CommonOptions

    func run() async throws {
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false
        let users = try await configuration.withReadyDatabase(logger: configuration.makeLogger()) { app in
            try await UserAdministration.list(app)
        }
        print("username,role,unit,disabled")
        for user in users {
            print("\(user.username),\(user.role.rawValue),\(user.unitCode ?? ""),\(user.disabled)")
        }
    }
}

/// `lantian user disable --username U`
struct UserDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "停用用户（结束其会话和令牌）/ disable a user, ending its sessions and tokens")
    @Option(help: "用户名 / username") var username: String
    @Flag(name: .long, help: "使用演示数据库 / use the demo database") var demo = false
    @OptionGroup var common: CommonOptions

    func run() async throws {
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false
        let found = try await configuration.withReadyDatabase(logger: configuration.makeLogger()) { app in
            try await UserAdministration.disable(app, username: username)
        }
        guard found else {
            FileHandle.standardError.write(Data("--username: 用户 \(username) 不存在 / no user \(username)\n".utf8))
            throw ExitCode(64)
        }
        print("已停用 \(username) / \(username) disabled")
    }
}
