import Campaign
import Foundation
import Store

/// The demo's organisation, on top of the Beijing districts: an HQ with task groups, departments and a
/// supervision group; two streets (街道) per demo district with two grids each; grid workers; district
/// leaders contracting the streets (分包); and a 24-hour duty roster at the HQ for the current week.
///
/// Everything here is synthetic and says so: unit names end in （演示）, people's names are made up, every
/// phone number is `138-0000-xxxx`, and the streets carry demo codes (`110105D01`), not the national ones.
/// Ids are fixed, so seeding again changes nothing (the roster adds the new week's shifts).
public struct DemoOrganisation: Sendable {
    /// Districts (of the Beijing demo) that get demo streets: 朝阳、西城、东城、海淀.
    public static let streets: [(district: String, names: [String])] = [
        ("110105", ["亚运村街道", "麦子店街道"]),
        ("110102", ["广安门外街道", "展览路街道"]),
        ("110101", ["东四街道", "天坛街道"]),
        ("110108", ["万柳地区", "八里庄街道"]),
    ]

    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕")
    static let givenNames = ["建国", "晓明", "丽华", "志强", "海燕", "文博", "秀英", "立新", "春梅", "德胜", "静怡", "宏伟"]

    public var people: [Person] = []
    public var regions: [Region] = []
    public var units: [ResponsibleUnit] = []
    public var assignments: [GridAssignment] = []
    public var contracts: [LeaderContract] = []
    /// The HQ's duty leaders and officers, taking turns.
    public var dutyLeaders: [UUID] = []
    public var dutyOfficers: [UUID] = []

    public init() {
        let hq = BeijingDemo.commandUnitCode
        units = [
            ResponsibleUnit(code: "BJ-TG-DUST", name: "扬尘治理攻坚组（演示）", kind: .taskGroup, parentCode: hq),
            ResponsibleUnit(code: "BJ-TG-VEHICLE", name: "机动车治理攻坚组（演示）", kind: .taskGroup, parentCode: hq),
            ResponsibleUnit(code: "BJ-TG-INDUSTRY", name: "工业源治理攻坚组（演示）", kind: .taskGroup, parentCode: hq),
            ResponsibleUnit(code: "BJ-ZJJ", name: "市住建局（演示）", kind: .department, parentCode: hq),
            ResponsibleUnit(code: "BJ-JTJ", name: "市交通局（演示）", kind: .department, parentCode: hq),
            ResponsibleUnit(code: "BJ-CGW", name: "市城管委（演示）", kind: .department, parentCode: hq),
            ResponsibleUnit(code: "BJ-SEE", name: "市生态环境局（演示）", kind: .department, parentCode: hq),
            ResponsibleUnit(code: "BJ-SUPERVISION", name: "第一督导组（演示）", kind: .supervisionGroup, parentCode: hq),
        ]
        // HQ staff: two duty leaders, three duty officers.
        for title in ["指挥部副总指挥", "指挥部办公室主任"] {
            dutyLeaders.append(addPerson(unit: hq, title: title))
        }
        for _ in 0..<3 { dutyOfficers.append(addPerson(unit: hq, title: "指挥部值班员")) }
        for unit in units { _ = addPerson(unit: unit.code, title: unit.kind == .department ? "局长" : "组长") }

        for (district, names) in Self.streets {
            let leaders = (0..<2).map { _ in addPerson(unit: "GOV-\(district)", title: "副区长") }
            for (index, name) in names.enumerated() {
                let code = "\(district)D\(String(format: "%02d", index + 1))"
                regions.append(Region(code: code, name: name + "（演示）", level: .township, parentCode: district))
                let unitCode = "TS-\(code)"
                units.append(
                    ResponsibleUnit(
                        code: unitCode, name: "\(name)办事处（演示）", kind: .township, regionCode: code,
                        parentCode: "GOV-\(district)"))
                _ = addPerson(unit: unitCode, title: "街道工委书记")
                let head = addPerson(unit: unitCode, title: "街道办事处主任")
                assignments.append(assignment(head, code, .first))
                for grid in 1...2 {
                    let gridCode = "\(code)-G\(grid)"
                    regions.append(
                        Region(code: gridCode, name: "\(name)第\(grid)网格（演示）", level: .grid, parentCode: code))
                    assignments.append(assignment(addPerson(unit: unitCode, title: "社区网格长"), gridCode, .second))
                    assignments.append(assignment(addPerson(unit: unitCode, title: "网格员"), gridCode, .third))
                }
                contracts.append(
                    LeaderContract(
                        id: Self.id(0xC0, contracts.count), leaderID: leaders[index], townshipCodes: [code],
                        startsOn: CalendarDay("2026-01-01")!,
                        note: "区领导分包街道（演示）"))
            }
        }
    }

    private mutating func addPerson(unit: String, title: String) -> UUID {
        let index = people.count
        let name =
            String(Self.surnames[(index * 7) % Self.surnames.count])
            + Self.givenNames[(index * 5 + index / Self.surnames.count) % Self.givenNames.count]
        let person = Person(
            id: Self.id(0xA0, index), name: name, phone: String(format: "138-0000-%04d", index + 1), unitCode: unit,
            title: title)
        people.append(person)
        return person.id
    }

    private func assignment(_ person: UUID, _ region: String, _ level: GridLevel) -> GridAssignment {
        GridAssignment(id: Self.id(0xB0, assignments.count), personID: person, regionCode: region, level: level)
    }

    /// A fixed id: `de<kind>0000-0000-4000-8000-<index>`.
    static func id(_ kind: Int, _ index: Int) -> UUID {
        UUID(uuidString: String(format: "de%02x0000-0000-4000-8000-%012d", kind, index))!
    }

    /// The HQ roster of the week containing `now` (Monday 00:00 to Monday 00:00, China time): each day a
    /// 带班领导 and a 值班员 on duty for the whole city.
    public func roster(week now: Date) -> [DutyShift] {
        let today = CalendarDay(containing: now)
        let dayNumber = Int((today.start.timeIntervalSince1970 + CalendarDay.chinaOffset) / 86_400)
        let monday = today.start.addingTimeInterval(-Double((dayNumber + 3) % 7) * 86_400)
        let mondayNumber = dayNumber - (dayNumber + 3) % 7
        return (0..<7).flatMap { day -> [DutyShift] in
            let start = monday.addingTimeInterval(Double(day) * 86_400)
            let end = start.addingTimeInterval(86_400)
            let number = mondayNumber + day
            return [
                DutyShift(
                    id: Self.id(0xD0, number * 10), personID: dutyLeaders[number % dutyLeaders.count],
                    regionCode: BeijingDemo.cityCode, role: .leader, startsAt: start, endsAt: end, note: "24 小时值班（演示）"),
                DutyShift(
                    id: Self.id(0xD0, number * 10 + 1), personID: dutyOfficers[number % dutyOfficers.count],
                    regionCode: BeijingDemo.cityCode, role: .officer, startsAt: start, endsAt: end,
                    note: "24 小时值班（演示）"),
            ]
        }
    }

    /// Writes what is missing, in one transaction. Regions and units are upserted like the rest of the demo;
    /// people, grids, contracts and shifts go through their repositories and the audit log.
    public func seed(into repository: OrganisationRepository, now: Date) async throws {
        let shifts = roster(week: now)
        try await repository.inTransaction { repository in
            for region in regions { try await repository.upsert(region) }
            for unit in units { try await repository.upsert(unit) }
            let actor = AuditActor.system("demo")
            let people = repository.peopleRepository
            for person in self.people {
                guard try await people.person(id: person.id) == nil else { continue }
                try await people.create(person, by: actor)
            }
            for assignment in assignments {
                guard try await people.gridAssignment(id: assignment.id) == nil else { continue }
                try await people.assign(assignment, by: actor)
            }
            let contractRepository = repository.contractRepository
            for contract in contracts {
                guard try await contractRepository.contract(id: contract.id) == nil else { continue }
                try await contractRepository.create(contract, by: actor)
            }
            let roster = repository.dutyRoster
            for shift in shifts {
                guard try await roster.shift(id: shift.id) == nil else { continue }
                try await roster.create(shift, by: actor)
            }
        }
    }
}
