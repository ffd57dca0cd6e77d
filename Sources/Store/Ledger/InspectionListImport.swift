import Campaign
import FluentKit
import Foundation

/// What an inspection-list import did (or, in a dry run, would do).
public struct CaseImportSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    public var created: Int
    public var assigned: Int
    public var numbers: [String]
    public var dryRun: Bool

    public var description: String {
        "登记 \(created) 件，其中交办 \(assigned) 件 / registered \(created) case(s), \(assigned) assigned"
    }
}

/// The problem list an inspection team hands over (督察反馈问题清单), as CSV: every row a case. All rows or
/// none, in one transaction; every bad row reported by line and column. See docs/ledger.md.
public enum InspectionList {
    /// Canonical column → the headers accepted for it.
    static let columns: [String: [String]] = [
        "number": ["序号", "编号", "问题编号"],
        "problem": ["问题", "问题描述", "存在问题", "反馈问题"],
        "location": ["位置", "地点", "问题地点", "地址"],
        "unit": ["责任单位", "牵头单位", "责任主体"],
        "measures": ["整改措施", "措施"],
        "deadline": ["整改时限", "时限", "完成时限"],
        "category": ["类别", "问题类别", "类型"],
        "longitude": ["经度", "lon"],
        "latitude": ["纬度", "lat"],
        "leader": ["责任领导", "责任人"],
        "cooperating": ["配合单位"],
        "severity": ["严重程度", "等级"],
    ]
    static let required = ["number", "problem", "location", "unit", "measures", "deadline"]

    /// Category names people write, beside the codes.
    static let categoryNames: [String: CaseCategory] = {
        var names: [String: CaseCategory] = [:]
        for category in CaseCategory.allCases {
            names[category.rawValue] = category
            names[category.displayName] = category
        }
        let aliases: [String: CaseCategory] = [
            "施工扬尘": .constructionDust, "工地扬尘": .constructionDust, "道路扬尘": .roadDust, "裸土": .bareSoilDust,
            "裸地扬尘": .bareSoilDust, "堆场扬尘": .materialYardDust, "物料堆场": .materialYardDust, "燃煤": .householdCoal,
            "散煤": .householdCoal, "工业": .industrialEmission, "工业企业": .industrialEmission, "工业废气": .industrialEmission,
            "机动车": .vehicles, "柴油车": .vehicles, "油烟": .cookingFumes, "餐饮油烟": .cookingFumes, "焚烧": .openBurning,
            "露天焚烧": .openBurning, "秸秆焚烧": .openBurning, "违建": .illegalBuilding, "违法建设": .illegalBuilding,
            "散乱污": .scatteredPolluting, "水": .water, "水污染": .water, "土壤": .soil, "其他": .other,
        ]
        names.merge(aliases) { current, _ in current }
        return names
    }()

    static let severityNames: [String: CaseSeverity] = [
        "general": .general, "一般": .general, "serious": .serious, "较重": .serious, "较大": .serious, "major": .major,
        "严重": .major, "重大": .major,
    ]
}

extension LedgerRepository {
    /// Imports an inspection-feedback list. `batch` names the inspection round (e.g. 第二轮中央督察): case
    /// numbers become `<batch>-<序号>`. Units are given by code or by name. Rows with a deadline and a unit
    /// are assigned at once. `place` puts a row's point into its region and zones.
    public func importInspectionList(
        csv text: String, batch: String, source: CaseSource = .inspectionFeedback,
        place: @escaping @Sendable (Coordinate?) async throws -> CasePlacement, by actor: LedgerActor,
        today: CalendarDay, calendar: WorkingCalendar, at now: Int64, dryRun: Bool = false
    ) async throws -> CaseImportSummary {
        let batch = batch.trimmingCharacters(in: .whitespaces)
        guard !batch.isEmpty, batch.count <= 40 else {
            throw OrganisationImportRejected(problems: [
                ImportProblem(
                    line: 0, column: "batch", reason: "需给出 1–40 字的督察批次名称 / give the inspection round (1–40 characters)")
            ])
        }
        let file = OrganisationCSV(text, columns: InspectionList.columns, required: InspectionList.required)
        guard file.problems.isEmpty else { throw OrganisationImportRejected(problems: file.problems) }
        guard !file.rows.isEmpty else {
            throw OrganisationImportRejected(problems: [
                ImportProblem(line: 2, column: "*", reason: "文件没有数据行 / the file has no rows")
            ])
        }
        let units = try await UnitRepository(database: database).units()
        let byCode = Dictionary(units.map { ($0.code, $0.code) }, uniquingKeysWith: { first, _ in first })
        let byName = Dictionary(units.map { ($0.name, $0.code) }, uniquingKeysWith: { first, _ in first })
        func unit(_ text: String) -> String? { byCode[text] ?? byName[text] }

        var problems: [ImportProblem] = []
        var drafts: [(line: Int, draft: CaseDraft)] = []
        var numbers: Set<String> = []
        for row in file.rows {
            func problem(_ column: String, _ reason: String) {
                problems.append(ImportProblem(line: row.line, column: column, reason: reason))
            }
            let number = row["number"].map { "\(batch)-\($0)" }
            if let number, !numbers.insert(number).inserted { problem("number", "序号在文件中重复 / the number repeats") }
            if row["number"] == nil { problem("number", "缺少序号 / the number is missing") }
            let responsible = row["unit"].flatMap(unit)
            if let name = row["unit"], responsible == nil {
                problem("unit", "单位“\(name)”不存在（可写单位编码或全称）/ no such unit (give its code or full name)")
            } else if row["unit"] == nil {
                problem("unit", "缺少责任单位 / the responsible unit is missing")
            }
            var cooperating: [String] = []
            for name in (row["cooperating"] ?? "").split(whereSeparator: { "、,，;；".contains($0) }) {
                let text = name.trimmingCharacters(in: .whitespaces)
                if let code = unit(text) {
                    if code != responsible, !cooperating.contains(code) { cooperating.append(code) }
                } else {
                    problem("cooperating", "配合单位“\(text)”不存在 / no such unit")
                }
            }
            var deadline: CaseDeadline?
            if let text = row["deadline"] {
                deadline = CaseDeadline(text)
                if deadline == nil {
                    problem("deadline", "整改时限“\(text)”无法识别，可写 \(CaseDeadline.accepted) / unrecognised deadline")
                }
            } else {
                problem("deadline", "缺少整改时限 / the deadline is missing")
            }
            if let deadline, case .date(let day) = deadline, day < today {
                problem("deadline", "整改时限 \(day) 早于今天 / the deadline is in the past")
            }
            var category = CaseCategory.other
            if let text = row["category"] {
                if let known = InspectionList.categoryNames[text] {
                    category = known
                } else {
                    problem("category", "类别“\(text)”无法识别 / unknown category")
                }
            }
            var severity = CaseSeverity.general
            if let text = row["severity"] {
                if let known = InspectionList.severityNames[text] {
                    severity = known
                } else {
                    problem("severity", "严重程度应为 一般、较重 或 严重 / severity must be 一般, 较重 or 严重")
                }
            }
            var location: Coordinate?
            switch (row["longitude"], row["latitude"]) {
            case (nil, nil): break
            case (let lon?, let lat?):
                if let lon = Double(lon), let lat = Double(lat), Coordinate(longitude: lon, latitude: lat).isValid {
                    location = Coordinate(longitude: lon, latitude: lat)
                } else {
                    problem("longitude", "经纬度无效 / invalid coordinates")
                }
            default: problem("longitude", "经度与纬度须同时给出 / give both longitude and latitude")
            }
            let text = row["problem"] ?? ""
            let draft = CaseDraft(
                source: source, category: category, severity: severity, title: String(text.prefix(60)),
                description: text, address: row["location"], location: location, responsibleUnitCode: responsible,
                responsibleLeader: row["leader"], cooperatingUnits: cooperating, measures: row["measures"],
                deadline: deadline, number: number)
            for issue in draft.problems {
                let column =
                    ["title": "problem", "description": "problem", "address": "location", "measures": "measures"][
                        issue.field] ?? issue.field
                problem(column, issue.message)
            }
            drafts.append((row.line, draft))
        }
        // Numbers already in the ledger (an earlier import of the same list).
        for (line, draft) in drafts {
            if let number = draft.number, try await caseID(number: number) != nil {
                problems.append(
                    ImportProblem(
                        line: line, column: "number",
                        reason: "台账编号 \(number) 已存在（已导入过？）/ number \(number) exists already"))
            }
        }
        guard problems.isEmpty else { throw OrganisationImportRejected(problems: problems) }

        var placements: [CasePlacement] = []
        for (_, draft) in drafts { placements.append(try await place(draft.location)) }
        let placed = placements
        let rows = drafts
        do {
            return try await write(
                rows, placed: placed, by: actor, today: today, calendar: calendar, at: now, dryRun: dryRun)
        } catch let rollback as DryRunRollback {
            // Every row went in and came out again: the dry run tried exactly what the import would do.
            return rollback.summary
        }
    }

    func write(
        _ rows: [(line: Int, draft: CaseDraft)], placed: [CasePlacement], by actor: LedgerActor, today: CalendarDay,
        calendar: WorkingCalendar, at now: Int64, dryRun: Bool
    ) async throws -> CaseImportSummary {
        try await database.writeTransaction { transaction in
            let repository = LedgerRepository(database: transaction)
            var summary = CaseImportSummary(created: 0, assigned: 0, numbers: [], dryRun: dryRun)
            for (index, (line, draft)) in rows.enumerated() {
                do {
                    let item = try await repository.insert(
                        draft, placement: placed[index], by: actor, today: today, calendar: calendar, at: now,
                        id: UUID().uuidString.lowercased())
                    summary.created += 1
                    if item.state.status == .assigned { summary.assigned += 1 }
                    summary.numbers.append(item.number)
                } catch let error as LedgerError {
                    throw OrganisationImportRejected(problems: [
                        ImportProblem(line: line, column: "*", reason: error.description)
                    ])
                }
            }
            if dryRun { throw DryRunRollback(summary: summary) }
            return summary
        }
    }
}

/// Thrown to roll a dry run back after every row was written; carries what would have been done.
struct DryRunRollback: Error {
    var summary: CaseImportSummary
}
