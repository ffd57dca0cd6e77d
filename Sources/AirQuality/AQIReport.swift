/// A problem with one input line, Chinese first then English (`中文 / English`).
public struct AQIReportProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number in the input text (1 = header).
    public let line: Int
    /// The column at fault, when there is one.
    public let field: String?
    public let message: String

    public init(line: Int, field: String?, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        "第 \(line) 行" + (field.map { " [\($0)]" } ?? "") + ": \(message)"
    }
}

/// One output row of the report.
public struct AQIReportRow: Sendable, Hashable {
    public let line: Int
    public let station: String
    public let time: ChinaDateTime?
    /// Nil when no rule set could be chosen (time unreadable under `--rules auto`).
    public let result: AQIResult?
}

/// `lantian aqi FILE --format cnemc|csv [--rules auto|2012|2026] [--mode realtime|daily]`:
/// reads a file's text and prints `station,time,aqi,level,category,primary_pollutants` for every row.
public struct AQIReport: Sendable {
    public static let header = "station,time,aqi,level,category,primary_pollutants"

    /// The CSV text: the header and one line per input row, each ending in `\n`.
    public let csv: String
    public let rows: [AQIReportRow]
    public let problems: [AQIReportProblem]

    /// Builds the report. Pure: no I/O.
    ///
    /// - `format: .cnemc` reads the CNEMC release columns (minding the swapped ozone columns) and
    ///   names primary pollutants as CNEMC does (`细颗粒物(PM2.5)`, ties joined by `,`, `—` when
    ///   AQI ≤ 50). `format: .csv` names them by code (`PM2.5`, `O3_1h`, …) joined by `;`, empty
    ///   when none.
    /// - Rows that cannot produce an AQI still print a line with an empty `aqi` and get a problem.
    public static func make(
        text: String, format: AQIReportFormat, rules: RuleSelection = .auto, mode: AQIMode = .realtime,
        options: AQIOptions = .standard
    ) -> AQIReport {
        var builder = Builder(format: format, rules: rules, mode: mode, options: options)
        builder.read(CSVReader.records(text))
        return AQIReport(csv: builder.output, rows: builder.rows, problems: builder.problems)
    }

    /// The primary-pollutant cell: CNEMC names joined by `,` (`—` when none), or codes joined by `;`.
    public static func primaryPollutantText(_ items: AQIItemSet, format: AQIReportFormat) -> String {
        switch format {
        case .cnemc: items.isEmpty ? "—" : items.items.map(\.chineseName).joined(separator: ",")
        case .csv: items.items.map(\.code).joined(separator: ";")
        }
    }

    private struct Builder {
        let format: AQIReportFormat
        let rules: RuleSelection
        let mode: AQIMode
        let options: AQIOptions
        let layout: ColumnLayout
        var output = AQIReport.header + "\n"
        var rows: [AQIReportRow] = []
        var problems: [AQIReportProblem] = []

        init(format: AQIReportFormat, rules: RuleSelection, mode: AQIMode, options: AQIOptions) {
            self.format = format
            self.rules = rules
            self.mode = mode
            self.options = options
            self.layout = ColumnLayout.layout(format, mode: mode)
        }

        mutating func read(_ records: [CSVRecord]) {
            guard let headerRecord = records.first else {
                problems.append(AQIReportProblem(line: 1, field: nil, message: "文件为空，缺少表头 / empty file: no header"))
                return
            }
            let header = headerRecord.fields.map(ColumnLayout.normalise)
            func column(_ names: [String]) -> Int? {
                names.lazy.compactMap { header.firstIndex(of: ColumnLayout.normalise($0)) }.first
            }
            let stationIndex = column([layout.stationColumn])
            let timeIndex = column([layout.timeColumn])
            for (name, index) in [(layout.stationColumn, stationIndex), (layout.timeColumn, timeIndex)]
            where index == nil {
                problems.append(
                    AQIReportProblem(
                        line: headerRecord.line, field: name, message: "缺少列 \(name) / missing column \(name)"))
            }
            var fieldColumns: [(field: AQIInputField, name: String, index: Int)] = []
            for (field, names) in layout.fields {
                if let index = column(names) {
                    fieldColumns.append((field, headerRecord.fields[index], index))
                } else if layout.required.contains(field) {
                    problems.append(
                        AQIReportProblem(
                            line: headerRecord.line, field: names[0],
                            message: "缺少列 \(names[0])，按缺测处理 / missing column \(names[0]), treated as missing"))
                }
            }
            for record in records.dropFirst() {
                readRow(record, stationIndex: stationIndex, timeIndex: timeIndex, fieldColumns: fieldColumns)
            }
        }

        mutating func readRow(
            _ record: CSVRecord, stationIndex: Int?, timeIndex: Int?,
            fieldColumns: [(field: AQIInputField, name: String, index: Int)]
        ) {
            let fields = record.fields
            func cell(_ index: Int?) -> Substring? {
                guard let index, index < fields.count else { return nil }
                return Substring(fields[index]).trimmingSpaces
            }
            let station = cell(stationIndex).map(String.init) ?? ""
            let timeText = cell(timeIndex) ?? ""
            let time = ChinaDateTime.parse(timeText)
            if time == nil {
                problem(
                    record, layout.timeColumn, "时间“\(timeText)”无法识别（应为 ISO 8601）/ time \"\(timeText)\" is not ISO 8601")
            }
            var input = AQIInput()
            var columnOfField: [AQIInputField: String] = [:]
            var unreadable: Set<AQIInputField> = []
            for column in fieldColumns {
                columnOfField[column.field] = column.name
                guard let text = cell(column.index), !MissingValue.isMissing(text) else { continue }
                if let number = Double(text) {
                    input[keyPath: column.field.keyPath] = number
                } else {
                    let error = InvalidConcentration(
                        pollutant: column.field.pollutant, value: .nan, reason: .unreadable(String(text)))
                    problem(record, column.name, error.description)
                    unreadable.insert(column.field)
                    input[keyPath: column.field.keyPath] = .nan  // keeps the AQI from being published
                }
            }
            let ruleSet: AQIRuleSet?
            switch rules {
            case .fixed(let fixed): ruleSet = fixed
            case .auto: ruleSet = time.map { rules.ruleSet(for: mode, labelledAt: $0) }
            }
            guard let ruleSet else {
                problem(record, layout.timeColumn, "无法按日期选择标准版本，未计算 AQI / no date to choose the rule set: no AQI")
                emit(record, station: station, time: nil, result: nil)
                return
            }
            let result = AQICalculator.compute(input, mode: mode, ruleSet: ruleSet, options: options)
            for invalid in result.invalid {
                let field = invalid.item.map { AQIInputField.field(for: $0) } ?? .so2
                if unreadable.contains(field) { continue }  // already reported with its text
                problem(record, columnOfField[field] ?? invalid.pollutant.rawValue, invalid.description)
            }
            explainUnavailable(record, result)
            emit(record, station: station, time: time, result: result)
        }

        mutating func explainUnavailable(_ record: CSVRecord, _ result: AQIResult) {
            let missing = result.missing.items.map(\.code).joined(separator: ", ")
            switch result.value {
            case .index:
                break
            case .beyondScale:
                problem(record, nil, "AQI 超过 500，无数值（六级 严重污染）/ AQI above 500: no number (level 6, severely polluted)")
            case .notAvailable(.noData):
                problem(record, nil, "无有效浓度，无法计算 AQI / no valid concentration: no AQI")
            case .notAvailable(.invalidInput):
                problem(record, nil, "存在无效浓度，不发布 AQI / an invalid concentration: AQI not published")
            case .notAvailable(.incompleteData):
                problem(
                    record, nil,
                    "缺少 \(missing)，按\(policyName(result.ruleSet)) AQI 记为 NA / missing \(missing): AQI is NA under the incomplete-data rule"
                )
            }
        }

        func policyName(_ ruleSet: AQIRuleSet) -> String {
            switch options.incompleteData.resolved(for: ruleSet) {
            case .hj633_2026: "HJ 633—2026 5.3.1（AQI ≤ 100）"
            default: "完整数据要求"
            }
        }

        mutating func problem(_ record: CSVRecord, _ field: String?, _ message: String) {
            problems.append(AQIReportProblem(line: record.line, field: field, message: message))
        }

        mutating func emit(_ record: CSVRecord, station: String, time: ChinaDateTime?, result: AQIResult?) {
            rows.append(AQIReportRow(line: record.line, station: station, time: time, result: result))
            // A generic daily row is labelled by its date: printed as the day's start, 00:00+08:00.
            let dayLabel = mode == .daily && format == .csv
            let timeText = time.map { dayLabel ? $0.date.start.iso8601 : $0.iso8601 } ?? ""
            let aqi = result?.aqi.map(String.init) ?? ""
            let level = result?.level
            let primary: String
            if let result, result.level != nil {
                primary = AQIReport.primaryPollutantText(result.primaryPollutants, format: format)
            } else {
                primary = ""
            }
            let cells = [
                station, timeText, aqi, level?.chineseLevel ?? "", level?.chineseCategory ?? "", primary,
            ]
            output += cells.map(CSVReader.escape).joined(separator: ",") + "\n"
        }
    }
}
