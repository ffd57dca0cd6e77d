import AirQuality
import Campaign

/// One bad row of an organisation CSV file: where it is and why.
public struct ImportProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based line of the file (the header is line 1).
    public var line: Int
    /// The column at fault, by its header name; `*` for the whole row.
    public var column: String
    public var reason: String

    public init(line: Int, column: String, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "第 \(line) 行 \(column) 列：\(reason)" }
}

/// A CSV file read by header name, with Chinese header aliases.
struct OrganisationCSV {
    struct Row {
        var line: Int
        var values: [String: String]

        /// The trimmed value, nil when empty or the column is absent.
        subscript(_ column: String) -> String? {
            guard let value = values[column]?.trimmingWhitespace, !value.isEmpty else { return nil }
            return value
        }
    }

    var rows: [Row] = []
    var problems: [ImportProblem] = []

    /// `columns`: canonical name → accepted aliases. `required` must be in the header.
    init(_ text: String, columns: [String: [String]], required: [String]) {
        var records = CSVReader.records(text)[...]
        guard let header = records.popFirst() else {
            problems.append(ImportProblem(line: 1, column: "*", reason: "文件为空，缺少表头 / the file is empty: no header"))
            return
        }
        var names: [String?] = []
        for raw in header.fields {
            let name = raw.trimmingWhitespace.lowercased()
            let canonical = columns.first { $0.key == name || $0.value.contains(name) }?.key
            if canonical == nil, !name.isEmpty {
                problems.append(
                    ImportProblem(
                        line: header.line, column: raw,
                        reason: "未知列“\(raw)”，可用列：\(columns.keys.sorted().joined(separator: ","))"
                            + " / unknown column; the columns are \(columns.keys.sorted().joined(separator: ","))"))
            }
            names.append(canonical)
        }
        for column in required where !names.contains(column) {
            problems.append(
                ImportProblem(line: header.line, column: column, reason: "缺少必需的列 / required column is missing"))
        }
        guard problems.isEmpty else { return }
        for record in records {
            if record.fields.count != names.count {
                problems.append(
                    ImportProblem(
                        line: record.line, column: "*",
                        reason: "有 \(record.fields.count) 个字段，表头有 \(names.count) 列"
                            + " / \(record.fields.count) fields but the header has \(names.count) columns"))
                continue
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) { if let name { values[name] = value } }
            rows.append(Row(line: record.line, values: values))
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}

extension UnitKind {
    /// A kind written as its code (`township`) or its Chinese name (`乡镇（街道）`, `乡镇`, `街道`).
    init?(csv text: String) {
        let aliases: [String: UnitKind] = [
            "指挥部": .command, "攻坚组": .taskGroup, "专班": .taskGroup, "县": .county, "区": .county, "县（区）": .county,
            "乡镇": .township, "街道": .township, "乡镇（街道）": .township, "部门": .department, "职能部门": .department,
            "园区管委会": .parkCommittee, "管委会": .parkCommittee, "督导组": .supervisionGroup,
        ]
        guard let kind = UnitKind(rawValue: text) ?? aliases[text] else { return nil }
        self = kind
    }
}
