import Campaign
import Foundation
import NIOConcurrencyHelpers
import Store
import Vapor

/// What the ledger needs at run time: the official working calendar, where evidence files go and how
/// large they may be, and the clock (injectable, so tests can move to a deadline or a revisit).
public final class LedgerRuntime: Sendable {
    public let calendar: WorkingCalendar
    /// `<data directory>/attachments`.
    public let attachmentsDirectory: String
    public let maxAttachmentBytes: Int
    let metrics: AppMetrics
    let clockBox: NIOLockedValueBox<@Sendable () -> Int64>

    init(
        calendar: WorkingCalendar, attachmentsDirectory: String, maxAttachmentBytes: Int, metrics: AppMetrics,
        now: @escaping @Sendable () -> Int64
    ) {
        self.calendar = calendar
        self.metrics = metrics
        self.attachmentsDirectory = attachmentsDirectory
        self.maxAttachmentBytes = maxAttachmentBytes
        clockBox = NIOLockedValueBox(now)
    }

    /// Seconds since 1970 now.
    public var now: Int64 { clockBox.withLockedValue { $0 }() }
    /// The day in China now.
    public var today: CalendarDay { CalendarDay(containing: Date(timeIntervalSince1970: TimeInterval(now))) }

    /// Replaces the clock (tests).
    public func setClock(_ clock: @escaping @Sendable () -> Int64) {
        clockBox.withLockedValue { $0 = clock }
    }

    /// The calendar file shipped in `Resources/Calendar`.
    static func loadCalendar(resourcesDirectory: String) throws -> WorkingCalendar {
        let path = resourcesDirectory + "Calendar/china-holidays.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try WorkingCalendar.parse(csv: text)
    }
}

extension Application {
    private struct LedgerKey: StorageKey {
        typealias Value = LedgerRuntime
    }

    /// The ledger runtime configured by `configure`.
    public var ledger: LedgerRuntime {
        get {
            guard let runtime = storage[LedgerKey.self] else { fatalError("configure(_:) sets up the ledger") }
            return runtime
        }
        set { storage[LedgerKey.self] = newValue }
    }
}

extension Request {
    /// The signed-in user as the ledger records them.
    var ledgerActor: LedgerActor {
        LedgerActor(audit: auditActor, role: user?.role ?? .public, personID: user?.personID)
    }
}
