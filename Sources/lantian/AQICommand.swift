import AirQuality
import ArgumentParser
import Foundation

/// `lantian aqi FILE --format cnemc|csv [--rules auto|2012|2026] [--mode realtime|daily]`
///
/// For an analyst checking an official release: prints one CSV line per input row to standard output,
/// and every row that could not be computed, with its line, field and reason, to standard error.
struct AQICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aqi",
        abstract: "按 HJ 633 计算文件中每一行的 AQI / compute the AQI of every row of a file (HJ 633).",
        discussion: "输出列 / output columns: \(AQIReport.header). 见 docs/aqi.md。"
    )

    @Argument(help: "输入文件（UTF-8 CSV）/ input file")
    var file: String

    @Option(help: "输入格式 / input format: cnemc (CNEMC 实时发布) or csv (Lantian 通用格式)")
    var format: String

    @Option(help: "标准版本 / rule set: auto (按数据日期), 2012, 2026")
    var rules: String = "auto"

    @Option(help: "实时报或日报 / realtime (hourly) or daily")
    var mode: String = "realtime"

    func validate() throws {
        var problems: [String] = []
        if AQIReportFormat(rawValue: format) == nil {
            problems.append("--format \(format)：应为 cnemc 或 csv / expected cnemc or csv")
        }
        if RuleSelection(rules) == nil {
            problems.append("--rules \(rules)：应为 auto、2012 或 2026 / expected auto, 2012 or 2026")
        }
        if AQIMode(rawValue: mode) == nil {
            problems.append("--mode \(mode)：应为 realtime 或 daily / expected realtime or daily")
        }
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError(
                "无法读取 \(file)（须为 UTF-8 文本）/ cannot read \(file) as UTF-8: \(error.localizedDescription)")
        }
        let report = AQIReport.make(
            text: text, format: AQIReportFormat(rawValue: format)!, rules: RuleSelection(rules)!,
            mode: AQIMode(rawValue: mode)!)
        FileHandle.standardOutput.write(Data(report.csv.utf8))
        if !report.problems.isEmpty {
            let lines = report.problems.map { "\(file):\($0.description)" }.joined(separator: "\n")
            FileHandle.standardError.write(Data((lines + "\n").utf8))
            let computed = report.rows.filter { $0.result?.aqi != nil }.count
            let (rows, problems) = (report.rows.count, report.problems.count)
            let summary =
                "共 \(rows) 行，\(computed) 行算出 AQI，\(problems) 个问题"
                + " / \(rows) rows, \(computed) with an AQI, \(problems) problems\n"
            FileHandle.standardError.write(Data(summary.utf8))
        }
    }
}
