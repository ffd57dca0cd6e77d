import AirQuality

/// Lantian's generic readings CSV (`lantian import readings FILE`; docs/readings-csv.md). One reading
/// per row, every row read through ``ReadingRow`` (source `.csv`), so the CSV and the HTTP JSON batch
/// obey the same rules.
///
/// - A header row is required. Columns `station, time, code, value, period` are required, `flag` and
///   `unit` optional; names are compared case-insensitively, in any order; other columns are ignored.
/// - `time`: ISO 8601 with an offset (`2024-01-05T08:00:00+08:00`, `2024-01-05T00:00:00Z`); for minute,
///   hour and day data the **start** of the period (HJ 212-2017 §6.3.3 DataTime rule, STANDARDS §4.5).
/// - `value` may be empty (or `—`, `NA`) only when `flag` is not `N`; `flag` defaults to `N`.
/// - `unit` (optional): the value's unit (`µg/m³`, `mg/m³`, `hPa`…); converted to the code's canonical
///   unit by the validator. Without it the station's registered unit applies.
/// - Fields holding a comma are double-quoted (RFC 4180).
///
/// ```
/// station,time,code,value,flag,period,unit
/// 1001A,2024-01-05T08:00:00+08:00,a34004,35,N,hour,
/// 1001A,2024-01-05T08:00:00+08:00,a21005,800,N,hour,µg/m³
/// 1001A,2024-01-05T08:00:00+08:00,a21026,,M,hour,
/// ```
public struct ReadingsCSVFormat: ReadingFileFormat {
    let station: Int
    let time: Int
    let code: Int
    let value: Int
    let period: Int
    let flag: Int?
    let unit: Int?
    let fieldCount: Int

    public init(header: [String]) throws(RejectionReason) {
        station = try Self.column("station", in: header)
        time = try Self.column("time", in: header)
        code = try Self.column("code", in: header)
        value = try Self.column("value", in: header)
        period = try Self.column("period", in: header)
        flag = try? Self.column("flag", in: header)
        unit = try? Self.column("unit", in: header)
        fieldCount = [station, time, code, value, period].max()! + 1
    }

    public func read(_ fields: [String], line: Int, into batch: inout ImportBatch) {
        batch.rowCount += 1
        guard fields.count >= fieldCount else {
            batch.reject(
                line,
                .malformed("只有 \(fields.count) 列，需要 \(fieldCount) 列 / \(fields.count) fields, \(fieldCount) needed"))
            return
        }
        func optional(_ index: Int?) -> String? { index.flatMap { $0 < fields.count ? fields[$0] : nil } }
        let row = ReadingRow(
            station: fields[station], time: fields[time], code: fields[code], value: fields[value],
            flag: optional(flag), period: fields[period], unit: optional(unit))
        switch row.imported(source: .csv) {
        case .success(let imported):
            batch.readings.append(imported)
        case .failure(let reason):
            let stationCode = row.station.trimmingSpaces()
            let pollutant = row.code.trimmingSpaces()
            batch.reject(
                line, reason, station: stationCode.isEmpty ? nil : stationCode,
                code: pollutant.isEmpty ? nil : pollutant)
        }
    }
}
