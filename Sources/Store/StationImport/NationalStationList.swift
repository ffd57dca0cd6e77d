import AirQuality
import Campaign
import Foundation

/// The national monitoring-station list (国控点列表, as in `../shared/data/stations/NewSiteList_utf8.csv`):
/// `监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区`, UTF-8, one station per line.
public enum NationalStationList {
    /// The columns an import reads; the others (对照点, 省级行政区) may be present or not.
    public static let codeColumn = "监测点编码"
    public static let nameColumn = "监测点名称"
    public static let cityColumn = "城市"
    public static let longitudeColumn = "经度"
    public static let latitudeColumn = "纬度"
    public static let prefectureColumn = "地级行政区"

    /// What every station of the list reports: the six AQI pollutants in the units of HJ 633 (code order).
    public static let aqiPollutants: [ReportedPollutant] = [
        ReportedPollutant(code: "a05024", unit: "ug/m3"),  // O3
        ReportedPollutant(code: "a21004", unit: "ug/m3"),  // NO2
        ReportedPollutant(code: "a21005", unit: "mg/m3"),  // CO
        ReportedPollutant(code: "a21026", unit: "ug/m3"),  // SO2
        ReportedPollutant(code: "a34002", unit: "ug/m3"),  // PM10
        ReportedPollutant(code: "a34004", unit: "ug/m3"),  // PM2.5
    ]

    /// A line that keeps the file out, or one that is left out on purpose.
    public struct LineNote: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String

        public var description: String { "第 \(line) 行 / line \(line): \(reason)" }
    }

    public struct Parsed: Sendable {
        /// The stations to register, in file order.
        public var stations: [Station]
        /// Rows left out: the list has a few stations without coordinates, which cannot be placed on a map.
        public var skipped: [LineNote]
        /// Bad rows: any of them means nothing may be imported.
        public var problems: [LineNote]
    }

    /// Reads the list. Rows outside `city` (matched against 城市 or 地级行政区) are ignored; rows with both
    /// coordinates empty are skipped; every other bad row is reported, with the reason.
    public static func parse(_ text: String, kind: StationKind = .national, city: String? = nil) -> Parsed {
        var parsed = Parsed(stations: [], skipped: [], problems: [])
        let records = CSVReader.records(text)
        guard let header = records.first else {
            parsed.problems.append(LineNote(line: 1, reason: "文件为空 / the file is empty"))
            return parsed
        }
        let index = Dictionary(header.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let required = [codeColumn, nameColumn, cityColumn, longitudeColumn, latitudeColumn]
        let missing = required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            parsed.problems.append(
                LineNote(
                    line: header.line,
                    reason: "缺少列 \(missing.joined(separator: "、")) / missing columns \(missing.joined(separator: ", "))"
                        + "（应为 / expected: 监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区）"))
            return parsed
        }
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            func field(_ column: String) -> String? {
                guard let position = index[column], record.fields.indices.contains(position) else { return nil }
                return record.fields[position].trimmingCharacters(in: .whitespaces)
            }
            guard record.fields.count >= required.compactMap({ index[$0] }).max()! + 1 else {
                parsed.problems.append(
                    LineNote(
                        line: record.line,
                        reason: "只有 \(record.fields.count) 列，应有 \(header.fields.count) 列"
                            + " / \(record.fields.count) fields, expected \(header.fields.count)"))
                continue
            }
            if let city, field(cityColumn) != city, field(prefectureColumn) != city { continue }
            let code = field(codeColumn) ?? ""
            let (longitudeText, latitudeText) = (field(longitudeColumn) ?? "", field(latitudeColumn) ?? "")
            if longitudeText.isEmpty && latitudeText.isEmpty {
                parsed.skipped.append(
                    LineNote(line: record.line, reason: "站点 \(code) 没有经纬度，未导入 / station \(code) has no coordinates"))
                continue
            }
            var reasons: [String] = []
            let longitude = number(longitudeText, chinese: "经度", english: "longitude", into: &reasons)
            let latitude = number(latitudeText, chinese: "纬度", english: "latitude", into: &reasons)
            let station = Station(
                code: code, name: field(nameColumn) ?? "", kind: kind,
                coordinate: Coordinate(longitude: longitude ?? 0, latitude: latitude ?? 0),
                pollutants: aqiPollutants)
            for problem in StationValidator.problems(station)
            where !(problem.field == "longitude" && longitude == nil)
                && !(problem.field == "latitude" && latitude == nil)
            {
                reasons.append(problem.message)
            }
            if !code.isEmpty {
                if let earlier = firstLine[code] {
                    reasons.append("编码 \(code) 与第 \(earlier) 行重复 / code \(code) already on line \(earlier)")
                } else {
                    firstLine[code] = record.line
                }
            }
            if reasons.isEmpty {
                parsed.stations.append(station)
            } else {
                parsed.problems.append(LineNote(line: record.line, reason: reasons.joined(separator: "；")))
            }
        }
        if let city, parsed.stations.isEmpty, parsed.problems.isEmpty, parsed.skipped.isEmpty {
            parsed.problems.append(
                LineNote(line: header.line, reason: "没有城市为“\(city)”的站点 / no station in city \"\(city)\""))
        }
        return parsed
    }

    private static func number(_ text: String, chinese: String, english: String, into reasons: inout [String])
        -> Double?
    {
        if text.isEmpty {
            reasons.append("\(chinese)为空 / \(english) is empty")
            return nil
        }
        guard let value = Double(text), value.isFinite else {
            reasons.append("\(chinese)“\(text)”不是数字 / \(english) \"\(text)\" is not a number")
            return nil
        }
        return value
    }
}
