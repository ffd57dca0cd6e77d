/// The rules a new deployment starts with; HQ edits them as data. The concentration limits are the
/// breakpoints of HJ 633-2012 Table 1 (STANDARDS §1.2) and the grade-2 limits of GB 3095-2012
/// Table 1 (STANDARDS §2.1); the other parameters are campaign practice, not standards, and are
/// labelled so.
public enum StandardAlertRules {
    public static let all: [AlertRule] = [
        // HJ 633-2012 Table 1: PM2.5 IAQI 150 ↔ 115 µg/m³ (the upper bound of 轻度污染), applied to the
        // hourly value as the campaign's 高值; 75 µg/m³ (IAQI 100, GB 3095-2012 grade-2 24-h limit) in zones.
        AlertRule(
            id: "pm25-hour-high", name: "PM2.5 小时高值 / PM2.5 hourly high",
            condition: .threshold(code: "a34004", period: .hour, limit: 115, zoneLimit: 75)),
        // HJ 633-2012 Table 1: PM10 IAQI 150 ↔ 250 µg/m³; IAQI 100 ↔ 150 µg/m³ (GB 3095-2012 grade 2, 24 h) in zones.
        AlertRule(
            id: "pm10-hour-high", name: "PM10 小时高值 / PM10 hourly high",
            condition: .threshold(code: "a34002", period: .hour, limit: 250, zoneLimit: 150)),
        // GB 3095-2012 Table 1: O3 1-h grade-2 limit 200 µg/m³ (= HJ 633-2012 O3 1h IAQI 100).
        AlertRule(
            id: "o3-hour-high", name: "臭氧小时高值 / O3 hourly high",
            condition: .threshold(code: "a05024", period: .hour, limit: 200, zoneLimit: nil)),
        // Campaign practice: a micro station at twice the median of its neighbours within 3 km (炮点).
        AlertRule(
            id: "pm25-relative-high", name: "PM2.5 炮点高值 / PM2.5 hot spot",
            condition: .relativeHigh(
                code: "a34004", factor: 2, radiusMetres: 3_000, minNeighbours: 3, minimumValue: 75),
            scope: AlertScope(stationKinds: [.micro, .township, .dust])),
        // Campaign practice: a rise of 50 µg/m³ within an hour to at least 75 µg/m³ (HJ 633 IAQI 100).
        AlertRule(
            id: "pm25-sudden-rise", name: "PM2.5 突升 / PM2.5 sudden rise",
            condition: .suddenRise(code: "a34004", rise: 50, minimumValue: 75)),
        AlertRule(
            id: "offline-60", name: "离线 60 分钟 / offline for an hour", condition: .offline(minutes: 60),
            severity: .notice),
        AlertRule(
            id: "pm25-flat-6h", name: "PM2.5 恒值 6 小时 / PM2.5 flat for 6 hours",
            condition: .flatLine(code: "a34004", hours: 6), severity: .notice),
        AlertRule(
            id: "pm25-zero-4h", name: "PM2.5 零值 4 小时 / PM2.5 zero for 4 hours",
            condition: .stuckAtZero(code: "a34004", hours: 4), severity: .notice),
        // Campaign practice: an official station at under half the micro stations around it for 3 hours.
        AlertRule(
            id: "pm25-interference", name: "疑似干扰国控/省控点 / suspected interference with a control station",
            condition: .interference(code: "a34004", ratio: 0.5, radiusMetres: 2_000, hours: 3, minNeighbours: 2),
            scope: AlertScope(stationKinds: [.national, .provincial]), severity: .severe),
    ]
}
