import Campaign
import FluentKit

/// What an import did (or, in a dry run, would do), by station code.
public struct StationImportSummary: Sendable, Hashable {
    public var inserted: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []

    public init(inserted: [String] = [], updated: [String] = [], unchanged: [String] = []) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }

    public var description: String {
        "新增 \(inserted.count)，更新 \(updated.count)，未变 \(unchanged.count)"
            + " / inserted \(inserted.count), updated \(updated.count), unchanged \(unchanged.count)"
    }
}

extension StationRepository {
    /// Registers stations from an official list, all in one transaction.
    ///
    /// A new code is inserted whole (kind, status, pollutants as given). A code already registered gets its
    /// name and coordinates from the list and nothing else: its region, responsible unit, HJ 212 identity,
    /// kind, status and pollutants were set by people and stay. Running the same list twice changes nothing.
    /// With `dryRun` nothing is written.
    public func importStations(_ stations: [Station], dryRun: Bool = false, by actor: AuditActor) async throws
        -> StationImportSummary
    {
        for station in stations {
            let problems = StationValidator.problems(station)
            guard problems.isEmpty else { throw StationRegistryError.invalid(problems) }
        }
        return try await database.writeTransaction { transaction in
            let repository = StationRepository(database: transaction)
            let codes = stations.map(\.code)
            let existing = try await DB.Station.query(on: transaction).filter(\.$id ~~ codes).all()
            let rows = Dictionary(existing.map { ($0.id ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            var summary = StationImportSummary()
            var new: [Station] = []
            for station in stations {
                guard let row = rows[station.code] else {
                    summary.inserted.append(station.code)
                    new.append(station)
                    continue
                }
                let same =
                    row.name == station.name && row.longitude == station.coordinate.longitude
                    && row.latitude == station.coordinate.latitude
                if same {
                    summary.unchanged.append(station.code)
                    continue
                }
                summary.updated.append(station.code)
                guard !dryRun else { continue }
                let before = ["name": row.name, "longitude": String(row.longitude), "latitude": String(row.latitude)]
                let after = [
                    "name": station.name, "longitude": String(station.coordinate.longitude),
                    "latitude": String(station.coordinate.latitude),
                ]
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "import", entity: "station", entityID: station.code,
                    before: before, after: after)
                row.name = station.name
                row.longitude = station.coordinate.longitude
                row.latitude = station.coordinate.latitude
                try await row.save(on: transaction)
            }
            if !dryRun {
                try await repository.insertNew(new)
                for station in new {
                    try await AuditTrail.append(
                        on: transaction, actor: actor, action: "import", entity: "station", entityID: station.code,
                        before: nil, after: station.redacted)
                }
            }
            return summary
        }
    }

    /// Stations not registered yet, a few hundred rows per INSERT.
    func insertNew(_ stations: [Station]) async throws {
        var start = stations.startIndex
        while start < stations.endIndex {
            let chunk = stations[start..<min(start + 200, stations.endIndex)]
            let rows = chunk.map { station -> DB.Station in
                let row = DB.Station()
                row.fill(from: station)
                return row
            }
            try await rows.create(on: database)
            start = chunk.endIndex
        }
        try await insertPollutants(stations.flatMap { station in station.pollutants.map { (station.code, $0) } })
    }
}
