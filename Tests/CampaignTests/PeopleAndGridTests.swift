import Foundation
import Testing

@testable import Campaign

@Suite("People, grids, contracts, duty and the responsible chain (pure)")
struct PeopleAndGridTests {
    @Test(arguments: [
        ("13800000001", true), ("138-0000-0001", true), ("138 0000 0001", true), ("010-12345678", true),
        ("0311-1234567", true), ("010-12345678-123", true), ("01012345678", true), ("12800000001", false),
        ("1380000000", false), ("138000000012", false), ("138-0000-000a", false), ("-13800000001", false),
        ("12345678", false), ("", false), ("010-123", false),
    ])
    func phoneNumbers(text: String, valid: Bool) {
        #expect(PhoneNumber.isValid(text) == valid)
    }

    @Test func aPersonNamesEveryBadField() {
        let person = Person(name: " ", phone: "12345", title: String(repeating: "长", count: 65))
        #expect(person.problems.map(\.field) == ["name", "phone", "title"])
        #expect(person.problems[1].message.hasPrefix("电话“12345”格式无效"))
        #expect(Person(name: "王建国", phone: "138-0000-0001").problems.isEmpty)
    }

    @Test func calendarDays() throws {
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2023-02-29") == nil)
        #expect(CalendarDay("2024-13-01") == nil)
        #expect(CalendarDay("2024-1-01") == nil)
        let day = try #require(CalendarDay("2026-11-23"))
        #expect(day.description == "2026-11-23")
        #expect(CalendarDay(stored: day.storedDate) == day)
        // 2026-11-22T16:00:00Z is 00:00 on the 23rd in Beijing; a second earlier is still the 22nd.
        let midnight = Date(timeIntervalSince1970: 1_795_363_200)
        #expect(day.start == midnight)
        #expect(CalendarDay(containing: midnight) == day)
        #expect(CalendarDay(containing: midnight.addingTimeInterval(-1)).description == "2026-11-22")
        #expect(CalendarDay("1969-12-31")! < CalendarDay("1970-01-01")!)
        #expect(CalendarDay(stored: CalendarDay("1969-12-31")!.storedDate).description == "1969-12-31")
    }

    @Test func gridLevelsAndRegionLevels() {
        #expect(GridLevel.allCases.map(\.displayName) == ["一级网格", "二级网格", "三级网格"])
        #expect(GridAssignment.problem(gridLevel: .first, regionLevel: .township, regionCode: "T") == nil)
        #expect(GridAssignment.problem(gridLevel: .third, regionLevel: .grid, regionCode: "G") == nil)
        #expect(
            GridAssignment.problem(gridLevel: .second, regionLevel: .township, regionCode: "T")?.field == "regionCode")
        #expect(GridAssignment.problem(gridLevel: .first, regionLevel: .county, regionCode: "C") != nil)
        let backwards = GridAssignment(
            personID: UUID(), regionCode: "G", level: .third, startsOn: CalendarDay("2026-02-01"),
            endsOn: CalendarDay("2026-01-01"))
        #expect(backwards.problems.map(\.field) == ["endsOn"])
    }

    @Test func dutyShiftsEndAfterTheyStartAndOverlapOnlyWhenTheyShareAnInstant() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let day = DutyShift(personID: UUID(), regionCode: "R", role: .officer, startsAt: start, endsAt: start + 86_400)
        #expect(day.problems.isEmpty)
        #expect(
            DutyShift(personID: UUID(), regionCode: "R", role: .leader, startsAt: start, endsAt: start).problems
                .map(\.field) == ["endsAt"])
        #expect(
            !DutyShift(personID: UUID(), regionCode: "R", role: .leader, startsAt: start, endsAt: start + 8 * 86_400)
                .problems.isEmpty)
        var next = day
        next.startsAt = day.endsAt
        next.endsAt = day.endsAt + 3600
        #expect(!day.overlaps(next))  // touching ends
        next.startsAt = day.endsAt - 1
        #expect(day.overlaps(next))
        #expect(day.covers(start) && !day.covers(day.endsAt))
    }

    @Test func contractsNeedATownshipAndATermThatRunsForward() {
        let contract = LeaderContract(
            leaderID: UUID(), townshipCodes: [], startsOn: CalendarDay("2026-03-01")!, endsOn: CalendarDay("2026-02-01")
        )
        #expect(contract.problems.map(\.field) == ["townshipCodes", "endsOn"])
        #expect(
            LeaderContract(leaderID: UUID(), townshipCodes: ["B", "A", "B"], startsOn: CalendarDay("2026-01-01")!)
                .townshipCodes == ["A", "B"])
    }

    @Test(arguments: [
        ("党委书记", 0), ("街道工委书记", 0), ("镇长", 1), ("街道办事处主任", 1), ("副镇长", 2), ("党委副书记", 2),
    ])
    func leadershipTitles(title: String, rank: Int) {
        #expect(LeadershipTitle.rank(title) == rank)
    }

    @Test func nonLeadersAreNotHeads() {
        #expect(LeadershipTitle.rank("网格员") == nil)
        #expect(LeadershipTitle.rank(nil) == nil)
    }

    @Test func theChainIsOrderedGridsHeadsContractsDuty() throws {
        let city = Region(code: "C", name: "市", level: .city)
        let county = Region(code: "K", name: "县", level: .county, parentCode: "C")
        let township = Region(code: "T", name: "镇", level: .township, parentCode: "K")
        let grid = Region(code: "G", name: "网格", level: .grid, parentCode: "T")
        func person(_ name: String, _ title: String? = nil) -> Person { Person(name: name, title: title) }
        let third = person("三级")
        let second = person("二级")
        let first = person("一级")
        let secretary = person("书记", "党委书记")
        let mayor = person("镇长", "镇长")
        let clerk = person("文书", "文书")
        let leader = person("县领导", "副县长")
        let oldLeader = person("前任", "副县长")
        let cityOfficer = person("市值班员")
        let townOfficer = person("镇值班员")
        let townLeader = person("镇带班")
        let all = [
            third, second, first, secretary, mayor, clerk, leader, oldLeader, cityOfficer, townOfficer, townLeader,
        ]
        let at = CalendarDay("2026-11-23")!.start + 10 * 3600
        let input = ResponsibleChainInput(
            lineage: [grid, township, county, city],
            gridAssignments: [
                GridAssignment(personID: first.id, regionCode: "T", level: .first),
                GridAssignment(personID: third.id, regionCode: "G", level: .third),
                GridAssignment(personID: second.id, regionCode: "G", level: .second),
                // Ended yesterday: not in the chain.
                GridAssignment(
                    personID: clerk.id, regionCode: "G", level: .third, endsOn: CalendarDay("2026-11-22")),
            ],
            townshipStaff: [clerk, mayor, secretary],
            contracts: [
                LeaderContract(leaderID: leader.id, townshipCodes: ["T"], startsOn: CalendarDay("2026-01-01")!),
                LeaderContract(
                    leaderID: oldLeader.id, townshipCodes: ["T"], startsOn: CalendarDay("2025-01-01")!,
                    endsOn: CalendarDay("2025-12-31")),
            ],
            shifts: [
                DutyShift(
                    personID: cityOfficer.id, regionCode: "C", role: .officer, startsAt: at - 3600, endsAt: at + 3600),
                DutyShift(
                    personID: townLeader.id, regionCode: "T", role: .leader, startsAt: at - 3600, endsAt: at + 3600),
                DutyShift(
                    personID: townOfficer.id, regionCode: "T", role: .officer, startsAt: at - 3600, endsAt: at + 1),
                // Over at `at`: the end is excluded.
                DutyShift(personID: clerk.id, regionCode: "T", role: .officer, startsAt: at - 3600, endsAt: at),
            ],
            people: Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) }))
        let chain = input.chain(at: at)
        #expect(chain.map(\.person.name) == ["三级", "二级", "一级", "书记", "镇长", "县领导", "镇值班员", "镇带班", "市值班员"])
        #expect(
            chain.map(\.role) == [
                .gridWorker, .gridWorker, .gridWorker, .townshipHead, .townshipHead, .contractingLeader, .onDuty,
                .onDuty,
                .onDuty,
            ])
        #expect(chain[0].gridLevel == .third && chain[2].regionCode == "T")
        #expect(chain[7].dutyRole == .leader)
    }
}
