import HJ212

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Settings of the HJ 212 TCP service. The defaults suit a city network of a few thousand data loggers.
public struct HJ212ServiceConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); ``HJ212Service/boundPort()`` tells which.
    public var port: Int
    /// A connection with nothing received for this long is closed. Hourly-only loggers (CN 2061) stay
    /// quiet for an hour, so the default is 65 minutes.
    public var idleTimeout: Duration
    /// Connections beyond this are closed as soon as they are accepted.
    public var maxConnections: Int
    /// Longest frame from `##` to CR LF. HJ 212-2017 Table 2 allows 1036 bytes; real devices send up to
    /// 1623, and a 4-digit length field can declare 9999.
    public var maxFrameLength: Int
    /// Consecutive frames that fail (garbage, truncated, oversize, unparsable) before the connection is closed.
    public var badFrameBudget: Int
    /// Sustained packets per second allowed on one connection (burst: the same number); packets beyond it
    /// are dropped unanswered, so the device re-sends them later.
    public var packetsPerSecond: Int
    /// How long a station found by MN stays cached.
    public var directoryCacheTTL: Duration
    /// How long an unknown MN stays cached as unknown (short, so a newly registered logger is let in soon).
    public var directoryMissTTL: Duration
    /// Incomplete split uploads (PNUM/PNO) held per connection, and how long each is kept.
    public var maxPendingSplitSets: Int
    public var splitTimeout: Duration
    /// The wall clock in seconds since 1970 (validation of future times, cache expiry); injectable for tests.
    public var now: @Sendable () -> Int64

    public static let defaultPort = 8212

    public init(
        host: String = "0.0.0.0",
        port: Int = HJ212ServiceConfiguration.defaultPort,
        idleTimeout: Duration = .seconds(65 * 60),
        maxConnections: Int = 10_000,
        maxFrameLength: Int = HJ212FrameScanner.defaultMaxFrameLength,
        badFrameBudget: Int = 100,
        packetsPerSecond: Int = 50,
        directoryCacheTTL: Duration = .seconds(30),
        directoryMissTTL: Duration = .seconds(5),
        maxPendingSplitSets: Int = 16,
        splitTimeout: Duration = .seconds(300),
        now: @escaping @Sendable () -> Int64 = { HJ212ServiceConfiguration.systemNow() }
    ) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxFrameLength = maxFrameLength
        self.badFrameBudget = badFrameBudget
        self.packetsPerSecond = packetsPerSecond
        self.directoryCacheTTL = directoryCacheTTL
        self.directoryMissTTL = directoryMissTTL
        self.maxPendingSplitSets = maxPendingSplitSets
        self.splitTimeout = splitTimeout
        self.now = now
    }

    /// Seconds since 1970 from the system clock, without Foundation.
    public static func systemNow() -> Int64 {
        Int64(time(nil))
    }
}
