import AirQuality

/// A reading as people and other systems write it: every field text, exactly as received. Used by the
/// HTTP JSON batches (`POST /api/v1/readings`) and the readings CSV (docs/readings-csv.md).
///
/// - `station`: station code (`1001A`).
/// - `time`: ISO 8601 with an offset (see ``ISO8601Time``). For minute, hour and day data it is the
///   **start** of the period, as HJ 212 `DataTime` is (HJ 212-2017 §6.3.3, STANDARDS §4.5): an hour
///   reading for 08:00–09:00 China time says `08:00:00+08:00`. A day starts at 00:00 China time.
/// - `code`: HJ 212 pollutant code (`a34004`).
/// - `value`: a number; may be absent only when `flag` is not `N` (a device in maintenance sends a flag
///   and no value). Absent means empty or one of the missing markers `lantian aqi` accepts (`—`, `NA`…).
/// - `flag`: the HJ 212-2017 Table 8 data flag (STANDARDS §4.9), `N` when absent.
/// - `period`: `realtime`, `minute`, `hour` or `day`.
/// - `unit`: optional; the unit the value is in (`µg/m³`, `mg/m³`…). Conversion is the validator's job:
///   pass ``measurementUnit()`` as `unit:` to ``ReadingValidator/validate(_:now:unit:)``.
public struct ReadingRow: Sendable, Hashable, Codable {
    public var station: String
    public var time: String
    public var code: String
    public var value: String?
    public var flag: String?
    public var period: String?
    public var unit: String?

    public init(
        station: String, time: String, code: String, value: String?, flag: String? = nil, period: String?,
        unit: String? = nil
    ) {
        self.station = station
        self.time = time
        self.code = code
        self.value = value
        self.flag = flag
        self.period = period
        self.unit = unit
    }

    private enum CodingKeys: String, CodingKey {
        case station, time, code, value, flag, period, unit
    }

    /// JSON clients send `value` as a number (`35.2`) or, from spreadsheets, as a string (`"35.2"`);
    /// both are accepted, and `null` or no `value` at all means absent. Every other field is a string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        station = try container.decode(String.self, forKey: .station)
        time = try container.decode(String.self, forKey: .time)
        code = try container.decode(String.self, forKey: .code)
        if try !container.contains(.value) || container.decodeNil(forKey: .value) {
            value = nil
        } else if let number = try? container.decode(Double.self, forKey: .value) {
            value = HJ212Number.format(number) ?? String(number)
        } else {
            value = try container.decode(String.self, forKey: .value)
        }
        flag = try container.decodeIfPresent(String.self, forKey: .flag)
        period = try container.decodeIfPresent(String.self, forKey: .period)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
    }

    /// The reading the row describes, or the first thing wrong with it. Units are not converted here.
    public func reading(source: ReadingSource) -> Result<Reading, RejectionReason> {
        let stationCode = station.trimmingSpaces()
        guard !stationCode.isEmpty else { return .failure(.missingField("station")) }
        let pollutantCode = code.trimmingSpaces()
        guard !pollutantCode.isEmpty else { return .failure(.missingField("code")) }
        let readingPeriod: ReadingPeriod
        switch Self.period(period) {
        case .success(let parsed): readingPeriod = parsed
        case .failure(let reason): return .failure(reason)
        }
        let seconds: Int64
        switch Self.time(time, period: readingPeriod) {
        case .success(let parsed): seconds = parsed
        case .failure(let reason): return .failure(reason)
        }
        let readingFlag = flag.map { $0.trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 } ?? "N"
        var number: Double?
        if let text = value, !MissingValue.isMissing(Substring(text)) {
            let trimmed = text.trimmingSpaces()
            guard let parsed = Double(trimmed), parsed.isFinite else { return .failure(.notANumber(trimmed)) }
            number = parsed
        } else if readingFlag == "N" {
            // HJ 212-2017 Table 8: N means the instrument worked, so a value must be there.
            return .failure(.missingField("value"))
        }
        return .success(
            Reading(
                stationCode: stationCode, code: pollutantCode, period: readingPeriod, time: seconds, value: number,
                flag: readingFlag, source: source))
    }

    /// The unit the row states: nil when it states none, `.unitMismatch` when it cannot be read.
    public func measurementUnit() -> Result<MeasurementUnit?, RejectionReason> {
        guard let unit, !unit.trimmingSpaces().isEmpty else { return .success(nil) }
        guard let parsed = MeasurementUnit(text: unit) else {
            return .failure(.unitMismatch(code: code.trimmingSpaces(), unit: unit))
        }
        return .success(parsed)
    }

    /// The reading with the unit it is stated in, ready for ``ReadingValidator``.
    public func imported(source: ReadingSource) -> Result<ImportedReading, RejectionReason> {
        reading(source: source).flatMap { reading in
            measurementUnit().map { ImportedReading(reading: reading, unit: $0) }
        }
    }

    static func period(_ text: String?) -> Result<ReadingPeriod, RejectionReason> {
        let name = (text ?? "").trimmingSpaces()
        guard !name.isEmpty else { return .failure(.missingField("period")) }
        guard let period = ReadingPeriod(rawValue: name.lowercased()) else {
            return .failure(
                .malformed(
                    "未知时段“\(name)”，应为 realtime、minute、hour 或 day / unknown period \"\(name)\"; expected realtime, minute, hour or day"
                ))
        }
        return .success(period)
    }

    /// The time, which for minute, hour and day data must be the period start (HJ 212-2017 §6.3.3
    /// DataTime rule, STANDARDS §4.5): 08:30 is not the start of any hour, so it cannot label one.
    static func time(_ text: String, period: ReadingPeriod) -> Result<Int64, RejectionReason> {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { return .failure(.missingField("time")) }
        return ISO8601Time.parse(trimmed).flatMap { seconds in
            let china = ChinaDateTime(secondsSinceEpoch: seconds)
            let aligned: Bool
            let rule: String
            switch period {
            case .realtime: return .success(seconds)
            case .minute:
                aligned = china.second == 0
                rule = "分钟数据的时间须为该分钟开始（秒为 00） / a minute reading must start on the minute"
            case .hour:
                aligned = china.minute == 0 && china.second == 0
                rule = "小时数据的时间须为该小时开始（整点） / an hour reading must start on the hour"
            case .day:
                aligned = china.hour == 0 && china.minute == 0 && china.second == 0
                rule = "日数据的时间须为北京时间 00:00 / a day reading must start at 00:00 China time"
            }
            return aligned ? .success(seconds) : .failure(.badTime("\(trimmed)（\(rule)）"))
        }
    }
}

/// A parsed reading and the unit its source states (nil: the station's registered unit, else canonical).
/// Pass `unit` to ``ReadingValidator/validate(_:now:unit:)``, which converts.
public struct ImportedReading: Sendable, Hashable {
    public var reading: Reading
    public var unit: MeasurementUnit?

    public init(reading: Reading, unit: MeasurementUnit? = nil) {
        self.reading = reading
        self.unit = unit
    }
}
