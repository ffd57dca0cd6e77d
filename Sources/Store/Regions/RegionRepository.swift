import Campaign
import FluentKit
import Foundation
import SQLKit

/// The region tree with boundaries: list, show, subtree, create, change and import from GeoJSON. Every
/// change users or imports make is validated, then written with its audit entry in one transaction.
public struct RegionRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Which regions a list shows; nil fields do not filter.
    public struct Filter: Sendable, Hashable {
        public var parentCode: String?
        public var level: RegionLevel?

        public init(parentCode: String? = nil, level: RegionLevel? = nil) {
            self.parentCode = parentCode
            self.level = level
        }
    }

    // MARK: Reads

    public func regions(_ filter: Filter = Filter()) async throws -> [MappedRegion] {
        var query = DB.Region.query(on: database)
        if let parentCode = filter.parentCode { query = query.filter(\.$parentCode == parentCode) }
        if let level = filter.level { query = query.filter(\.$level == level.rawValue) }
        return try await query.sort(\.$id).all().map(MappedRegion.init)
    }

    public func region(code: String) async throws -> MappedRegion? {
        try await DB.Region.find(code, on: database).map(MappedRegion.init)
    }

    /// The region and everything below it, the region first, then level by level; empty for an unknown code.
    public func subtree(of code: String) async throws -> [MappedRegion] {
        let all = try await regions()
        guard let root = all.first(where: { $0.code == code }) else { return [] }
        let children = Dictionary(grouping: all.filter { $0.region.parentCode != nil }) { $0.region.parentCode! }
        var result = [root]
        var next = 0
        while next < result.count {
            result += children[result[next].code] ?? []
            next += 1
        }
        return result
    }

    /// Changes whenever any region is created or changed, here or on another server: the number of regions
    /// and the latest change. Caches of the region index compare it before use.
    public func fingerprint() async throws -> String {
        guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
        let row = try await sql.raw("SELECT COUNT(*) AS n, MAX(updated_at) AS t FROM regions").first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        let latest = try row?.decode(column: "t", as: Date?.self)
        return "\(count)@\(latest?.timeIntervalSince1970 ?? 0)"
    }

    // MARK: Writes by users (validated, audited)

    /// Adds a region. Fails naming every problem, or when the code is taken.
    public func create(_ region: MappedRegion, by actor: AuditActor) async throws {
        try await translatingConstraintFailures(into: RegionRegistryError.conflict) {
            try await database.writeTransaction { transaction in
                let repository = RegionRepository(database: transaction)
                if try await DB.Region.find(region.code, on: transaction) != nil {
                    throw RegionRegistryError.duplicateCode(region.code)
                }
                let problems = try await repository.problems(for: region)
                guard problems.isEmpty else { throw RegionRegistryError.invalid(problems) }
                try await repository.write(region, into: DB.Region())
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "create", entity: "region", entityID: region.code,
                    before: nil, after: region)
            }
        }
    }

    /// Changes some fields of a region and returns it as it now is.
    @discardableResult
    public func update(code: String, with patch: RegionPatch, by actor: AuditActor) async throws -> MappedRegion {
        try await translatingConstraintFailures(into: RegionRegistryError.conflict) {
            try await database.writeTransaction { transaction in
                let repository = RegionRepository(database: transaction)
                guard let row = try await DB.Region.find(code, on: transaction) else {
                    throw RegionRegistryError.notFound(code)
                }
                let current = MappedRegion(row)
                let updated = patch.applied(to: current)
                let problems = try await repository.problems(for: updated)
                guard problems.isEmpty else { throw RegionRegistryError.invalid(problems) }
                if updated != current {
                    try await repository.write(updated, into: row)
                    try await AuditTrail.append(
                        on: transaction, actor: actor, action: "update", entity: "region", entityID: code,
                        before: current, after: updated)
                }
                return updated
            }
        }
    }

    /// Every problem that keeps `region` out of the tree as it stands: its own and the tree's.
    public func problems(for region: MappedRegion) async throws -> [FieldProblem] {
        var tree = Dictionary(uniqueKeysWithValues: try await regions().map { ($0.code, $0.region) })
        tree[region.code] = region.region
        let own = region.problems
        return own
            + RegionTreeCheck.problems(for: region.region, among: tree).filter { problem in
                !own.contains { $0.field == problem.field }
            }
    }

    // MARK: Import

    /// Imports a GeoJSON FeatureCollection of regions (see `GeoJSON.regionFeatures`): every feature is
    /// checked first, and one bad feature keeps the whole file out, with every bad feature named. Regions
    /// already stored are updated; a region that would not change is left alone (a second run writes nothing).
    public func importRegions(featureCollection data: Data, dryRun: Bool = false, by actor: AuditActor)
        async throws -> RegionImportSummary
    {
        let features = try GeoJSON.regionFeatures(data)
        return try await importRegions(features, dryRun: dryRun, by: actor)
    }

    public func importRegions(_ features: [RegionFeature], dryRun: Bool = false, by actor: AuditActor)
        async throws -> RegionImportSummary
    {
        try await translatingConstraintFailures(into: RegionRegistryError.conflict) {
            try await database.writeTransaction { transaction in
                let rows = try await DB.Region.query(on: transaction).all()
                var existing: [String: (row: DB.Region, region: MappedRegion)] = [:]
                for row in rows { existing[row.id ?? ""] = (row, MappedRegion(row)) }
                let outcome = RegionImportCheck.check(features, existing: existing.mapValues { $0.region })
                guard outcome.problems.isEmpty else { throw RegionImportError.invalid(outcome.problems) }
                var summary = RegionImportSummary(warnings: outcome.warnings)
                let repository = RegionRepository(database: transaction)
                for region in outcome.regions {
                    if let stored = existing[region.code] {
                        if stored.region == region {
                            summary.unchanged += 1
                            continue
                        }
                        summary.updated += 1
                        guard !dryRun else { continue }
                        try await repository.write(region, into: stored.row)
                        try await AuditTrail.append(
                            on: transaction, actor: actor, action: "update", entity: "region", entityID: region.code,
                            before: stored.region, after: region)
                    } else {
                        summary.inserted += 1
                        guard !dryRun else { continue }
                        try await repository.write(region, into: DB.Region())
                        try await AuditTrail.append(
                            on: transaction, actor: actor, action: "create", entity: "region", entityID: region.code,
                            before: nil, after: region)
                    }
                }
                return summary
            }
        }
    }

    // MARK: Internals

    func write(_ region: MappedRegion, into row: DB.Region) async throws {
        row.id = region.code
        row.name = region.region.name
        row.level = region.region.level.rawValue
        row.parentCode = region.region.parentCode
        row.isDemoGeometry = region.isDemoGeometry
        if let boundary = region.boundary, let box = boundary.boundingBox {
            row.boundary = GeoJSON.geometryText(boundary)
            row.minLongitude = box.minLongitude
            row.minLatitude = box.minLatitude
            row.maxLongitude = box.maxLongitude
            row.maxLatitude = box.maxLatitude
        } else {
            row.boundary = nil
            row.minLongitude = nil
            row.minLatitude = nil
            row.maxLongitude = nil
            row.maxLatitude = nil
        }
        try await row.save(on: database)
    }
}

/// What an import did (or, in a dry run, would do).
public struct RegionImportSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Features imported with a remark (a boundary not within its parent's).
    public var warnings: [RegionFeatureProblem] = []

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, warnings: [RegionFeatureProblem] = []) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.warnings = warnings
    }

    public var description: String {
        "新增 \(inserted)，更新 \(updated)，未变 \(unchanged) / inserted \(inserted), updated \(updated), unchanged \(unchanged)"
    }
}

/// Why an import wrote nothing.
public enum RegionImportError: Error, Equatable, CustomStringConvertible {
    case notFeatureCollection(String)
    case invalid([RegionFeatureProblem])

    public var description: String {
        switch self {
        case .notFeatureCollection(let reason):
            "无法读取区域文件：\(reason)"
        case .invalid(let problems):
            "\(Set(problems.map(\.index)).count) 个要素有误，未导入任何区域 / \(Set(problems.map(\.index)).count) bad "
                + "feature(s), nothing imported:\n" + problems.map(\.description).joined(separator: "\n")
        }
    }
}

/// Why the region registry refused a write; each says what to do, Chinese first.
public enum RegionRegistryError: Error, Equatable, CustomStringConvertible {
    case invalid([FieldProblem])
    case duplicateCode(String)
    case notFound(String)
    case conflict

    public var description: String {
        switch self {
        case .invalid(let problems):
            "区域信息有 \(problems.count) 处错误 / \(problems.count) invalid field(s): "
                + problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .duplicateCode(let code):
            "区域编码 \(code) 已存在 / a region with code \(code) already exists"
        case .notFound(let code):
            "区域 \(code) 不存在 / no region with code \(code)"
        case .conflict:
            "与同时进行的修改冲突，请重试 / conflicts with a concurrent change; try again"
        }
    }
}

extension MappedRegion {
    init(_ row: DB.Region) {
        self.init(
            region: Region(row), boundary: row.boundary.flatMap(GeoJSON.boundary(text:)),
            isDemoGeometry: row.isDemoGeometry ?? false)
    }
}
