import ArgumentParser
import Foundation
import Server
import Store

/// `lantian import units FILE.csv [--dry-run]`
struct ImportUnits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "导入责任单位（CSV）/ import responsible units (CSV).",
        discussion: """
            列 / columns: code,name,kind,region,parent (UTF-8, 见 docs/organisation-csv.md).
            全部成功或全部不导入：每个错误行都会报告行号、列和原因。已有单位按文件更新。
            All or nothing: every bad row is reported with its line, column and reason; existing units are
            updated to the file. Exit codes: 0 done, 64 unreadable file, 65 bad rows (nothing imported),
            75 PostgreSQL not migrated, 78 bad configuration.
            """
    )

    @Argument(help: "单位文件（UTF-8 CSV）/ the units file (UTF-8 CSV)")
    var file: String

    @Flag(name: .customLong("dry-run"), help: "只检查并报告，不写入数据库 / check and report, write nothing")
    var dryRun = false

    @Flag(name: .long, help: "导入演示数据库 / use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await OrganisationImportCommand.run(file: file, what: "units", dryRun: dryRun, demo: demo, common: common) {
            importer, text, actor in
            try await importer.importUnits(csv: text, dryRun: dryRun, by: actor)
        }
    }
}

/// `lantian import people FILE.csv [--dry-run]`
struct ImportPeople: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "导入人员及网格分配（CSV）/ import people and their grid assignments (CSV).",
        discussion: """
            列 / columns: name,phone,unit,title[,grid,grid_level] (UTF-8, 见 docs/organisation-csv.md).
            同名同电话视为同一人：再次导入只更新单位和职务。全部成功或全部不导入。
            A person is known by name and phone: importing again updates unit and title. All or nothing;
            exit codes as for `lantian import units`.
            """
    )

    @Argument(help: "人员文件（UTF-8 CSV）/ the people file (UTF-8 CSV)")
    var file: String

    @Flag(name: .customLong("dry-run"), help: "只检查并报告，不写入数据库 / check and report, write nothing")
    var dryRun = false

    @Flag(name: .long, help: "导入演示数据库 / use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await OrganisationImportCommand.run(file: file, what: "people", dryRun: dryRun, demo: demo, common: common)
        {
            importer, text, actor in
            try await importer.importPeople(csv: text, dryRun: dryRun, by: actor)
        }
    }
}

enum OrganisationImportCommand {
    static func run(
        file: String, what: String, dryRun: Bool, demo: Bool, common: CommonOptions,
        _ body: @escaping @Sendable (OrganisationImporter, String, AuditActor) async throws -> OrganisationImportSummary
    ) async throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError(
                "无法读取 \(file)（须为 UTF-8 文本）/ cannot read \(file) as UTF-8: \(error.localizedDescription)")
        }
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false  // select the demo database, but do not seed it
        let logger = configuration.makeLogger()
        do {
            let summary = try await configuration.withReadyDatabase(logger: logger) { app in
                try await body(OrganisationImporter(database: app.db), text, .system("lantian import \(what)"))
            }
            var output = [summary.description]
            if dryRun { output.append("试运行，未写入数据库 / dry run, nothing written") }
            print(output.joined(separator: "\n"))
        } catch let rejected as OrganisationImportRejected {
            throw report(rejected, file: file)
        }
    }

    /// Every bad row as `FILE:LINE: COLUMN: reason` on standard error; the exit code for bad input (65).
    static func report(_ rejected: OrganisationImportRejected, file: String) -> ExitCode {
        let lines =
            rejected.problems.map { "\(file):\($0.line): \($0.column): \($0.reason)" } + [
                "共 \(Set(rejected.problems.map(\.line)).count) 行有误，未导入任何数据"
                    + " / \(Set(rejected.problems.map(\.line)).count) bad row(s), nothing imported"
            ]
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        return ExitCode(65)
    }
}
