import Foundation
import LantianTestSupport
import Testing

/// `lantian user create|list|disable` on a real SQLite file.
@Suite("lantian user", .serialized)
struct UserCommandTests {
    @Test func createsListsAndDisablesUsersAndRefusesBadOptions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-user-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = [
            "DATABASE_URL": "sqlite://" + folder.appendingPathComponent("db.sqlite").path, "LANTIAN_BCRYPT_COST": "4",
        ]
        let good = folder.appendingPathComponent("good").path
        let short = folder.appendingPathComponent("short").path
        try "a long enough password\n".write(toFile: good, atomically: true, encoding: .utf8)
        try "short".write(toFile: short, atomically: true, encoding: .utf8)

        let created = try LantianProcess.run(
            ["user", "create", "--username", "li.dispatcher", "--password-file", good, "--role", "dispatcher"],
            environment: environment)
        #expect(created.status == 0, "\(created.errorOutput)")
        #expect(created.output.contains("li.dispatcher"))

        let badRole = try LantianProcess.run(
            ["user", "create", "--username", "x1", "--password-file", good, "--role", "king"], environment: environment)
        #expect(badRole.status == 64)
        #expect(badRole.errorOutput.contains("角色“king”无效"))
        let badUnit = try LantianProcess.run(
            [
                "user", "create", "--username", "x2", "--password-file", good, "--role", "unit_officer", "--unit",
                "NOPE",
            ],
            environment: environment)
        #expect(badUnit.status == 64)
        #expect(badUnit.errorOutput.contains("NOPE"))
        let shortPassword = try LantianProcess.run(
            ["user", "create", "--username", "x3", "--password-file", short, "--role", "auditor"],
            environment: environment)
        #expect(shortPassword.status == 64)
        #expect(shortPassword.errorOutput.contains("至少 10 个字符"))
        let taken = try LantianProcess.run(
            ["user", "create", "--username", "li.dispatcher", "--password-file", good, "--role", "auditor"],
            environment: environment)
        #expect(taken.status == 64)

        let list = try LantianProcess.run(["user", "list"], environment: environment)
        #expect(list.status == 0)
        #expect(list.output.contains("li.dispatcher,dispatcher,,false"))
        #expect(!list.output.contains("x1"))
        let disabled = try LantianProcess.run(
            ["user", "disable", "--username", "li.dispatcher"], environment: environment)
        #expect(disabled.status == 0)
        #expect(
            try LantianProcess.run(["user", "list"], environment: environment).output.contains(
                "li.dispatcher,dispatcher,,true"))
    }
}
