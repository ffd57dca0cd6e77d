import Foundation
import LantianTestSupport
import Testing

/// `lantian import beijing|cnemc|readings` as an operator runs them: the station list first, then data files.
@Suite("lantian import readings", .serialized)
struct ImportReadingsTests {
    static let stations = RepositoryPaths.fixtures.appendingPathComponent("stations/national-sample.csv").path
    static func beijing(_ name: String) -> String {
        RepositoryPaths.fixtures.appendingPathComponent("beijing/\(name)").path
    }

    @Test func beijingFilesImportWithASummaryAndARerunInsertsNothing() throws {
        try withSQLiteFile { environment in
            let registered = try LantianProcess.run(["import", "stations", Self.stations], environment: environment)
            #expect(registered.status == 0, "\(registered.errorOutput)")

            let files = [Self.beijing("PRSA_Data_Dongsi_first60.csv"), Self.beijing("PRSA_Data_Wanliu_NA_rows.csv")]
            let first = try LantianProcess.run(["import", "beijing"] + files, environment: environment)
            #expect(first.status == 0, "\(first.errorOutput)")
            // Dongsi: 60 rows, 536 readings, 4 NA; Wanliu excerpt: 22 rows, 168 readings, 30 NA.
            #expect(first.output.contains("数据行 82"))
            #expect(first.output.contains("新增 704"))
            #expect(first.output.contains("缺测（NA、—）34"))
            #expect(first.output.contains("拒绝 0"))

            let second = try LantianProcess.run(["import", "beijing"] + files, environment: environment)
            #expect(second.status == 0)
            #expect(second.output.contains("新增 0，已存在 704"))
        }
    }

    @Test func badRowsAreCountedByReasonAndTheRestIsStored() throws {
        try withSQLiteFile { environment in
            _ = try LantianProcess.run(["import", "stations", Self.stations], environment: environment)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "readings-\(UUID().uuidString).csv")
            try """
            station,time,code,value,flag,period
            1001A,2024-01-05T08:00:00+08:00,a34004,75,N,hour
            1001A,2024-01-05T08:00:00+08:00,a34002,-3,N,hour
            NOPE,2024-01-05T08:00:00+08:00,a34004,75,N,hour
            1001A,2024-01-05T08:30:00+08:00,a34004,75,N,hour
            1001A,2024-01-05T09:00:00+08:00,a34004,80,N,hour
            """.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try LantianProcess.run(["import", "readings", file.path], environment: environment)
            #expect(result.status == 65, "some rows rejected: exit 65")
            #expect(result.output.contains("新增 2"))
            #expect(result.output.contains("negative: 1"))
            #expect(result.output.contains("unknown_station: 1"))
            #expect(result.output.contains("bad_time: 1"))
            #expect(result.errorOutput.contains(":5:"), "the line of the misaligned hour is named")

            let missing = try LantianProcess.run(["import", "cnemc", "/nonexistent.csv"], environment: environment)
            #expect(missing.status == 64)
            #expect(missing.errorOutput.contains("/nonexistent.csv"))
        }
    }

    private func withSQLiteFile(_ body: ([String: String]) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lantian-import-readings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(["DATABASE_URL": "sqlite://\(folder.path)/db.sqlite"])
    }
}
