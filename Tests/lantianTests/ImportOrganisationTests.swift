import Foundation
import LantianTestSupport
import Testing

/// `lantian import units|people` as an operator runs them, on a real SQLite file.
@Suite("lantian import units and people", .serialized)
struct ImportOrganisationTests {
    @Test func unitsThenPeopleDryRunRejectionAndRerun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-org-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite"]
        let units = folder.appendingPathComponent("units.csv").path
        try """
        code,name,kind,region,parent
        HQ,攻坚行动指挥部,command,,
        ZJJ,住建局,department,,HQ
        TG-1,扬尘治理攻坚组,攻坚组,,HQ
        """.write(toFile: units, atomically: true, encoding: .utf8)

        // A dry run reports and writes nothing
        let dry = try LantianProcess.run(["import", "units", units, "--dry-run"], environment: environment)
        #expect(dry.status == 0, "\(dry.errorOutput)")
        #expect(dry.output.contains("新增 3，更新 0，未变 0"), "\(dry.output)")
        #expect(dry.output.contains("试运行"))
        let first = try LantianProcess.run(["import", "units", units], environment: environment)
        #expect(first.output.contains("新增 3，更新 0，未变 0"), "\(first.output)\(first.errorOutput)")
        let again = try LantianProcess.run(["import", "units", units], environment: environment)
        #expect(again.output.contains("新增 0，更新 0，未变 3"), "\(again.output)")

        // People: bad rows exit 65, name every line, and import nothing
        let people = folder.appendingPathComponent("people.csv").path
        try """
        name,phone,unit,title
        王建国,138-0000-0001,ZJJ,局长
        李晓明,1380000,ZJJ,科员
        张丽华,138-0000-0003,NOPE,科员
        """.write(toFile: people, atomically: true, encoding: .utf8)
        let rejected = try LantianProcess.run(["import", "people", people], environment: environment)
        #expect(rejected.status == 65)
        #expect(rejected.errorOutput.contains("people.csv:3: phone:"), "\(rejected.errorOutput)")
        #expect(rejected.errorOutput.contains("people.csv:4: unit:"))
        #expect(rejected.errorOutput.contains("共 2 行有误，未导入任何数据"))

        try """
        name,phone,unit,title
        王建国,138-0000-0001,ZJJ,局长
        """.write(toFile: people, atomically: true, encoding: .utf8)
        let imported = try LantianProcess.run(["import", "people", people], environment: environment)
        #expect(imported.status == 0, "\(imported.errorOutput)")
        #expect(imported.output.contains("新增 1，更新 0，未变 0"), "\(imported.output)")
    }
}
