import HJ212
import Ingest
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The HJ 212 TCP listener (HJ 212-2017 §5: the application layer over TCP/IP): accepts data loggers,
/// frames their packets, stores what they upload through a ``ReadingSink`` and answers as the standard says.
///
/// One task per connection handles its packets in order, so answers keep the order of the packets; the
/// connections run concurrently. On the service group's graceful shutdown it stops accepting, lets every
/// connection finish the packet in hand (store, then answer), and closes.
public final class HJ212Service: Service, Sendable {
    public let configuration: HJ212ServiceConfiguration
    public let metrics: HJ212ServiceMetrics
    private let processor: HJ212PacketProcessor
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let bound = NIOLockedValueBox(BindState.waiting([]))
    private let active = NIOLockedValueBox(0)

    private enum BindState {
        case waiting([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(String)
    }

    /// The service could not bind its port; the message says why.
    public struct BindError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(
        configuration: HJ212ServiceConfiguration = HJ212ServiceConfiguration(),
        directory: any DeviceDirectory,
        sink: any ReadingSink,
        metricsFactory: any MetricsFactory,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        let metrics = HJ212ServiceMetrics(factory: metricsFactory)
        self.metrics = metrics
        processor = HJ212PacketProcessor(
            configuration: configuration,
            stations: HJ212StationCache(
                directory: directory, ttl: configuration.directoryCacheTTL, missTTL: configuration.directoryMissTTL,
                now: configuration.now),
            sink: sink, metrics: metrics, logger: logger)
    }

    /// The port the service listens on, once it is bound (useful with port 0). Throws if binding failed.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, BindError>? = bound.withLockedValue { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .bound(let port): return .success(port)
                case .failed(let message): return .failure(BindError(description: message))
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    public func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<HJ212Frame, HJ212Packet>, Never>
        do {
            server = try await bind()
        } catch {
            settleBinding(.failure(BindError(description: "HJ 212 端口绑定失败 / bind failed: \(error)")))
            throw error
        }
        let port = server.channel.localAddress?.port ?? configuration.port
        settleBinding(.success(port))
        logger.notice(
            "HJ 212 服务已启动 / HJ 212 listening",
            metadata: ["host": .string(configuration.host), "port": .stringConvertible(port)])
        await withGracefulShutdownHandler {
            await acceptConnections(server)
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        logger.notice("HJ 212 服务已停止 / HJ 212 stopped")
    }

    private func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<HJ212Frame, HJ212Packet>, Never> {
        let configuration = configuration
        let metrics = metrics
        let logger = logger
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            // So that closing our input on shutdown (below) does not close the whole connection before the
            // answers to packets already received are written.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: TimeAmount(configuration.idleTimeout)))
                    try pipeline.addHandler(HJ212IdleCloseHandler(metrics: metrics, logger: logger))
                    try pipeline.addHandler(
                        ByteToMessageHandler(HJ212FrameDecoder(maxFrameLength: configuration.maxFrameLength)))
                    try pipeline.addHandler(MessageToByteHandler(HJ212PacketEncoder()))
                    return try NIOAsyncChannel<HJ212Frame, HJ212Packet>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func settleBinding(_ result: Result<Int, BindError>) {
        let waiters = bound.withLockedValue { state -> [CheckedContinuation<Int, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            switch result {
            case .success(let port): state = .bound(port)
            case .failure(let error): state = .failed(error.description)
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
    }

    /// Accepts until the server channel closes, then waits for every connection to finish.
    private func acceptConnections(_ server: NIOAsyncChannel<NIOAsyncChannel<HJ212Frame, HJ212Packet>, Never>) async {
        await withDiscardingTaskGroup { group in
            do {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        guard admit() else {
                            metrics.error("max_connections")
                            logger.warning(
                                "HJ 212 连接数已达上限，新连接被关闭 / connection limit reached, connection closed",
                                metadata: [
                                    "peer": .string(Self.describe(connection.channel.remoteAddress)),
                                    "limit": .stringConvertible(configuration.maxConnections),
                                ])
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                            continue
                        }
                        group.addTask {
                            await self.serve(connection)
                            self.active.withLockedValue { $0 -= 1 }
                        }
                    }
                }
            } catch {
                // Closing the listening socket on shutdown ends the accept loop; anything else is logged.
                logger.debug("HJ 212 监听结束 / accept loop ended", metadata: ["error": .string("\(error)")])
            }
        }
    }

    private func admit() -> Bool {
        active.withLockedValue { count in
            guard count < configuration.maxConnections else { return false }
            count += 1
            return true
        }
    }

    /// One device connection: its packets in order, answers written in the same order.
    private func serve(_ connection: NIOAsyncChannel<HJ212Frame, HJ212Packet>) async {
        let peer = Self.describe(connection.channel.remoteAddress)
        metrics.connectionOpened()
        defer { metrics.connectionClosed() }
        var state = HJ212ConnectionState(peer: peer, configuration: configuration)
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withGracefulShutdownHandler {
                    for try await frame in inbound {
                        guard try await handle(frame, state: &state, outbound: outbound) else { return }
                    }
                } onGracefulShutdown: {
                    // Stop reading: frames already received are still handled and answered, then it closes.
                    connection.channel.close(mode: .input, promise: nil)
                }
            }
        } catch {
            logger.debug(
                "HJ 212 连接异常结束 / connection ended with an error",
                metadata: ["peer": .string(peer), "error": .string("\(error)")])
        }
        if state.splits.pendingSets > 0 {
            metrics.error("split_expired")
            logger.warning(
                "HJ 212 连接关闭时仍有未收齐的分包 / connection closed with incomplete split uploads",
                metadata: ["peer": .string(peer), "sets": .stringConvertible(state.splits.pendingSets)])
        }
    }

    /// Handles one frame; false when the connection is to be closed.
    private func handle(
        _ frame: HJ212Frame, state: inout HJ212ConnectionState, outbound: NIOAsyncChannelOutboundWriter<HJ212Packet>
    ) async throws -> Bool {
        let received = ContinuousClock.now
        switch frame {
        case .discarded(let byteCount, let reason):
            metrics.error("frame_\(reason)")
            logger.warning(
                "HJ 212 丢弃无效字节 / bytes discarded",
                metadata: [
                    "peer": .string(state.peer), "reason": .string("\(reason)"),
                    "bytes": .stringConvertible(byteCount),
                ])
            return countBadFrame(&state)
        case .packet(let buffer):
            guard state.rate.take() else {
                metrics.packet(.rateLimited)
                metrics.error("rate_limited")
                logger.warning(
                    "HJ 212 超出速率限制，数据包未处理 / rate limit exceeded, packet dropped",
                    metadata: [
                        "peer": .string(state.peer), "limit": .stringConvertible(configuration.packetsPerSecond),
                    ])
                return true
            }
            let outcome = await processor.process(buffer, state: &state)
            for answer in outcome.answers {
                try await outbound.write(answer)
                if answer.cn == .dataAnswer { metrics.answered(after: received.duration(to: .now)) }
            }
            if outcome.bad { return countBadFrame(&state) }
            state.consecutiveBadFrames = 0
            return true
        }
    }

    private func countBadFrame(_ state: inout HJ212ConnectionState) -> Bool {
        state.consecutiveBadFrames += 1
        guard state.consecutiveBadFrames >= configuration.badFrameBudget else { return true }
        metrics.error("bad_frame_budget")
        logger.warning(
            "HJ 212 连续无效帧过多，连接已关闭 / too many consecutive bad frames, connection closed",
            metadata: ["peer": .string(state.peer), "frames": .stringConvertible(state.consecutiveBadFrames)])
        return false
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "?" }
        return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
    }
}

/// Closes a connection on which nothing was read for the idle timeout (`IdleStateHandler`'s read event).
final class HJ212IdleCloseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let metrics: HJ212ServiceMetrics
    private let logger: Logger

    init(metrics: HJ212ServiceMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            metrics.error("idle_timeout")
            logger.info(
                "HJ 212 连接空闲超时，已关闭 / idle connection closed",
                metadata: ["peer": .string(HJ212Service.describe(context.channel.remoteAddress))])
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
