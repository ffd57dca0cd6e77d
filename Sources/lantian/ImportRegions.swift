import ArgumentParser
import Campaign
import Foundation
import Server
import Store

/// `lantian import regions FILE.geojson [--dry-run]`
///
/// All or nothing: every bad feature is named with its position, code and reason, and one bad feature keeps
/// the whole file out (exit 65).
struct ImportRegions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regions",
        abstract: "导入区域及边界（GeoJSON FeatureCollection）/ import regions and boundaries (GeoJSON).",
        discussion: """
            每个要素 / each feature: properties code, name, level (province, city, county, township, grid),
            parent（上级区域编码，市级以上可省略 / parent code, optional for province and city）, demo（可选，
            演示边界 / optional, demo geometry）; geometry Polygon 或 MultiPolygon（RFC 7946：环闭合、外环逆时针、
            内环顺时针、不自相交）。已有编码的区域被更新。Existing codes are updated.
            Exit codes: 0 done, 64 unreadable file, 65 bad features (nothing imported), 75 PostgreSQL not
            migrated, 78 bad configuration.
            """
    )

    @Argument(help: "GeoJSON 文件 / the GeoJSON file")
    var file: String

    @Flag(name: .customLong("dry-run"), help: "只检查并报告，不写入数据库 / check and report, write nothing")
    var dryRun = false

    @Flag(name: .long, help: "导入演示数据库（未设 DATABASE_URL 时为 数据目录/demo.sqlite）/ use the demo database")
    var demo = false

    @OptionGroup var common: CommonOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("无法读取 \(file) / cannot read \(file)")
        }
        let features: [RegionFeature]
        do {
            features = try GeoJSON.regionFeatures(data)
        } catch {
            FileHandle.standardError.write(Data("\(file)：\(error)\n".utf8))
            throw ExitCode(65)
        }
        var configuration = try LantianConfiguration.load(
            .init(dataDirectory: common.dataDirectory, logLevel: common.logLevel, demo: demo))
        configuration.demo = false  // select the demo database, but do not seed it
        let logger = configuration.makeLogger()
        let summary: RegionImportSummary
        do {
            summary = try await configuration.withReadyDatabase(logger: logger) { app in
                try await RegionRepository(database: app.db).importRegions(
                    features, dryRun: dryRun, by: .system("lantian import regions"))
            }
        } catch let error as RegionImportError {
            guard case .invalid(let problems) = error else { throw error }
            let count = Set(problems.map(\.index)).count
            let lines =
                problems.map { "\(file): \($0)" } + [
                    "共 \(count) 个要素有误，未导入任何区域 / \(count) bad feature(s), nothing imported"
                ]
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(65)
        }
        for warning in summary.warnings {
            FileHandle.standardError.write(Data("\(file): 提示 note: \(warning)\n".utf8))
        }
        var output = [summary.description]
        if dryRun { output.append("试运行，未写入数据库 / dry run, nothing written") }
        print(output.joined(separator: "\n"))
    }
}
