import Campaign
import Foundation
import NIOConcurrencyHelpers

/// What is pushed when an alert opens, repeats, is dispatched, escalated or changes status.
public struct AlertNotice: Sendable, Codable, Hashable {
    /// `opened`, `repeated`, `dispatched`, `escalated`, or the action taken (`acknowledge`, `handle`, …).
    public var event: String
    public var alert: AlertJSON
    /// One line for people (a chat group, a wall screen), Chinese first.
    public var text: String
    /// Seconds since 1970 when the notice was made.
    public var at: Int64
}

/// Live push to open dashboards: each subscriber gets every notice its filter lets through, in
/// order, through its own bounded buffer (a slow screen loses its oldest notices, never slows others).
public final class AlertHub: Sendable {
    struct Subscriber {
        var filter: @Sendable (Alert) -> Bool
        var continuation: AsyncStream<AlertNotice>.Continuation
    }

    let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])

    public init() {}

    /// A stream of the notices `filter` accepts; it ends when the subscriber goes away.
    public func subscribe(
        buffer: Int = 256, filter: @escaping @Sendable (Alert) -> Bool = { _ in true }
    ) -> AsyncStream<AlertNotice> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: AlertNotice.self, bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        subscribers.withLockedValue { $0[id] = Subscriber(filter: filter, continuation: continuation) }
        return stream
    }

    public var subscriberCount: Int { subscribers.withLockedValue { $0.count } }

    func publish(_ notice: AlertNotice, about alert: Alert) {
        let targets = subscribers.withLockedValue { Array($0.values) }
        for subscriber in targets where subscriber.filter(alert) {
            subscriber.continuation.yield(notice)
        }
    }

    /// Ends every stream (shutdown).
    func finish() {
        let targets = subscribers.withLockedValue { subscribers in
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }
        for subscriber in targets { subscriber.continuation.finish() }
    }
}
