import Campaign
import FluentKit
import Foundation

/// Why a change to units, people, grids, contracts or the duty roster was refused.
public enum OrganisationError: Error, CustomStringConvertible, Equatable {
    /// Bad fields, each named (HTTP 422).
    case invalid([FieldProblem])
    /// The thing addressed does not exist (HTTP 404).
    case notFound(entity: String, id: String)
    /// A code or pair already taken (HTTP 409).
    case duplicate(String)
    /// The thing is still referred to and cannot go (HTTP 409).
    case inUse(String)
    /// The person is already on duty at some of those times (HTTP 409).
    case overlappingDuty([DutyShift])
    /// A concurrent change won the race (HTTP 409).
    case conflict

    public var description: String {
        switch self {
        case .invalid(let problems):
            return "数据有误 / invalid: " + problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .notFound(let entity, let id):
            return "\(Self.chineseName(entity)) \(id) 不存在 / no \(entity) \(id)"
        case .duplicate(let message), .inUse(let message):
            return message
        case .overlappingDuty(let shifts):
            let times = shifts.map { "\(Self.format($0.startsAt))–\(Self.format($0.endsAt))（\($0.regionCode)）" }
            return "此人在以下时段已有值班：\(times.joined(separator: "、")) / the person is already on duty then: "
                + shifts.map { $0.id.uuidString.lowercased() }.joined(separator: ", ")
        case .conflict:
            return "数据已被其他操作修改，请重试 / changed by someone else at the same time; try again"
        }
    }

    static func chineseName(_ entity: String) -> String {
        switch entity {
        case "unit": "单位"
        case "person": "人员"
        case "grid_assignment": "网格分配"
        case "leader_contract": "分包"
        case "duty_shift": "值班"
        case "region": "区域"
        default: entity
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: Int(CalendarDay.chinaOffset))
        return formatter.string(from: date)
    }
}

/// A constraint that fails after the checks passed means a concurrent write won the race: `conflict` is
/// thrown instead (each registry names its own). Shared by every repository that checks, then writes.
func translatingConstraintFailures<T>(
    into conflict: @autoclosure () -> any Error = OrganisationError.conflict, _ body: () async throws -> T
) async throws -> T {
    do {
        return try await body()
    } catch let error as any DatabaseError where error.isConstraintFailure {
        throw conflict()
    }
}

/// The region `code`, or nil.
func regionRow(_ code: String, on database: any Database) async throws -> DB.Region? {
    try await DB.Region.find(code, on: database)
}
