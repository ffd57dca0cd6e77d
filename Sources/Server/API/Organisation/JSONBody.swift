import Campaign
import Foundation
import Ingest
import Store
import Vapor

/// Any JSON value: lets a body be read field by field, so one answer can name every bad field.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// A JSON object body read leniently: a field of the wrong type or form becomes a `FieldProblem`.
struct JSONBody: Sendable {
    var values: [String: JSONValue]
    var problems: [FieldProblem] = []

    static func decode(_ request: Request) throws -> JSONBody {
        do {
            return JSONBody(values: try request.content.decode([String: JSONValue].self))
        } catch let error as any AbortError where error.status != .badRequest {
            throw error
        } catch {
            throw Abort(.badRequest, reason: "请求体应为 JSON 对象 / the body must be a JSON object")
        }
    }

    private mutating func value<T>(_ key: String, expected: String, _ convert: (JSONValue) -> T?) -> Presence<T> {
        guard let raw = values[key] else { return .absent }
        if case .null = raw { return .null }
        if let value = convert(raw) { return .value(value) }
        problems.append(FieldProblem(field: key, message: expected))
        return .absent
    }

    mutating func string(_ key: String) -> Presence<String> {
        value(key, expected: "应为字符串 / must be a string") {
            if case .string(let text) = $0 { return text }
            return nil
        }
    }

    /// A string; an empty one counts as `null`.
    mutating func optionalText(_ key: String) -> Presence<String> {
        switch string(key) {
        case .value(let text) where text.trimmingCharacters(in: .whitespaces).isEmpty: .null
        case let other: other
        }
    }

    mutating func strings(_ key: String) -> Presence<[String]> {
        value(key, expected: "应为字符串列表 / must be a list of strings") {
            guard case .array(let items) = $0 else { return nil }
            let texts = items.compactMap { item -> String? in
                if case .string(let text) = item { return text }
                return nil
            }
            return texts.count == items.count ? texts : nil
        }
    }

    mutating func uuid(_ key: String) -> Presence<UUID> {
        value(key, expected: "应为 UUID / must be a UUID") {
            if case .string(let text) = $0 { return UUID(uuidString: text) }
            return nil
        }
    }

    mutating func gridLevel(_ key: String) -> Presence<GridLevel> {
        value(key, expected: "网格级别应为 1、2 或 3（一级、二级、三级网格）/ must be 1, 2 or 3") {
            if case .number(let number) = $0, number == number.rounded() { return GridLevel(rawValue: Int(number)) }
            return nil
        }
    }

    mutating func day(_ key: String) -> Presence<CalendarDay> {
        value(key, expected: "应为日期，如 2026-11-23 / must be a date written YYYY-MM-DD") {
            if case .string(let text) = $0 { return CalendarDay(text) }
            return nil
        }
    }

    mutating func instant(_ key: String) -> Presence<Date> {
        guard let raw = values[key] else { return .absent }
        if case .null = raw { return .null }
        guard case .string(let text) = raw else {
            problems.append(FieldProblem(field: key, message: "应为带时区的 ISO 8601 时间 / must be an ISO 8601 date-time"))
            return .absent
        }
        switch ISO8601Time.parse(text) {
        case .success(let seconds): return .value(Date(timeIntervalSince1970: TimeInterval(seconds)))
        case .failure(let reason):
            problems.append(FieldProblem(field: key, message: reason.description))
            return .absent
        }
    }

    /// The value, or a "required" problem (unless the field already has one).
    mutating func required<T>(_ key: String, _ chinese: String, _ read: (inout JSONBody, String) -> Presence<T>) -> T? {
        let presence = read(&self, key)
        if let value = presence.value { return value }
        if !problems.contains(where: { $0.field == key }) {
            problems.append(FieldProblem(field: key, message: "\(chinese)必填 / \(key) is required"))
        }
        return nil
    }

    /// For a PATCH: `null` is refused for a field that cannot be empty.
    mutating func notNull<T>(_ key: String, _ chinese: String, _ read: (inout JSONBody, String) -> Presence<T>) -> T? {
        let presence = read(&self, key)
        if case .null = presence {
            problems.append(FieldProblem(field: key, message: "\(chinese)不能为空 / \(key) cannot be null"))
        }
        return presence.value
    }

    /// For a PATCH: absent leaves the field, `null` clears it.
    static func clearable<T>(_ presence: Presence<T>) -> T?? {
        switch presence {
        case .absent: nil
        case .null: .some(nil)
        case .value(let value): .some(value)
        }
    }

    /// Fails with a 422 naming every problem so far.
    func check(_ more: [FieldProblem] = []) throws {
        let all = problems + more.filter { problem in !problems.contains { $0.field == problem.field } }
        guard all.isEmpty else { throw InvalidFieldsError(problems: all) }
    }
}

/// Query and path values shared by the organisation controllers.
enum OrganisationParameters {
    static func uuid(_ request: Request, _ name: String, entity: String) throws -> UUID {
        let text = try request.parameters.require(name)
        guard let id = UUID(uuidString: text) else {
            throw Abort(.notFound, reason: OrganisationError.notFound(entity: entity, id: text).description)
        }
        return id
    }

    /// `?at=` as an instant; now when absent.
    static func instant(_ request: Request, _ name: String = "at", problems: inout [FieldProblem]) -> Date? {
        guard let text = request.query[String.self, at: name] else { return nil }
        switch ISO8601Time.parse(text) {
        case .success(let seconds): return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .failure(let reason):
            problems.append(FieldProblem(field: name, message: reason.description))
            return nil
        }
    }

    static func format(_ date: Date) -> String {
        ISO8601Time.format(Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The HTTP answer to a refused change.
    static func abort(_ error: OrganisationError) -> any Error {
        switch error {
        case .invalid(let problems): InvalidFieldsError(problems: problems)
        case .notFound: Abort(.notFound, reason: error.description)
        case .duplicate, .inUse, .overlappingDuty, .conflict: Abort(.conflict, reason: error.description)
        }
    }

    /// Runs a repository call, turning its refusals into HTTP answers.
    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as OrganisationError {
            throw abort(error)
        }
    }
}
