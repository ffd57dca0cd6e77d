import ArgumentParser
import Foundation
import HJ212
import NIOCore
import NIOPosix

/// `lantian simulate --source beijing|cnemc FILE… --devices N --speed X --to HOST:PORT`
///
/// Replays real data as HJ 212 data loggers would send it: N concurrent TCP connections, one per device,
/// each sending hour uploads (CN 2061, Flag A=1) and waiting for the platform's 9014 before the next.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "模拟 HJ 212 数据采集仪，把真实数据发给接入服务 / replay real data as HJ 212 data loggers over TCP.",
        discussion: """
            每台设备一条 TCP 连接：发送一个小时数据包（CN=2061，Flag 应答位 A=1），等待平台的 9014 数据应答后
            再发下一个；超时（默认 10 秒）后重发，最多 3 次（HJ 212-2017 表 1）。收到 9011（QnRtn）记为被拒绝。
            站点编码 → MN = 前缀 + 编码（演示站点为 BJDEMO1001A 等），数值按演示站点登记的单位发送（CO mg/m³、
            气压 hPa）。设备数多于站点数时，第 i 台设备重放第 (i mod 站点数) 个站点，数据时间整体前移若干个
            数据跨度，互不重叠。
            Each device is one TCP connection sending hour uploads (Flag A=1) and waiting for each 9014, re-sending
            after the timeout up to 3 times. With more devices than stations, device i replays station i mod count
            with its data moved back by whole spans, so rows never collide.
            Exit codes: 0 every packet answered with 9014; 1 otherwise (refused, unanswered, connection failed);
            64 bad options or unreadable files.
            """
    )

    @Option(help: "数据格式 / file format: beijing (UCI 北京多站点) or cnemc (总站实时发布)")
    var source: String

    @Argument(help: "一个或多个数据文件 / one or more data files")
    var files: [String]

    @Option(help: "并发设备（连接）数 / concurrent devices (connections)")
    var devices = 1

    @Option(help: "回放速度：每墙钟小时的数据小时数（3600 = 每秒一小时数据）；0 = 尽快 / data-hours per wall-clock hour; 0 = as fast as answered")
    var speed: Double = 0

    @Option(help: "接入服务地址 / HJ 212 service address, HOST:PORT")
    var to: String

    @Option(name: .customLong("mn-prefix"), help: "MN 前缀（MN = 前缀 + 站点编码）/ MN prefix (MN = prefix + station code)")
    var mnPrefix = "BJDEMO"

    @Option(help: "设备密码 PW / device password")
    var password = "123456"

    @Option(help: "最长运行秒数，之后不再发送新数据包 / stop sending new packets after this many seconds")
    var duration: Double?

    @Option(help: "协议版本（Flag 版本位）/ protocol edition: 2017 or 2025")
    var edition = 2017

    @Option(help: "等待应答的秒数 / seconds to wait for an answer before re-sending")
    var timeout: Double = 10

    @Option(help: "每个数据包的重发次数 / re-sends per packet")
    var retries = 3

    @Option(help: "把得到 9014 的每个数据包写入此文件（TSV）/ write every packet answered with 9014 to FILE (TSV)")
    var record: String?

    @Flag(help: "不打印进度 / no progress lines")
    var quiet = false

    func validate() throws {
        var problems: [String] = []
        if IngestPlanner.Source(rawValue: source) == nil {
            problems.append("--source \(source)：应为 beijing 或 cnemc / expected beijing or cnemc")
        }
        if Self.address(to) == nil {
            problems.append("--to \(to)：应为 主机:端口，如 127.0.0.1:8212 / expected HOST:PORT, e.g. 127.0.0.1:8212")
        }
        if devices < 1 || devices > 100_000 { problems.append("--devices 应在 1…100000 / must be 1…100000") }
        if speed < 0 || !speed.isFinite { problems.append("--speed 不能为负 / must not be negative") }
        if ![2017, 2025].contains(edition) { problems.append("--edition 应为 2017 或 2025 / expected 2017 or 2025") }
        if timeout <= 0 { problems.append("--timeout 须大于 0 / must be positive") }
        if retries < 0 { problems.append("--retries 不能为负 / must not be negative") }
        if let duration, duration <= 0 { problems.append("--duration 须大于 0 / must be positive") }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            problems.append("无法读取文件 \(file) / cannot read \(file)")
        }
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
    }

    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            return nil
        }
        return (host, port)
    }

    func run() async throws {
        let (host, port) = Self.address(to)!
        let now = Int64(Date().timeIntervalSince1970)
        let series: IngestPlanner.Series
        do {
            series = try IngestPlanner.read(files: files, source: IngestPlanner.Source(rawValue: source)!, now: now)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(64)
        }
        guard !series.stations.isEmpty else {
            FileHandle.standardError.write(Data("文件中没有可发送的读数 / no readings to send in the files\n".utf8))
            throw ExitCode(64)
        }
        let identities = IngestPlanner.identities(series: series, devices: devices, mnPrefix: mnPrefix)
        let plans = try IngestPlanner.plans(
            series: series, identities: identities, password: password,
            version: edition == 2025 ? .hj212_2025 : .hj212_2017, sentAt: now * 1000, recording: record != nil)
        let packets = plans.reduce(0) { $0 + $1.packets.count }
        say(
            "数据行 \(series.rows)，读数 \(series.readingCount)（站点 \(series.stations.count)），拒绝 \(series.rejected)，缺测 \(series.missing)"
                + " / rows \(series.rows), readings \(series.readingCount) (\(series.stations.count) stations),"
                + " rejected \(series.rejected), missing \(series.missing)")
        say(
            "\(devices) 台设备，\(packets) 个数据包 → \(host):\(port)"
                + " / \(devices) devices, \(packets) packets → \(host):\(port)")

        var options = DriverOptions(host: host, port: port)
        options.speed = speed  // data-hours per wall-clock hour = data-seconds per wall-clock second
        options.timeout = .nanoseconds(Int64(timeout * 1e9))
        options.retries = retries
        options.duration = duration.map { .nanoseconds(Int64($0 * 1e9)) }
        let writer = try record.map { try RecordWriter(path: $0) }
        let quiet = self.quiet
        let result = await IngestDriver.run(
            plans: plans, options: options, record: writer, progressEvery: quiet ? nil : .seconds(1)
        ) { counters, seconds in
            let line = String(
                format: "%.0f s：已发 %d，已应答 %d，重发 %d，拒绝 %d / sent %d, answered %d, re-sent %d, refused %d",
                seconds, counters.packetsSent, counters.packetsAnswered, counters.packetsResent,
                counters.packetsRefused, counters.packetsSent, counters.packetsAnswered, counters.packetsResent,
                counters.packetsRefused)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        writer?.close()
        print(Self.summary(result).joined(separator: "\n"))
        for (message, count) in result.counters.connectionProblems.sorted(by: { $0.value > $1.value }) {
            FileHandle.standardError.write(Data("\(message)（\(count) 台设备 / devices）\n".utf8))
        }
        if !result.allAnswered { throw ExitCode(1) }
    }

    private func say(_ line: String) {
        if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    static func summary(_ result: DriverResult) -> [String] {
        let counters = result.counters
        let rate = result.seconds > 0 ? Double(counters.valuesAnswered) / result.seconds : 0
        var lines = [
            "设备已连接 \(counters.devicesConnected) / devices connected \(counters.devicesConnected)",
            "数据包：计划 \(result.packetsPlanned)，已发 \(counters.packetsSent)，已应答 \(counters.packetsAnswered)，"
                + "重发 \(counters.packetsResent)，拒绝 \(counters.packetsRefused)，无应答 \(counters.packetsUnanswered)，"
                + "未发 \(counters.packetsNotSent) / packets: planned \(result.packetsPlanned), sent \(counters.packetsSent),"
                + " answered \(counters.packetsAnswered), re-sent \(counters.packetsResent),"
                + " refused \(counters.packetsRefused), unanswered \(counters.packetsUnanswered),"
                + " not sent \(counters.packetsNotSent)",
            String(
                format: "数值：已发 %d，已确认 %d，%.0f 个/秒（%.1f 秒）/ values: sent %d, acknowledged %d, %.0f values/s (%.1f s)",
                counters.valuesSent, counters.valuesAnswered, rate, result.seconds, counters.valuesSent,
                counters.valuesAnswered, rate, result.seconds),
        ]
        if let p50 = result.percentile(0.5), let p90 = result.percentile(0.9), let p99 = result.percentile(0.99),
            let max = result.percentile(1)
        {
            lines.append(
                String(
                    format: "应答延迟 / answer latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                    p50, p90, p99, max))
        }
        for (code, count) in counters.refusals.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "9011 QnRtn=\(RequestReturnCode(code: code))：\(count) 个 / packets")
        }
        return lines
    }
}
