import Campaign
import FluentKit
import Foundation
import LantianTestSupport
import Testing

@testable import Store

/// People, grids, contracts, the duty roster, the responsible chain and the organisation imports, on SQLite
/// and PostgreSQL.
@Suite("Organisation store")
struct OrganisationStoreTests {
    static let actor = AuditActor.user("hq")
    /// 2026-11-23 10:00 in Beijing.
    static let morning = CalendarDay("2026-11-23")!.start + 10 * 3600

    /// 北京市 › 朝阳区 › 亚运村街道 › two grids, with the district's and the street's units.
    static func seedStructure(_ db: any Database) async throws {
        try await OrganisationRepository(database: db).upsert(
            regions: [
                Region(code: "110000", name: "北京市", level: .city),
                Region(code: "110105", name: "朝阳区", level: .county, parentCode: "110000"),
                Region(code: "T1", name: "亚运村街道", level: .township, parentCode: "110105"),
                Region(code: "T2", name: "麦子店街道", level: .township, parentCode: "110105"),
                Region(code: "T1-G1", name: "第1网格", level: .grid, parentCode: "T1"),
                Region(code: "T1-G2", name: "第2网格", level: .grid, parentCode: "T1"),
            ],
            units: [
                ResponsibleUnit(code: "HQ", name: "指挥部", kind: .command, regionCode: "110000"),
                ResponsibleUnit(
                    code: "GOV-110105", name: "朝阳区人民政府", kind: .county, regionCode: "110105", parentCode: "HQ"),
                ResponsibleUnit(
                    code: "TS-T1", name: "亚运村街道办事处", kind: .township, regionCode: "T1", parentCode: "GOV-110105"),
            ],
            stations: [])
    }

    @Test(arguments: TestDatabase.all)
    func theResponsibleChainAtAnInstant(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.seedStructure(db)
            let people = PeopleRepository(database: db)
            func add(_ name: String, _ unit: String?, _ title: String?) async throws -> Person {
                let person = Person(name: name, phone: "138-0000-00\(10 + name.count)", unitCode: unit, title: title)
                try await people.create(person, by: Self.actor)
                return person
            }
            // Given grid workers, the street's leaders, a contracting district leader and a roster
            let worker = try await add("网格员甲", "TS-T1", "网格员")
            let captain = try await add("网格长乙", "TS-T1", "社区网格长")
            let head = try await add("主任丙", "TS-T1", "街道办事处主任")
            let secretary = try await add("书记丁", "TS-T1", "街道工委书记")
            let leader = try await add("副区长戊", "GOV-110105", "副区长")
            let officer = try await add("值班员己", "HQ", "值班员")
            let other = try await add("网格员庚", "TS-T1", "网格员")
            try await people.assign(
                GridAssignment(personID: worker.id, regionCode: "T1-G1", level: .third), by: Self.actor)
            try await people.assign(
                GridAssignment(personID: captain.id, regionCode: "T1-G1", level: .second), by: Self.actor)
            try await people.assign(GridAssignment(personID: head.id, regionCode: "T1", level: .first), by: Self.actor)
            try await people.assign(
                GridAssignment(personID: other.id, regionCode: "T1-G2", level: .third), by: Self.actor)
            try await LeaderContractRepository(database: db).create(
                LeaderContract(leaderID: leader.id, townshipCodes: ["T1", "T2"], startsOn: CalendarDay("2026-01-01")!),
                by: Self.actor)
            let roster = DutyRoster(database: db)
            let day = CalendarDay("2026-11-23")!.start
            try await roster.create(
                DutyShift(
                    personID: officer.id, regionCode: "110000", role: .officer, startsAt: day, endsAt: day + 86_400),
                by: Self.actor)

            // When the chain for grid 1 is asked for in the morning
            let chain = try await OrganisationRepository(database: db).responsibleChain(
                region: "T1-G1", at: Self.morning)

            // Then it runs from the grid up, and grid 2's worker is not in it
            #expect(chain.map(\.person.name) == ["网格员甲", "网格长乙", "主任丙", "书记丁", "主任丙", "副区长戊", "值班员己"])
            #expect(
                chain.map(\.role.rawValue) == [
                    "grid_worker", "grid_worker", "grid_worker", "township_head", "township_head", "contracting_leader",
                    "on_duty",
                ])
            #expect(chain[2].gridLevel == .first)
            #expect(chain.last?.regionCode == "110000")

            // And the next day nobody is on duty any more
            let tomorrow = try await OrganisationRepository(database: db).responsibleChain(
                region: "T1-G1", at: Self.morning + 86_400)
            #expect(!tomorrow.contains { $0.role == .onDuty })
            // The district has neither grids nor a township: only the city's duty officer
            let district = try await OrganisationRepository(database: db).responsibleChain(
                region: "110105", at: Self.morning)
            #expect(district.map(\.person.name) == ["值班员己"])
            await #expect(throws: OrganisationError.notFound(entity: "region", id: "nowhere")) {
                try await OrganisationRepository(database: db).responsibleChain(region: "nowhere", at: Self.morning)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func dutyAtAnInstantAndOverlappingShifts(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.seedStructure(db)
            let people = PeopleRepository(database: db)
            let alice = Person(name: "甲", phone: "13800000001")
            let bob = Person(name: "乙", phone: "13800000002")
            try await people.create(alice, by: Self.actor)
            try await people.create(bob, by: Self.actor)
            let roster = DutyRoster(database: db)
            let day = CalendarDay("2026-11-23")!.start
            let first = DutyShift(
                personID: alice.id, regionCode: "T1", role: .leader, startsAt: day, endsAt: day + 86_400)
            try await roster.create(first, by: Self.actor)
            try await roster.create(
                DutyShift(personID: bob.id, regionCode: "110000", role: .officer, startsAt: day, endsAt: day + 43_200),
                by: Self.actor)

            // The next day, touching the first, is fine
            try await roster.create(
                DutyShift(
                    personID: alice.id, regionCode: "T1", role: .leader, startsAt: day + 86_400,
                    endsAt: day + 2 * 86_400),
                by: Self.actor)
            // A shift inside the first is refused and names it; nothing is written
            let clash = DutyShift(
                personID: alice.id, regionCode: "T2", role: .officer, startsAt: day + 3600, endsAt: day + 7200)
            await #expect(throws: OrganisationError.overlappingDuty([first])) {
                try await roster.create(clash, by: Self.actor)
            }
            #expect(try await roster.shift(id: clash.id) == nil)
            // A week's roster with one clash goes in whole or not at all
            let fine = DutyShift(
                personID: bob.id, regionCode: "T2", role: .officer, startsAt: day + 3 * 86_400, endsAt: day + 4 * 86_400
            )
            await #expect(throws: OrganisationError.self) { try await roster.create([fine, clash], by: Self.actor) }
            #expect(try await roster.shift(id: fine.id) == nil)

            // On duty for grid T1-G1 at 10:00: the street's leader, then the city's officer
            let onDuty = try await roster.onDuty(regionCode: "T1-G1", at: Self.morning)
            #expect(onDuty.map(\.personID) == [alice.id, bob.id])
            // At 12:00 the city's shift has ended (end excluded)
            #expect(try await roster.onDuty(regionCode: "T1-G1", at: day + 43_200).map(\.personID) == [alice.id])
            #expect(try await roster.shifts(regionCode: "T1", at: day + 86_400).count == 1)
            #expect(try await roster.shifts(regionCode: "T1").count == 2)
            // A shift that ends as it starts is refused
            await #expect(throws: OrganisationError.self) {
                try await roster.create(
                    DutyShift(
                        personID: bob.id, regionCode: "T1", role: .officer, startsAt: day + 9e5, endsAt: day + 9e5),
                    by: Self.actor)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func overlappingShiftsWrittenAtOnceDoNotBothGoIn(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.seedStructure(db)
            let person = Person(name: "甲", phone: "13800000001")
            try await PeopleRepository(database: db).create(person, by: Self.actor)
            let day = CalendarDay("2026-11-23")!.start
            let shifts = (0..<4).map { hour in
                DutyShift(
                    personID: person.id, regionCode: "T\(hour % 2 + 1)", role: .officer,
                    startsAt: day + Double(hour) * 3600, endsAt: day + 86_400)
            }
            // Four overlapping shifts for one person, written at the same time
            let stored = await withTaskGroup(of: Bool.self) { group in
                for shift in shifts {
                    group.addTask { (try? await DutyRoster(database: db).create(shift, by: Self.actor)) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            // Exactly one goes in
            #expect(stored == 1)
            #expect(try await DutyRoster(database: db).shifts(personID: person.id).count == 1)
            #expect(try await AuditTrail.verify(on: db).isIntact)
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyChangeIsAuditedAndRefusalsSayWhy(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.seedStructure(db)
            let units = UnitRepository(database: db)
            try await units.create(
                ResponsibleUnit(code: "ZJJ", name: "住建局", kind: .department, parentCode: "HQ"), by: Self.actor)
            try await units.update(code: "ZJJ", with: UnitPatch(name: "市住建局"), by: Self.actor)
            await #expect(throws: OrganisationError.self) {
                try await units.create(ResponsibleUnit(code: "ZJJ", name: "重复", kind: .department), by: Self.actor)
            }
            // A loop through parents is refused
            await #expect(
                throws: OrganisationError.invalid([
                    FieldProblem(field: "parentCode", message: "上级单位 ZJJ 会形成循环隶属 / parent ZJJ would make a loop")
                ])
            ) {
                try await units.update(code: "HQ", with: UnitPatch(parentCode: .some("ZJJ")), by: Self.actor)
            }

            let people = PeopleRepository(database: db)
            let person = Person(name: "王建国", phone: "138-0000-0001", unitCode: "ZJJ", title: "科员")
            try await people.create(person, by: Self.actor)
            try await people.update(id: person.id, with: PersonPatch(title: .some("副局长")), by: Self.actor)
            await #expect(throws: OrganisationError.self) {
                try await people.create(Person(name: "坏电话", phone: "123", unitCode: "NOPE"), by: Self.actor)
            }
            let assignment = GridAssignment(personID: person.id, regionCode: "T1-G1", level: .third)
            try await people.assign(assignment, by: Self.actor)
            await #expect(throws: OrganisationError.self) {
                try await people.assign(
                    GridAssignment(personID: person.id, regionCode: "T1-G1", level: .second), by: Self.actor)
            }
            let contracts = LeaderContractRepository(database: db)
            let contract = LeaderContract(
                leaderID: person.id, townshipCodes: ["T1"], startsOn: CalendarDay("2026-01-01")!)
            try await contracts.create(contract, by: Self.actor)
            try await contracts.update(
                id: contract.id, with: LeaderContractPatch(townshipCodes: ["T1", "T2"]), by: Self.actor)
            #expect(try await contracts.contract(id: contract.id)?.townshipCodes == ["T1", "T2"])
            #expect(try await contracts.contracts(townshipCode: "T2").map(\.id) == [contract.id])
            await #expect(throws: OrganisationError.self) {
                try await contracts.update(
                    id: contract.id, with: LeaderContractPatch(townshipCodes: ["110105"]), by: Self.actor)
            }

            // A person who leads a contract cannot be deleted; once it is gone they can, grids and all
            await #expect(throws: OrganisationError.self) { try await people.delete(id: person.id, by: Self.actor) }
            try await contracts.delete(id: contract.id, by: Self.actor)
            try await people.delete(id: person.id, by: Self.actor)
            #expect(try await people.gridAssignments(personID: person.id).isEmpty)

            let personID = person.id.uuidString.lowercased()
            #expect(
                try await AuditTrail.history(entity: "unit", id: "ZJJ", on: db).map(\.action) == ["create", "update"])
            #expect(
                try await AuditTrail.history(entity: "person", id: personID, on: db).map(\.action)
                    == ["create", "update", "delete"])
            #expect(
                try await AuditTrail.history(
                    entity: "grid_assignment", id: assignment.id.uuidString.lowercased(), on: db
                )
                .map(\.action) == ["create", "delete"])
            let contractHistory = try await AuditTrail.history(
                entity: "leader_contract", id: contract.id.uuidString.lowercased(), on: db)
            #expect(contractHistory.map(\.action) == ["create", "update", "delete"])
            #expect(contractHistory[1].after?.contains("T2") == true)
            #expect(contractHistory[0].actor == "user:hq")
            #expect(try await AuditTrail.verify(on: db).isIntact)
        }
    }

    static let unitsCSV = """
        code,name,kind,region,parent
        ZJJ,市住建局,department,,HQ
        TG-DUST-1,扬尘一组,task_group,,TG-DUST
        TG-DUST,扬尘治理攻坚组,攻坚组,,HQ
        TS-T2,麦子店街道办事处,乡镇,T2,GOV-110105
        """

    @Test(arguments: TestDatabase.all)
    func unitsImportAllOrNothing(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.seedStructure(db)
            let importer = OrganisationImporter(database: db)
            // A dry run counts and writes nothing
            let dry = try await importer.importUnits(csv: Self.unitsCSV, dryRun: true, by: Self.actor)
            #expect((dry.created, dry.updated, dry.unchanged) == (4, 0, 0))
            #expect(try await UnitRepository(database: db).unit(code: "ZJJ") == nil)

            // The import writes all four, a parent defined later in the file included
            let summary = try await importer.importUnits(csv: Self.unitsCSV, by: Self.actor)
            #expect((summary.created, summary.updated, summary.unchanged) == (4, 0, 0))
            #expect(try await UnitRepository(database: db).unit(code: "TG-DUST-1")?.parentCode == "TG-DUST")
            #expect(try await UnitRepository(database: db).unit(code: "TG-DUST")?.kind == .taskGroup)
            #expect(try await AuditTrail.history(entity: "unit", id: "TS-T2", on: db).count == 1)
            let again = try await importer.importUnits(
                csv: Self.unitsCSV.replacingOccurrences(of: "市住建局", with: "市住房和城乡建设局"), by: Self.actor)
            #expect((again.created, again.updated, again.unchanged) == (0, 1, 3))

            // Every bad row is named, and nothing of the file goes in
            let bad = """
                code,name,kind,region,parent
                NEW1,新单位,department,,HQ
                NEW2,,department,,HQ
                NEW3,坏类型,factory,,HQ
                NEW1,重复,department,,HQ
                NEW4,无区域,township,T9,HQ
                NEW5,无上级,department,,NOPE
                LOOP1,环一,department,,LOOP2
                LOOP2,环二,department,,LOOP1
                NEW6,字段多了,department,,HQ,extra
                """
            do {
                _ = try await importer.importUnits(csv: bad, by: Self.actor)
                Issue.record("a file with bad rows was imported")
            } catch let rejected as OrganisationImportRejected {
                let named = rejected.problems.map { "\($0.line):\($0.column)" }
                #expect(
                    named == [
                        "3:name", "4:kind", "5:code", "6:region", "7:parent", "8:parent", "9:parent", "10:*",
                    ])
                #expect(rejected.problems[1].reason.contains("factory"))
                #expect(rejected.description.contains("共 8 行有误，未导入任何数据"))
            }
            #expect(try await UnitRepository(database: db).unit(code: "NEW1") == nil)

            // A header without the required columns is refused at line 1
            do {
                _ = try await importer.importUnits(csv: "code,label\nX,Y\n", by: Self.actor)
                Issue.record("a file without name and kind was imported")
            } catch let rejected as OrganisationImportRejected {
                #expect(rejected.problems.map(\.column) == ["label", "name", "kind"])
                #expect(rejected.problems.allSatisfy { $0.line == 1 })
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func peopleImportWithGridsAllOrNothing(database: TestDatabase) async throws {
        try await withMigratedDatabase(database) { db in
            try await Self.seedStructure(db)
            let importer = OrganisationImporter(database: db)
            let csv = """
                姓名,电话,单位,职务,网格,网格级别
                张三,138-0000-0001,TS-T1,网格员,T1-G1,3
                张三,138-0000-0001,TS-T1,网格员,T1-G2,3
                李四,13800000002,TS-T1,街道办事处主任,T1,1
                "王五, 副区长",010-12345678,GOV-110105,副区长,,
                """
            let summary = try await importer.importPeople(csv: csv, by: Self.actor)
            #expect((summary.created, summary.updated, summary.unchanged, summary.assignmentsCreated) == (3, 0, 0, 3))
            let people = PeopleRepository(database: db)
            let zhang = try #require(try await people.people(unitCode: "TS-T1").first { $0.name == "张三" })
            #expect(try await people.gridAssignments(personID: zhang.id).map(\.regionCode) == ["T1-G1", "T1-G2"])
            #expect(try await people.people().contains { $0.name == "王五, 副区长" })

            // The same file again changes nothing; a new title updates the person in place
            let again = try await importer.importPeople(csv: csv, by: Self.actor)
            #expect((again.created, again.updated, again.unchanged, again.assignmentsCreated) == (0, 0, 3, 0))
            let promoted = try await importer.importPeople(
                csv: "name,phone,unit,title\n张三,13800000001,TS-T1,网格长\n", by: Self.actor)
            #expect((promoted.created, promoted.updated) == (0, 1))
            #expect(try await people.person(id: zhang.id)?.title == "网格长")

            // One file with bad rows: every one is reported, nothing is written
            let bad = """
                name,phone,unit,title,grid,grid_level
                赵六,13800000009,TS-T1,网格员,T1-G1,3
                ,13800000010,TS-T1,网格员,,
                钱七,12345,TS-T1,网格员,,
                孙八,13800000011,NOPE,网格员,,
                周九,13800000012,TS-T1,网格员,T1-G1,4
                吴十,13800000013,TS-T1,网格员,T9,3
                郑十一,13800000014,TS-T1,网格员,T1,2
                冯十二,13800000015,TS-T1,网格员,T1-G1,
                """
            do {
                _ = try await importer.importPeople(csv: bad, by: Self.actor)
                Issue.record("a file with bad rows was imported")
            } catch let rejected as OrganisationImportRejected {
                #expect(
                    rejected.problems.map { "\($0.line):\($0.column)" } == [
                        "3:name", "4:phone", "5:unit", "6:grid_level", "7:grid", "8:grid", "9:grid_level",
                    ])
            }
            #expect(try await people.people().contains { $0.name == "赵六" } == false)
        }
    }
}
