import AirQuality
import Foundation
import Testing

@testable import Campaign

/// The alert engine, rule by rule, on hand-made series and on the real Beijing series of December 2016.
@Suite("Alert engine")
struct AlertEngineTests {
    /// 2026-01-15 10:00 China time, an hour start.
    static let t0 = ChinaDateTime(year: 2026, month: 1, day: 15, hour: 10)!.secondsSinceEpoch
    static let hour: Int64 = 3600

    static func station(
        _ code: String, _ kind: StationKind = .micro, lon: Double = 116.40, lat: Double = 39.90,
        region: [String] = ["110101001", "110101", "110100"], zones: [String] = []
    ) -> AlertStation {
        AlertStation(
            code: code, kind: kind, coordinate: Coordinate(longitude: lon, latitude: lat), regionPath: region,
            zoneCodes: zones)
    }

    static func pm25(
        _ station: String, _ value: Double, at time: Int64 = t0, period: ObservationPeriod = .hour, flag: String? = "N"
    )
        -> Observation
    {
        Observation(stationCode: station, code: "a34004", period: period, time: time, value: value, flag: flag)
    }

    static func engine(_ rules: [AlertRule], _ stations: [AlertStation]) -> AlertEngine {
        AlertEngine(rules: rules, stations: stations, watchingSince: t0 - 7200)
    }

    // MARK: rule parameters

    @Test(arguments: [
        (AlertCondition.threshold(code: "a34004", period: .hour, limit: 115, zoneLimit: 75), ""),
        (.threshold(code: "a34004", period: .hour, limit: 0, zoneLimit: nil), "limit 必须为正数"),
        (.threshold(code: "a34004", period: .hour, limit: 75, zoneLimit: 115), "zoneLimit 不能高于 limit"),
        (.threshold(code: "", period: .hour, limit: 75, zoneLimit: nil), "code 必须为"),
        (
            .relativeHigh(code: "a34004", factor: 1, radiusMetres: 3000, minNeighbours: 3, minimumValue: 0),
            "factor 必须大于 1"
        ),
        (
            .relativeHigh(code: "a34004", factor: 2, radiusMetres: 3000, minNeighbours: 0, minimumValue: 0),
            "minNeighbours 至少为 1"
        ),
        (.suddenRise(code: "a34004", rise: -5, minimumValue: 0), "rise 必须为正数"),
        (.regionWorst(code: "a34004", count: 3, minCoverage: 1.5), "minCoverage 必须在 (0, 1] 内"),
        (.offline(minutes: 0), "minutes 至少为 1"),
        (.flatLine(code: "a34004", hours: 1), "hours 至少为 2"),
        (
            .interference(code: "a34004", ratio: 1.2, radiusMetres: 2000, hours: 3, minNeighbours: 2),
            "ratio 必须在 (0, 1) 内"
        ),
        (.emissionLimit(code: "a21026", period: .hour, limit: .nan), "limit 必须为正数"),
    ])
    func ruleParametersAreChecked(condition: AlertCondition, problem: String) {
        let problems = condition.problems
        if problem.isEmpty {
            #expect(problems.isEmpty)
        } else {
            #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
        }
    }

    @Test func invalidAndDisabledRulesAreNotEvaluated() {
        let bad = AlertRule(
            id: "bad", name: "bad", condition: .threshold(code: "a34004", period: .hour, limit: -1, zoneLimit: nil))
        var off = AlertRule(
            id: "off", name: "off", condition: .threshold(code: "a34004", period: .hour, limit: 1, zoneLimit: nil))
        off.enabled = false
        var engine = Self.engine([bad, off], [Self.station("M1")])
        #expect(engine.rules.isEmpty)
        #expect(engine.observe([Self.pm25("M1", 500)]).isEmpty)
    }

    // MARK: threshold and emission limit

    static let threshold = AlertRule(
        id: "pm25-hour-high", name: "PM2.5 小时高值",
        condition: .threshold(code: "a34004", period: .hour, limit: 115, zoneLimit: 75))

    @Test(arguments: [
        // value, in a zone, period, flag, expected threshold crossed (nil = no alert)
        (116.0, false, ObservationPeriod.hour, "N" as String?, 115.0 as Double?),
        (115.0, false, .hour, "N", nil),  // at the limit is not above it
        (100.0, false, .hour, "N", nil),
        (100.0, true, .hour, "N", 75.0),  // tighter inside a control zone
        (75.0, true, .hour, "N", nil),
        (300.0, false, .realtime, "N", nil),  // another period
        (300.0, false, .hour, "D", nil),  // flagged (instrument fault): stored, not alerted
        (300.0, false, .hour, nil, 115.0),  // no flag sent counts as valid
    ])
    func thresholdRule(value: Double, inZone: Bool, period: ObservationPeriod, flag: String?, expected: Double?) {
        var engine = Self.engine([Self.threshold], [Self.station("S1", .township, zones: inZone ? ["1001A-500"] : [])])
        let signals = engine.observe([Self.pm25("S1", value, period: period, flag: flag)])
        #expect(signals.map(\.threshold) == (expected.map { [$0] } ?? []))
        if let signal = signals.first {
            #expect(signal.ruleID == "pm25-hour-high" && signal.kind == .threshold && signal.value == value)
            #expect(signal.message.contains("超过"))
        }
    }

    @Test func theSameHourTwiceRaisesOneSignal() {
        var engine = Self.engine([Self.threshold], [Self.station("S1")])
        #expect(engine.observe([Self.pm25("S1", 200)]).count == 1)
        #expect(engine.observe([Self.pm25("S1", 210)]).isEmpty)
        #expect(engine.observe([Self.pm25("S1", 220, at: Self.t0 + Self.hour)]).count == 1)
    }

    @Test func unknownAndRetiredStationsAreIgnored() {
        var retired = Self.station("R1")
        retired.status = .retired
        var engine = Self.engine([Self.threshold], [retired])
        #expect(engine.observe([Self.pm25("R1", 500), Self.pm25("X9", 500)]).isEmpty)
    }

    @Test func emissionLimitAppliesToSourceMonitorsOnly() {
        let rule = AlertRule(
            id: "so2-limit", name: "SO2 超标排放", condition: .emissionLimit(code: "a21026", period: .hour, limit: 35))
        var engine = Self.engine([rule], [Self.station("CEMS1", .sourceMonitor), Self.station("M1", .micro)])
        let readings = ["CEMS1", "M1"].map {
            Observation(stationCode: $0, code: "a21026", period: .hour, time: Self.t0, value: 40)
        }
        let signals = engine.observe(readings)
        #expect(signals.map(\.stationCode) == ["CEMS1"])
        #expect(signals.first?.kind == .emissionLimit)
    }

    // MARK: scope

    @Test(arguments: [
        (AlertScope(stationKinds: [.micro]), "M1", 1, true),
        (AlertScope(stationKinds: [.national]), "M1", 1, false),
        (AlertScope(regionCodes: ["110101"]), "M1", 1, true),  // an ancestor of the station's region
        (AlertScope(regionCodes: ["110102"]), "M1", 1, false),
        (AlertScope(zonesOnly: true), "M1", 1, false),
        (AlertScope(zonesOnly: true), "Z1", 1, true),
        (AlertScope(months: [11, 12, 1, 2, 3]), "M1", 1, true),  // heating season, January
        (AlertScope(months: [11, 12, 1, 2, 3]), "M1", 7, false),
    ])
    func scopeDecidesWhereARuleApplies(scope: AlertScope, station: String, month: Int, applies: Bool) {
        var rule = Self.threshold
        rule.scope = scope
        let time = ChinaDateTime(year: 2026, month: month, day: 15, hour: 10)!.secondsSinceEpoch
        var engine = Self.engine([rule], [Self.station("M1"), Self.station("Z1", zones: ["1001A-1000"])])
        #expect(engine.observe([Self.pm25(station, 300, at: time)]).isEmpty == !applies)
    }

    // MARK: 炮点高值

    static let relative = AlertRule(
        id: "hot-spot", name: "炮点高值",
        condition: .relativeHigh(code: "a34004", factor: 2, radiusMetres: 3000, minNeighbours: 3, minimumValue: 75))

    /// M0 in the middle, M1…M4 about 1 km around it, FAR 20 km away.
    static let cluster = [
        station("M0"), station("M1", lon: 116.41), station("M2", lon: 116.39), station("M3", lat: 39.91),
        station("M4", lat: 39.89), station("FAR", lon: 116.65),
    ]

    @Test func aStationFarAboveItsNeighboursIsAHotSpot() {
        var engine = Self.engine([Self.relative], Self.cluster)
        let signals = engine.observe([
            Self.pm25("M1", 50), Self.pm25("M2", 60), Self.pm25("M3", 55), Self.pm25("M4", 70), Self.pm25("M0", 180),
            Self.pm25("FAR", 400),  // far away: not a neighbour, and no neighbours of its own
        ])
        #expect(signals.map(\.stationCode) == ["M0"])
        // Median of 50, 55, 60, 70 = 57.5; limit 2 × 57.5.
        #expect(signals.first?.threshold == 115)
        #expect(signals.first?.message.contains("中位数") == true)
    }

    @Test func theHotSpotIsFoundWhenTheNeighboursReportAfterIt() {
        var engine = Self.engine([Self.relative], Self.cluster)
        #expect(engine.observe([Self.pm25("M0", 180)]).isEmpty)  // no neighbours yet
        #expect(engine.observe([Self.pm25("M1", 50), Self.pm25("M2", 60)]).isEmpty)  // two of three
        #expect(engine.observe([Self.pm25("M3", 55)]).map(\.stationCode) == ["M0"])
        #expect(engine.observe([Self.pm25("M4", 70)]).isEmpty)  // already raised for this hour
    }

    @Test(arguments: [
        ([30.0, 35, 40], 72.0, false),  // above 2 × 35 but below the minimum value of 75
        ([30.0, 35, 40], 76.0, true),
        ([50.0, 55, 60], 109.0, false),  // below 2 × 55
        ([50.0, 55, 60], 111.0, true),
    ])
    func hotSpotNeedsTheMinimumAndTheFactor(neighbours: [Double], value: Double, raised: Bool) {
        var engine = Self.engine([Self.relative], Self.cluster)
        _ = engine.observe(zip(["M1", "M2", "M3"], neighbours).map { Self.pm25($0.0, $0.1) })
        let signals = engine.observe([Self.pm25("M0", value)])
        #expect(signals.contains { $0.stationCode == "M0" } == raised)
    }

    // MARK: sudden rise, flat line, zero

    @Test func aSuddenRiseWithinAnHour() {
        let rule = AlertRule(id: "rise", name: "突升", condition: .suddenRise(code: "a34004", rise: 50, minimumValue: 75))
        var engine = Self.engine([rule], [Self.station("M1")])
        let values: [Double] = [40, 60, 130, 150, 80, 200]
        var raisedAt: [Int] = []
        for (index, value) in values.enumerated() {
            if !engine.observe([Self.pm25("M1", value, at: Self.t0 + Int64(index) * Self.hour)]).isEmpty {
                raisedAt.append(index)
            }
        }
        // 60 → 130 (+70) and 80 → 200 (+120); 130 → 150 is only +20; 40 → 60 is below the minimum.
        #expect(raisedAt == [2, 5])
    }

    @Test func aRiseAcrossAGapIsNotARiseWithinAnHour() {
        let rule = AlertRule(id: "rise", name: "突升", condition: .suddenRise(code: "a34004", rise: 50, minimumValue: 75))
        var engine = Self.engine([rule], [Self.station("M1")])
        _ = engine.observe([Self.pm25("M1", 20)])
        #expect(engine.observe([Self.pm25("M1", 200, at: Self.t0 + 2 * Self.hour)]).isEmpty)
    }

    static let flat = AlertRule(id: "flat", name: "恒值", condition: .flatLine(code: "a34004", hours: 6))
    static let zero = AlertRule(id: "zero", name: "零值", condition: .stuckAtZero(code: "a34004", hours: 4))

    @Test(arguments: [
        ([42.0, 42, 42, 42, 42, 42], "flat"),
        ([42.0, 42, 42, 42, 42], ""),  // five hours only
        ([42.0, 42, 42, 43, 42, 42], ""),
        ([0.0, 0, 0, 0], "zero"),  // zeros are the zero rule's, not the flat line's
        ([0.0, 0, 0, 0, 0, 0], "zero"),
        ([0.0, 0, 0, 1], ""),
    ])
    func flatLinesAndZeros(values: [Double], expected: String) {
        var engine = Self.engine([Self.flat, Self.zero], [Self.station("M1")])
        var rules: Set<String> = []
        for (index, value) in values.enumerated() {
            for signal in engine.observe([Self.pm25("M1", value, at: Self.t0 + Int64(index) * Self.hour)]) {
                rules.insert(signal.ruleID)
            }
        }
        #expect(rules == (expected.isEmpty ? [] : [expected]))
    }

    @Test func aMissingHourBreaksAFlatLine() {
        var engine = Self.engine([Self.flat], [Self.station("M1")])
        var signals: [AlertSignal] = []
        for index in [0, 1, 2, 4, 5, 6, 7, 8] {
            signals += engine.observe([Self.pm25("M1", 42, at: Self.t0 + Int64(index) * Self.hour)])
        }
        #expect(signals.isEmpty)
        signals += engine.observe([Self.pm25("M1", 42, at: Self.t0 + 9 * Self.hour)])
        #expect(signals.count == 1)  // hours 4…9
    }

    // MARK: interference

    static let interference = AlertRule(
        id: "tamper", name: "疑似干扰",
        condition: .interference(code: "a34004", ratio: 0.5, radiusMetres: 2000, hours: 3, minNeighbours: 2))

    @Test func anOfficialStationFarBelowTheMicroStationsAroundIt() {
        let stations = [
            Self.station("1001A", .national), Self.station("M1", lon: 116.41), Self.station("M2", lon: 116.39),
            Self.station("T1", .township, lat: 39.91),
        ]
        var engine = Self.engine([Self.interference], stations)
        var raisedAt: [Int] = []
        // The official station reads a third of its micro stations for four hours, then recovers.
        let official: [Double] = [60, 30, 28, 31, 35, 150]
        for (index, value) in official.enumerated() {
            let time = Self.t0 + Int64(index) * Self.hour
            // Micro stations arrive after the official one: the rule is judged again when they do.
            var signals = engine.observe([Self.pm25("1001A", value, at: time), Self.pm25("T1", 20, at: time)])
            signals += engine.observe([Self.pm25("M1", 95, at: time), Self.pm25("M2", 100, at: time)])
            if signals.contains(where: { $0.stationCode == "1001A" }) { raisedAt.append(index) }
            #expect(!signals.contains { $0.stationCode != "1001A" })
        }
        // Hours 1, 2, 3 below 0.5 × 97.5: raised at hour 3 (three in a row) and again at hour 4.
        #expect(raisedAt == [3, 4])
    }

    @Test func interferenceNeedsEnoughMicroStations() {
        var engine = Self.engine(
            [Self.interference], [Self.station("1001A", .national), Self.station("M1", lon: 116.41)])
        var signals: [AlertSignal] = []
        for index in 0..<5 {
            let time = Self.t0 + Int64(index) * Self.hour
            signals += engine.observe([Self.pm25("1001A", 10, at: time), Self.pm25("M1", 200, at: time)])
        }
        #expect(signals.isEmpty)
    }

    // MARK: worst of the region

    @Test func theWorstOfARegionOnceEnoughStationsReported() {
        let rule = AlertRule(
            id: "worst", name: "排名靠后", condition: .regionWorst(code: "a34004", count: 2, minCoverage: 0.75))
        let stations =
            (1...8).map { Self.station("T\($0)", .township, region: ["110105"]) } + [
                Self.station("OTHER", .township, region: ["110106"])
            ]
        var engine = Self.engine([rule], stations)
        let values: [Double] = [40, 80, 35, 120, 60, 55]  // T1…T6: 6 of 8 = 75 %
        #expect(
            engine.observe(values.prefix(5).enumerated().map { Self.pm25("T\($0.offset + 1)", $0.element) }).isEmpty)
        let signals = engine.observe([Self.pm25("T6", values[5]), Self.pm25("OTHER", 500)])
        #expect(Set(signals.map(\.stationCode)) == ["T4", "T2"])
        #expect(engine.observe([Self.pm25("T7", 10)]).isEmpty)  // the same two, already raised
        #expect(engine.observe([Self.pm25("T8", 100)]).map(\.stationCode) == ["T8"])
    }

    // MARK: offline

    @Test func offlineOncePerOutage() {
        let rule = AlertRule(id: "offline", name: "离线", condition: .offline(minutes: 60))
        var engine = Self.engine([rule], [Self.station("M1"), Self.station("M2")])
        _ = engine.observe([Self.pm25("M1", 20, period: .realtime), Self.pm25("M2", 20, period: .realtime, flag: "D")])
        #expect(engine.sweep(now: Self.t0 + 59 * 60).isEmpty)
        let first = engine.sweep(now: Self.t0 + 61 * 60)
        #expect(Set(first.map(\.stationCode)) == ["M1", "M2"])  // a flagged value still proves it was alive
        #expect(engine.sweep(now: Self.t0 + 120 * 60).isEmpty)  // the same outage
        _ = engine.observe([Self.pm25("M1", 20, at: Self.t0 + 130 * 60, period: .realtime)])
        #expect(engine.sweep(now: Self.t0 + 191 * 60).map(\.stationCode) == ["M1"])  // a new outage
    }

    /// An hourly value is labelled with the hour's start and arrives after the hour: it proves the station
    /// alive until the hour's end. A station reporting every hour is never offline between two reports.
    @Test func anHourlyStationIsAliveUntilTheEndOfItsLastHour() {
        let rule = AlertRule(id: "offline", name: "离线", condition: .offline(minutes: 60))
        var engine = Self.engine([rule], [Self.station("H1")])
        _ = engine.observe([Self.pm25("H1", 20, at: Self.t0)])  // the hour t0…t0+1h, arriving at t0+1h
        #expect(engine.sweep(now: Self.t0 + 75 * 60).isEmpty)  // 15 min after it arrived
        #expect(engine.sweep(now: Self.t0 + 119 * 60).isEmpty)
        #expect(engine.sweep(now: Self.t0 + 121 * 60).map(\.stationCode) == ["H1"])  // the next hour never came
    }

    @Test func aStationNeverHeardFromIsOfflineFromTheStartOfWatching() {
        let rule = AlertRule(id: "offline", name: "离线", condition: .offline(minutes: 60))
        var engine = AlertEngine(rules: [rule], stations: [Self.station("M1")], watchingSince: Self.t0)
        #expect(engine.sweep(now: Self.t0 + 30 * 60).isEmpty)
        let signals = engine.sweep(now: Self.t0 + 60 * 60)
        #expect(signals.count == 1 && signals[0].message.contains("自开始监视以来无数据"))
    }

    // MARK: memory

    @Test func historyIsBoundedByTheLongestRule() {
        var engine = Self.engine([Self.flat, Self.relative], Self.cluster)
        for index in 0..<500 {
            _ = engine.observe([Self.pm25("M0", Double(index % 7), at: Self.t0 + Int64(index) * Self.hour)])
        }
        let held = engine.hourly["M0"]?["a34004"]?.count ?? 0
        // flat line 6 h + a day of margin, plus at most one hour before pruning starts again.
        #expect(held <= 6 + 24 + 2)
        #expect(engine.hourlyValue(station: "M0", code: "a34004", hour: Self.t0 + 499 * Self.hour) == Double(499 % 7))
    }

    // MARK: the real December 2016 episode in Beijing

    @Test func theDecember2016EpisodeRaisesThresholdAlertsAtEveryStation() throws {
        let series = try BeijingSeries.load()
        var engine = AlertEngine(rules: StandardAlertRules.all, stations: series.stations, watchingSince: series.first)
        var signals: [AlertSignal] = []
        for hour in series.hours { signals += engine.observe(hour) }
        let high = signals.filter { $0.ruleID == "pm25-hour-high" }
        // Every hour above 115 µg/m³ at a station is one signal — no more, no fewer.
        let hoursAbove = series.hours.joined().filter { $0.code == "a34004" && $0.value > 115 }
        #expect(high.count == hoursAbove.count)
        #expect(Set(high.map(\.stationCode)).count == 12)
        // The red alert of 16–21 December 2016: every station is above 115 for at least a day's worth of hours.
        let episodeStart = ChinaDateTime(year: 2016, month: 12, day: 16)!.secondsSinceEpoch
        let episodeEnd = ChinaDateTime(year: 2016, month: 12, day: 22)!.secondsSinceEpoch
        let inEpisode = Dictionary(
            grouping: high.filter { $0.time >= episodeStart && $0.time < episodeEnd }, by: \.stationCode)
        #expect(inEpisode.count == 12)
        #expect(inEpisode.values.allSatisfy { $0.count >= 24 }, "\(inEpisode.mapValues(\.count))")
        // Rising into the episode, some hours climb by 50 µg/m³ or more.
        #expect(signals.contains { $0.ruleID == "pm25-sudden-rise" })
    }
}

/// The demo's real series: UCI Beijing Multi-Site, 10–23 December 2016, 12 national stations.
struct BeijingSeries {
    var stations: [AlertStation]
    var hours: [[Observation]]
    var first: Int64

    static func load() throws -> BeijingSeries {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        let demo = root.appendingPathComponent("Resources/Demo")
        let stationLines = try String(contentsOf: demo.appendingPathComponent("beijing-stations.csv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
        var codes: [String: String] = [:]
        var stations: [AlertStation] = []
        for line in stationLines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            codes[fields[2]] = fields[0]
            stations.append(
                AlertStation(
                    code: fields[0], kind: .national,
                    coordinate: Coordinate(longitude: Double(fields[3])!, latitude: Double(fields[4])!),
                    regionPath: [fields[6], "110100"]))
        }
        var byTime: [Int64: [Observation]] = [:]
        let rows = try String(contentsOf: demo.appendingPathComponent("beijing-hourly-2016-12.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        for row in rows {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r"))
            }
            guard let year = Int(fields[1]), let month = Int(fields[2]), let day = Int(fields[3]),
                let hour = Int(fields[4]),
                let code = codes[fields[17]], let value = Double(fields[5]),
                let time = ChinaDateTime(year: year, month: month, day: day, hour: hour)?.secondsSinceEpoch
            else { continue }  // NA: no value
            byTime[time, default: []].append(
                Observation(stationCode: code, code: "a34004", period: .hour, time: time, value: value))
        }
        let times = byTime.keys.sorted()
        return BeijingSeries(stations: stations, hours: times.map { byTime[$0]! }, first: times.first ?? 0)
    }
}
