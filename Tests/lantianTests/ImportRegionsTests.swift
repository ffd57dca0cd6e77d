import Foundation
import LantianTestSupport
import Testing

/// `lantian import regions` as an operator runs it, on a real SQLite file.
@Suite("lantian import regions", .serialized)
struct ImportRegionsTests {
    static let demoFile = RepositoryPaths.root.appendingPathComponent("Resources/Demo/beijing-regions.geojson").path

    @Test func theDemoFileImportsAndASecondRunChangesNothing() throws {
        try withSQLiteFile { environment in
            let dry = try LantianProcess.run(
                ["import", "regions", Self.demoFile, "--dry-run"], environment: environment)
            #expect(dry.status == 0, "\(dry.errorOutput)")
            #expect(dry.output.contains("新增 22，更新 0，未变 0"), "\(dry.output)")
            #expect(dry.output.contains("试运行"))
            let first = try LantianProcess.run(["import", "regions", Self.demoFile], environment: environment)
            #expect(first.status == 0, "\(first.errorOutput)")
            #expect(first.output.contains("新增 22，更新 0，未变 0"), "\(first.output)")
            let second = try LantianProcess.run(["import", "regions", Self.demoFile], environment: environment)
            #expect(second.output.contains("新增 0，更新 0，未变 22"), "\(second.output)")
        }
    }

    @Test func aBadFileImportsNothingAndNamesEveryBadFeature() throws {
        try withSQLiteFile { environment in
            let text = try String(contentsOfFile: Self.demoFile, encoding: .utf8)
                // Feature 3 (西城区) gets a parent that does not exist
                .replacingOccurrences(
                    of: #""name": "西城区", "level": "county", "parent": "110000""#,
                    with: #""name": "西城区", "level": "county", "parent": "120000""#
                )
                // Feature 11 (东四街道) a clockwise ring: its corners swapped
                .replacingOccurrences(
                    of: "[[[116.41, 39.922], [116.425, 39.922]", with: "[[[116.41, 39.922], [116.41, 39.936]"
                )
                .replacingOccurrences(
                    of: "[116.425, 39.936], [116.41, 39.936], [116.41, 39.922]]]",
                    with: "[116.425, 39.936], [116.425, 39.922], [116.41, 39.922]]]")
            #expect(text.contains("120000"))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "regions-\(UUID().uuidString).geojson"
            ).path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }

            let result = try LantianProcess.run(["import", "regions", file], environment: environment)
            #expect(result.status == 65)
            #expect(result.errorOutput.contains("第 3 个要素（110102）"), "\(result.errorOutput)")
            #expect(result.errorOutput.contains("上级区域 120000 不存在"))
            #expect(result.errorOutput.contains("第 11 个要素（110101006）"), "\(result.errorOutput)")
            #expect(result.errorOutput.contains("外环应为逆时针"))
            #expect(result.errorOutput.contains("共 2 个要素有误，未导入任何区域"))
            // Nothing was written: the good file still inserts everything
            let good = try LantianProcess.run(
                ["import", "regions", Self.demoFile, "--dry-run"], environment: environment)
            #expect(good.output.contains("新增 22"), "\(good.output)")
        }
    }

    private func withSQLiteFile(_ body: ([String: String]) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lantian-regions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite"])
    }
}
