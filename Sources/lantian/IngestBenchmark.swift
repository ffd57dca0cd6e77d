import Campaign
import Fluent
import Foundation
import HJ212
import Ingest
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import Server
import ServiceLifecycle
import Store
import Vapor

/// `lantian bench ingest`: HJ 212 ingest figures (release build). Prints each figure with its goal and
/// PASS/MISS; it is not a test.
///
/// (a) parse + CRC on one core; (b) end to end over loopback: N in-process simulated devices (the same
/// `IngestDriver` as `lantian simulate`) → the real `HJ212Service` → the group-commit `ReadingStore` →
/// SQLite, prepared like `serve`; (c) the same rows by a bare SQLiteNIO bulk insert (the physical limit);
/// (d) (b) on PostgreSQL; (e) server memory after loading N days of hourly data for 1,000 stations.
enum IngestBenchmark {
    struct Options: Sendable {
        var devices = 1_000
        var seconds = 20.0
        var parsePackets = 2_000_000
        var days = 365
        var stations = 1_000
        var postgresURL: String?
        var parts: Set<String> = ["parse", "sqlite", "bulk", "postgres", "memory"]
    }

    static func run(_ options: Options) async throws {
        print("HJ 212 接入基准 / ingest benchmark (\(AQIBenchmark.buildKind) build; \(System.coreCount) cores)")
        let series = try demoSeries()
        if options.parts.contains("parse") {
            for line in parse(series: series, packets: options.parsePackets) { print(line) }
        }
        var committed: (rows: Int, valuesPerSecond: Double)?
        if options.parts.contains("sqlite") {
            let result = try await endToEnd(
                database: { .sqliteFile(path: $0 + "/bench.sqlite") }, label: "SQLite", series: series,
                devices: options.devices, seconds: options.seconds)
            committed = (result.rows, result.valuesPerSecond)
        }
        if options.parts.contains("bulk"), let committed {
            let bulk = try await bareInsert(series: series, devices: options.devices, rows: committed.rows)
            print(
                figure(
                    "(c) 裸 SQLite 批量插入（单事务、多行预编译）/ bare SQLite bulk insert (one transaction)",
                    String(
                        format: "%d rows in %.2f s = %.0f rows/s", committed.rows, bulk, Double(committed.rows) / bulk),
                    goal: nil, pass: nil))
            let ratio = committed.valuesPerSecond / (Double(committed.rows) / bulk)
            print(figure("(b)/(c)", String(format: "%.2f", ratio), goal: "≥ 0.5", pass: ratio >= 0.5))
        }
        if options.parts.contains("postgres") {
            if let url = options.postgresURL {
                _ = try await endToEnd(
                    database: { _ in .postgres(url: url) }, label: "PostgreSQL", series: series,
                    devices: options.devices, seconds: options.seconds)
            } else {
                print("(d) PostgreSQL：未给出 --postgres-url，跳过 / skipped (no --postgres-url)")
            }
        }
        if options.parts.contains("memory") {
            try await memory(series: series, stations: options.stations, days: options.days)
        }
    }

    static func figure(_ name: String, _ value: String, goal: String?, pass: Bool?) -> String {
        var line = "\(name): \(value)"
        if let goal { line += " (goal \(goal))" }
        if let pass { line += pass ? " PASS" : " MISS" }
        return line
    }

    // MARK: Data

    /// The committed demo series (real Beijing data, 12 stations × 14 days of hours), canonical units.
    static func demoSeries() throws -> IngestPlanner.Series {
        let path = FileManager.default.currentDirectoryPath + "/Resources/Demo/beijing-hourly-2016-12.csv"
        guard FileManager.default.fileExists(atPath: path) else {
            throw DriverSetupError(
                message: "找不到 \(path)（请在仓库根目录运行）/ demo series missing: run from the repository root")
        }
        return try IngestPlanner.read(files: [path], source: .beijing, now: .max / 2)
    }

    static func stationCode(_ index: Int) -> String { String(format: "BN%04d", index + 1) }
    static func mn(_ index: Int) -> String { String(format: "BENCH%04d", index + 1) }

    /// Bench stations registered like the demo's (six AQI pollutants + met, every edition, either CRC).
    static func stations(_ count: Int) -> [Station] {
        (0..<count).map { index in
            Station(
                code: stationCode(index), name: "基准站 \(index + 1)", kind: .national,
                coordinate: Coordinate(longitude: 116.0 + Double(index % 100) / 100, latitude: 39.5),
                hj212: HJ212Identity(
                    mn: mn(index), password: BeijingDemo.devicePassword,
                    protocols: Set(HJ212ProtocolEdition.allCases), crcPolicy: .either, tolerant: true),
                pollutants: BeijingDemo.pollutants)
        }
    }

    /// Device `i` is station BN…(i+1) replaying demo station `i mod 12`.
    static func plans(series: IngestPlanner.Series, devices: Int) throws -> [DevicePlan] {
        try (0..<devices).map { index in
            let readings = series.stations[index % series.stations.count].readings.map { reading in
                var device = IngestPlanner.deviceReading(reading)
                device.stationCode = stationCode(index)
                return device
            }
            return try IngestPlanner.plan(
                readings: readings, mn: mn(index), stationCode: stationCode(index),
                password: BeijingDemo.devicePassword, version: .hj212_2017,
                sentAt: Int64(Date().timeIntervalSince1970 * 1000), recording: false)
        }
    }

    // MARK: (a) parse + CRC

    static func parse(series: IngestPlanner.Series, packets count: Int) -> [String] {
        let fixturePath = FileManager.default.currentDirectoryPath + "/Tests/Fixtures/hj212/packets.txt"
        let fixtures = ((try? String(contentsOfFile: fixturePath, encoding: .utf8)) ?? "")
            .split(separator: "\n").filter { $0.hasPrefix("##") }
            .map { Array(($0.hasSuffix("\r") ? String($0.dropLast()) : String($0)).utf8) + [13, 10] }
        let simulated = ((try? plans(series: series, devices: 12)) ?? []).flatMap { plan in
            plan.packets.prefix(200).map { Array($0.frame.readableBytesView) }
        }
        var lines: [String] = []
        for (name, frames) in [
            ("真实数据包 real packets (packets.txt, \(fixtures.count))", fixtures),
            ("模拟 2061 数据包 simulated 2061 packets (\(simulated.count))", simulated),
        ] {
            guard !frames.isEmpty else {
                lines.append("(a) \(name): 无数据包 / no packets found")
                continue
            }
            let parser = HJ212Parser(policy: .tolerant)
            var checksum = 0
            var failures = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for index in 0..<count {
                do {
                    checksum &+= try parser.parse(frame: frames[index % frames.count]).packet.cp.count
                } catch {
                    failures += 1
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(count) / seconds
            lines.append(
                figure(
                    "(a) 解析 + CRC，单核 / parse + CRC, one core — \(name)",
                    String(
                        format: "%.0f packets/s (%d in %.2f s, %.0f MB/s) [checksum %d, failures %d]", rate, count,
                        seconds, Double(frames.reduce(0) { $0 + $1.count }) / Double(frames.count) * rate / 1e6,
                        checksum, failures),
                    goal: "≥ 500,000 packets/s", pass: rate >= 500_000))
        }
        return lines
    }

    // MARK: Setup shared by (b)–(e)

    /// An application prepared like `serve`: `configure`, then `prepareDatabase` (PostgreSQL migrated
    /// first, since `serve` refuses pending migrations), then `stations` registered in one batch.
    static func makeApplication(
        _ location: DatabaseLocation, directory: String, stations: [Station], startWriter: Bool = true
    ) async throws -> (Application, AppMetrics, LantianConfiguration) {
        var configuration = LantianConfiguration(
            database: location, dataDirectory: directory, httpPort: 0, hj212Port: 0, logLevel: .warning)
        configuration.demoReplay = false
        let metrics = AppMetrics()
        let app = try await LantianServer.makeApplication()
        app.logger.logLevel = .warning
        do {
            try configure(app, configuration, metrics: metrics)
            if !location.isSQLite { try await app.autoMigrate() }
            if startWriter {
                try await prepareDatabase(app, configuration)
            } else {
                for eventLoop in app.eventLoopGroup.makeIterator() {
                    try await SQLiteTuning.apply(on: app.databases.database(logger: app.logger, on: eventLoop)!)
                }
                try await app.autoMigrate()
            }
            try await OrganisationRepository(database: app.db).upsert(regions: [], units: [], stations: stations)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return (app, metrics, configuration)
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "lantian-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func count(_ table: String, on database: any Database, where condition: String = "") async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return -1 }
        let row = try await sql.raw(
            SQLQueryString("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) \(unsafeRaw: condition)")
        )
        .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: (b) and (d) end to end

    static func endToEnd(
        database: (String) -> DatabaseLocation, label: String, series: IngestPlanner.Series, devices: Int,
        seconds: Double
    ) async throws -> (rows: Int, valuesPerSecond: Double) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let location = database(directory)
        let (app, metrics, _) = try await makeApplication(location, directory: directory, stations: stations(devices))
        let before = try await count("readings", on: app.db, where: "WHERE station_code LIKE 'BN%'")
        var logger = Logger(label: "lantian.bench")
        logger.logLevel = .warning
        let service = HJ212Service(
            configuration: HJ212ServiceConfiguration(
                host: "127.0.0.1", port: 0, maxConnections: devices + 100, packetsPerSecond: 1_000_000,
                now: IngestRuntime.now),
            directory: StationDirectory(database: app.db), sink: app.ingest.store,
            metricsFactory: metrics.metricsFactory, logger: logger, eventLoopGroup: app.eventLoopGroup)
        let group = ServiceGroup(services: [service], logger: logger)
        let running = Task { try await group.run() }
        let result: DriverResult
        let after: Int
        do {
            let port = try await service.boundPort()
            let plans = try plans(series: series, devices: devices)
            var options = DriverOptions(host: "127.0.0.1", port: port)
            options.duration = .nanoseconds(Int64(seconds * 1e9))
            result = await IngestDriver.run(plans: plans, options: options, group: app.eventLoopGroup)
            after = try await count("readings", on: app.db, where: "WHERE station_code LIKE 'BN%'")
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            try? await app.asyncShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        try await app.asyncShutdown()

        let name = label == "SQLite" ? "(b)" : "(d)"
        let exposition = metrics.exposition()
        let commits = metricSum(exposition, "lantian_ingest_commits_total")
        let commitSeconds = metricSum(exposition, "lantian_ingest_commit_seconds_sum")
        let rollupSeconds = metricSum(exposition, "lantian_rollup_step_seconds_sum")
        let rolledUp = metricSum(exposition, "lantian_rollup_station_hours_total")
        print(
            String(
                format: "\(name) 写入器 / writer: %.0f commits, %.0f values per commit, %.1f ms per commit,"
                    + " %.1f s committing + %.1f s rolling up (%.0f station-hours) of %.1f s",
                commits, commits > 0 ? Double(result.counters.valuesAnswered) / commits : 0,
                commits > 0 ? commitSeconds / commits * 1000 : 0, commitSeconds, rollupSeconds, rolledUp,
                result.seconds))
        let counters = result.counters
        let rate = Double(counters.valuesAnswered) / result.seconds
        print(
            "\(name) \(label) 端到端 / end to end: \(devices) 台进程内模拟设备 in-process devices → HJ212Service → ReadingStore;"
                + String(
                    format:
                        " %.1f s, packets sent %d, answered %d, re-sent %d, refused %d; rows in readings %d (new %d)",
                    result.seconds, counters.packetsSent, counters.packetsAnswered, counters.packetsResent,
                    counters.packetsRefused, after, after - before))
        print(
            figure(
                "\(name) \(label) 已提交数值 / committed values/s", String(format: "%.0f", rate), goal: "≥ 200,000",
                pass: rate >= 200_000))
        let p50 = result.percentile(0.5) ?? .nan
        let p99 = result.percentile(0.99) ?? .nan
        print(
            figure(
                "\(name) \(label) 发送→9014 延迟 / packet sent → 9014 received",
                String(
                    format: "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", p50, result.percentile(0.9) ?? .nan,
                    p99, result.percentile(1) ?? .nan), goal: "p99 < 50 ms", pass: p99 < 50))
        return (after - before, rate)
    }

    /// The sum of every sample of `name` (all label sets) in a Prometheus text exposition.
    static func metricSum(_ exposition: String, _ name: String) -> Double {
        exposition.split(separator: "\n").reduce(0) { total, line in
            guard line.hasPrefix(name), let next = line.dropFirst(name.count).first, next == " " || next == "{",
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { return total }
            return total + value
        }
    }

    // MARK: (c) bare bulk insert

    /// Seconds to insert `rows` readings (the same station-hours (b) stored, hour by hour across the
    /// stations) with SQLiteNIO alone: one transaction, multi-row prepared INSERTs into `readings`.
    static func bareInsert(series: IngestPlanner.Series, devices: Int, rows: Int) async throws -> Double {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/bulk.sqlite"
        let (app, _, _) = try await makeApplication(
            .sqliteFile(path: path), directory: directory, stations: stations(devices), startWriter: false)
        try await app.asyncShutdown()

        // Hour-major order across the devices, as the devices sent them.
        let perStation = series.stations.map(\.readings)
        let hours = perStation.map { readings in
            Dictionary(grouping: readings, by: \.time).sorted { $0.key < $1.key }.map(\.value)
        }
        var values: [SQLiteData] = []
        let columns = 12
        values.reserveCapacity(rows * columns)
        let receivedAt = SQLiteData.integer(Int(Date().timeIntervalSince1970))
        var produced = 0
        var hour = 0
        outer: while produced < rows {
            var any = false
            for device in 0..<devices {
                let series = hours[device % hours.count]
                guard hour < series.count else { continue }
                any = true
                for reading in series[hour] {
                    values += [
                        .text(stationCode(device)), .text(reading.period.rawValue), .integer(Int(reading.time)),
                        .text(reading.code), reading.value.map(SQLiteData.float) ?? .null, .null, .null, .null,
                        .null, .text(reading.flag), .text("hj212"), receivedAt,
                    ]
                    produced += 1
                    if produced == rows { break outer }
                }
            }
            if !any { break }
            hour += 1
        }

        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        for pragma in SQLiteTuning.pragmas { _ = try await connection.query(pragma, []) }
        let perStatement = 30_000 / columns
        func statement(_ count: Int) -> String {
            var text =
                "INSERT INTO readings (station_code, period, time, code, value, minimum, maximum, cumulative,"
                + " converted, flag, source, received_at) VALUES "
            for row in 0..<count {
                text += row == 0 ? "(" : ", ("
                for column in 0..<columns { text += (column == 0 ? "?" : ", ?") }
                text += ")"
            }
            return text
        }
        let full = statement(perStatement)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await connection.query("BEGIN", [])
        var offset = 0
        while offset < produced {
            let count = min(perStatement, produced - offset)
            let sql = count == perStatement ? full : statement(count)
            try await connection.query(
                sql, Array(values[(offset * columns)..<((offset + count) * columns)])
            ) { _ in }
            offset += count
        }
        _ = try await connection.query("COMMIT", [])
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try await connection.close()
        return seconds
    }

    // MARK: (e) memory

    static func residentMegabytes(_ field: String = "VmRSS") -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").compactMap { Double($0) }
            return (digits.first ?? .nan) / 1024
        }
        return .nan
    }

    /// Loads `days` of hourly data for `stations` stations (the six AQI pollutants; values from the demo
    /// series, station i replaying demo station i mod 12, day d its day d mod 14) through `ReadingWriter`,
    /// one transaction per day, rolling up after each day; then runs the dashboard queries.
    static func memory(series: IngestPlanner.Series, stations count: Int, days: Int) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print(String(format: "(e) 内存 / memory: RSS at start %.0f MB", residentMegabytes()))
        let (app, _, _) = try await makeApplication(
            .sqliteFile(path: directory + "/memory.sqlite"), directory: directory, stations: stations(count),
            startWriter: false)
        let aqiCodes: Set<String> = ["a34004", "a34002", "a21026", "a21004", "a21005", "a05024"]
        // Per demo station: its 14 days of hours, each hour's AQI readings, with times relative to day 0.
        let demo = series.stations.map { station -> [[Reading]] in
            let first = station.readings.first!.time  // 14 × 24 hours from the first
            var byDay = [[Reading]](repeating: [], count: 14)
            for reading in station.readings where aqiCodes.contains(reading.code) {
                let day = Int((reading.time - first) / 86_400)
                guard day >= 0 && day < 14 else { continue }
                var relative = reading
                relative.time -= first + Int64(day) * 86_400
                byDay[day].append(relative)
            }
            return byDay
        }
        let firstDay = ChinaClock.dayStart(Int64(1_420_041_600))  // 2015-01-01 China time
        let writer = ReadingWriter(database: app.db)
        let rollup = Rollup(database: app.db)
        let started = DispatchTime.now().uptimeNanoseconds
        var rows = 0
        var loadedDays = 0
        do {
            for day in 0..<days {
                var batch: [Reading] = []
                batch.reserveCapacity(count * 24 * 6)
                let dayStart = firstDay + Int64(day) * 86_400
                for station in 0..<count {
                    for reading in demo[station % demo.count][day % 14] {
                        var copy = reading
                        copy.stationCode = stationCode(station)
                        copy.time += dayStart
                        batch.append(copy)
                    }
                }
                _ = try await writer.insert([batch], receivedAt: Int64(Date().timeIntervalSince1970))
                _ = try await rollup.runUntilIdle(limit: 5_000)
                rows += batch.count
                loadedDays = day + 1
                if loadedDays % 30 == 0 || loadedDays == days || loadedDays <= 1 {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                    print(
                        String(
                            format: "(e) 已载入 %d 天 / days loaded %d: %d rows, %.0f s, RSS %.0f MB", loadedDays,
                            loadedDays, rows, seconds, residentMegabytes()))
                }
            }
            let queries = ReadingQueries(database: app.db)
            let queryStart = DispatchTime.now().uptimeNanoseconds
            let latest = try await queries.latestValues()
            let latestAQI = try await queries.latestAQI()
            let lastDay = firstDay + Int64(loadedDays) * 86_400
            let year = try await queries.hourly(
                station: stationCode(0), from: max(firstDay, lastDay - 365 * 86_400), to: lastDay)
            let queryMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - queryStart) / 1e6
            print(
                String(
                    format:
                        "(e) 看板查询 / dashboard queries: latestValues %d rows, latestAQI %d stations, one station's hourly AQI %d hours, %.0f ms",
                    latest.count, latestAQI.count, year.count, queryMilliseconds))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        let rss = residentMegabytes()
        print(
            figure(
                "(e) 载入 \(loadedDays) 天 × \(count) 站小时数据并查询后的 RSS / RSS after \(loadedDays) days × \(count) stations + queries",
                String(format: "%.0f MB (peak VmHWM %.0f MB)", rss, residentMegabytes("VmHWM")), goal: "< 300 MB",
                pass: rss < 300))
        try await app.asyncShutdown()
    }
}
