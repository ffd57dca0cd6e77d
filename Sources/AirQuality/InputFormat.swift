/// Input formats the AQI report reads.
public enum AQIReportFormat: String, CaseIterable, Sendable, Hashable {
    /// The CNEMC real-time release (`GetAQIDataPublishLives` flattened to CSV, data/SOURCES.md §2).
    case cnemc
    /// Lantian's generic CSV (docs/aqi.md): `station,time` and one column per pollutant.
    case csv
}

/// A concentration field of `AQIInput`.
public enum AQIInputField: String, CaseIterable, Sendable, Hashable {
    case so2, so2TwentyFourHour, no2, co, o3OneHour, o3EightHour, pm10, pm25

    public var pollutant: Pollutant {
        switch self {
        case .so2, .so2TwentyFourHour: .so2
        case .no2: .no2
        case .co: .co
        case .o3OneHour, .o3EightHour: .o3
        case .pm10: .pm10
        case .pm25: .pm25
        }
    }

    var keyPath: WritableKeyPath<AQIInput, Double?> {
        switch self {
        case .so2: \.so2
        case .so2TwentyFourHour: \.so2TwentyFourHour
        case .no2: \.no2
        case .co: \.co
        case .o3OneHour: \.o3OneHour
        case .o3EightHour: \.o3EightHour
        case .pm10: \.pm10
        case .pm25: \.pm25
        }
    }

    /// The field an AQI item reads in `mode` (for naming the source column in problems).
    static func field(for item: AQIItem) -> AQIInputField {
        switch item {
        case .so2: .so2
        case .no2: .no2
        case .co: .co
        case .o3OneHour: .o3OneHour
        case .o3EightHour: .o3EightHour
        case .pm10: .pm10
        case .pm25: .pm25
        }
    }
}

/// Which column feeds which field, per format and mode.
public struct ColumnLayout: Sendable, Hashable {
    public let stationColumn: String
    public let timeColumn: String
    /// Field → accepted column names (first is the canonical one), compared after `normalise`.
    public let fields: [(field: AQIInputField, names: [String])]

    public static func == (lhs: ColumnLayout, rhs: ColumnLayout) -> Bool {
        lhs.stationColumn == rhs.stationColumn && lhs.timeColumn == rhs.timeColumn
            && lhs.fields.map(\.field) == rhs.fields.map(\.field) && lhs.fields.map(\.names) == rhs.fields.map(\.names)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(stationColumn)
        hasher.combine(fields.map(\.names))
    }

    /// Required fields: a missing column is reported once, as a problem on line 1.
    public let required: [AQIInputField]

    public static func layout(_ format: AQIReportFormat, mode: AQIMode) -> ColumnLayout {
        switch (format, mode) {
        case (.cnemc, .realtime):
            // data/SOURCES.md §2: the feed swaps the ozone names. `O3_24h` holds the latest
            // 1-hour O3 (verified: it reproduces 100 % of published AQIs; `O3` drops to 45–87 %).
            ColumnLayout(
                stationColumn: "StationCode", timeColumn: "TimePoint",
                fields: [
                    (.so2, ["SO2"]), (.so2TwentyFourHour, ["SO2_24h"]), (.no2, ["NO2"]), (.co, ["CO"]),
                    (.o3OneHour, ["O3_24h"]), (.o3EightHour, ["O3_8h"]), (.pm10, ["PM10"]), (.pm25, ["PM2_5"]),
                ], required: [.so2, .no2, .co, .o3OneHour, .pm10, .pm25])
        case (.cnemc, .daily):
            // An approximation from a real-time release: 24-hour moving means, the day's maximum
            // 8-hour O3 (`O3_8h_24h`) and the maximum 1-hour O3 of the last 24 h (the swapped `O3`).
            ColumnLayout(
                stationColumn: "StationCode", timeColumn: "TimePoint",
                fields: [
                    (.so2, ["SO2_24h"]), (.no2, ["NO2_24h"]), (.co, ["CO_24h"]), (.o3OneHour, ["O3"]),
                    (.o3EightHour, ["O3_8h_24h"]), (.pm10, ["PM10_24h"]), (.pm25, ["PM2_5_24h"]),
                ], required: [.so2, .no2, .co, .o3EightHour, .pm10, .pm25])
        case (.csv, .realtime):
            ColumnLayout(
                stationColumn: "station", timeColumn: "time",
                fields: [
                    (.so2, ["SO2"]), (.so2TwentyFourHour, ["SO2_24h"]), (.no2, ["NO2"]), (.co, ["CO"]),
                    (.o3OneHour, ["O3", "O3_1h"]), (.o3EightHour, ["O3_8h"]), (.pm10, ["PM10"]),
                    (.pm25, ["PM2.5", "PM2_5", "PM25"]),
                ], required: [.so2, .no2, .co, .o3OneHour, .pm10, .pm25])
        case (.csv, .daily):
            ColumnLayout(
                stationColumn: "station", timeColumn: "time",
                fields: [
                    (.so2, ["SO2"]), (.no2, ["NO2"]), (.co, ["CO"]), (.o3OneHour, ["O3_1h", "O3"]),
                    (.o3EightHour, ["O3_8h"]), (.pm10, ["PM10"]), (.pm25, ["PM2.5", "PM2_5", "PM25"]),
                ], required: [.so2, .no2, .co, .o3EightHour, .pm10, .pm25])
        }
    }

    /// Case-insensitive and blind to `.`, `_`, `-`, spaces and brackets: `PM2.5` = `pm2_5` = `PM25`.
    public static func normalise(_ name: String) -> String {
        String(name.lowercased().filter { !".-_ ()（）".contains($0) })
    }
}

/// Text that stands for a missing value: empty, `—` (the CNEMC dash, U+2014), `-`, `NA`, `N/A`,
/// `null`. `NaN` is **not** missing: it is reported as an invalid value.
public enum MissingValue {
    public static func isMissing(_ text: Substring) -> Bool {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return true }
        switch trimmed.lowercased() {
        case "—", "-", "--", "na", "n/a", "null", "-;", "—;": return true
        default: return false
        }
    }
}
