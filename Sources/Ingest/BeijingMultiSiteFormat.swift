import AirQuality

/// The UCI "Beijing Multi-Site Air-Quality Data" files (`PRSA_Data_<Station>_20130301-20170228.csv`,
/// data/SOURCES.md §1): `No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,station`,
/// one row per station and hour, missing values `NA`.
///
/// Each row gives up to nine **hour** readings (source `.beijing`, flag `N`): a34004 PM2.5, a34002 PM10,
/// a21026 SO2, a21004 NO2, a21005 CO, a05024 O3 (µg/m³ — **CO too**, so CO is passed with unit µg/m³ and
/// the validator converts it to mg/m³), a01001 TEMP (°C), a01006 PRES (hPa, converted to kPa) and a01007
/// WSPM (m/s). DEWP, RAIN and the compass wind direction `wd` have no reading here. `NA` counts as
/// ``ImportBatch/missing``, not as a rejection.
///
/// **Time.** The file's `year, month, day, hour` is read as a China-time (UTC+8) hour label in the
/// convention of the CNEMC/Beijing releases the data came from: the label names the hour **ending** at
/// that time (GB 3095 / HJ 663 labelling, STANDARDS §2.5). A reading's time is the period **start**
/// (HJ 212-2017 §6.3.3 DataTime rule, STANDARDS §4.5), so it is the label minus one hour: the row
/// `2013,3,1,0` (label 2013-03-01 00:00) is stored as the hour 2013-02-28T23:00+08:00 – 24:00.
/// The UCI documentation does not say which end of the hour its label marks; this follows the source agency.
public struct BeijingMultiSiteFormat: ReadingFileFormat {
    /// Station name in the `station` column → national station code (data/SOURCES.md §1).
    public static let stationCodes: [String: String] = [
        "Wanshouxigong": "1001A", "Dingling": "1002A", "Dongsi": "1003A", "Tiantan": "1004A",
        "Nongzhanguan": "1005A", "Guanyuan": "1006A", "Wanliu": "1007A", "Shunyi": "1008A", "Huairou": "1009A",
        "Changping": "1010A", "Aotizhongxin": "1011A", "Gucheng": "1012A",
    ]

    /// Column → HJ 212 code and the unit the file uses for it (units per data/SOURCES.md §1).
    public static let items: [(column: String, code: String, unit: MeasurementUnit)] = [
        ("PM2.5", "a34004", .microgramPerCubicMetre), ("PM10", "a34002", .microgramPerCubicMetre),
        ("SO2", "a21026", .microgramPerCubicMetre), ("NO2", "a21004", .microgramPerCubicMetre),
        ("CO", "a21005", .microgramPerCubicMetre), ("O3", "a05024", .microgramPerCubicMetre),
        ("TEMP", "a01001", .degreeCelsius), ("PRES", "a01006", .hectopascal), ("WSPM", "a01007", .metrePerSecond),
    ]

    let year: Int
    let month: Int
    let day: Int
    let hour: Int
    let station: Int
    let values: [(index: Int, code: String, unit: MeasurementUnit)]
    let fieldCount: Int

    public init(header: [String]) throws(RejectionReason) {
        year = try Self.column("year", in: header)
        month = try Self.column("month", in: header)
        day = try Self.column("day", in: header)
        hour = try Self.column("hour", in: header)
        station = try Self.column("station", in: header)
        var values: [(index: Int, code: String, unit: MeasurementUnit)] = []
        for item in Self.items {
            values.append((try Self.column(item.column, in: header), item.code, item.unit))
        }
        self.values = values
        fieldCount = ([year, month, day, hour, station] + values.map(\.index)).max()! + 1
    }

    public func read(_ fields: [String], line: Int, into batch: inout ImportBatch) {
        batch.rowCount += 1
        guard fields.count >= fieldCount else {
            batch.reject(
                line,
                .malformed("只有 \(fields.count) 列，需要 \(fieldCount) 列 / \(fields.count) fields, \(fieldCount) needed"))
            return
        }
        let name = fields[station].trimmingSpaces()
        guard let code = Self.stationCodes[name] else {
            batch.reject(line, .unknownStation(name), station: name)
            return
        }
        let parts = [year, month, day, hour].map { Int(fields[$0].trimmingSpaces()) }
        guard let y = parts[0], let m = parts[1], let d = parts[2], let h = parts[3], (0...23).contains(h),
            let label = ChinaDateTime(year: y, month: m, day: d, hour: h)
        else {
            let text = [year, month, day, hour].map { fields[$0] }.joined(separator: "-")
            batch.reject(line, .badTime("\(text)（年-月-日-时 / year-month-day-hour）"), station: code)
            return
        }
        let start = label.secondsSinceEpoch - 3600  // hour-ending label → period start (see the type's comment)
        for value in values {
            switch CellValue(fields[value.index]) {
            case .missing:
                batch.missing += 1
            case .invalid(let text):
                batch.reject(line, .notANumber(text), station: code, code: value.code)
            case .number(let number):
                let reading = Reading(
                    stationCode: code, code: value.code, period: .hour, time: start, value: number, source: .beijing)
                batch.readings.append(ImportedReading(reading: reading, unit: value.unit))
            }
        }
    }
}
