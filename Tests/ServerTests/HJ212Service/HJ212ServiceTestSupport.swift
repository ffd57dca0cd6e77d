import Campaign
import CoreMetrics
import Foundation
import HJ212
import Ingest
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

@testable import Server

// MARK: - Fixtures

/// The real packets of `Tests/Fixtures/hj212/packets.txt` and `packets-invalid.txt`, as sent (no CR LF).
enum HJ212ServiceFixtures {
    static func lines(_ name: String) -> [String] {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let file = folder.appendingPathComponent("Tests/Fixtures/hj212/\(name)")
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("##") }
            }
            folder = folder.deletingLastPathComponent()
        }
        return []
    }

    static let packets = lines("packets.txt")
    static let invalidPackets = lines("packets-invalid.txt")

    /// One station per MN of the real packets, with the password most of them use (123456; the Z134… logger
    /// uses its 24-hex password). Packets sent with another password are refused, as they should be.
    static let stations: [Station] = {
        var byMN: [String: Station] = [:]
        for text in packets {
            guard let packet = try? HJ212Parser(policy: .tolerant).parse(text).packet, byMN[packet.mn] == nil else {
                continue
            }
            let password = packet.mn == "Z13401000010301" ? packet.pw : "123456"
            byMN[packet.mn] = station(mn: packet.mn, password: password)
        }
        return Array(byMN.values)
    }()

    static func station(
        mn: String, password: String = "123456", status: StationStatus = .active,
        crcPolicy: HJ212CRCPolicy = .either, tolerant: Bool = true,
        protocols: Set<HJ212ProtocolEdition> = Set(HJ212ProtocolEdition.allCases)
    ) -> Station {
        Station(
            code: "S-\(mn)", name: "测试站 \(mn)", kind: .national,
            coordinate: Coordinate(longitude: 116.4, latitude: 39.9), status: status,
            hj212: HJ212Identity(
                mn: mn, password: password, protocols: protocols, crcPolicy: crcPolicy, tolerant: tolerant))
    }

    /// A packet built here, framed with the standard CRC.
    static func frame(
        qn: String? = "20240101120000001", st: SystemCode = .ambientAir, cn: CommandCode, pw: String = "123456",
        mn: String, flag: PacketFlag? = PacketFlag(version: .hj212_2017, needsAnswer: true), split: SplitInfo? = nil,
        cp: String
    ) -> String {
        let packet = HJ212Packet(qn: qn, st: st, cn: cn, pw: pw, mn: mn, flag: flag, split: split, cp: CPData(text: cp))
        return try! HJ212Encoder(maxDataSegmentLength: 9999).encodeString(packet)
    }
}

// MARK: - Directory and sink

struct StaticDirectory: DeviceDirectory {
    let stations: [String: Station]
    let lookups = NIOLockedValueBox(0)

    init(_ stations: [Station]) {
        self.stations = Dictionary(stations.compactMap { station in station.hj212.map { ($0.mn, station) } }) { a, _ in
            a
        }
    }

    func station(mn: String) async throws -> Station? {
        lookups.withLockedValue { $0 += 1 }
        return stations[mn]
    }
}

/// An in-memory, idempotent sink. When `gated`, each `store` waits until the test calls `release()`.
actor MemorySink: ReadingSink {
    struct Failure: Error {}

    private(set) var rows: [ReadingKey: Reading] = [:]
    private(set) var calls = 0
    private var gated: Bool
    private var failing = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(gated: Bool = false) {
        self.gated = gated
    }

    func store(_ readings: [Reading]) async throws -> StoreOutcome {
        calls += 1
        if gated { await withCheckedContinuation { waiting.append($0) } }
        if failing { throw Failure() }
        var outcome = StoreOutcome()
        for reading in readings {
            if rows[reading.key] == nil {
                rows[reading.key] = reading
                outcome.inserted += 1
            } else {
                outcome.duplicates += 1
            }
        }
        return outcome
    }

    /// Lets every waiting store go on, and the next ones too.
    func release() {
        gated = false
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }

    var waitingStores: Int { waiting.count }

    func setFailing(_ value: Bool) { failing = value }

    func readings(station: String) -> [Reading] {
        rows.values.filter { $0.stationCode == station }.sorted { $0.key < $1.key }
    }
}

// MARK: - Metrics and logs

/// Records counter totals by `label{key=value}`.
final class RecordingMetrics: MetricsFactory, Sendable {
    let values = NIOLockedValueBox<[String: Int64]>([:])
    let timings = NIOLockedValueBox<[String: [Int64]]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        dimensions.isEmpty ? label : label + "{" + dimensions.map { "\($0)=\($1)" }.joined(separator: ",") + "}"
    }

    func value(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        values.withLockedValue { $0[Self.key(label, dimensions)] ?? 0 }
    }

    func error(_ kind: String) -> Int64 { value("lantian_hj212_errors_total", [("kind", kind)]) }
    func packets(_ result: String) -> Int64 { value("lantian_hj212_packets_total", [("result", result)]) }

    final class Handler: CounterHandler, RecorderHandler, TimerHandler, FloatingPointCounterHandler, Sendable {
        let key: String
        let owner: RecordingMetrics
        init(key: String, owner: RecordingMetrics) {
            self.key = key
            self.owner = owner
        }
        func increment(by amount: Int64) { owner.values.withLockedValue { $0[key, default: 0] += amount } }
        func increment(by amount: Double) { increment(by: Int64(amount)) }
        func reset() { owner.values.withLockedValue { $0[key] = 0 } }
        func record(_ value: Int64) { owner.values.withLockedValue { $0[key] = value } }
        func record(_ value: Double) { record(Int64(value)) }
        func recordNanoseconds(_ duration: Int64) {
            owner.timings.withLockedValue { $0[key, default: []].append(duration) }
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// Keeps every log line (message and metadata) so tests can check what is logged.
struct RecordingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.level) \(event.message) \((event.metadata ?? [:]).sorted { $0.key < $1.key })"
        lines.withLockedValue { $0.append(text) }
    }
}

// MARK: - The service on a real socket

struct RunningService {
    let service: HJ212Service
    let port: Int
    let metrics: RecordingMetrics
    let logs: NIOLockedValueBox<[String]>
    let group: ServiceGroup

    func connect() async throws -> TestDevice { try await TestDevice.connect(port: port) }
}

/// Runs an `HJ212Service` in a `ServiceGroup` on 127.0.0.1, port 0, for the duration of `body`, then
/// shuts the group down gracefully.
func withHJ212Service(
    stations: [Station] = HJ212ServiceFixtures.stations, sink: MemorySink = MemorySink(),
    configure: (inout HJ212ServiceConfiguration) -> Void = { _ in },
    _ body: (RunningService) async throws -> Void
) async throws {
    var configuration = HJ212ServiceConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let metrics = RecordingMetrics()
    let logs = NIOLockedValueBox<[String]>([])
    let logger = Logger(label: "lantian.hj212.test") { _ in RecordingLogHandler(lines: logs) }
    let service = HJ212Service(
        configuration: configuration, directory: StaticDirectory(stations), sink: sink, metricsFactory: metrics,
        logger: logger)
    let group = ServiceGroup(services: [service], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let running = RunningService(
            service: service, port: try await service.boundPort(), metrics: metrics, logs: logs, group: group)
        do {
            try await body(running)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// A data logger on the other end of a TCP connection: sends frames, collects the answers.
final class TestDevice: Sendable {
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = HJ212Frame
        let answers = NIOLockedValueBox<[HJ212Packet]>([])
        let closed = NIOLockedValueBox(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .packet(let buffer) = unwrapInboundIn(data) else { return }
            if let packet = try? HJ212Parser(policy: .strict).parse(frame: Array(buffer.readableBytesView)).packet {
                answers.withLockedValue { $0.append(packet) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed.withLockedValue { $0 = true }
            context.fireChannelInactive()
        }
    }

    let channel: any Channel
    let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int) async throws -> TestDevice {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HJ212FrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TestDevice(channel: channel, collector: collector)
    }

    /// Sends `text`, adding CR LF when it does not end with one.
    func send(_ text: String, terminate: Bool = true) async throws {
        try await send(bytes: Array(text.utf8) + (terminate && !text.hasSuffix("\r\n") ? [0x0D, 0x0A] : []))
    }

    func send(bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// The next answer, waiting up to `timeout`; nil if none came.
    func answer(within timeout: Duration = .seconds(10)) async throws -> HJ212Packet? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let next = collector.answers.withLockedValue { $0.isEmpty ? nil : $0.removeFirst() }
            if let next { return next }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Answers received so far, without waiting.
    var received: [HJ212Packet] { collector.answers.withLockedValue { $0 } }

    /// Whether the server closed the connection within `timeout`.
    func closedByServer(within timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if collector.closed.withLockedValue({ $0 }) { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    func close() async {
        try? await channel.close()
    }
}

/// Waits until `condition` holds (polling the service's state, which moves on its own event loops).
func eventually(within timeout: Duration = .seconds(10), _ condition: () async -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}
