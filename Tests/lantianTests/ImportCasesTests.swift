import Foundation
import LantianTestSupport
import Testing

/// `lantian import cases` as an operator runs it, on a real SQLite file: units first, then the problem list.
@Suite("lantian import cases", .serialized)
struct ImportCasesTests {
    @Test func aProblemListIsRefusedWholeThenImportedWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-cases-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite", "LANTIAN_DATA_DIR": folder.path]
        let units = folder.appendingPathComponent("units.csv").path
        try """
        code,name,kind,region,parent
        HQ,攻坚行动指挥部,command,,
        ZJJ,住建局,department,,HQ
        CGJ,城管局,department,,HQ
        """.write(toFile: units, atomically: true, encoding: .utf8)
        let imported = try LantianProcess.run(["import", "units", units], environment: environment)
        #expect(imported.status == 0, "\(imported.errorOutput)")

        let list = folder.appendingPathComponent("feedback.csv").path
        try """
        序号,问题,位置,责任单位,整改措施,整改时限,类别
        1,工地土方未苫盖,某工地,住建局,立即苫盖,30个工作日,施工扬尘
        2,餐饮油烟直排,某餐馆,环保局,安装净化器,2099年12月底前,餐饮油烟
        3,道路积尘,某路,CGJ,洒水清扫,下周,道路扬尘
        """.write(toFile: list, atomically: true, encoding: .utf8)
        let rejected = try LantianProcess.run(
            ["import", "cases", list, "--batch", "第一轮督察"], environment: environment)
        #expect(rejected.status == 65)
        #expect(rejected.errorOutput.contains("feedback.csv:3: unit:"), "\(rejected.errorOutput)")
        #expect(rejected.errorOutput.contains("feedback.csv:4: deadline:"))
        #expect(rejected.errorOutput.contains("共 2 行有误，未导入任何数据"))

        try """
        序号,问题,位置,责任单位,整改措施,整改时限,类别
        1,工地土方未苫盖,某工地,住建局,立即苫盖,30个工作日,施工扬尘
        2,餐饮油烟直排,某餐馆,CGJ,安装净化器,2099年12月底前,餐饮油烟
        """.write(toFile: list, atomically: true, encoding: .utf8)
        let dry = try LantianProcess.run(
            ["import", "cases", list, "--batch", "第一轮督察", "--dry-run"], environment: environment)
        #expect(dry.status == 0 && dry.output.contains("登记 2 件，其中交办 2 件") && dry.output.contains("试运行"))
        let done = try LantianProcess.run(["import", "cases", list, "--batch", "第一轮督察"], environment: environment)
        #expect(done.status == 0, "\(done.errorOutput)")
        #expect(done.output.contains("登记 2 件，其中交办 2 件"), "\(done.output)")
        // The same list twice: refused, by number.
        let twice = try LantianProcess.run(["import", "cases", list, "--batch", "第一轮督察"], environment: environment)
        #expect(twice.status == 65 && twice.errorOutput.contains("第一轮督察-1"), "\(twice.errorOutput)")
    }
}
