import Campaign
import FluentKit
import Ingest
import SQLKit

/// The station registry: stations with their HJ 212 identity and the pollutants they report.
///
/// Pollutant lists come back in code order. Writes that users make (`create`, `update`) are validated
/// and fail with a `StationRegistryError` naming every problem; `upsert` (seeding, batch loads) relies
/// on the schema's constraints alone.
public struct StationRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Which stations a list shows; nil fields do not filter.
    public struct Filter: Sendable, Hashable {
        public var kind: StationKind?
        public var status: StationStatus?
        public var regionCode: String?

        public init(kind: StationKind? = nil, status: StationStatus? = nil, regionCode: String? = nil) {
            self.kind = kind
            self.status = status
            self.regionCode = regionCode
        }
    }

    // MARK: Reads

    /// The stations `filter` selects among those `scope` shows.
    public func stations(_ filter: Filter = Filter(), scope: AccessScope = .all) async throws -> [Station] {
        var query = DB.Station.query(on: database)
        switch scope {
        case .all: break
        case .none: return []
        case .units(let units): query = query.filter(\.$responsibleUnitCode ~~ Array(units))
        case .regions(let regions): query = query.filter(\.$regionCode ~~ Array(regions))
        }
        if let kind = filter.kind { query = query.filter(\.$kind == kind.rawValue) }
        if let status = filter.status { query = query.filter(\.$status == status.rawValue) }
        if let regionCode = filter.regionCode { query = query.filter(\.$regionCode == regionCode) }
        let rows = try await query.sort(\.$id).all()
        let whole = filter == Filter() && scope == .all
        let pollutants = try await pollutantsByStation(whole ? nil : rows.compactMap(\.id))
        return rows.map { Station($0, pollutants: pollutants[$0.id ?? ""] ?? []) }
    }

    /// The station with this code, nil when there is none or `scope` does not show it.
    /// `.regions` holds grid regions with their descendants already (`RegionTree.withDescendants`).
    public func station(code: String, scope: AccessScope = .all) async throws -> Station? {
        guard let row = try await DB.Station.find(code, on: database) else { return nil }
        guard scope.contains(unitCode: row.responsibleUnitCode, regionPath: row.regionCode.map { [$0] } ?? []) else {
            return nil
        }
        return Station(row, pollutants: try await pollutantsByStation([code])[code] ?? [])
    }

    /// The station whose data logger sends this `MN`.
    public func station(mn: String) async throws -> Station? {
        guard let row = try await DB.Station.query(on: database).filter(\.$hj212MN == mn).first() else { return nil }
        let code = row.id ?? ""
        return Station(row, pollutants: try await pollutantsByStation([code])[code] ?? [])
    }

    /// Every problem that keeps `station` out of the registry: its own (`Station.problems`), the pollutant
    /// catalogue's (`StationValidator`), and references to regions and units that do not exist.
    public func problems(for station: Station) async throws -> [FieldProblem] {
        var problems = StationValidator.problems(station)
        if let code = station.regionCode, try await DB.Region.find(code, on: database) == nil {
            problems.append(FieldProblem(field: "regionCode", message: "区域 \(code) 不存在 / no region \(code)"))
        }
        if let code = station.responsibleUnitCode, try await DB.Unit.find(code, on: database) == nil {
            problems.append(
                FieldProblem(field: "responsibleUnitCode", message: "责任单位 \(code) 不存在 / no responsible unit \(code)"))
        }
        return problems
    }

    // MARK: Writes by users (validated)

    /// Registers a new station. Fails on a problem, a code already registered, or an MN already in use.
    public func create(_ station: Station, by actor: AuditActor) async throws {
        try await translatingConstraintFailures(into: StationRegistryError.conflict) {
            try await database.writeTransaction { transaction in
                let repository = StationRepository(database: transaction)
                let problems = try await repository.problems(for: station)
                guard problems.isEmpty else { throw StationRegistryError.invalid(problems) }
                if try await DB.Station.find(station.code, on: transaction) != nil {
                    throw StationRegistryError.duplicateCode(station.code)
                }
                try await repository.refuseMNInUse(by: station)
                try await repository.write(station, into: DB.Station(), pollutants: true)
                try await AuditTrail.append(
                    on: transaction, actor: actor, action: "create", entity: "station", entityID: station.code,
                    before: nil, after: station.redacted)
            }
        }
    }

    /// Changes some fields of a registered station and returns it as it now is.
    @discardableResult
    public func update(code: String, with patch: StationPatch, by actor: AuditActor) async throws -> Station {
        try await translatingConstraintFailures(into: StationRegistryError.conflict) {
            try await database.writeTransaction { transaction in
                let repository = StationRepository(database: transaction)
                guard let row = try await DB.Station.find(code, on: transaction) else {
                    throw StationRegistryError.notFound(code)
                }
                let current = Station(row, pollutants: try await repository.pollutantsByStation([code])[code] ?? [])
                let updated = patch.applied(to: current)
                let problems = try await repository.problems(for: updated)
                guard problems.isEmpty else { throw StationRegistryError.invalid(problems) }
                if updated.hj212?.mn != current.hj212?.mn { try await repository.refuseMNInUse(by: updated) }
                try await repository.write(updated, into: row, pollutants: patch.pollutants != nil)
                if updated != current {
                    try await AuditTrail.append(
                        on: transaction, actor: actor, action: "update", entity: "station", entityID: code,
                        before: current.redacted, after: updated.redacted)
                }
                return updated
            }
        }
    }

    /// Removes a station and, by the foreign key's cascade, its pollutant list. False when there was none.
    @discardableResult
    public func delete(code: String) async throws -> Bool {
        guard let row = try await DB.Station.find(code, on: database) else { return false }
        try await row.delete(on: database)
        return true
    }

    // MARK: Writes by the system

    /// Inserts or replaces a station whole, identity and pollutants included (idempotent).
    public func upsert(_ station: Station) async throws {
        let row = try await DB.Station.find(station.code, on: database) ?? DB.Station()
        try await write(station, into: row, pollutants: true)
    }

    // MARK: Internals

    func write(_ station: Station, into row: DB.Station, pollutants replacePollutants: Bool) async throws {
        row.fill(from: station)
        try await row.save(on: database)
        if replacePollutants { try await replacePollutantList(of: station.code, with: station.pollutants) }
    }

    func replacePollutantList(of code: String, with pollutants: [ReportedPollutant]) async throws {
        let sql = try sqlDatabase
        try await sql.delete(from: "station_pollutants").where("station_code", .equal, code).run()
        try await insertPollutants(pollutants.map { (code, $0) })
    }

    /// One INSERT per 500 rows (well under both databases' limits on bound values).
    func insertPollutants(_ rows: [(station: String, pollutant: ReportedPollutant)]) async throws {
        let sql = try sqlDatabase
        var start = rows.startIndex
        while start < rows.endIndex {
            let chunk = rows[start..<min(start + 500, rows.endIndex)]
            let insert = sql.insert(into: "station_pollutants").columns("station_code", "code", "unit")
            for row in chunk {
                insert.values(SQLBind(row.station), SQLBind(row.pollutant.code), SQLBind(row.pollutant.unit))
            }
            try await insert.run()
            start = chunk.endIndex
        }
    }

    /// Pollutant lists by station code, in code order; nil reads them all.
    func pollutantsByStation(_ codes: [String]?) async throws -> [String: [ReportedPollutant]] {
        if let codes, codes.isEmpty { return [:] }
        let select = try sqlDatabase.select().columns("station_code", "code", "unit").from("station_pollutants")
        if let codes { select.where("station_code", .in, codes) }
        let rows = try await select.orderBy("station_code").orderBy("code").all()
        var result: [String: [ReportedPollutant]] = [:]
        for row in rows {
            let station = try row.decode(column: "station_code", as: String.self)
            let pollutant = ReportedPollutant(
                code: try row.decode(column: "code", as: String.self),
                unit: try row.decode(column: "unit", as: String.self))
            result[station, default: []].append(pollutant)
        }
        return result
    }

    func refuseMNInUse(by station: Station) async throws {
        guard let mn = station.hj212?.mn else { return }
        let holders = try await DB.Station.query(on: database).filter(\.$hj212MN == mn).all()
        if let other = holders.first(where: { $0.id != station.code }) {
            throw StationRegistryError.duplicateMN(mn: mn, station: other.id ?? "")
        }
    }

    var sqlDatabase: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw StoreError.notSQL }
            return sql
        }
    }
}

extension Station {
    /// The station as the audit log records it: the HJ 212 password replaced by a marker.
    var redacted: Station {
        var copy = self
        if copy.hj212 != nil { copy.hj212?.password = "••••••" }
        return copy
    }
}

/// Why the registry refused a write; each says what to do, Chinese first.
public enum StationRegistryError: Error, Equatable, CustomStringConvertible {
    case invalid([FieldProblem])
    case duplicateCode(String)
    case duplicateMN(mn: String, station: String)
    case notFound(String)
    case conflict

    public var description: String {
        switch self {
        case .invalid(let problems):
            "站点信息有 \(problems.count) 处错误 / \(problems.count) invalid field(s): "
                + problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .duplicateCode(let code):
            "站点编码 \(code) 已存在 / a station with code \(code) already exists"
        case .duplicateMN(let mn, let station):
            "设备唯一标识 MN \(mn) 已被站点 \(station) 使用 / MN \(mn) is already used by station \(station)"
        case .notFound(let code):
            "站点 \(code) 不存在 / no station with code \(code)"
        case .conflict:
            "与同时进行的修改冲突，请重试 / conflicts with a concurrent change; try again"
        }
    }
}

/// How the identity's sets are stored.
enum HJ212Columns {
    static func protocols(_ editions: Set<HJ212ProtocolEdition>) -> String {
        editions.sorted().map(\.rawValue).joined(separator: ",")
    }

    static func protocols(_ text: String) -> Set<HJ212ProtocolEdition> {
        Set(text.split(separator: ",").compactMap { HJ212ProtocolEdition(rawValue: String($0)) })
    }
}

extension DB.Station {
    /// Every column from `station` (pollutants live in their own table).
    func fill(from station: Campaign.Station) {
        self.id = station.code
        self.name = station.name
        self.kind = station.kind.rawValue
        self.longitude = station.coordinate.longitude
        self.latitude = station.coordinate.latitude
        self.regionCode = station.regionCode
        self.responsibleUnitCode = station.responsibleUnitCode
        self.status = station.status.rawValue
        self.hj212MN = station.hj212?.mn
        self.hj212Password = station.hj212?.password
        self.hj212Protocols = station.hj212.map { HJ212Columns.protocols($0.protocols) }
        self.hj212CRCPolicy = station.hj212?.crcPolicy.rawValue
        self.hj212Tolerant = station.hj212?.tolerant
    }
}

extension Station {
    init(_ row: DB.Station, pollutants: [ReportedPollutant]) {
        var identity: HJ212Identity?
        if let mn = row.hj212MN {
            identity = HJ212Identity(
                mn: mn, password: row.hj212Password ?? "",
                protocols: HJ212Columns.protocols(row.hj212Protocols ?? ""),
                crcPolicy: row.hj212CRCPolicy.flatMap(HJ212CRCPolicy.init(rawValue:)) ?? .standard,
                tolerant: row.hj212Tolerant ?? true)
        }
        self.init(
            code: row.id ?? "",
            name: row.name,
            kind: StationKind(rawValue: row.kind) ?? .micro,
            coordinate: Coordinate(longitude: row.longitude, latitude: row.latitude),
            regionCode: row.regionCode,
            responsibleUnitCode: row.responsibleUnitCode,
            status: StationStatus(rawValue: row.status) ?? .active,
            hj212: identity,
            pollutants: pollutants
        )
    }
}
