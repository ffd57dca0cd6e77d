/// The ambient air-quality standard whose concentration limits apply.
public enum LimitStandard: String, CaseIterable, Sendable, Hashable, Codable {
    /// GB 3095-2012 (+ 2018 amendment), until 2026-02-28.
    case gb3095_2012
    /// GB 3095—2026 transitional limits (过渡阶段), 2026-03-01 … 2030-12-31.
    case gb3095_2026Transitional
    /// GB 3095—2026 final limits, from 2031-01-01.
    case gb3095_2026Final

    /// The limits in force on `date` (STANDARDS §0 and §2.2 [S2]).
    public static func inForce(on date: CivilDate) -> LimitStandard {
        if date < CivilDate(year: 2026, month: 3, day: 1) { return .gb3095_2012 }
        if date < CivilDate(year: 2031, month: 1, day: 1) { return .gb3095_2026Transitional }
        return .gb3095_2026Final
    }
}

/// Grade 1 applies in Class-1 zones, grade 2 in Class-2 zones (urban; what city assessment uses).
public enum LimitGrade: Int, Sendable, Hashable, Codable {
    case one = 1
    case two = 2
}

/// Averaging time of a concentration limit.
public enum LimitAveraging: String, Sendable, Hashable, Codable {
    case annual
    case twentyFourHour
    case eightHour
    case oneHour
}

public enum ConcentrationLimits {
    /// The limit of `pollutant` at `averaging`, nil where the standard sets none.
    /// µg/m³, CO mg/m³.
    public static func limit(
        _ pollutant: Pollutant, _ averaging: LimitAveraging, standard: LimitStandard, grade: LimitGrade = .two
    ) -> Double? {
        guard let row = table(standard)[Key(pollutant: pollutant, averaging: averaging)] else { return nil }
        return grade == .one ? row.0 : row.1
    }

    private struct Key: Hashable {
        let pollutant: Pollutant
        let averaging: LimitAveraging
    }

    private static func table(_ standard: LimitStandard) -> [Key: (Double, Double)] {
        switch standard {
        case .gb3095_2012: limits2012
        case .gb3095_2026Transitional: limits2026Transitional
        case .gb3095_2026Final: limits2026Final
        }
    }

    // GB 3095-2012 Table 1 and Table 2 (STANDARDS §2.1 [S2]): (grade 1, grade 2).
    private static let limits2012: [Key: (Double, Double)] = [
        Key(pollutant: .so2, averaging: .annual): (20, 60),
        Key(pollutant: .so2, averaging: .twentyFourHour): (50, 150),
        Key(pollutant: .so2, averaging: .oneHour): (150, 500),
        Key(pollutant: .no2, averaging: .annual): (40, 40),
        Key(pollutant: .no2, averaging: .twentyFourHour): (80, 80),
        Key(pollutant: .no2, averaging: .oneHour): (200, 200),
        Key(pollutant: .co, averaging: .twentyFourHour): (4, 4),
        Key(pollutant: .co, averaging: .oneHour): (10, 10),
        Key(pollutant: .o3, averaging: .eightHour): (100, 160),
        Key(pollutant: .o3, averaging: .oneHour): (160, 200),
        Key(pollutant: .pm10, averaging: .annual): (40, 70),
        Key(pollutant: .pm10, averaging: .twentyFourHour): (50, 150),
        Key(pollutant: .pm25, averaging: .annual): (15, 35),
        Key(pollutant: .pm25, averaging: .twentyFourHour): (35, 75),
        Key(pollutant: .tsp, averaging: .annual): (80, 200),
        Key(pollutant: .tsp, averaging: .twentyFourHour): (120, 300),
        Key(pollutant: .nox, averaging: .annual): (50, 50),
        Key(pollutant: .nox, averaging: .twentyFourHour): (100, 100),
        Key(pollutant: .nox, averaging: .oneHour): (250, 250),
    ]

    // GB 3095—2026 Table 1, transitional (STANDARDS §2.2: [S2] PM2.5/PM10 grade 2, [S1] other
    // changed cells; verify against the official PDF). Only PM10 and PM2.5 change.
    private static let limits2026Transitional: [Key: (Double, Double)] = limits2012.merging([
        Key(pollutant: .pm10, averaging: .annual): (40, 60),
        Key(pollutant: .pm10, averaging: .twentyFourHour): (50, 120),
        Key(pollutant: .pm25, averaging: .annual): (15, 30),
        Key(pollutant: .pm25, averaging: .twentyFourHour): (35, 60),
    ]) { _, new in new }

    // GB 3095—2026 Table 1 and Table 2, final from 2031-01-01 (STANDARDS §2.2 [S1]/[S2]).
    private static let limits2026Final: [Key: (Double, Double)] = limits2012.merging([
        Key(pollutant: .so2, averaging: .annual): (20, 20),
        Key(pollutant: .so2, averaging: .twentyFourHour): (50, 50),
        Key(pollutant: .so2, averaging: .oneHour): (150, 150),
        Key(pollutant: .no2, averaging: .annual): (30, 30),
        Key(pollutant: .no2, averaging: .twentyFourHour): (50, 50),
        Key(pollutant: .pm10, averaging: .annual): (20, 50),
        Key(pollutant: .pm10, averaging: .twentyFourHour): (50, 100),
        Key(pollutant: .pm25, averaging: .annual): (10, 25),
        Key(pollutant: .pm25, averaging: .twentyFourHour): (25, 50),
        Key(pollutant: .nox, averaging: .annual): (50, 40),
        Key(pollutant: .nox, averaging: .twentyFourHour): (100, 70),
    ]) { _, new in new }
}
