import Campaign
import FluentKit
import Foundation

extension OrganisationImporter {
    static let peopleColumns: [String: [String]] = [
        "name": ["姓名"], "phone": ["电话", "手机", "联系电话"], "unit": ["单位", "单位编码", "unit_code"],
        "title": ["职务"], "grid": ["网格", "网格编码", "grid_code"], "grid_level": ["网格级别", "网格层级", "level"],
    ]
    static let personFields = ["name": "name", "phone": "phone", "unitCode": "unit", "title": "title"]

    /// `name,phone,unit,title[,grid,grid_level]`. A person is known by name and phone: the same pair again
    /// updates unit and title; one person on several rows gets several grids.
    public func importPeople(csv text: String, dryRun: Bool = false, by actor: AuditActor) async throws
        -> OrganisationImportSummary
    {
        let file = OrganisationCSV(text, columns: Self.peopleColumns, required: ["name"])
        var problems = file.problems
        // One entry per person, with every grid the file gives them.
        var people: [(line: Int, person: Person, grids: [(line: Int, code: String, level: GridLevel)])] = []
        var index: [String: Int] = [:]
        for row in file.rows {
            let person = Person(
                name: row["name"] ?? "", phone: row["phone"], unitCode: row["unit"], title: row["title"])
            var grid: (line: Int, code: String, level: GridLevel)?
            switch (row["grid"], row["grid_level"]) {
            case (nil, nil): break
            case (nil, .some):
                problems.append(
                    ImportProblem(line: row.line, column: "grid", reason: "给了网格级别却没有网格 / grid_level without grid"))
            case (.some, nil):
                problems.append(
                    ImportProblem(
                        line: row.line, column: "grid_level", reason: "网格级别必填（1–3）/ grid_level is required (1–3)"))
            case (.some(let code), .some(let text)):
                if let number = Int(text), let level = GridLevel(rawValue: number) {
                    grid = (row.line, code, level)
                } else {
                    problems.append(
                        ImportProblem(
                            line: row.line, column: "grid_level",
                            reason: "网格级别“\(text)”无效，应为 1、2 或 3 / grid_level must be 1, 2 or 3"))
                }
            }
            let key = Self.identity(person)
            if let at = index[key] {
                let first = people[at]
                if first.person.unitCode != person.unitCode || first.person.title != person.title {
                    problems.append(
                        ImportProblem(
                            line: row.line, column: "unit",
                            reason: "与第 \(first.line) 行同一人员的单位或职务不一致 / unit or title differ from line \(first.line)"
                                + " for the same person"))
                }
                if let grid {
                    if let same = people[at].grids.first(where: { $0.code == grid.code }) {
                        problems.append(
                            ImportProblem(
                                line: row.line, column: "grid",
                                reason: "网格 \(grid.code) 与第 \(same.line) 行重复 / grid repeats line \(same.line)"))
                    } else {
                        people[at].grids.append(grid)
                    }
                }
            } else {
                index[key] = people.count
                people.append((row.line, person, grid.map { [$0] } ?? []))
            }
        }
        let parsed = people
        let rowProblems = problems
        return try await database.transaction { transaction in
            let people = parsed
            var problems = rowProblems
            let repository = PeopleRepository(database: transaction)
            let existing = try await repository.people()
            let known = Dictionary(grouping: existing, by: Self.identity)
            var summary = OrganisationImportSummary()
            summary.dryRun = dryRun
            var writes: [(person: Person, before: Person?, grids: [(line: Int, code: String, level: GridLevel)])] = []
            for entry in people {
                var person = entry.person
                let matches = known[Self.identity(person)] ?? []
                if matches.count > 1 {
                    problems.append(
                        ImportProblem(
                            line: entry.line, column: "name",
                            reason: "库中有 \(matches.count) 位同名同电话的人员，无法确定是哪一位 / \(matches.count) people"
                                + " share this name and phone"))
                }
                if let match = matches.first { person.id = match.id }
                for problem in try await repository.problems(for: person) {
                    problems.append(
                        ImportProblem(
                            line: entry.line, column: Self.personFields[problem.field] ?? problem.field,
                            reason: problem.message))
                }
                for grid in entry.grids {
                    let assignment = GridAssignment(personID: person.id, regionCode: grid.code, level: grid.level)
                    for problem in try await repository.problems(for: assignment) where problem.field != "personId" {
                        problems.append(
                            ImportProblem(
                                line: grid.line, column: problem.field == "regionCode" ? "grid" : problem.field,
                                reason: problem.message))
                    }
                }
                writes.append((person, matches.first, entry.grids))
            }
            guard problems.isEmpty else { throw OrganisationImportRejected(problems: Self.sorted(problems)) }
            for write in writes {
                if write.before == write.person {
                    summary.unchanged += 1
                } else {
                    if write.before == nil { summary.created += 1 } else { summary.updated += 1 }
                    if !dryRun {
                        let row = try await DB.Person.find(write.person.id, on: transaction) ?? DB.Person()
                        try await repository.write(write.person, into: row)
                        try await AuditTrail.append(
                            on: transaction, actor: actor, action: write.before == nil ? "create" : "update",
                            entity: "person", entityID: write.person.id.uuidString.lowercased(), before: write.before,
                            after: write.person)
                    }
                }
                for grid in write.grids {
                    let held =
                        write.before == nil
                        ? [] : try await repository.gridAssignments(regionCode: grid.code, personID: write.person.id)
                    guard held.isEmpty else { continue }
                    summary.assignmentsCreated += 1
                    if dryRun { continue }
                    try await repository.assign(
                        GridAssignment(personID: write.person.id, regionCode: grid.code, level: grid.level), by: actor)
                }
            }
            return summary
        }
    }

    /// Name and phone digits: how a file names a person.
    static func identity(_ person: Person) -> String {
        person.name.trimmingWhitespace + "|" + (person.phone ?? "").filter(\.isNumber)
    }
}
