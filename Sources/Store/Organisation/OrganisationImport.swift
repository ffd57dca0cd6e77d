import Campaign
import FluentKit
import Foundation

/// What an organisation import did (or, in a dry run, would do).
public struct OrganisationImportSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var assignmentsCreated = 0
    public var dryRun = false

    public init() {}

    public var description: String {
        var text = "新增 \(created)，更新 \(updated)，未变 \(unchanged)"
        var english = "created \(created), updated \(updated), unchanged \(unchanged)"
        if assignmentsCreated > 0 {
            text += "，新增网格分配 \(assignmentsCreated)"
            english += ", grid assignments created \(assignmentsCreated)"
        }
        return text + " / " + english
    }
}

/// Rows refused: nothing was imported.
public struct OrganisationImportRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]

    public var description: String {
        (problems.map(\.description) + [
            "共 \(Set(problems.map(\.line)).count) 行有误，未导入任何数据 / \(Set(problems.map(\.line)).count) bad row(s),"
                + " nothing imported"
        ]).joined(separator: "\n")
    }
}

/// Units and people from CSV files (docs/organisation-csv.md): all or nothing, in one transaction, every bad
/// row reported with its line, column and reason. Importing the same file twice changes nothing.
public struct OrganisationImporter: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    static let unitColumns: [String: [String]] = [
        "code": ["编码", "单位编码"], "name": ["名称", "单位名称"], "kind": ["类型", "单位类型"],
        "region": ["区域", "区域编码", "region_code"], "parent": ["上级", "上级单位", "parent_code"],
    ]
    static let unitFields = [
        "code": "code", "name": "name", "kind": "kind", "regionCode": "region", "parentCode": "parent",
    ]

    /// `code,name,kind,region,parent`: new units are created, existing ones updated to the file.
    public func importUnits(csv text: String, dryRun: Bool = false, by actor: AuditActor) async throws
        -> OrganisationImportSummary
    {
        let file = OrganisationCSV(text, columns: Self.unitColumns, required: ["code", "name", "kind"])
        var problems = file.problems
        var units: [(line: Int, unit: ResponsibleUnit)] = []
        var lines: [String: Int] = [:]
        for row in file.rows {
            let code = row["code"] ?? ""
            if let first = lines[code], !code.isEmpty {
                problems.append(
                    ImportProblem(
                        line: row.line, column: "code",
                        reason: "单位编码 \(code) 与第 \(first) 行重复 / duplicate of line \(first)"))
                continue
            }
            lines[code] = row.line
            var kind = UnitKind.department
            if let text = row["kind"] {
                if let parsed = UnitKind(csv: text) {
                    kind = parsed
                } else {
                    problems.append(
                        ImportProblem(line: row.line, column: "kind", reason: ResponsibleUnit.kindProblem(text).message)
                    )
                }
            } else {
                problems.append(ImportProblem(line: row.line, column: "kind", reason: "单位类型必填 / kind is required"))
            }
            units.append(
                (
                    row.line,
                    ResponsibleUnit(
                        code: code, name: row["name"] ?? "", kind: kind, regionCode: row["region"],
                        parentCode: row["parent"])
                ))
        }
        let pending = Dictionary(units.map { ($0.unit.code, $0.unit) }, uniquingKeysWith: { first, _ in first })
        let parsed = units
        let rowProblems = problems
        return try await database.transaction { transaction in
            let units = parsed
            var problems = rowProblems
            let repository = UnitRepository(database: transaction)
            for (line, unit) in units {
                for problem in try await repository.problems(for: unit, pending: pending) {
                    problems.append(
                        ImportProblem(
                            line: line, column: Self.unitFields[problem.field] ?? problem.field, reason: problem.message
                        ))
                }
            }
            guard problems.isEmpty else { throw OrganisationImportRejected(problems: Self.sorted(problems)) }
            var summary = OrganisationImportSummary()
            summary.dryRun = dryRun
            // Parents first, so that every foreign key holds as rows go in.
            for unit in Self.parentsFirst(units.map(\.unit)) {
                let row = try await DB.Unit.find(unit.code, on: transaction)
                let before = row.map(ResponsibleUnit.init)
                if before == unit {
                    summary.unchanged += 1
                    continue
                }
                if before == nil { summary.created += 1 } else { summary.updated += 1 }
                if dryRun { continue }
                try await repository.write(unit, into: row ?? DB.Unit())
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: before == nil ? "create" : "update", entity: "unit",
                    entityID: unit.code, before: before, after: unit)
            }
            return summary
        }
    }

    static func parentsFirst(_ units: [ResponsibleUnit]) -> [ResponsibleUnit] {
        let byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        func depth(_ unit: ResponsibleUnit) -> Int {
            var depth = 0
            var next = unit.parentCode
            while let code = next, let parent = byCode[code], depth < units.count {
                depth += 1
                next = parent.parentCode
            }
            return depth
        }
        return units.enumerated().sorted { (depth($0.element), $0.offset) < (depth($1.element), $1.offset) }
            .map(\.element)
    }

    static func sorted(_ problems: [ImportProblem]) -> [ImportProblem] {
        problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}
