import Campaign
import FluentKit
import Ingest

/// The database-backed `DeviceDirectory` the HJ 212 listener looks MNs up in.
public struct StationDirectory: DeviceDirectory {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func station(mn: String) async throws -> Station? {
        try await StationRepository(database: database).station(mn: mn)
    }
}
