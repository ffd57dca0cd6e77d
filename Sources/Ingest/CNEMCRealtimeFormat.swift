import AirQuality

/// The CNEMC real-time release flattened to CSV (`GetAQIDataPublishLives`, data/SOURCES.md §2): one row
/// per national station and hour. Each row gives up to six **hour** readings (source `.cnemc`, flag `N`):
/// a34004 PM2.5, a34002 PM10, a21026 SO2, a21004 NO2, a21005 CO (mg/m³) and a05024 O3, all in their
/// canonical units. The columns are the ones `lantian aqi --format cnemc` reads in real-time mode
/// (``ColumnLayout/layout(_:mode:)``), so both commands agree on the feed's **swapped ozone names**:
/// the latest 1-hour O3 is in `O3_24h`, not `O3`. The 24-hour and 8-hour columns are moving statistics,
/// not readings, and are not imported. `—` (U+2014) is a missing value.
///
/// **Time.** `TimePoint` is China time (UTC+8) and labels the hour by its **end** (GB 3095 / HJ 663
/// labelling, STANDARDS §2.5); the reading's time is the period start (HJ 212-2017 §6.3.3 DataTime rule,
/// STANDARDS §4.5): `TimePoint` minus one hour.
public struct CNEMCRealtimeFormat: ReadingFileFormat {
    let timePoint: Int
    let station: Int
    let values: [(index: Int, column: String, code: String, unit: MeasurementUnit)]
    let fieldCount: Int

    public init(header: [String]) throws(RejectionReason) {
        let layout = ColumnLayout.layout(.cnemc, mode: .realtime)
        timePoint = try Self.column(layout.timeColumn, in: header)
        station = try Self.column(layout.stationColumn, in: header)
        var values: [(index: Int, column: String, code: String, unit: MeasurementUnit)] = []
        for (field, names) in layout.fields {
            // SO2_24h (a 24-hour mean kept for the 2012 SO2 > 800 rule) and O3_8h are not hour readings.
            guard field != .so2TwentyFourHour, field != .o3EightHour, let column = names.first else { continue }
            guard let code = PollutantCatalog.code(of: field.pollutant) else { continue }
            let unit: MeasurementUnit = field.pollutant == .co ? .milligramPerCubicMetre : .microgramPerCubicMetre
            values.append((try Self.column(column, in: header), column, code, unit))
        }
        self.values = values
        fieldCount = ([timePoint, station] + values.map(\.index)).max()! + 1
    }

    public func read(_ fields: [String], line: Int, into batch: inout ImportBatch) {
        batch.rowCount += 1
        guard fields.count >= fieldCount else {
            batch.reject(
                line,
                .malformed("只有 \(fields.count) 列，需要 \(fieldCount) 列 / \(fields.count) fields, \(fieldCount) needed"))
            return
        }
        let code = fields[station].trimmingSpaces()
        guard !code.isEmpty else {
            batch.reject(line, .missingField("StationCode"))
            return
        }
        let text = fields[timePoint].trimmingSpaces()
        guard let label = ChinaDateTime.parse(Substring(text)) else {
            batch.reject(line, .badTime(text), station: code)
            return
        }
        guard label.minute == 0, label.second == 0 else {
            batch.reject(line, .badTime("\(text)（TimePoint 须为整点 / TimePoint must be on the hour）"), station: code)
            return
        }
        let start = label.secondsSinceEpoch - 3600  // hour-end label → period start
        for value in values {
            switch CellValue(fields[value.index]) {
            case .missing:
                batch.missing += 1
            case .invalid(let text):
                batch.reject(line, .notANumber("\(value.column)=\(text)"), station: code, code: value.code)
            case .number(let number):
                let reading = Reading(
                    stationCode: code, code: value.code, period: .hour, time: start, value: number, source: .cnemc)
                batch.readings.append(ImportedReading(reading: reading, unit: value.unit))
            }
        }
    }
}

extension PollutantCatalog {
    /// The HJ 212 code of an ambient pollutant (HJ 212-2017 Appendix B; a05024 for O3, STANDARDS §4.10).
    public static func code(of pollutant: Pollutant) -> String? {
        switch pollutant {
        case .so2: "a21026"
        case .no2: "a21004"
        case .co: "a21005"
        case .o3: "a05024"
        case .pm10: "a34002"
        case .pm25: "a34004"
        case .nox: "a21002"
        case .tsp: "a34001"
        }
    }
}
