import Foundation

/// How serious a problem is (一般 / 较重 / 严重).
public enum CaseSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case general
    case serious
    case major

    public var displayName: String {
        switch self {
        case .general: "一般"
        case .serious: "较重"
        case .major: "严重"
        }
    }
}

/// A ledger case (台账问题) as stored: the problem, where it is, who answers for it and by when, and
/// where its workflow stands (`state`).
public struct LedgerCase: Sendable, Hashable, Codable {
    public var id: String
    /// 台账编号: the inspection team's number for imported feedback, otherwise `LT-<year>-<serial>`.
    public var number: String
    public var source: CaseSource
    public var category: CaseCategory
    public var severity: CaseSeverity
    public var title: String
    public var description: String
    public var address: String?
    public var location: Coordinate?
    /// The smallest region holding the location (a grid where grids are drawn), and its ancestry from the
    /// top (`regionPath.last == regionCode`).
    public var regionCode: String?
    public var regionPath: [String]
    /// Control-station zones the location lies in.
    public var zoneIDs: [String]
    public var responsibleUnitCode: String?
    /// The responsible leader (责任领导) by name, and the person record when known.
    public var responsibleLeader: String?
    public var responsiblePersonID: String?
    public var cooperatingUnits: [String]
    public var measures: String?
    /// How the deadline was set: a date, or N working days (with the calendar's provisional flag).
    public var deadlineBasis: String?
    public var deadlineProvisional: Bool
    public var state: CaseState
    /// The alert this case was converted from.
    public var alertID: String?
    /// Public complaints may be shown (without private fields) over Open311.
    public var isPublic: Bool
    /// Private: who reported it and how to reach them — never shown publicly.
    public var reporterName: String?
    public var reporterContact: String?
    /// The Open311 service code a public request came in with.
    public var serviceCode: String?
    /// A link to media the complainant gave (Open311 `media_url`); public with the complaint.
    public var mediaURL: String?
    public var createdAt: Int64
    public var createdBy: String
    public var updatedAt: Int64

    public init(
        id: String, number: String, source: CaseSource, category: CaseCategory, severity: CaseSeverity = .general,
        title: String, description: String, address: String? = nil, location: Coordinate? = nil,
        regionCode: String? = nil, regionPath: [String] = [], zoneIDs: [String] = [],
        responsibleUnitCode: String? = nil,
        responsibleLeader: String? = nil, responsiblePersonID: String? = nil, cooperatingUnits: [String] = [],
        measures: String? = nil, deadlineBasis: String? = nil, deadlineProvisional: Bool = false,
        state: CaseState = CaseState(), alertID: String? = nil, isPublic: Bool = false, reporterName: String? = nil,
        reporterContact: String? = nil, serviceCode: String? = nil, mediaURL: String? = nil, createdAt: Int64,
        createdBy: String, updatedAt: Int64? = nil
    ) {
        self.id = id
        self.number = number
        self.source = source
        self.category = category
        self.severity = severity
        self.title = title
        self.description = description
        self.address = address
        self.location = location
        self.regionCode = regionCode
        self.regionPath = regionPath
        self.zoneIDs = zoneIDs
        self.responsibleUnitCode = responsibleUnitCode
        self.responsibleLeader = responsibleLeader
        self.responsiblePersonID = responsiblePersonID
        self.cooperatingUnits = cooperatingUnits
        self.measures = measures
        self.deadlineBasis = deadlineBasis
        self.deadlineProvisional = deadlineProvisional
        self.state = state
        self.alertID = alertID
        self.isPublic = isPublic
        self.reporterName = reporterName
        self.reporterContact = reporterContact
        self.serviceCode = serviceCode
        self.mediaURL = mediaURL
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt ?? createdAt
    }

    public func isOverdue(on day: CalendarDay) -> Bool { state.isOverdue(on: day) }
}

/// A deadline as people give it: a date, or a number of working days from a start day counted on the
/// official calendar (holidays skipped, make-up working days counted).
public enum CaseDeadline: Sendable, Hashable {
    case date(CalendarDay)
    case workingDays(Int)

    /// Parses `2026-12-31`, `2026年12月31日`, `2026年12月底前`, `15个工作日` / `15 working days`.
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let day = CalendarDay(text) {
            self = .date(day)
            return
        }
        let working = ["个工作日", "工作日", " working days", " working day"]
        for suffix in working where text.hasSuffix(suffix) {
            guard let count = Int(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)),
                (1...365).contains(count)
            else { return nil }
            self = .workingDays(count)
            return
        }
        // 2026年12月31日 / 2026年12月底前 / 2026年12月底
        let scalars = Array(text)
        guard let yearMark = scalars.firstIndex(of: "年"), let monthMark = scalars.firstIndex(of: "月"),
            yearMark < monthMark, let year = Int(String(scalars[..<yearMark])),
            let month = Int(String(scalars[(yearMark + 1)..<monthMark])), (1...12).contains(month)
        else { return nil }
        let rest = String(scalars[(monthMark + 1)...])
        if rest == "底" || rest == "底前" || rest == "月底前" {
            guard
                let end = CalendarDay(
                    String(format: "%04d-%02d-%02d", year, month, CalendarDay.days(inMonth: month, year: year)))
            else { return nil }
            self = .date(end)
            return
        }
        let dayText =
            rest.hasSuffix("日前") ? String(rest.dropLast(2)) : rest.hasSuffix("日") ? String(rest.dropLast()) : ""
        guard let dayNumber = Int(dayText),
            let day = CalendarDay(String(format: "%04d-%02d-%02d", year, month, dayNumber))
        else { return nil }
        self = .date(day)
    }

    /// The deadline day, counted from `start` (the day of assignment), whether it rests on an
    /// unpublished holiday arrangement, and how it was set (for the record).
    public func resolve(from start: CalendarDay, calendar: WorkingCalendar) -> (
        day: CalendarDay, provisional: Bool, basis: String
    ) {
        switch self {
        case .date(let day):
            return (day, false, "限期 \(day)")
        case .workingDays(let count):
            let (day, provisional) = calendar.adding(workingDays: count, to: start)
            let note = provisional ? "（\(day.year) 年放假安排未公布，暂按周末计 / provisional）" : ""
            return (day, provisional, "\(count) 个工作日（自 \(start) 起）\(note)")
        }
    }

    public static let accepted = "YYYY-MM-DD、YYYY年M月D日、YYYY年M月底前 或 N个工作日"
}

/// What a person gives to open a case; `problems` names every bad field.
public struct CaseDraft: Sendable, Hashable {
    public var source: CaseSource
    public var category: CaseCategory
    public var severity: CaseSeverity
    public var title: String
    public var description: String
    public var address: String?
    public var location: Coordinate?
    public var responsibleUnitCode: String?
    public var responsibleLeader: String?
    public var responsiblePersonID: String?
    public var cooperatingUnits: [String]
    public var measures: String?
    /// Set: the case is assigned (交办) on creation with this deadline.
    public var deadline: CaseDeadline?
    public var number: String?
    public var alertID: String?
    public var isPublic: Bool
    public var reporterName: String?
    public var reporterContact: String?
    public var serviceCode: String?
    public var mediaURL: String?

    public init(
        source: CaseSource, category: CaseCategory, severity: CaseSeverity = .general, title: String,
        description: String, address: String? = nil, location: Coordinate? = nil, responsibleUnitCode: String? = nil,
        responsibleLeader: String? = nil, responsiblePersonID: String? = nil, cooperatingUnits: [String] = [],
        measures: String? = nil, deadline: CaseDeadline? = nil, number: String? = nil, alertID: String? = nil,
        isPublic: Bool = false, reporterName: String? = nil, reporterContact: String? = nil, serviceCode: String? = nil,
        mediaURL: String? = nil
    ) {
        self.source = source
        self.category = category
        self.severity = severity
        self.title = title
        self.description = description
        self.address = address
        self.location = location
        self.responsibleUnitCode = responsibleUnitCode
        self.responsibleLeader = responsibleLeader
        self.responsiblePersonID = responsiblePersonID
        self.cooperatingUnits = cooperatingUnits
        self.measures = measures
        self.deadline = deadline
        self.number = number
        self.alertID = alertID
        self.isPublic = isPublic
        self.reporterName = reporterName
        self.reporterContact = reporterContact
        self.serviceCode = serviceCode
        self.mediaURL = mediaURL
    }

    /// Every bad field as (field, message), Chinese first.
    public var problems: [(field: String, message: String)] {
        var problems: [(String, String)] = []
        func text(_ field: String, _ value: String?, required: Bool, limit: Int) {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if required, trimmed.isEmpty { problems.append((field, "\(field) 不能为空 / \(field) is required")) }
            if let value, value.count > limit {
                problems.append((field, "\(field) 不超过 \(limit) 字 / \(field) must be at most \(limit) characters"))
            }
        }
        text("title", title, required: true, limit: 200)
        text("description", description, required: true, limit: 5_000)
        text("address", address, required: false, limit: 300)
        text("measures", measures, required: false, limit: 5_000)
        text("responsibleLeader", responsibleLeader, required: false, limit: 100)
        text("number", number, required: false, limit: 64)
        text("reporterName", reporterName, required: false, limit: 100)
        text("reporterContact", reporterContact, required: false, limit: 200)
        text("mediaURL", mediaURL, required: false, limit: 1_000)
        if let location, !location.isValid {
            problems.append(("location", "坐标超出范围 / longitude must be −180…180 and latitude −90…90"))
        }
        if location == nil, (address ?? "").allSatisfy(\.isWhitespace) {
            problems.append(("location", "需给出位置坐标或地址 / give the location (longitude, latitude) or an address"))
        }
        if cooperatingUnits.count > 20 {
            problems.append(("cooperatingUnits", "配合单位不超过 20 个 / at most 20 cooperating units"))
        }
        if let responsibleUnitCode, cooperatingUnits.contains(responsibleUnitCode) {
            problems.append(
                ("cooperatingUnits", "责任单位不能同时是配合单位 / the responsible unit cannot also cooperate"))
        }
        return problems
    }
}

/// One recorded step of a case: who, when, what, the note and the evidence.
public struct CaseEvent: Sendable, Hashable, Codable {
    public var seq: Int64
    public var caseID: String
    public var at: Int64
    /// A `CaseAction` raw value, or `created`.
    public var action: String
    public var actor: String
    public var actorRole: String?
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus
    public var note: String?
    public var evidence: [String]
    public var outcome: CaseOutcome?
    public var deadline: CalendarDay?

    public init(
        seq: Int64, caseID: String, at: Int64, action: String, actor: String, actorRole: String?,
        fromStatus: CaseStatus?, toStatus: CaseStatus, note: String?, evidence: [String], outcome: CaseOutcome?,
        deadline: CalendarDay?
    ) {
        self.seq = seq
        self.caseID = caseID
        self.at = at
        self.action = action
        self.actor = actor
        self.actorRole = actorRole
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.note = note
        self.evidence = evidence
        self.outcome = outcome
        self.deadline = deadline
    }

    public var actionName: String {
        action == "created" ? "登记" : CaseAction(rawValue: action)?.displayName ?? action
    }
}
