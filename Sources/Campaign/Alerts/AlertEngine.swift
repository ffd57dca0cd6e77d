import AirQuality

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A committed value, as the alert engine sees it.
public struct Observation: Sendable, Hashable {
    public var stationCode: String
    public var code: String
    public var period: ObservationPeriod
    /// Seconds since 1970: the period start (hour, minute, day) or the instant (real-time).
    public var time: Int64
    public var value: Double
    /// HJ 212 data flag; only `N` (or none) counts as a valid value (HJ 212-2017 Table 8, STANDARDS §4.9).
    public var flag: String?

    public init(
        stationCode: String, code: String, period: ObservationPeriod, time: Int64, value: Double, flag: String? = "N"
    ) {
        self.stationCode = stationCode
        self.code = code
        self.period = period
        self.time = time
        self.value = value
        self.flag = flag
    }

    /// Valid values feed the value rules; flagged ones only prove the station is alive.
    public var isValid: Bool { (flag == nil || flag == "N") && value.isFinite }
}

/// What a rule found: one signal per (rule, station, time). The caller opens an alert or raises the
/// counter of the open one (``AlertDeduplication``).
public struct AlertSignal: Sendable, Hashable {
    public var ruleID: String
    public var kind: AlertConditionKind
    public var severity: AlertSeverity
    public var stationCode: String
    public var code: String?
    /// The time of the value that raised it (for offline: the last reading).
    public var time: Int64
    public var value: Double?
    /// The limit it crossed (for relative rules: factor × median, or ratio × median).
    public var threshold: Double?
    /// What users read, Chinese first.
    public var message: String

    public init(
        ruleID: String, kind: AlertConditionKind, severity: AlertSeverity, stationCode: String, code: String?,
        time: Int64, value: Double?, threshold: Double?, message: String
    ) {
        self.ruleID = ruleID
        self.kind = kind
        self.severity = severity
        self.stationCode = stationCode
        self.code = code
        self.time = time
        self.value = value
        self.threshold = threshold
        self.message = message
    }
}

/// Evaluates the rules as values are committed — not by polling. It keeps, per station and code, the
/// last two days of hourly values, and per code and hour the values of every station, so that the
/// neighbourhood rules (炮点高值, interference, worst of region) see the same hour across stations.
/// Pure and single-threaded: the server holds it in an actor, warmed from the database at start.
public struct AlertEngine: Sendable {
    public private(set) var rules: [AlertRule]
    public private(set) var stations: [String: AlertStation]
    /// Seconds of hourly history kept: the longest consecutive-hours rule plus a day.
    let horizon: Int64
    /// Station → code → hour start → value.
    var hourly: [String: [String: [Int64: Double]]] = [:]
    /// Code → hour start → station → value.
    var byHour: [String: [Int64: [String: Double]]] = [:]
    /// Station → last time any reading (valid or not) was seen.
    var lastSeen: [String: Int64] = [:]
    /// Station → stations within the widest neighbourhood radius, with their distances in metres.
    var neighbours: [String: [(code: String, metres: Double)]] = [:]
    /// Region → kind → number of active stations (the denominator of a region's coverage).
    var regionSize: [String: [StationKind: Int]] = [:]
    /// Signals already raised, so that re-evaluation after a neighbour's value never repeats one.
    var raised: Set<SignalKey> = []
    var oldestHour: Int64 = .max
    /// When the engine started watching; a station never seen counts as last seen then (offline).
    public var watchingSince: Int64

    struct SignalKey: Hashable {
        var rule: String
        var station: String
        var time: Int64
    }

    public init(rules: [AlertRule], stations: [AlertStation], watchingSince: Int64) {
        self.rules = rules.filter { $0.enabled && $0.condition.problems.isEmpty }
        self.stations = Dictionary(stations.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        self.watchingSince = watchingSince
        let longest =
            self.rules.map { rule -> Int in
                switch rule.condition {
                case .flatLine(_, let hours), .stuckAtZero(_, let hours), .interference(_, _, _, let hours, _): hours
                default: 2
                }
            }.max() ?? 2
        horizon = Int64(longest + 24) * 3600
        rebuildNeighbourhoods()
    }

    /// Replaces the station list (a station added, moved or retired), keeping history.
    public mutating func update(stations: [AlertStation]) {
        self.stations = Dictionary(stations.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        rebuildNeighbourhoods()
    }

    /// Replaces the rules (edited by HQ), keeping history.
    public mutating func update(rules: [AlertRule]) {
        self.rules = rules.filter { $0.enabled && $0.condition.problems.isEmpty }
        rebuildNeighbourhoods()
    }

    mutating func rebuildNeighbourhoods() {
        let radius =
            rules.compactMap { rule -> Double? in
                switch rule.condition {
                case .relativeHigh(_, _, let metres, _, _), .interference(_, _, let metres, _, _): metres
                default: nil
                }
            }.max() ?? 0
        neighbours = NeighbourGrid.neighbours(
            of: Array(stations.values.filter { $0.status == .active }), within: radius)
        regionSize = [:]
        for station in stations.values where station.status == .active {
            guard let region = station.regionPath.first else { continue }
            regionSize[region, default: [:]][station.kind, default: 0] += 1
        }
    }

    /// Takes the values of one commit and returns the signals they raise.
    public mutating func observe(_ observations: [Observation]) -> [AlertSignal] {
        var signals: [AlertSignal] = []
        // (code, hour) → the stations whose value for it came in this batch, in arrival order.
        var touched: [HourKey: [String]] = [:]
        var touchedOrder: [HourKey] = []
        for observation in observations {
            guard let station = stations[observation.stationCode], station.status == .active else { continue }
            // Alive until the end of the period the value covers (an hour value arrives after its hour).
            lastSeen[station.code] = max(lastSeen[station.code] ?? .min, observation.time + observation.period.seconds)
            guard observation.isValid else { continue }
            let month = ChinaDateTime(secondsSinceEpoch: observation.time).month
            for rule in rules where rule.scope.applies(to: station, month: month) {
                switch rule.condition {
                case .threshold(let code, let period, let limit, let zoneLimit):
                    guard code == observation.code, period == observation.period else { continue }
                    let effective = station.zoneCodes.isEmpty ? limit : (zoneLimit ?? limit)
                    if observation.value > effective {
                        let place = station.zoneCodes.isEmpty ? "" : "（管控区内 / in a control zone）"
                        raise(
                            rule, station, observation, threshold: effective,
                            "\(period.displayName)值 \(format(observation.value)) 超过 \(format(effective))\(place) / \(code) \(period.rawValue) value above \(format(effective))",
                            into: &signals)
                    }
                case .emissionLimit(let code, let period, let limit):
                    guard code == observation.code, period == observation.period, station.kind == .sourceMonitor
                    else { continue }
                    if observation.value > limit {
                        raise(
                            rule, station, observation, threshold: limit,
                            "排放浓度 \(format(observation.value)) 超过排放限值 \(format(limit)) / emission above its limit",
                            into: &signals)
                    }
                default:
                    continue
                }
            }
            if observation.period == .hour {
                record(observation)
                let key = HourKey(code: observation.code, hour: observation.time)
                if touched[key] == nil { touchedOrder.append(key) }
                touched[key, default: []].append(station.code)
            }
        }
        // Once per (code, hour) of the batch, not once per value: a neighbourhood's median is computed
        // once for the batch however many of its stations reported in it.
        for key in touchedOrder {
            evaluateHour(code: key.code, hour: key.hour, stations: touched[key] ?? [], into: &signals)
        }
        prune()
        return signals
    }

    /// Offline: stations with no reading for a rule's minutes at `now`. Called on a timer — the one
    /// rule that is about the absence of data.
    public mutating func sweep(now: Int64) -> [AlertSignal] {
        var signals: [AlertSignal] = []
        let month = ChinaDateTime(secondsSinceEpoch: now).month
        for rule in rules {
            guard case .offline(let minutes) = rule.condition else { continue }
            for station in stations.values
            where station.status == .active && rule.scope.applies(to: station, month: month) {
                let last = lastSeen[station.code] ?? watchingSince
                guard now - last >= Int64(minutes) * 60 else { continue }
                let key = SignalKey(rule: rule.id, station: station.code, time: last)
                guard raised.insert(key).inserted else { continue }
                let seen =
                    lastSeen[station.code] == nil
                    ? "自开始监视以来无数据 / no data since watching began"
                    : "最后数据 \(ChinaDateTime(secondsSinceEpoch: last)) / last data then"
                signals.append(
                    AlertSignal(
                        ruleID: rule.id, kind: .offline, severity: rule.severity, stationCode: station.code, code: nil,
                        time: last, value: nil, threshold: Double(minutes),
                        message: "离线超过 \(minutes) 分钟，\(seen) / offline for over \(minutes) minutes"))
            }
        }
        return signals
    }

    /// The hourly value of a station, if held.
    public func hourlyValue(station: String, code: String, hour: Int64) -> Double? {
        hourly[station]?[code]?[hour]
    }

    // MARK: - Hourly rules

    mutating func record(_ observation: Observation) {
        hourly[observation.stationCode, default: [:]][observation.code, default: [:]][observation.time] =
            observation.value
        byHour[observation.code, default: [:]][observation.time, default: [:]][observation.stationCode] =
            observation.value
        oldestHour = min(oldestHour, observation.time)
    }

    struct HourKey: Hashable {
        var code: String
        var hour: Int64
    }

    /// The hourly rules for `code` at `hour`, after the values of `reported` came in.
    mutating func evaluateHour(
        code: String, hour: Int64, stations reported: [String], into signals: inout [AlertSignal]
    ) {
        let month = ChinaDateTime(secondsSinceEpoch: hour).month
        var seen: Set<String> = []
        let reportedStations = reported.compactMap { seen.insert($0).inserted ? stations[$0] : nil }
        for rule in rules where rule.condition.code == code {
            switch rule.condition {
            case .suddenRise(_, let rise, let minimum):
                for station in reportedStations {
                    guard rule.scope.applies(to: station, month: month),
                        let value = hourlyValue(station: station.code, code: code, hour: hour),
                        let previous = hourlyValue(station: station.code, code: code, hour: hour - 3600),
                        value >= minimum, value - previous >= rise
                    else { continue }
                    raise(
                        rule, station, code: code, time: hour, value: value, threshold: previous + rise,
                        "一小时内由 \(format(previous)) 升至 \(format(value)) / rose from \(format(previous)) to \(format(value)) within an hour",
                        into: &signals)
                }
            case .flatLine(_, let hours):
                for station in reportedStations {
                    guard rule.scope.applies(to: station, month: month),
                        let values = consecutive(station.code, code, endingAt: hour, hours: hours),
                        let first = values.first, first != 0, values.allSatisfy({ $0 == first })
                    else { continue }
                    raise(
                        rule, station, code: code, time: hour, value: first, threshold: nil,
                        "连续 \(hours) 小时数值恒为 \(format(first)) / the same value for \(hours) hours", into: &signals)
                }
            case .stuckAtZero(_, let hours):
                for station in reportedStations {
                    guard rule.scope.applies(to: station, month: month),
                        let values = consecutive(station.code, code, endingAt: hour, hours: hours),
                        values.allSatisfy({ $0 == 0 })
                    else { continue }
                    raise(
                        rule, station, code: code, time: hour, value: 0, threshold: nil,
                        "连续 \(hours) 小时数值为零 / zero for \(hours) hours", into: &signals)
                }
            case .relativeHigh(_, let factor, let radius, let minNeighbours, let minimum):
                // A new value changes its neighbours' medians too: judge the reporting stations and the
                // neighbours that already reported this hour, each once.
                let values = byHour[code]?[hour] ?? [:]
                for candidate in neighbourhood(of: reportedStations, within: radius) {
                    guard let subject = stations[candidate], rule.scope.applies(to: subject, month: month),
                        let value = values[candidate], value >= minimum
                    else { continue }
                    let around = near(candidate, within: radius).compactMap { values[$0.code] }
                    guard around.count >= minNeighbours, let median = Self.median(around) else { continue }
                    let limit = factor * median
                    guard value > limit else { continue }
                    raise(
                        rule, subject, code: code, time: hour, value: value, threshold: limit,
                        "小时值 \(format(value)) 超过周边 \(Int(radius)) 米内 \(around.count) 个站点中位数 \(format(median)) 的 \(format(factor)) 倍 / \(format(factor)) × the median of \(around.count) stations within \(Int(radius)) m",
                        into: &signals)
                }
            case .interference(_, let ratio, let radius, let hours, let minNeighbours):
                // Official stations among and around the reporting ones.
                for candidate in neighbourhood(of: reportedStations, within: radius)
                where stations[candidate]?.isOfficial == true {
                    guard let subject = stations[candidate], rule.scope.applies(to: subject, month: month) else {
                        continue
                    }
                    let micro = near(candidate, within: radius).filter { stations[$0.code]?.kind == .micro }
                    var last: (value: Double, median: Double)?
                    var held = true
                    for step in 0..<hours {
                        let at = hour - Int64(step) * 3600
                        guard let value = hourlyValue(station: candidate, code: code, hour: at) else {
                            held = false
                            break
                        }
                        let values = byHour[code]?[at] ?? [:]
                        let around = micro.compactMap { values[$0.code] }
                        guard around.count >= minNeighbours, let median = Self.median(around), value < ratio * median
                        else {
                            held = false
                            break
                        }
                        if step == 0 { last = (value, median) }
                    }
                    guard held, let last else { continue }
                    raise(
                        rule, subject, code: code, time: hour, value: last.value, threshold: ratio * last.median,
                        "连续 \(hours) 小时低于周边微站中位数 \(format(last.median)) 的 \(format(ratio)) 倍，疑似人为干扰 / below \(format(ratio)) × the median of the micro stations around for \(hours) hours",
                        into: &signals)
                }
            case .regionWorst(_, let count, let coverage):
                // Each region (and station kind) that had a report, once.
                var groups: Set<RegionGroup> = []
                for station in reportedStations {
                    if let region = station.regionPath.first {
                        groups.insert(RegionGroup(region: region, kind: station.kind))
                    }
                }
                guard !groups.isEmpty else { continue }
                var peersByGroup: [RegionGroup: [(key: String, value: Double)]] = [:]
                for (code, value) in byHour[code]?[hour] ?? [:] {
                    guard let peer = stations[code], let region = peer.regionPath.first else { continue }
                    let group = RegionGroup(region: region, kind: peer.kind)
                    if groups.contains(group) { peersByGroup[group, default: []].append((code, value)) }
                }
                for group in groups.sorted(by: { ($0.region, $0.kind.rawValue) < ($1.region, $1.kind.rawValue) }) {
                    guard let size = regionSize[group.region]?[group.kind], size > count,
                        let peers = peersByGroup[group], Double(peers.count) >= coverage * Double(size)
                    else { continue }
                    let ranked = peers.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    for (rank, entry) in ranked.prefix(count).enumerated() {
                        guard let subject = stations[entry.key], rule.scope.applies(to: subject, month: month) else {
                            continue
                        }
                        raise(
                            rule, subject, code: code, time: hour, value: entry.value, threshold: nil,
                            "小时值 \(format(entry.value)) 在本区域 \(peers.count) 个同类站点中排倒数第 \(rank + 1) / worst \(rank + 1) of \(peers.count) in its region",
                            into: &signals)
                    }
                }
            case .threshold, .emissionLimit, .offline:
                continue
            }
        }
    }

    struct RegionGroup: Hashable {
        var region: String
        var kind: StationKind
    }

    /// The stations and their neighbours within `radius`, each once, in a stable order.
    func neighbourhood(of reported: [AlertStation], within radius: Double) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for station in reported {
            if seen.insert(station.code).inserted { result.append(station.code) }
            for neighbour in neighbours[station.code] ?? [] where neighbour.metres <= radius {
                if seen.insert(neighbour.code).inserted { result.append(neighbour.code) }
            }
        }
        return result
    }

    func consecutive(_ station: String, _ code: String, endingAt hour: Int64, hours: Int) -> [Double]? {
        guard let series = hourly[station]?[code] else { return nil }
        var values: [Double] = []
        values.reserveCapacity(hours)
        for step in 0..<hours {
            guard let value = series[hour - Int64(step) * 3600] else { return nil }
            values.append(value)
        }
        return values
    }

    func near(_ station: String, within radius: Double) -> [(code: String, metres: Double)] {
        (neighbours[station] ?? []).filter { $0.metres <= radius }
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    mutating func raise(
        _ rule: AlertRule, _ station: AlertStation, _ observation: Observation, threshold: Double?, _ message: String,
        into signals: inout [AlertSignal]
    ) {
        raise(
            rule, station, code: observation.code, time: observation.time, value: observation.value,
            threshold: threshold, message, into: &signals)
    }

    mutating func raise(
        _ rule: AlertRule, _ station: AlertStation, code: String?, time: Int64, value: Double?, threshold: Double?,
        _ message: String, into signals: inout [AlertSignal]
    ) {
        guard raised.insert(SignalKey(rule: rule.id, station: station.code, time: time)).inserted else { return }
        signals.append(
            AlertSignal(
                ruleID: rule.id, kind: rule.condition.kind, severity: rule.severity, stationCode: station.code,
                code: code, time: time, value: value, threshold: threshold, message: message))
    }

    /// Drops hours older than the horizon behind the newest hour seen.
    mutating func prune() {
        guard let newest = byHour.values.compactMap({ $0.keys.max() }).max(), newest - oldestHour > horizon + 3600
        else {
            return
        }
        let cutoff = newest - horizon
        for (code, hours) in byHour {
            byHour[code] = hours.filter { $0.key >= cutoff }
        }
        for (station, codes) in hourly {
            hourly[station] = codes.mapValues { $0.filter { $0.key >= cutoff } }
        }
        raised = raised.filter { $0.time >= cutoff }
        oldestHour = cutoff
    }

    func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Stations within a radius of each other, found through a grid of cells about the radius wide.
enum NeighbourGrid {
    static func neighbours(of stations: [AlertStation], within radius: Double) -> [String: [(
        code: String, metres: Double
    )]] {
        guard radius > 0 else { return [:] }
        // One degree of latitude is about 111 km; longitude cells are widened at the highest latitude.
        let cellLatitude = radius / 111_000
        let maxLatitude = stations.map { abs($0.coordinate.latitude) }.max() ?? 0
        let cellLongitude = cellLatitude / max(0.01, cos(min(maxLatitude, 89) * .pi / 180))
        func cell(_ coordinate: Coordinate) -> Cell {
            Cell(
                x: Int((coordinate.longitude / cellLongitude).rounded(.down)),
                y: Int((coordinate.latitude / cellLatitude).rounded(.down)))
        }
        var cells: [Cell: [AlertStation]] = [:]
        for station in stations { cells[cell(station.coordinate), default: []].append(station) }
        var result: [String: [(code: String, metres: Double)]] = [:]
        for station in stations {
            let home = cell(station.coordinate)
            var found: [(code: String, metres: Double)] = []
            for dx in -1...1 {
                for dy in -1...1 {
                    for other in cells[Cell(x: home.x + dx, y: home.y + dy)] ?? [] where other.code != station.code {
                        let metres = Distance.metres(station.coordinate, other.coordinate)
                        if metres <= radius { found.append((other.code, metres)) }
                    }
                }
            }
            result[station.code] = found.sorted { $0.metres < $1.metres }
        }
        return result
    }

    struct Cell: Hashable {
        var x: Int
        var y: Int
    }
}
