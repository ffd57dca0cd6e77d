import Crypto
import FluentKit
import Foundation
import SQLKit

/// Who did something: a signed-in user, a device, or the system itself (imports, the demo seed).
public struct AuditActor: Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var id: String

    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }

    public static func user(_ username: String) -> AuditActor { AuditActor(kind: "user", id: username) }
    public static func system(_ what: String) -> AuditActor { AuditActor(kind: "system", id: what) }

    public var description: String { "\(kind):\(id)" }
}

/// One change: who, when, what, before and after (JSON, keys sorted), chained to the previous entry.
public struct AuditEntry: Sendable, Hashable {
    public var seq: Int64
    public var at: Int64
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public var previousHash: String
    public var hash: String

    /// The text the hash covers: every field, length-prefixed so that no two entries share it.
    var canonicalText: String {
        [
            String(seq), String(at), actor, action, entity, entityID, before ?? "∅", after ?? "∅", previousHash,
        ].map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The outcome of `lantian audit verify`.
public enum AuditVerification: Sendable, Hashable, CustomStringConvertible {
    case intact(entries: Int)
    /// The first entry whose content no longer matches its hash (edited in place).
    case altered(seq: Int64, at: Int64, action: String, entity: String, entityID: String)
    /// An entry whose recorded previous hash is not its predecessor's (entries removed or reordered).
    case broken(seq: Int64, expectedPrevious: String)
    /// A gap in the sequence: entries deleted.
    case missing(after: Int64, next: Int64)

    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .intact(let entries):
            return "审计链完整，共 \(entries) 条记录 / audit chain intact, \(entries) entries"
        case .altered(let seq, let at, let action, let entity, let entityID):
            let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(at)))
            return "第 \(seq) 条记录（\(time)，\(action) \(entity) \(entityID)）内容与哈希不符：记录被改动"
                + " / entry \(seq) (\(time), \(action) \(entity) \(entityID)) does not match its hash: it was altered"
        case .broken(let seq, _):
            return "第 \(seq) 条记录的前序哈希与上一条不符：链条断裂 / entry \(seq) does not chain to its predecessor"
        case .missing(let after, let next):
            return "第 \(after) 条之后缺少记录（下一条为第 \(next) 条）：记录被删除"
                + " / entries missing after \(after) (next is \(next)): deleted"
        }
    }
}

/// The tamper-evident audit trail. Appending happens inside the transaction of the change it records,
/// so a change and its entry commit or roll back together; appends are serialised (SQLite's write lock,
/// a PostgreSQL transaction-scoped advisory lock) so the chain stays one line.
public enum AuditTrail {
    /// Hash of the empty chain.
    public static let genesis = String(repeating: "0", count: 64)
    /// Arbitrary constant naming the advisory lock that serialises appends on PostgreSQL.
    static let advisoryLock: Int64 = 0x4C41_4E54_4155_4454

    /// Appends one entry. Call inside the transaction that makes the change.
    @discardableResult
    public static func append(
        on database: any Database, actor: AuditActor, action: String, entity: String, entityID: String,
        before: (any Encodable & Sendable)?, after: (any Encodable & Sendable)?,
        at: Int64 = Int64(Date().timeIntervalSince1970)
    ) async throws -> AuditEntry {
        guard let sql = database as? any SQLDatabase else { throw AuditError.unsupportedDatabase }
        if sql.dialect.name != "sqlite" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: advisoryLock))").run()
        }
        let last = try await sql.raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
        let previousSeq = try last?.decode(column: "seq", as: Int64.self) ?? 0
        let previousHash = try last?.decode(column: "hash", as: String.self) ?? genesis
        var entry = AuditEntry(
            seq: previousSeq + 1, at: at, actor: actor.description, action: action, entity: entity, entityID: entityID,
            before: try before.map(json), after: try after.map(json), previousHash: previousHash, hash: "")
        entry.hash = AuditEntry.hash(entry.canonicalText)
        try await sql.raw(
            """
            INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
            VALUES (\(bind: entry.seq), \(bind: entry.at), \(bind: entry.actor), \(bind: entry.action),
                \(bind: entry.entity), \(bind: entry.entityID), \(bind: entry.before), \(bind: entry.after),
                \(bind: entry.previousHash), \(bind: entry.hash))
            """
        ).run()
        return entry
    }

    /// JSON with sorted keys, so the same value always gives the same text.
    static func json(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Entries for one entity, oldest first.
    public static func history(entity: String, id: String, on database: any Database) async throws -> [AuditEntry] {
        guard let sql = database as? any SQLDatabase else { throw AuditError.unsupportedDatabase }
        return try await sql.raw(
            "SELECT * FROM audit_log WHERE entity = \(bind: entity) AND entity_id = \(bind: id) ORDER BY seq"
        ).all().map(entry)
    }

    /// Recomputes the whole chain and names the first broken entry.
    public static func verify(on database: any Database, batch: Int = 5_000) async throws -> AuditVerification {
        guard let sql = database as? any SQLDatabase else { throw AuditError.unsupportedDatabase }
        var previousSeq: Int64 = 0
        var previousHash = genesis
        var count = 0
        while true {
            let rows = try await sql.raw(
                "SELECT * FROM audit_log WHERE seq > \(bind: previousSeq) ORDER BY seq LIMIT \(literal: batch)"
            ).all()
            if rows.isEmpty { return .intact(entries: count) }
            for row in rows {
                let entry = try entry(row)
                if entry.seq != previousSeq + 1 { return .missing(after: previousSeq, next: entry.seq) }
                if AuditEntry.hash(entry.canonicalText) != entry.hash {
                    return .altered(
                        seq: entry.seq, at: entry.at, action: entry.action, entity: entry.entity,
                        entityID: entry.entityID)
                }
                if entry.previousHash != previousHash { return .broken(seq: entry.seq, expectedPrevious: previousHash) }
                previousSeq = entry.seq
                previousHash = entry.hash
                count += 1
            }
        }
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            seq: try row.decode(column: "seq", as: Int64.self), at: try row.decode(column: "at", as: Int64.self),
            actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            entity: try row.decode(column: "entity", as: String.self),
            entityID: try row.decode(column: "entity_id", as: String.self),
            before: try row.decode(column: "before", as: String?.self),
            after: try row.decode(column: "after", as: String?.self),
            previousHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }
}

public enum AuditError: Error, CustomStringConvertible {
    case unsupportedDatabase

    public var description: String { "审计日志需要 SQL 数据库 / the audit log needs an SQL database" }
}
