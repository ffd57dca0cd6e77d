import Campaign
import FluentKit
import LantianTestSupport
import SQLKit
import Testing

@testable import Store

/// The hash-chained audit log on SQLite and PostgreSQL.
@Suite("Audit trail")
struct AuditTrailTests {
    static let station = Station(
        code: "1001A", name: "万寿西宫", kind: .national, coordinate: Coordinate(longitude: 116.3621, latitude: 39.8784),
        hj212: HJ212Identity(mn: "BJ1001A", password: "s3cret"))

    @Test(arguments: TestDatabase.all)
    func everyStationChangeIsChainedAndAnEditedRowIsNamed(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            let repository = StationRepository(database: db)
            try await repository.create(Self.station, by: .user("hq"))
            try await repository.update(code: "1001A", with: StationPatch(name: "万寿西宫站"), by: .user("hq"))
            // A patch that changes nothing records nothing.
            try await repository.update(code: "1001A", with: StationPatch(name: "万寿西宫站"), by: .user("hq"))
            _ = try await repository.importStations(
                [
                    Station(
                        code: "1002A", name: "定陵", kind: .national,
                        coordinate: Coordinate(longitude: 116.22, latitude: 40.29))
                ],
                by: .system("import"))

            let history = try await AuditTrail.history(entity: "station", id: "1001A", on: db)
            #expect(history.map(\.action) == ["create", "update"])
            #expect(history[1].actor == "user:hq")
            #expect(history[1].before?.contains("万寿西宫\"") == true)
            #expect(history[1].after?.contains("万寿西宫站") == true)
            // Who, when, what, before and after — never the device password.
            #expect(history.allSatisfy { ($0.after ?? "").contains("s3cret") == false })
            #expect(history[0].previousHash == AuditTrail.genesis)
            #expect(history[1].previousHash == history[0].hash)
            #expect(try await AuditTrail.verify(on: db) == .intact(entries: 3))

            // Someone edits the second entry directly in the database.
            let sql = try #require(db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_log SET after = REPLACE(after, '万寿西宫站', '改过') WHERE seq = 2").run()
            let verdict = try await AuditTrail.verify(on: db)
            guard case .altered(let seq, _, let action, let entity, let id) = verdict else {
                Issue.record("expected an altered entry, got \(verdict)")
                return
            }
            #expect((seq, action, entity, id) == (2, "update", "station", "1001A"))
            #expect(verdict.description.contains("第 2 条记录"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletedAndRechainedEntriesAreFound(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            for index in 1...4 {
                try await AuditTrail.append(
                    on: db, actor: .system("test"), action: "note", entity: "thing", entityID: "\(index)", before: nil,
                    after: ["n": index])
            }
            let sql = try #require(db as? any SQLDatabase)
            // Deleting an entry leaves a gap.
            try await sql.raw("DELETE FROM audit_log WHERE seq = 3").run()
            #expect(try await AuditTrail.verify(on: db) == .missing(after: 2, next: 4))

            // Renumbering to hide the gap breaks the chain: entry 4, now 3, still points at the old 3.
            try await sql.raw("UPDATE audit_log SET seq = 3 WHERE seq = 4").run()
            let verdict = try await AuditTrail.verify(on: db)
            guard case .altered(let seq, _, _, _, _) = verdict else {
                Issue.record("expected the renumbered entry to fail its hash, got \(verdict)")
                return
            }
            #expect(seq == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentAppendsStayOneChain(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { () async throws -> Void in
                        // As every writer does: the write lock first (a deferred read-then-write transaction
                        // beside another one deadlocks on SQLite and waits out the pool under load).
                        try await db.writeTransaction { transaction in
                            _ = try await AuditTrail.append(
                                on: transaction, actor: .system("test"), action: "note", entity: "thing",
                                entityID: "\(index)", before: nil, after: nil)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditTrail.verify(on: db) == .intact(entries: 20))
        }
    }
}
