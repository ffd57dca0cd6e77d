import Foundation

extension ResponsibleUnit {
    public static let maximumCodeLength = 64
    public static let maximumNameLength = 128

    /// Every problem with the unit's own fields (whether its region and parent exist is the store's to check).
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        if code.isEmpty {
            problems.append(FieldProblem(field: "code", message: "单位编码必填 / code is required"))
        } else if code.count > Self.maximumCodeLength
            || !code.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.".unicodeScalars.contains($0))
            })
        {
            problems.append(
                FieldProblem(
                    field: "code",
                    message: "单位编码只能由字母、数字和 - _ . 组成，最长 \(Self.maximumCodeLength) 个字符"
                        + " / code must be letters, digits, '-', '_' or '.', at most \(Self.maximumCodeLength) long"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem(field: "name", message: "单位名称必填 / name is required"))
        } else if name.count > Self.maximumNameLength {
            problems.append(
                FieldProblem(
                    field: "name",
                    message: "单位名称不能超过 \(Self.maximumNameLength) 个字符 / name is longer than \(Self.maximumNameLength)"))
        }
        if let parentCode, parentCode == code {
            problems.append(FieldProblem(field: "parentCode", message: "上级单位不能是自己 / a unit cannot be its own parent"))
        }
        return problems
    }

    /// The problem with `text` as a unit kind, naming the kinds there are.
    public static func kindProblem(_ text: String, field: String = "kind") -> FieldProblem {
        let choices = UnitKind.allCases.map { "\($0.rawValue)（\($0.displayName)）" }.joined(separator: "、")
        return FieldProblem(
            field: field,
            message: "单位类型“\(text)”无效，应为 \(choices) / kind must be one of "
                + UnitKind.allCases.map(\.rawValue).joined(separator: ", "))
    }
}

/// A change to some fields of a unit; `.some(nil)` clears the region or the parent. The code never changes.
public struct UnitPatch: Sendable, Hashable {
    public var name: String?
    public var kind: UnitKind?
    public var regionCode: String??
    public var parentCode: String??

    public init(name: String? = nil, kind: UnitKind? = nil, regionCode: String?? = nil, parentCode: String?? = nil) {
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.parentCode = parentCode
    }

    public func applied(to unit: ResponsibleUnit) -> ResponsibleUnit {
        ResponsibleUnit(
            code: unit.code, name: name ?? unit.name, kind: kind ?? unit.kind,
            regionCode: regionCode ?? unit.regionCode,
            parentCode: parentCode ?? unit.parentCode)
    }
}

/// A change to some fields of a person; `.some(nil)` clears phone, unit or title.
public struct PersonPatch: Sendable, Hashable {
    public var name: String?
    public var phone: String??
    public var unitCode: String??
    public var title: String??

    public init(name: String? = nil, phone: String?? = nil, unitCode: String?? = nil, title: String?? = nil) {
        self.name = name
        self.phone = phone
        self.unitCode = unitCode
        self.title = title
    }

    public func applied(to person: Person) -> Person {
        Person(
            id: person.id, name: name ?? person.name, phone: phone ?? person.phone,
            unitCode: unitCode ?? person.unitCode,
            title: title ?? person.title)
    }
}
