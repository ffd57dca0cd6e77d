import Foundation
import HJ212
import Ingest
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One packet a simulated data logger will send, encoded in advance.
struct PlannedPacket: Sendable {
    var frame: ByteBuffer
    var qn: String
    /// The data time (period start, epoch seconds) the packet carries.
    var time: Int64
    /// Pollutant items in the packet.
    var values: Int
    /// The line written to `--record` when the packet is answered with 9014.
    var record: String?
}

/// What one simulated device sends, in order.
struct DevicePlan: Sendable {
    var mn: String
    var stationCode: String
    var packets: [PlannedPacket]
}

/// How the devices behave: where they connect, how fast they send, how they wait for answers.
struct DriverOptions: Sendable {
    var host: String
    var port: Int
    /// Data seconds per wall-clock second; 0 = each packet as soon as the previous one is answered.
    var speed: Double = 0
    /// How long a device waits for the 9014 before it re-sends (HJ 212-2017 Table 1: 10 s for GPRS-class links).
    var timeout: TimeAmount = .seconds(10)
    /// Re-sends of one packet before the device gives up on it (Table 1: 3); also reconnection attempts.
    var retries = 3
    /// Wait between reconnection attempts after the server closed the connection.
    var reconnectDelay: TimeAmount = .seconds(1)
    /// Stop sending new packets after this long.
    var duration: TimeAmount?
    /// Keep every answer latency (percentiles); off only to save memory.
    var keepLatencies = true
}

/// Running totals over all devices (shared, under a lock; also read for the progress line).
struct DriverCounters: Sendable {
    var devicesConnected = 0
    var packetsSent = 0
    var packetsAnswered = 0
    var packetsResent = 0
    var packetsRefused = 0
    var packetsUnanswered = 0
    var packetsNotSent = 0
    var valuesSent = 0
    var valuesAnswered = 0
    /// QnRtn of each 9011 refusal (HJ 212-2017 Table 7) → count.
    var refusals: [Int: Int] = [:]
    /// Connection problems, described, → count.
    var connectionProblems: [String: Int] = [:]
}

/// The result of a run: the counters, every answer latency (nanoseconds, sorted) and the wall time.
struct DriverResult: Sendable {
    var counters: DriverCounters
    var latencies: [Int64]
    var seconds: Double
    var packetsPlanned: Int

    var allAnswered: Bool {
        counters.packetsAnswered == packetsPlanned && packetsPlanned > 0
    }

    func percentile(_ fraction: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.up)) - 1)
        return Double(latencies[max(0, index)]) / 1e6
    }
}

/// Appends lines to a file as they come (several event loops write).
final class RecordWriter: Sendable {
    let handle: NIOLockedValueBox<FileHandle>

    init(path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw DriverSetupError(message: "无法写入 \(path) / cannot write \(path)")
        }
        self.handle = NIOLockedValueBox(handle)
    }

    func write(_ line: String) {
        handle.withLockedValue { $0.write(Data((line + "\n").utf8)) }
    }

    func close() {
        handle.withLockedValue { try? $0.close() }
    }
}

struct DriverSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Drives many simulated HJ 212 data loggers over TCP (SwiftNIO `ClientBootstrap`), each on its own
/// connection: send a packet, wait for its 9014 (re-send after `timeout`, up to `retries` times, as a
/// logger does per HJ 212-2017 Table 1), then the next. A 9011 with `QnRtn` is a refusal: counted, and
/// the device moves on. Everything a device does runs on its channel's event loop.
enum IngestDriver {
    static func run(
        plans: [DevicePlan], options: DriverOptions, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        record: RecordWriter? = nil, progressEvery: TimeAmount? = nil,
        progress: (@Sendable (DriverCounters, Double) -> Void)? = nil
    ) async -> DriverResult {
        let shared = NIOLockedValueBox(DriverCounters())
        let start = NIODeadline.now()
        let end = options.duration.map { start + $0 }
        var runs: [DeviceRun] = []
        runs.reserveCapacity(plans.count)
        for plan in plans {
            runs.append(
                DeviceRun(
                    plan: plan, options: options, eventLoop: group.next(), shared: shared, record: record,
                    start: start, end: end))
        }
        var ticker: RepeatedTask?
        if let progressEvery, let progress {
            ticker = group.next().scheduleRepeatedTask(initialDelay: progressEvery, delay: progressEvery) { _ in
                progress(shared.withLockedValue { $0 }, Double((NIODeadline.now() - start).nanoseconds) / 1e9)
            }
        }
        for run in runs { run.eventLoop.execute { run.connect() } }
        var latencies: [Int64] = []
        for run in runs {
            if let stats = try? await run.done.futureResult.get() { latencies += stats }
        }
        ticker?.cancel()
        latencies.sort()
        return DriverResult(
            counters: shared.withLockedValue { $0 }, latencies: latencies,
            seconds: Double((NIODeadline.now() - start).nanoseconds) / 1e9,
            packetsPlanned: plans.reduce(0) { $0 + $1.packets.count })
    }

    /// A connection error in words an operator can act on, Chinese first.
    static func describe(_ error: any Error, host: String, port: Int) -> String {
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") || text.contains("errno: 111") {
            return "无法连接 \(host):\(port)：连接被拒绝（HJ 212 服务未运行或端口不对？）"
                + " / cannot connect to \(host):\(port): connection refused (is the HJ 212 service running?)"
        }
        if text.contains("timed out") || text.contains("ETIMEDOUT") || text.contains("connectTimeout") {
            return "无法连接 \(host):\(port)：连接超时 / cannot connect to \(host):\(port): timed out"
        }
        if text.contains("resolve") || text.contains("getaddrinfo") || text.contains("unknown host") {
            return "无法解析主机 \(host) / cannot resolve host \(host)"
        }
        return "无法连接 \(host):\(port) / cannot connect to \(host):\(port): \(text)"
    }
}

/// One device's state across its connections. Touched only on `eventLoop`.
final class DeviceRun: @unchecked Sendable {
    let plan: DevicePlan
    let options: DriverOptions
    let eventLoop: any EventLoop
    let shared: NIOLockedValueBox<DriverCounters>
    let record: RecordWriter?
    let start: NIODeadline
    let end: NIODeadline?
    let done: EventLoopPromise<[Int64]>

    private var index = 0
    /// Sends of the current packet so far (0 = not sent yet).
    private var attempts = 0
    private var firstSent = NIODeadline.now()
    private var timer: Scheduled<Void>?
    private var pacing: Scheduled<Void>?
    private var channel: (any Channel)?
    private var everConnected = false
    private var reconnects = 0
    private var finished = false
    private var latencies: [Int64] = []
    private let firstTime: Int64
    private static let parser = HJ212Parser(policy: .tolerant)

    init(
        plan: DevicePlan, options: DriverOptions, eventLoop: any EventLoop, shared: NIOLockedValueBox<DriverCounters>,
        record: RecordWriter?, start: NIODeadline, end: NIODeadline?
    ) {
        self.plan = plan
        self.options = options
        self.eventLoop = eventLoop
        self.shared = shared
        self.record = record
        self.start = start
        self.end = end
        done = eventLoop.makePromise()
        firstTime = plan.packets.first?.time ?? 0
        if options.keepLatencies { latencies.reserveCapacity(plan.packets.count) }
    }

    func connect() {
        guard !finished else { return }
        if plan.packets.isEmpty { return finish() }
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HJ212FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(DeviceChannelHandler(run: self))
                }
            }
            .connect(host: options.host, port: options.port)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel): connected(channel)
                case .failure(let error): connectFailed(error)
                }
            }
    }

    private func connected(_ channel: any Channel) {
        guard !finished else {
            channel.close(promise: nil)
            return
        }
        self.channel = channel
        if !everConnected {
            everConnected = true
            shared.withLockedValue { $0.devicesConnected += 1 }
        }
        if attempts > 0 {
            sendCurrent()  // the packet in hand when the connection dropped goes again
        } else {
            next()
        }
    }

    private func connectFailed(_ error: any Error) {
        let message = IngestDriver.describe(error, host: options.host, port: options.port)
        // A logger that never got through gives up at once (the operator must fix the address);
        // one that lost its connection keeps trying a few times.
        guard everConnected, reconnects < options.retries else {
            problem(message)
            return giveUp()
        }
        reconnects += 1
        eventLoop.scheduleTask(in: options.reconnectDelay) { [self] in connect() }
    }

    /// The server closed the connection (or it broke).
    func closed() {
        channel = nil
        timer?.cancel()
        timer = nil
        guard !finished else { return }
        problem("服务器关闭了连接 / the server closed the connection")
        guard reconnects < options.retries else { return giveUp() }
        reconnects += 1
        eventLoop.scheduleTask(in: options.reconnectDelay) { [self] in connect() }
    }

    private func problem(_ message: String) {
        shared.withLockedValue { $0.connectionProblems[message, default: 0] += 1 }
    }

    /// Sends the next packet now, or when its data time is due at the chosen speed.
    private func next() {
        guard !finished else { return }
        guard index < plan.packets.count else { return finish() }
        let now = NIODeadline.now()
        if let end, now >= end {
            shared.withLockedValue { $0.packetsNotSent += plan.packets.count - index }
            return finish()
        }
        if options.speed > 0 {
            let dataSeconds = Double(plan.packets[index].time - firstTime)
            let due = start + .nanoseconds(Int64(dataSeconds / options.speed * 1e9))
            if due > now {
                pacing = eventLoop.scheduleTask(deadline: due) { [self] in
                    pacing = nil
                    sendCurrent()
                }
                return
            }
        }
        sendCurrent()
    }

    private func sendCurrent() {
        guard !finished, let channel else { return }
        let packet = plan.packets[index]
        attempts += 1
        if attempts == 1 {
            firstSent = .now()
            shared.withLockedValue {
                $0.packetsSent += 1
                $0.valuesSent += packet.values
            }
        } else {
            shared.withLockedValue { $0.packetsResent += 1 }
        }
        channel.writeAndFlush(packet.frame, promise: nil)
        timer?.cancel()
        timer = eventLoop.scheduleTask(in: options.timeout) { [self] in timedOut() }
    }

    private func timedOut() {
        timer = nil
        guard !finished else { return }
        if attempts <= options.retries {
            sendCurrent()
        } else {
            shared.withLockedValue { $0.packetsUnanswered += 1 }
            advance()
        }
    }

    private func advance() {
        index += 1
        attempts = 0
        next()
    }

    /// A frame from the server: the answer to the packet in hand, or something stale to ignore.
    func received(_ frame: HJ212Frame) {
        guard !finished, attempts > 0, index < plan.packets.count, case .packet(let buffer) = frame,
            let answer = try? Self.parser.parse(frame: buffer).packet
        else { return }
        let packet = plan.packets[index]
        guard answer.qn == packet.qn else { return }  // a late answer to an earlier (re-)send
        switch answer.cn {
        case .dataAnswer:
            timer?.cancel()
            timer = nil
            let latency = (NIODeadline.now() - firstSent).nanoseconds
            if options.keepLatencies { latencies.append(latency) }
            shared.withLockedValue {
                $0.packetsAnswered += 1
                $0.valuesAnswered += packet.values
            }
            if let record, let line = packet.record { record.write("\(line)\t\(plan.mn)") }
            advance()
        case .requestAnswer:
            timer?.cancel()
            timer = nil
            let code = answer.cp.requestReturnCode?.code ?? 0
            shared.withLockedValue {
                $0.packetsRefused += 1
                $0.refusals[code, default: 0] += 1
            }
            advance()
        default:
            return
        }
    }

    private func giveUp() {
        let inHand = attempts > 0 && index < plan.packets.count ? 1 : 0
        let left = plan.packets.count - index - inHand
        shared.withLockedValue {
            $0.packetsUnanswered += inHand
            $0.packetsNotSent += left
        }
        finish()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        pacing?.cancel()
        channel?.close(promise: nil)
        channel = nil
        done.succeed(latencies)
    }
}

/// Passes a connection's frames and its end to the device.
final class DeviceChannelHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HJ212Frame

    let run: DeviceRun

    init(run: DeviceRun) {
        self.run = run
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        run.received(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        run.closed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
