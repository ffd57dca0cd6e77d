import Foundation

/// Someone with a part in the campaign: a leader, an official of a unit, a grid worker, a duty officer.
public struct Person: Sendable, Hashable, Codable {
    public var id: UUID
    public var name: String
    /// A mainland mobile (`13800000001`, `138-0000-0001`) or a landline with its area code (`010-12345678`).
    public var phone: String?
    /// The unit the person works for.
    public var unitCode: String?
    /// 职务, e.g. 镇长, 副县长, 网格员.
    public var title: String?

    public init(id: UUID = UUID(), name: String, phone: String? = nil, unitCode: String? = nil, title: String? = nil) {
        self.id = id
        self.name = name
        self.phone = phone
        self.unitCode = unitCode
        self.title = title
    }

    public static let maximumNameLength = 64
    public static let maximumTitleLength = 64

    /// Every problem with the person's own fields (references to units are the store's to check).
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            problems.append(FieldProblem(field: "name", message: "姓名必填 / name is required"))
        } else if name.count > Self.maximumNameLength {
            problems.append(
                FieldProblem(
                    field: "name",
                    message: "姓名不能超过 \(Self.maximumNameLength) 个字符 / name is longer than \(Self.maximumNameLength)"))
        }
        if let phone, !PhoneNumber.isValid(phone) {
            problems.append(
                FieldProblem(
                    field: "phone",
                    message: "电话“\(phone)”格式无效，应为 11 位手机号（如 138-0000-0001）或带区号的固定电话（如 010-12345678）"
                        + " / phone must be an 11-digit mobile number or a landline with its area code"))
        }
        if let title, title.count > Self.maximumTitleLength {
            problems.append(
                FieldProblem(
                    field: "title",
                    message: "职务不能超过 \(Self.maximumTitleLength) 个字符 / title is longer than \(Self.maximumTitleLength)"))
        }
        return problems
    }
}

/// Telephone numbers as people write them in China.
public enum PhoneNumber {
    /// A mainland mobile number (1, then 3–9, then nine digits), or a landline: area code 0 + 2–3 digits and a
    /// 7–8 digit number, optionally with an extension. Spaces and hyphens between groups are allowed.
    public static func isValid(_ text: String) -> Bool {
        let groups = text.split(whereSeparator: { $0 == "-" || $0 == " " }).map(String.init)
        guard !groups.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
            text.first?.isASCIIDigit == true, text.last?.isASCIIDigit == true
        else { return false }
        let digits = groups.joined()
        if digits.hasPrefix("1") {
            return digits.count == 11 && ("3"..."9").contains(digits.dropFirst().prefix(1))
        }
        guard digits.hasPrefix("0") else { return false }
        // 0 + area code (3–4 digits with the 0), the local number (7–8), an optional extension.
        switch groups.count {
        case 1: return (10...12).contains(digits.count)
        case 2: return (3...4).contains(groups[0].count) && (7...8).contains(groups[1].count)
        case 3:
            return (3...4).contains(groups[0].count) && (7...8).contains(groups[1].count)
                && (1...6).contains(groups[2].count)
        default: return false
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// The three tiers of grid management (网格化管理).
public enum GridLevel: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// 一级网格: the township (乡镇、街道).
    case first = 1
    /// 二级网格: a village or community.
    case second = 2
    /// 三级网格: a block, a plot, a site.
    case third = 3

    public var displayName: String {
        switch self {
        case .first: "一级网格"
        case .second: "二级网格"
        case .third: "三级网格"
        }
    }

    public static func < (lhs: GridLevel, rhs: GridLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A grid worker (网格员) answering for a grid: a region of level grid, or a township for the first level.
public struct GridAssignment: Sendable, Hashable, Codable {
    public var id: UUID
    public var personID: UUID
    public var regionCode: String
    public var level: GridLevel
    public var startsOn: CalendarDay?
    public var endsOn: CalendarDay?

    public init(
        id: UUID = UUID(), personID: UUID, regionCode: String, level: GridLevel, startsOn: CalendarDay? = nil,
        endsOn: CalendarDay? = nil
    ) {
        self.id = id
        self.personID = personID
        self.regionCode = regionCode
        self.level = level
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    public var term: DayRange { DayRange(from: startsOn, through: endsOn) }

    public var problems: [FieldProblem] {
        if let startsOn, let endsOn, endsOn < startsOn {
            return [
                FieldProblem(
                    field: "endsOn", message: "结束日期 \(endsOn) 早于开始日期 \(startsOn) / endsOn is before startsOn")
            ]
        }
        return []
    }

    /// Whether a region of `level` can carry a grid assignment of `gridLevel`: the first level is the
    /// township; the second and third are grids.
    public static func problem(gridLevel: GridLevel, regionLevel: RegionLevel, regionCode: String) -> FieldProblem? {
        switch (gridLevel, regionLevel) {
        case (.first, .township), (.first, .grid), (.second, .grid), (.third, .grid): return nil
        default:
            return FieldProblem(
                field: "regionCode",
                message: "区域 \(regionCode) 是\(regionLevel.displayName)，不能设\(gridLevel.displayName)"
                    + "（一级网格为乡镇或网格，二、三级网格为网格）"
                    + " / region \(regionCode) is a \(regionLevel.rawValue): level 1 needs a township or grid,"
                    + " levels 2 and 3 a grid")
        }
    }
}
