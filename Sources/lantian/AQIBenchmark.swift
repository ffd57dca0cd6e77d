import AirQuality
import Foundation

/// `lantian bench aqi`: throughput of the AQI engine on one core (release build). Prints figures;
/// it is not a test. Goals (issue 3): ≥ 20 million station-hours/s for the hourly AQI, and < 100 ms
/// for the daily aggregation of 1,000 stations × 365 days with O3 8-hour maxima.
enum AQIBenchmark {
    static func run(stationHours: Int = 10_000_000, stations: Int = 1_000, days: Int = 365) -> [String] {
        var lines = ["AQI benchmark (one core; \(AQIBenchmark.buildKind) build)"]
        lines += hourly(stationHours: stationHours)
        lines += daily(stations: stations, days: days)
        return lines
    }

    #if DEBUG
        static let buildKind = "DEBUG — figures are not representative, use -c release"
    #else
        static let buildKind = "release"
    #endif

    /// Hourly real-time AQI (HJ 633-2012 and 2026) from in-memory columns: the batch path
    /// (`AQIBatch.realtime`) and, for comparison, the per-row `AQICalculator.compute`.
    static func hourly(stationHours: Int) -> [String] {
        var generator = AQIBenchmarkRandom(seed: 2026)
        let chunk = min(stationHours, 1 << 20)
        // Instrument-like hourly values: µg/m³ with one decimal, CO (mg/m³) with two, so that
        // GB/T 8170 ties (35.5, 0.65) occur as in real data; about 1 % of values are missing.
        func column(_ range: ClosedRange<Double>, decimals: Double = 10) -> [Double?] {
            (0..<chunk).map { _ in
                generator.next() % 100 == 0 ? nil : (generator.nextDouble(in: range) * decimals).rounded() / decimals
            }
        }
        let columns = AQIBatch.RealtimeColumns(
            so2: column(1...120), no2: column(5...180), co: column(0.2...4.5, decimals: 100),
            o3OneHour: column(5...320),
            pm10: column(10...400), pm25: column(5...260))
        var checksum = 0
        var rows = 0
        var start = DispatchTime.now().uptimeNanoseconds
        while rows < stationHours {
            let ruleSet: AQIRuleSet = rows % (2 * chunk) == 0 ? .hj633_2012 : .hj633_2026
            for result in AQIBatch.realtime(columns, ruleSet: ruleSet) { checksum &+= Int(result.aqi) }
            rows += chunk
        }
        let batchSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let perRow = min(stationHours, 2_000_000)
        start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<perRow {
            let row = index % chunk
            checksum &+= AQICalculator.compute(columns[row], mode: .realtime, ruleSet: .hj633_2012).aqi ?? 0
        }
        let rowSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return [
            String(
                format: "hourly AQI (batch): %d station-hours in %.3f s = %.1f million station-hours/s (goal ≥ 20)",
                rows, batchSeconds, Double(rows) / batchSeconds / 1e6),
            String(
                format: "hourly AQI (per row, full result): %d station-hours in %.3f s = %.1f million/s [checksum %d]",
                perRow, rowSeconds, Double(perRow) / rowSeconds / 1e6, checksum),
        ]
    }

    /// Daily means of five pollutants plus O3 daily maximum 8-hour and 1-hour values.
    static func daily(stations: Int, days: Int) -> [String] {
        var generator = AQIBenchmarkRandom(seed: 3095)
        let hours = days * 24
        let pollutants: [Pollutant] = [.so2, .no2, .co, .pm10, .pm25, .o3]
        var data: [[HourlySeries]] = []
        data.reserveCapacity(stations)
        for _ in 0..<stations {
            data.append(
                pollutants.map { pollutant in
                    var values = [Double](repeating: 0, count: hours)
                    var flags = [DataFlag](repeating: .normal, count: hours)
                    for index in 0..<hours {
                        values[index] = generator.nextDouble(in: 1...250)
                        if generator.next() % 50 == 0 { flags[index] = .fault }  // 2 % of hours excluded
                    }
                    return HourlySeries(pollutant: pollutant, values: values, flags: flags)
                })
        }
        // The valid daily values and their sum, so that no result is dead. (Each station's results
        // are dropped after use, as before; keeping all 7 × 365,000 adds ~13 ms of page faults.)
        var validDays = 0
        var sum = 0.0
        func tally(_ series: DailySeries) {
            for day in 0..<series.count {
                if let value = series[day] {
                    validDays += 1
                    sum += value
                }
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        for station in data {
            for series in station.dropLast() { tally(DailyAggregation.dailyMeans(series)) }
            let maxima = DailyAggregation.o3DailyMaxima(station[station.count - 1])  // 8 h and 1 h in one pass
            tally(maxima.eightHour)
            tally(maxima.oneHour)
        }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        return [
            String(
                format:
                    "daily aggregation: %d stations × %d days (5 daily means + O3 max 8 h + O3 max 1 h) in %.1f ms (goal < 100 ms) [%d valid daily values, sum %.3f]",
                stations, days, milliseconds, validDays, sum)
        ]
    }
}

/// A small deterministic generator (AQIBenchmarkRandom) so runs are comparable.
struct AQIBenchmarkRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
    }
}
