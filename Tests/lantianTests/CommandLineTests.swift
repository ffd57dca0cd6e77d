import Foundation
import LantianTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `lantian` binary as an operator uses it: real process, real files, real sockets.
@Suite("lantian command line", .serialized)
struct CommandLineTests {
    @Test func badConfigurationStopsWithOneMessageNamingEverySetting() throws {
        let result = try LantianProcess.run(
            ["serve"],
            environment: ["LANTIAN_HTTP_PORT": "eighty", "LANTIAN_LOG_LEVEL": "loud", "DATABASE_URL": "mysql://db/x"])
        #expect(result.status == 78)
        #expect(result.errorOutput.contains("配置有误"))
        for name in ["LANTIAN_HTTP_PORT=eighty", "LANTIAN_LOG_LEVEL=loud", "DATABASE_URL=mysql://db/x"] {
            #expect(result.errorOutput.contains(name), "\(result.errorOutput)")
        }
    }

    @Test func migrateAndRevertAnSQLiteFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite"]

        let first = try LantianProcess.run(["migrate"], environment: environment)
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.output.contains("已执行迁移"))
        #expect(first.output.contains("Store.CreateStation"))

        let again = try LantianProcess.run(["migrate"], environment: environment)
        #expect(again.output.contains("数据库已是最新"))

        let revert = try LantianProcess.run(["migrate", "--revert"], environment: environment)
        #expect(revert.status == 0, "\(revert.errorOutput)")
        #expect(revert.output.contains("已回退迁移"))
        #expect(revert.output.contains("Store.CreateRegion"))
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil))
    func serveRefusesPendingMigrationsOnPostgreSQLUntilMigrated() async throws {
        try await TestDatabase.postgres(serverURL: TestDatabase.postgresURL!).withFreshDatabase { location in
            guard case .postgres(let url) = location else { return }
            let port = LantianProcess.freePort()
            let environment = ["DATABASE_URL": url, "LANTIAN_HTTP_PORT": "\(port)", "LANTIAN_HJ212_PORT": "0"]
            let refused = try LantianProcess.run(["serve"], environment: environment)
            #expect(refused.status == 75)
            #expect(refused.errorOutput.contains("lantian migrate"), "\(refused.errorOutput)")

            let migrated = try LantianProcess.run(["migrate"], environment: environment)
            #expect(migrated.status == 0, "\(migrated.errorOutput)")

            let server = try LantianProcess.launch(["serve"], environment: environment)
            let ready = try await waitForStatus("http://127.0.0.1:\(port)/readyz", server: server)
            #expect(ready == 200)
            server.signal(SIGTERM)
            let result = server.finish()
            #expect(result.status == 0, "\(result.errorOutput)")
        }
    }

    /// The README's first command, end to end: demo seeded, ready, twelve stations listed, clean stop.
    @Test func serveDemoAnswersAndStopsGracefullyOnSIGTERM() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = LantianProcess.freePort()
        let server = try LantianProcess.launch(
            ["serve", "--demo", "--port", "\(port)", "--hj212-port", "0", "--data-dir", folder.path])

        let ready = try await waitForStatus("http://127.0.0.1:\(port)/readyz", server: server)
        #expect(ready == 200, "\(server.errorOutputSoFar)")
        let (home, status) = try await get("http://127.0.0.1:\(port)/")
        #expect(status == 200)
        #expect(home.contains("共 12 个站点"))
        #expect(home.components(separatedBy: "data-station=").count - 1 == 12)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/demo.sqlite"))

        server.signal(SIGTERM)
        let result = server.finish(timeout: 20)
        #expect(result.status == 0)
        #expect(result.errorOutput.contains("蓝天已停止"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("request-id="))
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try LantianProcess.run(
            ["migrate"],
            environment: ["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite", "LANTIAN_LOG_FORMAT": "json"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let lines = result.errorOutput.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String, "\(line)")
            #expect(object?["message"] is String, "\(line)")
            #expect((object?["time"] as? String)?.hasSuffix("Z") == true, "\(line)")
        }
    }

    // MARK: Helpers

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lantian-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func get(_ address: String) async throws -> (String, Int) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: address)!)
        return (String(decoding: data, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    /// Polls until the server answers (any status) or exits; returns the last status seen.
    private func waitForStatus(_ address: String, server: LantianProcess.Running) async throws -> Int {
        for _ in 0..<300 {
            guard server.process.isRunning else { return -1 }
            if let (_, status) = try? await get(address), status == 200 {
                return status
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (try? await get(address).1) ?? -1
    }
}
