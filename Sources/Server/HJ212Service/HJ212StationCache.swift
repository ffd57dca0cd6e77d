import Campaign
import Ingest

/// The station behind each MN, looked up through the `DeviceDirectory` and kept for a short time, so that
/// thousands of loggers each sending a packet a minute cost the store a query per station per TTL, not per
/// packet. Unknown MNs are remembered too, more briefly.
actor HJ212StationCache {
    private struct Entry {
        let station: Station?
        let expires: Int64
    }

    private let directory: any DeviceDirectory
    private let ttl: Int64
    private let missTTL: Int64
    private let now: @Sendable () -> Int64
    private let capacity: Int
    private var entries: [String: Entry] = [:]

    init(
        directory: any DeviceDirectory, ttl: Duration, missTTL: Duration, capacity: Int = 100_000,
        now: @escaping @Sendable () -> Int64
    ) {
        self.directory = directory
        self.ttl = ttl.components.seconds
        self.missTTL = missTTL.components.seconds
        self.capacity = capacity
        self.now = now
    }

    /// The station registered for `mn`, nil when none is. Throws what the directory throws.
    func station(mn: String) async throws -> Station? {
        let time = now()
        if let entry = entries[mn], entry.expires > time { return entry.station }
        let station = try await directory.station(mn: mn)
        if entries.count >= capacity {
            entries = entries.filter { $0.value.expires > time }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        }
        entries[mn] = Entry(station: station, expires: time + (station == nil ? missTTL : ttl))
        return station
    }
}
