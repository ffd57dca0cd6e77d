import ArgumentParser
import Campaign
import Foundation
import Server
import Store

/// `lantian import cases FILE.csv --batch NAME [--source SOURCE] [--dry-run]`
struct ImportCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "导入督察反馈问题清单（CSV）为台账案件 / import an inspection-feedback list (CSV) into the ledger.",
        discussion: """
            列 / columns: 序号,问题,位置,责任单位,整改措施,整改时限 [,类别,经度,纬度,责任领导,配合单位,严重程度]
            (UTF-8, 见 docs/ledger.md)。台账编号为「批次-序号」；责任单位写编码或全称；整改时限可写日期或「N个工作日」。
            全部成功或全部不导入：每个错误行都会报告行号、列和原因。
            All or nothing: every bad row is reported with its line, column and reason. Exit codes: 0 done,
            64 unreadable file, 65 bad rows (nothing imported), 75 PostgreSQL not migrated, 78 bad configuration.
            """
    )

    @Argument(help: "问题清单（UTF-8 CSV）/ the problem list (UTF-8 CSV)")
    var file: String

    @Option(name: .long, help: "督察批次，如「第二轮省级督察」/ the inspection round, e.g. 第二轮省级督察")
    var batch: String

    @Option(name: .long, help: "来源，默认 inspection_feedback / the source (default inspection_feedback)")
    var source: String = CaseSource.inspectionFeedback.rawValue

    @Flag(name: .customLong("dry-run"), help: "只检查并报告，不写入数据库 / check and report, write nothing")
    var dryRun = false

    @Flag(name: .long, help: "导入演示数据库 / use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        guard let source = CaseSource(rawValue: source) else {
            throw ValidationError(
                "--source 应为 / must be one of: " + CaseSource.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(
                Data("无法读取 \(file)（须为 UTF-8 文本）/ cannot read \(file) as UTF-8: \(error.localizedDescription)\n".utf8))
            throw ExitCode(64)
        }
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false  // select the demo database, but do not seed it
        let logger = configuration.makeLogger()
        let (batch, dryRun) = (self.batch, self.dryRun)
        do {
            let summary = try await configuration.withReadyDatabase(logger: logger) { app in
                try await CaseImport.inspectionList(
                    app, csv: text, batch: batch, source: source, dryRun: dryRun,
                    by: LedgerActor(audit: .system("lantian import cases"), role: .command))
            }
            var output = [summary.description]
            if dryRun { output.append("试运行，未写入数据库 / dry run, nothing written") }
            print(output.joined(separator: "\n"))
        } catch let rejected as OrganisationImportRejected {
            throw OrganisationImportCommand.report(rejected, file: file)
        }
    }
}
