import Foundation
import LantianTestSupport
import Testing

/// `lantian import stations` as an operator runs it, on a real SQLite file and, when available, PostgreSQL.
@Suite("lantian import stations", .serialized)
struct ImportStationsTests {
    static let sample = RepositoryPaths.fixtures.appendingPathComponent("stations/national-sample.csv").path

    @Test(arguments: TestDatabase.all)
    func importsTheSampleAndASecondRunChangesNothing(database: TestDatabase) async throws {
        try await withImportDatabase(database) { environment in
            // A dry run reports and writes nothing
            let dry = try LantianProcess.run(
                ["import", "stations", Self.sample, "--dry-run"], environment: environment)
            #expect(dry.status == 0, "\(dry.errorOutput)")
            #expect(dry.output.contains("新增 30，更新 0，未变 0 / inserted 30, updated 0, unchanged 0"), "\(dry.output)")
            #expect(dry.output.contains("试运行"))

            // The first run inserts the 30 stations with coordinates and names the two without
            let first = try LantianProcess.run(["import", "stations", Self.sample], environment: environment)
            #expect(first.status == 0, "\(first.errorOutput)")
            #expect(first.output.contains("新增 30，更新 0，未变 0"), "\(first.output)")
            #expect(first.output.contains("跳过 2 个没有经纬度的站点"))
            #expect(first.errorOutput.contains("第 30 行"))  // 1045A 秦皇岛
            #expect(first.errorOutput.contains("第 33 行"))  // 2172A 晋中

            // The second run finds everything as it left it
            let second = try LantianProcess.run(["import", "stations", Self.sample], environment: environment)
            #expect(second.status == 0, "\(second.errorOutput)")
            #expect(second.output.contains("新增 0，更新 0，未变 30"), "\(second.output)")
        }
    }

    @Test func onlyTheCityAskedForIsImportedAndAChangedNameIsUpdated() throws {
        try withSQLiteFile { environment in
            let beijing = try LantianProcess.run(
                ["import", "stations", Self.sample, "--city", "北京"], environment: environment)
            #expect(beijing.status == 0, "\(beijing.errorOutput)")
            #expect(beijing.output.contains("新增 24，更新 0，未变 0"), "\(beijing.output)")

            // Given a newer list where one Beijing station was renamed and moved
            let text = try String(contentsOfFile: Self.sample, encoding: .utf8)
                .replacingOccurrences(of: "1003A,东四,北京,116.4174,39.9289", with: "1003A,东四（新址）,北京,116.418,39.929")
            let newer = try temporaryFile(text)
            defer { try? FileManager.default.removeItem(atPath: newer) }
            let again = try LantianProcess.run(
                ["import", "stations", newer, "--city", "北京市"], environment: environment)
            #expect(again.output.contains("新增 0，更新 1，未变 23"), "\(again.output)")

            // A city with no station in the list is a mistake, not an empty success
            let nowhere = try LantianProcess.run(
                ["import", "stations", Self.sample, "--city", "北平"], environment: environment)
            #expect(nowhere.status == 65)
            #expect(nowhere.errorOutput.contains("北平"))
        }
    }

    @Test func aBadFileImportsNothingAndNamesEveryBadLine() throws {
        try withSQLiteFile { environment in
            let lines = try String(contentsOfFile: Self.sample, encoding: .utf8).split(separator: "\n").map(String.init)
            // Line 3 gets a bad longitude, line 5 an empty code, line 7 the code of line 2, line 9 a latitude off the globe
            var bad = lines
            bad[2] = "1002A,定陵(对照点),北京,east,40.2915,Y,北京市,北京市"
            bad[4] = ",天坛,北京,116.4072,39.8863,N,北京市,北京市"
            bad[6] = "1001A,官园,北京,116.3392,39.9295,N,北京市,北京市"
            bad[8] = "1008A,顺义新城,北京,116.6636,140.135,N,北京市,北京市"
            let file = try temporaryFile(bad.joined(separator: "\n") + "\n")
            defer { try? FileManager.default.removeItem(atPath: file) }

            let result = try LantianProcess.run(["import", "stations", file], environment: environment)
            #expect(result.status == 65)
            for line in [3, 5, 7, 9] {
                #expect(result.errorOutput.contains("第 \(line) 行"), "line \(line): \(result.errorOutput)")
            }
            #expect(result.errorOutput.contains("经度“east”不是数字"))
            #expect(result.errorOutput.contains("站点编码不能为空"))
            #expect(result.errorOutput.contains("与第 2 行重复"))
            #expect(result.errorOutput.contains("纬度应在 -90 到 90 之间"))
            #expect(result.errorOutput.contains("共 4 行有误，未导入任何站点"))

            // Nothing was imported: the good file then inserts everything
            let good = try LantianProcess.run(["import", "stations", Self.sample], environment: environment)
            #expect(good.output.contains("新增 30"), "\(good.output)")
        }
    }

    @Test func badOptionsAndMissingColumnsAreNamed() throws {
        try withSQLiteFile { environment in
            let kind = try LantianProcess.run(
                ["import", "stations", Self.sample, "--kind", "tower"], environment: environment)
            #expect(kind.status == 64)
            #expect(kind.errorOutput.contains("--kind tower"))

            let file = try temporaryFile("code,name,lon,lat\n1001A,万寿西宫,116.3621,39.8784\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let columns = try LantianProcess.run(["import", "stations", file], environment: environment)
            #expect(columns.status == 65)
            #expect(columns.errorOutput.contains("缺少列 监测点编码"), "\(columns.errorOutput)")
        }
    }

    /// The whole national list (2,026 rows), when the shared data is beside the repository.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Self.nationalList)))
    func theWholeNationalListImports() throws {
        try withSQLiteFile { environment in
            let result = try LantianProcess.run(
                ["import", "stations", Self.nationalList, "--kind", "national"], environment: environment, timeout: 120)
            #expect(result.status == 0, "\(result.errorOutput)")
            // 2,026 rows: 2,016 with coordinates, 10 without (the list has none for them)
            #expect(result.output.contains("新增 2016，更新 0，未变 0"), "\(result.output)")
            #expect(result.output.contains("跳过 10 个"))
            let again = try LantianProcess.run(
                ["import", "stations", Self.nationalList], environment: environment, timeout: 120)
            #expect(again.output.contains("新增 0，更新 0，未变 2016"), "\(again.output)")
        }
    }

    static var nationalList: String {
        let shared =
            ProcessInfo.processInfo.environment["LANTIAN_SHARED_DATA"]
            ?? RepositoryPaths.root.deletingLastPathComponent().appendingPathComponent("shared/data").path
        return shared + "/stations/NewSiteList_utf8.csv"
    }

    // MARK: Helpers

    /// The environment of a command working on `database`: a fresh SQLite file, or a fresh PostgreSQL
    /// database migrated first with `lantian migrate` (PostgreSQL never migrates implicitly).
    private func withImportDatabase(_ database: TestDatabase, _ body: ([String: String]) throws -> Void) async throws {
        switch database {
        case .sqlite:
            try withSQLiteFile(body)
        case .postgres:
            try await database.withFreshDatabase { location in
                guard case .postgres(let url) = location else { return }
                let environment = ["DATABASE_URL": url]
                let refused = try LantianProcess.run(["import", "stations", Self.sample], environment: environment)
                #expect(refused.status == 75, "\(refused.errorOutput)")
                #expect(refused.errorOutput.contains("lantian migrate"))
                let migrated = try LantianProcess.run(["migrate"], environment: environment)
                #expect(migrated.status == 0, "\(migrated.errorOutput)")
                try body(environment)
            }
        }
    }

    private func withSQLiteFile(_ body: ([String: String]) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lantian-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite"])
    }

    private func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stations-\(UUID().uuidString).csv")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
