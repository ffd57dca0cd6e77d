import Campaign
import FluentKit
import Store

/// Where things are: a point's smallest region and the chain above it, the zones around national and
/// provincial stations, and what lies inside a zone.
///
/// The region index (an R-tree, `RegionIndex`) is built once and kept until the regions change. A change is
/// noticed through `RegionRepository.fingerprint()` (count and latest change of the regions table), so a
/// region changed through another server instance is seen on the next query; writes through this server
/// also drop the index at once.
final class SpatialService: Sendable {
    let zoneRadii: [Double]
    private let cache = RegionIndexCache()

    init(zoneRadii: [Double]) {
        self.zoneRadii = zoneRadii
    }

    /// The regions and their index as of the latest change.
    func snapshot(on database: any Database) async throws -> RegionSnapshot {
        try await cache.snapshot(on: database)
    }

    func regionsChanged() async {
        await cache.invalidate()
    }

    /// The smallest region holding `point` and each region above it, smallest first.
    func locate(_ point: Coordinate, on database: any Database) async throws -> [MappedRegion] {
        let snapshot = try await snapshot(on: database)
        guard let code = snapshot.index.smallest(containing: point) else { return [] }
        return snapshot.chain(from: code)
    }

    /// The zones around every active national and provincial station `scope` shows, by station code then radius.
    func zones(on database: any Database, scope: AccessScope = .all) async throws -> [(
        zone: ControlZone, station: Station
    )] {
        let repository = StationRepository(database: database)
        let stations =
            try await repository.stations(.init(kind: .national), scope: scope)
            + repository.stations(.init(kind: .provincial), scope: scope)
        let byCode = Dictionary(uniqueKeysWithValues: stations.map { ($0.code, $0) })
        return ControlZone.zones(around: stations, radii: zoneRadii)
            .sorted { ($0.stationCode, $0.radius) < ($1.stationCode, $1.radius) }
            .compactMap { zone in byCode[zone.stationCode].map { (zone: zone, station: $0) } }
    }

    /// Everything inside `zone` (`LocatedThings.sources`), nearest first, with its distance in metres.
    func contents(of zone: ControlZone, on database: any Database) async throws -> [(
        thing: LocatedThing, metres: Double
    )] {
        zone.inside(try await LocatedThings.things(in: zone.boundingBox, on: database))
    }
}

/// The regions at one moment and their R-tree.
struct RegionSnapshot: Sendable {
    let regions: [String: MappedRegion]
    let index: RegionIndex

    init(_ regions: [MappedRegion]) {
        self.regions = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0) })
        self.index = RegionIndex(
            regions.compactMap { region in
                region.boundary.map {
                    RegionIndex.Entry(code: region.code, boundary: $0, depth: region.region.level.rank)
                }
            })
    }

    /// `code` and its ancestors, nearest first (stops at a loop or a missing parent).
    func chain(from code: String) -> [MappedRegion] {
        var chain: [MappedRegion] = []
        var seen: Set<String> = []
        var current: String? = code
        while let next = current, seen.insert(next).inserted, let region = regions[next] {
            chain.append(region)
            current = region.region.parentCode
        }
        return chain
    }
}

actor RegionIndexCache {
    private var fingerprint: String?
    private var cached: RegionSnapshot?

    func snapshot(on database: any Database) async throws -> RegionSnapshot {
        let repository = RegionRepository(database: database)
        let current = try await repository.fingerprint()
        if let cached, current == fingerprint { return cached }
        let snapshot = RegionSnapshot(try await repository.regions())
        fingerprint = current
        cached = snapshot
        return snapshot
    }

    func invalidate() {
        fingerprint = nil
        cached = nil
    }
}
