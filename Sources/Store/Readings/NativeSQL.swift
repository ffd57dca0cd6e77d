import FluentKit
import NIOCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// A value bound to or read from SQL on the hot paths.
enum SQLValue: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null

    var int: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value): Int64(value)
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    var double: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .integer(let value): value != 0
        default: nil
        }
    }

    init(_ value: Double?) { self = value.map(SQLValue.double) ?? .null }
    init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
}

/// The ingest and roll-up paths talk to the drivers directly (SQLiteNIO, PostgresNIO) instead of
/// through Codable binds: encoding each of hundreds of thousands of values through an `Encoder` costs
/// more than SQLite's own insert. One session is pinned to one connection, so transactions work.
struct NativeSQL: Sendable {
    enum Dialect: Sendable { case sqlite, postgres }

    let database: any Database
    let dialect: Dialect

    /// SQLite and PostgreSQL both accept the same number of bound parameters per statement only up to
    /// 32,766 (SQLite's SQLITE_MAX_VARIABLE_NUMBER default); stay well below.
    static let maxBindsPerStatement = 30_000

    /// Runs `body` on one pooled connection.
    static func withSession<T: Sendable>(
        _ database: any Database, _ body: @escaping @Sendable (NativeSQL) async throws -> T
    ) async throws -> T {
        try await database.withConnection { connection in
            guard let sql = connection as? any SQLDatabase else { throw NativeSQLError.unsupported }
            let dialect: Dialect = sql.dialect.name == "sqlite" ? .sqlite : .postgres
            return try await body(NativeSQL(database: connection, dialect: dialect))
        }
    }

    /// `?1` on SQLite, `$1` on PostgreSQL.
    func placeholder(_ index: Int) -> String {
        dialect == .sqlite ? "?\(index)" : "$\(index)"
    }

    /// Placeholders for `rows` rows of `columns` values: `(?1, ?2), (?3, ?4)`.
    func valuesList(rows: Int, columns: Int, startingAt start: Int = 1) -> String {
        var text = ""
        text.reserveCapacity(rows * columns * 7)
        var index = start
        for row in 0..<rows {
            text += row == 0 ? "(" : ", ("
            for column in 0..<columns {
                if column > 0 { text += ", " }
                text += placeholder(index)
                index += 1
            }
            text += ")"
        }
        return text
    }

    /// Runs one statement and returns its rows (values in column order).
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue] = []) async throws -> [[SQLValue]] {
        switch dialect {
        case .sqlite:
            guard let sqlite = database as? any SQLiteDatabase else { throw NativeSQLError.unsupported }
            let rows = try await sqlite.query(sql, binds.map(\.sqlite))
            return rows.map { row in row.columns.map { SQLValue(sqlite: $0.data) } }
        case .postgres:
            guard let postgres = database as? any PostgresDatabase else { throw NativeSQLError.unsupported }
            var bindings = PostgresBindings(capacity: binds.count)
            for bind in binds {
                switch bind {
                case .text(let value): bindings.append(value)
                case .integer(let value): bindings.append(value)
                case .double(let value): bindings.append(value)
                case .bool(let value): bindings.append(value)
                case .null: bindings.appendNull()
                }
            }
            let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
            let logger = database.logger
            return try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    var result: [[SQLValue]] = []
                    for try await row in try await connection.query(query, logger: logger) {
                        result.append(row.map(SQLValue.init(postgres:)))
                    }
                    return result
                }
            }.get()
        }
    }

    /// BEGIN (IMMEDIATE on SQLite: take the write lock up front, so two writers queue on busy_timeout
    /// instead of deadlocking on a lock upgrade) … COMMIT, or ROLLBACK on error.
    func transaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await query(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try await body()
            try await query("COMMIT")
            return result
        } catch {
            _ = try? await query("ROLLBACK")
            throw error
        }
    }
}

enum NativeSQLError: Error, CustomStringConvertible {
    case unsupported

    var description: String { "数据库驱动不支持 / the database driver is neither SQLite nor PostgreSQL" }
}

extension SQLValue {
    var sqlite: SQLiteData {
        switch self {
        case .text(let value): .text(value)
        case .integer(let value): .integer(Int(value))
        case .double(let value): .float(value)
        case .bool(let value): .integer(value ? 1 : 0)
        case .null: .null
        }
    }

    init(sqlite data: SQLiteData) {
        switch data {
        case .integer(let value): self = .integer(Int64(value))
        case .float(let value): self = .double(value)
        case .text(let value): self = .text(value)
        case .blob, .null: self = .null
        }
    }

    init(postgres cell: PostgresCell) {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int2, .int4, .int8: self = (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
        case .float4, .float8, .numeric: self = (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
        case .bool: self = (try? cell.decode(Bool.self)).map(SQLValue.bool) ?? .null
        default: self = (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }
}
