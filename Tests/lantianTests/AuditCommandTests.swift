import Foundation
import LantianTestSupport
import Testing

/// `lantian audit verify` on a real SQLite file: intact after an import, broken after a direct edit.
@Suite("lantian audit verify", .serialized)
struct AuditCommandTests {
    static let stations = RepositoryPaths.fixtures.appendingPathComponent("stations/national-sample.csv").path

    @Test func anImportIsAuditedAndADirectEditIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("db.sqlite").path
        let environment = ["DATABASE_URL": "sqlite://\(database)"]

        let imported = try LantianProcess.run(["import", "stations", Self.stations], environment: environment)
        #expect(imported.status == 0, "\(imported.errorOutput)")
        let intact = try LantianProcess.run(["audit", "verify"], environment: environment)
        #expect(intact.status == 0, "\(intact.errorOutput)")
        #expect(intact.output.contains("审计链完整"))

        // Edit the fifth entry behind the application's back.
        let edit = Process()
        edit.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        edit.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE audit_log SET actor='user:nobody' WHERE seq=5\"); c.commit()",
            database,
        ]
        try edit.run()
        edit.waitUntilExit()
        #expect(edit.terminationStatus == 0)

        let broken = try LantianProcess.run(["audit", "verify"], environment: environment)
        #expect(broken.status == 1)
        #expect(broken.errorOutput.contains("第 5 条记录"), "\(broken.errorOutput)")
    }
}
