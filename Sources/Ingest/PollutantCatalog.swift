import AirQuality

/// What Lantian knows about a monitored item: its name, the unit values are stored in, and the range a
/// real instrument can produce. Codes are HJ 212-2017 Appendix B (HJ 524-2009 air codes; STANDARDS §4.10 [T]),
/// plus `a05024` (O3), used by every air station although Table B.2 omits it (STANDARDS §4.10 [S2]).
public struct PollutantInfo: Sendable, Hashable {
    public var code: String
    public var name: String
    /// The unit stored values of this code are in. Ambient concentrations use the HJ 633 units
    /// (µg/m³, CO mg/m³) because AQI is computed from them; emission concentrations use mg/m³.
    public var unit: MeasurementUnit
    /// Values outside this range cannot come from a working instrument: rejected as absurd.
    public var plausible: ClosedRange<Double>

    public init(code: String, name: String, unit: MeasurementUnit, plausible: ClosedRange<Double>) {
        self.code = code
        self.name = name
        self.unit = unit
        self.plausible = plausible
    }
}

public enum PollutantCatalog {
    /// The codes Lantian accepts. Plausible ranges are engineering bounds (well beyond any recorded
    /// episode — Beijing's hourly PM2.5 peaked near 1,000 µg/m³ — but below what only a broken
    /// device or a unit mistake produces); they are not taken from a standard.
    public static let all: [PollutantInfo] = [
        // Ambient air: the six AQI pollutants in HJ 633 units.
        PollutantInfo(code: "a34004", name: "PM2.5", unit: .microgramPerCubicMetre, plausible: 0...5_000),
        PollutantInfo(code: "a34002", name: "PM10", unit: .microgramPerCubicMetre, plausible: 0...10_000),
        PollutantInfo(code: "a21026", name: "SO2", unit: .microgramPerCubicMetre, plausible: 0...20_000),
        PollutantInfo(code: "a21004", name: "NO2", unit: .microgramPerCubicMetre, plausible: 0...10_000),
        PollutantInfo(code: "a21005", name: "CO", unit: .milligramPerCubicMetre, plausible: 0...500),
        PollutantInfo(code: "a05024", name: "O3", unit: .microgramPerCubicMetre, plausible: 0...5_000),
        PollutantInfo(code: "a34001", name: "TSP", unit: .microgramPerCubicMetre, plausible: 0...50_000),
        PollutantInfo(code: "a34005", name: "PM1.0", unit: .microgramPerCubicMetre, plausible: 0...5_000),
        PollutantInfo(code: "a21003", name: "NO", unit: .microgramPerCubicMetre, plausible: 0...10_000),
        PollutantInfo(code: "a21002", name: "NOx", unit: .microgramPerCubicMetre, plausible: 0...20_000),
        PollutantInfo(code: "a99054", name: "TVOC", unit: .milligramPerCubicMetre, plausible: 0...1_000),
        // Meteorology (HJ 212-2017 Table B.2).
        PollutantInfo(code: "a01001", name: "温度", unit: .degreeCelsius, plausible: -70...70),
        PollutantInfo(code: "a01002", name: "湿度", unit: .percent, plausible: 0...100),
        PollutantInfo(code: "a01006", name: "气压", unit: .kilopascal, plausible: 30...120),
        PollutantInfo(code: "a01007", name: "风速", unit: .metrePerSecond, plausible: 0...100),
        PollutantInfo(code: "a01008", name: "风向", unit: .degree, plausible: 0...360),
        // Emission sources (CEMS) and process values, mg/m³ as in Table B.2.
        PollutantInfo(code: "a34013", name: "烟尘", unit: .milligramPerCubicMetre, plausible: 0...100_000),
        PollutantInfo(code: "a00000", name: "废气流量", unit: .cubicMetrePerSecond, plausible: 0...100_000),
        PollutantInfo(code: "a19001", name: "氧含量", unit: .percent, plausible: 0...100),
        PollutantInfo(code: "a01011", name: "烟气流速", unit: .metrePerSecond, plausible: 0...200),
        PollutantInfo(code: "a01012", name: "烟气温度", unit: .degreeCelsius, plausible: -70...1_500),
        PollutantInfo(code: "a01013", name: "烟气压力", unit: .kilopascal, plausible: -100...1_000),
        PollutantInfo(code: "a01014", name: "烟气湿度", unit: .percent, plausible: 0...100),
        PollutantInfo(code: "a24088", name: "非甲烷总烃", unit: .milligramPerCubicMetre, plausible: 0...100_000),
        PollutantInfo(code: "a21001", name: "氨", unit: .milligramPerCubicMetre, plausible: 0...100_000),
        PollutantInfo(code: "a21028", name: "硫化氢", unit: .milligramPerCubicMetre, plausible: 0...100_000),
        // Water (HJ 525-2009 codes in Table B.1), for completeness of source monitors.
        PollutantInfo(code: "w01018", name: "化学需氧量", unit: .milligramPerLitre, plausible: 0...100_000),
        PollutantInfo(code: "w21003", name: "氨氮", unit: .milligramPerLitre, plausible: 0...10_000),
        PollutantInfo(code: "w01001", name: "pH", unit: .none, plausible: 0...14),
        PollutantInfo(code: "w00000", name: "污水流量", unit: .litrePerSecond, plausible: 0...1_000_000),
    ]

    static let byCode: [String: PollutantInfo] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    public static func info(_ code: String) -> PollutantInfo? { byCode[code] }

    /// Emission monitors (CEMS) report gases in mg/m³ (HJ 212-2017 Table B.2); for those stations
    /// ambient gas codes are stored in mg/m³ too, and the AQI is never computed from them.
    public static func info(_ code: String, emission: Bool) -> PollutantInfo? {
        guard var info = byCode[code] else { return nil }
        if emission, info.unit == .microgramPerCubicMetre {
            info.unit = .milligramPerCubicMetre
            info.plausible = info.plausible.lowerBound...(info.plausible.upperBound * 10)
        }
        return info
    }
}

extension PollutantCatalog {
    /// The HJ 212 codes of the six HJ 633 pollutants (HJ 212-2017 Table B.2; O3 per STANDARDS §4.10 [S2]).
    public static let aqiCodes: [(code: String, pollutant: Pollutant)] = [
        ("a21026", .so2), ("a21004", .no2), ("a34002", .pm10), ("a21005", .co), ("a05024", .o3), ("a34004", .pm25),
    ]

    public static func code(of pollutant: Pollutant) -> String {
        aqiCodes.first { $0.pollutant == pollutant }!.code
    }

    public static func pollutant(code: String) -> Pollutant? {
        aqiCodes.first { $0.code == code }?.pollutant
    }
}
