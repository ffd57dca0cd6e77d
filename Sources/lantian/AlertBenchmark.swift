import Campaign
import Foundation
import Ingest
import NIOCore
import Server
import Store

/// `lantian bench alerts`: (1) rule evaluation per reading — the standard rules over 1,000 stations
/// (one national in ten among micro stations, 1 km apart) fed hour by hour with the real December 2016
/// Beijing values; (2) commit → push: 1,000 in-process devices stream the same series over HJ 212
/// into the running application, and every alert notice raised by data is timed from its commit to
/// its publication on the push channel.
enum AlertBenchmark {
    static func run(devices: Int, seconds: Double, hours: Int) async throws {
        print("预警基准 / alert benchmark (\(AQIBenchmark.buildKind) build; \(System.coreCount) cores)")
        let series = try IngestBenchmark.demoSeries()
        evaluation(series: series, stations: devices, hours: hours)
        try await endToEnd(series: series, devices: devices, seconds: seconds)
    }

    static func evaluation(series: IngestPlanner.Series, stations count: Int, hours: Int) {
        let stations = IngestBenchmark.stations(count, mixed: true).map {
            AlertStation(code: $0.code, kind: $0.kind, coordinate: $0.coordinate, regionPath: ["R\($0.code.suffix(2))"])
        }
        // Hourly values per demo station, by hour index.
        let demo = series.stations.map { station -> [[Reading]] in
            let hourly = station.readings.filter { $0.period == .hour }
            let first = hourly.first?.time ?? 0
            var byHour = [[Reading]](repeating: [], count: hours)
            for reading in hourly {
                let index = Int((reading.time - first) / 3600)
                if index >= 0 && index < hours { byHour[index].append(reading) }
            }
            return byHour
        }
        let start = series.stations.first?.readings.first?.time ?? 0
        var engine = AlertEngine(rules: StandardAlertRules.all, stations: stations, watchingSince: start)
        var observations = 0
        var signals = 0
        var nanoseconds: UInt64 = 0
        for hour in 0..<hours {
            var batch: [Observation] = []
            batch.reserveCapacity(count * 8)
            for (index, station) in stations.enumerated() {
                for reading in demo[index % demo.count][hour] {
                    guard let value = reading.value else { continue }
                    // A little spread between stations that replay the same demo station.
                    let spread = 1 + Double(index % 7) * 0.05
                    batch.append(
                        Observation(
                            stationCode: station.code, code: reading.code, period: .hour,
                            time: start + Int64(hour) * 3600,
                            value: value * spread, flag: reading.flag))
                }
            }
            let began = DispatchTime.now().uptimeNanoseconds
            signals += engine.observe(batch).count
            nanoseconds += DispatchTime.now().uptimeNanoseconds - began
            observations += batch.count
        }
        let perReading = Double(nanoseconds) / Double(max(1, observations)) / 1000
        print(
            "(1) 规则评估 / rule evaluation: \(StandardAlertRules.all.count) rules, \(count) stations × \(hours) h, "
                + "\(observations) values, \(signals) signals")
        print(
            IngestBenchmark.figure(
                "(1) 每个数值的评估耗时 / evaluation per value", String(format: "%.2f µs", perReading), goal: "< 5 µs",
                pass: perReading < 5))
    }

    static func endToEnd(series: IngestPlanner.Series, devices: Int, seconds: Double) async throws {
        let directory = try IngestBenchmark.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (app, metrics, _) = try await IngestBenchmark.makeApplication(
            .sqliteFile(path: directory + "/alerts.sqlite"), directory: directory,
            stations: IngestBenchmark.stations(devices, mixed: true))
        // The stations were registered after the service started: let it read them.
        try await app.alerts.service.reload()
        let service = app.alerts.service
        let notices = app.alerts.hub.subscribe(buffer: 1_000_000)
        let counter = Task {
            var count = 0
            for await _ in notices { count += 1 }
            return count
        }
        let result = try await IngestBenchmark.withDeviceService(app, metrics: metrics, devices: devices) { port in
            let plans = try IngestBenchmark.plans(series: series, devices: devices)
            var options = DriverOptions(host: "127.0.0.1", port: port)
            options.duration = .nanoseconds(Int64(seconds * 1e9))
            options.keepLatencies = false
            let result = await IngestDriver.run(plans: plans, options: options, group: app.eventLoopGroup)
            // Let the last commits' alerts through before the application stops.
            try await Task.sleep(for: .seconds(2))
            return result
        }
        let latencies = await service.recentLatencies().sorted()
        let pushed = await counter.value
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            return latencies[
                min(latencies.count - 1, max(0, Int((Double(latencies.count) * fraction).rounded(.up)) - 1))]
                * 1000
        }
        let exposition = metrics.exposition()
        let opened = IngestBenchmark.metricSum(exposition, "lantian_alert_signals_total")
        print(
            "(2) 端到端 / end to end: \(devices) devices → HJ212Service → ReadingStore (SQLite) → AlertService → push; "
                + String(
                    format: "%.1f s, %d values answered, %.0f signals, %d notices pushed, %d timed",
                    result.seconds, result.counters.valuesAnswered, opened, pushed, latencies.count))
        let p99 = percentile(0.99)
        print(
            IngestBenchmark.figure(
                "(2) 提交→推送延迟 / commit → push",
                String(
                    format: "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(0.5), percentile(0.9), p99,
                    percentile(1)), goal: "p99 < 1 s", pass: p99 < 1000))
    }
}
