import ArgumentParser
import Campaign
import Foundation
import Server
import Store

/// `lantian import …`: loads official lists and data files into the database.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "导入数据 / import data",
        subcommands: [
            ImportStations.self, ImportBeijing.self, ImportCNEMC.self, ImportReadingsCSV.self, ImportUnits.self,
            ImportPeople.self, ImportRegions.self, ImportCases.self,
        ]
    )
}

/// `lantian import stations FILE.csv [--kind K] [--city C] [--dry-run]`
///
/// All or nothing: every bad row is reported with its line and reason, and one bad row keeps the whole file
/// out (exit 65). Stations already registered get their name and coordinates from the list, nothing else.
struct ImportStations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stations",
        abstract: "导入全国监测站点列表（CSV）/ import the national monitoring-station list (CSV).",
        discussion: """
            列 / columns: 监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区 (UTF-8).
            新站点登记为运行状态，监测 PM2.5、PM10、SO2、NO2、CO、O3；已有站点只更新名称和经纬度。
            New stations are registered active with the six AQI pollutants; existing ones get name and
            coordinates only. Exit codes: 0 done, 64 bad options or unreadable file, 65 bad rows (nothing
            imported), 75 PostgreSQL not migrated, 78 bad configuration.
            """
    )

    @Argument(help: "站点列表文件（UTF-8 CSV）/ the station list (UTF-8 CSV)")
    var file: String

    @Option(help: "新站点的类型 / kind of new stations: \(StationKind.allCases.map(\.rawValue).joined(separator: ", "))")
    var kind: String = StationKind.national.rawValue

    @Option(help: "只导入该城市（城市或地级行政区列，如 北京）/ import only this city, e.g. 北京")
    var city: String?

    @Flag(name: .customLong("dry-run"), help: "只检查并报告，不写入数据库 / check and report, write nothing")
    var dryRun = false

    @Flag(name: .long, help: "导入演示数据库（未设 DATABASE_URL 时为 数据目录/demo.sqlite）/ use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard StationKind(rawValue: kind) != nil else {
            throw ValidationError(
                "--kind \(kind)：应为 \(StationKind.allCases.map(\.rawValue).joined(separator: "、"))"
                    + " / expected one of \(StationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError(
                "无法读取 \(file)（须为 UTF-8 文本）/ cannot read \(file) as UTF-8: \(error.localizedDescription)")
        }
        let list = NationalStationList.parse(text, kind: StationKind(rawValue: kind)!, city: city)
        guard list.problems.isEmpty else {
            let lines =
                list.problems.map { "\(file):\($0)" } + [
                    "共 \(list.problems.count) 行有误，未导入任何站点"
                        + " / \(list.problems.count) bad row(s), nothing imported"
                ]
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(65)
        }

        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false  // select the demo database, but do not seed it
        let logger = configuration.makeLogger()
        let summary = try await configuration.withReadyDatabase(logger: logger) { app in
            try await StationRepository(database: app.db).importStations(
                list.stations, dryRun: dryRun, by: .system("lantian import stations"))
        }
        for note in list.skipped {
            FileHandle.standardError.write(Data("\(file):\(note)\n".utf8))
        }
        var output = [summary.description]
        if !list.skipped.isEmpty {
            output.append(
                "跳过 \(list.skipped.count) 个没有经纬度的站点 / skipped \(list.skipped.count) without coordinates")
        }
        if dryRun { output.append("试运行，未写入数据库 / dry run, nothing written") }
        print(output.joined(separator: "\n"))
    }
}
